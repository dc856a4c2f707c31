/**
 * The summary's sentences a new user found untrue (report of 2026-12-01), each on the run that
 * showed it (fixed seeds): a gap above 1 that grew called "narrowed"; an exploding start that
 * turned vanishing, said only as "widened"; a dead verdict that hid a severe vanishing gap; a 7.9×
 * fall called "did not fade"; layers and percentages in one comma list; one remedy clause repeated
 * for every layer. Each sentence is checked against the evidence it states.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/mnist.js';
import { createNetwork } from '../../src/api/network.js';
import { Trace } from '../../src/flow/trace.js';
import { diagnose, GRADIENT_FADED, VANISHING_RATIO, EXPLODING_RATIO, type Diagnosis } from '../../src/flow/diagnose.js';
import type { NetworkOptions } from '../../src/network/config.js';
import type { TrainOptions } from '../../src/training/train-options.js';
import { firstRows } from '../../src/studies/depth.js';
import { numberRanges } from '../../src/layer-names.js';
import { expectError } from '../util/expect-error.js';
import { quoteOn, quotePattern } from '../util/page-quotes.js';
import { tracedRun, type TrainingRows } from '../util/traced-run.js';

let digits: ReturnType<typeof firstRows>;

beforeAll(async () => {
  const { train } = await loadMnist();
  digits = firstRows(train.x, train.y, 1000);
});

/** Two spirals, the visualizer's default data, as the new user drew them (400 rows). */
function spirals(): { x: number[][]; y: number[][] } {
  const x: number[][] = [];
  const y: number[][] = [];
  let s = 7;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 400; i++) {
    const c = i % 2;
    const t = (i / 400) * 3 * Math.PI + 0.3;
    const r = t / (3 * Math.PI);
    x.push([r * Math.cos(t + c * Math.PI) + 0.05 * (rnd() - 0.5), r * Math.sin(t + c * Math.PI) + 0.05 * (rnd() - 0.5)]);
    y.push(c ? [0, 1] : [1, 0]);
  }
  return { x, y };
}

async function diagnosed(network: NetworkOptions, rows: TrainingRows, options: TrainOptions): Promise<Diagnosis> {
  return diagnose((await tracedRun(network, rows, options)).trace);
}

const hidden10 = Array.from({ length: 10 }, () => 32);
const digitsTraining: TrainOptions = { epochs: 3, batchSize: 32, learningRate: 0.1, trace: { every: 5 } };
/** A ratio as the summary prints it (3 significant digits, or exponent form outside [0.01, 1000)). */
const printed = (v: number) => (v >= 0.01 && v < 1000 ? v.toPrecision(3) : v.toExponential(2));

