/**
 * Martens' headline (2010): a deep sigmoid autoencoder trained from a plain random initialisation,
 * no layer-wise pretraining, by Hessian-free, against first-order methods given the same
 * time (or the same steps, which replay: study-budget.ts). The reconstruction error (squared error per image, summed over pixels, as Martens reports
 * it) is sampled over training time; the clock stops while the curve is measured. The clock is this
 * process's CPU time (budget-clock.ts; the wall clock where process is absent; the training runs on one
 * thread), which other jobs on a shared machine shrink less than the wall clock, but not alike for every
 * optimiser (the remedies study's figures, remedies.ts): compare them on a quiet machine.
 */
import { checkCallback, checkChoice, checkDistinctList, checkSeed, checkKnownKeys, checkUnits, checkWhole, keysOf, type Bound } from '../checks.js';
import { checkModelLimits } from '../model-limits.js';
import type { BackendChoice } from '../backend.js';
import { MNIST_PIXELS } from '../data/mnist.js';
import { loadStudyDigits } from './study-digits.js';
import { clockSeconds } from '../budget-clock.js';
import { AUTOENCODER_DEFAULTS, STUDY_SEED, TRAIN_ERROR_ROWS } from './study-defaults.js';
import { AUTOENCODER_POINTS_BOUND } from './study-bounds.js';
import { checkStudyBudget, type StudyBudget } from './study-budget.js';
import { matrixRows, type Matrix } from '../data/matrix.js';
import { GradscopeError, invalidOption, shown } from '../errors.js';
import type { WeightInit } from '../init/initializers.js';
import { createNetwork, type Network } from '../api/network.js';
import type { Dataset } from '../training/dataset.js';
import { HESSIAN_FREE_DEFAULTS, HessianFree, type HessianFreeOptions, type HessianFreeReport } from '../optim/hessian-free.js';
import { findOptimizer } from '../optim/index.js';
import { ADAM_DEFAULTS, HESSIAN_FREE_BATCH } from '../optimizer-defaults.js';
import { curvatureRows } from '../optim/gauss-newton.js';
import type { Optimizer } from '../optim/optimizer.js';
import { sizesList } from '../layer-runs.js';

/** The clock of the training seconds: this process's CPU time (the wall clock where process is absent). */
export const AUTOENCODER_CLOCK = 'cpu';
const cpuNow = clockSeconds(AUTOENCODER_CLOCK);

/** Hinton & Salakhutdinov's MNIST autoencoder shape, scaled down to train in minutes on a CPU. */
export const AUTOENCODER_SIZES = [784, 256, 128, 64, 16, 64, 128, 256, 784] as const;
/**
 * Martens' own initialisation for this experiment (15 N(0, 1) weights into each unit, biases 0).
 * With U[±1/√n_in] the units sit in the sigmoid's linear middle, the code layer sees almost nothing
 * of the input, and Hessian-free spent 240 s on the mean-digit plateau (docs/second-order.md).
 */
export const AUTOENCODER_INIT: WeightInit = { name: 'sparse' };

export type AutoencoderLoss = (typeof AUTOENCODER_LOSSES)[number];
/** The losses the study trains with (default binary-cross-entropy). */
export const AUTOENCODER_LOSSES = ['binary-cross-entropy', 'mse'] as const;

/** Options of runAutoencoderStudy; every field is optional. */
export interface AutoencoderStudyOptions {
  /** Units per layer, 784 at both ends (default AUTOENCODER_SIZES). */
  sizes?: readonly number[];
  /** Default 'binary-cross-entropy' (Martens' objective for MNIST); sigmoid output either way. */
  loss?: AutoencoderLoss;
  /** Training time per optimiser, in CPU seconds of this process (default 30, at most 3,600); not with `steps`. */
  seconds?: number;
  /**
   * Optimiser steps per optimiser, instead of `seconds` (default: none, `seconds` is the budget; at most 1,000,000): the load
   * moves how many steps a CPU second buys, not what a step does, so a run of the same seed and steps replays.
   */
  steps?: number;
  /** Training digits (default 3000). */
  trainRows?: number;
  /** Held-out digits for the test error (default 500). */
  testRows?: number;
  /** Points on each curve (default 10, or the steps where a budget of steps has fewer; plus the start; at most 1,000); under a budget of steps at most the steps, each point after a step of its own. */
  points?: number;
  /** Which optimisers, by name, each once (default hessian-free, adam, sgd-momentum). */
  optimizers?: readonly string[];
  /** Seed of every network (default 1): each optimiser starts from the same weights. */
  seed?: number;
  /** The kernels to run on (default 'wasm'). */
  backend?: BackendChoice;
  /** Called after each curve point (default: none). */
  onPoint?: (optimizer: string, point: CurvePoint) => void;
  /**
   * Called after each optimiser step, once per step and in order, with the optimiser's name and what the step left (default:
   * none); a curve point taken after that step comes after it (onPoint). Its own time, and that of the errors it asks for, is
   * not counted in the training seconds, so it changes neither the steps a budget buys nor what they do.
   */
  onStep?: (optimizer: string, step: AutoencoderStep) => void;
}

