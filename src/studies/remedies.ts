/**
 * The remedies study: a deep sigmoid network where plain SGD stalls ([784, 8 × 32, 10], standard
 * init, softmax + cross-entropy, the MNIST digits of loadMnist), trained by every optimiser for the same
 * CPU time of this process (budget-clock.ts; where process is absent, the wall clock). Load shrinks a CPU
 * budget less than a wall-clock one, but not alike for every optimiser, so compare them on a quiet
 * machine: beside two added busy loops (scripts/budget-clock-load.ts, 3 s budgets, AMD EPYC Zen 4, 2 vCPUs,
 * 2026-12-03, load 5–7 → 10–12) a CPU budget bought SGD 26 % fewer steps and AdamW 8 % fewer (AdamW's
 * steps ÷ SGD's 0.64 → 0.79), a wall-clock one 43 % and 35 % fewer. Per optimiser it measures how far the first and the last hidden layer's weights
 * moved over training (Σ‖ΔW‖ over steps, and their ratio), the training loss, the test accuracy and
 * the time per step. It reports what it measures, whatever that shows.
 */
import { classRowsOfRows } from '../flow/chance.js';
import { checkCallback, checkChoice, checkDistinctList, checkKnownKeys, keysOf } from '../checks.js';
import type { BackendChoice } from '../backend.js';
import { GradscopeError, invalidOption } from '../errors.js';
import type { Kernels, Tensor } from '../kernels.js';
import { MODEL } from '../model.js';
import { createNetwork, type Network } from '../api/network.js';
import { createDataset } from '../api/dataset.js';
import type { Dataset } from '../training/dataset.js';
import { ADAMW_WEIGHT_DECAY } from '../optim/adam.js';
import { createOptimizer, findOptimizer, type OptimizerSpec } from '../optim/index.js';
import { measuredRatesText } from '../equalising-rates.js';
import { counted } from '../counted.js';
import { parameterCountOf } from '../network/memory-budget.js';
import { LBFGS_DEFAULTS } from '../optim/lbfgs.js';
import { optimizerChoices, type OptimizerChoice } from './optimizer-choices.js';
import { CHOICE_MOMENTUM, LARS_DEFAULTS } from '../optimizer-defaults.js';
import type { Optimizer } from '../optim/optimizer.js';
import { checkStudyBudget, type StudyBudget } from './study-budget.js';
import { loadStudyDigits } from './study-digits.js';
import { REMEDIES_DEFAULTS, STUDY_SEED } from './study-defaults.js';
import { clockSeconds, clockWords } from '../budget-clock.js';

/** The clock of each contender's budget (budget-clock.ts). */
export const REMEDIES_CLOCK = 'cpu';
const cpuNow = clockSeconds(REMEDIES_CLOCK);

export const REMEDIES_SIZES = [784, 32, 32, 32, 32, 32, 32, 32, 32, 10] as const;
/** The loss every network of the study trains on (with its softmax output). */
export const REMEDIES_LOSS = 'cross-entropy';

/** Options of runRemediesStudy; every one has a default. */
export interface RemediesOptions {
  /** Training time per optimiser, in CPU seconds of this process, or the wall clock's where process is absent (default 6, at most 3,600); not with `steps`. */
  seconds?: number;
  /**
   * Optimiser steps per optimiser, instead of `seconds` (default: none, `seconds` is the budget; at most 1,000,000): the load
   * moves how many steps a CPU second buys, not what a step does, so a run of the same seed and steps replays.
   */
  steps?: number;
  /** Training digits (default 9,000). */
  trainRows?: number;
  /** Test digits, the ones after the training digits (default 1,000). */
  testRows?: number;
  /** Which contenders, by label, each once (default: every one that can train the study's network; one that cannot is refused). */
  optimizers?: readonly string[];
  /** Seed of every network (default 1): each optimiser starts from the same weights. */
  seed?: number;
  /** The kernels every network runs on (default 'wasm'). */
  backend?: BackendChoice;
  /** Called after each optimiser's run, in order (default: none). */
  onRun?: (run: RemediesRun) => void;
}

