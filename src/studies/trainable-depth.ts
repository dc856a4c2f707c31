/**
 * The trainable-depth study (issue 14): how deep each remedy can train a feed-forward network on the
 * MNIST digits of loadMnist. Networks of 2 to 100 hidden layers of one width, each remedy of
 * trainable-depth-remedies.ts, trained for a fixed number of STEPS (whole epochs over the training
 * digits, so the same seed gives the same table on any machine; only `seconds` differs). Per
 * (remedy, depth) it measures held-out accuracy, the final training loss, and first ÷ last hidden
 * layer of ‖∂C/∂b‖ and of one example's ‖δ‖ at initialisation and at the end; per remedy, the
 * deepest depth that reaches ACCURACY_GOAL on the held-out digits.
 */
import { checkBackendChoice, type BackendChoice } from '../backend.js';
import { type Bound, checkCallback, checkChoice, checkDistinctList, checkSeed, checkKnownKeys, checkWhole, keysOf } from '../checks.js';
import { counted, grouped } from '../counted.js';
import { GradscopeError, invalidOption, shownArgument } from '../errors.js';
import { resolveNetwork } from '../network/config.js';
import { shortBatchProblem, type BatchNormRun } from './batch-norm-rows.js';
import { hasBatchNorm } from './gradient-ratios.js';
import { TRAINABLE_DEPTH_REMEDIES, type TrainableDepthRemedy } from './trainable-depth-remedies.js';
import { loadStudyData, RATIO_COLUMNS, runNetwork, zeroCausesOf, type StudyData, type ZeroCauses } from './trainable-depth-run.js';
import { epochsText } from './paper-experiment.js';
import { DEPTH_BOUND, TRAINABLE_EPOCHS_BOUND, WIDTH_BOUND } from './study-bounds.js';
import { STUDY_DIGITS, STUDY_SEED, TRAINABLE_EPOCHS, TRAINABLE_WIDTH } from './study-defaults.js';
import { percentText } from '../percent-text.js';
import { lineMargin, lineSide, type LineSide } from './accuracy-line.js';
import { ACCURACY_STANDARD_ERRORS } from './accuracy-errors.js';

/** Hidden layers of the networks, by default. */
export const TRAINABLE_DEPTHS: readonly number[] = [2, 5, 10, 20, 50, 100];
export { TRAINABLE_EPOCHS, TRAINABLE_WIDTH };
/** Training digits, by default. */
export const TRAINABLE_TRAIN_ROWS = STUDY_DIGITS.trainRows;
/** Held-out accuracy a depth must reach to count as trained. */
export const ACCURACY_GOAL = 0.9;

/** The `--quick` subset: a few remedies at three depths, on a third of the budget. */
export const QUICK_STUDY = {
  depths: [2, 10, 50],
  remedies: ['plain-sigmoid', 'relu-he', 'orthogonal-tanh', 'adam', 'batch-norm-relu', 'rezero'],
  epochs: 3,
} as const;

/** Options of runTrainableDepthStudy; every field is optional. */
export interface TrainableDepthOptions {
  /** Hidden layers of the networks (default TRAINABLE_DEPTHS). */
  depths?: readonly number[];
  /** Units per hidden layer (default TRAINABLE_WIDTH = 64). */
  width?: number;
  /** The step budget in epochs over the training digits (default 10, at most 1,000). */
  epochs?: number;
  /** Remedies by key (default: all of TRAINABLE_DEPTH_REMEDIES, in their order). */
  remedies?: readonly string[];
  /** Training digits (default 9,000). */
  trainRows?: number;
  /** Held-out digits, the ones after the training digits (default 1,000). */
  testRows?: number;
  /** Seed of every network (default 1). */
  seed?: number;
  /** Backend of the networks (default 'wasm'). */
  backend?: BackendChoice;
  /**
   * Called after each (remedy, depth), in order, measured or taken from `measured` (default: none). A plain function, as
   * every study's callbacks (an async one is refused); a promise it returns is awaited before the next network trains: a
   * caller writing each row to a file as the study goes has it written before the next network's minutes of training.
   */
  onRow?: (row: TrainableDepthRow) => void;
  /**
   * Rows an earlier run of this same set-up measured (a stopped run's rows, read back from its `--json-file`): each is
   * taken as it is, its network not trained again (default: none). Each must be a (remedy, depth) of this run, listed
   * once; that the earlier run had this run's set-up (width, epochs, digits, seed, backend) is the caller's to check,
   * as the CLI's --json-file does (its set-up is written beside its rows).
   */
  measured?: readonly TrainableDepthRow[];
}

