/**
 * A vanishing gap that closed while the run still learns (gapClosed): the verdict is read at the first
 * record, where the gap was, and says so; what is left is a loss still falling, so only more epochs
 * are offered. A real run (2026-12-02), the engineer's browser finding on the digits: [784, 30, 30,
 * 30, 10] sigmoid, Adam at 0.01 in batches of 32 on 700 digits for 5 epochs, seed 1. It read
 * 'Vanishing gradients (severe)' from the first record (1/49.5) while its own trend said 1/2.49 at
 * the last (its short last batch of 28 rows; 1.21× at the last full batch's since 2026-12-04), and offered lars and kfac (and relu) for a gap it no longer had.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { diagnose, SEVERE_RATIO, VANISHING_RATIO, verdictHeading } from '../../src/flow/diagnose.js';
import { diagnosisText } from '../../src/cli/trace-table.js';
import { API_REMEDY_TERMS } from '../../src/flow/remedy.js';
import { renderReport } from '../../src/flow/report-html.js';
import { loadMnist } from '../../src/data/mnist.js';
import { firstRows } from '../../src/studies/depth.js';
import { tracedRun, type Rows } from '../util/traced-run.js';
import { Trace } from '../../src/flow/trace.js';
import { gapTrace } from '../util/gap-trace.js';
import { quoteOn } from '../util/page-quotes.js';

let digits: Rows;
beforeAll(async () => {
  const { train } = await loadMnist();
  digits = firstRows(train.x, train.y, 700);
});

const ADAM_RUN = { epochs: 5, batchSize: 32, learningRate: 0.01, optimizer: 'adam', trace: { every: 1 } } as const;

describe('a vanishing gap that closed while the run still learns', () => {
  it("says it was the first step's and closed, and offers more epochs only: no optimiser, activation or block for a gap that is gone", async () => {
    const { trace } = await tracedRun({ sizes: [784, 30, 30, 30, 10], activation: 'sigmoid', seed: 1 }, digits, ADAM_RUN);
    const d = diagnose(trace);
    const gap = d.evidence.deltaFirstToLast;
    // The run's own numbers: severe at the first record, within 1/4–4× over the records and at the last, the loss still falling.
    expect(gap.first).toBeLessThanOrEqual(SEVERE_RATIO);
    expect([gap.median > VANISHING_RATIO, gap.last > VANISHING_RATIO]).toEqual([true, true]);
    // As docs/gradient-flow.md quotes them (2026-12-02): 1/49.5; 1/2.76 over the full batches' records and 1.21× at the last full batch's record (2026-12-05, 2026-12-04;
    // the last record, step 110, is each epoch's short last batch of 700 − 21 × 32 = 28 rows, which read 1/2.49).
    expect([1 / gap.first, 1 / gap.median, gap.last]).toEqual([expect.closeTo(49.5, 1), expect.closeTo(2.76, 2), expect.closeTo(1.21, 2)]);
    expect(d.evidence.shortLastBatch).toEqual({ step: 110, rows: 28, readStep: 109 });
    expect([d.verdict, d.severity, d.evidence.training?.state]).toEqual(['vanishing', 'severe', 'learning']);
    expect(d.summary).toMatch(/^Vanishing gradients \(severe at the first step, closed during training\): /);
    expect(d.summary.startsWith(quoteOn('docs/gradient-flow.md', 'Vanishing gradients (severe at the first step'))).toBe(true);
    expect(d.summary).toContain(quoteOn('docs/gradient-flow.md', 'closed during training'));
    expect(d.summary).toMatch(/The gap closed during training: the first hidden layer's per-example δ is 1\/2\.\d\d of the last hidden layer's \(median over 105 full batches' records\), within 1\/4–4×, so the first hidden layer learns too; what is left is a loss still falling, not the gap, so no remedy for the gap is offered, and more epochs are\./);
    expect(d.remedies.map((r) => r.option)).toEqual(['epochs: more than 5']);
    // The heading says it as the summary does, in the terminal and the HTML report: 'Diagnosis: VANISHING' sat over it (newuser49 #4).
    const heading = 'VANISHING AT THE FIRST STEP, CLOSED DURING TRAINING';
    expect(verdictHeading(d)).toBe(heading);
    expect(diagnosisText(d, API_REMEDY_TERMS).split('\n')[0]).toBe(`Diagnosis: ${heading}`);
    expect(await renderReport({ runs: [{ id: 'r', label: 'closed', trace, diagnosis: d }] })).toContain(`<strong>${heading}</strong>`);
  }, 120_000);

  it('is headed as closed only where it closed: a gap of 1/100 at the first record that held keeps VANISHING, one that closed to 1/2 says so', () => {
    const run = { optimizer: 'adam', learningRate: 0.01 };
    const [held, closed] = [Array(10).fill(0.01), [0.01, ...Array(9).fill(0.5)]].map((ratios) => diagnose(gapTrace(ratios, run)));
    expect([held.verdict, held.summary.startsWith('Vanishing gradients (severe): '), verdictHeading(held)]).toEqual(['vanishing', true, 'VANISHING']);
    expect([closed.verdict, closed.summary.startsWith('Vanishing gradients (severe at the first step, closed during training): '), verdictHeading(closed)]).toEqual([
      'vanishing',
      true,
      'VANISHING AT THE FIRST STEP, CLOSED DURING TRAINING',
    ]);
  });

  it('says the pace of a steep fall as the share of the loss it leaves, never a fall of more than all of it (seed 3)', async () => {
    // Seed 3 (2026-12-02): epoch losses 2.30 2.10 1.70 1.34 1.04; a line through the last three losses themselves fell '159 % over 5 epochs more'.
    const { trace } = await tracedRun({ sizes: [784, 30, 30, 30, 10], activation: 'sigmoid', seed: 3 }, digits, ADAM_RUN);
    const d = diagnose(trace);
    const pace = d.evidence.training!.pace!;
    expect([d.evidence.training!.state, pace.steady, pace.horizon]).toEqual(['learning', true, 5]);
    expect(pace.projected).toBeGreaterThan(-1);
    // The line through the losses' logarithms: what it leaves after 5 epochs more, as said.
    const left = Math.exp(pace.logSlope * 5);
    expect(left).toBeCloseTo(1 / 3.43, 3);
    expect(d.remedies.map((r) => r.why).join(' ')).toContain(`if it kept this pace it would fall to 1/${(1 / left).toPrecision(3)} of its level over 5 epochs more`);
    expect(d.remedies.map((r) => r.why).join(' ')).toContain(quoteOn('docs/gradient-flow.md', 'fall to 1/3.43'));
    expect(`${d.summary} ${d.remedies.map((r) => r.why).join(' ')}`).not.toMatch(/\b(1\d\d|[2-9]\d\d) % over/);
  }, 120_000);

  it('credits no optimiser with compensating a gap that closed: the summary says it closed and nothing else of the gap (seed 2)', async () => {
    // Seed 2 (2026-12-02, session 18): 1/54.8 at the first record, 1/3.22 over the records; Adam's steps 1.48× (even) against
    // relative gradients of 1/4.97 (not): the rule read 'compensates … despite the gap' beside 'closed during training'.
    const { trace } = await tracedRun({ sizes: [784, 30, 30, 30, 10], activation: 'sigmoid', seed: 2 }, digits, ADAM_RUN);
    const d = diagnose(trace);
    const e = d.evidence;
    expect([d.verdict, d.severity, e.training?.state]).toEqual(['vanishing', 'severe', 'learning']);
    expect(e.deltaFirstToLast.first).toBeLessThanOrEqual(SEVERE_RATIO);
    expect(e.deltaFirstToLast.median).toBeGreaterThan(VANISHING_RATIO);
    // What made the old rule credit the optimiser: steps about even, plain gradient steps not.
    expect(e.updateFirstToLast).toBeGreaterThan(VANISHING_RATIO);
    expect(e.updateFirstToLast).toBeLessThan(1 / VANISHING_RATIO);
    expect(e.gradientFirstToLast).toBeLessThanOrEqual(VANISHING_RATIO);
    expect([e.compensated, e.evenedByDecay]).toEqual([false, false]);
    expect(d.summary).toMatch(/^Vanishing gradients \(severe at the first step, closed during training\): /);
    expect(d.summary).toContain('The gap closed during training: ');
    expect(d.summary).not.toMatch(/compensates|despite the gap|uncompensated/);
    expect(d.remedies.map((r) => r.option)).toEqual(['epochs: more than 5']);
  }, 120_000);
});

describe('a vanishing gap that closed on a plateau, or beside a rising loss', () => {
  // SGD at 6, 10 epochs (2026-12-02, session 18): 1/49.5 at the first record, 0.472× over all 220 records (1/2.10 over its 210 full
  // batches' records, 2026-12-05: docs/gradient-flow.md), on a plateau; it was offered
  // every gap remedy (relu, lars, adam, layer rates, kfac, norms, blocks, selu, lsuv) and told the first hidden layer was the slow one.
  let plateau: Trace;
  beforeAll(async () => {
    ({ trace: plateau } = await tracedRun({ sizes: [784, 30, 30, 30, 10], activation: 'sigmoid', seed: 1 }, digits, { epochs: 10, batchSize: 32, learningRate: 6, trace: { every: 1 } }));
  }, 120_000);
  const GAP_REMEDY = /activation|init|lars|kfac|hessian-free|layerRates|layers|lsuv/;

  it("says the gap closed and is not what holds the loss, and offers the plateau's remedies, none for the gap", () => {
    const d = diagnose(plateau);
    const gap = d.evidence.deltaFirstToLast;
    expect([d.verdict, d.severity, d.evidence.training?.state]).toEqual(['vanishing', 'severe', 'plateau']);
    expect(gap.first).toBeLessThanOrEqual(SEVERE_RATIO);
    expect(gap.median).toBeGreaterThan(VANISHING_RATIO);
    expect(d.summary).toMatch(/^Vanishing gradients \(severe at the first step, closed during training\): /);
    // Its batch-gradient speed, 55.0× slower at the first step, ended about even too: said once, in the sentence that says the gap closed (lows51).
    expect(d.summary).toMatch(
      /The gap closed during training: the first hidden layer's per-example δ is 1\/2\.10 of the last hidden layer's \(median over 210 full batches' records\), within 1\/4–4×, and by the last record it learns at 0\.521× the speed of the last, within the 1\/2–2× this diagnosis calls about even, so the first hidden layer learns too; the gap is not what holds the loss, so no remedy for the gap is offered\./,
    );
    // Where it ended is said with the gap's closing (below), not here: the weights' speed follows the first step's reading.
    expect(d.paragraphs[0]).toMatch(/learns 55\.0× slower than the last \(at the first step\)(, its weights [^.]*)?\./);
    expect(d.summary.split('by the last record it learns')).toHaveLength(2);
    expect(d.summary).not.toContain('what is slow is the first hidden layer');
    expect(d.remedies.map((r) => r.option)).toEqual(['learningRate: above 6', "momentum: 0.9 (or optimizer: 'adam', learningRate: 0.001)"]);
    expect(d.remedies[0].why).toMatch(/^the gap in the gradient flow closed during training, yet at learning rate 6 the loss fell only /);
  });

  it('with its last 2 epochs raised 20 %: a rising loss, offered a smaller rate and nothing for the gap', () => {
    // The same run's trace with its last two epochs' training loss raised: what the gap is beside changes, the gap does not.
    const json = plateau.toJSON();
    const rising = Trace.fromJSON({ ...json, epochs: json.epochs!.map((e, i) => (i >= 8 ? { ...e, loss: 1.2 * e.loss } : e)) });
    const d = diagnose(rising);
    expect([d.verdict, d.severity, d.evidence.training?.state]).toEqual(['vanishing', 'severe', 'rising']);
    expect(d.summary).toContain('the gap is not what makes the loss rise, so no remedy for the gap is offered.');
    expect(d.remedies.map((r) => r.option)).toEqual(['learningRate: below 6']);
    expect(d.remedies.map((r) => r.option).join(' ')).not.toMatch(GAP_REMEDY);
  });
});
