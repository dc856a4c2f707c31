/**
 * After onNonFinite 'halve' lowered the learning rate, the trace records the rate in force (per
 * epoch, from the first epoch run at a lowered rate), and remedies derived from the rate start from
 * it, saying so: a run halved 7 times from 0.1 was offered 0.0333, 43× the rate it ended at.
 * Traces saved before epochs recorded their rate read as before (the starting rate).
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { learningRateInForce, Trace } from '../../src/flow/trace.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { SMALLER_LEARNING_RATE, LARGER_LEARNING_RATE } from '../../src/flow/remedy.js';
import { Rng } from '../../src/init/rng.js';
import { expectError } from '../util/expect-error.js';
import { sabotaged } from '../util/sabotaged-optimizer.js';

const rng = new Rng(5);
const x = Array.from({ length: 24 }, () => [rng.normal(), rng.normal(), rng.normal()]);
const y = x.map((row) => (row[0] + row[1] > 0 ? [1, 0] : [0, 1]));

/** A [3, 5, 4, 2] tanh network trained 6 epochs of 3 batches at rate 0.1, the attempts in `refused` refused ('halve'). */
async function halvedRun(refused: number[]) {
  const net = await createNetwork({ sizes: [3, 5, 4, 2], activation: 'tanh', seed: 2, backend: 'ref' });
  const optimizer = sabotaged(net, new Set(refused));
  const result = net.train(x, y, { optimizer, epochs: 6, batchSize: 8, shuffle: false, learningRate: 0.1, onNonFinite: 'halve', trace: { every: 1 } });
  const trace = net.trace!;
  optimizer.dispose();
  net.dispose();
  return { trace, result };
}

describe('the learning rate in force after halving', () => {
  it('each epoch run at a lowered rate records it; the trace reads the rate at the end', async () => {
    // Attempt 5 is epoch 1's second batch: epoch 1 runs again at 0.05 (attempts 6–8), epoch 2 too (9–11); attempt 12, epoch 3's first batch, halves again.
    const { trace, result } = await halvedRun([5, 12]);
    expect(result.halvings).toBe(2);
    expect(result.learningRate).toBe(0.025);
    expect(trace.run.learningRate).toBe(0.1);
    expect(trace.epochs.map((e) => e.learningRate)).toEqual([undefined, 0.05, 0.05, 0.025, 0.025, 0.025]);
    expect(learningRateInForce(trace)).toBe(0.025);
    // Saved and read back, the same; a trace saved before epochs recorded their rate reads the starting one.
    const json = trace.toJSON();
    expect(Trace.fromJSON(json).epochs).toEqual(trace.epochs);
    const older = { ...json, epochs: json.epochs!.map(({ learningRate: _, ...e }) => e) };
    const read = Trace.fromJSON(older);
    expect(read.epochs.every((e) => !('learningRate' in e))).toBe(true);
    expect(learningRateInForce(read)).toBe(0.1);
  });

  it('an unhalved run records no rate per epoch', async () => {
    const { trace, result } = await halvedRun([]);
    expect(result.halvings).toBe(0);
    expect(trace.epochs.every((e) => !('learningRate' in e))).toBe(true);
    expect(learningRateInForce(trace)).toBe(0.1);
  });

  it("a remedy's rate derives from the rate in force, and says so; read from an older trace, from the starting one", async () => {
    // Halved three times (0.1 → 0.0125) the loss stops moving: a plateau, offered a larger rate. The run halved twice (0.025) still
    // falls at a steady pace, and a loss still falling is offered more epochs, no rate.
    const { trace } = await halvedRun([5, 12, 15]);
    expect(learningRateInForce(trace)).toBe(0.0125);
    const rates = (t: Trace) => diagnose(t).remedies.flatMap((r) => r.settings.filter((s) => s.option === 'learningRate').map((s) => ({ s, why: r.why })));
    const halved = rates(trace);
    expect(halved.length).toBeGreaterThan(0);
    for (const { s, why } of halved) {
      expect([`${+(0.0125 * SMALLER_LEARNING_RATE).toPrecision(3)}`, `${+(0.0125 * LARGER_LEARNING_RATE).toPrecision(3)}`]).toContain(s.flagValue);
      expect(s.value).toMatch(/^(below|above) 0\.0125$/);
      expect(why).toContain('The rate is set from the one in force at the end, 0.0125 (halved from 0.1).');
    }
    const json = trace.toJSON();
    const older = Trace.fromJSON({ ...json, epochs: json.epochs!.map(({ learningRate: _, ...e }) => e) });
    for (const { s, why } of rates(older)) {
      expect(s.value).toMatch(/^(below|above) 0\.1$/);
      expect(why).not.toContain('in force');
    }
  });

  it.each([0, -1, 'fast', Infinity])('a saved epoch rate of %s is refused, naming where', async (bad) => {
    const { trace } = await halvedRun([5]);
    const json = trace.toJSON();
    const epochs = json.epochs!.map((e, i) => (i === 2 ? { ...e, learningRate: bad } : e));
    await expectError(() => Trace.fromJSON({ ...json, epochs }), 'INVALID_OPTION', /epochs\[2\]\.learningRate must be a finite number > 0/);
  });
});
