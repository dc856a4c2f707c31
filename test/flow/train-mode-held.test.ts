/**
 * A network with batch norms runs in 'train' mode for its steps (each batch norm normalising by its batch's own mean and
 * variance) and in 'eval' mode for the losses measured at the epochs' ends (by its running mean and variance). Where those
 * losses rose while the same epochs' batch means did not (TrainingProgress.trainModeHeld), the rise is between the modes: the
 * diagnosis says so instead of "steps overshooting", and offers neither a smaller rate nor an earlier stop for it. Where the batch
 * means rose too, the steps' sentence and remedy stay.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import type { Activation } from '../../src/kernels.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { expectSummaryExplained } from '../util/summary-explained.js';

const [INPUTS, CLASSES, ROWS, WIDTH, DEPTH] = [8, 4, 256, 16, 5];

/** `count` rows of INPUTS numbers, each 0.5 where `alike`, else spread over [−1, 1) with the class the quadrant of the first two; random classes for rows alike. */
function rows(alike: boolean, count: number): { x: number[][]; y: number[][] } {
  let s = 7;
  const next = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const x = Array.from({ length: count }, () => Array.from({ length: INPUTS }, () => (alike ? 0.5 : 2 * next() - 1)));
  const y = x.map((row) => {
    const c = alike ? Math.floor(next() * CLASSES) : (row[0] > 0 ? 1 : 0) + (row[1] > 0 ? 2 : 0);
    return Array.from({ length: CLASSES }, (_, k) => (k === c ? 1 : 0));
  });
  return { x, y };
}

/**
 * `depth` (default DEPTH) × (dense, batch norm, f), a softmax output, trained by SGD on `count` rows (default ROWS) in batches of 32
 * with the first quarter of them as validation, traced every 2 steps; the trace and each batch norm's running variances.
 */
async function traced(f: Activation, alike: boolean, learningRate: number, epochs: number, depth = DEPTH, count = ROWS) {
  const block: LayerSpec[] = [{ type: 'dense', units: WIDTH }, { type: 'batch-norm' }, { type: 'activation', activation: f }];
  const init = f === 'selu' ? 'lecun-normal' : f === 'relu' ? 'he-normal' : 'glorot-uniform';
  const net = await createNetwork({ inputs: INPUTS, loss: 'cross-entropy', init, seed: 1, layers: [...Array.from({ length: depth }, () => block).flat(), { type: 'dense', units: CLASSES, activation: 'softmax' }] });
  const { x, y } = rows(alike, count);
  net.train(x, y, { epochs, batchSize: 32, learningRate, trace: { every: 2 }, validation: { x: x.slice(0, count / 4), y: y.slice(0, count / 4) } });
  const runningVariances = net.state().filter((t) => t.name.endsWith('running_var')).flatMap((t) => Array.from(t.values));
  const trace = net.trace!;
  net.dispose();
  return { trace, runningVariances };
}

const offered = (d: ReturnType<typeof diagnose>) => d.remedies.map((r) => r.option);

describe("a loss that rose in 'eval' mode alone", () => {
  it('over batch norms of rows alike: the modes, not the steps, and no smaller rate or earlier stop', async () => {
    const { trace, runningVariances } = await traced('selu', true, 0.1, 4);
    const d = diagnose(trace);
    expectSummaryExplained(d, 'selu');
    expect(d.verdict).toBe('loss-rising');
    const p = d.evidence.training!;
    expect(p.epochLoss).toBe('training subset at the end');
    // The measured split: the subset's loss at the epochs' ends ('eval') climbed orders of magnitude, the batch means ('train') stayed at ln 4.
    expect(p.lossEnd).toBeGreaterThan(1e6);
    for (const e of trace.epochs) expect(Math.abs(e.loss - Math.log(CLASSES))).toBeLessThan(0.02);
    expect(p.trainModeHeld!.lossEnd).toBeCloseTo(Math.log(CLASSES), 1);
    expect(d.summary).toMatch(/Both losses ran in evaluation mode, where each batch norm \(layers\[1\] \('2', batch-norm\), .*\) normalises by its running mean and variance/);
    expect(d.summary).toMatch(/the same epochs' batch losses, which ran in training mode .* went [\d.]+ → [\d.]+ \(means over the last two windows of 1 epoch\) and did not rise\. So the steps did not overshoot/);
    expect(d.summary).not.toMatch(/overshooting|became unstable/);
    // Its flat features' running variance fell toward 0 (from 1), as the sentence says, and evaluation divides by it.
    expect(d.evidence.flatNorms).toHaveLength(DEPTH);
    expect(d.summary).toMatch(/its running variance falls toward 0 as the steps move it, .* by as little as √ε \(316× at the default ε\)/);
    expect(Math.max(...runningVariances)).toBeLessThan(0.1);
    expect(offered(d).filter((o) => /learningRate|epochs/.test(o))).toEqual([]);
  });

  it('over varied rows at a large rate: batch means that fell beside an evaluated loss that rose are no overshoot either', async () => {
    const d = diagnose((await traced('relu', false, 3, 6, 4, 128)).trace);
    expectSummaryExplained(d, 'relu');
    expect(d.evidence.training!.state).toBe('rising');
    const held = d.evidence.training!.trainModeHeld!;
    expect(held.lossEnd).toBeLessThan(held.lossBefore);
    expect(d.evidence.flatNorms).toBeUndefined();
    expect(d.summary).toMatch(/So the steps did not overshoot: the loss rose between the modes/);
    expect(d.summary).not.toMatch(/running variance falls toward 0|overshooting/);
    expect(offered(d).filter((o) => /learningRate: below|epochs: \d/.test(o))).toEqual([]);
  });

  it('where the batch means rose too, the steps overshot: that sentence and a smaller rate stay', async () => {
    const d = diagnose((await traced('sigmoid', false, 30, 6, 4, 128)).trace);
    expect(d.evidence.training!.state).toBe('rising');
    expect(d.evidence.training!.trainModeHeld).toBeUndefined();
    expect(d.summary).toMatch(/A training loss that rises points to the steps \(learning rate 30\) overshooting/);
    expect(d.summary).not.toMatch(/ran in evaluation mode/);
    expect(offered(d)).toContain('learningRate: below 30');
  });
});