/** What onStep is given after an optimiser step. */
export interface AutoencoderStep {
  /** Optimiser steps so far, this one included (1 at the first call for each optimiser). */
  steps: number;
  /** Training CPU seconds so far, this step's included (measurement and onStep excluded). */
  seconds: number;
  /** Hessian-free's report of this step (CG iterations, the iterate taken, λ, ρ); undefined for the other optimisers. */
  hessianFree: HessianFreeReport | undefined;
  /**
   * Measures the reconstruction errors after this step, as a curve point measures them (the same rows and units; its CPU
   * time is not counted). Call it within onStep: afterwards it throws a GradscopeError (DISPOSED), the network having moved on.
   */
  errors(): Pick<CurvePoint, 'trainError' | 'testError'>;
}

/** One point of an optimiser's learning curve. */
export interface CurvePoint {
  /** Training CPU seconds so far (measurement excluded). */
  seconds: number;
  /** Optimiser steps so far. */
  steps: number;
  /** Squared reconstruction error per image, on the first 500 training digits, or all when fewer. */
  trainError: number;
  /** Squared reconstruction error per image, on the test digits. */
  testError: number;
}

/** One optimiser's run in the autoencoder study. */
export interface AutoencoderRun {
  /** The optimiser's name (hessian-free, adam or sgd-momentum). */
  optimizer: string;
  /** Its settings, in words, with the batch it trained with. */
  settings: string;
  /** Rows per step: the optimiser's own batch (Hessian-free 1000, the others 100), or all the training digits when they are fewer. */
  batchSize: number;
  /** The learning curve, from the start. */
  curve: CurvePoint[];
  /** Mean training CPU seconds per optimiser step. */
  secondsPerStep: number;
}

/** What runAutoencoderStudy returns: the settings used and one run per optimiser. */
export interface AutoencoderStudyResult {
  /** Units per layer. */
  sizes: number[];
  /** The loss trained on. */
  loss: AutoencoderLoss;
  /** The budget each optimiser trained for: `{ seconds }` of CPU time, or `{ steps }`. */
  budget: StudyBudget;
  /** Training digits. */
  trainRows: number;
  /** Held-out digits. */
  testRows: number;
  /** One run per optimiser, in the order asked for. */
  runs: AutoencoderRun[];
}

interface Contender {
  /** Its settings in words, at the batch it trains with (its batchSize, or all the training digits when they are fewer). */
  settings(batch: number): string;
  /** Rows per optimiser step (fewer when the training digits are fewer: the batch is all of them). */
  batchSize: number;
  /** The learning rate train() is given; absent for Hessian-free, which chooses its own steps. */
  learningRate?: number;
  create(net: Network): Optimizer;
}

/**
 * Hessian-free as Martens ran it: up to 250 CG iterations, λ₀ = 45 (the optimiser's defaults), a
 * large gradient batch and a quarter of it for curvature products.
 */
const HF_STUDY: Required<Pick<HessianFreeOptions, 'maxIterations' | 'curvatureFraction' | 'damping'>> = {
  maxIterations: HESSIAN_FREE_DEFAULTS.maxIterations,
  curvatureFraction: HESSIAN_FREE_DEFAULTS.curvatureFraction,
  damping: HESSIAN_FREE_DEFAULTS.damping,
};
const HF_BATCH = HESSIAN_FREE_BATCH;
const FIRST_ORDER_BATCH = 100;
/** SGD with momentum as the study runs it (Adam runs at its defaults, ADAM_DEFAULTS). */
const SGD_STUDY = { learningRate: 0.01, momentum: 0.9 } as const;

