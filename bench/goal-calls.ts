/**
 * The public train() calls issue #16's goals time, on a source tree's own modules, for the A/Bs of
 * two trees (bench/ab-trees-train.ts: rounds interleaved; bench/ab-trees-calls.ts: calls alternated
 * one by one): one epoch of train(dataset) over API_ROWS digits (shuffled, batch STEP_BATCH; the
 * train(dataset) goal of bench/api.bench.ts) beside as many inner steps, and at batch LARGE_BATCH
 * train(x, y) and train(dataset) on one batch in order (the jax-js rows of bench/jax.bench.ts)
 * beside the inner step. Each call's options are the goal's own.
 */
import { existsSync } from 'node:fs';
import type { Kernels } from '../src/kernels.js';
import { API_ROWS } from './api.bench.js';
import { JAX_BATCHES } from './jax.bench.js';
import { STEP_BATCH, STEP_SIZES } from './step.bench.js';
import { bitsHash } from './ab-rounds.js';

/** jax-js' largest batch. */
export const LARGE_BATCH = JAX_BATCHES.at(-1)!;

/** Inner steps in one epoch of API_ROWS rows at STEP_BATCH. */
export const STEPS_PER_EPOCH = Math.ceil(API_ROWS / STEP_BATCH);

/** The calls' names. */
export const GOAL_CALLS = {
  epoch: `train(dataset) 1 epoch, batch ${STEP_BATCH}`,
  epochSteps: `${STEPS_PER_EPOCH} inner steps, batch ${STEP_BATCH}`,
  largeRows: `train(x, y) batch ${LARGE_BATCH}`,
  largeDataset: `train(dataset) batch ${LARGE_BATCH}`,
  largeStep: `inner step, batch ${LARGE_BATCH}`,
} as const;

/** Each goal's public call and the inner steps it is judged against (its time over theirs, in the same round). */
export const GOAL_RATIOS: readonly [call: string, steps: string][] = [
  [GOAL_CALLS.epoch, GOAL_CALLS.epochSteps],
  [GOAL_CALLS.largeRows, GOAL_CALLS.largeStep],
  [GOAL_CALLS.largeDataset, GOAL_CALLS.largeStep],
];

/**
 * A tree's public API, data, inner step and wasm core, as its own modules (`dir`: the tree's root),
 * and uncheckedKernels, which gives the kernels a network's engine runs (net.kernels is a checked
 * view of them whose calls the engine never makes).
 */
export async function treeModules(dir: string) {
  return {
    ...(await import(`${dir}/src/init/rng.ts`)),
    ...(await import(`${dir}/src/api/network.ts`)),
    // Trees before a39cd7f2 have no checked kernels: there net.kernels are the engine's own.
    ...(existsSync(`${dir}/src/checked-kernels.ts`) ? await import(`${dir}/src/checked-kernels.ts`) : { uncheckedKernels: (k: Kernels) => k }),
    ...(await import(`${dir}/src/data/mnist.ts`)),
    ...(await import(`${dir}/src/wasm/wasm-kernels.ts`)),
    ...(await import(`${dir}/bench/step.bench.ts`)),
  };
}

/**
 * The goal calls on one instance `k` of a tree's core (by GOAL_CALLS' names), and a hash of the
 * weights two shuffled epochs of train(dataset), then two epochs of the large rows as one batch in
 * order, leave from the same seed: a change that must keep the trained bits shows it does.
 */
export async function goalCallsOf(m: Awaited<ReturnType<typeof treeModules>>, k: Kernels): Promise<{ tasks: Record<string, () => void>; bits: string }> {
  const { train } = await m.loadMnist({ train: API_ROWS, test: 0 });
  const netOf = () => m.createNetwork({ sizes: STEP_SIZES, activation: 'sigmoid', output: 'sigmoid', loss: 'mse', seed: 1, backend: k });
  const net = await netOf();
  const digits = net.dataset(train.x, train.y);
  const epoch = { epochs: 1, batchSize: STEP_BATCH, learningRate: 0.01 };
  const rng = new m.Rng(3);
  const uniform = (rows: number, cols: number) => ({ data: Float32Array.from({ length: rows * cols }, () => rng.uniform()), rows, cols });
  const [x, y] = [uniform(LARGE_BATCH, STEP_SIZES[0]), uniform(LARGE_BATCH, STEP_SIZES.at(-1)!)];
  const oneBatch = { epochs: 1, batchSize: LARGE_BATCH, learningRate: 0.01, shuffle: false };
  const twin = await netOf();
  twin.train(digits, { ...epoch, epochs: 2 });
  // Then two one-batch epochs in order: shuffled batches are gathered, and only these read a data
  // set's rows where they lie (Engine.rowsInPlace), so the hash covers both ways of loading a batch.
  const inOrder = twin.dataset(x, y);
  twin.train(inOrder, { ...oneBatch, epochs: 2 });
  inOrder.dispose();
  const bits = bitsHash(Float64Array.from(twin.toJSON().layers.flatMap((l: { weights: number[][]; biases: number[] }) => [...l.weights.flat(), ...l.biases])));
  twin.dispose();
  const inner = await m.stepOn(k);

  const large = await netOf();
  const resident = large.dataset(x, y);
  const largeInner = await m.stepOn(k, STEP_SIZES, LARGE_BATCH);
  return {
    bits,
    tasks: {
      [GOAL_CALLS.epoch]: () => void net.train(digits, epoch),
      [GOAL_CALLS.epochSteps]: () => {
        for (let s = 0; s < STEPS_PER_EPOCH; s++) inner.step();
      },
      [GOAL_CALLS.largeRows]: () => void large.train(x, y, oneBatch),
      [GOAL_CALLS.largeDataset]: () => void large.train(resident, oneBatch),
      [GOAL_CALLS.largeStep]: largeInner.step,
    },
  };
}