/** One contender's run of the remedies study; the measurements are absent when it was skipped. */
export interface RemediesRun {
  /** The contender's label ('sgd', 'adam', 'lbfgs', …), as `optimizers` names it. */
  label: string;
  /** The optimiser and its settings, in words (layer-rates': with the rates it trained with). */
  settings: string;
  /**
   * The per-layer learning-rate multipliers the run's optimiser used, first weight layer first
   * (layer-rates: equalisingLayerRates on the first training digits at the initial weights); absent
   * for a contender without them.
   */
  layerRates?: number[];
  /** Why it did not run (e.g. Levenberg-Marquardt's parameter limit); the measurements are then absent. */
  skipped?: string;
  /** Steps taken within the budget. */
  steps?: number;
  /** Seconds of training (the result's clock) over `steps`. */
  secondsPerStep?: number;
  /** Σ over steps of ‖ΔW‖ of the first hidden layer's weights (784 → 32). */
  firstLayerMovement?: number;
  /** Σ over steps of ‖ΔW‖ of the last hidden layer's weights (32 → 32). */
  lastLayerMovement?: number;
  /** lastLayerMovement / firstLayerMovement: how many times further the last hidden layer moved. */
  movementRatio?: number;
  /** Mean loss over all training digits before training. */
  initialLoss?: number;
  /** Mean loss over all training digits after training. */
  trainLoss?: number;
  /** Accuracy on the test digits after training, a fraction. */
  testAccuracy?: number;
}

/** What runRemediesStudy measured, with the set-up it ran. */
export interface RemediesResult {
  /** The network every contender trained, units per layer, input first: 784, eight hidden layers of 32, 10. */
  sizes: number[];
  /** The budget each contender trained for: `{ seconds }` of `clock`, or `{ steps }`. */
  budget: StudyBudget;
  /** What the seconds are, the budget's and secondsPerStep's (clockWords): 'CPU time of this process', or 'wall-clock time' where process is absent. */
  clock: string;
  /** Training digits. */
  trainRows: number;
  /** Test digits. */
  testRows: number;
  /** The test digits of each class, 0 to 9 (classRowsOf): chance, what a guess that ignores the input gets right, is the most frequent one's share (flow/chance.ts). */
  testClassRows: number[];
  /** One run per contender, in the study's order. */
  runs: RemediesRun[];
}

/** How the study trains with one optimiser choice: its settings in words, batch size and learning rate. */
interface ContenderSettings {
  settings: string;
  batchSize: number;
  /** Absent: the optimiser's own default. */
  learningRate?: number;
}

interface Contender extends ContenderSettings {
  label: string;
  /** Why its optimiser cannot train the study's network (its registry rule, e.g. Levenberg-Marquardt's loss); undefined: it can. */
  refusal?: string;
  /** The spec, given the network (layer rates are measured on it): the choice's (optimizer-choices.ts). */
  spec: OptimizerChoice['spec'];
}

/** Rows per step of the first-order methods, and of the batch methods (L-BFGS, Hessian-free, K-FAC). */
const MINI_BATCH = 32;
const LARGE_BATCH = 1000;

