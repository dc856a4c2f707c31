/**
 * A network with batch norms runs in 'train' mode for its steps (each batch norm normalising by its batch's own mean and
 * variance) and in 'eval' mode for the losses measured at the epochs' ends (by its running mean and variance). Where those
 * losses rose while the same epochs' batch means did not (TrainingProgress.trainModeHeld), the rise is between the modes: the
 * diagnosis says so instead of "steps overshooting": beside flat batch norms their running variance (no smaller rate, which does not
 * help there), elsewhere running statistics that lag the steps (a smaller rate, which narrowed the gap). Where the batch means rose
 * too, the steps' sentence and remedy stay.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { LAYER_METRIC_NAMES } from '../../src/flow/metrics.js';
import { Trace, type TraceRun } from '../../src/flow/trace.js';
import { percent } from '../../src/flow/diagnosis/diagnosis-words.js';
import { amountAbove } from '../../src/flow/diagnosis/progress-readings.js';
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
  it('over batch norms of rows alike: the modes part by the flat features\' running variance, whatever the rate', async () => {
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
    // The rise is said from the evaluated loss's own lowest (after 1 epoch), not from the first step's batch, a loss of the other mode.
    expect(d.summary).toMatch(/rose: [\d.e+]+ at the last of 4 epochs, [\d.,e+]+ % above its lowest, [\d.e+]+ after 1 epoch, /);
    // A share past 10⁶ % in 3 digits: it printed '3.9952204989927646e+27 %'.
    expect(d.summary).not.toMatch(/\d{4,}e\+|\d{1,3}(,\d{3}){3,} %/);
    expect(d.summary).toMatch(/Both losses ran in evaluation mode, where each batch norm \(layers\[1\] \('2', batch-norm\), .*\) normalises by its running mean and variance/);
    expect(d.summary).toMatch(/the same epochs' batch losses, which ran in training mode .* went [\d.]+ → [\d.]+ \(means over the last two windows of 1 epoch\) and did not rise: the rise is between the two modes\./);
    expect(d.summary).not.toMatch(/overshoot|became unstable/);
    // Its flat features' running variance fell toward 0 (from 1), as the sentence says, and evaluation divides by it.
    expect(d.evidence.flatNorms).toHaveLength(DEPTH);
    expect(d.summary).toMatch(/its running variance falls toward 0 as the steps move it, .* by as little as √ε \(316× at the default ε\)/);
    expect(Math.max(...runningVariances)).toBeLessThan(0.1);
    // A rate 10× smaller does not keep the evaluated loss down (so none is offered beside flat batch norms; rows alike get no remedy at all).
    const slower = diagnose((await traced('selu', true, 0.01, 4)).trace);
    expect(slower.evidence.training!.lossEnd).toBeGreaterThan(1e6);
    // Neither diagnosis says a share past 10⁶ % in more digits than it has: it read '427,228,188,019,854,200 % above its lowest' at 0.01.
    for (const summary of [d.summary, slower.summary]) expect(summary).not.toMatch(/e\+\d+ %|\d{4,}e\+|\d{1,3}(,\d{3}){3,}/);
    expect(d.remedies).toEqual([]);
  });

  it('over varied rows at a large rate: running statistics that lag the steps, and a smaller rate, which narrows the gap', async () => {
    const d = diagnose((await traced('relu', false, 3, 6, 4, 128)).trace);
    expectSummaryExplained(d, 'relu');
    const p = d.evidence.training!;
    expect(p.state).toBe('rising');
    expect(p.trainModeHeld!.lossEnd).toBeLessThan(p.trainModeHeld!.lossBefore);
    expect(d.evidence.flatNorms).toBeUndefined();
    expect(d.summary).toMatch(/did not rise: the rise is between the two modes\. A batch norm's running mean and variance average its recent batches', so they lag weights that the steps move far/);
    expect(d.summary).not.toMatch(/running variance falls toward 0|overshoot/);
    const smaller = d.remedies.find((r) => r.option === 'learningRate: below 3');
    expect(smaller?.why).toMatch(/smaller steps move the weights less from batch to batch, so the batch norms' running statistics lag them less/);
    // Measured: the same network at learning rate 1 reads no rise, and its evaluated loss ends lower.
    const slower = diagnose((await traced('relu', false, 1, 6, 4, 128)).trace).evidence.training!;
    expect(slower.state).not.toBe('rising');
    expect(slower.lossEnd).toBeLessThan(p.lossEnd);
  });

  it('a rise from a loss 10⁴ times smaller or more is said as a factor, a smaller one as a share, a share past 10⁶ % in 3 digits', () => {
    expect(amountAbove(5.539e25, 1.386)).toBe('4.00e+25 times');
    expect(amountAbove(1.5, 1)).toBe('50 % above');
    expect(amountAbove(9_999, 1)).toBe('999,800 % above');
    expect(amountAbove(0.0123, 0)).toBe("0.01230 in the loss's units above");
    expect(percent(3.9952204989927646e25)).toBe('4.00e+27 %');
    expect(percent(9_999.99)).toBe('999,999 %');
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

describe('a rise of both losses in evaluation mode too brief for an unstable end (review51 #6)', () => {
  /** Two dense → batch norm → tanh blocks, a record and an epoch each; the batch means, the training subset's and the held-out loss as given. */
  function handTrace(batchMeans: number[], training: number[], heldOut: number[]): Trace {
    const types = ['dense', 'batch-norm', 'activation', 'dense', 'batch-norm', 'activation', 'dense'] as const;
    const run: TraceRun = { optimizer: 'sgd', learningRate: 0.1, init: 'glorot-uniform', validation: 'other rows' };
    const trace = new Trace({
      sizes: [4, 3, 3, 3, 3, 3, 3, 2],
      activations: ['linear', 'linear', 'tanh', 'linear', 'linear', 'tanh', 'softmax'],
      loss: 'cross-entropy',
      every: 1,
      run,
      blocks: { layers: types.map((type, l) => ({ name: `${l}`, type })), residuals: [] },
    });
    training.forEach((_, i) => {
      const r = trace.beginRecord(i + 1, 2, 0.5);
      for (let l = 0; l < types.length; l++) {
        for (const name of LAYER_METRIC_NAMES) trace.set(name, r, l, NaN);
        trace.set('saturatedFraction', r, l, 0);
        trace.set('deltaRms', r, l, 1);
        if (trace.recordsMetric('biasGradNorm', l)) trace.set('biasGradNorm', r, l, types[l] === 'dense' && l < 6 ? 1e-9 : 1);
        if (trace.recordsMetric('weightNorm', l)) for (const name of ['weightNorm', 'weightGradNorm'] as const) trace.set(name, r, l, 1);
      }
    });
    training.forEach((loss, epoch) => trace.addEpoch({ epoch, step: epoch + 1, loss: batchMeans[epoch], validation: { loss: heldOut[epoch], accuracy: 0.5 }, training: { loss, accuracy: 0.5, rows: 4 } }));
    return trace;
  }

  it('says why no epoch to stop at is offered where both rose in the last of 3 epochs, and offers it where they held 3', () => {
    const brief = diagnose(handTrace([1, 0.5, 0.45], [1, 0.5, 0.9], [1, 0.8, 1.2]));
    expect([brief.evidence.training!.state, !!brief.evidence.training!.trainModeHeld, brief.evidence.training!.unstableRiseEpochs]).toEqual(['rising', true, 1]);
    expect(brief.summary).toContain(' In evaluation mode the two lay 5 % or more above their lowest together in their last epoch only, ');
    expect(brief.summary).toContain('too few epochs to tell an unstable end from noise, so no epoch to stop at is offered.');
    expect(brief.remedies.map((r) => r.option)).toEqual(['learningRate: below 0.1']);
    const held = diagnose(handTrace([1, 0.5, 0.48, 0.46, 0.45], [1, 0.5, 0.6, 0.7, 0.9], [1, 0.8, 0.9, 1, 1.2]));
    expect(held.summary).not.toContain('no epoch to stop at');
    expect(held.remedies.map((r) => r.option)).toEqual(['learningRate: below 0.1', 'epochs: 2']);
  });
});
