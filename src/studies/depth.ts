/**
 * Study (a), the classic vanishing-gradient experiment: Nielsen's fig/generate_gradient.py
 * (Neural Networks and Deep Learning, ch. 5) on the MNIST digits of loadMnist. Sigmoid networks of 1 to
 * 4 hidden layers of 30, sigmoid outputs with his cross-entropy cost, weights N(0, 1/n_in), biases
 * N(0, 1). ‖∂C/∂b‖ of each hidden layer over the first 1,000 training digits (∂C/∂b is the mean over
 * those digits of each one's δ, as his get_average_gradient) at initialisation, over many seeds;
 * then his training: full-batch gradient descent on those digits, η = 0.1, L2 regularisation
 * λ = 5 (weights only), 500 epochs, ‖∂C/∂b‖ recorded at the start of every epoch.
 */
import { checkAtMost, checkCallback, checkFloat32, checkKnownKeys, checkNumber, keysOf, type Bound } from '../checks.js';
import { median } from '../median.js';
import { givenFloat32Text } from '../number-text.js';
import type { Matrix } from '../data/matrix.js';
import { loadMnist } from '../data/mnist.js';
import type { NetworkOptions } from '../network/config.js';
import { createNetwork } from '../api/network.js';
import { createDataset } from '../api/dataset.js';
import type { Dataset } from '../training/dataset.js';
import { DEPTH_SEEDS_BOUND, NIELSEN_EPOCHS_BOUND } from './study-bounds.js';
import { diagnose, type Diagnosis } from '../flow/diagnose.js';
import type { Trace } from '../flow/trace.js';
import type { TrainOptions } from '../training/train-options.js';
import { DEPTH_NETWORKS, DEPTH_ROWS, NIELSEN_TRAINING } from './study-defaults.js';

export { DEPTH_NETWORKS, DEPTH_ROWS, NIELSEN_TRAINING };

/** Nielsen's network2.Network defaults: sigmoid units, CrossEntropyCost, weights N(0, 1/n_in) ('lecun-normal'), biases N(0, 1). */
export const DEPTH_NETWORK_OPTIONS = {
  activation: 'sigmoid',
  output: 'sigmoid',
  loss: 'binary-cross-entropy',
  init: 'lecun-normal',
  biasInit: { name: 'normal', std: 1 },
} as const satisfies NetworkOptions;



/**
 * train()'s options for his update over `rows` rows with L2 strength `lambda` (his λ by default): one
 * batch of all the rows at η 0.1, weightDecay λ/n on the weights only, in row order (with one batch
 * the order changes nothing but the rounding of the sum). The depth and plateau studies train so.
 */
export function nielsenTraining(rows: number, lambda: number = NIELSEN_TRAINING.lambda): Pick<TrainOptions, 'batchSize' | 'learningRate' | 'optimizer' | 'shuffle'> {
  return { batchSize: rows, learningRate: NIELSEN_TRAINING.learningRate, optimizer: { name: 'sgd', weightDecay: nielsenWeightDecay(rows, lambda), decayBiases: false }, shuffle: false };
}

/** Nielsen's L2 strength λ over `rows` rows as train()'s per-step weight decay on the weights: λ/n. */
export const nielsenWeightDecay = (rows: number, lambda: number): number => lambda / rows;

/**
 * The largest λ Nielsen's update takes over `rows` rows (default DEPTH_ROWS): beyond it the decay
 * factor 1 − η·λ/n is below 0, so each step flips the weights' sign, and from 2n/η on grows them
 * without bound (λ = 1e300 gave a DIVERGED that blamed no option). The library's check and the
 * --lambda flags read it.
 */
export function nielsenLambdaBound(rows: number = DEPTH_ROWS): Bound {
  const { learningRate } = NIELSEN_TRAINING;
  return { max: rows / learningRate, why: `beyond it the weight decay factor 1 − ηλ/n (η = ${givenFloat32Text(learningRate)}, n = ${rows} digits) is below 0: each step would flip the weights' sign` };
}

/** The first seed measured at initialisation: the seeds are DEPTH_FIRST_SEED, DEPTH_FIRST_SEED + 1, … (--seeds of them). */
export const DEPTH_FIRST_SEED = 1;

/** The seed of each network's training (Nielsen's training is one run per network). */
export const DEPTH_TRAINING_SEED = 1;

/** Seeds at initialisation by default: enough for a median and a range of the per-seed ratios. */
export const DEPTH_SEEDS = 20;

/**
 * First ÷ last hidden ‖∂C/∂b‖ in Nielsen's own recorded runs (fig/norms_during_training_{2,3,4}_layers.json
 * in mnielsen/neural-networks-and-deep-learning): one network each, at epoch 0 and at epoch 499.
 * Indexed like DEPTH_NETWORKS; the one-hidden-layer network has no ratio.
 */
