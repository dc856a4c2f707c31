/**
 * One job per half step (issue #16 item 6), against main's split step: the worker runs its rows'
 * whole forward and backward of a plain dense sigmoid/MSE stack as ONE posted job (every kernel
 * call of its half: the products, activations, zeroings, its rows' loss gradient with
 * f32_mse_bwd_rows, its ∂W part P₁ from zero into a buffer per layer), the main thread the other
 * half with direct core calls (∂W's P₀ into ∂W, as one thread folds it), then one join; after it,
 * on the main thread over every row in one thread's order, the loss value and every ∂b; then ∂W +=
 * P₁ (the first layer's split with the worker as threaded-kernels.ts' addPartial splits it, the
 * others on the main thread) and plain SGD's update (the split axpy). So every thread count gives
 * the same bits; the bench checks them first against the one-thread backend (each step's loss and
 * every parameter after 20 steps, at the batch timed and at 200 and 132) and stops if they differ.
 * A prototype of the step: the main thread calls the core directly (no Kernels method per call), as a
 * backend running a whole half step for the engine in one call would. Since session 40 that backend
 * step is the engine's (threaded-kernels.ts' DENSE_STEP), timed through train() by
 * bench/ab-trees-train-threads.ts; this prototype stays, as README's bench paragraph cites it.
 * Timed as bench/ab-trees-threads.ts times trees: blocks of 3 one-thread steps (main's tree), then
 * each two-thread variant's 8 steps after one untimed, a 3 ms pause before each, the variants'
 * order rotated and reversed block by block; only clean two-thread steps count (no job run by the
 * main thread), and every step's spread beside. --floor adds a second instance of main's split step
 * (its own pool): the noise floor; --backward the backward alone as one job (below); --tree-split this
 * tree's split step, so that what this tree changes around the split shows apart from the one job.
 *
 *   git archive main | tar -x -C /tmp/main && ln -s "$PWD/node_modules" /tmp/main && (cd /tmp/main && npm run build)
 *   npx tsx bench/one-job-step.ts --main /tmp/main [--blocks 150] [--batch 256] [--sizes 784,100,100,10] [--floor] [--backward] [--tree-split]
 *
 * Read on the AMD EPYC Zen 5 (family 26 model 2, 2 vCPUs, 2026-12-05, session 39 (perf39), main's
 * tree at 0d404b6b, through /tmp/t; inner step [784,100,100,10] at batch 256, p10 / median µs of the
 * clean steps, one thread's step over each):
 *
 *   run                           one thread        split (main)              one job                 one job ÷ split
 *   18:06, load 3.9 → 2.8, 600    2,016.9 / 2,433.3 1,410.8 / 1,527.5 1.43×  1,338.7 / 1,439.3 1.51×  0.949 / 0.942
 *   18:15, load 4.4 → 3.5, 600    1,926.4 / 1,989.8   996.9 / 1,028.1 1.93×    985.7 / 1,008.6 1.95×  0.989 / 0.981
 *   18:20, load 3.2 → 2.5, 500 *  1,920.0 / 2,034.0 1,125.5 / 1,161.6 1.71×  1,072.5 / 1,105.8 1.79×  0.953 / 0.952
 *   18:23, load 6.4 → 4.7, 500 *  1,992.5 / 2,112.6 1,151.4 / 1,195.9 1.73×  1,095.9 / 1,138.3 1.82×  0.952 / 0.952
 *   18:40, load 4.5 → 3.4, 400 *† 2,071.4 / 2,786.6 1,316.5 / 1,540.7 1.57×  1,185.8 / 1,440.6 1.75×  0.901 / 0.935
 *   18:52, load not read, 400 *‡   1,944.9 / 2,041.2 1,121.9 / 1,160.9 1.73×  1,071.4 / 1,107.7 1.82×  0.955 / 0.954
 *   19:02, load 2.5 → 2.2, 400 *‡  1,964.4 / 2,403.4 1,139.0 / 1,392.2 1.72×  1,087.0 / 1,213.5 1.81×  0.954 / 0.872
 *
 * (* --floor: the second split instance read 1,124.8 / 1,160.1, 1,145.2 / 1,190.0 and 1,322.0 /
 * 1,540.8: 0.999 / 0.999, 0.995 / 0.995 and 1.004 / 1.000 of the first. † --backward as well: the
 * backward job 1,306.6 / 1,511.9, 0.992 / 0.981 of the split. ‡ --tree-split as well: this tree's
 * split step, its control block laid out for MAX_CALLS 24, 1,132.0 / 1,172.8 and 1,138.6 / 1,389.4,
 * 1.009 / 1.010 and 1.000 / 0.998 of main's, the floor 1.002 / 1.002 and 0.998 / 0.999; the 18:52
 * run's load line was cut from its log, 17.0 at 18:51 while it waited for the machine.) Every step, clean or not (mean, µs,
 * 18:15 on): split 1,192.6, 1,453.7, 1,339.8, 1,712.0, 1,263.7, 1,476.6, one job 1,137.1, 1,326.8,
 * 1,267.5, 1,658.1, 1,185.6, 1,366.4; clean steps 76–97 % of the one job's (48 % at 18:40) and 86–94 %
 * of the split's.
 * So the one job wins in every run, by 1–2 % in the fast minute (18:15, the split at 1.93× already)
 * and by 5–10 % in the others, where the floor read within 0.5 %: one thread's step over it 1.51–1.95×
 * run by run, over the split 1.43–1.93×. --backward times the backward alone as one job per half, after main's split forward
 * through the engine (what backprop() could post without the engine fusing it with the forward):
 * it keeps little of the gain (0.992 / 0.981 where the one job read 0.901 / 0.935).
 */
