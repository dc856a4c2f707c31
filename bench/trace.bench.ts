/**
 * The cost of the gradient-flow trace: one training step (feedforward, backprop, SGD update) of
 * [784,100,100,10] sigmoid + softmax at batch 64 on wasm-simd, without tracing and with a record at
 * every step (and every 10th), in steady state (the recorder opened once, as in a long train() call).
 * The cases run in TRACE_ROUNDS interleaved rounds; `ratio` is the median of the per-round ratios of
 * the traced step's time over the untraced one's; the goal is ≤ 1.10 at every step.
 */
import { TraceRecorder, type TraceOptions } from '../src/flow/recorder.js';
import { Rng } from '../src/init/rng.js';
import { createNetwork, type Network } from '../src/api/network.js';
import { Sgd } from '../src/optim/sgd.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { interleaved, median, type RoundTask } from './median.js';
import { roundRatios } from './spread.js';
import { denseModelOf, MODEL } from '../src/model.js';
import type { LayerSpec } from '../src/layers/spec.js';

export const TRACE_BENCH_SIZES = [784, 100, 100, 10];
export const TRACE_BENCH_BATCH = 64;
const LEARNING_RATE = 0.01;

export interface TraceBenchRow {
  name: string;
  medianMs: number;
  /** Median of the per-round ratios of the step's time over the untraced step's (1 for that step itself). */
  ratio?: number;
  /** Those ratios, one per round. */
  ratios?: number[];
}

/** Rounds of the cases (each round runs every case once, the order rotated). */
export const TRACE_ROUNDS = 11;

/** A network with one batch loaded, and a step that optionally records into a trace. */
async function stepper(seed: number): Promise<{ net: Network; step: (recorder?: TraceRecorder) => void }> {
  const kernels = await createWasmKernels({ variant: 'simd' });
  const net = await createNetwork({ sizes: TRACE_BENCH_SIZES, activation: 'sigmoid', output: 'softmax', init: 'glorot-uniform', seed, backend: kernels });
  const rng = new Rng(seed);
  const [nIn, nOut] = [TRACE_BENCH_SIZES[0], TRACE_BENCH_SIZES[TRACE_BENCH_SIZES.length - 1]];
  denseModelOf(net, 'test').ensureCapacity(TRACE_BENCH_BATCH);
  net.kernels.write(denseModelOf(net, 'test').activations[0], Float32Array.from({ length: TRACE_BENCH_BATCH * nIn }, () => rng.uniform()));
  net.kernels.write(denseModelOf(net, 'test').targets!, Float32Array.from({ length: TRACE_BENCH_BATCH * nOut }, (_, i) => (i % nOut === (i / nOut) % nOut ? 1 : 0)));
  const sgd = new Sgd(net);
  // The same sequence as train(): backprop, the recorder, the update, the recorder again.
  const step = (recorder?: TraceRecorder) => {
    denseModelOf(net, 'test').feedforward(TRACE_BENCH_BATCH);
    const loss = denseModelOf(net, 'test').backprop(TRACE_BENCH_BATCH);
    const traced = recorder?.wants(net.step + 1) === true;
    if (traced) recorder!.afterBackprop(TRACE_BENCH_BATCH, loss);
    sgd.step(denseModelOf(net, 'test'), LEARNING_RATE, TRACE_BENCH_BATCH);
    net.step++;
    if (traced) recorder!.afterStep();
  };
  return { net, step };
}

/** Runs the cases in interleaved rounds, closes what they opened, and gives each its median and its per-round ratios to the first (untraced) case. */
async function runCases(tasks: readonly RoundTask[], opened: readonly { net: Network; recorder?: TraceRecorder }[]): Promise<TraceBenchRow[]> {
  const times = await interleaved(tasks, TRACE_ROUNDS);
  opened.forEach(({ net, recorder }) => {
    recorder?.close();
    net.dispose();
  });
  const base = times.get(tasks[0].name)!;
  return tasks.map(({ name }) => {
    const ratios = roundRatios(times.get(name)!, base);
    return { name, medianMs: median(times.get(name)!), ratio: median(ratios), ratios };
  });
}

