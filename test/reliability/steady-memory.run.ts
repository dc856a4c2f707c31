/**
 * Run by steady-memory.test.ts in a child process started with `--expose-gc`, optimisation on the
 * main thread and a 64 MiB young generation, so it can collect garbage on demand and see every
 * byte a loop allocates before any scavenge hides it. Prints one JSON line of measurements; the test judges them.
 *
 * Argument: 'wasm' (the one-thread backend), 'threads' (two threads, every product split, at batch 128: ∂W
 * by batch rows), 'threads-pairs' (two threads at batch 32: the first ∂W split by columns, the later ones
 * on the worker beside their ∂input) or
 * 'blocks' (one thread, a block network: batch and layer norm, a ReZero block, an activation layer,
 * through the same Trainable calls train() makes). One backend per process, as a program uses it: mixing both in one process makes the shared network
 * code polymorphic, and what V8 then allocates says nothing about either backend.
 *
 * 1. The training loop as train() runs it (copy a batch in by index, feedforward, backprop, the
 *    non-finite and runaway checks, the SGD update through the step guard), 10,000 steps in 10
 *    windows of 1,000: bytes the JS heap allocated per step in each window and their median, and
 *    the WASM memory size before and after.
 * 2. ('wasm' only) train() itself for 10,000 steps after a warm-up call of the same size: WASM pages and the JS
 *    heap after a full collection, before and after (nothing retained, nothing grown).
 * 3. ('wasm' and 'blocks') 2,000 one-batch train() calls of a Dataset in order, 200 per window after a warm-up of as
 *    many: bytes the JS heap allocated per call in each window and their median.
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { PerformanceObserver } from 'node:perf_hooks';
import { Rng } from '../../src/init/rng.js';
import { createNetwork } from '../../src/api/network.js';
import { runawayLoss } from '../../src/training/numeric-faults.js';
import { StepGuard } from '../../src/training/step-guard.js';
import { Sgd } from '../../src/optim/sgd.js';
import { createThreadedWasmKernels } from '../../src/wasm/threads/threaded-kernels.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { MODEL } from '../../src/model.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { toMatrix } from '../../src/data/matrix.js';

const backend = process.argv[2];
const STEPS = 10_000;
/** The measured steps are read in this many windows; the test judges their median (see steady-memory.test.ts). */
const WINDOWS = 10;
const SIZES = [100, 64, 64, 10];
const threads = backend === 'threads' || backend === 'threads-pairs';
/**
 * On 'threads' 128, the fewest rows whose ∂W the two threads split by batch rows and add up
 * (assembly/gemm.pack.ts' FOLD_MIN_BATCH): every product split, every ∂W through the partial sums.
 * Elsewhere 32, below it: on 'threads-pairs' ∂W splits by columns or runs beside its ∂input.
 */
const BATCH = backend === 'threads' ? 128 : 32;
const ROWS = 10 * BATCH;
/** One-batch train() calls per window (part 3). */
const CALLS_PER_WINDOW = 200;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
if (backend !== 'wasm' && !threads && backend !== 'blocks') throw new Error(`expected 'wasm', 'threads', 'threads-pairs' or 'blocks', got ${backend}`);

/**
 * When each garbage collection started (performance.now() time). The observer delivers an entry
 * some time after its collection, later on a loaded machine: collections in the loop are counted by
 * their time, once a forced one after the loop has been delivered (collectAndSettle), so neither the
 * forced gc() before the loop nor one in the loop can be counted on the wrong side of it.
 */