import os from 'node:os';
import { resolve } from 'node:path';
import { quantile } from '../src/median.js';
import { option, threadBlockOptions } from './ab-args.js';
import { createThreadedWasmKernels } from '../src/wasm/threads/threaded-kernels.js';
import type { ThreadPool } from '../src/wasm/threads/pool.js';
import { createWasmKernels, type WasmTensor } from '../src/wasm/wasm-kernels.js';
import { denseModelOf } from '../src/model.js';
import { Sgd } from '../src/optim/sgd.js';
import { stepOn, STEP_LEARNING_RATE } from './step.bench.js';

const F32 = 4;
const STEPS_CHECKED = 20;

type Ex = Record<string, (...args: number[]) => number>;
interface Ptr {
  ptr: number;
}
/** The engine's tensors the step reads and writes (private ones included: a bench's view). */
interface EngineView {
  weights: Ptr[];
  biases: Ptr[];
  zs: Ptr[];
  activations: Ptr[];
  deltas: Ptr[];
  nablaW: Ptr[];
  nablaB: Ptr[];
  backflow: Ptr;
  targets: Ptr;
}
/** The threaded backend's pool and scratches (private: a bench's view). */
interface BackendView {
  pool: ThreadPool;
  scratches: Ptr[];
}

/** The one-job step on a two-thread backend, from the one-thread step's start: the step (returning the loss), its network's view and the pool's count of jobs run on the main thread. */
async function oneJobStepOn(sizes: number[], batch: number, forward: 'job' | 'split' = 'job') {
  const two = await createThreadedWasmKernels({ threads: 2 });
  if (two.threads < 2) throw new Error(`two threads are not available here: ${two.threadsFallback}`);
  const { net, step: splitStep } = await stepOn(two, sizes, batch);
  splitStep(); // grows the scratches for every product (the split step's own growScratches)
  // Back to the start: the checked steps compare with a fresh one-thread network.
  const fresh = await stepOn(await createWasmKernels({ variant: 'simd' }), sizes, batch);
  const model = denseModelOf(net, 'test') as unknown as EngineView;
  const freshModel = denseModelOf(fresh.net, 'test') as unknown as EngineView;
  for (let l = 0; l < sizes.length - 1; l++) {
    two.write(model.weights[l] as WasmTensor, fresh.net.kernels.view(freshModel.weights[l] as WasmTensor));
    two.write(model.biases[l] as WasmTensor, fresh.net.kernels.view(freshModel.biases[l] as WasmTensor));
  }
  fresh.net.dispose();
  const L = sizes.length - 1;
  const partials = Array.from({ length: L }, (_, l) => two.alloc(sizes[l] * sizes[l + 1]));
  // ∂C/∂a of the loss, by rows (one thread's lossBackward uses its scratch): not the backflow, whose
  // rows at another width one thread's later ∂input writes while the other still reads these.
  const lossDa = two.alloc(batch * sizes[L]);
  const backend = two as unknown as BackendView;
  const pool = backend.pool;
  const names = (pool as unknown as { names: readonly string[] }).names;
  const ex = two.exports as unknown as Ex;
  const idx = (n: string) => {
    const i = names.indexOf(n);
    if (i < 0) throw new Error(`no worker export ${n}`);
    return i;
  };
  const h: number = ex.dense_weights_fold_row(batch);
  if (h === 0 || h !== Math.ceil(batch / 2 / 4) * 4) throw new Error(`fold row ${h} is not the row split at batch ${batch}`);
  const sgd = new Sgd(net);
  const trained = denseModelOf(net, 'test');

  // Pointers, read after every allocation (no step allocates).
  const ptrs = (ts: Ptr[]) => ts.map((t) => t.ptr);
  const [W, B, Z, A, D] = [model.weights, model.biases, model.zs, model.activations, model.deltas].map(ptrs);
  const [NW, NB, S] = [model.nablaW, model.nablaB, backend.scratches].map(ptrs);
  const back = model.backflow.ptr, da = lossDa.ptr, Y = model.targets.ptr;
  const P = partials.map((t) => t.ptr);

  /** One half's calls: [export, args], rows [r0, r0 + rows); ∂W into dw (accumulate) or P (from zero). */
  const halfCalls = (r0: number, rows: number, thread: 0 | 1): [string, number[]][] => {
    const calls: [string, number[]][] = [];
    const at = (t: number, width: number) => t + r0 * width * F32;
    const s = S[thread];
    for (let l = 0; l < L && forward === 'job'; l++) {
      const [nIn, nOut] = [sizes[l], sizes[l + 1]];
      calls.push(['f32_dense_fwd__simd', [at(Z[l], nOut), at(A[l], nIn), W[l], B[l], s, rows, nIn, nOut]]);
      calls.push(['f32_sigmoid_fwd__simd', [at(A[l + 1], nOut), at(Z[l], nOut), rows * nOut]]);
    }
    if (thread === 0) for (let l = 0; l < L; l++) calls.push(['f32_zero', [NW[l], sizes[l] * sizes[l + 1]]]);
    for (let l = 0; l < L; l++) calls.push(['f32_zero', [at(D[l], sizes[l + 1]), rows * sizes[l + 1]]]);
    const nL = sizes[L];
    calls.push(['f32_zero', [at(da, nL), rows * nL]]);
    calls.push(['f32_mse_bwd_rows__simd', [at(da, nL), at(A[L], nL), at(Y, nL), rows, nL, batch]]);
    calls.push(['f32_sigmoid_bwd__simd', [at(D[L - 1], nL), at(da, nL), at(Z[L - 1], nL), at(A[L], nL), rows * nL]]);
    for (let l = L - 1; l >= 0; l--) {
      const [nIn, nOut] = [sizes[l], sizes[l + 1]];
      calls.push(['f32_dense_bwd_weights_rows__simd', [thread === 0 ? NW[l] : P[l], at(D[l], nOut), at(A[l], nIn), s, rows, nIn, nOut, thread === 0 ? 1 : 0]]);
      if (l > 0) {
        calls.push(['f32_zero', [at(back, nIn), rows * nIn]]);
        calls.push(['f32_dense_bwd_input__simd', [at(back, nIn), at(D[l], nOut), W[l], s, rows, nIn, nOut]]);
        calls.push(['f32_sigmoid_bwd__simd', [at(D[l - 1], nIn), at(back, nIn), at(Z[l - 1], nIn), at(A[l], nIn), rows * nIn]]);
      }
    }
    return calls;
  };
  const mainCalls = halfCalls(0, h, 0).map(([name, args]) => {
    const fn = ex[name];
    if (typeof fn !== 'function') throw new Error(`no export ${name}`);
    const [a0, a1, a2, a3, a4, a5, a6, a7] = args;
    return () => void fn(a0, a1, a2, a3, a4, a5, a6, a7);
  });
  const workerCalls = halfCalls(h, batch - h, 1).map(([name, args]) => ({ fn: idx(name), args }));
  const AXPY = idx('f32_axpy__simd');
  const axpy = ex.f32_axpy__simd, mseLoss = ex.f32_mse_loss__simd, bias = ex.f32_dense_bwd_bias__simd, zero = ex.f32_zero;
  const w0 = sizes[0] * sizes[1];
  const half0 = Math.ceil(w0 / 2 / 4) * 4; // rowStart(1, n) of the split updates

  const step = (): number => {
    if (forward === 'split') trained.feedforward(batch);
    for (let c = 0; c < workerCalls.length; c++) {
      const { fn, args } = workerCalls[c];
      pool.setCall(0, c, fn, args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7]);
    }
    pool.post(0, workerCalls.length);
    for (let c = 0; c < mainCalls.length; c++) mainCalls[c]();
    pool.wait(0);
    const cost = mseLoss(A[L], Y, batch, sizes[L]);
    for (let l = L - 1; l >= 0; l--) {
      zero(NB[l], sizes[l + 1]);
      bias(NB[l], D[l], batch, sizes[l + 1]);
    }
    // P₁ adds: the first layer's split as addPartial splits it (MIN_SPLIT_UPDATE), the others on the main thread.
    pool.setCall(0, 0, AXPY, NW[0] + half0 * F32, P[0] + half0 * F32, w0 - half0, 1);
    pool.post(0, 1);
    axpy(NW[0], P[0], half0, 1);
    pool.wait(0);
    for (let l = 1; l < L; l++) axpy(NW[l], P[l], sizes[l] * sizes[l + 1], 1);
    sgd.step(trained, STEP_LEARNING_RATE, batch);
    return cost;
  };
  return { two, model, step, jobsRunHere: () => pool.jobsRunHere };
}

