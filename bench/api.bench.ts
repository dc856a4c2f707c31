/**
 * What users run, beside the inner step: the public `net.train(x, y, options)` over 9,000 MNIST
 * digits (shuffled, batch 64; one epoch per call and ten epochs per call), the same on a dataset
 * uploaded once (`net.dataset(x, y)`, and the upload itself), `evaluate` over the same rows and
 * `predict` of one row, on [784,100,100,10] sigmoid/MSE/SGD, one thread.
 *
 * `ratio` is the public call's time per training step over the inner step's (one batch loaded
 * once and stepped from cache, bench/step.bench.ts): what the API costs on top of the kernels
 * (copying and checking the data set, shuffling, gathering batches, bookkeeping). For
 * train(dataset), the goal's row, it is the median of rounds that alternate one call with as many
 * inner steps; the other rows divide medians measured one task after another. The inner step, the
 * ingest from each form of typed rows (one block, a Float32Array per row), whose time is a goal
 * (bench/goals.ts, INGEST_TARGET_MS), and the ingest's host control (a plain copy of the same bytes,
 * which nothing of gradscope's can slow) run in INGEST_ROUNDS interleaved rounds, so each ingest's
 * line gives the rounds' spread and is judged beside a control. Beside them runs the per-row
 * ingest's own floor (INGEST_ROW_CONTROL_TASK): the same rows copied into plain memory with one
 * TypedArray set per row, nothing checked: what taking the rows one by one costs before any check,
 * and the control the per-row ingest is judged beside (bench/goals.ts ingestGoal).
 *
 * Threads through the API (train() with `threads: 2`) are measured by bench/threads.bench.ts.
 */
import { Bench } from 'tinybench';
import { loadMnist } from '../src/data/mnist.js';
import { createNetwork } from '../src/api/network.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { interleaved, median, medianMs, sideBySide } from './median.js';
import { STEP_BATCH, STEP_SIZES, stepOn } from './step.bench.js';
import { spreadOf, spreadText } from './spread.js';

export const API_ROWS = 9000;
/** Alternating rounds of one train(dataset) call and as many inner steps (the goal's ratio). */
export const TRAIN_DATASET_ROUNDS = 7;
/**
 * Rounds of (inner step, the two ingests, host control), as many as the dense products' (DENSE_ROUNDS), sharing the second
 * each of the two had: the suite took 38.1 and 40.7 s against 38.2 and 40.5 s before (runs of each
 * alternating, 2026-12-01 10:33–10:36, load average ~17). The per-row host control, added later, runs in the same rounds.
 */
export const INGEST_ROUNDS = 11;

export interface ApiRow {
  task: string;
  medianMs: number;
  /** Training steps in one call (0 for inference). */
  steps: number;
  /** Time per training step over the inner step's (training rows only). */
  ratio?: number;
  /** For train(dataset), the goal's row: the per-round ratios its ratio is the median of. */
  ratios?: number[];
  /** For the ingest, the goal's row: its time in each round (medianMs is their median). */
  roundsMs?: number[];
  /** For the ingest: the host control's time in the same rounds (a copy of the same bytes, INGEST_CONTROL_TASK). */
  controlRoundsMs?: number[];
  /** For the ingest from a Float32Array per row: the per-row host control's time in the same rounds (INGEST_ROW_CONTROL_TASK), the control it is judged beside. */
  rowControlRoundsMs?: number[];
}

/** The ingest's host control: Float32Array copies of the data set's inputs and targets, the bytes net.dataset() reads. */
export const INGEST_CONTROL_TASK = 'host control: copy of the same bytes';

/**
 * The per-row ingest's floor: the same rows copied into plain memory with one TypedArray set per row,
 * nothing checked. Its time over the host control's is what taking the rows one by one costs before
 * any check: a call per row and rows read from separate buffers.
 */
export const INGEST_ROW_CONTROL_TASK = 'host control: a set per row of the same rows';

/** The ingest rows, one per form of typed rows net.dataset() takes: each is a goal (bench/goals.ts, ingestGoal). */
export const INGEST_TASKS = {
  block: `ingest: net.dataset() of ${API_ROWS.toLocaleString('en')}×${STEP_SIZES[0]} from one { data, rows, cols }`,
  rows: `ingest: net.dataset() of ${API_ROWS.toLocaleString('en')}×${STEP_SIZES[0]} from a Float32Array per row`,
} as const;

