/**
 * Study (b), Glorot & Bengio (2010) scaled to this machine: 5 hidden layers (default 256 wide),
 * softmax output, sigmoid / tanh / softsign / relu × standard init U[−1/√n, 1/√n] / normalised
 * init (glorot-uniform) / he-normal, trained for the same budget on the MNIST digits of loadMnist.
 * Per run: Glorot & Bengio's own measure of each hidden layer over training (the mean activation,
 * its 98th percentile, and the fraction saturated by value, within 0.01 of the activation's limits),
 * dead units for relu, histograms of back-propagated gradients at the first and the last step (the
 * last full batch's, where the last batch is short), test error after the budget, and the diagnosis.
 */
import { checkCallback, checkChoice, checkDistinctList, checkSeed, checkKnownKeys, checkPositive, checkWhole, keysOf } from '../checks.js';
import { checkModelLimits } from '../model-limits.js';
import { GradscopeError, invalidOption, shownArgument } from '../errors.js';
import { WEIGHT_INITS, type WeightInitName } from '../init/initializers.js';
import { ACTIVATIONS, type Activation } from '../kernels.js';
import { createNetwork } from '../api/network.js';
import { createDataset } from '../api/dataset.js';
import type { Dataset } from '../training/dataset.js';
import { callEndSteps } from '../training/call-end-steps.js';
import { diagnose, type Diagnosis } from '../flow/diagnose.js';
import { Trace } from '../flow/trace.js';
import { ACTIVATION_EPOCHS_BOUND, WIDTH_BOUND } from './study-bounds.js';
import { loadStudyDigits } from './study-digits.js';
import { ACTIVATIONS_DEFAULTS, STUDY_SEED } from './study-defaults.js';

export const STUDY_ACTIVATIONS: Activation[] = ['sigmoid', 'tanh', 'softsign', 'relu'];
export const STUDY_INITS: { name: WeightInitName; label: string }[] = [
  { name: 'standard', label: 'standard U[−1/√n, 1/√n]' },
  { name: 'glorot-uniform', label: 'normalised (glorot-uniform)' },
  { name: 'he-normal', label: 'he-normal' },
];
export const ACTIVATIONS_HIDDEN_LAYERS = 5;

/** The sizes of the study's networks for hidden layers of `width` units: 784 inputs, 5 hidden layers, 10 outputs. */
export function activationSizes(width: number): number[] {
  return [784, ...Array<number>(ACTIVATIONS_HIDDEN_LAYERS).fill(width), 10];
}

/** Options of runActivationStudy; every field is optional. */
export interface ActivationStudyOptions {
  /** Units in each hidden layer (default 256; the network within MODEL_LIMITS). */
  width?: number;
  /** Epochs per run (default 2, at most 100). */
  epochs?: number;
  /** Training digits (default 9,000). */
  trainRows?: number;
  /** Test digits (default 1,000). */
  testRows?: number;
  /** Rows per mini-batch (default 10). */
  batchSize?: number;
  /** SGD's learning rate, a finite number > 0 (default 0.05). */
  learningRate?: number;
  /** Seed of every network, an integer (default 1). */
  seed?: number;
  /**
   * Trace records per run, evenly spaced from the first step, at most one per step (default 20);
   * the run's last step is recorded beside them (and the last full batch's, where the last batch is short).
   */
  records?: number;
  /** Hidden activations to try, each once (default sigmoid, tanh, softsign, relu). */
  activations?: Activation[];
  /** Initialisations to try, each once (default standard, glorot-uniform, he-normal). */
  inits?: WeightInitName[];
  /**
   * Called before each run with its label, the runs done and the total, and once more when the last
   * run is done (its label, done = total): a progress bar fed by it ends at 100 %, not at the start of
   * the last run (11 of 12: 92 %). Default: none.
   */
  onRun?: (label: string, done: number, total: number) => void;
}

/**
 * Glorot & Bengio's (2010, figures 2–4) view of a run, `[record][hidden layer]`: the mean activation
 * over batch and units, its 98th percentile, and the fraction of activations within 0.01 of the
 * activation's limits (sigmoid 0 and 1, tanh and softsign ±1; NaN for relu, which has no upper
 * limit: see the trace's deadFraction instead).
 */
