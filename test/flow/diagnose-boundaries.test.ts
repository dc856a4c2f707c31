/**
 * The diagnosis at its boundaries, on hand-built traces whose every number is chosen: a measure equal
 * to its threshold, gradients of 0, losses of 0 or not a number, epochs without the accuracy a
 * verdict needs. Each sentence must follow from the numbers it states, or say it cannot tell.
 */
import { describe, expect, it } from 'vitest';
import { diagnose, EXPLODING_RATIO, GRADIENT_FADED, OWN_GRADIENTS, OWN_STEP_LENGTH, SEVERE_RATIO, TRAINED_LOSS_FRACTION, VANISHING_RATIO } from '../../src/flow/diagnose.js';
import { LAYER_METRIC_NAMES, type LayerMetric } from '../../src/flow/metrics.js';
import { Trace, type TraceEpoch, type TraceRun } from '../../src/flow/trace.js';
import { AT_CHANCE_MARGIN, SHORT_RUN_EPOCHS, type TrainingProgress, type TrainingState } from '../../src/flow/training-progress.js';
import { grewWhileLearning } from '../../src/flow/diagnosis/verdict-rules.js';
import type { Evidence } from '../../src/flow/diagnosis/diagnosis-types.js';
import { renderReport } from '../../src/flow/report-html.js';
import { API_REMEDY_TERMS } from '../../src/flow/remedy.js';
import { diagnosisText } from '../../src/cli/trace-table.js';
import { createNetwork } from '../../src/api/network.js';
import { createOptimizer, OPTIMIZERS } from '../../src/optim/index.js';
import { GRADIENT_SCALED_STEPS, RAW_GRADIENT_STEPS, STEP_SIZE_OF_THEIR_OWN, TAKE_LAYER_RATES } from '../../src/optimizer-defaults.js';
import { codeQuoteOn, quoteOn, quotePattern } from '../util/page-quotes.js';

/** One record of a [4, 3, 3, 3, 2] tanh network: per layer (first hidden first) its per-example ‖δ‖ and ‖∂C/∂b‖; its batch's loss and accuracy. */
interface HandRecord {
  delta: number[];
  bias: number[];
  loss?: number;
  accuracy?: number;
  /** Per hidden layer, its saturated fraction (tanh) or dead fraction (relu); 0 where not given. */
  failed?: number[];
}

const RUN: TraceRun = { optimizer: 'sgd', learningRate: 0.1, init: 'glorot-uniform' };

/** A trace of `records` (one per step from step 1) and `epochs` of a [4, 3, 3, 3, 2] network of `hidden` units; everything not given is neutral (nothing saturated or dead, even updates). */
function handTrace(records: HandRecord[], epochs: TraceEpoch[] = [], run: TraceRun = RUN, hidden: 'tanh' | 'relu' = 'tanh'): Trace {
  const trace = new Trace({ sizes: [4, 3, 3, 3, 2], activations: [hidden, hidden, hidden, 'softmax'], loss: 'cross-entropy', every: 1, run });
  const failure: LayerMetric = hidden === 'tanh' ? 'saturatedFraction' : 'deadFraction';
  records.forEach(({ delta, bias, loss, accuracy, failed }, i) => {
    const r = trace.beginRecord(i + 1, loss ?? 2, accuracy ?? 0.5);
    const neutral: Partial<Record<LayerMetric, number>> = { weightGradNorm: 1, weightNorm: 1, updateRatio: 1e-3, [failure]: 0, ...(hidden === 'relu' && { inactiveFraction: 0 }) };
    for (let l = 0; l < 4; l++) {
      for (const name of LAYER_METRIC_NAMES) trace.set(name, r, l, neutral[name] ?? NaN);
      trace.set('deltaRms', r, l, delta[l] ?? 1);
      trace.set('biasGradNorm', r, l, bias[l] ?? 1);
      if (l < 3) trace.set(failure, r, l, failed?.[l] ?? 0);
    }
  });
  for (const e of epochs) trace.addEpoch(e);
  return trace;
}

/**
 * A block network's trace, [4, (dense 3, batch norm, tanh) × 2, dense 2 softmax]: both hidden dense
 * layers feed a batch norm (their biases cancelled), so the diagnosis reads the last one's per-example
 * ‖δ‖ where it would read its ‖∂C/∂b‖. Per record, the per-example ‖δ‖ of the two hidden dense rows.
 */
function normalisedTrace(records: { delta: [number, number]; relative?: [number, number]; loss?: number }[]): Trace {
  const types = ['dense', 'batch-norm', 'activation', 'dense', 'batch-norm', 'activation', 'dense'] as const;
  const trace = new Trace({
    sizes: [4, 3, 3, 3, 3, 3, 3, 2],
    activations: ['linear', 'linear', 'tanh', 'linear', 'linear', 'tanh', 'softmax'],
    loss: 'cross-entropy',
    every: 1,
    run: RUN,
    blocks: { layers: types.map((type, l) => ({ name: `${l}`, type })), residuals: [] },
  });
  records.forEach(({ delta, relative, loss }, i) => {
    const r = trace.beginRecord(i + 1, loss ?? 2, 0.5);
    for (let l = 0; l < types.length; l++) {
      for (const name of LAYER_METRIC_NAMES) trace.set(name, r, l, NaN);
      trace.set('saturatedFraction', r, l, 0);
      trace.set('deltaRms', r, l, l === 0 ? delta[0] : l === 3 ? delta[1] : 1);
      if (trace.recordsMetric('biasGradNorm', l)) trace.set('biasGradNorm', r, l, types[l] === 'dense' && l < 6 ? 1e-9 : 1);
      if (trace.recordsMetric('weightNorm', l)) for (const name of ['weightNorm', 'weightGradNorm'] as const) trace.set(name, r, l, 1);
      // ‖∂C/∂W‖ over ‖W‖ = 1: the relative gradient of the two hidden dense rows.
      if (relative && (l === 0 || l === 3)) trace.set('weightGradNorm', r, l, relative[l === 0 ? 0 : 1]);
      if (trace.recordsMetric('weightNorm', l)) trace.set('updateRatio', r, l, 1e-3);
    }
  });
  return trace;
}

/** Four records of an even flow at a flat loss (a plateau read from the batches), the last hidden layer's ‖∂C/∂b‖ at `lastBias` of its start in the last. */
const flatRun = (lastBias: number): HandRecord[] => [1, 1, 1, lastBias].map((b) => ({ delta: [1, 1, 1], bias: [1, 1, b] }));

describe('the fall of the last hidden layer\'s gradient against GRADIENT_FADED', () => {
  it('a fall of exactly 1/GRADIENT_FADED is not fading, and is not said to be less than itself', () => {
    const d = diagnose(handTrace(flatRun(GRADIENT_FADED)));
    expect(d.evidence.lastHiddenChange).toBe(GRADIENT_FADED);
    expect(d.evidence.training?.state).toBe('plateau');
    expect(d.summary).not.toContain('faded over training time');
    expect(d.summary).not.toMatch(/fell 100× over training time, less than the 100×/);
    expect(d.summary).toContain("the last hidden layer's ‖∂C/∂b‖ fell 100× over training time, not past the 100× beyond which this diagnosis calls it fading");
    // A fall that prints as 100× but is short of it reads the same; one that is plainly short reads 'less than'.
    expect(diagnose(handTrace(flatRun(0.010004))).summary).toContain('fell 100× over training time, not past the 100×');
    expect(diagnose(handTrace(flatRun(0.1))).summary).toContain("the last hidden layer's ‖∂C/∂b‖ fell 10.0× over training time, less than the 100× this diagnosis calls fading");
  });

  it("where a batch norm cancels the last hidden layer's bias, its per-example ‖δ‖ is read, and a fall past 100× is said to be more", () => {
    const d = diagnose(normalisedTrace([1, 1, 1, 1e-3].map((last) => ({ delta: [last, last] }))));
    expect([d.evidence.lastHiddenChange, d.evidence.lastHiddenDeltaChange]).toEqual([NaN, 1e-3]);
    expect(d.evidence.training?.state).toBe('plateau');
    expect(d.summary).toContain("the last hidden layer layers[3] ('3', dense)'s per-example ‖δ‖ (a batch norm cancels its bias) fell 1.00e+3× over training time, more than the 100× this diagnosis calls fading");
  });
});

