/**
 * Each half of a dense step on two threads holds MAX_CALLS calls: the worker's job in its control
 * block (ThreadPool.setCall), the main thread's list in threaded-kernels.ts' LocalCalls. halfStepRow
 * admits a chain by their count (halfStepCalls, seven per layer each), so no chain it takes fills
 * them; were the bound to count fewer (as it once counted seven per layer where the main thread made
 * eight), the call past the end must be refused typed before either thread runs any, not written over
 * the calls before it or dropped by a typed array and then called as a raw TypeError. Here
 * halfStepCalls is made to count six per layer, which admits a chain one layer past the true bound:
 * the worker's job, set first, is refused at its 65th call (control.ts' writeCall, the one store and
 * refusal of both halves' calls: test/wasm/threads-write-call.test.ts).
 */
import { afterAll, expect, it, vi } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import { MAX_CALLS } from '../../src/wasm/threads/control.js';
import { createThreadedWasmKernels } from '../../src/wasm/threads/threaded-kernels.js';
import type { WasmTensor } from '../../src/wasm/wasm-kernels.js';
import { expectError } from '../util/expect-error.js';

vi.mock('../../src/wasm/threads/half-step.js', async (original) => ({
  ...(await original<typeof import('../../src/wasm/threads/half-step.js')>()),
  halfStepCalls: (layers: number) => 6 * layers,
}));

const two = await createThreadedWasmKernels({ threads: 2, minFlops: 0 });
afterAll(() => two.close());

it('a chain whose halves overflow their calls: train() throws WASM_UNAVAILABLE naming the bound, the weights unchanged, and the pool still steps', async () => {
  // Ten weight layers: 70 calls a half, past MAX_CALLS (64).
  const depth = Math.floor(MAX_CALLS / 6);
  const sizes = [12, ...Array<number>(depth - 1).fill(10), 4];
  const rng = new Rng(2);
  const x = Array.from({ length: 256 }, () => Array.from({ length: 12 }, () => rng.normal()));
  const y = x.map(() => [0, 1, 2, 3].map(() => rng.uniform()));
  const net = await createNetwork({ sizes, activation: 'tanh', output: 'sigmoid', loss: 'mse', seed: 3, backend: two });
  const before = net.parameters().map((p) => Array.from(two.view(p.value as WasmTensor)));
  const jobsBefore = two.halfStepJobs;
  await expectError(() => net.train(x, y, { epochs: 1, batchSize: 256 }), 'WASM_UNAVAILABLE', new RegExp(`^threads: call ${MAX_CALLS} of a job, past the ${MAX_CALLS} a job holds$`));
  expect(two.halfStepJobs).toBe(jobsBefore);
  expect(net.parameters().map((p) => Array.from(two.view(p.value as WasmTensor)))).toEqual(before);
  net.dispose();
  // A chain within the bound after it: the pool was waited for, and steps as one job per thread.
  const shallow = await createNetwork({ sizes: [12, 10, 4], activation: 'tanh', output: 'sigmoid', loss: 'mse', seed: 3, backend: two });
  shallow.train(x, y, { epochs: 1, batchSize: 256 });
  expect(two.halfStepJobs).toBe(jobsBefore + 1);
  shallow.dispose();
});