export interface ActivationProfile {
  /** The network step of each record. */
  steps: number[];
  /** Mean activation, `[record][hidden layer]`. */
  mean: number[][];
  /** Standard deviation of the activations, `[record][hidden layer]` (Glorot & Bengio's Figure 2 bars, Figure 3 lines). */
  std: number[][];
  /** 98th percentile of the activations, `[record][hidden layer]`. */
  p98: number[][];
  /** Saturated fraction, `[record][hidden layer]` (NaN for relu). */
  saturated: number[][];
}

/** Glorot & Bengio's measure of a trace's hidden layers (see ActivationProfile). */
export function activationProfile(trace: Trace): ActivationProfile {
  if (!(trace instanceof Trace)) throw invalidOption(`activationProfile: expected a Trace (a traced run's net.trace), got ${shownArgument(trace)}`);
  const hidden = trace.layers - 1;
  const rows = (metric: 'activationMean' | 'activationStd' | 'activationP98' | 'saturatedFraction') =>
    Array.from({ length: trace.length }, (_, r) => Array.from(trace.row(metric, r).subarray(0, hidden)));
  return { steps: Array.from(trace.steps), mean: rows('activationMean'), std: rows('activationStd'), p98: rows('activationP98'), saturated: rows('saturatedFraction') };
}

/** One activation × initialisation run of the study. */
export interface ActivationRun {
  /** The hidden layers' activation. */
  activation: Activation;
  /** The weight initialisation. */
  init: WeightInitName;
  /** `activation + init`, as tables show it. */
  label: string;
  /** Test error after the budget; NaN if training diverged. */
  testError: number;
  /** Mean batch loss of the last epoch; NaN if training diverged. */
  trainLoss: number;
  /** Wall-clock time of the run, in seconds. */
  seconds: number;
  /** The DIVERGED error's message, when training diverged. */
  diverged?: string;
  /** The run's gradient-flow trace (absent when nothing was recorded). */
  trace?: Trace;
  /** Glorot & Bengio's measure of the hidden layers over training (from the trace). */
  profile?: ActivationProfile;
  /** diagnose(trace). */
  diagnosis?: Diagnosis;
}

/** What runActivationStudy returns: the settings used and one run per activation × initialisation. */
export interface ActivationStudyResult {
  /** Units per layer. */
  sizes: number[];
  /** Epochs per run. */
  epochs: number;
  /** Training digits. */
  trainRows: number;
  /** Test digits. */
  testRows: number;
  /** Rows per mini-batch. */
  batchSize: number;
  /** SGD's learning rate. */
  learningRate: number;
  /** The runs, activation by activation, each over the initialisations. */
  runs: ActivationRun[];
}

const STUDY = 'activations study';

/**
 * The study's options checked before any work (INVALID_OPTION naming the option as
 * 'activations study: <option>'), with ACTIVATIONS_DEFAULTS: the networks' width and seed, SGD's
 * settings and the grid, which createNetwork and train() would otherwise refuse in their own terms
 * (or, for a width past MODEL_LIMITS, after the digits have loaded).
 */
function checkActivationStudySetup(options: ActivationStudyOptions) {
  const width = checkWhole(options.width ?? ACTIVATIONS_DEFAULTS.width, `${STUDY}: width`, 1, WIDTH_BOUND);
  checkModelLimits(activationSizes(width), `${STUDY}: width ${width}`);
  return {
    width,
    seed: checkSeed(options.seed ?? STUDY_SEED, `${STUDY}: seed`),
    epochs: checkWhole(options.epochs ?? ACTIVATIONS_DEFAULTS.epochs, `${STUDY}: epochs`, 1, ACTIVATION_EPOCHS_BOUND),
    batchSize: checkWhole(options.batchSize ?? ACTIVATIONS_DEFAULTS.batchSize, `${STUDY}: batchSize`, 1),
    learningRate: checkPositive(options.learningRate ?? ACTIVATIONS_DEFAULTS.learningRate, `${STUDY}: learningRate`),
    records: checkWhole(options.records ?? ACTIVATIONS_DEFAULTS.records, `${STUDY}: records`, 1),
    activations: checkDistinctList(options.activations ?? STUDY_ACTIVATIONS, `${STUDY}: activations`, 'activations', (a, i) => checkChoice(a, ACTIVATIONS, `${STUDY}: activations[${i}]`)),
    inits: checkDistinctList(options.inits ?? STUDY_INITS.map((i) => i.name), `${STUDY}: inits`, 'initialisations', (init, i) => checkChoice(init, WEIGHT_INITS, `${STUDY}: inits[${i}]`)),
  };
}