/** Bit-for-bit check against the one-thread backend: every step's loss and, after the steps, every weight and bias. */
async function check(sizes: number[], batch: number, forward: 'job' | 'split'): Promise<void> {
  const proto = await oneJobStepOn(sizes, batch, forward);
  const one = await stepOn(await createWasmKernels({ variant: 'simd' }), sizes, batch);
  const oneModel = denseModelOf(one.net, 'test');
  const oneView = oneModel as unknown as EngineView;
  const oneSgd = new Sgd(one.net);
  for (let s = 0; s < STEPS_CHECKED; s++) {
    oneModel.feedforward(batch);
    const oneCost = oneModel.backprop(batch);
    oneSgd.step(oneModel, STEP_LEARNING_RATE, batch);
    const cost = proto.step();
    if (!Object.is(cost, oneCost)) throw new Error(`step ${s}: loss ${cost} against one thread's ${oneCost}`);
  }
  for (let l = 0; l < sizes.length - 1; l++) {
    for (const [name, a, b] of [['weights', proto.model.weights[l], oneView.weights[l]], ['biases', proto.model.biases[l], oneView.biases[l]]] as const) {
      const x = new Uint32Array(Float32Array.from(proto.two.view(a as WasmTensor)).buffer);
      const y = new Uint32Array(Float32Array.from(one.net.kernels.view(b as WasmTensor)).buffer);
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) throw new Error(`layer ${l} ${name}[${i}] differs after ${STEPS_CHECKED} steps`);
    }
  }
  console.log(`bits: the ${forward === 'job' ? 'one-job' : 'backward-job'} step's losses and parameters equal one thread's after ${STEPS_CHECKED} steps at batch ${batch}`);
  await proto.two.close();
  one.net.dispose();
}