/** One (remedy, depth) of the study. The measurements are null where it did not run (notRun says why). */
export interface TrainableDepthRow {
  /** The remedy's key. */
  remedy: string;
  /** Hidden layers. */
  depth: number;
  /** Accuracy on the held-out digits after training, as a fraction. */
  testAccuracy: number | null;
  /** Mean cross-entropy over all training digits after training. */
  trainLoss: number | null;
  /** Training steps taken. */
  steps: number | null;
  /** Wall-clock seconds of training (the only number that differs between machines). */
  seconds: number | null;
  /**
   * First ÷ last hidden ‖∂C/∂b‖ at initialisation, on the first 1,000 training digits. Infinity
   * where the last hidden layer's gradient is exactly 0 (ReZero at initialisation: α = 0 stops the
   * branches' gradient); `--json` writes that as the string "Infinity" (JSON.stringify would write
   * null, which means not measured).
   */
  firstToLastAtInit: number | null;
  /** The same after training. */
  firstToLastAtEnd: number | null;
  /** First ÷ last hidden per-example RMS ‖δ‖ at initialisation, over the first 100 training digits (null with batch norm, which couples the rows). */
  deltaFirstToLastAtInit: number | null;
  /** The same after training. */
  deltaFirstToLastAtEnd: number | null;
  /** Why each of the four ratios that is exactly 0 is 0 (see ZeroCause); absent when none is. */
  zeroCauses?: ZeroCauses;
  /** Why there are no numbers: not run at this depth (its cost). */
  notRun?: string;
  /**
   * What went wrong numerically: training stopped before the budget (a non-finite step, DIVERGED; the
   * numbers are of the last good weights), or the trained network's outputs overflow float32 (then
   * testAccuracy and trainLoss are null).
   */
  stopped?: string;
}

/**
 * Per remedy, the deepest depth trained: the deepest whose held-out accuracy is above ACCURACY_GOAL by more than
 * the line's margin (lineMargin: 2 binomial standard errors on the run's held-out digits), and the deeper depths
 * whose accuracy is on the line (within that margin), where one seed's run decides neither way.
 */
export interface DeepestTrainable {
  /** The remedy's key. */
  remedy: string;
  /** The deepest depth whose held-out accuracy is above the line (lineSide 'above'), or null: none is. */
  depth: number | null;
  /** The depths deeper than `depth` whose held-out accuracy is on the line (lineSide 'on the line'), ascending; [] when none is: the deepest trained depth may be any of them. */
  onTheLine: number[];
}

/** A verdict of the goal: met, not met, on the line (it turns on an accuracy within the line's margin: lineSide), or null: not measured. */
export type GoalVerdict = boolean | 'on the line' | null;

