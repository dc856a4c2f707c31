/**
 * After a far too large learning rate (newuser43 #4): the summary's overshoot sentence says the rate in force and the one asked
 * for (it said 'learning rate 1e+6' of a run that stepped at 31250 after onNonFinite 'halve'), and the saturation remedy's reason
 * says the first traced step's sizes, taken before the units saturated, and claims the steps pushed |z| out only beside weights
 * whose norms grew (it said the median step, 0.0 % per step, 'pushed |z| out'). A deep sigmoid network on three blobs, SGD asked
 * for at 1e6 with onNonFinite 'halve'.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { learningRateInForce, Trace } from '../../src/flow/trace.js';
import { LAYER_METRIC_NAMES } from '../../src/flow/metrics.js';
import { givenFloat32Text } from '../../src/number-text.js';
import { blobs } from '../util/blobs.js';

const rows = blobs(60, 3);

/** 6 epochs of the same [4, 16, 16, 16, 16, 3] sigmoid network (seed 1) at `learningRate`, halving on a non-finite step; its trace and its loss on every row before and after. */
async function run(learningRate: number): Promise<{ trace: Trace; before: number; after: number }> {
  const net = await createNetwork({ seed: 1, sizes: [4, 16, 16, 16, 16, 3], activation: 'sigmoid', output: 'softmax', loss: 'cross-entropy' });
  try {
    const before = net.evaluate(rows.x, rows.y).loss;
    const trace = net.train(rows.x, rows.y, { epochs: 6, batchSize: 10, learningRate, onNonFinite: 'halve', validation: { x: rows.x, y: rows.y }, trace: { every: 1 } }).trace;
    return { trace, before, after: net.evaluate(rows.x, rows.y).loss };
  } finally {
    net.dispose();
  }
}

describe('after a far too large learning rate', () => {
  it('says the rate in force beside the one asked for, and claims the push out to σ\' ≈ 0 only beside weights that grew', async () => {
    const far = await run(1e6);
    const d = diagnose(far.trace);
    const inForce = learningRateInForce(far.trace)!;
    expect(inForce).toBeLessThan(1e6);
    expect(d.verdict).toBe('saturated');
    expect(d.summary).not.toContain('(learning rate 1e+6)');
    const saturation = d.remedies.find((r) => r.why.startsWith('the units saturated during training'))!;
    // The step's rate is its epoch's (halved there from 1e6), which may be above the one in force at the end.
    const firstRate = far.trace.epochs.find((e) => e.step >= far.trace.steps[0])!.learningRate!;
    expect(saturation.why).toContain(`the optimiser's first traced step (sgd, learning rate ${givenFloat32Text(firstRate)}) moved the weights (hidden layer 1's by`);
    expect(saturation.why).not.toMatch(/ 0\.0 %/);
    expect(saturation.why).toMatch(/their norms ‖W‖ had grown \(.*\), pushing \|z\| out/);
    // A rising loss: the steps that overshot are said at the rate in force, beside the one asked for.
    const rising = new Trace({ sizes: [4, 3, 3, 3, 2], activations: ['tanh', 'tanh', 'tanh', 'softmax'], loss: 'cross-entropy', every: 1, run: { optimizer: 'sgd', learningRate: 0.1 } });
    [1, 0.5, 0.4, 0.45, 0.6, 0.8, 0.9, 1.1].forEach((loss, epoch) => {
      const r = rising.beginRecord(epoch + 1, loss, 0.5);
      for (let l = 0; l < 4; l++) for (const name of LAYER_METRIC_NAMES) rising.set(name, r, l, ({ weightGradNorm: 1, weightNorm: 1, biasGradNorm: 1, deltaRms: 1, updateRatio: 1e-3, saturatedFraction: 0 } as Record<string, number>)[name] ?? NaN);
      rising.addEpoch({ epoch, step: epoch + 1, loss, learningRate: 0.05 });
    });
    const overshot = diagnose(rising);
    expect(overshot.verdict).toBe('loss-rising');
    expect(overshot.summary).toContain('A training loss that rises points to the steps (learning rate 0.05, halved from the 0.1 asked for) overshooting');
  }, 60_000);
});
