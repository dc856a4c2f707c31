/**
 * Diagnosis.headline (newuser42 #8, newuser43 #6): the verdict with its one key figure and the first remedy, to print before
 * the tables. Each verdict's headline is read from the same evidence as its summary: every figure it holds is the summary's
 * (expectHeadlineFromSummary), and the key figure is the one the summary's functions make of the evidence (computed here from
 * the evidence, not written out). A healthy flow beside a model at chance: test/flow/at-chance-heading.
 */
import { describe, expect, it } from 'vitest';
import { diagnose, type Diagnosis, type Verdict } from '../../src/flow/diagnose.js';
import { LAYER_METRIC_NAMES, type LayerMetric } from '../../src/flow/metrics.js';
import { Trace, type TraceEpoch, type TraceRun } from '../../src/flow/trace.js';
import type { Activation } from '../../src/kernels.js';
import { learnsWords, speedAt } from '../../src/flow/diagnosis/learning-speed.js';
import { gapRecords, medianOverRecords, percent, timesOf } from '../../src/flow/diagnosis/diagnosis-words.js';
import { lossFigure } from '../../src/flow/diagnosis/progress-readings.js';
import { numberText } from '../../src/number-text.js';
import { headlineInTerms, triedWords } from '../../src/flow/diagnosis/headline.js';
import { headlineText } from '../../src/cli/trace-table.js';
import { renderReport } from '../../src/flow/report-html.js';
import { API_REMEDY_TERMS, remedyChoices, remedyLines, type RemedyTerms } from '../../src/flow/remedy.js';
import { expectHeadlineFromSummary } from '../util/summary-explained.js';
import { overfittingTrace } from '../util/overfitting-trace.js';
import { quoteOn, quotePattern } from '../util/page-quotes.js';

/** A clause docs/gradient-flow.md quotes (read there with quoteOn), its figures any numbers. */
const quoted = (quote: string) => quotePattern(quote, { anyNumbers: true });

const RUN: TraceRun = { optimizer: 'sgd', learningRate: 0.1, init: 'glorot-uniform' };

interface Hand {
  /** Per-example ‖δ‖ of the three hidden layers, first first (the last's is 1). */
  delta?: number[];
  /** Per record: a hidden layer's saturated (tanh, sigmoid) or dead (relu) share. */
  failed?: number[];
  loss?: number;
  accuracy?: number;
  /** A weight norm of the first layer (Infinity: a non-finite run). */
  weightNorm?: number;
  /** Per record, the three hidden layers' δ where it differs from `delta` (undefined: `delta`'s). */
  deltaAt?: (record: number) => number[] | undefined;
  /** The first hidden layer's steps ‖ΔW‖/‖W‖ as a multiple of the others' (1 where not given). */
  firstStep?: number;
  /** The first hidden layer's ‖∂C/∂W‖ as a multiple of the others' (1 where not given): its weights' speed beside ‖∂C/∂b‖'s. */
  firstWeightGradient?: number;
}

/** A [4, 3, 3, 3, 2] network of `hidden` units with `records` alike records and `epochs`; everything not given is neutral. */
function handTrace(hidden: Activation, hand: Hand, records = 8, epochs: TraceEpoch[] = [], run: TraceRun = RUN): Trace {
  const trace = new Trace({ sizes: [4, 3, 3, 3, 2], activations: [hidden, hidden, hidden, 'softmax'], loss: 'cross-entropy', every: 1, run });
  const failure: LayerMetric = hidden === 'relu' ? 'deadFraction' : 'saturatedFraction';
  for (let i = 0; i < records; i++) {
    const r = trace.beginRecord(i + 1, hand.loss ?? 2 - i / 10, hand.accuracy ?? 0.5);
    const neutral: Partial<Record<LayerMetric, number>> = { weightGradNorm: 1, weightNorm: 1, biasGradNorm: 1, updateRatio: 1e-3, [failure]: 0, ...(hidden === 'relu' && { inactiveFraction: 0 }) };
    const deltas = hand.deltaAt?.(i) ?? hand.delta;
    for (let l = 0; l < 4; l++) {
      for (const name of LAYER_METRIC_NAMES) trace.set(name, r, l, neutral[name] ?? NaN);
      const delta = l < 3 ? (deltas?.[l] ?? 1) : 1;
      trace.set('deltaRms', r, l, delta);
      trace.set('biasGradNorm', r, l, delta);
      if (l === 0 && hand.firstStep !== undefined) trace.set('updateRatio', r, l, 1e-3 * hand.firstStep);
      if (l === 0 && hand.firstWeightGradient !== undefined) trace.set('weightGradNorm', r, l, hand.firstWeightGradient);
      // The chain factor ‖δˡ‖/‖δˡ⁺¹‖ of each link between hidden layers, whose product is the gap.
      if (l < 2) trace.set('chainFactor', r, l, delta / (deltas?.[l + 1] ?? 1));
      if (l < 3) trace.set(failure, r, l, hand.failed?.[l] ?? 0);
    }
    if (hand.weightNorm !== undefined && i === records - 1) trace.set('weightNorm', r, 0, hand.weightNorm);
  }
  for (const e of epochs) trace.addEpoch(e);
  return trace;
}

