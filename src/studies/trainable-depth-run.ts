/**
 * One network of the trainable-depth study (issue 14), trained and measured: a remedy's network at a
 * depth, trained epoch budget after epoch budget (checkpoints), with held-out accuracy, training loss
 * and the first ÷ last hidden gradient ratios measured at initialisation and at every checkpoint.
 * The study's table trains to one checkpoint; its budget sweep (trainable-depth-budget.ts) continues
 * the same network to longer budgets, so a longer budget is the shorter one trained on: one optimiser
 * (its state kept), one RNG stream, one step count, exactly as one longer train() call.
 */
import { createNetwork, type Network } from '../api/network.js';
import type { BackendChoice } from '../backend.js';
import type { Matrix } from '../data/matrix.js';
import { createOptimizer } from '../optim/index.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { Dataset } from '../training/dataset.js';
import { gradientRatios, hasBatchNorm, hiddenBiasNames, type GradientRatios, type ZeroCause } from './gradient-ratios.js';
import { numericFailure } from './paper-experiment.js';
import { loadStudyDigits } from './study-digits.js';
import type { TrainableDepthRemedy } from './trainable-depth-remedies.js';

/** Rows the batch gradient ratio is measured on: the first 1,000 training digits (as study (a)). */
export const PROBE_ROWS = 1000;
/** Rows one example's δ is averaged over (a gradient per row): the first 100 training digits. */
export const EXAMPLE_ROWS = 100;

/** Digits as inputs and one-hot targets. */
export interface Rows {
  /** Inputs, one row per digit. */
  x: Matrix;
  /** One-hot targets. */
  y: Matrix;
}

/** The digits of one study: copied into each network's memory once per network. */
export interface StudyData {
  /** The training digits. */
  train: Rows;
  /** The held-out digits (the ones after the training digits). */
  test: Rows;
  /** The first PROBE_ROWS training digits: the batch gradient ratio's rows. */
  probe: Rows;
  /** The first EXAMPLE_ROWS training digits: one example's δ is averaged over them. */
  examples: Rows;
}

/** The digits (loadMnist's) split as the study uses them (INVALID_OPTION naming trainRows and testRows when they do not fit). */
export async function loadStudyData(trainRows: number, testRows: number): Promise<StudyData> {
  const digits = await loadStudyDigits(trainRows, testRows);
  const first = (m: Matrix, rows: number): Matrix => ({ ...m, data: m.data.subarray(0, rows * m.cols), rows });
  const rows = (count: number): Rows => {
    const n = Math.min(count, digits.train.x.rows);
    return { x: first(digits.train.x, n), y: first(digits.train.y, n) };
  };
  return { train: digits.train, test: digits.test, probe: rows(PROBE_ROWS), examples: rows(EXAMPLE_ROWS) };
}

/** First ÷ last hidden layer of ‖∂C/∂b‖ and of one example's RMS ‖δ‖ (null: not defined, or the numbers are no longer finite). */
export interface Ratios {
  /** First ÷ last hidden ‖∂C/∂b‖ over the probe digits. */
  biasGradient: number | null;
  /** First ÷ last hidden per-example RMS ‖δ‖ (null with batch norm, which couples the rows). */
  delta: number | null;
  /** Why each ratio that is exactly 0 is 0 (GradientRatios.zeroCauses); absent when neither is. */
  zeroCauses?: GradientRatios['zeroCauses'];
}

/**
 * A row's ratio columns, by the names the study's rows and the budget sweep's give them: first ÷ last
 * hidden ‖∂C/∂b‖, then RMS ‖δ‖, each at initialisation and at the end. The one list of them.
 */
export const RATIO_COLUMNS = ['firstToLastAtInit', 'firstToLastAtEnd', 'deltaFirstToLastAtInit', 'deltaFirstToLastAtEnd'] as const;
/** One of RATIO_COLUMNS. */
export type RatioColumn = (typeof RATIO_COLUMNS)[number];

/** A row's zeroCauses: why each of its ratios that is exactly 0 is 0 (see ZeroCause). */
export type ZeroCauses = Partial<Record<RatioColumn, ZeroCause>>;

/** `{ zeroCauses }` of a row measured at `atInit` and `atEnd`, or nothing where no ratio is 0. */
export function zeroCausesOf(atInit: Ratios, atEnd: Ratios | undefined, columns: readonly RatioColumn[]): { zeroCauses?: ZeroCauses } {
  const of: Record<RatioColumn, ZeroCause | undefined> = {
    firstToLastAtInit: atInit.zeroCauses?.biasGradient,
    firstToLastAtEnd: atEnd?.zeroCauses?.biasGradient,
    deltaFirstToLastAtInit: atInit.zeroCauses?.delta,
    deltaFirstToLastAtEnd: atEnd?.zeroCauses?.delta,
  };
  const causes: ZeroCauses = {};
  for (const column of columns) if (of[column]) causes[column] = of[column];
  return Object.keys(causes).length ? { zeroCauses: causes } : {};
}

