/**
 * The cost of the gradient-flow trace: one training step (feedforward, backprop, SGD update) of
 * [784,100,100,10] sigmoid + softmax at batch 64 on wasm-simd, without tracing and with a record at
 * every step (and every 10th), in steady state (the recorder opened once, as in a long train() call).
 * Each timed call runs STEPS_PER_CALL steps, so that every call of a traced case holds its share of
 * the records that cost more (one ‖W‖₂ refresh when tracing every step, one record when tracing
 * every 10th): a median over single steps would leave them out. The cases run in TRACE_ROUNDS
 * alternating rounds; `ratio` is the median of the per-round ratios of the traced step's time over
 * the untraced one's; the goal is ≤ 1.10 at every step. Also the products of one power-iteration
 * round, as the refresh runs them (matVec) and as it ran them before (the dense products at batch 1).
 */
import { TraceRecorder, type TraceOptions } from '../src/flow/recorder.js';
import { Rng } from '../src/init/rng.js';
import { createNetwork, type Network } from '../src/api/network.js';
import { Sgd } from '../src/optim/sgd.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { createRefKernels } from '../src/ref/ref-kernels.js';
import { alternating, interleaved, median, type AlternatingTask, type RoundTask } from './median.js';
import { roundRatios, spreadOf, spreadText } from './spread.js';
import { denseModelOf, MODEL } from '../src/model.js';
import { REFRESH_STEPS } from '../src/flow/metrics.js';
import type { LayerSpec } from '../src/layers/spec.js';
import { WEIGHT_STAT_COUNT } from '../src/kernels.js';

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

/** Steps per timed call: a whole refresh period (REFRESH_STEPS, the default refreshEvery's span). */
export const STEPS_PER_CALL = REFRESH_STEPS;

/**
 * Rounds of the cases, in each of which the cases take turns call by call, TRACE_CALLS calls each
 * (bench/median.ts alternating): a traced call and the untraced one beside it meet the same load.
 * 41 rounds of 9 calls read the traced step's ratio at 1.082×, middle half 1.070–1.118× (all
 * 0.916–1.255×), in a run of 44 s with the block network's cases and the ‖W‖₂ rows, and 1.102×,
 * middle half 1.070–1.159×, in the next run; 61 rounds in which each case ran its ~4 calls together
 * (tinybench, 50 ms a case) read 1.074×, middle half 0.990–1.127× (AMD EPYC Zen 3, 2026-12-02
 * 05:18–05:26 UTC, load 9–12).
 */
export const TRACE_ROUNDS = 41;
/** Calls of each case per round (each of STEPS_PER_CALL steps). */
export const TRACE_CALLS = 9;

/** A network with one batch loaded, and a step that optionally records into a trace. */
async function stepper(seed: number): Promise<{ net: Network; steps: (recorder?: TraceRecorder) => void }> {
  const kernels = await createWasmKernels({ variant: 'simd' });
  const net = await createNetwork({ sizes: TRACE_BENCH_SIZES, activation: 'sigmoid', output: 'softmax', init: 'glorot-uniform', seed, backend: kernels });
  const rng = new Rng(seed);
  const [nIn, nOut] = [TRACE_BENCH_SIZES[0], TRACE_BENCH_SIZES[TRACE_BENCH_SIZES.length - 1]];
  denseModelOf(net, 'test').ensureCapacity(TRACE_BENCH_BATCH);
  net.kernels.write(denseModelOf(net, 'test').activations[0], Float32Array.from({ length: TRACE_BENCH_BATCH * nIn }, () => rng.uniform()));
  net.kernels.write(denseModelOf(net, 'test').targets!, Float32Array.from({ length: TRACE_BENCH_BATCH * nOut }, (_, i) => (i % nOut === (i / nOut) % nOut ? 1 : 0)));
  const sgd = new Sgd(net);
  // The same sequence as train(): backprop, the request that the update measure the weights, the recorder, the update, the recorder again.
  const step = (recorder?: TraceRecorder) => {
    denseModelOf(net, 'test').feedforward(TRACE_BENCH_BATCH);
    const loss = denseModelOf(net, 'test').backprop(TRACE_BENCH_BATCH);
    const traced = recorder?.wants(net.step + 1) === true;
    if (traced) {
      sgd.measureUpdate(recorder!.updateStatistics);
      recorder!.afterBackprop(TRACE_BENCH_BATCH, loss);
    }
    sgd.step(denseModelOf(net, 'test'), LEARNING_RATE, TRACE_BENCH_BATCH);
    net.step++;
    if (traced) recorder!.afterStep();
  };
  const steps = (recorder?: TraceRecorder) => {
    for (let i = 0; i < STEPS_PER_CALL; i++) step(recorder);
  };
  return { net, steps };
}

