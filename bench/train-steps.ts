/**
 * How a train() call's steps spread, on one thread and on two: train(dataset) of one epoch over
 * API_ROWS digits at batch THREADS_API_BATCH ([784,100,100,10], sigmoid, MSE, plain SGD, as
 * bench/threads.bench.ts's goal row), each step timed from one first-layer forward
 * (Kernels.denseForwardGather) or dense step the backend took whole (src/dense-step.ts, on two
 * threads from batch 128: it makes no denseForwardGather call) to the next, the calls of every
 * tree and thread count alternated one by one. Per task: the steps' tenth percentile, quartiles, median and mean, and the mean over
 * the tenth percentile. The tenth percentile is a step that nothing disturbed; the mean is what a
 * call pays. bench/train-calls.ts sums each kernel call's tenth percentile and so leaves the spread
 * out; this shows it: on an AMD EPYC Zen 4 (2 vCPUs, 2026-12-03 09:52, load 10) a two-thread step
 * took 1,306 µs at the tenth percentile and 2,548 on average, where the hand-offs and waits came to
 * ~20 µs a step (src/wasm/threads/threaded-kernels.ts).
 *
 *   npx tsx bench/train-steps.ts [label=<tree> …] [--threads 1,2] [--calls 25] [--data dataset|rows]
 * (no tree: this one; two copies of one tree show the noise floor; `--data rows`: train(x, y) instead,
 * each call uploading the rows, as bench/threads.bench.ts' train(x, y) row — the call median then
 * holds the upload, the steps do not)
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import type { Kernels } from '../src/kernels.js';
import { quantile } from '../src/median.js';
import { option } from './ab-args.js';
import { API_ROWS } from './api.bench.js';
import { treeModules } from './goal-calls.js';
import { alternating, median } from './median.js';
import { THREADS_API_BATCH } from './threads.bench.js';

/** The spread of a task's step times (µs). */
export interface StepSpread {
  p10: number;
  p25: number;
  median: number;
  p75: number;
  mean: number;
}

export function stepSpread(steps: readonly number[]): StepSpread {
  return {
    p10: quantile(steps, 0.1),
    p25: quantile(steps, 0.25),
    median: quantile(steps, 0.5),
    p75: quantile(steps, 0.75),
    mean: steps.reduce((sum, s) => sum + s, 0) / steps.length,
  };
}

/**
 * Wraps `kernels`' first-layer forward of a shuffled batch, and its dense step (`denseStep`, the
 * tree's DENSE_STEP key, where it has one), in place, so that each step after the first since
 * `newCall()` adds the time since the one before (µs) to the last list of `calls`: one list per
 * newCall(), the steps of one train() call; and the first adds the time since newCall() to
 * `leadIns`: what a call does before its first step (its checks and setup, and train(x, y)'s upload).
 * A step starts at its dense step where the backend takes it whole, else at its first-layer forward
 * (a dense step declined runs that forward right after: it is not counted twice).
 */
export function timeSteps(kernels: object, denseStep?: symbol): { calls: number[][]; leadIns: number[]; newCall(): void } {
  const k = kernels as { denseForwardGather: (...args: unknown[]) => unknown } & Record<symbol, (...args: unknown[]) => unknown>;
  const forward = k.denseForwardGather;
  const calls: number[][] = [];
  const leadIns: number[] = [];
  let last = -1;
  let callStart = -1;
  const stepAt = (now: number) => {
    if (last >= 0) calls[calls.length - 1].push((now - last) * 1000);
    else if (callStart >= 0) leadIns.push((now - callStart) * 1000);
    last = now;
  };
  k.denseForwardGather = function (this: unknown, ...args: unknown[]) {
    stepAt(performance.now());
    return forward.apply(this, args);
  };
  if (denseStep !== undefined && denseStep in k) {
    const step = k[denseStep];
    k[denseStep] = function (this: unknown, ...args: unknown[]) {
      const now = performance.now();
      const cost = step.apply(this, args);
      if (cost !== undefined) stepAt(now);
      return cost;
    };
  }
  return {
    calls,
    leadIns,
    newCall: () => {
      calls.push([]);
      last = -1;
      callStart = performance.now();
    },
  };
}

