/**
 * The trainable-depth study's budget sweep: does the step budget or the depth stop a remedy? The
 * plain sigmoid network at the depths around where it stops, trained with its own learning rate to
 * 1×, 4×, 16× and 64× the study's step budget, and Adam on it as a contrast to 16× (what the study's
 * 15 minutes leave room for). Each network is trained once, to its longest budget, and measured on the
 * way at every shorter one: a longer budget is the shorter one trained on (same seed, learning rate,
 * optimiser state and data order), so its 1× row is the study's own row. Held-out accuracy is
 * measured after every epoch, so each row also gives the step at which the network first reached
 * ACCURACY_GOAL. Beside it, the first remedy at the shallowest depth at 1× with other learning rates:
 * reported to show whether the rate is what stops it, never used to pick one.
 */
import type { BackendChoice } from '../backend.js';
import { invalidOption, shown } from '../errors.js';
import { checkCallback, checkDistinctList, checkKnownKeys, checkPositive, checkWhole, keysOf } from '../checks.js';
import { ACCURACY_GOAL, checkStudySetup, distinctWholes, skipReason } from './trainable-depth.js';
import { BUDGET_MULTIPLE_BOUND } from './study-bounds.js';
import { BUDGET_MULTIPLES } from './study-defaults.js';
import type { TrainableDepthRemedy } from './trainable-depth-remedies.js';
import { loadStudyData, runNetwork, zeroCausesOf, type StudyData, type ZeroCauses } from './trainable-depth-run.js';

/** The budgets, by default, as multiples of the study's step budget. */
export { BUDGET_MULTIPLES };
/** The longest budget of the contrast (every remedy after the first), by default. */
export const CONTRAST_MAX_BUDGET = 16;
/** The depths (hidden layers), by default: around where plain sigmoid stops in the study's table. */
export const BUDGET_DEPTHS: readonly number[] = [5, 10, 20];
/** The remedies, by default: the plain sigmoid network, and Adam on it as a contrast. */
export const BUDGET_REMEDIES: readonly string[] = ['plain-sigmoid', 'adam'];
/** The learning rates the first remedy is also run with, by default (plain sigmoid's own 0.5 among them). */
export const LEARNING_RATE_GRID: readonly number[] = [0.1, 0.5, 2];

/** Options of runBudgetSweep; every field is optional (those it shares with the study are checked as the study checks them). */
export interface BudgetSweepOptions {
  /** The budgets as whole multiples of `epochs` (default BUDGET_MULTIPLES = 1, 4, 16, 64). */
  budgets?: readonly number[];
  /** The longest budget the remedies after the first (the contrast) are trained to (default CONTRAST_MAX_BUDGET = 16); their rows above it say so. */
  contrastMaxBudget?: number;
  /** Hidden layers (default BUDGET_DEPTHS = 5, 10, 20). */
  depths?: readonly number[];
  /** Remedies by key (default BUDGET_REMEDIES). */
  remedies?: readonly string[];
  /** Learning rates the first remedy also runs with, at the shallowest depth, at 1× (default LEARNING_RATE_GRID; [] for none). */
  learningRates?: readonly number[];
  /** Units per hidden layer (default TRAINABLE_WIDTH = 64). */
  width?: number;
  /** The study's step budget in epochs, the 1× (default TRAINABLE_EPOCHS = 10). */
  epochs?: number;
  /** Training digits (default 9,000). */
  trainRows?: number;
  /** Held-out digits (default 1,000). */
  testRows?: number;
  /** Seed of every network (default 1). */
  seed?: number;
  /** Backend of the networks (default 'wasm'). */
  backend?: BackendChoice;
  /** Called after each network (all its budgets), in order. */
  onNetwork?: (network: { remedy: string; depth: number; learningRate: number | null }) => void;
}

/** One (remedy, depth, learning rate, budget). The measurements are null where it did not run (notRun says why). */
export interface BudgetSweepRow {
  /** The remedy's key. */
  remedy: string;
  /** Hidden layers. */
  depth: number;
  /** The learning rate (null: the optimiser's own default). */
  learningRate: number | null;
  /** Whether the learning rate is the remedy's own (false: a row of the learning-rate grid). */
  ownLearningRate: boolean;
  /** The budget as a multiple of the study's. */
  budget: number;
  /** The budget in epochs. */
  epochs: number;
  /** Steps taken. */
  steps: number | null;
  /** Wall-clock seconds of training up to this budget (the only number that differs between machines). */
  seconds: number | null;
  /** Held-out accuracy after this budget, as a fraction. */
  testAccuracy: number | null;
  /** Mean cross-entropy over all training digits after this budget. */
  trainLoss: number | null;
  /** The first step (at an epoch's end) at which held-out accuracy reached ACCURACY_GOAL within this budget; null: not reached. */
  firstStepAtGoal: number | null;
  /** First ÷ last hidden ‖∂C/∂b‖ at initialisation (as the study's rows). */
  firstToLastAtInit: number | null;
  /** The same after this budget. */
  firstToLastAtEnd: number | null;
  /** Why each ratio that is exactly 0 is 0 (see ZeroCause); absent when neither is. */
  zeroCauses?: ZeroCauses;
  /** Why there are no numbers. */
  notRun?: string;
  /** A numeric failure: training stopped before this budget (the numbers are of the last good weights). */
  stopped?: string;
}