const mainTree = resolve(option('--main', '/tmp/main'));
const { blocks, batch, sizes, oneSteps: ONE_STEPS, twoSteps: TWO_STEPS, pauseMs: PAUSE_MS } = threadBlockOptions();
const backwardJob = process.argv.includes('--backward');
for (const b of [batch, 200, 132]) for (const forward of backwardJob ? (['job', 'split'] as const) : (['job'] as const)) await check(sizes, b, forward);

interface Variant {
  label: string;
  step(): void;
  jobsRunHere(): number;
  times: number[];
  /** Every timed step, clean or not. */
  all: number[];
  two: boolean;
}
const mainMod = {
  threaded: await import(`${mainTree}/src/wasm/threads/threaded-kernels.ts`),
  wasm: await import(`${mainTree}/src/wasm/wasm-kernels.ts`),
  step: await import(`${mainTree}/bench/step.bench.ts`),
};
const mainTwo = await mainMod.threaded.createThreadedWasmKernels({ threads: 2 });
const mainPool = (mainTwo as { pool: { jobsRunHere: number } }).pool;
const proto = await oneJobStepOn(sizes, batch);
const variants: Variant[] = [
  { label: 'one thread (main)', step: (await mainMod.step.stepOn(await mainMod.wasm.createWasmKernels({ variant: 'simd' }), sizes, batch)).step, jobsRunHere: () => 0, times: [], all: [], two: false },
  { label: 'split (main)', step: (await mainMod.step.stepOn(mainTwo, sizes, batch)).step, jobsRunHere: () => mainPool.jobsRunHere, times: [], all: [], two: true },
  { label: 'one job', step: proto.step, jobsRunHere: proto.jobsRunHere, times: [], all: [], two: true },
];
// --floor: a second instance of main's split step, its own pool, alternated with the others: the noise floor.
const floorTwo = process.argv.includes('--floor') ? await mainMod.threaded.createThreadedWasmKernels({ threads: 2 }) : undefined;
const backwardOnly = backwardJob ? await oneJobStepOn(sizes, batch, 'split') : undefined;
if (backwardOnly) variants.push({ label: 'backward job', step: backwardOnly.step, jobsRunHere: backwardOnly.jobsRunHere, times: [], all: [], two: true });
// --tree-split: this tree's split step (its control block as this tree lays it out), beside main's.
const treeTwo = process.argv.includes('--tree-split') ? await createThreadedWasmKernels({ threads: 2 }) : undefined;
if (treeTwo) {
  const treePool = (treeTwo as unknown as BackendView).pool;
  variants.push({ label: 'split (this tree)', step: (await stepOn(treeTwo, sizes, batch)).step, jobsRunHere: () => treePool.jobsRunHere, times: [], all: [], two: true });
}
if (floorTwo) {
  const floorPool = (floorTwo as { pool: { jobsRunHere: number } }).pool;
  variants.splice(2, 0, { label: 'split (main) #2', step: (await mainMod.step.stepOn(floorTwo, sizes, batch)).step, jobsRunHere: () => floorPool.jobsRunHere, times: [], all: [], two: true });
}
const twoVariants = variants.filter((v) => v.two);
const totals = new Map(variants.map((v) => [v, 0]));

