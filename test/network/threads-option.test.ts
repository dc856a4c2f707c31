/**
 * The `threads` option of createNetwork: validated, trains as one thread does, shares one pool
 * between networks of the same thread count, and closes it when the last of them is disposed
 * (checked in this process through the workers' exit events, and in a child process that must end
 * by itself).
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { createNetwork, Network } from '../../src/api/network.js';
import { liveWorkerCount } from '../../src/wasm/threads/pool.js';
import type { ThreadedWasmKernels } from '../../src/wasm/threads/threaded-kernels.js';
import { expectClose } from '../util/close.js';
import { expectError } from '../util/expect-error.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// 64 → 128 → 64 → 4 at batch 128: the two larger layers are above the default split thresholds
// (2²¹ flops, 20 rows per thread), so training really runs on both threads.
const OPTIONS = { sizes: [64, 128, 64, 4], activation: 'tanh' as const, output: 'softmax' as const, loss: 'cross-entropy' as const, seed: 11 };

function problem(rows: number) {
  const rng = new Rng(4);
  const x = Array.from({ length: rows }, () => Array.from({ length: 64 }, () => rng.normal()));
  // One-hot: cross-entropy takes each target row as a distribution.
  const y = x.map((row) => [0, 1, 2, 3].map((k) => (Math.abs(Math.floor(row[0] * 2)) % 4 === k ? 1 : 0)));
  return { x, y };
}

/** Resolves once every worker started so far has exited (the pool closes in the background). */
async function workersGone(count: number): Promise<void> {
  while (liveWorkerCount() > count) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('createNetwork({ threads })', () => {
  it('refuses thread counts that are not whole numbers from 1 to 64, and threads on other backends', async () => {
    for (const threads of [0, -1, 2.5, NaN, 65, '2']) {
      await expectError(() => createNetwork({ ...OPTIONS, threads: threads as number }), 'INVALID_OPTION', /threads/);
    }
    await expectError(() => createNetwork({ ...OPTIONS, backend: 'ref', threads: 2 }), 'INVALID_OPTION', /backend 'wasm' only/);
    expect(liveWorkerCount(), 'a refused option starts no worker').toBe(0);
  });

  it('trains on two threads as on one', async () => {
    const { x, y } = problem(256);
    const runs = [];
    for (const threads of [1, 2]) {
      const net = await createNetwork({ ...OPTIONS, threads });
      const result = net.train(x, y, { epochs: 3, batchSize: 128, learningRate: 0.1 });
      runs.push({ kernels: net.kernels, loss: result.epochs.map((e) => e.loss), weights: Float32Array.from(net.kernels.view(net.weights[1])) });
      net.dispose();
    }
    const two = runs[1].kernels as ThreadedWasmKernels;
    expect(two.threads).toBe(2);
    expect(two.threadsFallback).toBeNull();
    expect(two.splitProducts, 'products split across the threads').toBeGreaterThan(0);
    expect(runs[0].kernels.name).toBe('wasm-simd');
    // ∂W's sum over the batch is split in two, so it rounds differently: close, not equal.
    expectClose(runs[1].loss, runs[0].loss, { rel: 1e-5 }, 'epoch losses');
    expectClose(runs[1].weights, runs[0].weights, { rel: 1e-4, abs: 1e-6 }, 'second-layer weights');
    await workersGone(0);
  });

  it('shares one pool among networks of the same thread count; the last dispose closes it', async () => {
    const { x, y } = problem(128);
    const a = await createNetwork({ ...OPTIONS, threads: 2 });
    const b = await createNetwork({ ...OPTIONS, threads: 2 });
    const fromJson = await Network.fromJSON(a.toJSON(), { threads: 2 });
    expect(b.kernels).toBe(a.kernels);
    expect(fromJson.kernels).toBe(a.kernels);
    expect(liveWorkerCount()).toBe(1);
    const kernels = a.kernels as ThreadedWasmKernels;

    a.dispose();
    fromJson.dispose();
    a.dispose(); // a second dispose must not give back a second share
    // b still holds a share: the pool runs and b's products are still split.
    const before = kernels.splitProducts;
    b.train(x, y, { epochs: 1, batchSize: 128, learningRate: 0.1 });
    expect(kernels.splitProducts).toBeGreaterThan(before);
    expect(kernels.threads).toBe(2);
    expect(liveWorkerCount()).toBe(1);

    b.dispose();
    await workersGone(0);
    expect(kernels.threads, 'the closed kernels run on the main thread alone').toBe(1);

    // A later network starts a new pool.
    const c = await createNetwork({ ...OPTIONS, threads: 2 });
    expect(c.kernels).not.toBe(kernels);
    expect((c.kernels as ThreadedWasmKernels).threads).toBe(2);
    c.dispose();
    await workersGone(0);
  });

  it('refuses more threads than the machine runs at once (they only add hand-offs), starting no worker', async () => {
    const cores = availableParallelism();
    const where = new RegExp(`^threads: ${cores + 1} is more than the ${cores} threads this machine runs at once \\(os\\.availableParallelism\\(\\)\\);.*give at most ${cores}$`);
    await expectError(() => createNetwork({ ...OPTIONS, threads: cores + 1 }), 'INVALID_OPTION', where);
    const saved = await createNetwork({ ...OPTIONS, backend: 'ref' });
    await expectError(() => Network.fromJSON(saved.toJSON(), { threads: cores + 1 }), 'INVALID_OPTION', where);
    saved.dispose();
    expect(liveWorkerCount()).toBe(0);
  });

  it('the same bits on one and two threads, split (batch 128) or not (batch 32: under 20 rows per thread)', async () => {
    const { x, y } = problem(256);
    const weights = async (threads: number, batchSize: number) => {
      const net = await createNetwork({ ...OPTIONS, threads });
      net.train(x, y, { epochs: 2, batchSize, learningRate: 0.1 });
      const split = (net.kernels as Partial<ThreadedWasmKernels>).splitProducts ?? 0;
      const values = net.parameters().flatMap((p) => Array.from(net.kernels.view(p.value)));
      net.dispose();
      return { split, values };
    };
    const one = await weights(1, 128);
    const [twoA, twoB] = [await weights(2, 128), await weights(2, 128)];
    expect(twoA.split).toBeGreaterThan(0);
    expect(twoB.values).toEqual(twoA.values);
    expect(twoA.values, 'two threads, products split').toEqual(one.values);
    // At batch 32 each of two threads would get 16 rows: nothing is split.
    const [oneSmall, twoSmall] = [await weights(1, 32), await weights(2, 32)];
    expect(twoSmall.split).toBe(0);
    expect(twoSmall.values).toEqual(oneSmall.values);
    await workersGone(0);
  });

  it('leaves no worker behind: a child process that trains on two threads and disposes ends by itself', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/network/threads-option-run.ts'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.error, 'the child did not end by itself').toBeUndefined();
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout.trim().split('\n').pop()!) as { threads: number; splitProducts: number; workersWhileTraining: number; loss: number };
    expect(report.workersWhileTraining).toBe(1);
    expect(report.splitProducts).toBeGreaterThan(0);
    expect(report.threads, 'after the last dispose the pool is closed').toBe(1);
    expect(Number.isFinite(report.loss)).toBe(true);
  });
});