/** The issue's goal, checked on the rows: each part met, not met, or not measured (with the reason). */
export interface GoalCheck {
  /** Plain sigmoid stops training between 5 and 20 hidden layers: its deepest trained depth d has 5 ≤ d < 20. */
  plainSigmoidStops: {
    /** Met, not met, 'on the line' (met on one reading of plain-sigmoid's depths on the line, not on another), or null: not measured (plain-sigmoid not run on both sides of 20 layers). */
    met: GoalVerdict;
    /** plain-sigmoid's deepest depth above ACCURACY_GOAL (DeepestTrainable.depth; null: none). */
    deepest: number | null;
    /** The numbers behind the verdict, or why there is none. */
    why: string;
  };
  /** At least one remedy trains 100 hidden layers to ≥ ACCURACY_GOAL. */
  hundredLayers: {
    /** Met (a remedy above the line at 100 hidden layers), not met (every one below it), 'on the line' (none above, some on it), or null: not measured (no network of 100 hidden layers trained). */
    met: GoalVerdict;
    /** The remedies above the line at 100 hidden layers. */
    remedies: string[];
    /** The remedies on the line at 100 hidden layers (lineSide). */
    onTheLine: string[];
    /** The numbers behind the verdict, or why there is none. */
    why: string;
  };
}

/** What runTrainableDepthStudy returns. */
export interface TrainableDepthResult {
  /** Hidden layers, as run. */
  depths: number[];
  /** Units per hidden layer. */
  width: number;
  /** The step budget in epochs. */
  epochs: number;
  /** Training digits. */
  trainRows: number;
  /** Held-out digits. */
  testRows: number;
  /** Rows the batch gradient ratio is measured on. */
  probeRows: number;
  /** Rows one example's δ is averaged over. */
  exampleRows: number;
  /** Seed of every network. */
  seed: number;
  /** The remedies run. */
  remedies: {
    /** The remedy's key. */
    key: string;
    /** Its network, initialisation and training in words. */
    settings: string;
    /** What keeps it from the deeper depths (its cost), if anything. */
    limit?: string;
  }[];
  /** One row per (remedy, depth), remedies in order, depths ascending. */
  rows: TrainableDepthRow[];
  /** Per remedy, the deepest depth above ACCURACY_GOAL, and the deeper ones on the line. */
  deepest: DeepestTrainable[];
  /** The issue's goal, checked. */
  goal: GoalCheck;
}

/** The options the study and its budget sweep share. */
export type SharedStudyOptions = Pick<TrainableDepthOptions, 'depths' | 'width' | 'epochs' | 'remedies' | 'trainRows' | 'testRows' | 'seed' | 'backend'>;

/** The shared options, checked and with their defaults. */
export interface StudySetup {
  /** Hidden layers, ascending. */
  depths: number[];
  /** Units per hidden layer. */
  width: number;
  /** The step budget in epochs. */
  epochs: number;
  /** Seed of every network. */
  seed: number;
  /** The remedies, in the order given. */
  remedies: TrainableDepthRemedy[];
  /** Training digits. */
  trainRows: number;
  /** Held-out digits. */
  testRows: number;
}

/** A non-empty list of whole numbers ≥ `min` (and within `bound`, if given), each listed once, ascending. */
export function distinctWholes(values: readonly number[], name: string, min: number, bound?: Bound): number[] {
  checkDistinctList(values, name, `whole numbers ≥ ${min}`, (v, i) => checkWhole(v, `${name}[${i}]`, min, bound));
  return [...values].sort((a, b) => a - b);
}

/**
 * The options the study and its budget sweep share, checked before any work (INVALID_OPTION naming
 * the option), with their defaults (the two differ in `defaults`: their depths and remedies): the
 * training digits must also leave every batch-norm remedy no one-row batch (whether they fit the
 * digits loadMnist has is checked as they load, before anything else: loadStudyData), and every chosen
 * remedy's deepest network must be one createNetwork makes (checkNetworksFit).
 */