export const AUTOENCODER_OPTIMIZERS: Record<string, Contender> = {
  'hessian-free': {
    settings: (batch) => `Hessian-free, gradient batch ${batch}, curvature batch ${curvatureRows(batch, HF_STUDY.curvatureFraction)}, ≤ ${HF_STUDY.maxIterations} CG iterations, λ₀ ${HF_STUDY.damping}`,
    batchSize: HF_BATCH,
    create: (net) => findOptimizer('hessian-free').create(net, { ...HF_STUDY }),
  },
  adam: {
    settings: (batch) => `Adam, batch ${batch}, lr ${ADAM_DEFAULTS.learningRate}, β (${ADAM_DEFAULTS.beta1}, ${ADAM_DEFAULTS.beta2})`,
    batchSize: FIRST_ORDER_BATCH,
    learningRate: ADAM_DEFAULTS.learningRate,
    create: (net) => findOptimizer('adam').create(net, {}),
  },
  'sgd-momentum': {
    settings: (batch) => `SGD, batch ${batch}, lr ${SGD_STUDY.learningRate}, momentum ${SGD_STUDY.momentum}`,
    batchSize: FIRST_ORDER_BATCH,
    learningRate: SGD_STUDY.learningRate,
    create: (net) => findOptimizer('sgd').create(net, { momentum: SGD_STUDY.momentum }),
  },
};

export { TRAIN_ERROR_ROWS };

/** Mean over rows of Σ_pixels (reconstruction − input)². */
export function reconstructionError(net: Network, x: Matrix): number {
  let total = 0;
  net.predict(x).forEach((a, r) => {
    for (let j = 0; j < x.cols; j++) total += (a[j] - x.data[r * x.cols + j]) ** 2;
  });
  return total / x.rows;
}

/**
 * Refuses (INVALID_OPTION naming both options) more curve points than a budget of steps has steps: a point comes after a step
 * of its own, and more of them came at the same step, a row repeating the one before it.
 */
export function checkPointsWithinSteps(points: number, budget: StudyBudget): void {
  if (budget.steps !== undefined && points > budget.steps) {
    throw invalidOption(`autoencoder points, autoencoder steps: ${points} points need at least as many steps, each point after a step of its own; got ${budget.steps} steps`);
  }
}

/** The study's options checked before any work (INVALID_OPTION naming the option as 'autoencoder <option>'), with their defaults. */
function checkStudyOptions(options: AutoencoderStudyOptions) {
  const given = options.sizes ?? AUTOENCODER_SIZES;
  if (!Array.isArray(given)) throw invalidOption(`autoencoder sizes: expected a list of layer widths, got ${shown(given)}`);
  const sizes = given.map((units, l) => checkUnits(units, `autoencoder sizes[${l}]`));
  if (sizes[0] !== MNIST_PIXELS || sizes[sizes.length - 1] !== MNIST_PIXELS) {
    throw invalidOption(`autoencoder sizes: must start and end with ${MNIST_PIXELS} (the pixels), got ${sizesList(sizes)}`);
  }
  checkModelLimits(sizes, 'autoencoder sizes');
  const loss = checkChoice(options.loss ?? 'binary-cross-entropy', AUTOENCODER_LOSSES, 'autoencoder loss');
  const seed = checkSeed(options.seed ?? STUDY_SEED, 'autoencoder seed');
  const count = (value: number | undefined, fallback: number, name: string, bound?: Bound) => checkWhole(value ?? fallback, `autoencoder ${name}`, 1, bound);
  const optimizers = [...checkDistinctList(options.optimizers ?? Object.keys(AUTOENCODER_OPTIMIZERS), 'autoencoder optimizers', 'optimiser names')];
  // Own keys only: `in` took inherited ones ('toString'), which then failed as a TypeError after the digits loaded.
  optimizers.forEach((name, i) => checkChoice(name, Object.keys(AUTOENCODER_OPTIMIZERS), `autoencoder optimizers[${i}]`));
  const budget = checkStudyBudget(options.seconds, options.steps, AUTOENCODER_DEFAULTS.seconds, 'autoencoder ');
  // The default fits a short budget of steps (--steps 5 alone was refused over 10 points the user never gave); a given count is checked.
  const points = count(options.points, Math.min(AUTOENCODER_DEFAULTS.points, budget.steps ?? Infinity), 'points', AUTOENCODER_POINTS_BOUND);
  checkPointsWithinSteps(points, budget);
  return {
    sizes,
    loss,
    budget,
    trainRows: count(options.trainRows, AUTOENCODER_DEFAULTS.trainRows, 'trainRows'),
    testRows: count(options.testRows, AUTOENCODER_DEFAULTS.testRows, 'testRows'),
    points,
    optimizers,
    seed,
  };
}

