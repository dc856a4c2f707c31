// The network remembers LSUV (net.initLsuv(x), not only train's lsuv option) and its trace records
// it, so diagnose() never offers LSUV to a network it already rescaled.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { loadMnist } from '../../src/data/mnist.js';
import { diagnose, type Diagnosis } from '../../src/flow/diagnose.js';
import { Trace } from '../../src/flow/trace.js';
import { codeQuoteOn } from '../util/page-quotes.js';

const offersLsuv = (d: Diagnosis) => d.remedies.some((r) => r.option.startsWith("init: 'lsuv'"));

describe('LSUV in the trace', async () => {
  const { train } = await loadMnist({ train: 256, test: 10 });
  // LSUV on raw 0–255 pixels, then training on the 0–1 digits: the scales LSUV set no longer fit,
  // so the net still vanishes and its activations' spread drifts over depth, the evidence on which
  // diagnose() offers LSUV to a network that has not had it.
  const rawPixels = { ...train.x, data: train.x.data.map((v) => 255 * v) };
  const run = async (lsuv: 'initLsuv' | 'train option') => {
    const net = await createNetwork({ sizes: [784, 32, 32, 32, 32, 32, 32, 10], activation: 'sigmoid', init: 'glorot-uniform', output: 'softmax', loss: 'cross-entropy', seed: 1 });
    if (lsuv === 'initLsuv') net.initLsuv(rawPixels);
    net.train(train.x, train.y, { epochs: 2, batchSize: 32, learningRate: 0.05, trace: { every: 4 }, ...(lsuv === 'train option' && { lsuv: true }) });
    const trace = net.trace!;
    net.dispose();
    return trace;
  };

  it('net.initLsuv(x) before train(): the trace says so and diagnose() does not offer LSUV; without the record it would', async () => {
    const trace = await run('initLsuv');
    expect(trace.run.lsuv).toBe(true);
    const d = diagnose(trace);
    expect(d.verdict).toBe('vanishing');
    expect(offersLsuv(d), d.remedies.map((r) => r.option).join('\n')).toBe(false);
    // The same evidence without the record (a trace from a file that predates it): LSUV is offered.
    const json = trace.toJSON();
    const unrecorded = Trace.fromJSON({ ...json, run: { ...json.run, lsuv: undefined } });
    expect(offersLsuv(diagnose(unrecorded))).toBe(true);
    expect(diagnose(unrecorded).remedies.map((r) => r.option)).toContain(codeQuoteOn('docs/gradient-flow.md', "init: 'lsuv', lsuv: true"));
  });

  it("a later train() call still knows: the network, not the call, holds the record (train's lsuv option too)", async () => {
    const net = await createNetwork({ sizes: [784, 16, 16, 10], activation: 'relu', output: 'softmax', loss: 'cross-entropy', init: 'lsuv', seed: 2 });
    net.initLsuv(train.x);
    net.train(train.x, train.y, { epochs: 1, trace: { every: 4 } });
    expect(net.trace!.run.lsuv).toBe(true);
    net.train(train.x, train.y, { epochs: 1, trace: { every: 4 } });
    expect(net.trace!.run.lsuv).toBe(true);
    net.dispose();
    expect((await run('train option')).run.lsuv).toBe(true);
    const plain = await createNetwork({ sizes: [784, 16, 10], seed: 2 });
    plain.train(train.x, train.y, { epochs: 1, trace: { every: 4 } });
    expect(plain.trace!.run.lsuv).toBeUndefined();
    plain.dispose();
  });
});