export function checkStudySetup(options: SharedStudyOptions, defaults: { depths: readonly number[]; remedies?: readonly string[] }): StudySetup {
  const depths = distinctWholes(options.depths ?? defaults.depths, 'depths', 1, DEPTH_BOUND);
  const width = checkWhole(options.width ?? TRAINABLE_WIDTH, 'width', 1, WIDTH_BOUND);
  const epochs = checkWhole(options.epochs ?? TRAINABLE_EPOCHS, 'epochs', 1, TRAINABLE_EPOCHS_BOUND);
  const seed = checkSeed(options.seed ?? STUDY_SEED, 'seed');
  checkBackendChoice(options.backend); // else each network's createNetwork refused it, after the digits loaded
  const remedies = chooseRemedies(options.remedies ?? defaults.remedies);
  const trainRows = checkWhole(options.trainRows ?? TRAINABLE_TRAIN_ROWS, 'trainRows', 1);
  const testRows = checkWhole(options.testRows ?? STUDY_DIGITS.testRows, 'testRows', 1);
  const shortBatch = shortBatchProblem(trainRows, batchNormRuns(remedies), 'trainRows');
  if (shortBatch) throw invalidOption(shortBatch);
  checkNetworksFit(remedies, depths, width);
  return { depths, width, epochs, seed, remedies, trainRows, testRows };
}

/**
 * Each remedy's network at the deepest of `depths` it runs (skipReason) passes createNetwork's checks
 * (MODEL_LIMITS: layers and parameters): INVALID_OPTION otherwise, before any work, rather than partway
 * through the study. It names the option out of bounds: depths
 * when that depth is refused even at width 1, width when that width is refused even at one hidden
 * layer, else both. Cheap: it checks the options, it builds nothing.
 */
export function checkNetworksFit(remedies: readonly TrainableDepthRemedy[], depths: readonly number[], width: number): void {
  for (const remedy of remedies) {
    const deepest = Math.max(0, ...depths.filter((depth) => skipReason(remedy, depth) === undefined));
    if (deepest === 0) continue;
    const refusal = (depth: number, units: number): GradscopeError | undefined => {
      try {
        resolveNetwork(remedy.network(depth, units));
        return undefined;
      } catch (error) {
        if (!(error instanceof GradscopeError) || error.code !== 'INVALID_OPTION') throw error;
        return error;
      }
    };
    const error = refusal(deepest, width);
    if (error === undefined) continue;
    const blamed = refusal(deepest, 1) ? 'depths' : refusal(1, width) ? 'width' : 'depths, width';
    throw invalidOption(`${blamed}: ${remedy.key}'s network of ${counted(deepest, 'hidden layer')} of ${counted(width, 'unit')} is one createNetwork refuses (${error.message})`);
  }
}

/** The remedies to run, by key, checked. */
export function chooseRemedies(keys: readonly string[] | undefined): TrainableDepthRemedy[] {
  if (keys === undefined) return [...TRAINABLE_DEPTH_REMEDIES];
  checkDistinctList(keys, 'remedies', 'remedy keys');
  const known = TRAINABLE_DEPTH_REMEDIES.map((r) => r.key);
  return keys.map((key, i) => TRAINABLE_DEPTH_REMEDIES[known.indexOf(checkChoice(key, known, `remedies[${i}]`))]);
}

/** The chosen remedies (all by default) that train with batch norm, and their batch sizes: their training digits must leave no one-row batch. */
export function remedyBatchNormRuns(keys: readonly string[] | undefined): BatchNormRun[] {
  return batchNormRuns(chooseRemedies(keys));
}

/** Those of `remedies` that train with batch norm, and their batch sizes. */
function batchNormRuns(remedies: readonly TrainableDepthRemedy[]): BatchNormRun[] {
  return remedies.filter((r) => hasBatchNorm(r.network(1, 1))).map((r) => ({ run: r.key, batchSize: r.training.batchSize }));
}

/**
 * The deepest depth of `remedy` whose held-out accuracy, read on `testRows` digits, is above `goal` (lineSide), and
 * the deeper depths whose accuracy is on the line (rows without an accuracy count as neither).
 */