/** Held-out accuracy after every epoch of one network, to its longest budget. */
export interface BudgetCurve {
  /** The remedy's key. */
  remedy: string;
  /** Hidden layers. */
  depth: number;
  /** The learning rate (null: the optimiser's default). */
  learningRate: number | null;
  /** Steps at each epoch's end. */
  steps: number[];
  /** Held-out accuracy then, as a fraction. */
  testAccuracy: number[];
}

/** Per remedy (at its own learning rate) and budget: where it stops among the sweep's depths. */
export interface BudgetBoundary {
  /** The remedy's key. */
  remedy: string;
  /** The budget as a multiple of the study's. */
  budget: number;
  /** The deepest depth reaching ACCURACY_GOAL at this budget (null: none). */
  deepest: number | null;
  /** The shallowest deeper depth that did not (null: every depth deeper than `deepest` reached it, or none was run). */
  firstShort: number | null;
}

/** What runBudgetSweep returns. */
export interface BudgetSweepResult {
  /** The budgets as multiples, ascending. */
  budgets: number[];
  /** The 1× budget in epochs. */
  epochs: number;
  /** Hidden layers, ascending. */
  depths: number[];
  /** Units per hidden layer. */
  width: number;
  /** The longest budget of the remedies after the first. */
  contrastMaxBudget: number;
  /** Training digits. */
  trainRows: number;
  /** Held-out digits. */
  testRows: number;
  /** Seed of every network. */
  seed: number;
  /** The remedies, with their own settings and learning rate. */
  remedies: {
    /** The remedy's key. */
    key: string;
    /** Its network, initialisation and training in words. */
    settings: string;
    /** Its own learning rate (null: the optimiser's default). */
    learningRate: number | null;
  }[];
  /** The learning-rate grid: the rates the first remedy also ran with, at `depth`, at 1×. */
  learningRateGrid: {
    /** The remedy's key (the first remedy). */
    remedy: string;
    /** The depth (the shallowest). */
    depth: number;
    /** The rates, ascending (the remedy's own among them if the grid has it). */
    learningRates: number[];
  };
  /** One row per (remedy, depth, budget) at the remedy's own rate, remedies in order, depths and budgets ascending; then the grid's other rates (at 1×). */
  rows: BudgetSweepRow[];
  /** One curve per network. */
  curves: BudgetCurve[];
  /** Per remedy and budget, where it stops. */
  boundaries: BudgetBoundary[];
}

/** Learning rates: finite numbers > 0, each listed once, ascending (may be empty). */
function learningRateList(values: readonly number[]): number[] {
  if (!Array.isArray(values)) throw invalidOption(`learningRates: expected a list of finite numbers > 0, got ${shown(values)}`);
  if (values.length > 0) checkDistinctList(values, 'learningRates', 'finite numbers > 0', (v, i) => checkPositive(v, `learningRates[${i}]`));
  return [...values].sort((a, b) => a - b);
}

/** The first step in `curve` at which held-out accuracy reached the goal, up to `steps`; null if none. */
export function firstStepAtGoal(curve: { steps: readonly number[]; testAccuracy: readonly number[] }, steps: number, goal = ACCURACY_GOAL): number | null {
  const at = curve.testAccuracy.findIndex((accuracy, i) => accuracy >= goal && curve.steps[i] <= steps);
  return at < 0 ? null : curve.steps[at];
}

/** Per remedy (its own rate) and budget, the deepest depth reaching the goal and the shallowest deeper one that did not. */
export function budgetBoundaries(rows: readonly BudgetSweepRow[], remedies: readonly string[], budgets: readonly number[], goal = ACCURACY_GOAL): BudgetBoundary[] {
  return remedies.flatMap((remedy) =>
    budgets.map((budget) => {
      const ran = rows.filter((r) => r.remedy === remedy && r.ownLearningRate && r.budget === budget && r.notRun === undefined).sort((a, b) => a.depth - b.depth);
      const reached = (r: BudgetSweepRow) => r.testAccuracy !== null && r.testAccuracy >= goal;
      const deepest = ran.filter(reached).at(-1)?.depth ?? null;
      const firstShort = ran.find((r) => !reached(r) && (deepest === null || r.depth > deepest))?.depth ?? null;
      return { remedy, budget, deepest, firstShort };
    }),
  );
}