export const NIELSEN_RATIOS: readonly ({ start: number; end: number } | null)[] = [
  null,
  { start: 0.0657 / 0.309, end: 0.00343 / 0.00963 },
  { start: 0.0118 / 0.283, end: 8.56e-5 / 1.26e-3 },
  { start: 0.00298 / 0.285, end: 8.21e-6 / 9.25e-4 },
];

/** Options of runDepthStudy, each with its default. */
export interface DepthStudyOptions {
  /** Seeds 1..seeds at initialisation, at most 1,000 (default 20). */
  seeds?: number;
  /** Full-batch gradient-descent epochs (= steps) of the training part; 0 skips it (default 500, Nielsen's; at most 10,000). */
  epochs?: number;
  /**
   * Nielsen's L2 parameter λ (default 5): weight decay λ/n on the weights, none on the biases.
   * 0 trains without regularisation, which is not his set-up: on the plateau the deep networks
   * reach, every layer's gradient then falls towards the same floor and first ÷ last climbs towards 1.
   * At most nielsenLambdaBound().max = 10,000.
   */
  lambda?: number;
  /** Trace every k-th epoch, and the last (default 1: every epoch, as he records). */
  every?: number;
  /** Called after each training epoch with the network's index (0: one hidden layer, to 3: four), the epochs it has trained and its epochs in all (default: none). */
  onProgress?: (network: number, epoch: number, epochs: number) => void;
}

/** One network of the depth study: its gradients at initialisation over the seeds, and its training. */
export interface DepthNetworkResult {
  /** Units per layer, input first (784 inputs, one to four hidden layers of 30, 10 outputs). */
  sizes: number[];
  /** ‖∂C/∂b‖ per hidden layer at initialisation, first to last: mean over the seeds. */
  biasGradNorms: number[];
  /** The standard deviation over the seeds of each hidden layer's ‖∂C/∂b‖. */
  biasGradNormsStd: number[];
  /** Per seed, the same norms. */
  perSeed: number[][];
  /** Per seed, first ÷ last hidden layer's ‖∂C/∂b‖ at initialisation. */
  seedRatios: number[];
  /** Nielsen's training with seed 1 (absent with epochs 0). */
  training?: {
    /** The training's trace (its TraceOptions.every is the option `every`). */
    trace: Trace;
    /** diagnose() of that trace. */
    diagnosis: Diagnosis;
    /** Cross-entropy on the 1,000 digits (without the L2 term) before training. */
    initialLoss: number;
    /** The same cross-entropy after training. */
    finalLoss: number;
    /** Accuracy on the held-out test digits after training, a fraction. */
    testAccuracy: number;
    /** Wall-clock seconds of the training (moves with the machine's load: not a speed measurement). */
    seconds: number;
  };
}

/** What runDepthStudy measured, with the set-up it ran. */
export interface DepthStudyResult {
  /** Training digits the gradients are measured on and trained on (Nielsen's first 1,000). */
  rows: number;
  /** Seeds 1..seeds measured at initialisation. */
  seeds: number;
  /** Epochs of Nielsen's training per network (0: none). */
  epochs: number;
  /** Full-batch gradient descent's η. */
  learningRate: number;
  /** Nielsen's L2 parameter λ (weight decay λ/n on the weights). */
  lambda: number;
  /** One result per network, one to four hidden layers of 30, shallowest first. */
  networks: DepthNetworkResult[];
}