export async function runTraceBench(opts: { time?: number } = {}): Promise<TraceBenchRow[]> {
  const cases: { name: string; trace?: TraceOptions }[] = [
    { name: 'step, no trace' },
    { name: 'step, trace every step (‖W‖₂ and p98 every 10th)', trace: { every: 1 } },
    { name: 'step, trace every step, everything every step', trace: { every: 1, refreshEvery: 1 } },
    { name: 'step, trace every 10th step (‖W‖₂ and p98 every record)', trace: { every: 10 } },
  ];
  const ms = (opts.time ?? 1500) / TRACE_ROUNDS;
  const tasks: RoundTask[] = [];
  const opened: { net: Network; recorder?: TraceRecorder }[] = [];
  for (const c of cases) {
    const { net, step } = await stepper(1);
    const recorder = c.trace ? new TraceRecorder(net, { ...c.trace, histogramSteps: [] }) : undefined;
    opened.push({ net, recorder });
    tasks.push({ name: c.name, run: () => step(recorder), ms });
  }
  return runCases(tasks, opened);
}

/** The block network of the block rows: batch norm before relu, two residual blocks of two dense layers (one ReZero), softmax. */
export const BLOCK_TRACE_BENCH_LAYERS: LayerSpec[] = [
  { type: 'dense', units: 100 },
  { type: 'batch-norm' },
  { type: 'activation', activation: 'relu' },
  { type: 'residual', layers: [{ type: 'dense', units: 100, activation: 'relu' }, { type: 'dense', units: 100 }] },
  { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 100, activation: 'relu' }, { type: 'dense', units: 100 }] },
  { type: 'dense', units: 10, activation: 'softmax' },
];

/** The same steps on a block network (784 inputs, BLOCK_TRACE_BENCH_LAYERS), batch 64: untraced, traced every step, every 10th. */
export async function runBlockTraceBench(opts: { time?: number } = {}): Promise<TraceBenchRow[]> {
  const cases: { name: string; trace?: TraceOptions }[] = [
    { name: 'block step, no trace' },
    { name: 'block step, trace every step', trace: { every: 1 } },
    { name: 'block step, trace every 10th step', trace: { every: 10 } },
  ];
  const ms = (opts.time ?? 1500) / TRACE_ROUNDS;
  const tasks: RoundTask[] = [];
  const opened: { net: Network; recorder?: TraceRecorder }[] = [];
  for (const c of cases) {
    const kernels = await createWasmKernels({ variant: 'simd' });
    const net = await createNetwork({ inputs: 784, layers: BLOCK_TRACE_BENCH_LAYERS, init: 'he-normal', seed: 1, backend: kernels });
    const model = net[MODEL];
    const rng = new Rng(1);
    model.ensureCapacity(TRACE_BENCH_BATCH);
    net.kernels.write(model.input, Float32Array.from({ length: TRACE_BENCH_BATCH * 784 }, () => rng.uniform()));
    net.kernels.write(model.targets, Float32Array.from({ length: TRACE_BENCH_BATCH * 10 }, (_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0)));
    const sgd = new Sgd(net);
    const recorder = c.trace ? new TraceRecorder(net, { ...c.trace, histogramSteps: [] }) : undefined;
    opened.push({ net, recorder });
    // As train() does it: forward, the probes set for this step, backprop, the recorder, the update.
    const run = () => {
      model.forward(TRACE_BENCH_BATCH, 'train');
      recorder?.beforeBackprop(model.step + 1);
      const loss = model.backprop(TRACE_BENCH_BATCH);
      const traced = recorder?.wants(model.step + 1) === true;
      if (traced) recorder!.afterBackprop(TRACE_BENCH_BATCH, loss);
      sgd.step(model, LEARNING_RATE, TRACE_BENCH_BATCH);
      model.step++;
      if (traced) recorder!.afterStep();
    };
    tasks.push({ name: c.name, run, ms });
  }
  return runCases(tasks, opened);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`trace cost on [${TRACE_BENCH_SIZES.join(',')}] batch ${TRACE_BENCH_BATCH}, wasm-simd (ratio: over the untraced step; goal ≤ 1.10)`);
  for (const row of await runTraceBench()) {
    console.log(`${row.name.padEnd(52)} ${row.medianMs.toFixed(3).padStart(8)} ms  ${row.ratio!.toFixed(3).padStart(6)}×`);
  }
  console.log(`block network: 784 → [${BLOCK_TRACE_BENCH_LAYERS.map((l) => l.type).join(', ')}], batch ${TRACE_BENCH_BATCH}`);
  for (const row of await runBlockTraceBench()) {
    console.log(`${row.name.padEnd(52)} ${row.medianMs.toFixed(3).padStart(8)} ms  ${row.ratio!.toFixed(3).padStart(6)}×`);
  }
}
