/**
 * A/B of source trees on the two-thread inner step (bench/step.bench.ts' step of [784,100,100,10]
 * sigmoid/MSE, plain SGD, a batch resident) and the one-thread step beside it, per tree: blocks of
 * 3 one-thread steps then 8 two-thread steps (after one untimed, the worker awake), the trees' blocks
 * alternated, the order reversed every block, and a 3 ms pause before each block so that the other
 * tree's worker, which spins ~1 ms after its last job (pool.ts SPIN), is asleep. Only clean
 * two-thread steps count (the worker ran every job: ThreadPool.jobsRunHere did not move); per tree
 * the one-thread step's and the clean steps' tenth percentiles and their ratio, as bench/thread-jobs.ts
 * reads one tree job by job. A tree against a copy of itself shows the floor.
 *
 *   npx tsx bench/ab-trees-threads.ts main=/tmp/main new=. [--blocks 150] [--batch 256] [--sizes 784,100,100,10]
 */
import os from 'node:os';
import { resolve } from 'node:path';
import { quantile } from '../src/median.js';
import { labelledArgs, threadBlockOptions } from './ab-args.js';

const trees = labelledArgs('npx tsx bench/ab-trees-threads.ts old=<tree> new=<tree> [--blocks n] [--batch n] [--sizes a,b,…]').map(({ label, value }) => ({ label, dir: resolve(value) }));
const { blocks, batch, sizes, oneSteps: ONE_STEPS, twoSteps: TWO_STEPS, pauseMs: PAUSE_MS } = threadBlockOptions();

interface Tree {
  label: string;
  close(): Promise<void>;
  jobsRunHere(): number;
  oneStep(): void;
  twoStep(): void;
  one: number[];
  two: number[];
}

const runs: Tree[] = [];
for (const { label, dir } of trees) {
  const { createThreadedWasmKernels } = await import(`${dir}/src/wasm/threads/threaded-kernels.ts`);
  const { createWasmKernels } = await import(`${dir}/src/wasm/wasm-kernels.ts`);
  const { stepOn } = await import(`${dir}/bench/step.bench.ts`);
  const two = await createThreadedWasmKernels({ threads: 2 });
  if (two.threads < 2) throw new Error(`two threads are not available here: ${two.threadsFallback}`);
  const pool = (two as { pool: { jobsRunHere: number } }).pool;
  runs.push({
    label,
    close: () => two.close(),
    jobsRunHere: () => pool.jobsRunHere,
    oneStep: (await stepOn(await createWasmKernels({ variant: 'simd' }), sizes, batch)).step,
    twoStep: (await stepOn(two, sizes, batch)).step,
    one: [],
    two: [],
  });
}

const load0 = os.loadavg()[0];
for (let block = 0; block < blocks; block++) {
  for (const tree of block % 2 ? [...runs].reverse() : runs) {
    await new Promise((done) => setTimeout(done, PAUSE_MS));
    for (let s = 0; s < ONE_STEPS; s++) {
      const t0 = performance.now();
      tree.oneStep();
      tree.one.push((performance.now() - t0) * 1000);
    }
    tree.twoStep();
    for (let s = 0; s < TWO_STEPS; s++) {
      const ranHere = tree.jobsRunHere();
      const t0 = performance.now();
      tree.twoStep();
      const us = (performance.now() - t0) * 1000;
      if (tree.jobsRunHere() === ranHere) tree.two.push(us);
    }
  }
}
for (const tree of runs) await tree.close();

const p = (v: number[], q: number) => (v.length ? quantile(v, q).toFixed(0) : '-').padStart(5);
console.log(`${os.cpus()[0].model}, load ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}; inner step [${sizes}] batch ${batch}, ${blocks} blocks; µs`);
for (const { label, one, two } of runs) {
  const ratio = two.length ? `${(quantile(one, 0.1) / quantile(two, 0.1)).toFixed(3)}×` : '-';
  console.log(`${label.padEnd(8)} one thread p10 ${p(one, 0.1)} median ${p(one, 0.5)} | two threads: ${two.length} of ${blocks * TWO_STEPS} clean, p10 ${p(two, 0.1)} p25 ${p(two, 0.25)} median ${p(two, 0.5)} | p10 ratio ${ratio}`);
}
