/**
 * net.trace describes the network's weights, or is undefined: whatever moves the weights without
 * tracing (an untraced train() that applies a step or runs LSUV, initLsuv, loadState) unsets it, so
 * diagnose(net.trace) never describes a run the weights have left. A refused call moves nothing and
 * keeps it; a held reference keeps the old trace.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { Trace } from '../../src/flow/trace.js';

const x = Array.from({ length: 16 }, (_, i) => [Math.sin(i), Math.cos(i), (i % 4) / 4]);
const y = x.map((_, i) => [i % 2, 1 - (i % 2)]);

async function traced(): Promise<{ net: Network; trace: Trace }> {
  const net = await createNetwork({ sizes: [3, 6, 6, 2], activation: 'sigmoid', output: 'softmax', loss: 'cross-entropy', seed: 3 });
  net.train(x, y, { epochs: 2, batchSize: 8, trace: { every: 1 } });
  expect(net.trace).toBeInstanceOf(Trace);
  return { net, trace: net.trace! };
}

describe('net.trace lifetime', () => {
  it('an untraced train() that steps unsets it; diagnose then says why and how to trace; a held reference keeps the old run', async () => {
    const { net, trace } = await traced();
    const last = trace.steps[trace.length - 1];
    net.train(x, y, { epochs: 1, batchSize: 8 });
    expect(net.trace).toBeUndefined();
    expect(() => diagnose(net.trace!)).toThrow(/trace is undefined; net\.trace is set by a traced run \(and unset when the weights change without one: an untraced train\(\)/);
    // The held trace is unchanged: its records still end where that run ended.
    expect(trace.steps[trace.length - 1]).toBe(last);
    expect(diagnose(trace).evidence.records).toBe(trace.length);
    net.dispose();
  });

  it('a traced train() replaces it with its own run', async () => {
    const { net, trace } = await traced();
    net.train(x, y, { epochs: 1, batchSize: 8, trace: { every: 1 } });
    expect(net.trace).not.toBe(trace);
    expect(net.trace!.steps[0]).toBe(trace.steps[trace.length - 1] + 1);
    net.dispose();
  });

  it('a refused train() moves nothing and keeps it', async () => {
    const { net, trace } = await traced();
    expect(() => net.train(x, y, { epochs: 1, batchSize: 8, learningRate: -1 })).toThrow(/learningRate/);
    expect(net.trace).toBe(trace);
    net.dispose();
  });

  it('loadState and initLsuv unset it (they change the weights too)', async () => {
    const { net } = await traced();
    net.loadState(net.state());
    expect(net.trace).toBeUndefined();
    net.train(x, y, { epochs: 1, batchSize: 8, trace: { every: 1 } });
    expect(net.trace).toBeInstanceOf(Trace);
    net.initLsuv(x);
    expect(net.trace).toBeUndefined();
    net.dispose();
  });
});