/** Study (a), Nielsen's vanishing-gradient experiment (see the module comment): per depth, ‖∂C/∂b‖ per hidden layer at initialisation and over training. */
export async function runDepthStudy(options: DepthStudyOptions = {}): Promise<DepthStudyResult> {
  checkKnownKeys(options, keysOf<DepthStudyOptions>({ seeds: true, epochs: true, lambda: true, every: true, onProgress: true }), 'runDepthStudy');
  const seeds = checkAtMost(checkNumber(options.seeds, 'depth study: seeds', { min: 1, integer: true }, DEPTH_SEEDS), 'depth study: seeds', DEPTH_SEEDS_BOUND);
  const epochs = checkAtMost(checkNumber(options.epochs, 'depth study: epochs', { min: 0, integer: true }, NIELSEN_TRAINING.epochs), 'depth study: epochs', NIELSEN_EPOCHS_BOUND);
  const every = checkNumber(options.every, 'depth study: every', { min: 1, integer: true }, 1);
  checkCallback(options.onProgress, 'depth study: onProgress');
  const lambda = checkFloat32(checkAtMost(checkNumber(options.lambda, 'depth study: lambda', { min: 0 }, NIELSEN_TRAINING.lambda), 'depth study: lambda', nielsenLambdaBound()), 'depth study: lambda', DEPTH_ROWS);
  // Only the digits used: the first DEPTH_ROWS training digits, and the test digits when there is training to test.
  const digits = await loadMnist({ take: { train: DEPTH_ROWS, ...(epochs === 0 && { test: 0 }) } });
  const rows = digits.train;
  // Uploaded once: every network's gradients, training and evaluations read them in place.
  const probe = await createDataset(rows.x, rows.y);
  let test: Dataset | undefined;
  const networks: DepthNetworkResult[] = [];
  try {
    if (epochs > 0) test = await createDataset(digits.test.x, digits.test.y);
    for (const [index, sizes] of DEPTH_NETWORKS.entries()) {
      const perSeed: number[][] = [];
      for (let seed = DEPTH_FIRST_SEED; seed < DEPTH_FIRST_SEED + seeds; seed++) {
        const net = await createNetwork({ sizes, seed, ...DEPTH_NETWORK_OPTIONS });
        perSeed.push(net.gradients(probe).layers.slice(0, -1).map((layer) => layer.biasNorm));
        net.dispose();
      }
      const hidden = sizes.length - 2;
      const mean = Array.from({ length: hidden }, (_, l) => perSeed.reduce((s, norms) => s + norms[l], 0) / seeds);
      const std = Array.from({ length: hidden }, (_, l) => Math.sqrt(perSeed.reduce((s, norms) => s + (norms[l] - mean[l]) ** 2, 0) / Math.max(1, seeds - 1)));
      const seedRatios = perSeed.map(firstToLast);
      const result: DepthNetworkResult = { sizes, biasGradNorms: mean, biasGradNormsStd: std, perSeed, seedRatios };
      if (test) {
        const net = await createNetwork({ sizes, seed: DEPTH_TRAINING_SEED, ...DEPTH_NETWORK_OPTIONS });
        const started = performance.now();
        const initialLoss = net.evaluate(probe).loss;
        net.train(probe, {
          epochs,
          ...nielsenTraining(probe.rows, lambda),
          // One step per epoch (a full batch), counted from 1: the last epoch's is recorded whatever the grid of `every`.
          trace: { every, extraSteps: [epochs], histogramSteps: [1, epochs] },
          onEpoch: ({ epoch }) => options.onProgress?.(index, epoch, epochs),
        });
        const seconds = (performance.now() - started) / 1000;
        const trace = net.trace!;
        result.training = {
          trace,
          diagnosis: diagnose(trace),
          initialLoss,
          finalLoss: net.evaluate(probe).loss,
          testAccuracy: net.evaluate(test).accuracy,
          seconds,
        };
        net.dispose();
      }
      networks.push(result);
    }
  } finally {
    probe.dispose();
    test?.dispose();
  }
  return { rows: DEPTH_ROWS, seeds, epochs, learningRate: NIELSEN_TRAINING.learningRate, lambda, networks };
}

/** The median and the range of `values`, NaN entries left out (as median leaves them out). */
export function spread(values: readonly number[]): { median: number; min: number; max: number } {
  const measured = values.filter((v) => !Number.isNaN(v));
  return { median: median(measured), min: Math.min(...measured), max: Math.max(...measured) };
}

export function firstRows(x: Matrix, y: Matrix, rows: number): { x: Matrix; y: Matrix } {
  const n = Math.min(rows, x.rows);
  return {
    x: { data: x.data.subarray(0, n * x.cols), rows: n, cols: x.cols },
    y: { data: y.data.subarray(0, n * y.cols), rows: n, cols: y.cols },
  };
}

/**
 * The epoch a record of the study's training trace belongs to: one full-batch step per epoch, and a
 * trace records step s (1 = the first) at the weights before its update, so step s is the start of
 * epoch s − 1 (0-based: epoch e is the state after e epochs). The last of 500 epochs' records is
 * step 500, epoch 499; the weights after the 500th update are never traced (finalLoss is theirs).
 */
export const epochOfStep = (step: number): number => step - 1;

/**
 * ‖∂C/∂b‖ per hidden layer at the start of each traced epoch (before that epoch's update, as
 * Nielsen records them), first hidden layer first.
 */
export function trainingNorms(trace: Trace): { epochs: number[]; biasGradNorms: number[][] } {
  const hidden = trace.layers - 1;
  const epochs = Array.from(trace.steps, epochOfStep);
  const biasGradNorms = epochs.map((_, r) => Array.from({ length: hidden }, (_, l) => trace.at('biasGradNorm', r, l)));
  return { epochs, biasGradNorms };
}

/** First ÷ last hidden layer of one record's norms. */
export function firstToLast(norms: readonly number[]): number {
  return norms[0] / norms[norms.length - 1];
}