export function deepestTrainable(rows: readonly TrainableDepthRow[], remedy: string, testRows: number, goal = ACCURACY_GOAL): Omit<DeepestTrainable, 'remedy'> {
  if (!Array.isArray(rows)) throw invalidOption(`deepestTrainable: expected the rows of a trainable-depth result, got ${shownArgument(rows)}`);
  checkWhole(testRows, 'testRows', 1);
  const measured = rows.filter((row) => row.remedy === remedy && row.testAccuracy !== null).sort((a, b) => a.depth - b.depth);
  const side = (row: TrainableDepthRow) => lineSide(row.testAccuracy!, testRows, goal);
  const above = measured.filter((row) => side(row) === 'above').map((row) => row.depth);
  const depth = above.length > 0 ? Math.max(...above) : null;
  return { depth, onTheLine: measured.filter((row) => side(row) === 'on the line' && (depth === null || row.depth > depth)).map((row) => row.depth) };
}

/**
 * The band an accuracy on `testRows` held-out digits is on the line within, in words: "within 2 standard errors
 * (binomial, 1,000 held-out digits) of 90 %: 88.1 % to 91.9 %", its ends held within 0 … 100 % (few digits widen it past them).
 */
export function lineText(testRows: number, goal = ACCURACY_GOAL): string {
  const margin = lineMargin(goal, testRows);
  return `within ${ACCURACY_STANDARD_ERRORS} standard errors (binomial, ${counted(testRows, 'held-out digit')}) of ${100 * goal} %: ${percentText(Math.max(0, goal - margin))} to ${percentText(Math.min(1, goal + margin))}`;
}

/** The set-up issue 14's goal is stated for: the study's step budget (its epochs over its training digits) at its width. */
export const GOAL_SETUP = { epochs: TRAINABLE_EPOCHS, trainRows: TRAINABLE_TRAIN_ROWS, width: TRAINABLE_WIDTH } as const;

/** How `setup` differs from GOAL_SETUP, in words ('' when it does not): a run that differs cannot decide the goal. */
function goalSetupDifference(setup: typeof GOAL_SETUP | Record<keyof typeof GOAL_SETUP, number>): string {
  const differences = [
    setup.epochs === GOAL_SETUP.epochs ? '' : `${epochsText(setup.epochs)}, not the ${GOAL_SETUP.epochs} of the budget it is stated for`,
    setup.trainRows === GOAL_SETUP.trainRows ? '' : `${counted(setup.trainRows, 'training digit')}, not ${grouped(GOAL_SETUP.trainRows)}`,
    setup.width === GOAL_SETUP.width ? '' : `hidden layers of ${counted(setup.width, 'unit')}, not ${GOAL_SETUP.width}`,
  ].filter(Boolean);
  return differences.join('; ');
}

/**
 * The issue's goal on these rows, their accuracies read on `testRows` held-out digits, trained with
 * `setup` (default: the goal's own). Each part is decided only where the rows can decide it, else not
 * measured (met null) with the reason: a set-up other than GOAL_SETUP decides neither; plain sigmoid's
 * "between 5 and 20" needs it run at 5 and at 20 hidden layers, unless it trained 20 or more (then it
 * is not met whatever the rest did). A part that turns on an accuracy on the line (lineSide: within 2
 * binomial standard errors of ACCURACY_GOAL) is 'on the line', not met or not met.
 */
