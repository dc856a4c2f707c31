/**
 * A/B of two source trees on the public train() calls the goals of issue #16 time, where
 * bench/ab-trees.ts times the block layers: one epoch of train(dataset) over API_ROWS digits
 * (shuffled, batch 64; the train(dataset) goal of bench/api.bench.ts) beside as many inner steps,
 * and at batch 256 train(x, y) and train(dataset) on one batch in order (the jax-js rows of
 * bench/jax.bench.ts) beside the inner step. Each tree's own network and its own built core run in
 * one process, several instances of each, rounds interleaved as bench/ab.ts's; per task each tree's
 * median time and its median per-round speed-up over the first. Before timing, a hash of the weights
 * two shuffled epochs of train(dataset) leave from the same seed, per tree: a change that must
 * keep the trained bits shows it does.
 *
 *   git archive main | tar -x -C /tmp/main && ln -s "$PWD/node_modules" /tmp/main && (cd /tmp/main && npm run build)
 *   npx tsx bench/ab-trees-train.ts old=/tmp/main new=. [--instances 2] [--rounds 8] [--time 200] [--only 256]
 * (--only: the tasks whose name contains it)
 */
import { resolve } from 'node:path';
import type { Kernels } from '../src/kernels.js';
import { againstFirst, bitsHash, interleavedRounds, type AbInstance } from './ab-rounds.js';
import { API_ROWS } from './api.bench.js';
import { median } from './median.js';
import { labelledArgs, option } from './ab-args.js';
import { STEP_BATCH, STEP_SIZES } from './step.bench.js';

/** jax-js' largest batch (bench/jax.bench.ts JAX_BATCHES). */
const LARGE_BATCH = 256;

const trees = labelledArgs('npx tsx bench/ab-trees-train.ts old=<tree> new=<tree> [--instances n] [--rounds n] [--time ms] [--only text]').map(({ label, value }) => ({ label, dir: resolve(value) }));
const instances = Number(option('--instances', '2'));
const rounds = Number(option('--rounds', '8'));
const time = Number(option('--time', '200'));
const only = option('--only', '');

/** A tree's public API, data, inner step and wasm core, as its own modules. */
async function treeModules(dir: string) {
  return {
    ...(await import(`${dir}/src/init/rng.ts`)),
    ...(await import(`${dir}/src/api/network.ts`)),
    ...(await import(`${dir}/src/data/mnist.ts`)),
    ...(await import(`${dir}/src/wasm/wasm-kernels.ts`)),
    ...(await import(`${dir}/bench/step.bench.ts`)),
  };
}

/** The tasks on one instance of a tree's core, and the hash of the weights two shuffled epochs leave. */
async function tasksOf(m: Awaited<ReturnType<typeof treeModules>>, k: Kernels): Promise<{ tasks: Record<string, () => void>; bits: string }> {
  const { train } = await m.loadMnist({ train: API_ROWS, test: 0 });
  const netOf = () => m.createNetwork({ sizes: STEP_SIZES, activation: 'sigmoid', output: 'sigmoid', loss: 'mse', seed: 1, backend: k });
  const net = await netOf();
  const digits = net.dataset(train.x, train.y);
  const epoch = { epochs: 1, batchSize: STEP_BATCH, learningRate: 0.01 };
  const twin = await netOf();
  twin.train(digits, { ...epoch, epochs: 2 });
  const bits = bitsHash(Float64Array.from(twin.toJSON().layers.flatMap((l: { weights: number[][]; biases: number[] }) => [...l.weights.flat(), ...l.biases])));
  twin.dispose();
  const inner = await m.stepOn(k);
  const stepsPerEpoch = Math.ceil(API_ROWS / STEP_BATCH);

  const large = await netOf();
  const rng = new m.Rng(3);
  const uniform = (rows: number, cols: number) => ({ data: Float32Array.from({ length: rows * cols }, () => rng.uniform()), rows, cols });
  const [x, y] = [uniform(LARGE_BATCH, STEP_SIZES[0]), uniform(LARGE_BATCH, STEP_SIZES.at(-1)!)];
  const resident = large.dataset(x, y);
  const oneBatch = { epochs: 1, batchSize: LARGE_BATCH, learningRate: 0.01, shuffle: false };
  const largeInner = await m.stepOn(k, STEP_SIZES, LARGE_BATCH);
  return {
    bits,
    tasks: {
      [`train(dataset) 1 epoch, batch ${STEP_BATCH}`]: () => void net.train(digits, epoch),
      [`${stepsPerEpoch} inner steps, batch ${STEP_BATCH}`]: () => {
        for (let s = 0; s < stepsPerEpoch; s++) inner.step();
      },
      [`train(x, y) batch ${LARGE_BATCH}`]: () => void large.train(x, y, oneBatch),
      [`train(dataset) batch ${LARGE_BATCH}`]: () => void large.train(resident, oneBatch),
      [`inner step, batch ${LARGE_BATCH}`]: largeInner.step,
    },
  };
}

const all: AbInstance[] = [];
for (const { label, dir } of trees) {
  const m = await treeModules(dir);
  for (let index = 0; index < instances; index++) {
    const { tasks, bits } = await tasksOf(m, await m.createWasmKernels({ variant: 'simd' }));
    if (index === 0) console.log(`${label} (${dir}): weights after two epochs ${bits}`);
    all.push({ label, index, tasks: Object.fromEntries(Object.entries(tasks).filter(([name]) => name.includes(only))) });
  }
}

const ms = await interleavedRounds(all, instances, rounds, time);
console.log(`wasm-simd: ${trees.length} trees × ${instances} instances × ${rounds} rounds`);
for (const task of Object.keys(all[0].tasks)) {
  const cells = trees.map(({ label }) => {
    const { ms: t, speedUp } = againstFirst(ms, trees[0].label, label, task);
    return `${label} ${t.toFixed(4)} ms ×${speedUp.toFixed(3)}`;
  });
  console.log(`${task.padEnd(34)} ${cells.join('   ')}`);
}
// The goals' own ratios per tree: each public call's time over its inner steps', in the same round and instance.
const goals: [string, string][] = [
  [`train(dataset) 1 epoch, batch ${STEP_BATCH}`, `${Math.ceil(API_ROWS / STEP_BATCH)} inner steps, batch ${STEP_BATCH}`],
  [`train(x, y) batch ${LARGE_BATCH}`, `inner step, batch ${LARGE_BATCH}`],
  [`train(dataset) batch ${LARGE_BATCH}`, `inner step, batch ${LARGE_BATCH}`],
];
for (const [call, steps] of goals) {
  if (!(call in all[0].tasks) || !(steps in all[0].tasks)) continue;
  const cells = trees.map(({ label }) => {
    const [c, s] = [ms.get(label)!.get(call)!, ms.get(label)!.get(steps)!];
    return `${label} ${median(c.map((t, i) => t / s[i])).toFixed(3)}×`;
  });
  console.log(`${call} over ${steps}: ${cells.join('   ')}`);
}