const collectionTimes: number[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) collectionTimes.push(entry.startTime);
}).observe({ entryTypes: ['gc'] });
const collectionsBetween = (from: number, to: number) => collectionTimes.filter((t) => t >= from && t <= to).length;
/** Collects garbage and waits until the observer has delivered that collection, and so every one before it. */
async function collectAndSettle(): Promise<void> {
  const start = performance.now();
  gc!();
  while (!collectionTimes.some((t) => t >= start)) await settle();
}
const youngBytes = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;
/** Lets the gc observer deliver what it saw. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

const threaded = threads ? await createThreadedWasmKernels({ threads: 2, minFlops: 0, minRowsPerThread: 4 }) : undefined;
const kernels = threaded ?? (await createWasmKernels({ variant: 'simd' }));
const pages = () => kernels.exports.memory.buffer.byteLength / 65536;
const BLOCKS: LayerSpec[] = [
  { type: 'dense', units: SIZES[1], activation: 'relu' },
  { type: 'batch-norm' },
  { type: 'residual', gate: 'rezero', layers: [{ type: 'layer-norm' }, { type: 'dense', units: SIZES[2], activation: 'tanh' }, { type: 'batch-norm' }] },
  { type: 'activation', activation: 'selu' },
  { type: 'dense', units: SIZES[3], activation: 'sigmoid' },
];
const architecture = backend === 'blocks' ? { inputs: SIZES[0], layers: BLOCKS } : { sizes: SIZES, activation: 'sigmoid', output: 'sigmoid' } as const;
const net = await createNetwork({ ...architecture, loss: 'mse', seed: 1, backend: kernels });
const rng = new Rng(3);
const x = Array.from({ length: ROWS }, () => Array.from({ length: SIZES[0] }, () => rng.uniform()));
const y = Array.from({ length: ROWS }, () => Array.from({ length: SIZES[SIZES.length - 1] }, () => rng.uniform()));

// ---- 1. the step, as runTraining's forwardBackward + optimizer.step ----
const k = net.kernels;
const data = { x: toMatrix(x, net.inputSize, 'inputs'), y: toMatrix(y, net.outputSize, 'targets') };
const inputs = { tensor: k.alloc(data.x.data.length), rows: ROWS, cols: SIZES[0] };
const targets = { tensor: k.alloc(data.y.data.length), rows: ROWS, cols: SIZES[SIZES.length - 1] };
k.write(inputs.tensor, data.x.data);
k.write(targets.tensor, data.y.data);
const model = net[MODEL];
model.ensureCapacity(BATCH);
const sgd = new Sgd(net, { momentum: 0.9 });
const guard = new StepGuard(model, sgd);
const order = Uint32Array.from({ length: ROWS }, (_, i) => i);
let faults = 0;
const step = (i: number) => {
  const start = (i * BATCH) % ROWS;
  model.loadBatch(inputs, targets, order, start, BATCH);
  guard.beforeForward();
  model.forward(BATCH, 'train');
  const loss = model.backprop(BATCH);
  if (!Number.isFinite(loss) || (guard.gradientFault() ?? runawayLoss(loss, 1) ?? guard.parameterFault()) !== null) faults++;
  if (guard.step(0.05, BATCH) !== null) faults++;
  model.step++;
};
// Warm up until the optimiser has its buffers and the JIT has compiled the loop (on this thread: see steady-memory.test.ts).
for (let i = 0; i < 2_000; i++) step(i);
await collectAndSettle();
const stepPages0 = pages();
const splits0 = threaded?.splitProducts ?? 0;
const pairs0 = threaded?.pairedProducts ?? 0;
const loopStart = performance.now();
// What one youngBytes() call allocates itself (its statistics objects): each window's second read counts it.
const probeBytes = Math.min(...Array.from({ length: 5 }, () => -youngBytes() + youngBytes()));
/** Bytes allocated per step in each window of STEPS / WINDOWS consecutive steps. */
const windows: number[] = [];
for (let w = 0, perWindow = STEPS / WINDOWS; w < WINDOWS; w++) {
  const before = youngBytes();
  for (let i = w * perWindow; i < (w + 1) * perWindow; i++) step(i);
  windows.push((youngBytes() - before - probeBytes) / perWindow);
}
const loopEnd = performance.now();
await collectAndSettle();
const stepCollections = collectionsBetween(loopStart, loopEnd);
const stepPages1 = pages();
const splitProducts = (threaded?.splitProducts ?? 0) - splits0;
const pairedProducts = (threaded?.pairedProducts ?? 0) - pairs0;
guard.dispose();
sgd.dispose();
k.free(inputs.tensor);
k.free(targets.tensor);

// ---- 2. train() ----
let train: { steps: number; finalLoss: number; pages: [number, number]; heapGrowth: number } | undefined;
if (!threads) {
  // The warm-up call is the same size as the measured one, so whatever the first call leaves for
  // good (compiled code, feedback) is in the heap before the measurement starts.
  const options = { epochs: (STEPS * BATCH) / ROWS, batchSize: BATCH, learningRate: 0.05, momentum: 0.9 };
  net.train(x, y, options);
  gc();
  gc();
  await settle();
  const pages0 = pages();
  const heap0 = process.memoryUsage().heapUsed;
  // Only numbers are kept from the result: its 1,000 epoch records must not count as retained.
  const { steps, finalLoss } = summary(net.train(x, y, options));
  gc();
  gc();
  await settle();
  train = { steps, finalLoss, pages: [pages0, pages()], heapGrowth: process.memoryUsage().heapUsed - heap0 };
}
// ---- 3. one-batch train() calls ----
/** Bytes the JS heap allocated per one-batch train() call of a Dataset, in each window of calls (the calls of issue #16's jax-js goal). */
let callWindows: number[] | undefined;
if (!threads) {
  const rows = net.dataset(x.slice(0, BATCH), y.slice(0, BATCH));
  const options = { batchSize: BATCH, learningRate: 0.05, shuffle: false };
  const call = () => net.train(rows, options);
  for (let i = 0; i < 2_000; i++) call();
  await collectAndSettle();
  const callsStart = performance.now();
  callWindows = [];
  for (let w = 0; w < WINDOWS; w++) {
    const before = youngBytes();
    for (let i = 0; i < CALLS_PER_WINDOW; i++) call();
    callWindows.push((youngBytes() - before - probeBytes) / CALLS_PER_WINDOW);
  }
  const callsEnd = performance.now();
  await collectAndSettle();
  if (collectionsBetween(callsStart, callsEnd) > 0) callWindows = undefined; // a scavenge hid some: no measurement
  rows.dispose();
}
net.dispose();
await threaded?.close();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function summary(result: { epochs: { loss: number }[] }): { steps: number; finalLoss: number } {
  return { steps: result.epochs.length * (ROWS / BATCH), finalLoss: result.epochs[result.epochs.length - 1].loss };
}

console.log(
  JSON.stringify({
    backend,
    steps: STEPS,
    faults,
    bytesPerStep: median(windows),
    windows,
    collections: stepCollections,
    pages: [stepPages0, stepPages1],
    splitProducts,
    pairedProducts,
    train,
    bytesPerCall: callWindows && median(callWindows),
    callWindows,
  }),
);
