/**
 * Study (a), the classic vanishing-gradient experiment (Nielsen, ch. 5) on the bundled MNIST digits:
 * sigmoid networks of 1 to 4 hidden layers of 30, sigmoid outputs with binary cross-entropy, weights
 * N(0, 1/n_in), biases N(0, 1). ‖∂C/∂b‖ of each hidden layer for the batch of the first 1,000
 * training digits at initialisation (over several seeds), then along full-batch gradient descent on
 * those digits.
 */
import type { Matrix } from '../data/matrix.js';
import { loadMnist } from '../data/mnist.js';
import type { NetworkOptions } from '../network/config.js';
import { createNetwork } from '../api/network.js';
import { diagnose, type Diagnosis } from '../flow/diagnose.js';
import type { Trace } from '../flow/trace.js';

export const DEPTH_NETWORKS = [
  [784, 30, 10],
  [784, 30, 30, 10],
  [784, 30, 30, 30, 10],
  [784, 30, 30, 30, 30, 10],
];

/** Nielsen's setup: sigmoid units, weights N(0, 1/n_in) ('lecun-normal'), biases N(0, 1). */
export const DEPTH_NETWORK_OPTIONS = {
  activation: 'sigmoid',
  output: 'sigmoid',
  loss: 'binary-cross-entropy',
  init: 'lecun-normal',
  biasInit: { name: 'normal', std: 1 },
} as const satisfies NetworkOptions;

/** The batch the norms are measured on, and trained on: the first 1,000 training digits. */
export const DEPTH_ROWS = 1000;
export const DEPTH_LEARNING_RATE = 0.1;

export interface DepthStudyOptions {
  /** Seeds averaged at initialisation (default 5: 1..5). */
  seeds?: number;
  /** Full-batch gradient-descent epochs (= steps) for the training part; 0 skips it (default 300). */
  epochs?: number;
  /** Trace every k-th epoch (default: about 30 records per run). */
  every?: number;
  onProgress?: (network: number, epoch: number, epochs: number) => void;
}

export interface DepthNetworkResult {
  sizes: number[];
  /** ‖∂C/∂b‖ per hidden layer, first to last: mean over the seeds, and standard deviation. */
  biasGradNorms: number[];
  biasGradNormsStd: number[];
  /** Per seed, the same norms. */
  perSeed: number[][];
  /** Full-batch gradient descent with seed 1 (absent with epochs 0). */
  training?: {
    trace: Trace;
    diagnosis: Diagnosis;
    /** Loss on the 1,000 digits before and after, and accuracy on the held-out test digits after. */
    initialLoss: number;
    finalLoss: number;
    testAccuracy: number;
    seconds: number;
  };
}

export interface DepthStudyResult {
  rows: number;
  seeds: number;
  epochs: number;
  learningRate: number;
  networks: DepthNetworkResult[];
}

export async function runDepthStudy(options: DepthStudyOptions = {}): Promise<DepthStudyResult> {
  const seeds = options.seeds ?? 5;
  const epochs = options.epochs ?? 300;
  const every = options.every ?? Math.max(1, Math.round(epochs / 30));
  const digits = await loadMnist();
  const probe = firstRows(digits.train.x, digits.train.y, DEPTH_ROWS);
  const networks: DepthNetworkResult[] = [];
  for (const [index, sizes] of DEPTH_NETWORKS.entries()) {
    const perSeed: number[][] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const net = await createNetwork({ sizes, seed, ...DEPTH_NETWORK_OPTIONS });
      perSeed.push(net.gradients(probe.x, probe.y).layers.slice(0, -1).map((layer) => layer.biasNorm));
      net.dispose();
    }
    const hidden = sizes.length - 2;
    const mean = Array.from({ length: hidden }, (_, l) => perSeed.reduce((s, norms) => s + norms[l], 0) / seeds);
    const std = Array.from({ length: hidden }, (_, l) => Math.sqrt(perSeed.reduce((s, norms) => s + (norms[l] - mean[l]) ** 2, 0) / Math.max(1, seeds - 1)));
    const result: DepthNetworkResult = { sizes, biasGradNorms: mean, biasGradNormsStd: std, perSeed };
    if (epochs > 0) {
      const net = await createNetwork({ sizes, seed: 1, ...DEPTH_NETWORK_OPTIONS });
      const started = performance.now();
      const initialLoss = net.evaluate(probe.x, probe.y).loss;
      net.train(probe.x, probe.y, {
        epochs,
        batchSize: DEPTH_ROWS,
        learningRate: DEPTH_LEARNING_RATE,
        shuffle: false,
        trace: { every, histogramSteps: [1, 1 + every * Math.floor((epochs - 1) / every)] },
        onEpoch: ({ epoch }) => options.onProgress?.(index, epoch + 1, epochs),
      });
      const seconds = (performance.now() - started) / 1000;
      const trace = net.trace!;
      result.training = {
        trace,
        diagnosis: diagnose(trace),
        initialLoss,
        finalLoss: net.evaluate(probe.x, probe.y).loss,
        testAccuracy: net.evaluate(digits.test.x, digits.test.y).accuracy,
        seconds,
      };
      net.dispose();
    }
    networks.push(result);
  }
  return { rows: DEPTH_ROWS, seeds, epochs, learningRate: DEPTH_LEARNING_RATE, networks };
}

export function firstRows(x: Matrix, y: Matrix, rows: number): { x: Matrix; y: Matrix } {
  const n = Math.min(rows, x.rows);
  return {
    x: { data: x.data.subarray(0, n * x.cols), rows: n, cols: x.cols },
    y: { data: y.data.subarray(0, n * y.cols), rows: n, cols: y.cols },
  };
}