/**
 * onStep's call for one step. Its errors() measures the network as the step left it, so it is refused once onStep has
 * returned: by then the network has trained on, or is disposed, and would give another step's errors as this one's.
 */
function reportStep(onStep: NonNullable<AutoencoderStudyOptions['onStep']>, optimizer: string, step: Omit<AutoencoderStep, 'errors'>, measure: AutoencoderStep['errors']): void {
  let current = true;
  const errors = () => {
    if (!current) throw new GradscopeError('DISPOSED', `autoencoder onStep: errors() of ${optimizer}'s step ${step.steps} called after onStep returned (the network has trained on since, or is disposed): call it within onStep`);
    return measure();
  };
  try {
    onStep(optimizer, { ...step, errors });
  } finally {
    current = false;
  }
}

/**
 * Martens' (2010) deep-autoencoder comparison, scaled down: each optimiser trains the same sigmoid
 * autoencoder on MNIST for the same CPU time (or the same steps), with a learning curve of reconstruction errors.
 */
export async function runAutoencoderStudy(options: AutoencoderStudyOptions = {}): Promise<AutoencoderStudyResult> {
  checkKnownKeys(
    options,
    keysOf<AutoencoderStudyOptions>({ sizes: true, loss: true, seconds: true, steps: true, trainRows: true, testRows: true, points: true, optimizers: true, seed: true, backend: true, onPoint: true, onStep: true }),
    'runAutoencoderStudy',
  );
  const o = checkStudyOptions(options);
  checkCallback(options.onPoint, 'autoencoder onPoint');
  checkCallback(options.onStep, 'autoencoder onStep');
  const digits = await loadStudyDigits(o.trainRows, o.testRows);
  const train = digits.train.x;
  const test = digits.test.x;
  const probe = matrixRows(train, 0, Math.min(TRAIN_ERROR_ROWS, train.rows));
  const runs: AutoencoderRun[] = [];
  for (const name of o.optimizers) {
    const contender = AUTOENCODER_OPTIMIZERS[name];
    // The same initial weights for every optimiser: the same seed and Martens' sparse init (see
    // AUTOENCODER_INIT).
    const net = await createNetwork({ sizes: o.sizes, activation: 'sigmoid', output: 'sigmoid', loss: o.loss, init: AUTOENCODER_INIT, seed: o.seed, backend: options.backend });
    const optimizer = contender.create(net);
    const batch = Math.min(contender.batchSize, train.rows);
    const curve: CurvePoint[] = [];
    let seconds = 0;
    let steps = 0;
    let start = 0;
    // Each window of rows is uploaded on its first pass; later passes over it copy nothing.
    const windows = new Map<number, Dataset>();
    const errors = () => ({ trainError: reconstructionError(net, probe), testError: reconstructionError(net, test) });
    const measure = () => {
      const point = { seconds, steps, ...errors() };
      curve.push(point);
      options.onPoint?.(name, point);
    };
    try {
      measure();
      for (let p = 1; p <= o.points; p++) {
        // A point after at least its share of the seconds (a step is never cut short), or after its share of the steps, rounded.
        const stepsUntil = o.budget.steps === undefined ? Infinity : Math.round((o.budget.steps * p) / o.points);
        const secondsUntil = o.budget.seconds === undefined ? Infinity : (o.budget.seconds * p) / o.points;
        while (steps < stepsUntil && seconds < secondsUntil) {
          if (start + batch > train.rows) start = 0;
          let window = windows.get(start);
          if (!window) {
            const rows = matrixRows(train, start, batch);
            window = net.dataset(rows, rows);
            windows.set(start, window);
          }
          start += batch;
          const began = cpuNow();
          net.train(window, { optimizer, epochs: 1, batchSize: batch, learningRate: contender.learningRate, shuffle: false });
          seconds += cpuNow() - began;
          steps++;
          if (options.onStep) reportStep(options.onStep, name, { steps, seconds, hessianFree: optimizer instanceof HessianFree ? optimizer.lastReport : undefined }, errors);
        }
        measure();
      }
    } finally {
      windows.forEach((window) => window.dispose());
      optimizer.dispose();
      net.dispose();
    }
    runs.push({ optimizer: name, settings: contender.settings(batch), batchSize: batch, curve, secondsPerStep: seconds / Math.max(steps, 1) });
  }
  return { sizes: o.sizes, loss: o.loss, budget: o.budget, trainRows: o.trainRows, testRows: o.testRows, runs };
}