export async function runApiBench(opts: { time?: number } = {}): Promise<ApiRow[]> {
  const kernels = await createWasmKernels({ variant: 'simd' });
  const { train } = await loadMnist({ train: API_ROWS, test: 0 });
  const stepsPerEpoch = Math.ceil(API_ROWS / STEP_BATCH);
  const net = await createNetwork({ sizes: STEP_SIZES, activation: 'sigmoid', output: 'sigmoid', loss: 'mse', seed: 1, backend: kernels });
  const inner = await stepOn(kernels);
  const one = { x: [train.x.data.subarray(0, STEP_SIZES[0])] };

  const time = opts.time ?? 1000;
  const [xCopy, yCopy] = [new Float32Array(train.x.data.length), new Float32Array(train.y.data.length)];
  // The same digits as one Float32Array per row, each in its own buffer, as rows made one at a time are.
  const rowsOf = ({ data, rows, cols }: { data: Float32Array; rows: number; cols: number }) => Array.from({ length: rows }, (_, r) => data.slice(r * cols, (r + 1) * cols));
  const [xRows, yRows] = [rowsOf(train.x), rowsOf(train.y)];
  const rounds = await interleaved(
    [
      { name: 'inner step', run: inner.step, ms: time / INGEST_ROUNDS },
      { name: INGEST_TASKS.block, run: () => net.dataset(train.x, train.y).dispose(), ms: time / INGEST_ROUNDS },
      { name: INGEST_TASKS.rows, run: () => net.dataset(xRows, yRows).dispose(), ms: time / INGEST_ROUNDS },
      {
        name: INGEST_CONTROL_TASK,
        run: () => {
          xCopy.set(train.x.data);
          yCopy.set(train.y.data);
        },
        ms: time / INGEST_ROUNDS,
      },
      {
        name: INGEST_ROW_CONTROL_TASK,
        run: () => {
          for (let r = 0; r < xRows.length; r++) xCopy.set(xRows[r], r * train.x.cols);
          for (let r = 0; r < yRows.length; r++) yCopy.set(yRows[r], r * train.y.cols);
        },
        ms: time / INGEST_ROUNDS,
      },
    ],
    INGEST_ROUNDS,
  );
  // Long calls: a few samples each is enough for a median, and keeps the suite short.
  const bench = new Bench({ time, iterations: 5, warmupIterations: 1 });
  const resident = net.dataset(train.x, train.y);
  bench
    .add('train(dataset) 1 epoch per call', () => void net.train(resident, { epochs: 1, batchSize: STEP_BATCH, learningRate: 0.01 }))
    .add(`evaluate(dataset) ${API_ROWS.toLocaleString('en')} rows`, () => void net.evaluate(resident))
    .add('train() 1 epoch per call', () => void net.train(train.x, train.y, { epochs: 1, batchSize: STEP_BATCH, learningRate: 0.01 }))
    .add('train() 10 epochs per call', () => void net.train(train.x, train.y, { epochs: 10, batchSize: STEP_BATCH, learningRate: 0.01 }))
    .add(`evaluate() ${API_ROWS.toLocaleString('en')} rows`, () => void net.evaluate(train.x, train.y))
    .add('predict() 1 row', () => void net.predict(one.x));
  await bench.run();

  // The goal's ratio, one epoch on the dataset per call, alternates with as many inner steps in
  // rounds, so a busy moment slows both alike.
  const onDataset = await sideBySide(
    () => void net.train(resident, { epochs: 1, batchSize: STEP_BATCH, learningRate: 0.01 }),
    () => {
      for (let s = 0; s < stepsPerEpoch; s++) inner.step();
    },
    opts.time === undefined ? 5000 : 5 * opts.time,
    TRAIN_DATASET_ROUNDS,
  );

  const innerMs = median(rounds.get('inner step')!);
  const row = (task: string, steps: number): ApiRow => {
    const ms = medianMs(bench, task);
    return { task, medianMs: ms, steps, ratio: steps ? ms / steps / innerMs : undefined };
  };
  const rows = [
    { task: `inner step, batch ${STEP_BATCH}`, medianMs: innerMs, steps: 1, ratio: 1 },
    ...Object.values(INGEST_TASKS).map((task) => ({
      task,
      medianMs: median(rounds.get(task)!),
      steps: 0,
      roundsMs: rounds.get(task)!,
      controlRoundsMs: rounds.get(INGEST_CONTROL_TASK)!,
      rowControlRoundsMs: task === INGEST_TASKS.rows ? rounds.get(INGEST_ROW_CONTROL_TASK)! : undefined,
    })),
    ...[INGEST_CONTROL_TASK, INGEST_ROW_CONTROL_TASK].map((task) => ({ task, medianMs: median(rounds.get(task)!), steps: 0, roundsMs: rounds.get(task)! })),
    { ...row('train(dataset) 1 epoch per call', stepsPerEpoch), ratio: onDataset.ratio, ratios: onDataset.ratios },
    row('train() 1 epoch per call', stepsPerEpoch),
    row('train() 10 epochs per call', 10 * stepsPerEpoch),
    row(`evaluate(dataset) ${API_ROWS.toLocaleString('en')} rows`, 0),
    row(`evaluate() ${API_ROWS.toLocaleString('en')} rows`, 0),
    row('predict() 1 row', 0),
  ];
  resident.dispose();
  net.dispose();
  inner.net.dispose();
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runApiBench()) {
    const spread = r.roundsMs ? ` (${spreadText(spreadOf(r.roundsMs), (t) => `${t.toFixed(3)} ms`)})` : '';
    console.log(`${r.task.padEnd(32)} ${r.medianMs.toFixed(3)} ms${spread}${r.ratio === undefined ? '' : `  ${(r.medianMs / r.steps).toFixed(3)} ms/step  ${r.ratio.toFixed(2)}× the inner step`}`);
  }
}