export function checkGoal(rows: readonly TrainableDepthRow[], testRows: number, setup: Record<keyof typeof GOAL_SETUP, number> = GOAL_SETUP): GoalCheck {
  const sigmoid = rows.filter((r) => r.remedy === 'plain-sigmoid');
  const { depth: deepest, onTheLine } = deepestTrainable(rows, 'plain-sigmoid', testRows);
  const accuracies = sigmoid.map((r) => `${r.depth}: ${percentText(r.testAccuracy)}`).join(', ');
  const ran = (depth: number) => sigmoid.some((r) => r.depth === depth && r.testAccuracy !== null);
  const difference = goalSetupDifference(setup);
  const undecided = difference && `this run cannot decide it: ${difference}`;
  const line = `on the line (${lineText(testRows)})`;
  // The deepest trained depth is `deepest` or one of the depths on the line above it: met, or not, only where every reading agrees.
  const stops = (depth: number | null) => depth !== null && depth >= 5 && depth < 20;
  const readings = new Set([deepest, ...onTheLine].map(stops));
  const plainSigmoidStops = undecided
    ? { met: null, deepest, why: undecided }
    : (deepest !== null && deepest >= 20) || (ran(5) && ran(20))
      ? {
          met: readings.size > 1 ? ('on the line' as const) : stops(deepest),
          deepest,
          why: `plain-sigmoid held-out accuracy by depth: ${accuracies}${onTheLine.length > 0 ? `; ${line} at ${onTheLine.join(', ')}` : ''}`,
        }
      : { met: null, deepest, why: `plain-sigmoid was not trained at both 5 and 20 hidden layers (${sigmoid.length ? `trained at ${sigmoid.filter((r) => r.testAccuracy !== null).map((r) => r.depth).join(', ') || 'none'}` : 'not run'})` };
  const hundred = rows.filter((r) => r.depth === 100 && r.testAccuracy !== null);
  const at = (side: LineSide) => hundred.filter((r) => lineSide(r.testAccuracy!, testRows, ACCURACY_GOAL) === side);
  const trained = at('above').map((r) => r.remedy);
  const onLine = at('on the line');
  const hundredLayers = undecided
    ? { met: null, remedies: [], onTheLine: [], why: undecided }
    : hundred.length === 0
      ? { met: null, remedies: [], onTheLine: [], why: 'no network of 100 hidden layers was trained' }
      : {
          met: trained.length > 0 ? true : onLine.length > 0 ? ('on the line' as const) : false,
          remedies: trained,
          onTheLine: onLine.map((r) => r.remedy),
          why:
            `best at 100 hidden layers: ${percentText(Math.max(...hundred.map((r) => r.testAccuracy!)))}` +
            (onLine.length > 0 ? `; ${line}: ${onLine.map((r) => `${r.remedy} (${percentText(r.testAccuracy)})`).join(', ')}` : ''),
        };
  return { plainSigmoidStops, hundredLayers };
}

/** A row's measurements where its network did not train (the row's notRun says why): all null. */
export const UNMEASURED = {
  testAccuracy: null,
  trainLoss: null,
  steps: null,
  seconds: null,
  firstToLastAtInit: null,
  firstToLastAtEnd: null,
  deltaFirstToLastAtInit: null,
  deltaFirstToLastAtEnd: null,
} as const;

/** What keeps a remedy from the deeper depths, as its rows' notRun says it. */
function limitOf(remedy: TrainableDepthRemedy): { limit?: string } {
  if (remedy.maxDepth !== undefined) return { limit: `not run above ${remedy.maxDepth.depth} hidden layers: ${remedy.maxDepth.why}` };
  return {};
}

/** Why `remedy` is not run at `depth` (above its cost limit); undefined when it is. */
export function skipReason(remedy: TrainableDepthRemedy, depth: number): string | undefined {
  const skipped = remedy.maxDepth !== undefined && depth > remedy.maxDepth.depth;
  return skipped ? limitOf(remedy).limit : undefined;
}

/** Trains one (remedy, depth) for the budget and measures it. */
async function runOne(remedy: TrainableDepthRemedy, depth: number, width: number, epochs: number, seed: number, backend: BackendChoice | undefined, data: StudyData): Promise<TrainableDepthRow> {
  const run = await runNetwork({ remedy, depth, width, seed, backend, checkpoints: [epochs] }, data);
  const [end] = run.checkpoints;
  return {
    remedy: remedy.key,
    depth,
    testAccuracy: end.testAccuracy,
    trainLoss: end.trainLoss,
    steps: end.steps,
    seconds: end.seconds,
    firstToLastAtInit: run.atInit.biasGradient,
    firstToLastAtEnd: end.atEnd.biasGradient,
    deltaFirstToLastAtInit: run.atInit.delta,
    deltaFirstToLastAtEnd: end.atEnd.delta,
    ...zeroCausesOf(run.atInit, end.atEnd, RATIO_COLUMNS),
    ...(end.stopped === undefined ? {} : { stopped: end.stopped }),
  };
}

