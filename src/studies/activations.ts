/**
 * Study (b), Glorot & Bengio (2010) scaled to this machine: 5 hidden layers (default 256 wide),
 * softmax output, sigmoid / tanh / softsign / relu × standard init U[−1/√n, 1/√n] / normalised
 * init (glorot-uniform) / he-normal, trained for the same budget on the bundled MNIST digits.
 * Per run: Glorot & Bengio's own measure of each hidden layer over training (the mean activation,
 * its 98th percentile, and the fraction saturated by value, within 0.01 of the activation's limits),
 * dead units for relu, histograms of back-propagated gradients at the first and the last traced
 * step, test error after the budget, and the diagnosis.
 */
import { GradscopeError } from '../errors.js';
import { loadMnist } from '../data/mnist.js';
import type { WeightInitName } from '../init/initializers.js';
import type { Activation } from '../kernels.js';
import { createNetwork } from '../api/network.js';
import { diagnose, type Diagnosis } from '../flow/diagnose.js';
import type { Trace } from '../flow/trace.js';

export const STUDY_ACTIVATIONS: Activation[] = ['sigmoid', 'tanh', 'softsign', 'relu'];
export const STUDY_INITS: { name: WeightInitName; label: string }[] = [
  { name: 'standard', label: 'standard U[−1/√n, 1/√n]' },
  { name: 'glorot-uniform', label: 'normalised (glorot-uniform)' },
  { name: 'he-normal', label: 'he-normal' },
];
export const ACTIVATIONS_HIDDEN_LAYERS = 5;

export interface ActivationStudyOptions {
  width?: number;
  epochs?: number;
  trainRows?: number;
  testRows?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  /** Records per run (default 20). */
  records?: number;
  activations?: Activation[];
  inits?: WeightInitName[];
  onRun?: (label: string, done: number, total: number) => void;
}

/**
 * Glorot & Bengio's (2010, figures 2–4) view of a run, `[record][hidden layer]`: the mean activation
 * over batch and units, its 98th percentile, and the fraction of activations within 0.01 of the
 * activation's limits (sigmoid 0 and 1, tanh and softsign ±1; NaN for relu, which has no upper
 * limit: see the trace's deadFraction instead).
 */
export interface ActivationProfile {
  steps: number[];
  mean: number[][];
  p98: number[][];
  saturated: number[][];
}

export function activationProfile(trace: Trace): ActivationProfile {
  const hidden = trace.layers - 1;
  const rows = (metric: 'activationMean' | 'activationP98' | 'saturatedFraction') =>
    Array.from({ length: trace.length }, (_, r) => Array.from(trace.row(metric, r).subarray(0, hidden)));
  return { steps: Array.from(trace.steps), mean: rows('activationMean'), p98: rows('activationP98'), saturated: rows('saturatedFraction') };
}

export interface ActivationRun {
  activation: Activation;
  init: WeightInitName;
  label: string;
  /** Test error after the budget; NaN if training diverged. */
  testError: number;
  trainLoss: number;
  seconds: number;
  diverged?: string;
  trace?: Trace;
  /** Glorot & Bengio's measure of the hidden layers over training (from the trace). */
  profile?: ActivationProfile;
  diagnosis?: Diagnosis;
}

export interface ActivationStudyResult {
  sizes: number[];
  epochs: number;
  trainRows: number;
  testRows: number;
  batchSize: number;
  learningRate: number;
  runs: ActivationRun[];
}

/** Study (b), Glorot & Bengio's activation × initialisation grid (see the module comment): one traced, diagnosed run per pair. */
export async function runActivationStudy(options: ActivationStudyOptions = {}): Promise<ActivationStudyResult> {
  const width = options.width ?? 256;
  const epochs = options.epochs ?? 2;
  const batchSize = options.batchSize ?? 10;
  const learningRate = options.learningRate ?? 0.05;
  const digits = await loadMnist({ train: options.trainRows ?? 9000, test: options.testRows ?? 1000 });
  const sizes = [784, ...Array(ACTIVATIONS_HIDDEN_LAYERS).fill(width), 10];
  const steps = epochs * Math.ceil(digits.train.x.rows / batchSize);
  const every = Math.max(1, Math.floor(steps / (options.records ?? 20)));
  const lastTraced = 1 + every * Math.floor((steps - 1) / every);
  const activations = options.activations ?? STUDY_ACTIVATIONS;
  const inits = options.inits ?? STUDY_INITS.map((i) => i.name);
  const runs: ActivationRun[] = [];
  for (const activation of activations) {
    for (const init of inits) {
      const label = `${activation} + ${init}`;
      options.onRun?.(label, runs.length, activations.length * inits.length);
      const net = await createNetwork({ sizes, activation, output: 'softmax', loss: 'cross-entropy', init, seed: options.seed ?? 1 });
      const started = performance.now();
      const run: ActivationRun = { activation, init, label, testError: NaN, trainLoss: NaN, seconds: 0 };
      try {
        const result = net.train(digits.train.x, digits.train.y, {
          epochs,
          batchSize,
          learningRate,
          // The percentile on every record: Glorot & Bengio follow it over the whole of training.
          trace: { every, refreshEvery: 1, histogramSteps: [1, lastTraced] },
        });
        run.trainLoss = result.epochs[result.epochs.length - 1].loss;
        run.testError = 1 - net.evaluate(digits.test.x, digits.test.y).accuracy;
      } catch (error) {
        if (!(error instanceof GradscopeError) || error.code !== 'DIVERGED') throw error;
        run.diverged = error.message;
      }
      run.seconds = (performance.now() - started) / 1000;
      if (net.trace && net.trace.length > 0) {
        run.trace = net.trace;
        run.profile = activationProfile(net.trace);
        run.diagnosis = diagnose(net.trace);
      }
      net.dispose();
      runs.push(run);
    }
  }
  return { sizes, epochs, trainRows: digits.train.x.rows, testRows: digits.test.x.rows, batchSize, learningRate, runs };
}
