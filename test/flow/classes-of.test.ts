/**
 * How many classes a traced network tells apart (classesOf), which decides whether diagnose() may say
 * an accuracy is at chance: the outputs under cross-entropy, the outputs under any loss whose traced
 * targets were one-hot (TraceRun.targets, recorded from the batches), 2 for one output under binary
 * cross-entropy, none otherwise.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { Trace, type TraceRun } from '../../src/flow/trace.js';
import { classesOf } from '../../src/flow/training-progress.js';
import type { Loss } from '../../src/kernels.js';

const of = (loss: Loss, outputs: number, run: TraceRun = {}) => classesOf({ loss, sizes: [4, 3, outputs], run });

describe('classesOf', () => {
  it('counts the outputs under cross-entropy, and under any loss where the targets were one-hot', () => {
    expect([of('cross-entropy', 10), of('cross-entropy', 2)]).toEqual([10, 2]);
    expect([of('binary-cross-entropy', 10), of('mse', 10)]).toEqual([undefined, undefined]);
    const oneHot: TraceRun = { targets: 'one-hot' };
    expect([of('binary-cross-entropy', 10, oneHot), of('mse', 10, oneHot), of('binary-cross-entropy', 2, oneHot)]).toEqual([10, 10, 2]);
    // One output: binary cross-entropy's two sides of ½; mse's one output is a regression.
    expect([of('binary-cross-entropy', 1), of('mse', 1)]).toEqual([2, undefined]);
  });
});

describe('TraceRun.targets, recorded from the traced batches', () => {
  const x = [[0, 0.1, 0.2, 0.3], [1, 0, 0.5, 0.2], [0.3, 0.3, 0.9, 0], [0.7, 0.2, 0.1, 0.8]];
  async function traced(y: number[][], loss: Loss = 'binary-cross-entropy', blocks = false): Promise<Trace> {
    const output = loss === 'cross-entropy' ? 'softmax' : 'sigmoid';
    const net = blocks
      ? await createNetwork({ inputs: 4, layers: [{ type: 'dense', units: 5, activation: 'tanh' }, { type: 'dense', units: 3, activation: output }], loss, seed: 1 })
      : await createNetwork({ sizes: [4, 5, 3], activation: 'tanh', output, loss, seed: 1 });
    net.train(x, y, { epochs: 2, batchSize: 2, shuffle: false, trace: { every: 1 } });
    const trace = net.trace!;
    net.dispose();
    return trace;
  }
  const oneHot = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]];

  it("is 'one-hot' where every traced batch's rows held a single 1, dense or block network, and a saved trace keeps it", async () => {
    for (const blocks of [false, true]) {
      const trace = await traced(oneHot, 'binary-cross-entropy', blocks);
      expect(trace.run.targets, `blocks ${blocks}`).toBe('one-hot');
      expect(classesOf(trace)).toBe(3);
      expect(Trace.fromJSON(JSON.parse(JSON.stringify(trace.toJSON()))).run.targets).toBe('one-hot');
    }
    expect(classesOf(await traced(oneHot, 'mse'))).toBe(3);
  });

  it('is absent for multi-label or soft targets, even where only a later batch had them: no classes to be at chance among', async () => {
    const multiLabel = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0]];
    const soft = oneHot.map((row) => row.map((v) => (v ? 0.9 : 0.05)));
    for (const y of [multiLabel, soft]) {
      const trace = await traced(y);
      expect(trace.run.targets).toBeUndefined();
      expect(classesOf(trace)).toBeUndefined();
    }
    // Soft labels under cross-entropy are still its outputs' classes.
    expect(classesOf(await traced(soft, 'cross-entropy'))).toBe(3);
  });
});