/** The study's settings per choice; a choice not listed (an optimiser registered by others: Hessian-free, K-FAC) runs on its defaults on large batches. */
const REMEDIES_SETTINGS: Record<string, ContenderSettings> = {
  sgd: { settings: 'SGD, lr 0.5', batchSize: MINI_BATCH, learningRate: 0.5 },
  'sgd-momentum': { settings: `SGD, momentum ${CHOICE_MOMENTUM}, lr 0.05`, batchSize: MINI_BATCH, learningRate: 0.05 },
  nesterov: { settings: `SGD, Nesterov momentum ${CHOICE_MOMENTUM}, lr 0.05`, batchSize: MINI_BATCH, learningRate: 0.05 },
  // The rates themselves are measured on the network and added to the settings as the run builds its optimiser (ratesUsed).
  'layer-rates': { settings: `SGD, momentum ${CHOICE_MOMENTUM}, lr 0.05`, batchSize: MINI_BATCH, learningRate: 0.05 },
  lars: { settings: `LARS, η ${LARS_DEFAULTS.eta}, momentum ${LARS_DEFAULTS.momentum}, lr ${LARS_DEFAULTS.learningRate}`, batchSize: MINI_BATCH, learningRate: LARS_DEFAULTS.learningRate },
  adagrad: { settings: 'Adagrad, lr 0.01', batchSize: MINI_BATCH, learningRate: 0.01 },
  rmsprop: { settings: 'RMSProp, lr 0.001', batchSize: MINI_BATCH, learningRate: 0.001 },
  adam: { settings: 'Adam, lr 0.001', batchSize: MINI_BATCH, learningRate: 0.001 },
  adamw: { settings: `AdamW, lr 0.001, weight decay ${ADAMW_WEIGHT_DECAY}`, batchSize: MINI_BATCH, learningRate: 0.001 },
  lbfgs: { settings: `L-BFGS, memory ${LBFGS_DEFAULTS.memory}, batch ${LARGE_BATCH}`, batchSize: LARGE_BATCH },
  'levenberg-marquardt': { settings: 'Levenberg-Marquardt (trainlm)', batchSize: LARGE_BATCH },
};

/** Every optimiser choice (optimizer-choices.ts) with the study's settings for it. */
export function remediesContenders(): Contender[] {
  const network = { loss: REMEDIES_LOSS, parameters: parameterCountOf(REMEDIES_SIZES) } as const;
  return optimizerChoices().map((choice) => ({
    label: choice.name,
    refusal: findOptimizer(choice.optimizer).refuses?.(network),
    ...(REMEDIES_SETTINGS[choice.name] ?? { settings: `${findOptimizer(choice.optimizer).summary}, defaults, batch ${LARGE_BATCH}`, batchSize: LARGE_BATCH }),
    spec: choice.spec,
  }));
}

/**
 * The contenders `labels` names (INVALID_OPTION naming `optimizers` for an unknown one, or one whose
 * optimiser cannot train the study's network, with why); absent: every one that can. Reads no data:
 * the CLI refuses with it before any work.
 */
export function chosenContenders(labels?: readonly string[]): Contender[] {
  const contenders = remediesContenders();
  const runnable = contenders.filter((c) => c.refusal === undefined);
  const chosen = checkDistinctList(labels ?? runnable.map((c) => c.label), 'optimizers', 'contender labels');
  chosen.forEach((label, i) => checkChoice(label, contenders.map((c) => c.label), `optimizers[${i}]`));
  for (const label of chosen) {
    const contender = contenders.find((c) => c.label === label)!;
    if (contender.refusal !== undefined) {
      throw invalidOption(`optimizers: '${label}' cannot train the study's network (${REMEDIES_LOSS}, ${counted(parameterCountOf(REMEDIES_SIZES), 'parameter')}): ${contender.refusal}; the study runs ${runnable.map((c) => c.label).join(', ')}`);
    }
  }
  return contenders.filter((c) => chosen.includes(c.label));
}

/** Σ‖ΔW‖ of one weight tensor over steps, from a snapshot taken after each step. */
class Movement {
  total = 0;
  private readonly previous: Tensor;
  /** The network's kernels as its steps run them (net.kernels checks every call). */
  private readonly k: Kernels;
  constructor(
    net: Network,
    private readonly w: Tensor,
  ) {
    this.k = net[MODEL].kernels;
    this.previous = this.k.alloc(w.length);
    this.reset();
  }
  private reset(): void {
    const k = this.k;
    k.zero(this.previous);
    k.axpy(this.previous, this.w, this.w.length, 1);
  }
  /** After a step: add ‖W − W_before‖ and take the new snapshot. */
  record(): void {
    const k = this.k;
    k.axpy(this.previous, this.w, this.w.length, -1);
    this.total += Math.sqrt(k.sumSquares(this.previous, this.w.length));
    this.reset();
  }
  dispose(): void {
    this.k.free(this.previous);
  }
}