/** The init of the study's run whose relu network the other runs' switch to relu reads (diagnose()'s sameSetupRelu): He's, which the switch carries. */
const SAME_SETUP_RELU_INIT = 'he-normal';

/**
 * The runs of other activations diagnosed again beside the study's relu + he-normal run, where it trained to its end (diagnose()'s
 * sameSetupRelu): the same network, rows, batches, epochs and rate, so where it held their switch to relu keeps the study's rate,
 * where the digits' row would lower it to its careful bound (0.002 for plain SGD, where the study's 0.05 ended higher). A run that
 * diverged trained fewer epochs, and keeps its diagnosis.
 */
function offerSameSetupRelu(runs: ActivationRun[], accuracies: readonly number[]): void {
  const relu = runs.find((r) => r.activation === 'relu' && r.init === SAME_SETUP_RELU_INIT);
  if (relu?.trace === undefined || relu.diverged !== undefined) return;
  for (const run of runs) {
    if (run.activation === 'relu' || run.trace === undefined || run.diverged !== undefined) continue;
    run.diagnosis = diagnose(run.trace, { sameSetupRelu: { trace: relu.trace, accuracies } });
  }
}

/** Study (b), Glorot & Bengio's activation × initialisation grid (see the module comment): one traced, diagnosed run per pair. */
export async function runActivationStudy(options: ActivationStudyOptions = {}): Promise<ActivationStudyResult> {
  checkKnownKeys(
    options,
    keysOf<ActivationStudyOptions>({ width: true, epochs: true, trainRows: true, testRows: true, batchSize: true, learningRate: true, seed: true, records: true, activations: true, inits: true, onRun: true }),
    'runActivationStudy',
  );
  const { width, epochs, batchSize, learningRate, records, seed, activations, inits } = checkActivationStudySetup(options);
  checkCallback(options.onRun, 'activations study: onRun');
  const digits = await loadStudyDigits(options.trainRows, options.testRows);
  const sizes = activationSizes(width);
  // The run's end, which the grid of `every` misses unless it divides steps − 1: the last step, and the last full batch's where
  // the epoch's last batch is short (what the study reads as the end: Trace.lastFullBatchRecord). A fresh network starts at step 0.
  const { last: steps, lastFull } = callEndSteps(0, epochs, digits.train.x.rows, batchSize)!;
  const every = Math.max(1, Math.floor(steps / records));
  const runs: ActivationRun[] = [];
  const total = activations.length * inits.length;
  // The relu + he-normal run's test accuracy after each epoch: how the relu rate grid reads a network's end (sameSetupRelu).
  const reluAccuracies: number[] = [];
  // Uploaded once: every run trains and is scored on the same rows, which then copy nothing.
  const train = await createDataset(digits.train.x, digits.train.y);
  let test: Dataset | undefined;
  try {
    test = await createDataset(digits.test.x, digits.test.y);
    for (const activation of activations) {
      for (const init of inits) {
        const label = `${activation} + ${init}`;
        options.onRun?.(label, runs.length, total);
        const net = await createNetwork({ sizes, activation, output: 'softmax', loss: 'cross-entropy', init, seed });
        const started = performance.now();
        const run: ActivationRun = { activation, init, label, testError: NaN, trainLoss: NaN, seconds: 0 };
        const sameSetupRelu = activation === 'relu' && init === SAME_SETUP_RELU_INIT;
        try {
          const result = net.train(train, {
            epochs,
            batchSize,
            learningRate,
            // The percentile on every record: Glorot & Bengio follow it over the whole of training.
            trace: { every, extraSteps: [lastFull, steps], refreshEvery: 1, histogramSteps: [1, lastFull] },
            ...(sameSetupRelu && { onEpoch: () => void reluAccuracies.push(net.evaluate(test!).accuracy) }),
          });
          run.trainLoss = result.epochs[result.epochs.length - 1].loss;
          run.testError = 1 - net.evaluate(test).accuracy;
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
    options.onRun?.(runs[runs.length - 1].label, runs.length, total);
    offerSameSetupRelu(runs, reluAccuracies);
  } finally {
    train.dispose();
    test?.dispose();
  }
  return { sizes, epochs, trainRows: digits.train.x.rows, testRows: digits.test.x.rows, batchSize, learningRate, runs };
}