describe('how the per-example gap moved during training', () => {
  it('a gap above 1 that grew (2.61× → 10.0×, relu, he-normal, [2, 6 × 16, 2] on the spirals) widened, and both ends are stated', async () => {
    const d = await diagnosed({ sizes: [2, 16, 16, 16, 16, 16, 16, 2], activation: 'relu', init: 'he-normal', seed: 3 }, spirals(), {
      epochs: 200,
      batchSize: 32,
      learningRate: 0.1,
      trace: { every: 5 },
    });
    const { first, last, median } = d.evidence.deltaFirstToLast;
    expect(first).toBeGreaterThan(1);
    expect(first).toBeLessThan(EXPLODING_RATIO);
    expect(last).toBeGreaterThanOrEqual(EXPLODING_RATIO);
    expect(d.summary).not.toContain('narrowed');
    // The numbers docs/gradient-flow.md quotes (the median over the full batches' records: 6.47× over every record, 2026-12-05).
    expect([printed(first), printed(last), printed(median)]).toEqual(['2.61', '10.0', '6.53']);
    // It grew while the network learnt (evidence.grewWhileLearning): a healthy verdict with a note, so its last record is not marked exploding.
    expect([d.verdict, d.evidence.grewWhileLearning]).toEqual(['healthy', true]);
    expect(d.summary).toContain(
      `The per-example gap widened ${printed(last / first)}× during training: ${printed(first)}× at the first step and ${printed(last)}× at the last record.`,
    );
    expect(d.summary).toContain('Early layers get larger gradients (');
  }, 60_000);

  it('tanh with N(0, 1) weights ([784, 10 × 32, 10], digits): exploding at the first step, vanishing at the last, and the summary says both', async () => {
    const net = await createNetwork({ sizes: [784, ...hidden10, 10], activation: 'tanh', init: { name: 'normal', std: 1 }, seed: 1 });
    net.train(digits.x, digits.y, digitsTraining);
    const trace = net.trace!;
    net.dispose();
    const d = diagnose(trace);
    const { first, last } = d.evidence.deltaFirstToLast;
    expect(first).toBeGreaterThanOrEqual(EXPLODING_RATIO);
    expect(last).toBeLessThanOrEqual(VANISHING_RATIO);
    expect(d.verdict).toBe('saturated');
    expect(d.summary).toContain(
      `The per-example gap crossed over from its start (exploding) during training: 1/${printed(1 / last)} at the last full batch's record (vanishing; step 91: the epoch's short last batch after it, of 8 rows, holds a gradient of those rows alone).`,
    );
    // Its start, read over the records as the other reading, is said there once, not again in the trend (lows51).
    expect(d.summary).toContain(`At the first step the first hidden layer's δ is ${printed(first)}× the last hidden layer's, which alone would read exploding (severe)`);
    expect(d.summary.split(`${printed(first)}×`)).toHaveLength(2);
    expect(d.summary).not.toMatch(/gap (widened|narrowed)/);
    // docs/gradient-flow.md's marks of each end.
    expect(d.summary).toContain(`start ${quoteOn('docs/gradient-flow.md', '(exploding)')}`);
    expect(d.summary).toContain(`record ${quoteOn('docs/gradient-flow.md', '(vanishing)').slice(0, -1)}`); // (vanishing; step 91: …)
    // As docs/gradient-flow.md quotes them: 1,000 digits in batches of 32 leave each epoch a last batch of 8 rows (the trace's
    // last record, step 96, which read 1/7.24e+4); the last full batch's record (step 91) is read in its place (2026-12-04).
    expect([printed(first), printed(1 / last)]).toEqual(['99.9', '3.18e+5']);
    expect(d.evidence.shortLastBatch).toEqual({ step: 96, rows: 8, readStep: 91 });

    // The last hidden layer's ‖∂C/∂b‖ fell, by less than GRADIENT_FADED: said as a fall, not as "did not fade".
    const change = d.evidence.lastHiddenChange;
    expect(change).toBeLessThan(1);
    expect(change).toBeGreaterThan(GRADIENT_FADED);
    // Its 3 epochs' losses say still learning (the mean batch loss fell 10 % in the last epoch); its batches alone, a plateau, whose sentence says the fall.
    expect(d.evidence.training?.state).toBe('learning');
    const json = trace.toJSON();
    delete json.epochs;
    const fromBatches = diagnose(Trace.fromJSON(json));
    expect(fromBatches.evidence.training?.state).toBe('plateau');
    // Read over the medians of the first and the last 3 of its 19 full batches' records (a fifth), not one batch's record at each end.
    expect([fromBatches.evidence.changeWindow, fromBatches.evidence.fullBatchRecords]).toEqual([3, 19]);
    expect(fromBatches.summary).toContain(`the last hidden layer's ‖∂C/∂b‖ fell ${printed(1 / change)}× over training time (medians over the first and the last 3 full batches' records), less than the ${printed(1 / GRADIENT_FADED)}× this diagnosis calls fading`);
    expect(fromBatches.summary).not.toContain('did not fade');
    // As docs/gradient-flow.md quotes it (21.8 at the last full batch's record alone, 7.90 at the short last batch, 2026-12-01).
    expect(printed(1 / change)).toBe('37.7');
    expect(fromBatches.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', "the last hidden layer's ‖∂C/∂b‖ fell")));
    expect(fromBatches.summary).toContain(quoteOn('docs/gradient-flow.md', "at the last full batch's record (vanishing; step"));

    // Each layer's saturated share beside its layer, not a list of layers and then a list of percentages.
    const shares = d.evidence.saturatedLayers.map((l, i) => `${Math.round(100 * d.evidence.layers[l].saturatedFraction)} %${i === 0 ? ' of the activations' : ''} in hidden layer ${l + 1}`);
    expect(d.summary).toContain(`Saturated units: ${shares.slice(0, -1).join(', ')} and ${shares.at(-1)} are within 0.01 of their limits`);

    // The glorot remedy names the scale the init draws once for the nine 32 × 32 layers, their RMS weights as a range.
    const glorot = d.remedies.find((r) => r.option === "init: 'glorot-uniform'")!;
    expect(glorot.why.match(/'glorot-uniform' draws 0\.177/g)).toHaveLength(1);
    expect(glorot.why).toMatch(/hidden layers 2–10's RMS weights are 1\.\d\d–1\.\d\d, 'glorot-uniform' draws 0\.177/);
  }, 60_000);
});

describe('a dead verdict with a vanishing gap beside it', () => {
  it('relu, standard init, [784, 10 × 32, 10] on the digits: dead units, and the severe vanishing gap too', async () => {
    const d = await diagnosed({ sizes: [784, ...hidden10, 10], activation: 'relu', init: 'standard', seed: 1 }, digits, digitsTraining);
    expect(d.verdict).toBe('dead');
    const gap = d.evidence.deltaFirstToLast.median;
    expect(gap).toBeLessThan(VANISHING_RATIO ** 2);
    // As docs/gradient-flow.md quotes it.
    expect(d.summary).toMatch(/^Dead units: 84 % of the units in hidden layer 9 and 78 % in hidden layer 10 have z ≤ 0 on every row/);
    expect(printed(1 / gap)).toBe('5.28e+3');
    expect(d.summary).toContain(`Also vanishing gradients (severe): one example's gradient δ at the first hidden layer is 1/${printed(1 / gap)} of the last hidden layer's`);
    expect(d.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'Dead units: 84 %')));
    expect(d.summary).toContain(quoteOn('docs/gradient-flow.md', '84 % of the units'));
    expect(d.summary).toContain(quoteOn('docs/gradient-flow.md', 'Also vanishing gradients'));
  }, 60_000);
});

describe('numberRanges', () => {
  it('says each run of three or more consecutive layers as a range, shorter runs one by one', () => {
    expect(numberRanges([1, 2, 3, 4, 5, 6, 7, 8])).toBe('1–8');
    expect(numberRanges([2, 3, 5, 7, 8, 9])).toBe('2, 3, 5, 7–9');
    expect(numberRanges([4])).toBe('4');
    expect(numberRanges([])).toBe('');
  });

  it('refuses what is not a list of whole numbers, naming what it got', async () => {
    await expectError(() => numberRanges([1, 2.5]), 'INVALID_OPTION', /^numberRanges\(numbers\): expected an array of integers, got \[1, ?2\.5\]$/);
  });
});
