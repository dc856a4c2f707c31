/**
 * A/B of source trees on issue #16 item 6's calls: train() of one epoch over API_ROWS digits at batch
 * 256 on [784,100,100,10] sigmoid/MSE (bench/threads.bench.ts' train() rows: train(dataset) on rows
 * uploaded once, train(x, y) on rows each call uploads), on one thread and on `threads: 2`, per
 * tree, every call alternated one by one with every other (bench/median.ts alternating: the order
 * rotated every turn, so a load change hits the trees alike). Prints per tree and call its median
 * call on one thread and on two (the median over rounds of each round's median call), one thread
 * over two per round (the median round and the range), each tree's two-thread call over the first
 * tree's per round, and the two-thread pools' jobs the main thread ran itself (a worker that had not
 * claimed its job when the main thread's part was done: ThreadPool.jobsRunHere) of those posted; on a
 * tree with a dense step as one job per thread (src/dense-step.ts), the steps whose jobs the main
 * thread ran any of (the worker's half, or a P₁ add's half, run on one thread) of those it took.
 *
 *   git archive main | tar -x -C /tmp/main && ln -s "$PWD/node_modules" /tmp/main && (cd /tmp/main && npm run build)
 *   npx tsx bench/ab-trees-train-threads.ts main=/tmp/main new=. [--rounds 9] [--calls 13]
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { labelledArgs, option } from './ab-args.js';
import { API_ROWS } from './api.bench.js';
import { alternating, median, type AlternatingTask } from './median.js';

const trees = labelledArgs('npx tsx bench/ab-trees-train-threads.ts old=<tree> new=<tree> [--rounds n] [--calls n]').map(({ label, value }) => ({ label, dir: resolve(value) }));
const rounds = Number(option('--rounds', '9'));
const calls = Number(option('--calls', '13'));
const SIZES = [784, 100, 100, 10];
const OPTIONS = { epochs: 1, batchSize: 256, learningRate: 0.01 };
const CALLS = ['train(dataset)', 'train(x, y)'] as const;

/** The pool behind a network's two-thread kernels, as the bench reads it (private). */
interface PoolView {
  jobsRunHere: number;
  names: readonly string[];
  lanes: { job: number; ctrl: Int32Array }[];
  wait(w: number): void;
}
/** CONTROL.fn of src/wasm/threads/control.ts (the first call's export index), the same in every tree since the pool's control block has had it. */
const FIRST_CALL = 8;

const tasks: AlternatingTask[] = [];
const pools: { label: string; pool: PoolView; posted: () => number; steps: { taken: number; ranHere: number }; ranHere: Map<string, number> }[] = [];
const disposals: (() => void)[] = [];
for (const { label, dir } of trees) {
  const api = await import(`${dir}/src/api/network.ts`);
  const { loadMnist } = await import(`${dir}/src/data/mnist.ts`);
  const { uncheckedKernels } = await import(`${dir}/src/checked-kernels.ts`);
  const { train } = await loadMnist({ train: API_ROWS, test: 0 });
  for (const threads of [1, 2]) {
    const net = await api.createNetwork({ sizes: SIZES, activation: 'sigmoid', output: 'sigmoid', loss: 'mse', seed: 1, threads });
    const data = net.dataset(train.x, train.y);
    disposals.push(() => (data.dispose(), net.dispose()));
    const side = threads === 1 ? 'one' : 'two';
    tasks.push({ name: `${label}|${side}|${CALLS[0]}`, run: () => net.train(data, OPTIONS) });
    tasks.push({ name: `${label}|${side}|${CALLS[1]}`, run: () => net.train(train.x, train.y, OPTIONS) });
    if (threads === 2) {
      const kernels = uncheckedKernels(net.kernels) as { threads: number; pool: PoolView };
      if (kernels.threads !== 2) throw new Error(`${label}: two threads are not available here`);
      const steps = { taken: 0, ranHere: 0 };
      const ranHere = new Map<string, number>();
      pools.push({ label, pool: kernels.pool, posted: () => kernels.pool.lanes[0].job, steps, ranHere });
      // On the instance: which jobs the main thread ran itself, by their first call's export.
      const pool = kernels.pool;
      const wait = pool.wait;
      pool.wait = function (this: PoolView, w: number) {
        const here = pool.jobsRunHere;
        wait.call(this, w);
        if (pool.jobsRunHere === here) return;
        const name = pool.names[pool.lanes[w].ctrl[FIRST_CALL]];
        ranHere.set(name, (ranHere.get(name) ?? 0) + 1);
      };
      if (existsSync(`${dir}/src/dense-step.ts`)) {
        const { DENSE_STEP } = await import(`${dir}/src/dense-step.ts`);
        const runner = kernels as unknown as Record<symbol, (s: unknown, batch: number) => number | undefined>;
        const step = runner[DENSE_STEP];
        // On the instance, counting: a step the backend took, and whether the main thread ran any of its jobs.
        runner[DENSE_STEP] = function (this: unknown, s: unknown, batch: number) {
          const here = kernels.pool.jobsRunHere;
          const cost = step.call(this, s, batch);
          if (cost !== undefined) steps.taken++;
          if (cost !== undefined && kernels.pool.jobsRunHere !== here) steps.ranHere++;
          return cost;
        };
      }
    }
  }
}

const load0 = os.loadavg()[0];
const started = new Date().toISOString();
const before = pools.map((p) => ({ here: p.pool.jobsRunHere, posted: p.posted(), taken: p.steps.taken, ranHere: p.steps.ranHere }));
pools.forEach((p) => p.ranHere.clear());
const ms = alternating(tasks, rounds, calls);
console.log(`${os.cpus()[0].model}, ${started} → ${new Date().toISOString()}, load ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}; [${SIZES}] batch ${OPTIONS.batchSize}, one epoch over ${API_ROWS} digits; ${rounds} rounds × ${calls} calls each, alternated`);
const at = (label: string, side: string, call: string) => ms.get(`${label}|${side}|${call}`)!;
const x = (v: number) => `${v.toFixed(3)}×`;
for (const call of CALLS) {
  for (const { label } of trees) {
    const [one, two] = [at(label, 'one', call), at(label, 'two', call)];
    const ratios = one.map((o, i) => o / two[i]);
    const against = at(trees[0].label, 'two', call).map((first, i) => two[i] / first);
    console.log(
      `${call.padEnd(15)} ${label.padEnd(6)} one ${median(one).toFixed(2)} ms, two ${median(two).toFixed(2)} ms; one/two ${x(median(ratios))} (${x(Math.min(...ratios))}–${x(Math.max(...ratios))}); two over ${trees[0].label}'s two ${x(median(against))} (${x(Math.min(...against))}–${x(Math.max(...against))})`,
    );
  }
}
pools.forEach((p, i) => {
  const steps = p.steps.taken > 0 ? `; of the ${p.steps.taken - before[i].taken} steps as one job per thread, ${p.steps.ranHere - before[i].ranHere} had a job run by the main thread` : '';
  console.log(`${p.label}: the main thread ran ${p.pool.jobsRunHere - before[i].here} of the ${p.posted() - before[i].posted} jobs posted itself${steps}`);
  console.log(`  by their first call: ${[...p.ranHere].sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ${n}`).join(', ')}`);
});
disposals.forEach((dispose) => dispose());
