// bench/train-steps.ts: the spread of a task's step times, and the timing of steps from one
// first-layer forward to the next (on a stand-in for the kernels: no timing asserted).
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { uncheckedKernels } from '../../src/checked-kernels.js';
import { DENSE_STEP } from '../../src/dense-step.js';
import { createThreadedWasmKernels } from '../../src/wasm/threads/threaded-kernels.js';
import { stepSpread, timeNetworkSteps, timeSteps } from '../../bench/train-steps.js';

describe('train-steps', () => {
  it('reads the tenth percentile, quartiles, median and mean of the steps, in any order', () => {
    expect(stepSpread([10, 1, 9, 2, 8, 3, 7, 4, 6, 5])).toEqual({ p10: 1.9, p25: 3.25, median: 5.5, p75: 7.75, mean: 5.5 });
  });

  it('times a step from one first-layer forward to the next, one list per call, each call\'s lead-in to its first, and still runs the forward', () => {
    const ran: unknown[][] = [];
    const kernels = {
      name: 'stand-in',
      denseForwardGather(this: { name: string }, ...args: unknown[]) {
        ran.push([this.name, ...args]);
        return args.length;
      },
    };
    const timer = timeSteps(kernels);
    timer.newCall();
    for (let i = 0; i < 3; i++) expect(kernels.denseForwardGather(i, 'x')).toBe(2);
    timer.newCall();
    kernels.denseForwardGather(7);
    kernels.denseForwardGather(8);
    expect(timer.calls.map((steps) => steps.length)).toEqual([2, 1]);
    for (const step of timer.calls.flat()) expect(step).toBeGreaterThanOrEqual(0);
    // One lead-in per call, from newCall() to its first forward.
    expect(timer.leadIns).toHaveLength(2);
    for (const leadIn of timer.leadIns) expect(leadIn).toBeGreaterThanOrEqual(0);
    expect(ran).toEqual([['stand-in', 0, 'x'], ['stand-in', 1, 'x'], ['stand-in', 2, 'x'], ['stand-in', 7], ['stand-in', 8]]);
  });

  it('times the steps a network\'s train() runs, on the kernels its engine calls (net.kernels, a checked view, sees none)', async () => {
    const net = await createNetwork({ sizes: [4, 3, 2], seed: 1 });
    const rows = 40;
    const data = net.dataset(Array.from({ length: rows }, (_, i) => [i % 3, 1, 0, i % 2]), Array.from({ length: rows }, (_, i) => [i % 2, 1 - (i % 2)]));
    const viewed = timeSteps(net.kernels);
    const timer = timeNetworkSteps(uncheckedKernels, net);
    viewed.newCall();
    timer.newCall();
    net.train(data, { epochs: 2, batchSize: 8, learningRate: 0.1 });
    // 2 epochs of 5 batches, each gathered by its first layer's forward: a step between each two.
    expect(timer.calls).toEqual([expect.any(Array)]);
    expect(timer.calls[0]).toHaveLength(9);
    expect(timer.leadIns).toHaveLength(1);
    expect(viewed.calls[0]).toHaveLength(0);
    data.dispose();
    net.dispose();
  });
  it('times a step from its dense step where the backend takes it whole (two threads, from batch 128), from its first-layer forward where it declines', async () => {
    const two = await createThreadedWasmKernels({ threads: 2, minFlops: 0 });
    try {
      const net = await createNetwork({ sizes: [4, 3, 2], seed: 1, backend: two });
      const rows = 300;
      const data = net.dataset(Array.from({ length: rows }, (_, i) => [i % 3, 1, 0, i % 2]), Array.from({ length: rows }, (_, i) => [i % 2, 1 - (i % 2)]));
      const timer = timeSteps(two, DENSE_STEP);
      timer.newCall();
      const jobsBefore = two.halfStepJobs;
      net.train(data, { epochs: 2, batchSize: 128, learningRate: 0.1 });
      // 2 epochs of batches of 128, 128 and 44 rows: the two of 128 taken whole, the 44 (under the fold's 128) declined and run by the engine.
      expect(two.halfStepJobs - jobsBefore).toBe(4);
      expect(timer.calls[0]).toHaveLength(5);
      expect(timer.leadIns).toHaveLength(1);
      data.dispose();
      net.dispose();
    } finally {
      await two.close();
    }
  });
});