const epochsOf = (losses: number[]): TraceEpoch[] => losses.map((loss, epoch) => ({ epoch, step: epoch + 1, loss }));

const CASES: { name: string; verdict: Verdict; make: () => Trace; figure?: (d: Diagnosis) => string }[] = [
  {
    name: 'vanishing along sigmoid layers: how much slower the first learns, the factor per layer and the ceiling of σ\'',
    verdict: 'vanishing',
    // Its weights' gradient relative to their size 1/30 of the last's (‖W‖ alike; its steps with it, so no optimiser evens them): said beside ‖∂C/∂b‖'s 1/1,000, named as Nielsen's measure (lecturer52 #5).
    make: () => handTrace('sigmoid', { delta: [1e-3, 3e-2, 1], firstWeightGradient: 1 / 30, firstStep: 1 / 30 }),
    figure: (d) =>
      `one example's gradient δ at the first hidden layer is ${timesOf(d.evidence.gap.ratio)} the last hidden layer's (${gapRecords(d.evidence)}, a factor of ${numberText(d.evidence.meanChainFactor)} per layer; the sigmoid's σ' is at most 1/4); ` +
      `by the batch gradient ‖∂C/∂b‖ (Nielsen's speed of learning), the first hidden layer learns 1.00e+3× slower than the last (at the first step), ` +
      "its weights 30.0× slower than the last's by their gradient relative to their size (‖∂C/∂W‖/‖W‖)",
  },
  {
    name: 'vanishing along tanh layers: no σ\' ceiling of the sigmoid said',
    verdict: 'vanishing',
    make: () => handTrace('tanh', { delta: [0.05, 0.2, 1] }),
    figure: (d) =>
      `one example's gradient δ at the first hidden layer is ${timesOf(d.evidence.gap.ratio)} the last hidden layer's (${gapRecords(d.evidence)}, a factor of ${numberText(d.evidence.meanChainFactor)} per layer); ` +
      `by the batch gradient ‖∂C/∂b‖ (Nielsen's speed of learning), the first hidden layer learns ${learnsWords(speedAt(d.evidence))} the last (at the first step), ` +
      "its weights at 1.00× the speed of the last's by their gradient relative to their size (‖∂C/∂W‖/‖W‖); still learning",
  },
  {
    name: 'exploding: how much faster the first learns',
    verdict: 'exploding',
    make: () => handTrace('tanh', { delta: [100, 10, 1] }),
    figure: (d) => `is ${timesOf(d.evidence.gap.ratio)} the last hidden layer's (${gapRecords(d.evidence)}, a factor of ${numberText(d.evidence.meanChainFactor)} per layer); by the batch gradient ‖∂C/∂b‖ (Nielsen's speed of learning), the first hidden layer learns ${learnsWords(speedAt(d.evidence))} the last`,
  },
  { name: 'Infinity or NaN values', verdict: 'exploding', make: () => handTrace('tanh', { weightNorm: Infinity }), figure: () => 'some gradients or weights became Infinity or NaN' },
  {
    name: 'dead units: the largest share of a hidden layer',
    verdict: 'dead',
    make: () => handTrace('relu', { failed: [0.75, 0.6, 0] }),
    figure: (d) => `${percent(d.evidence.layers[0].deadFraction)} of hidden layer 1's units have z ≤ 0 on every row of the batch`,
  },
  {
    name: 'saturated units: the largest share of a hidden layer',
    verdict: 'saturated',
    make: () => handTrace('tanh', { failed: [0.6, 0.9, 0.1] }),
    figure: (d) => `${percent(d.evidence.layers[1].saturatedFraction)} of hidden layer 2's activations sit where σ'(z) ≈ 0`,
  },
  {
    name: 'a rising training loss: the losses read',
    verdict: 'loss-rising',
    make: () => handTrace('tanh', {}, 8, epochsOf([1, 0.5, 0.4, 0.45, 0.6, 0.8, 0.9, 1.1])),
    figure: (d) => lossFigure(d.evidence.training!, 'rising'),
  },
  { name: 'overfitting: the held-out losses read', verdict: 'overfitting', make: overfittingTrace, figure: (d) => lossFigure(d.evidence.training!, 'overfitting') },
  { name: 'no gap read (0 ÷ 0 in every record)', verdict: 'healthy', make: () => handTrace('tanh', { delta: [0, 1, 0] }), figure: () => 'No fault found in the gradient flow: no gap between the ends of the chain could be read' },
];