/** Rows of one network at every budget: the measured ones, then rows saying why not (above its longest budget, or after a numeric failure). */
async function sweepNetwork(
  remedy: TrainableDepthRemedy,
  depth: number,
  learningRate: number | null,
  budgets: readonly number[],
  maxBudget: number,
  common: { width: number; epochs: number; seed: number; backend?: BackendChoice },
  data: StudyData,
): Promise<{ rows: BudgetSweepRow[]; curve?: BudgetCurve }> {
  const ownLearningRate = learningRate === (remedy.training.learningRate ?? null);
  const base = { remedy: remedy.key, depth, learningRate, ownLearningRate };
  const empty = { steps: null, seconds: null, testAccuracy: null, trainLoss: null, firstStepAtGoal: null, firstToLastAtInit: null, firstToLastAtEnd: null };
  const without = (budget: number, notRun: string): BudgetSweepRow => ({ ...base, budget, epochs: budget * common.epochs, ...empty, notRun });
  const aboveMax = (budget: number) => without(budget, `not run above ${maxBudget}×: the contrast is trained to ${maxBudget}× only, to keep the study within its time`);
  const trained = budgets.filter((b) => b <= maxBudget);
  const skipped = skipReason(remedy, depth);
  if (skipped !== undefined || trained.length === 0) return { rows: budgets.map((b) => (b > maxBudget ? aboveMax(b) : without(b, skipped!))) };
  const run = await runNetwork(
    { remedy, depth, width: common.width, seed: common.seed, backend: common.backend, learningRate: learningRate ?? undefined, checkpoints: trained.map((b) => b * common.epochs), curve: true },
    data,
  );
  const curve = run.curve!;
  const rows = budgets.map((budget, i): BudgetSweepRow => {
    if (budget > maxBudget) return aboveMax(budget);
    const at = run.checkpoints[i];
    if (at === undefined) {
      const stoppedRow = without(budget, `training stopped within ${budgets[run.checkpoints.length - 1]}× (see that row)`);
      return { ...stoppedRow, firstToLastAtInit: run.atInit.biasGradient, ...zeroCausesOf(run.atInit, undefined, ['firstToLastAtInit']) };
    }
    return {
      ...base,
      budget,
      epochs: budget * common.epochs,
      steps: at.steps,
      seconds: at.seconds,
      testAccuracy: at.testAccuracy,
      trainLoss: at.trainLoss,
      firstStepAtGoal: firstStepAtGoal(curve, at.steps),
      firstToLastAtInit: run.atInit.biasGradient,
      firstToLastAtEnd: at.atEnd.biasGradient,
      ...zeroCausesOf(run.atInit, at.atEnd, ['firstToLastAtInit', 'firstToLastAtEnd']),
      ...(at.stopped === undefined ? {} : { stopped: at.stopped }),
    };
  });
  return { rows, curve: { remedy: remedy.key, depth, learningRate, ...curve } };
}

const BUDGET_SWEEP_OPTION_KEYS = keysOf<BudgetSweepOptions>({
  budgets: true,
  contrastMaxBudget: true,
  depths: true,
  remedies: true,
  learningRates: true,
  width: true,
  epochs: true,
  trainRows: true,
  testRows: true,
  seed: true,
  backend: true,
  onNetwork: true,
});

/** The budget sweep (see the module comment). */
export async function runBudgetSweep(options: BudgetSweepOptions = {}): Promise<BudgetSweepResult> {
  checkKnownKeys(options, BUDGET_SWEEP_OPTION_KEYS, 'runBudgetSweep');
  const { depths, width, epochs, seed, remedies, trainRows, testRows } = checkStudySetup(options, { depths: BUDGET_DEPTHS, remedies: BUDGET_REMEDIES });
  checkCallback(options.onNetwork, 'onNetwork');
  const budgets = distinctWholes(options.budgets ?? BUDGET_MULTIPLES, 'budgets', 1, BUDGET_MULTIPLE_BOUND);
  const grid = learningRateList(options.learningRates ?? LEARNING_RATE_GRID);
  const contrastMaxBudget = checkWhole(options.contrastMaxBudget ?? CONTRAST_MAX_BUDGET, 'contrastMaxBudget', 1);
  const data = await loadStudyData(trainRows, testRows);
  const common = { width, epochs, seed, backend: options.backend };
  const rows: BudgetSweepRow[] = [];
  const curves: BudgetCurve[] = [];
  const sweep = async (remedy: TrainableDepthRemedy, depth: number, learningRate: number | null, at: readonly number[], maxBudget: number) => {
    const result = await sweepNetwork(remedy, depth, learningRate, at, maxBudget, common, data);
    rows.push(...result.rows);
    if (result.curve) curves.push(result.curve);
    options.onNetwork?.({ remedy: remedy.key, depth, learningRate });
  };
  const [first] = remedies;
  for (const remedy of remedies) {
    for (const depth of depths) await sweep(remedy, depth, remedy.training.learningRate ?? null, budgets, remedy === first ? Infinity : contrastMaxBudget);
  }
  const own = first.training.learningRate ?? null;
  for (const learningRate of grid) if (learningRate !== own) await sweep(first, depths[0], learningRate, [1], 1);
  return {
    budgets,
    epochs,
    depths,
    width,
    contrastMaxBudget,
    trainRows: data.train.x.rows,
    testRows: data.test.x.rows,
    seed,
    remedies: remedies.map((r) => ({ key: r.key, settings: r.settings, learningRate: r.training.learningRate ?? null })),
    learningRateGrid: { remedy: first.key, depth: depths[0], learningRates: grid },
    rows,
    curves,
    boundaries: budgetBoundaries(rows, remedies.map((r) => r.key), budgets),
  };
}