/**
 * `measured` (TrainableDepthOptions.measured) by remedy and depth, checked against the run's remedies and depths
 * (INVALID_OPTION naming the entry: not a row, not a network of this run, listed twice).
 */
function measuredRows(measured: readonly TrainableDepthRow[] | undefined, remedies: readonly TrainableDepthRemedy[], depths: readonly number[]): Map<string, TrainableDepthRow> {
  const byNetwork = new Map<string, TrainableDepthRow>();
  if (measured === undefined) return byNetwork;
  if (!Array.isArray(measured)) throw invalidOption(`measured: expected the rows of an earlier run of this set-up, got ${shownArgument(measured)}`);
  measured.forEach((row: unknown, i) => {
    const { remedy, depth } = (typeof row === 'object' && row !== null ? row : {}) as Partial<TrainableDepthRow>;
    if (typeof remedy !== 'string' || typeof depth !== 'number') throw invalidOption(`measured[${i}]: expected a row of the study ({ remedy, depth, … }), got ${shownArgument(row)}`);
    if (!remedies.some((r) => r.key === remedy) || !depths.includes(depth)) {
      throw invalidOption(`measured[${i}]: ${remedy} at ${counted(depth, 'hidden layer')} is not a network of this run (remedies ${remedies.map((r) => r.key).join(', ')}; depths ${depths.join(', ')})`);
    }
    const key = networkKey(remedy, depth);
    if (byNetwork.has(key)) throw invalidOption(`measured[${i}]: ${remedy} at ${counted(depth, 'hidden layer')} is listed twice`);
    byNetwork.set(key, row as TrainableDepthRow);
  });
  return byNetwork;
}

/** One network of the study by its remedy and depth, as a key. */
const networkKey = (remedy: string, depth: number) => `${remedy} ${depth}`;

/** The trainable-depth study (see the module comment). */
export async function runTrainableDepthStudy(options: TrainableDepthOptions = {}): Promise<TrainableDepthResult> {
  checkKnownKeys(
    options,
    keysOf<TrainableDepthOptions>({ depths: true, width: true, epochs: true, remedies: true, trainRows: true, testRows: true, seed: true, backend: true, onRow: true, measured: true }),
    'runTrainableDepthStudy',
  );
  const { depths, width, epochs, seed, remedies, trainRows, testRows } = checkStudySetup(options, { depths: TRAINABLE_DEPTHS });
  checkCallback(options.onRow, 'onRow');
  const measured = measuredRows(options.measured, remedies, depths);
  const data = await loadStudyData(trainRows, testRows);
  const rows: TrainableDepthRow[] = [];
  for (const remedy of remedies) {
    for (const depth of depths) {
      const notRun = skipReason(remedy, depth);
      const row =
        measured.get(networkKey(remedy.key, depth)) ??
        (notRun !== undefined ? { remedy: remedy.key, depth, ...UNMEASURED, notRun } : await runOne(remedy, depth, width, epochs, seed, options.backend, data));
      rows.push(row);
      await options.onRow?.(row);
    }
  }
  return {
    depths,
    width,
    epochs,
    trainRows: data.train.x.rows,
    testRows: data.test.x.rows,
    probeRows: data.probe.x.rows,
    exampleRows: data.examples.x.rows,
    seed,
    remedies: remedies.map((r) => ({ key: r.key, settings: r.settings, ...limitOf(r) })),
    rows,
    deepest: remedies.map((r) => ({ remedy: r.key, ...deepestTrainable(rows, r.key, data.test.x.rows) })),
    goal: checkGoal(rows, data.test.x.rows, { epochs, trainRows: data.train.x.rows, width }),
  };
}