/** Runs the cases in alternating rounds, closes what they opened, and gives each its median per step and its per-round ratios to the first (untraced) case. */
function runCases(tasks: readonly AlternatingTask[], opened: readonly { net: Network; recorder?: TraceRecorder }[]): TraceBenchRow[] {
  const times = alternating(tasks, TRACE_ROUNDS, TRACE_CALLS);
  opened.forEach(({ net, recorder }) => {
    recorder?.close();
    net.dispose();
  });
  const base = times.get(tasks[0].name)!;
  return tasks.map(({ name }) => {
    const ratios = roundRatios(times.get(name)!, base);
    return { name, medianMs: median(times.get(name)!) / STEPS_PER_CALL, ratio: median(ratios), ratios };
  });
}

export async function runTraceBench(): Promise<TraceBenchRow[]> {
  const cases: { name: string; trace?: TraceOptions }[] = [
    { name: 'step, no trace' },
    { name: 'step, trace every step (‖W‖₂ and p98 every 10th)', trace: { every: 1 } },
    { name: 'step, trace every step, everything every step', trace: { every: 1, refreshEvery: 1 } },
    { name: 'step, trace every 10th step (‖W‖₂ and p98 every record)', trace: { every: 10 } },
  ];
  const tasks: AlternatingTask[] = [];
  const opened: { net: Network; recorder?: TraceRecorder }[] = [];
  for (const c of cases) {
    const { net, steps } = await stepper(1);
    const recorder = c.trace ? new TraceRecorder(net, { ...c.trace, histogramSteps: [] }) : undefined;
    opened.push({ net, recorder });
    tasks.push({ name: c.name, run: () => steps(recorder) });
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
export async function runBlockTraceBench(): Promise<TraceBenchRow[]> {
  const cases: { name: string; trace?: TraceOptions }[] = [
    { name: 'block step, no trace' },
    { name: 'block step, trace every step', trace: { every: 1 } },
    { name: 'block step, trace every 10th step', trace: { every: 10 } },
  ];
  const tasks: AlternatingTask[] = [];
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
    // As train() does it: forward, the probes set for this step, backprop, the request to the update, the recorder, the update.
    const run = () => {
      model.forward(TRACE_BENCH_BATCH, 'train');
      recorder?.beforeBackprop(model.step + 1);
      const loss = model.backprop(TRACE_BENCH_BATCH);
      const traced = recorder?.wants(model.step + 1) === true;
      if (traced) {
        sgd.measureUpdate(recorder!.updateStatistics);
        recorder!.afterBackprop(TRACE_BENCH_BATCH, loss);
      }
      sgd.step(model, LEARNING_RATE, TRACE_BENCH_BATCH);
      model.step++;
      if (traced) recorder!.afterStep();
    };
    const steps = () => {
      for (let i = 0; i < STEPS_PER_CALL; i++) run();
    };
    tasks.push({ name: c.name, run: steps });
  }
  return runCases(tasks, opened);
}

/** Rounds of the power-iteration products' rows (runPowerRoundBench). */
const POWER_ROUNDS = 21;

/**
 * One power-iteration round's products (W·v, then Wᵀ·u) on the first layer of TRACE_BENCH_SIZES,
 * by the matrix-vector kernels the ‖W‖₂ refresh runs (src/flow/spectral.ts), and by the dense
 * products at batch 1 it ran before them (a zero bias, ∂input into a zeroed vector): the second
 * row's ratio is its time over the first's, per round.
 */
export async function runPowerRoundBench(): Promise<TraceBenchRow[]> {
  const k = await createWasmKernels({ variant: 'simd' });
  const [nIn, nOut] = TRACE_BENCH_SIZES;
  const rng = new Rng(1);
  const filled = (n: number) => {
    const t = k.alloc(n);
    k.write(t, Float32Array.from({ length: n }, () => rng.normal() / Math.sqrt(nIn)));
    return t;
  };
  const [w, v, u, zeroBias] = [filled(nOut * nIn), filled(nIn), k.alloc(nOut), k.alloc(nOut)];
  // v is rescaled each call, as powerIteration does, so that repeated rounds neither overflow nor vanish.
  const rescaled = (round: () => void) => () => {
    round();
    k.scale(v, nIn, 1 / Math.sqrt(k.sumSquares(v, nIn)));
  };
  const tasks: RoundTask[] = [
    { name: `‖W‖₂ round ${nIn}→${nOut}: matVec, matVecTransposed`, run: rescaled(() => (k.matVec(u, w, v, nIn, nOut), k.matVecTransposed(v, w, u, nIn, nOut))), ms: 20, calls: 16 },
    {
      name: `‖W‖₂ round ${nIn}→${nOut}: denseForward, denseBackwardInput at batch 1`,
      run: rescaled(() => (k.denseForward(u, v, w, zeroBias, 1, nIn, nOut), k.zero(v, nIn), k.denseBackwardInput(v, u, w, 1, nIn, nOut))),
      ms: 20,
      calls: 16,
    },
  ];
  const times = await interleaved(tasks, POWER_ROUNDS);
  const base = times.get(tasks[0].name)!;
  return tasks.map(({ name }) => {
    const ratios = roundRatios(times.get(name)!, base);
    return { name, medianMs: median(times.get(name)!), ratio: median(ratios), ratios };
  });
}

/** Sides of the proof's factorisation rows (runBoundTestBench): the Gram of the bench network's hidden layers, and of study (b)'s 256-wide ones. */
export const BOUND_TEST_SIDES = [100, 256];

/**
 * The test behind the trace's proved bound on ‖W‖₂ (src/flow/spectral-bound.ts), a float64 Cholesky
 * factorisation of t·I − G for the Gram matrix G of a random square W, at a t it passes: by the
 * ref backend's shiftedCholeskyPasses (its float64 twin, which allocates its factor at every call:
 * not the JavaScript the bound ran before the kernel, which reused its memory) and by the wasm-simd
 * one; per side, the second row's ratio is its time over the first's, per round.
 */
export async function runBoundTestBench(): Promise<TraceBenchRow[]> {
  const wasm = await createWasmKernels({ variant: 'simd' });
  const ref = createRefKernels({ precision: 'f64' });
  const rows: TraceBenchRow[] = [];
  for (const side of BOUND_TEST_SIDES) {
    const rng = new Rng(side);
    const w = Float32Array.from({ length: side * side }, () => rng.normal() / Math.sqrt(side));
    // G = W·Wᵀ in float64, rounded to f32 as the wasm core's Gram is, so both backends test the same matrix.
    const g = new Float32Array(side * side);
    let trace = 0;
    for (let i = 0; i < side; i++) {
      for (let j = 0; j < side; j++) {
        let sum = 0;
        for (let c = 0; c < side; c++) sum += w[i * side + c] * w[j * side + c];
        g[i * side + j] = sum;
      }
      trace += g[i * side + i];
    }
    const t = trace; // ≥ λmax(G): every pivot passes, so every call factorises all of it
    const gRef = ref.alloc(side * side);
    ref.write(gRef, g);
    const gWasm = wasm.alloc(side * side);
    wasm.write(gWasm, g);
    const tasks: RoundTask[] = [
      { name: `bound test n=${side}: ref twin (allocates its factor)`, run: () => ref.shiftedCholeskyPasses(gRef, t, side), ms: 20, calls: 4 },
      { name: `bound test n=${side}: wasm-simd`, run: () => wasm.shiftedCholeskyPasses(gWasm, t, side), ms: 20, calls: 4 },
    ];
    const times = await interleaved(tasks, POWER_ROUNDS);
    const base = times.get(tasks[0].name)!;
    rows.push(...tasks.map(({ name }) => {
      const ratios = roundRatios(times.get(name)!, base);
      return { name, medianMs: median(times.get(name)!), ratio: median(ratios), ratios };
    }));
  }
  return rows;
}

/**
 * The weights' part of a traced step of SGD on TRACE_BENCH_SIZES' weight layers: the update (plain
 * SGD's axpy; with momentum, sgdUpdate) beside the trace's separate pass (weightStats, as with an
 * optimiser whose update cannot measure them), and the one pass that does both (sgdStepStats,
 * sgdUpdateStats: what train() runs); each one-pass row's ratio is its time over the row before it,
 * per round. All update the weights by a learning rate small enough that they hardly move over the rounds.
 */
export async function runTracedUpdateBench(): Promise<TraceBenchRow[]> {
  const k = await createWasmKernels({ variant: 'simd' });
  const rng = new Rng(1);
  const stats = new Float64Array(WEIGHT_STAT_COUNT);
  const layers = TRACE_BENCH_SIZES.slice(1).map((nOut, l) => {
    const n = nOut * TRACE_BENCH_SIZES[l];
    const [w, g, snapshot, velocity] = [k.alloc(n), k.alloc(n), k.alloc(n), k.alloc(n)];
    k.write(w, Float32Array.from({ length: n }, () => rng.normal() / Math.sqrt(TRACE_BENCH_SIZES[l])));
    k.write(g, Float32Array.from({ length: n }, () => 1e-3 * rng.normal()));
    return { n, w, g, snapshot, velocity };
  });
  const rate = 1e-6;
  const weights = layers.reduce((n, l) => n + l.n, 0).toLocaleString('en-US');
  const tasks: RoundTask[] = [
    { name: `traced SGD update of ${weights} weights: axpy, weightStats`, run: () => layers.forEach((l) => (k.weightStats(stats, l.snapshot, l.w, l.g, l.n), k.axpy(l.w, l.g, l.n, -rate))), ms: 20, calls: 16 },
    { name: `traced SGD update of ${weights} weights: sgdStepStats`, run: () => layers.forEach((l) => k.sgdStepStats(stats, l.w, l.g, l.n, rate)), ms: 20, calls: 16 },
    { name: `traced momentum-SGD update of ${weights} weights: sgdUpdate, weightStats`, run: () => layers.forEach((l) => (k.weightStats(stats, l.snapshot, l.w, l.g, l.n), k.sgdUpdate(l.w, l.velocity, l.g, l.n, rate, 0.9, 0))), ms: 20, calls: 16 },
    { name: `traced momentum-SGD update of ${weights} weights: sgdUpdateStats`, run: () => layers.forEach((l) => k.sgdUpdateStats(stats, l.w, l.velocity, l.g, l.n, rate, 0.9, 0)), ms: 20, calls: 16 },
  ];
  const times = await interleaved(tasks, POWER_ROUNDS);
  return tasks.map(({ name }, i) => {
    const ratios = roundRatios(times.get(name)!, times.get(tasks[i - (i % 2)].name)!);
    return { name, medianMs: median(times.get(name)!), ratio: median(ratios), ratios };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`trace cost on [${TRACE_BENCH_SIZES.join(',')}] batch ${TRACE_BENCH_BATCH}, wasm-simd (ratio: over the untraced step; goal ≤ 1.10)`);
  const dense = await runTraceBench();
  for (const row of dense) {
    console.log(`${row.name.padEnd(52)} ${row.medianMs.toFixed(3).padStart(8)} ms  ${row.ratio!.toFixed(3).padStart(6)}×`);
  }
  console.log(`block network: 784 → [${BLOCK_TRACE_BENCH_LAYERS.map((l) => l.type).join(', ')}], batch ${TRACE_BENCH_BATCH}`);
  for (const row of await runBlockTraceBench()) {
    console.log(`${row.name.padEnd(52)} ${row.medianMs.toFixed(3).padStart(8)} ms  ${row.ratio!.toFixed(3).padStart(6)}×`);
  }
  const spread = (rows: TraceBenchRow[]) => spreadText(spreadOf(rows[1].ratios!), (r) => `${r.toFixed(3)}×`);
  console.log(`(${TRACE_ROUNDS} rounds, ${STEPS_PER_CALL} steps per call; the traced step's ratios: ${spread(dense)})`);
  console.log(`power iteration, one round's products (ratio: over the matrix-vector kernels; ${POWER_ROUNDS} rounds)`);
  for (const row of await runPowerRoundBench()) {
    console.log(`${row.name.padEnd(68)} ${(row.medianMs * 1000).toFixed(1).padStart(8)} µs  ${row.ratio!.toFixed(3).padStart(6)}×`);
  }
  console.log(`the weights' part of a traced SGD step (ratio: over the update and the trace's pass apart; ${POWER_ROUNDS} rounds)`);
  for (const row of await runTracedUpdateBench()) {
    console.log(`${row.name.padEnd(68)} ${(row.medianMs * 1000).toFixed(1).padStart(8)} µs  ${row.ratio!.toFixed(3).padStart(6)}×`);
  }
  console.log(`the proof's factorisation of t·I − G (ratio: over the ref backend's; ${POWER_ROUNDS} rounds)`);
  for (const row of await runBoundTestBench()) {
    console.log(`${row.name.padEnd(68)} ${(row.medianMs * 1000).toFixed(1).padStart(8)} µs  ${row.ratio!.toFixed(3).padStart(6)}×`);
  }
}