describe('Diagnosis.headline', () => {
  it.each(CASES)('$name', ({ verdict, make, figure }) => {
    const d = diagnose(make());
    expect(d.verdict, d.summary).toBe(verdict);
    expectHeadlineFromSummary(d, d.headline);
    if (figure) expect(d.headline, d.summary).toContain(figure(d));
  });

  it('is of the trace it reads: another gap, another figure', () => {
    const [mild, severe] = [handTrace('sigmoid', { delta: [0.1, 0.3, 1] }), handTrace('sigmoid', { delta: [1e-4, 1e-2, 1] })].map((t) => diagnose(t));
    expect([mild.severity, severe.severity]).toEqual(['mild', 'severe']);
    expect(mild.headline).toMatch(/^Vanishing gradients \(mild\): one example's gradient δ at the first hidden layer is 1\/10\.0 of the last hidden layer's \(at the first step, .*; by the batch gradient ‖∂C\/∂b‖ \(Nielsen's speed of learning\), the first hidden layer learns 10\.0× slower/);
    expect(severe.headline).toMatch(/^Vanishing gradients \(severe\): one example's gradient δ at the first hidden layer is 1\/1\.00e\+4 of the last hidden layer's \(at the first step, .*; by the batch gradient ‖∂C\/∂b‖ \(Nielsen's speed of learning\), the first hidden layer learns 1\.00e\+4× slower/);
  });

  it("names the records of a median once, at the gap, not again at the speed (prose54's left-alone 2); a first step's at both", () => {
    // 1/10 at the first record, 1/1,000 at the others: the gap read as their median.
    const d = diagnose(handTrace('sigmoid', { delta: [1e-3, 3e-2, 1], deltaAt: (i) => (i === 0 ? [0.1, 0.3, 1] : undefined) }));
    expect(gapRecords(d.evidence)).toBe('median over 8 records');
    expect(d.headline).toContain("is 1/1.00e+3 of the last hidden layer's (median over 8 records, a factor of");
    expect(d.headline).toMatch(/; by the batch gradient ‖∂C\/∂b‖ \(Nielsen's speed of learning\), the first hidden layer learns [\d.e+]+× slower than the last, its weights /);
    expect(d.headline.split('median over').length - 1, d.headline).toBe(1);
    const first = diagnose(handTrace('sigmoid', { delta: [1e-3, 3e-2, 1] }));
    expect(first.headline.split('(at the first step').length - 1, first.headline).toBe(2);
  });

  it("names the first remedy by its settings and counts them all, and says nothing of a remedy where there is none", () => {
    const d = diagnose(handTrace('sigmoid', { delta: [1e-3, 3e-2, 1] }));
    expect(d.remedies.length).toBeGreaterThan(1);
    // Its rate is the relu row's careful bound, and the headline says so, as the remedy's reason does (rate50, note49 item 5).
    const rate = d.remedies[0].settings.find((s) => s.option === 'learningRate')!.value;
    expect(d.remedies[0].why).toContain(`is above ${rate}, the largest rate of a grid at which relu networks`);
    const careful = `${rate} is a careful bound, the largest rate at which every relu network measured held, not the rate that trains one best; `;
    expect(d.headline).toContain(` Try ${d.remedies[0].settings.map((s) => `${s.option}: ${s.value}`).join(', ')} (${careful}the first of ${d.remedies.length} remedies).`);
    expect(d.headline).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', '0.002 is a careful bound')));
    // A remedy that carries no such rate says none.
    const kept = diagnose(handTrace('sigmoid', { delta: [1e-3, 3e-2, 1] }, undefined, undefined, { ...RUN, learningRate: 0.001 }));
    expect(kept.headline).toContain(` Try activation: 'relu', init: 'he-normal' (the first of ${kept.remedies.length} remedies).`);
    const empty = diagnose(new Trace({ sizes: [2, 2, 2], activations: ['tanh', 'softmax'], loss: 'cross-entropy', every: 1, run: RUN }));
    expect([empty.headline, empty.remedies]).toEqual(['The trace is empty.', []]);
  });

  it("says a value in words as the remedy's option says it, not the flag's value that meets them (review44 #9: one remedy, one way)", () => {
    const d = diagnose(handTrace('tanh', {}, 8, epochsOf([1, 0.5, 0.4, 0.45, 0.6, 0.8, 0.9, 1.1])));
    const [rate] = d.remedies[0].settings;
    expect([d.verdict, rate.option, rate.direction, rate.value]).toEqual(['loss-rising', 'learningRate', 'smaller', 'below 0.1']);
    expect(d.headline).toMatch(/ Try learningRate: below 0\.1 \(the (one remedy|first of \d+ remedies)\)\.$/);
    expect(d.headline).not.toContain(rate.flagValue);
  });
});

/** The measures a headline's clause can name: each clause (between '; ') names at most one, and a factor per layer only beside δ's. */
const MEASURES = ['δ', '‖∂C/∂b‖', '‖ΔW‖/‖W‖'];
const clausesOf = (headline: string) => headline.slice(0, headline.indexOf(' Try ')).split('; ');

describe('one measure to a clause, the verdict\'s beside it (newuser46 #4, newuser45 #12, #14)', () => {
  const ADAM: TraceRun = { optimizer: 'adam', learningRate: 0.001 };
  // A gap of 1/100 at the first record, even after it (closed during training), in an Adam run whose first layer steps 3× as far as the last.
  const closed = () => diagnose(handTrace('sigmoid', { delta: [0.5, 0.7, 1], deltaAt: (i) => (i === 0 ? [0.01, 0.1, 1] : undefined), firstStep: 3 }, 8, [], ADAM));

  it("says the per-example gap the verdict was read from first, then where the run ended, then the speed by its named measure, each with its records", () => {
    const d = closed();
    expect([d.verdict, d.severity, d.evidence.speedMeasure], d.summary).toEqual(['vanishing', 'severe', 'step']);
    expect(d.headline, d.summary).toContain(
      `Vanishing gradients (severe at the first step, closed during training): one example's gradient δ at the first hidden layer is 1/100 of the last hidden layer's (at the first step, a factor of 0.100 per layer; the sigmoid's σ' is at most 1/4); ` +
        `over the run it was ${timesOf(d.evidence.deltaFirstToLast.median)} the last hidden layer's (${medianOverRecords(d.evidence)}), within 1/4–4×; ` +
        `by the steps taken, ‖ΔW‖/‖W‖, which its optimiser sizes weight by weight, the first hidden layer learns 3.00× faster than the last (at the first step); `,
    );
    expect(d.headline).toMatch(quoted(quoteOn('docs/gradient-flow.md', 'over the run it was')));
    expectHeadlineFromSummary(d, d.headline);
  });

  it('names one measure in each clause, and the factor per layer in δ\'s', () => {
    const traces = [closed(), ...CASES.map((c) => diagnose(c.make())), diagnose(handTrace('sigmoid', { delta: [1e-3, 3e-2, 1] }, 8, [], ADAM))];
    for (const d of traces) {
      for (const clause of clausesOf(d.headline)) {
        expect(MEASURES.filter((m) => clause.includes(m)).length, `${clause}\n${d.headline}`).toBeLessThanOrEqual(1);
        if (clause.includes('a factor of')) expect(clause, d.headline).toContain('δ');
      }
    }
  });

  it('says where a gap read at the first step had crossed over by the last record (newuser45 #14)', () => {
    // 1/100 over the first six records (the median), 2× over the last two: vanishing, and by the end the first layer's δ is the larger.
    const d = diagnose(handTrace('tanh', { delta: [0.01, 0.1, 1], deltaAt: (i) => (i >= 6 ? [2, 1.4, 1] : undefined) }));
    expect([d.verdict, d.severity], d.summary).toEqual(['vanishing', 'severe']);
    expect(d.headline).toContain("one example's gradient δ at the first hidden layer is 1/100 of the last hidden layer's (at the first step, a factor of 0.100 per layer); by the last record it had crossed over to 2.00× the last hidden layer's; by the batch gradient");
    expect(d.summary).toContain('The per-example gap crossed over from its start (vanishing) during training: 2.00× at the last record.');
    expect(d.headline).toMatch(quoted(quoteOn('docs/gradient-flow.md', 'by the last record it had crossed over')));
    expectHeadlineFromSummary(d, d.headline);
    // A gap that held says nothing of where it went.
    expect(diagnose(handTrace('tanh', { delta: [0.01, 0.1, 1] })).headline).not.toMatch(/crossed over|narrowed|over the run/);
  });

  it("says an exploding verdict turned on the loss where its gap opened from an even start, and a healthy one why its gap is no fault (newuser46 #4)", () => {
    // δ even at the first record, 7× from then on; the loss falls to 10 % of its start, or falls then rises.
    const opened = (losses: number[]) => handTrace('tanh', { delta: [7, 2.6, 1], deltaAt: (i) => (i === 0 ? [1, 1, 1] : undefined), accuracy: 0.95 }, 8, epochsOf(losses));
    const healthy = diagnose(opened([1, 0.5, 0.3, 0.2, 0.15, 0.12, 0.11, 0.1]));
    const rose = diagnose(opened([1, 0.5, 0.3, 0.2, 0.3, 0.5, 0.7, 0.9]));
    expect([healthy.verdict, rose.verdict, rose.severity], `${healthy.summary}\n${rose.summary}`).toEqual(['healthy', 'exploding', 'mild']);
    expect(healthy.headline).toContain("one example's gradient δ at the first hidden layer is 7.00× the last hidden layer's (median over 8 records, a factor of 2.65 per layer), a gap that opened as the network learnt (1.00× at the first step); by the batch gradient");
    expect(rose.headline).toContain(
      "one example's gradient δ at the first hidden layer is 7.00× the last hidden layer's (median over 8 records, a factor of 2.65 per layer), opened from 1.00× at the first step: no fault in a run that trains well, but the training loss rose; by the batch gradient",
    );
    expect(rose.summary).toContain('The gap opened as the network learnt (1.00× at the first step), which this diagnosis reads as no fault in a run that trains well, but the training loss rose: the verdict turned on the loss, not on the gap\'s size.');
    expect(healthy.summary).not.toContain('turned on the loss');
    expect([healthy.headline, rose.headline]).toEqual([expect.stringMatching(quoted(quoteOn('docs/gradient-flow.md', 'a gap that opened as the network learnt'))), expect.stringMatching(quoted(quoteOn('docs/gradient-flow.md', 'but the training loss rose')))]);
    for (const d of [healthy, rose]) expectHeadlineFromSummary(d, d.headline);
  });
});

describe("headlineInTerms: the headline's 'Try' in a printer's terms", () => {
  const trace = handTrace('sigmoid', { delta: [1e-3, 3e-2, 1] });
  const d = diagnose(trace);
  const said = d.headline.slice(0, d.headline.indexOf(' Try '));
  /** Command terms that name each list of settings by its options ('rerun --activation relu --init he-normal'), or cannot for `refused`. */
  const commandTerms = (refused?: string): RemedyTerms => ({
    form: 'command',
    commandLine: (settings) => (settings.some((s) => s.option === refused) ? { cannot: 'no flag' } : { line: `rerun ${settings.map((s) => `--${s.option} ${s.flagValue ?? s.value}`).join(' ')}`, note: 'seed left out' }),
  });

  it('names the first remedy as the printer\'s list does: its first choice of remedyChoices in those terms, and the count', () => {
    const terms = commandTerms();
    const careful = headlineInTerms(d, terms).tried!.careful;
    expect(headlineInTerms(d, terms)).toEqual({ said, tried: { choice: remedyChoices(d.remedies[0], terms)[0], of: `the first of ${d.remedies.length} remedies`, careful } });
    expect(headlineInTerms(d, terms).tried!.choice).toEqual({ text: `rerun ${d.remedies[0].settings.map((s) => `--${s.option} ${s.flagValue}`).join(' ')}`, note: 'seed left out' });
    // Where no command line makes it, the API's options with the reason, as the list says them too.
    const cannot = headlineInTerms(d, commandTerms(d.remedies[0].settings[0].option)).tried!.choice.text;
    expect(cannot).toBe(remedyLines(d.remedies[0], commandTerms(d.remedies[0].settings[0].option))[0]);
    expect(cannot).toMatch(/^activation: 'relu', .* options: no flag\)$/);
  });

  it("says a rate the command line carries is a careful bound, as the API's headline does, in the terminal and the report (rate51, note50 left alone 4)", async () => {
    const terms = commandTerms();
    const rate = d.remedies[0].settings.find((s) => s.option === 'learningRate')!.value;
    const careful = `${rate} is a careful bound, the largest rate at which every relu network measured held, not the rate that trains one best`;
    expect(d.headline).toContain(`(${careful}; the first of ${d.remedies.length} remedies).`);
    const { tried } = headlineInTerms(d, terms);
    expect([tried!.careful, triedWords(tried!)]).toEqual([careful, `the first of ${d.remedies.length} remedies (${careful})`]);
    // The terminal: the words (wrapped), then the command line that carries the rate on a line of its own.
    const printed = headlineText(d, terms, 'The diagnosis').split('\n');
    const command = printed.findIndex((line) => line.startsWith('  rerun '));
    const words = printed.slice(0, command).join(' ').replace(/\s+/g, ' ');
    expect(words).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'Try the first of 7 remedies (0.002'), { anyNumbers: true }));
    expect(words.endsWith(`Try the first of ${d.remedies.length} remedies (${careful}):`)).toBe(true);
    expect(printed[command]).toContain(`--learningRate ${rate}`);
    // The report's headline, before the command as code.
    const page = await renderReport({ sections: [{ id: 's', heading: 'S', tables: [{ header: ['a'], rows: [['1']] }], runs: [{ label: 'run', trace, diagnosis: d, remedyTerms: terms }] }] });
    expect(page).toContain(`Try the first of ${d.remedies.length} remedies (${careful}): <code>rerun `);
    // None where the command carries no switch's rate (a run below the bound keeps its own).
    const kept = diagnose(handTrace('sigmoid', { delta: [1e-3, 3e-2, 1] }, undefined, undefined, { ...RUN, learningRate: 0.001 }));
    expect(triedWords(headlineInTerms(kept, terms).tried!)).toBe(`the first of ${kept.remedies.length} remedies`);
  });

  it("is the headline as it is in the API's terms, without a remedy, and where the headline does not end with its remedies' 'Try'", () => {
    expect(headlineInTerms(d, API_REMEDY_TERMS)).toEqual({ said: d.headline });
    expect(headlineInTerms(d, { form: 'api', unmadeRun: 'no command line made it' })).toEqual({ said: d.headline });
    expect(headlineInTerms({ ...d, remedies: [] }, commandTerms())).toEqual({ said: d.headline });
    expect(headlineInTerms({ ...d, remedies: d.remedies.slice(1) }, commandTerms())).toEqual({ said: d.headline });
  });
});