describe('the batch gradient that faded while each example\'s δ did not', () => {
  it("a per-example δ that rose is not said to have 'fallen only' a factor below 1", () => {
    const d = diagnose(handTrace([{ delta: [1, 1, 1], bias: [1, 1, 1] }, { delta: [2, 2, 2], bias: [1, 1, 0.005] }]));
    expect([d.evidence.lastHiddenChange, d.evidence.lastHiddenDeltaChange]).toEqual([0.005, 2]);
    expect(d.summary).not.toMatch(/fell only 0\.500×/);
    expect(d.summary).toContain("the last hidden layer's ‖∂C/∂b‖ fell 200×, while each example's δ there did not fall (it ended at 2.00× its start): the examples' gradients cancel in the batch.");
    // A δ that fell, less than the batch gradient, is said as the fall it is.
    const fell = diagnose(handTrace([{ delta: [1, 1, 1], bias: [1, 1, 1] }, { delta: [0.5, 0.5, 0.5], bias: [1, 1, 0.005] }]));
    expect(fell.summary).toContain("the last hidden layer's ‖∂C/∂b‖ fell 200×, while each example's δ there fell only 2.00×: the examples' gradients cancel in the batch.");
  });
});

describe("where the run stands, when its epochs cannot be read", () => {
  const flat = flatRun(1);
  it("a trace of two epochs, one of whose losses is not a number, is read from its batches, and the summary says why: not 'fewer than two epochs'", () => {
    const trace = handTrace(flat, [
      { epoch: 0, step: 2, loss: 2 },
      { epoch: 1, step: 4, loss: NaN },
    ]);
    const d = diagnose(trace);
    expect([d.evidence.training?.read, d.evidence.training?.epochsUnread]).toEqual(['batches', 'not a number']);
    expect(d.summary).not.toContain('fewer than two epochs');
    expect(d.summary).toContain("A plateau (read from the batches: an epoch's training loss in the trace is not a number)");
    expect(d.summary).toContain(quoteOn('docs/gradient-flow.md', 'read from the batches: an epoch'));
    // Saved and read back (JSON writes NaN as null), the same.
    expect(diagnose(Trace.fromJSON(JSON.parse(JSON.stringify(trace.toJSON())))).summary).toBe(d.summary);
  });

  it('one epoch: read from the batches, because the trace holds fewer than two', () => {
    const d = diagnose(handTrace(flat, [{ epoch: 0, step: 4, loss: 2 }]));
    expect([d.evidence.training?.read, d.evidence.training?.epochsUnread]).toEqual(['batches', 'fewer than two']);
    expect(d.summary).toContain('A plateau (read from the batches: the trace holds fewer than two epochs)');
    expect(d.summary).toContain(quoteOn('docs/gradient-flow.md', 'read from the batches: the trace holds'));
  });

  it("validation on the training rows that an epoch lacks: its training loss is not a number there", () => {
    const trace = handTrace(flat, [
      { epoch: 0, step: 2, loss: 2, validation: { loss: 2, accuracy: 0.5 } },
      { epoch: 1, step: 4, loss: 2 },
    ], { ...RUN, validation: 'training rows' });
    expect(diagnose(trace).evidence.training?.epochsUnread).toBe('not a number');
  });
});