const load0 = os.loadavg()[0];
const started = new Date().toISOString();
for (let block = 0; block < blocks; block++) {
  // Rotated and reversed in turn, so that each two-thread variant follows each other one.
  const turned = twoVariants.map((_, i) => twoVariants[(i + (block >> 1)) % twoVariants.length]);
  const order = block % 2 ? turned.reverse() : turned;
  const one = variants[0];
  for (let s = 0; s < ONE_STEPS; s++) {
    const t0 = performance.now();
    one.step();
    one.times.push((performance.now() - t0) * 1000);
  }
  for (const v of order) {
    await new Promise((done) => setTimeout(done, PAUSE_MS));
    v.step();
    for (let s = 0; s < TWO_STEPS; s++) {
      const ranHere = v.jobsRunHere();
      const t0 = performance.now();
      v.step();
      const us = (performance.now() - t0) * 1000;
      totals.set(v, totals.get(v)! + 1);
      v.all.push(us);
      if (v.jobsRunHere() === ranHere) v.times.push(us);
    }
  }
}
await mainTwo.close();
await floorTwo?.close();
await treeTwo?.close();
await proto.two.close();
await backwardOnly?.two.close();

const p = (v: number[], q: number) => (v.length ? quantile(v, q).toFixed(1) : '-').padStart(7);
console.log(`${os.cpus()[0].model}, ${started} → ${new Date().toISOString()}, load ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}; inner step [${sizes}] batch ${batch}, ${blocks} blocks; µs`);
const one = variants[0].times;
for (const v of variants) {
  const ratios = v.two ? ` | one/two p10 ${(quantile(one, 0.1) / quantile(v.times, 0.1)).toFixed(3)}× median ${(quantile(one, 0.5) / quantile(v.times, 0.5)).toFixed(3)}×` : '';
  const clean = v.two ? ` ${v.times.length} of ${totals.get(v)} clean,` : '';
  console.log(`${v.label.padEnd(18)}${clean} p10 ${p(v.times, 0.1)} p25 ${p(v.times, 0.25)} median ${p(v.times, 0.5)}${ratios}`);
  if (v.two) {
    const mean = v.all.reduce((a, b) => a + b, 0) / v.all.length;
    console.log(`${''.padEnd(18)} every step: p10 ${p(v.all, 0.1)} median ${p(v.all, 0.5)} p90 ${p(v.all, 0.9)} mean ${mean.toFixed(1).padStart(7)}`);
  }
}