/** The network measured at one checkpoint. */
export interface Checkpoint {
  /** Training steps taken so far. */
  steps: number;
  /** Wall-clock seconds of training so far. */
  seconds: number;
  /** Held-out accuracy as a fraction (null: the outputs overflow float32). */
  testAccuracy: number | null;
  /** Mean cross-entropy over all training digits (null as testAccuracy). */
  trainLoss: number | null;
  /** Gradient ratios now. */
  atEnd: Ratios;
  /** A numeric failure: training stopped before this checkpoint (its numbers are of the last good weights), or the outputs overflow. */
  stopped?: string;
}

/** What one network's run gives. */
export interface NetworkRun {
  /** Gradient ratios at initialisation. */
  atInit: Ratios;
  /** One per checkpoint reached, in order; after a numeric failure no further checkpoint is trained. */
  checkpoints: Checkpoint[];
  /** With `curve`: held-out accuracy after every epoch, and the step it was measured at. */
  curve?: {
    /** Steps taken at each epoch's end. */
    steps: number[];
    /** Held-out accuracy then, as a fraction. */
    testAccuracy: number[];
  };
}

/** What to train: a remedy at a depth, with what overrides its own training. */
export interface NetworkRunOptions {
  /** The remedy: its network and its training. */
  remedy: TrainableDepthRemedy;
  /** Hidden layers. */
  depth: number;
  /** Units per hidden layer. */
  width: number;
  /** The network's seed. */
  seed: number;
  /** Backend of the network (default 'wasm'). */
  backend?: BackendChoice;
  /** Step size instead of the remedy's own (absent: the remedy's). */
  learningRate?: number;
  /** Total epochs at each checkpoint, ascending. */
  checkpoints: readonly number[];
  /** Record held-out accuracy after every epoch (costs an evaluation of the held-out digits per epoch). */
  curve?: boolean;
}

/** Gradient ratios, or nulls when the network's numbers are no longer finite. */
function ratiosOrNull(net: Network, probe: { data: Dataset; rows: Matrix }, examples: Rows, names: string[], perExample: boolean): Ratios {
  try {
    return gradientRatios(net, probe, examples, names, perExample);
  } catch (error) {
    numericFailure(error);
    return { biasGradient: null, delta: null };
  }
}

/** Trains one remedy's network to each checkpoint in turn and measures it there. */
export async function runNetwork(options: NetworkRunOptions, data: StudyData): Promise<NetworkRun> {
  const { remedy, depth, width, seed, backend } = options;
  const networkOptions = remedy.network(depth, width);
  const names = hiddenBiasNames(networkOptions);
  const perExample = !hasBatchNorm(networkOptions);
  const net = await createNetwork({ ...networkOptions, seed, backend });
  const held: Dataset[] = [];
  const upload = (rows: Rows) => {
    const d = net.dataset(rows.x, rows.y);
    held.push(d);
    return d;
  };
  const { optimizer: spec, learningRate, batchSize, extra } = remedy.training;
  let optimizer: Optimizer | undefined;
  try {
    // One optimiser for every checkpoint, so its state (momentum, Adam's moments and step) carries on.
    optimizer = createOptimizer(net, spec);
    const train = upload(data.train);
    const test = upload(data.test);
    const probe = upload(data.probe);
    remedy.initialise?.(net, data.examples.x);
    const atInit = ratiosOrNull(net, { data: probe, rows: data.probe.x }, data.examples, names, perExample);
    const curve = options.curve ? { steps: [] as number[], testAccuracy: [] as number[] } : undefined;
    const checkpoints: Checkpoint[] = [];
    // Steps from the network's own count (onBatch would make train measure the parameters again after every batch).
    const firstStep = net.step;
    const stepsTaken = () => net.step - firstStep;
    let epochs = 0;
    let seconds = 0;
    let stopped: string | undefined;
    for (const total of options.checkpoints) {
      const started = performance.now();
      try {
        net.train(train, {
          ...extra,
          optimizer,
          learningRate: options.learningRate ?? learningRate,
          batchSize,
          epochs: total - epochs,
          ...(curve && {
            validation: test,
            onEpoch: (info) => {
              curve.steps.push(stepsTaken());
              curve.testAccuracy.push(info.validation!.accuracy);
            },
          }),
        });
      } catch (error) {
        stopped = numericFailure(error);
      }
      seconds += (performance.now() - started) / 1000;
      epochs = total;
      const atEnd = ratiosOrNull(net, { data: probe, rows: data.probe.x }, data.examples, names, perExample);
      let evaluation: { testAccuracy: number | null; trainLoss: number | null };
      try {
        // A curve's last point, after a run that finished its epochs, is these weights' held-out accuracy already.
        const measured = curve !== undefined && stopped === undefined ? curve.testAccuracy.at(-1) : undefined;
        evaluation = { testAccuracy: measured ?? net.evaluate(test).accuracy, trainLoss: net.evaluate(train).loss };
      } catch (error) {
        // Outputs that overflow float32 classify nothing: no accuracy, and the checkpoint says why.
        stopped = [stopped, numericFailure(error)].filter(Boolean).join('; ');
        evaluation = { testAccuracy: null, trainLoss: null };
      }
      checkpoints.push({ steps: stepsTaken(), seconds, ...evaluation, atEnd, ...(stopped === undefined ? {} : { stopped }) });
      if (stopped !== undefined) break;
    }
    return { atInit, checkpoints, ...(curve && { curve }) };
  } finally {
    optimizer?.dispose();
    for (const d of held) d.dispose();
    net.dispose();
  }
}