describe('a loss of 0', () => {
  const flat = flatRun(1);
  it('a training loss of 0 that stays 0 did not rise', () => {
    const d = diagnose(handTrace(flat, [0, 0, 0].map((loss, epoch) => ({ epoch, step: epoch + 2, loss }))));
    expect(d.evidence.training?.state).not.toBe('rising');
    expect(d.verdict).toBe('healthy');
    expect(d.summary).not.toMatch(/NaN|rose/);
  });

  it("a rise from a lowest of 0 is said without a percentage of 0, in the loss's units, in the summary and the remedy", () => {
    const rising = diagnose(handTrace(flat, [0.5, 0, 0.2].map((loss, epoch) => ({ epoch, step: epoch + 2, loss }))));
    expect([rising.verdict, rising.evidence.training?.lowest]).toEqual(['loss-rising', { epoch: 1, loss: 0 }]);
    expect(rising.summary).toContain("rose: 0.2000 at the last of 3 epochs, 0.2000 in the loss's units above its lowest, 0 after 2 epochs, with a median of 50 % of each");
    expect(rising.remedies[0].why).toMatch(/^the training loss rose 0\.2000 in the loss's units above its lowest \(0 after 2 epochs\)/);
    const heldOut = diagnose(
      handTrace(
        flat,
        // Held 3 epochs above its lowest: in a run too short to read the epochs' noise, overfitting asks early stopping's patience (OVERFIT_PATIENCE).
        [0, 0.3, 0.3, 0.3].map((held, epoch) => ({ epoch, step: epoch + 2, loss: 1 - epoch / 100, validation: { loss: held, accuracy: 0.5 }, training: { loss: 1 - epoch / 100, accuracy: 0.5, rows: 4 } })),
        { ...RUN, validation: 'other rows' },
      ),
    );
    expect(heldOut.verdict).toBe('overfitting');
    expect(heldOut.summary).toContain("rose while the training loss did not: 0.3000 at the last of 4 epochs, 0.3000 in the loss's units above its lowest, 0 after 1 epoch,");
    for (const d of [rising, heldOut]) expect(`${d.summary} ${d.remedies.map((r) => r.why).join(' ')}`).not.toMatch(/NaN|Infinity|e\+0\b/);
  });
});

describe('gradients of 0', () => {
  it("a first hidden layer whose per-example δ is 0 while the last's is not: vanishing (severe), and the summary says what was measured, not that nothing was", () => {
    const d = diagnose(handTrace([0, 1].map(() => ({ delta: [0, 1, 1], bias: [0, 1, 1] }))));
    expect(d.evidence.deltaFirstToLast).toEqual({ first: 0, last: 0, median: 0 });
    expect([d.verdict, d.severity]).toEqual(['vanishing', 'severe']);
    expect(d.summary).not.toContain('could not be measured');
    // 0 in every record: a 0 at the first record alone is one batch, not a gap (decisiveReading), so the gap is read over the records, and said so.
    expect(d.evidence.gap).toEqual({ ratio: 0, readAt: 'median' });
    expect(d.summary).toBe(
      "Vanishing gradients (severe): one example's gradient δ at the first hidden layer was 0 while the last hidden layer's was not (RMS over the batch, median over 2 records of its ratio to the other's): no gradient reached the first hidden layer, so its weights did not learn.",
    );
    expect(d.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', "one example's gradient δ at the first hidden layer was 0")));
    // Only later: the median decides, and says so.
    const later = diagnose(handTrace([1, 0, 0].map((first) => ({ delta: [first, 1, 1], bias: [first, 1, 1] }))));
    expect(later.summary).toMatch(/^Vanishing gradients \(severe\): one example's gradient δ at the first hidden layer was 0 while the last hidden layer's was not \(RMS over the batch, median over 3 records of its ratio to the other's\)/);
  });

  it("a last hidden layer whose δ is 0 while the first's is not (the gradient came around it): the summary says which end had none", () => {
    const d = diagnose(handTrace([0, 1].map(() => ({ delta: [1, 1, 0], bias: [1, 1, 0] }))));
    expect(d.verdict).toBe('exploding');
    expect(d.summary).toContain("one example's gradient δ at the last hidden layer was 0 while the first hidden layer's was not (RMS over the batch, median over 2 records of its ratio to the other's): no gradient reached the last hidden layer.");
  });
});

describe('no gradient at either end of the chain', () => {
  it("is no healthy flow measured: the summary says no gap could be read, and that it cannot tell, beside the run's progress", () => {
    const zero = { delta: [0, 0, 0, 0], bias: [0, 0, 0, 0] };
    const d = diagnose(handTrace([zero, zero, zero, zero]));
    expect(d.verdict).toBe('healthy');
    expect(d.summary).not.toMatch(/^Healthy gradient flow/);
    expect(d.summary.startsWith(quoteOn('docs/gradient-flow.md', 'No fault found'))).toBe(true);
    expect(d.summary).toMatch(
      /^No fault found in the gradient flow: no gap between the first hidden layer and the last hidden layer could be read: the ratio of their per-example δ was 0 ÷ 0 \(no gradient at either end\) or not a number in every record, so whether the gradient vanishes or explodes along the chain this trace cannot tell\. A plateau/,
    );
  });

  it('is drawn undecided, not healthy: the HTML report gives it the neutral border, and neither printer heads it HEALTHY', async () => {
    const zero = { delta: [0, 0, 0, 0], bias: [0, 0, 0, 0] };
    const trace = handTrace([zero, zero, zero, zero]);
    const d = diagnose(trace);
    expect(d.undecided).toBe(true);
    const html = await renderReport({ runs: [{ id: 'r', label: 'no gradient', trace, diagnosis: d }] });
    const div = /<div class="([^"]*)" data-verdict="([^"]*)"><p><strong>([^<]*)<\/strong>/.exec(html);
    // The hand trace's batches are half right on 2 classes, at chance: the heading says it of the model beside the flow's (test/flow/at-chance-heading).
    expect(div?.slice(1)).toEqual(['diagnosis undecided', 'healthy', 'NO FAULT FOUND IN THE GRADIENT FLOW, MODEL AT CHANCE']);
    expect(diagnosisText(d, API_REMEDY_TERMS).split('\n')[0]).toBe('Diagnosis: NO FAULT FOUND IN THE GRADIENT FLOW, MODEL AT CHANCE');
    // A healthy flow that was measured keeps its green border; its batches are at chance too, so its heading says both.
    const measured = diagnose(handTrace(flatRun(1)));
    expect([measured.verdict, measured.undecided]).toEqual(['healthy', undefined]);
    const healthy = await renderReport({ runs: [{ id: 'r', label: 'even', trace: handTrace(flatRun(1)), diagnosis: measured }] });
    expect(healthy).toContain('<div class="diagnosis healthy" data-verdict="healthy"><p><strong>HEALTHY GRADIENT FLOW, MODEL AT CHANCE</strong>');
  });
});

describe('converged, when no traced batch measured the last epochs\' accuracy', () => {
  it("a loss at 1/500 of its start that stopped falling is not said to be 'without converging': the trace cannot tell", () => {
    // One record, at step 1; ten epochs of 10 steps, the last four at the same loss.
    const losses = [1, 0.5, 0.1, 0.05, 0.01, 0.005, 0.004, 0.004, 0.004, 0.004];
    const d = diagnose(handTrace([{ delta: [1, 1, 1], bias: [1, 1, 1], loss: 2 }], losses.map((loss, epoch) => ({ epoch, step: 10 * (epoch + 1), loss }))));
    const p = d.evidence.training!;
    expect([p.state, p.accuracyEnd, p.lossEnd / p.lossStart]).toEqual(['plateau', NaN, 0.002]);
    expect(d.summary).not.toContain('without converging');
    expect(d.summary).toContain(
      "A plateau: the training loss per epoch (the mean of its batches' losses, each before its update) did not fall (mean 0.004000 over the 2 epochs before → mean 0.004000 over the last 2 of 10 epochs; 2.000 at the first step (its batch)); whether it converged the trace cannot tell: its loss is at most 1 % of the first step's batch's, but no traced batch of the last 2 epochs measured the 99 % of rows classified right that converged also asks for (a smaller trace interval would);",
    );
    // With a loss short of the floor, it has not converged whatever the accuracy.
    const high = diagnose(handTrace([{ delta: [1, 1, 1], bias: [1, 1, 1], loss: 2 }], [1, 0.5, 0.5, 0.5, 0.5].map((loss, epoch) => ({ epoch, step: 10 * (epoch + 1), loss }))));
    expect(high.summary).toContain('did not fall, without converging (0.5000 over the epoch before → 0.5000 at the last of 5 epochs');
    // A fall short of still learning's is said with both (newuser48 #11: 'stopped falling' of a loss that fell 1.04 % in its last epoch).
    const slow = diagnose(handTrace([{ delta: [1, 1, 1], bias: [1, 1, 1], loss: 2 }], [1, 0.5, 0.5, 0.5, 0.49].map((loss, epoch) => ({ epoch, step: 10 * (epoch + 1), loss }))));
    expect(slow.evidence.training!.state).toBe('plateau');
    expect(slow.summary).toContain('fell only 2.00 %, under the 5 % still learning asks, without converging (0.5000 over the epoch before → 0.4900 at the last of 5 epochs;');
    expect(slow.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'fell only 1.04 %'), { anyNumbers: true }));
    expect(high.summary).toContain(quoteOn('docs/gradient-flow.md', 'without converging'));
  });
});

describe('how the gap moved, across norm rows', () => {
  it("marks no end of δ's trend as exploding or vanishing, since δ alone is not the gap read there", () => {
    // δ says 8× (past EXPLODING_RATIO), the relative gradient 0.5×: they point opposite ways, so no gap is read and the verdict is healthy.
    const d = diagnose(normalisedTrace([8, 10].map((first) => ({ delta: [first, 1], relative: [0.5, 1] }))));
    expect(d.evidence.normalisedBy).toEqual([1]);
    expect([d.verdict, d.evidence.normalisedGap?.median]).toEqual(['healthy', NaN]);
    expect(d.summary).toContain('they point opposite ways, so no gap is read');
    expect(d.summary).toContain("The per-example gap stayed within 2.00× of its start (it widened 1.25×) during training: 8.00× at the first step and 10.0× at the last record.");
    expect(d.summary).not.toMatch(/\((exploding|vanishing)\)/);
  });
});

describe('overfitting', () => {
  const overfit = (training: number[]) =>
    diagnose(
      handTrace(
        flatRun(1),
        // The training rows' loss at the epochs' ends (TraceEpoch.training) is what overfitting is read against; the held-out loss above it,
        // and above its lowest for the last 3 epochs (early stopping's patience, OVERFIT_PATIENCE: these runs are too short to read the epochs' noise).
        training.map((loss, epoch) => ({ epoch, step: epoch + 1, loss: 9, validation: { loss: [1.8, 2, 2.2, 2.4, 2.4, 2.4, 2.4, 2.4, 2.4, 2.4][epoch], accuracy: 0.5 }, training: { loss, accuracy: 0.5, rows: 4 } })),
        { ...RUN, validation: 'other rows' },
      ),
    );

  it("says the network fits its training rows better only where their loss fell", () => {
    const held = overfit([2, 2, 2, 2]);
    expect(held.verdict).toBe('overfitting');
    expect(held.summary).toContain("while the loss on the same 4 training rows after each epoch (measured with the network's weights at that epoch's end, as the held-out rows' loss is) went 2.000 → the same");
    expect(held.summary).not.toMatch(/fits its training rows/);
    const fell = overfit([2, 1.8, 1.7, 1.6]);
    expect(fell.verdict).toBe('overfitting');
    expect(fell.summary).toContain(
      "went 1.700 → 1.600, with 50 % of those training rows classified right, at chance: no better than a guess among 2 classes (50 % right), within 5 points either way. The network fits its training rows better at the cost of the rows it has not seen.",
    );
    // Over windows of more than one epoch, the training losses are said to be the windows' means.
    expect(overfit(Array(10).fill(2)).summary).toContain('went 2.000 → the same (means over the last two windows of 2 epochs)');
  });
});

describe('an unstable end: the training and held-out losses both rose at the same weights', () => {
  const otherRows: TraceRun = { ...RUN, validation: 'other rows' };
  const HELD_OUT = [1, 0.8, 1.2];
  /** Five epochs whose held-out loss rose from its lowest after 2 for the last 3 in a row, 50 % above it at the end. */
  const HELD_OUT_HELD = [1, 0.8, 0.9, 1, 1.2];
  /**
   * Epochs whose held-out loss is `heldOut` (three that rose 50 % above its lowest in the last alone by default), a record each;
   * the training subset's loss as given, or none recorded (a trace saved before it was).
   */
  const bothRose = (training: number[], subset = true, heldOut = HELD_OUT) =>
    diagnose(
      handTrace(
        training.map(() => ({ delta: [1, 1, 1], bias: [1, 1, 1] })),
        training.map((loss, epoch) => ({
          epoch,
          step: epoch + 1,
          loss,
          validation: { loss: heldOut[epoch], accuracy: 0.5 },
          ...(subset && { training: { loss, accuracy: 0.5, rows: 4 } }),
        })),
        otherRows,
      ),
    );

  it('is said once, from the epoch after the training loss was lowest, with the held-out best epochs and a smaller rate, where both held their rise 3 epochs', () => {
    const d = bothRose([1, 0.5, 0.6, 0.7, 0.9], true, HELD_OUT_HELD);
    const p = d.evidence.training!;
    expect([d.verdict, p.state, p.epochLoss, p.heldOutRose, p.unstableRiseEpochs]).toEqual(['loss-rising', 'rising', 'training subset at the end', true, undefined]);
    expect(d.summary).toContain(
      "raining became unstable from epoch 3: training and held-out loss both rose, the held-out rows' loss 1.200 at the last of 5 epochs, 50 % above its lowest, 0.8000 after 2 epochs, " +
        "and the loss on the same 4 training rows after each epoch (measured with the network's weights at that epoch's end, as the held-out rows' loss is) rose: 0.9000 at the last of 5 epochs, 80 % above its lowest, 0.5000 after 2 epochs",
    );
    expect(d.summary).toContain(quoteOn('docs/gradient-flow.md', 'training became unstable from epoch k').replace(' k:', ' 3:'));
    // One sentence each: no second held-out sentence, no second 'rose' of the training loss.
    expect(d.summary.match(/unstable/g)).toHaveLength(1);
    expect(d.summary).not.toContain("The held-out rows' loss rose,");
    expect(d.summary.match(/rose: /g)).toHaveLength(1);
    expect(d.remedies.map((r) => r.option)).toEqual(expect.arrayContaining(['learningRate: below 0.1', 'epochs: 2']));
  });

  // tidy50: three epochs read 'training became unstable from epoch 3' and offered to stop after 2 from one epoch's jump of both
  // losses, where a run too short to read the epochs' noise reads overfitting only from a rise held 3 epochs (early stopping's
  // patience). The same patience now holds for an unstable end: the training loss rose (read as without held-out rows), the
  // held-out rise is said beside it, and no epoch to stop at is offered.
  it('in a short run, a rise of both held fewer than 3 epochs is no unstable end: the training loss rose, the held-out loss with it, and no epoch to stop at', () => {
    const d = bothRose([1, 0.5, 0.9]);
    const p = d.evidence.training!;
    expect([d.verdict, p.state, p.epochLoss, p.heldOutRose, p.unstableRiseEpochs]).toEqual(['loss-rising', 'rising', 'training subset at the end', true, 1]);
    expect(d.summary).not.toContain('became unstable');
    expect(d.summary).toContain(
      "the loss on the same 4 training rows after each epoch (measured with the network's weights at that epoch's end, as the held-out rows' loss is) rose: 0.9000 at the last of 3 epochs, 80 % above its lowest, 0.5000 after 2 epochs, with 50 % of those training rows classified right,",
    );
    expect(d.summary).toContain(
      " The held-out rows' loss rose with it at the same weights, 1.200 at the last of 3 epochs, 50 % above its lowest, 0.8000 after 2 epochs, but the two lay 5 % or more above their lowest together in their last epoch only, " +
        'where a run too short to read how far the losses vary from epoch to epoch (that takes 5 epochs a window: runs of 25 epochs or more) reads an unstable end only from a rise held 3 epochs in a row ' +
        "(early stopping's patience): too few epochs to tell an unstable end from noise, so no epoch to stop at is offered.",
    );
    // review51 #5: it said 'more epochs would tell' beside remedies that offered no more epochs; the rise's remedy is the smaller rate.
    expect(d.summary).not.toContain('more epochs would tell');
    expect(d.remedies.map((r) => r.option)).toEqual(['learningRate: below 0.1']);
    expect(d.remedies.map((r) => r.option)).not.toContain('epochs: 2');
    // The training loss alone held its rise 3 epochs, the held-out loss 1: the shorter counts.
    expect(bothRose([1, 0.5, 0.6, 0.7, 0.9], true, [1, 0.8, 0.8, 0.8, 1.2]).evidence.training!.unstableRiseEpochs).toBe(1);
  });

  // review51 #8: docs/gradient-flow.md says early stopping's epoch is read from a held-out epoch of the last window below the lowest
  // before it (heldOut.windowLow); window-low's run no longer offers one (its rise is too brief), so a run of 50 epochs, whose windows
  // of 10 read the epochs' noise and ask no patience, holds it: the held-out loss lowest after 41 epochs, in the last window, then rising.
  it("a long run's held-out lowest in its last window is the epoch early stopping offers", () => {
    const training = Array.from({ length: 50 }, (_, i) => 1 - 0.01 * i);
    const heldOut = Array.from({ length: 50 }, (_, i) => (i <= 10 ? 1 - 0.02 * i : i < 40 ? 0.8 : i === 40 ? 0.79 : 1.2));
    const d = bothRose(training, true, heldOut);
    const p = d.evidence.training!;
    expect([d.verdict, p.state, p.heldOut!.windowLow]).toEqual(['overfitting', 'overfitting', { epoch: 40, loss: 0.79 }]);
    expect(p.heldOutRiseEpochs).toBeUndefined();
    expect(d.remedies.map((r) => r.option)).toContain('epochs: 41');
    expect(d.summary).toContain('above its lowest, 0.7900 after 41 epochs');
  });

  // lows51 #3: in a run too short to read the epochs' noise, a held-out low in the last window has at most window − 1 epochs after it to hold
  // a rise: under 20 epochs (windows under 4) fewer than early stopping's patience of 3, so no stop epoch is offered there, and the
  // summary says why (the rise too brief to tell from noise) and that more epochs would tell, as of any rise that brief; from 20 epochs
  // (windows of 4) a low at the last window's first epoch followed by 3 risen epochs is early stopping's epoch.
  const lowInLastWindow = (epochs: number, low: number) => {
    const training = Array.from({ length: epochs }, (_, i) => 1 - 0.02 * i);
    const heldOut = Array.from({ length: epochs }, (_, i) => (i < 5 ? 1 - 0.04 * i : i < low ? 0.8 : i === low ? 0.7 : 1.2));
    return bothRose(training, true, heldOut);
  };

  it("a short run's held-out low in its last window offers no stop where fewer than 3 epochs follow it, and says why", () => {
    // 15 epochs, windows of 3: the low at epoch 13 (the last window's first), 2 risen epochs after it.
    const d = lowInLastWindow(15, 12);
    const p = d.evidence.training!;
    expect([d.verdict, p.state, p.heldOut!.windowLow, p.heldOutRiseEpochs]).toEqual(['healthy', 'unclear', { epoch: 12, loss: 0.7 }, 2]);
    expect(d.remedies.map((r) => r.option).filter((o) => o.startsWith('epochs:'))).toEqual(['epochs: 25']);
    expect(d.remedies.map((r) => r.option)).not.toContain('epochs: 13');
    expect(d.summary).toContain('above its lowest, 0.7000 after 13 epochs');
    expect(d.summary).toContain('lay 5 % or more above its lowest in its last 2 epochs only, where a run too short to read how far the losses vary');
    expect(d.summary).toContain('too few epochs to tell overfitting from noise, so no epoch to stop at is offered; more epochs would tell.');
  });

  it("a short run's held-out low at its last window's first epoch is early stopping's epoch where 3 risen epochs follow it (windows of 4)", () => {
    // 20 epochs, windows of 4: the low at epoch 17, 3 risen epochs after it.
    const d = lowInLastWindow(20, 16);
    const p = d.evidence.training!;
    expect([d.verdict, p.state, p.heldOut!.windowLow, p.heldOutRiseEpochs]).toEqual(['overfitting', 'overfitting', { epoch: 16, loss: 0.7 }, undefined]);
    expect(d.remedies.map((r) => r.option)).toContain('epochs: 17');
    expect(d.summary).toContain('above its lowest, 0.7000 after 17 epochs');
  });

  it("where the training loss never fell below the first step's batch loss, it is unstable from the first epoch", () => {
    const d = bothRose([2.2, 2.1, 2.25, 2.3, 2.35], true, HELD_OUT_HELD);
    expect(d.evidence.training!.lossStart).toBe(2);
    expect(d.summary).toContain('raining became unstable from epoch 1: training and held-out loss both rose');
    expect(d.summary).toContain('rose: 2.350 at the last of 5 epochs, 18 % above its lowest, 2.000 at the first step (its batch)');
  });

  it('beside batch means over weights that moved (no training subset) no unstable end is claimed: where they rose, the held-out rise is said once beside it, as no overfitting, and what the trace cannot tell is from when', () => {
    const d = bothRose([1, 0.5, 0.9], false);
    const p = d.evidence.training!;
    expect([d.verdict, p.state, p.epochLoss, p.heldOutRose]).toEqual(['loss-rising', 'rising', 'batch mean', true]);
    expect(d.summary).not.toMatch(/unstable from|both rose,/);
    expect(d.summary.match(/The held-out rows' loss rose/g)).toHaveLength(1);
    // One thing said: the training loss rose (its batch means), and the held-out loss with it, so no overfitting; not "whether that is overfitting … it cannot tell" beside it.
    expect(d.summary).toContain(
      "the training loss per epoch (the mean of its batches' losses, each before its update) rose: 0.9000 at the last of 3 epochs, 80 % above its lowest, 0.5000 after 2 epochs, with a median of 50 % of each of the last epochs' traced batches' rows classified right (the trace does not record how many rows each batch held)",
    );
    expect(d.summary).toContain(
      " The held-out rows' loss rose too, 1.200 at the last of 3 epochs, 50 % above its lowest, 0.8000 after 2 epochs: with the training loss, so this is no overfitting (which holds the training loss). " +
        'But the trace holds no training loss at the same weights (it was saved before gradscope recorded one), so from which epoch training became unstable it cannot tell, and it offers no epoch to stop at',
    );
    expect(d.summary).not.toContain('whether that is overfitting');
    expect(d.remedies.map((r) => r.option)).toContain('learningRate: below 0.1');
    expect(d.remedies.map((r) => r.option)).not.toContain('epochs: 2');
  });

  it('beside batch means that fell (no training subset), the held-out rise is said as what the trace cannot tell: overfitting or an unstable end', () => {
    const d = bothRose([1, 0.5, 0.45], false);
    const p = d.evidence.training!;
    expect([d.verdict, p.state, p.epochLoss, p.heldOutRose]).toEqual(['healthy', 'learning', 'batch mean', true]);
    expect(d.summary).toContain(
      " The held-out rows' loss rose, 1.200 at the last of 3 epochs, 50 % above its lowest, 0.8000 after 2 epochs; the trace holds no training loss at the same weights (it was saved before gradscope recorded one), " +
        'and its batch means are over weights that moved, so whether that is overfitting (the training loss held) or an unstable end (both rose) it cannot tell',
    );
    expect(d.summary).not.toMatch(/rose: |no overfitting/);
  });
});

describe('a gap equal to a threshold', () => {
  it('counts as past it, as docs/gradient-flow.md says: 1/4 vanishing, 4× exploding, 1/16 and 16× severe', () => {
    const verdictOf = (ratio: number) => {
      const d = diagnose(handTrace([{ delta: [ratio, 1, 1], bias: [ratio, 1, 1] }]));
      return `${d.verdict} ${d.severity ?? ''}`.trim();
    };
    expect([VANISHING_RATIO, EXPLODING_RATIO, SEVERE_RATIO]).toEqual([1 / 4, 4, 1 / 16]);
    expect([VANISHING_RATIO, EXPLODING_RATIO, SEVERE_RATIO, 1 / SEVERE_RATIO].map(verdictOf)).toEqual(['vanishing mild', 'exploding mild', 'vanishing severe', 'exploding severe']);
  });
});

describe("the exploding gap's init remedy says only what was measured", () => {
  const standard: TraceRun = { ...RUN, init: 'standard' };
  const initWhy = (delta: number[]) => diagnose(handTrace([0, 1].map(() => ({ delta, bias: delta })), [], standard)).remedies.find((r) => r.option === "init: 'glorot-uniform'")?.why;

  it("an Inf gap (no gradient at the last hidden layer) measures no factor: no 'weights too large', and no init offered on it", () => {
    const d = diagnose(handTrace([0, 1].map(() => ({ delta: [1, 1, 0], bias: [1, 1, 0] })), [], standard));
    expect([d.verdict, d.evidence.meanChainFactor]).toEqual(['exploding', NaN]);
    expect(d.remedies.map((r) => r.why).join(' ')).not.toContain('too large');
    expect(initWhy([1, 1, 0])).toBeUndefined();
  });

  it('a finite gap with no factor per layer measured is said as the gap, not as weights too large', () => {
    expect(initWhy([8, 1, 1])).toBe(
      "one example's gradient δ at the first hidden layer is 8.00× the last hidden layer's (at the first step; no factor per layer was measured along the chain); this init scales the weights so that each layer passes the gradient on at about the same size.",
    );
  });
});

describe('optimisers that choose their own step lengths', () => {
  // Units alive (or unsaturated) at the first record, dead (saturated) after; gradients that became Inf; a training loss that rose.
  const later = (failed: number[]): HandRecord[] => [0, 1, 1, 1].map((f) => ({ delta: [1, 1, 1], bias: [1, 1, 1], failed: failed.map((x) => x * f) }));
  const runs = {
    dead: (run: TraceRun) => handTrace(later([0.9, 0, 0]), [], run, 'relu'),
    saturated: (run: TraceRun) => handTrace(later([0.9, 0, 0]), [], run),
    'non-finite': (run: TraceRun) => handTrace([0, 1].map((r) => ({ delta: [1, 1, 1], bias: [1, 1, r ? Infinity : 1] })), [], run),
    'loss-rising': (run: TraceRun) => handTrace(flatRun(1), [1, 0.5, 0.5, 0.6].map((loss, epoch) => ({ epoch, step: epoch + 1, loss })), run),
  };

  it('are offered no smaller learning rate, and those that evaluate their own gradients no clipping, on any path that offers them to others', () => {
    for (const [path, traced] of Object.entries(runs)) {
      const sgd = diagnose(traced(RUN));
      expect(sgd.verdict, path).toBe(path === 'non-finite' ? 'exploding' : path);
      expect(sgd.remedies.some((r) => r.settings.some((s) => s.option === 'learningRate')), path).toBe(true);
      for (const optimizer of OWN_STEP_LENGTH) {
        // Levenberg–Marquardt and Hessian-free record no learning rate (they take none); L-BFGS its line search's first trial step.
        const run: TraceRun = { optimizer, init: 'glorot-uniform', ...(optimizer === 'lbfgs' && { learningRate: 1 }) };
        const d = diagnose(traced(run));
        expect(d.verdict, `${path} ${optimizer}`).toBe(sgd.verdict);
        // A switch to another optimiser carries that one's own rate (optimizerSwitch): not a rate for this one's steps.
        const ownRates = d.remedies.filter((r) => !r.settings.some((s) => s.option === 'optimizer')).flatMap((r) => r.settings.map((s) => s.option));
        expect(ownRates, `${path} ${optimizer}`).not.toContain('learningRate');
        if (OWN_GRADIENTS.includes(optimizer)) expect(d.remedies.map((r) => r.option), `${path} ${optimizer}`).not.toContain('clipNorm: 1');
      }
    }
    expect(diagnose(runs['non-finite']({ optimizer: 'hessian-free' })).remedies.map((r) => r.option)).toContain('clipNorm: 1');
  });

  it('are the optimisers that say so: OWN_STEP_LENGTH takes no learning rate or only a line search\'s first trial, OWN_GRADIENTS recomputes its gradient (train() refuses clipNorm beside it)', async () => {
    const net = await createNetwork({ sizes: [2, 3, 1], activation: 'tanh', output: 'linear', loss: 'mse', backend: 'ref', seed: 1 });
    for (const name of ['sgd', 'adam', 'kfac', ...OWN_STEP_LENGTH]) {
      const optimizer = createOptimizer(net, name);
      expect(optimizer.choosesOwnSteps === true || name === 'lbfgs', name).toBe(OWN_STEP_LENGTH.includes(name));
      expect(optimizer.recomputesGradient === true, name).toBe(OWN_GRADIENTS.includes(name));
      optimizer.dispose?.();
    }
    net.dispose();
  });
});

describe("the optimiser groups the remedies tell apart (src/optimizer-defaults.ts)", () => {
  it('name registered optimisers only', () => {
    const registered = OPTIMIZERS.map((o) => o.name);
    for (const name of [...GRADIENT_SCALED_STEPS, ...STEP_SIZE_OF_THEIR_OWN, ...OWN_STEP_LENGTH, ...OWN_GRADIENTS, ...TAKE_LAYER_RATES]) expect(registered, name).toContain(name);
  });

  it('TAKE_LAYER_RATES are the registered optimisers train() takes layerRates beside, the others refuse them; rates are offered to RAW_GRADIENT_STEPS (sgd) alone', async () => {
    const net = await createNetwork({ sizes: [2, 3, 1], activation: 'tanh', output: 'linear', loss: 'mse', backend: 'ref', seed: 1 });
    const x = [[0.1, 0.2], [0.3, -0.4]];
    const y = [[0.5], [-0.5]];
    for (const { name } of OPTIMIZERS) {
      const train = () => net.train(x, y, { epochs: 1, batchSize: 2, optimizer: { name, layerRates: [1, 1] } });
      if (TAKE_LAYER_RATES.includes(name)) expect(train, name).not.toThrow();
      else expect(train, name).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining('layerRates') }));
    }
    net.dispose();
    expect(RAW_GRADIENT_STEPS).toEqual(['sgd']);
  });
});

describe('dead units beside a vanishing or exploding gap', () => {
  // Hidden layer 1 of relu units 90 % dead from the first record; the live units' δ at the first hidden layer 1/100 (or 100×) of the last's.
  const deadWithGap = (first: number) => diagnose(handTrace([0, 1, 2, 3].map(() => ({ delta: [first, 1, 1], bias: [first, 1, 1], failed: [0.9, 0, 0] })), [], RUN, 'relu'));

  it("gets the gap's remedies after the dead units', as the summary's 'Also vanishing' names it", () => {
    const d = deadWithGap(0.01);
    expect(d.verdict).toBe('dead');
    expect(d.summary).toContain('Also vanishing gradients (severe)');
    const options = d.remedies.map((r) => r.option);
    // The dead units' first (zero biases, leaky relu, He's init), then the vanishing gap's: LARS, Adam, a second-order method, residual blocks.
    expect(options.slice(0, 3)).toEqual(["biasInit: 'zero'", "activation: 'leaky-relu', init: 'he-normal'", "init: 'he-normal'"]);
    expect(options).toEqual(expect.arrayContaining(["optimizer: 'lars', learningRate: 1", "optimizer: 'adam', learningRate: 0.001", "optimizer: 'kfac', learningRate: 1 (or optimizer: 'hessian-free', batchSize: 1000, no learningRate: hessian-free sets its own steps)"]));
    expect(options.some((o) => o.includes("type: 'residual'"))).toBe(true);
    expect(new Set(options).size).toBe(options.length);
    // Without the gap, none of them.
    const alone = deadWithGap(1).remedies.map((r) => r.option);
    expect(alone.some((o) => o.startsWith("optimizer: 'lars'"))).toBe(false);
    expect(alone.some((o) => o.includes("type: 'residual'"))).toBe(false);
  });

  it("an exploding gap beside them gets clipping", () => {
    const d = deadWithGap(100);
    expect(d.summary).toContain('Also exploding gradients (severe)');
    expect(d.summary).toContain(quoteOn('docs/gradient-flow.md', 'Also exploding gradients'));
    expect(d.remedies.map((r) => r.option)).toContain('clipNorm: 1');
  });
});

describe('a plateau at chance, or after few epochs, beside a healthy gradient flow', () => {
  // Four records per epoch of an even flow at a flat batch loss, `accuracy` in every one; epochs of a loss that fell `fall` (a fraction) per epoch.
  const plateau = (accuracy: number, epochs: number, run: TraceRun = RUN, fall = 0.002) =>
    handTrace(
      Array.from({ length: 4 * epochs }, () => ({ delta: [1, 1, 1], bias: [1, 1, 1], accuracy })),
      Array.from({ length: epochs }, (_, epoch) => ({ epoch, step: 4 * (epoch + 1), loss: 2 * (1 - fall) ** epoch })),
      run,
    );
  const options = (d: ReturnType<typeof diagnose>) => d.remedies.map((r) => r.option);

  it("says an accuracy within AT_CHANCE_MARGIN of 1/classes is at chance, the bound counted in, and not one past it", () => {
    const at = diagnose(plateau(0.5 + AT_CHANCE_MARGIN, 6));
    expect([at.verdict, at.evidence.training?.state, at.evidence.training?.chance]).toEqual(['healthy', 'plateau', 0.5]);
    expect(at.summary).toContain("with a median of 55 % of each of the last epochs' traced batches' rows classified right (the trace does not record how many rows each batch held), at chance: no better than a guess among 2 classes (50 % right), within 5 points either way;");
    const past = diagnose(plateau(0.5 + AT_CHANCE_MARGIN + 1e-9, 6));
    expect(past.summary).not.toContain('at chance');
    expect(diagnose(plateau(0.5 - AT_CHANCE_MARGIN, 6)).summary).toContain('at chance');
  });

  it('no accuracy recorded, or a regression loss (no classes): no word of chance', () => {
    const unmeasured = diagnose(plateau(NaN, 6));
    expect([unmeasured.evidence.training?.state, unmeasured.evidence.training?.accuracyEnd]).toEqual(['plateau', NaN]);
    expect(unmeasured.summary).not.toContain('chance');
    const regression = diagnose(Trace.fromJSON({ ...plateau(0.5, 6).toJSON(), loss: 'mse' }));
    expect(regression.evidence.training?.state).toBe('plateau');
    expect(regression.evidence.training?.chance).toBeUndefined();
    expect(regression.summary).not.toContain('chance');
  });

  it('a short run: the plateau call is said to rest on its few epochs, one epoch (read from the batches) too; SHORT_RUN_EPOCHS or more, not', () => {
    expect(diagnose(plateau(0.9, 3)).summary).toContain('; the plateau call rests on only 3 epochs (fewer than 5: each window compared is one epoch), and more epochs would tell whether the loss has stopped;');
    const one = diagnose(plateau(0.9, 1));
    expect(one.evidence.training?.read).toBe('batches');
    expect(one.summary).toContain('; the plateau call rests on only 1 epoch (fewer than 5), and more epochs would tell whether the loss has stopped;');
    expect(diagnose(plateau(0.9, SHORT_RUN_EPOCHS)).summary).not.toContain('rests on only');
  });

  it('offers more epochs, a larger rate, and momentum (or Adam), each with its reason from the run, through settings a flag takes', () => {
    const d = diagnose(plateau(0.5, 3));
    expect(options(d)).toEqual([codeQuoteOn('docs/gradient-flow.md', 'epochs: more than 3'), 'learningRate: above 0.1', "momentum: 0.9 (or optimizer: 'adam', learningRate: 0.001)"]);
    expect(d.remedies[0].why).toBe('the loss fell only 0.200 % over the last epoch after only 3 epochs (fewer than 5): slowly, but it had not stopped; training longer tells whether it leaves the plateau.');
    expect(d.remedies[1].why).toMatch(/^the gradient flow shows no fault, yet at learning rate 0\.1 the loss fell only 0\.200 % over the last epoch with the accuracy at chance: a larger rate takes longer steps/);
    expect(d.remedies.flatMap((r) => [...r.settings, ...(r.alternative ?? [])]).map((s) => s.flagValue)).toEqual(['6', '0.3', '0.9', 'adam', '0.001']);
    // Which way each moves from the run's own value, as data (RemedySetting.direction): more epochs and a larger rate; the others name values.
    expect(d.remedies.flatMap((r) => [...r.settings, ...(r.alternative ?? [])]).map((s) => s.direction)).toEqual(['larger', 'larger', undefined, undefined, undefined]);
    // A loss that did not fall over a long run: no more epochs.
    expect(options(diagnose(plateau(0.5, 10, RUN, 0)))).not.toContain('epochs: more than 10');
  });

  it('offers nothing the run already uses, nothing that sets the steps of one that chooses its own, and nothing to a converged run', () => {
    expect(options(diagnose(plateau(0.5, 3, { ...RUN, momentum: 0.9 })))).toEqual(['epochs: more than 3', 'learningRate: above 0.1', "optimizer: 'adam', learningRate: 0.001"]);
    expect(options(diagnose(plateau(0.5, 3, { optimizer: 'adam', learningRate: 0.001, init: 'glorot-uniform' })))).toEqual(['epochs: more than 3', 'learningRate: above 0.001']);
    expect(options(diagnose(plateau(0.5, 3, { optimizer: 'lbfgs', learningRate: 1, init: 'glorot-uniform' })))).toEqual(['epochs: more than 3']);
    // An optimiser whose step does not follow the gradient's size (Adam's kind, or LARS's trust ratio) is offered no Adam; K-FAC's run is.
    for (const optimizer of STEP_SIZE_OF_THEIR_OWN) {
      expect(options(diagnose(plateau(0.5, 3, { optimizer, learningRate: 0.01, init: 'glorot-uniform' }))), optimizer).toEqual(['epochs: more than 3', 'learningRate: above 0.01']);
    }
    expect(options(diagnose(plateau(0.5, 3, { optimizer: 'kfac', learningRate: 0.01, init: 'glorot-uniform' })))).toContain("optimizer: 'adam', learningRate: 0.001");
    const converged = diagnose(handTrace([2, 1e-3, 1e-3, 1e-3].map((loss) => ({ delta: [1, 1, 1], bias: [1, 1, 1], accuracy: 1, loss })), [0, 1, 2].map((epoch) => ({ epoch, step: epoch + 1, loss: 1e-3 }))));
    expect([converged.verdict, converged.evidence.training?.state, converged.remedies]).toEqual(['healthy', 'converged', []]);
  });
});

describe('counts in the summary', () => {
  it("are singular for one: 'median over 1 record', not '1 records'", () => {
    const one = (hidden: 'tanh' | 'relu') => diagnose(handTrace([{ delta: [1, 1, 1], bias: [1, 1, 1], failed: [0.9, 0, 0] }], [], RUN, hidden));
    const [dead, saturated] = [one('relu'), one('tanh')];
    expect([dead.verdict, saturated.verdict]).toEqual(['dead', 'saturated']);
    expect(dead.summary).toContain('have z ≤ 0 on every row of the batch (median over 1 record).');
    expect(saturated.summary).toContain('of their limits (median over 1 record),');
    for (const d of [dead, saturated]) expect(d.summary).not.toMatch(/\b1 (records|epochs|rows)\b/);
    // Two records: plural.
    const two = diagnose(handTrace([0, 1].map(() => ({ delta: [1, 1, 1], bias: [1, 1, 1], failed: [0.9, 0, 0] })), [], RUN, 'relu'));
    expect(two.summary).toContain('(median over 2 records)');
  });

  it("a batch of one row under batch norm is 'hold 1 row'", () => {
    const trace = normalisedTrace([0, 1].map(() => ({ delta: [1e-6, 1], relative: [1e-6, 1] })));
    const d = diagnose(Trace.fromJSON({ ...trace.toJSON(), run: { ...RUN, batchSize: 1 } }));
    expect([d.verdict, d.evidence.batchNormBlocking]).toEqual(['vanishing', [1]]);
    expect(d.summary).toContain("the run's batches hold 1 row, and over 2 rows batch norm");
  });
});

describe('rising, still falling or a plateau: what the loss does', () => {
  /** Records of an even flow at the batch losses given (the first the run's start), and epochs of the losses given. */
  const run = (recordLosses: number[], epochLosses: number[], r: TraceRun = RUN) =>
    diagnose(
      handTrace(
        recordLosses.map((loss) => ({ delta: [1, 1, 1], bias: [1, 1, 1], loss, accuracy: 0.9 })),
        epochLosses.map((loss, epoch) => ({ epoch, step: epoch + 1, loss })),
        r,
      ),
    );

  it("a loss that ended STILL_FALLING above the first step's batch loss rose, the bound counted in, though no epoch was lower (2.296 → 2.449 read 'A plateau')", () => {
    const d = run([2.296, 2.4, 2.45, 2.45], [2.4, 2.449]);
    expect([d.verdict, d.evidence.training?.state]).toEqual(['loss-rising', 'rising']);
    expect(d.summary).toContain("rose: 2.449 at the last of 2 epochs, 7 % above its lowest, 2.296 at the first step (its batch), with a median of 90 % of each of the last epochs' traced batches' rows classified right (the trace does not record how many rows each batch held).");
    expect(d.remedies[0].why).toBe('the training loss rose 7 % above its start (2.296 at the first step (its batch)): smaller steps overshoot less.');
    expect(run([2, 2, 2, 2], [2.1, 2.1]).evidence.training?.state).toBe('rising');
    expect(run([2.0001, 2, 2, 2], [2.1, 2.1]).evidence.training?.state).toBe('plateau');
  });

  it("a rise above the first step's batch loss is read only beyond that batch's noise (startNoise, from the first records' batch-to-batch differences); within it the summary says so", () => {
    // Ten records whose neighbours differ by 0.1: σ = 1.4826 × 0.1 / √2, the start's noise 2σ = 0.2097.
    const records = [2, 2.1, 2, 2.1, 2, 2.1, 2, 2.1, 2, 2.1];
    const noise = (2 * 1.4826 * 0.1) / Math.SQRT2;
    const within = run(records, [2.2, 2.2]);
    const p = within.evidence.training!;
    expect(p.startNoise).toBeCloseTo(noise, 12);
    // 10 % above the start, by 0.2: within its noise, so no rise; the epochs held, a plateau.
    expect([within.verdict, p.state]).toEqual(['healthy', 'plateau']);
    expect(within.summary).toContain(
      "The training loss at the end (each epoch's mean batch loss, 2.200 at the last of 2 epochs) lies 10 % above the first step's batch loss (2.000, one batch), within that batch's noise (one batch's loss varies by 0.2097 about the loss's level: two standard deviations, from the differences between the first records' batch losses), so no rise from the start is read.",
    );
    // Beyond it (2 + 0.2097… + 1e-9), the rise is read, from the start.
    const beyond = run(records, [2 + noise + 1e-9, 2 + noise + 1e-9]);
    expect([beyond.verdict, beyond.evidence.training?.state]).toEqual(['loss-rising', 'rising']);
    expect(beyond.summary).toContain('above its lowest, 2.000 at the first step (its batch)');
    expect(beyond.summary).not.toContain('no rise from the start is read');
    // With fewer than six records no noise is read: each loss as measured, as before.
    expect(run([2, 2.1, 2, 2.1, 2], [2.2, 2.2]).evidence.training?.startNoise).toBe(0);
  });

  it("a mean of batch losses rises from the lowest window of as many epochs, not from one epoch's chance low; a loss on fixed rows from its lowest epoch", () => {
    const losses = [1, 0.9, 0.8, 0.7, 0.6, 0.52, 0.44, 0.56, 0.5, 0.5];
    const batchMean = run([1, 1, 1, 1], losses);
    const p = batchMean.evidence.training!;
    expect([p.state, p.window, p.lowest]).toEqual(['plateau', 2, { epoch: 6, from: 5, loss: 0.48 }]);
    expect(batchMean.summary).not.toContain('rose');
    // The same losses measured on every training row at each epoch's end: 0.5 is 14 % above epoch 7's 0.44.
    const trace = handTrace(
      [1, 1, 1, 1].map((loss) => ({ delta: [1, 1, 1], bias: [1, 1, 1], loss, accuracy: 0.9 })),
      losses.map((loss, epoch) => ({ epoch, step: epoch + 1, loss: 2, validation: { loss, accuracy: 0.9 } })),
      { ...RUN, validation: 'training rows' },
    );
    const allRows = diagnose(trace);
    expect([allRows.evidence.training?.state, allRows.evidence.training?.lowest]).toEqual(['rising', { epoch: 6, loss: 0.44 }]);
    expect(allRows.summary).toContain('14 % above its lowest, 0.4400 after 7 epochs, with 90 % of the training rows classified right.');
    // Over a window of epochs the lowest is said as one.
    const windowed = run([1, 1, 1, 1], [1, 0.9, 0.8, 0.6, 0.5, 0.5, 0.5, 0.55, 0.6, 0.6]);
    expect(windowed.summary).toContain('rose: mean 0.6000 over the last 2 of 10 epochs, 20 % above its lowest, mean 0.5000 over epochs 5–6.');
  });

  it('a loss falling less than STILL_FALLING a window but steadily, at a pace that lowers it STILL_FALLING over as long again, is still falling; noise or a smaller pace is a plateau', () => {
    // Four epochs on a straight line: 3.3 % a window; the line through their logarithms, 12 % over 4 epochs more.
    const steady = run([1, 1, 1, 1], [1, 0.97, 0.94, 0.91]);
    const p = steady.evidence.training!;
    expect([p.state, p.pace?.points, p.pace?.horizon, p.pace?.steady]).toEqual(['learning', 3, 4, true]);
    expect(steady.summary).toContain(
      'Still learning: the training loss per epoch (the mean of its batches\' losses, each before its update) is still falling, 0.9100 at the last of 4 epochs, 3 % below the epoch before (0.9400); slowly, but steadily: if it kept its pace over the last 3 epochs (a least-squares line through the losses\' logarithms, its slope clear of 0 at 95 %), it would fall 12 % over 4 epochs more,',
    );
    // Beside a clear flow its remedy is time, not another optimiser or rate.
    expect(steady.remedies.map((r) => r.option)).toEqual(['epochs: more than 4']);
    expect(steady.remedies[0].why).toBe('the loss is still falling (3 % below the epoch before; if it kept this pace it would fall 12 % over 4 epochs more): training longer lowers it further.');
    // A pace of exactly STILL_FALLING over as long again (a fall by g an epoch, g⁴ = 0.95) is still falling; one a little smaller is not.
    const geometric = (g: number) => run([1, 1, 1, 1], [0, 1, 2, 3].map((i) => g ** i));
    expect(geometric(0.95 ** (1 / 4) * (1 - 1e-9)).evidence.training?.state).toBe('learning');
    expect(geometric((0.95 * (1 + 1e-6)) ** (1 / 4)).evidence.training?.state).toBe('plateau');
    // A loss halving every epoch falls toward 0, never past it: to 1/16 of its level over 4 epochs more (a line through the losses themselves, 0.5 0.25 0.125, fell 600 %).
    const halving = run([1, 1, 1, 1], [1, 0.5, 0.25, 0.125]);
    expect(halving.evidence.training?.pace?.projected).toBeGreaterThan(-1);
    expect(halving.remedies[0].why).toBe('the loss is still falling (50 % below the epoch before; if it kept this pace it would fall to 1/16.0 of its level over 4 epochs more): training longer lowers it further.');
    // The same fall with noise about the line: no steady pace, a plateau.
    const noisy = run([1, 1, 1, 1], [1, 0.97, 0.99, 0.96]);
    expect([noisy.evidence.training?.state, noisy.evidence.training?.pace?.steady]).toEqual(['plateau', false]);
  });

  it("a long run's plateau is offered no more epochs where its pace would not move it STILL_FALLING; a rise at a steady pace is rising", () => {
    const slow = run([1, 1, 1, 1], Array.from({ length: 10 }, (_, i) => 1 - 0.002 * i));
    expect(slow.evidence.training?.state).toBe('plateau');
    expect(slow.remedies.map((r) => r.option)).not.toContain('epochs: more than 10');
    const up = run([1, 1, 1, 1], [1, 1.015, 1.03, 1.045]);
    expect([up.verdict, up.evidence.training?.state]).toEqual(['loss-rising', 'rising']);
    expect(up.summary).toContain("slowly, but steadily: if it kept its pace over the last 3 epochs (a least-squares line through the losses' logarithms, its slope clear of 0 at 95 %), it would rise 6 % over 4 epochs more, with a median of 90 % of each of the last epochs' traced batches' rows classified right (the trace does not record how many rows each batch held).");
  });

  it("read from the batches, a loss that rose by more than STILL_FALLING and its noise is rising, not a plateau", () => {
    const d = diagnose(handTrace([2, 2, 2, 2, 2, 2, 2, 2, 2.3, 2.3].map((loss) => ({ delta: [1, 1, 1], bias: [1, 1, 1], loss, accuracy: 0.9 }))));
    const p = d.evidence.training!;
    expect([d.verdict, p.read, p.state]).toEqual(['loss-rising', 'batches', 'rising']);
    expect(d.summary).toMatch(/^Loss rising: The batches' loss rose \(read from the batches: the trace holds fewer than two epochs\): 2\.300 \(median over the last 2 records\), 15 % above the 2 records before \(2\.000\)/);
    expect(d.remedies[0].why).toBe('the training loss rose 15 % above the 2 records before (2.000): smaller steps overshoot less.');
  });
});

describe('an exploding gap that opened while the network learnt', () => {
  /**
   * Eight records: the first record's gap `first`, the others' `gap` (median and decisive), batch
   * accuracy `accuracy`; epochs of a loss from 2 (the first record's) down to `end`, flat at the end.
   */
  const grown = ({ first = 1, gap = 5, end = 0.5, accuracy = 0.9, nonFinite = false } = {}) =>
    diagnose(
      handTrace(
        Array.from({ length: 8 }, (_, r) => {
          const g = r === 0 ? first : gap;
          return { delta: [g, 1, 1], bias: [g, 1, nonFinite && r === 7 ? Infinity : 1], loss: r === 0 ? 2 : end, accuracy };
        }),
        [1, end, end, end, end, end].map((loss, epoch) => ({ epoch, step: epoch + 1, loss })),
      ),
    );

  it('is a note beside a healthy verdict, not EXPLODING: mild, not at the first record, and the loss at most TRAINED_LOSS_FRACTION of its start', () => {
    const d = grown();
    expect([d.verdict, d.severity, d.evidence.grewWhileLearning, d.evidence.training?.state]).toEqual(['healthy', undefined, true, 'plateau']);
    expect(d.summary).toMatch(/^Healthy gradient flow: one example's gradient δ at the first hidden layer is 5\.00× the last hidden layer's/);
    expect(d.summary).toContain(
      "Early layers get larger gradients (5.00×, median over 8 records), and training is healthy: the gap opened as the network learnt (1.00× at the first step), its training loss ended at 25 % of the first step's batch's (2.000 → 0.5000), and the gap is short of the 16× this diagnosis calls severe: no fault to fix.",
    );
    expect(d.summary).not.toMatch(/\(exploding\)|Exploding/);
    expect(d.remedies.map((r) => r.option).filter((o) => /clipNorm|init|lars|rezero/.test(o))).toEqual([]);
    // At the bounds: a loss of exactly TRAINED_LOSS_FRACTION of its start is trained; a first record's gap of 3.99× is even.
    expect(grown({ end: TRAINED_LOSS_FRACTION * 2 }).verdict).toBe('healthy');
    expect(grown({ first: 3.99 }).verdict).toBe('healthy');
    expect(grown({ gap: 15.9 }).verdict).toBe('healthy');
  });

  it('is read of a run learning, converged, on a plateau or unclear, and of no other state (rising, overfitting, unclear beside a held-out loss that rose, or none read)', () => {
    const progress = (state: TrainingState): TrainingProgress => ({ state, read: 'epochs', window: 1, lossStart: 2, startNoise: 0, lossBefore: 0.5, lossEnd: 0.5, lossNoise: { rise: 0, fall: 0 }, accuracyEnd: 0.9, noise: 0 });
    const evidence = (training?: TrainingProgress) => ({ nonFinite: false, hiddenLayers: 3, deltaFirstToLast: { first: 1, last: 5, median: 5 }, ...(training && { training }) }) as Evidence;
    const states: TrainingState[] = ['converged', 'plateau', 'learning', 'rising', 'overfitting', 'unclear'];
    expect(states.filter((state) => grewWhileLearning(5, evidence(progress(state))))).toEqual(['converged', 'plateau', 'learning', 'unclear']);
    expect(grewWhileLearning(5, evidence({ ...progress('unclear'), heldOutRose: true }))).toBe(false);
    expect(grewWhileLearning(5, evidence())).toBe(false);
    // The start read as low as its batch's noise allows: 0.5 is half of 2 − 1, not of 2 − 1.01.
    expect(grewWhileLearning(5, evidence({ ...progress('learning'), startNoise: 1 }))).toBe(true);
    expect(grewWhileLearning(5, evidence({ ...progress('learning'), startNoise: 1.01 }))).toBe(false);
  });

  it('stays EXPLODING where the first record had the gap, the gap is severe, the loss fell less, the accuracy is at chance, or a value was Inf', () => {
    const flagged = (d: ReturnType<typeof diagnose>) => [d.verdict, d.evidence.grewWhileLearning];
    expect(flagged(grown({ first: EXPLODING_RATIO }))).toEqual(['exploding', false]);
    expect(flagged(grown({ gap: 1 / SEVERE_RATIO }))).toEqual(['exploding', false]);
    expect(flagged(grown({ end: TRAINED_LOSS_FRACTION * 2 * (1 + 1e-9) }))).toEqual(['exploding', false]);
    expect(flagged(grown({ accuracy: 0.5 }))).toEqual(['exploding', false]);
    expect(flagged(grown({ nonFinite: true }))).toEqual(['exploding', false]);
    expect(grown({ first: EXPLODING_RATIO }).summary).toMatch(/^Exploding gradients \(mild\)/);
  });
});