/**
 * timeSteps on the kernels `net`'s steps run: its engine's, unchecked (`uncheckedKernels`, from the
 * network's own tree), with the tree's DENSE_STEP key where it has one. net.kernels is the checked
 * view handed to users, which the engine never calls: wrapping it timed nothing, and every step
 * column printed NaN; and a two-thread step taken whole makes no denseForwardGather call.
 */
export function timeNetworkSteps(uncheckedKernels: (kernels: Kernels) => Kernels, net: { kernels: Kernels }, denseStep?: symbol): ReturnType<typeof timeSteps> {
  return timeSteps(uncheckedKernels(net.kernels), denseStep);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const labelled = process.argv.slice(2).filter((a) => a.includes('='));
  const trees = (labelled.length ? labelled : ['this=.']).map((a) => ({ label: a.slice(0, a.indexOf('=')), dir: resolve(a.slice(a.indexOf('=') + 1)) }));
  const threadCounts = option('--threads', '1,2').split(',').map(Number);
  const calls = Number(option('--calls', '25'));
  const data = option('--data', 'dataset');
  if (data !== 'dataset' && data !== 'rows') throw new Error(`--data: expected dataset or rows, got ${data}`);
  const called = data === 'rows' ? 'train(x, y)' : 'train(dataset)';
  const options = { epochs: 1, batchSize: THREADS_API_BATCH, learningRate: 0.01 };
  const tasks: { name: string; run: () => void; calls: number[][]; leadIns: number[] }[] = [];
  for (const { label, dir } of trees) {
    const m = await treeModules(dir);
    // Trees before session 40 have no dense step.
    const denseStep: symbol | undefined = existsSync(`${dir}/src/dense-step.ts`) ? (await import(`${dir}/src/dense-step.ts`)).DENSE_STEP : undefined;
    const { train } = await m.loadMnist({ train: API_ROWS, test: 0 });
    for (const threads of threadCounts) {
      const net = await m.createNetwork({ sizes: [784, 100, 100, 10], activation: 'sigmoid', output: 'sigmoid', loss: 'mse', seed: 1, threads });
      const resident = data === 'dataset' ? net.dataset(train.x, train.y) : undefined;
      const timer = timeNetworkSteps(m.uncheckedKernels, net, denseStep);
      tasks.push({
        name: `${label}, ${threads} thread${threads === 1 ? '' : 's'}`,
        calls: timer.calls,
        leadIns: timer.leadIns,
        run: () => {
          timer.newCall();
          if (resident) net.train(resident, options);
          else net.train(train.x, train.y, options);
        },
      });
    }
  }
  const load0 = os.loadavg()[0];
  const ms = alternating(tasks, 1, calls);
  console.log(`${os.cpus()[0].model}, ${os.cpus().length} cores, load ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}; ${called} 1 epoch over ${API_ROWS} digits at batch ${THREADS_API_BATCH}, ${calls} calls per task alternated; a step: one first-layer forward to the next, µs`);
  console.log(`${'task'.padEnd(24)} ${['p10', 'p25', 'median', 'p75', 'mean'].map((h) => h.padStart(8)).join('')}${'mean/p10'.padStart(10)}   call median   before the first step, and the first step: p10, median µs`);
  for (const t of tasks) {
    // The first call is alternating's untimed turn.
    const s = stepSpread(t.calls.slice(1).flat());
    const cells = [s.p10, s.p25, s.median, s.p75, s.mean].map((v) => v.toFixed(0).padStart(8)).join('');
    const leadIn = t.leadIns.slice(1);
    // A call's first step keeps the step guard's first copy of the state (StepGuard.step's keepCopy) and wakes a sleeping worker.
    const firsts = t.calls.slice(1).map((steps) => steps[0]);
    const pair = (v: number[]) => `${quantile(v, 0.1).toFixed(0).padStart(8)}${quantile(v, 0.5).toFixed(0).padStart(8)}`;
    console.log(`${t.name.padEnd(24)} ${cells}${`${(s.mean / s.p10).toFixed(2)}×`.padStart(10)}   ${median(ms.get(t.name)!).toFixed(1).padStart(8)} ms   ${pair(leadIn)}   ${pair(firsts)}`);
  }
  process.exit(0);
}
