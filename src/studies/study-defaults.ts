/**
 * The defaults of the studies' options, one source for each: the study functions fall back to them,
 * their CLI flags show them (--help) and the bounds of study-bounds.ts give their reasons in terms of them.
 */
import { MNIST_TEST_DIGITS, MNIST_TRAIN_DIGITS } from '../data/mnist-counts.js';

/** The seed of every study's networks (and the plateau study's Lanczos start vectors), by default. */
export const STUDY_SEED = 1;

/** The digits (loadMnist's, from the optional package mnist) the digit studies train and test on, by default: loadMnist's own split, the first 9,000, then the 1,000 after them. */
export const STUDY_DIGITS = { trainRows: MNIST_TRAIN_DIGITS, testRows: MNIST_TEST_DIGITS } as const;

/** The activations study (b): units of each of its 5 hidden layers, epochs of SGD per run, SGD's batch and learning rate, and trace records per run. */
export const ACTIVATIONS_DEFAULTS = { width: 256, epochs: 2, batchSize: 10, learningRate: 0.05, records: 20 } as const;

/** The main job's (npm start's) epochs of study (b), short enough to run in seconds; `study activations` alone runs ACTIVATIONS_DEFAULTS.epochs. */
export const MAIN_JOB_ACTIVATION_EPOCHS = 1;

/** The remedies study: CPU seconds of training per optimiser (budget-clock.ts). */
export const REMEDIES_DEFAULTS = { seconds: 6 } as const;

/** The autoencoder study: CPU seconds per optimiser, its own digits (fewer than the others': a deep autoencoder is slow), points of each curve. */
export const AUTOENCODER_DEFAULTS = { seconds: 30, trainRows: 3000, testRows: 500, points: 10 } as const;

/** The trainable-depth study's step budget, by default: epochs over the training digits (10 × ⌈9,000 / 32⌉ = 2,820 steps of batch 32). */
export const TRAINABLE_EPOCHS = 10;

/** The trainable-depth study's units per hidden layer, by default (the papers' experiments and scripts/jacobian-spread.ts take it too). */
export const TRAINABLE_WIDTH = 64;

/** The budget sweep's budgets, by default, as multiples of the step budget. */
export const BUDGET_MULTIPLES: readonly number[] = [1, 4, 16, 64];

/** Nielsen's four networks of the depth study: 1 to 4 sigmoid hidden layers of 30 between the 784 pixels and the 10 classes. */
export const DEPTH_NETWORKS = [
  [784, 30, 10],
  [784, 30, 30, 10],
  [784, 30, 30, 30, 10],
  [784, 30, 30, 30, 30, 10],
];

/** The batch the norms are measured on, and trained on: the first 1,000 training digits (his `full_td[:1000]`). */
export const DEPTH_ROWS = 1000;

/**
 * His training call, once per epoch: `net.SGD(td, 1, 1000, 0.1, lmbda=5.0)`, for 500 epochs. With one
 * mini-batch of all n = 1,000 digits, network2.py's update is w ← (1 − η·λ/n)·w − η·∂C/∂w and
 * b ← b − η·∂C/∂b: plain SGD with weightDecay λ/n on the weights only.
 */
export const NIELSEN_TRAINING = { epochs: 500, learningRate: 0.1, lambda: 5.0 } as const;

/** Training digits the autoencoder's training error is measured on: the first ones, a sample of the same size whatever --train is (the clock stops while the curve is measured, so it costs wall-clock time only). */
export const TRAIN_ERROR_ROWS = 500;