/** A contender's settings with the per-layer rates its spec carries (measured on the first `probeRows` training digits), said and as numbers; none: as they were. */
function ratesUsed(settings: string, spec: OptimizerSpec, probeRows: number): Pick<RemediesRun, 'settings' | 'layerRates'> {
  const rates = typeof spec === 'string' ? undefined : spec.layerRates;
  if (!Array.isArray(rates)) return { settings };
  return { settings: `${settings}, layer rates ${measuredRatesText(rates, `the first ${counted(probeRows, 'training digit')} at the initial weights`)}`, layerRates: [...rates] };
}

/** The remedies study (see the module comment): every optimiser on the same deep sigmoid network for the same CPU time (or the same steps). */
export async function runRemediesStudy(options: RemediesOptions = {}): Promise<RemediesResult> {
  checkKnownKeys(options, keysOf<RemediesOptions>({ seconds: true, steps: true, trainRows: true, testRows: true, optimizers: true, seed: true, backend: true, onRun: true }), 'runRemediesStudy');
  const budget = checkStudyBudget(options.seconds, options.steps, REMEDIES_DEFAULTS.seconds);
  const chosen = chosenContenders(options.optimizers);
  checkCallback(options.onRun, 'onRun');
  const digits = await loadStudyDigits(options.trainRows, options.testRows);
  const probeRows = Math.min(1000, digits.train.x.rows);
  const probe = {
    x: { ...digits.train.x, data: digits.train.x.data.subarray(0, probeRows * 784), rows: probeRows },
    y: { ...digits.train.y, data: digits.train.y.data.subarray(0, probeRows * 10), rows: probeRows },
  };
  const sizes = [...REMEDIES_SIZES];
  const runs: RemediesRun[] = [];
  // Uploaded once: every contender trains and is scored on the same rows, which then copy nothing;
  // the networks run on the datasets' kernels.
  const train = await createDataset(digits.train.x, digits.train.y, { backend: options.backend });
  let test: Dataset | undefined;
  try {
    test = await createDataset(digits.test.x, digits.test.y, { backend: train.kernels });
    for (const contender of chosen) {
      const net = await createNetwork({ sizes, activation: 'sigmoid', loss: REMEDIES_LOSS, init: 'standard', seed: options.seed ?? STUDY_SEED, backend: train.kernels });
      const run: RemediesRun = { label: contender.label, settings: contender.settings };
      try {
        let optimizer: Optimizer | undefined;
        try {
          const spec = contender.spec(net, probe);
          Object.assign(run, ratesUsed(run.settings, spec, probeRows));
          optimizer = createOptimizer(net, spec);
        } catch (error) {
          if (!(error instanceof GradscopeError && error.code === 'INVALID_OPTION')) throw error;
          run.skipped = error.message;
        }
        if (optimizer) {
          run.initialLoss = net.evaluate(train).loss;
          const first = new Movement(net, net.weights[0]);
          const last = new Movement(net, net.weights[net.depth - 2]);
          const firstStep = net.step;
          const started = cpuNow();
          net.train(train, {
            optimizer,
            learningRate: contender.learningRate,
            batchSize: contender.batchSize,
            epochs: Number.MAX_SAFE_INTEGER,
            ...(budget.steps === undefined ? { maxSeconds: budget.seconds, clock: REMEDIES_CLOCK } : { maxSteps: budget.steps }),
            onBatch: () => {
              first.record();
              last.record();
            },
          });
          const elapsed = cpuNow() - started;
          optimizer.dispose();
          first.dispose();
          last.dispose();
          const steps = net.step - firstStep;
          run.steps = steps;
          run.secondsPerStep = elapsed / steps;
          run.firstLayerMovement = first.total;
          run.lastLayerMovement = last.total;
          run.movementRatio = last.total / first.total;
          run.trainLoss = net.evaluate(train).loss;
          run.testAccuracy = net.evaluate(test).accuracy;
        }
      } finally {
        net.dispose();
      }
      runs.push(run);
      options.onRun?.(run);
    }
  } finally {
    train.dispose();
    test?.dispose();
  }
  return { sizes, budget, clock: clockWords(REMEDIES_CLOCK), trainRows: digits.train.x.rows, testRows: digits.test.x.rows, testClassRows: classRowsOfRows(digits.test.y)!, runs };
}
