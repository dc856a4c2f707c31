/**
 * Inputs far from standardised (review39 finding 7's remainder): rows 1000 + N(0, 1) are not alike, but a first tanh layer's
 * z = W·x + b is W times 1000 on every row, and its units saturate from the first record, whatever the row. train() records the
 * inputs' size (TraceRun.inputScale, where √(mean² + spread²) ≥ LARGE_INPUTS), and diagnose() says what it did and offers
 * standardising them first, measured (src/flow/diagnosis/offset-remedies.ts: at chance raw, 99.6–100 % standardised over 50
 * epochs, seeds 1–3; test/flow/offset-remedies.test.ts runs seed 1 against them); never for standardised rows. Where no unit
 * saturated (relu) but the run ended at chance, the inputs' size is said without the saturation, and standardising offered
 * all the same; a run that learns over them is told none of it (offset-remedies.ts inputsHold).
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { LARGE_INPUTS, largeInputs, SMALL_INPUTS } from '../../src/flow/input-scale.js';
import { remedyText } from '../../src/flow/remedy.js';
import { Trace } from '../../src/flow/trace.js';
import { numberText } from '../../src/number-text.js';
import { codeQuoteOn, quoteOn, quotePattern } from '../util/page-quotes.js';
import { offsetInputs, offsetRows, outcome } from '../../scripts/remedy-setups.js';

const [ROWS, FEATURES, OFFSET] = [512, 4, 1000];

// The rows scripts/remedy-ranges.ts measures the page's offset ranges on (one source: remedy-setups' offsetRows).
const { x: centred, y } = offsetRows(0);
const offset = offsetRows(OFFSET).x;

/** [4, 16, 16, 2] tanh (Glorot's weights), seed 1, `epochs` of Adam 0.01 in batches of 32 over `x`, traced every 16 steps. */
async function run(x: number[][], epochs: number) {
  const net = await createNetwork({ sizes: [FEATURES, 16, 16, 2], activation: 'tanh', output: 'softmax', loss: 'cross-entropy', init: 'glorot-uniform', seed: 1 });
  net.train(x, y, { epochs, batchSize: 32, optimizer: { name: 'adam', learningRate: 0.01 }, trace: { every: 16 } });
  const trace = net.trace!;
  const accuracy = net.evaluate(x, y).accuracy!;
  net.dispose();
  return { trace, d: diagnose(trace), accuracy };
}

const STANDARDISE = 'inputs: each feature standardised, (x − mean) / std, both over the training rows';

describe('inputs far from standardised', () => {
  it('largeInputs: the root mean squares of the features\' means and spreads, recorded from LARGE_INPUTS on', () => {
    const scale = largeInputs(offset.flat(), ROWS, FEATURES)!;
    expect(scale.mean).toBeCloseTo(OFFSET, 0);
    expect(scale.spread).toBeGreaterThan(0.9);
    expect(scale.spread).toBeLessThan(1.1);
    // A spread of 1 about 10⁶ keeps its digits (a sum of squares less the squared mean would not).
    const far = largeInputs([1e6 - 1, 1e6 + 1, 1e6 - 1, 1e6 + 1], 4, 1)!;
    expect(far).toEqual({ mean: 1e6, spread: 1 });
    expect(largeInputs(centred.flat(), ROWS, FEATURES)).toBeUndefined();
    // At the bound: √(mean² + spread²) = LARGE_INPUTS is recorded, just below it is not.
    expect(largeInputs([LARGE_INPUTS - 2, LARGE_INPUTS], 2, 1)).toBeUndefined();
    expect(largeInputs([0, 2 * LARGE_INPUTS], 2, 1)).toEqual({ mean: LARGE_INPUTS, spread: LARGE_INPUTS });
    expect(largeInputs([LARGE_INPUTS, LARGE_INPUTS], 2, 1)).toEqual({ mean: LARGE_INPUTS, spread: 0 });
    expect(largeInputs([LARGE_INPUTS * 0.99, LARGE_INPUTS * 0.99], 2, 1)).toBeUndefined();
    expect(largeInputs([1000, NaN], 2, 1)).toBeUndefined();
    expect(largeInputs([1000], 1, 1)).toBeUndefined();
  });

  it('inputs all below SMALL_INPUTS are not large, said without the pass; one value at it or not finite takes the pass', () => {
    expect(SMALL_INPUTS).toBe(LARGE_INPUTS / 2);
    // The largest float64 below the bound (1.5, whose spacing below is 2⁻⁵²), on either side of 0: √(mean² + spread²) ≤ it.
    const below = SMALL_INPUTS - 2 ** -52;
    expect(below).toBeLessThan(SMALL_INPUTS);
    expect(largeInputs([below, below, below, below], 2, 2)).toBeUndefined();
    expect(largeInputs([-below, below, -below, below], 2, 2)).toBeUndefined();
    expect(largeInputs(Float32Array.from({ length: 9 * 784 }, (_, i) => (i % 3) / 2), 9, 784)).toBeUndefined();
    // At the bound the scan stops and the pass decides: still not large, as the pass says.
    expect(largeInputs([0, SMALL_INPUTS, 0, 0], 2, 2)).toBeUndefined();
    // A value the scan cannot pass (NaN, ±Infinity) among small ones: the pass's answer, undefined.
    expect(largeInputs([0.5, NaN, 0.5, 0.5], 2, 2)).toBeUndefined();
    expect(largeInputs([0.5, Infinity, 0.5, 0.5], 2, 2)).toBeUndefined();
    expect(largeInputs([0.5, -Infinity, 0.5, 0.5], 2, 2)).toBeUndefined();
    // One large value past the scan's first ones: the pass's answer (feature 3 has mean 10 and spread 10 over its rows 0 and 20).
    const scale = largeInputs([0.5, 0.5, 0, 0.5, 0.5, 20], 2, 3)!;
    expect(scale.mean).toBeCloseTo(Math.sqrt((0.25 + 0.25 + 100) / 3), 12);
    expect(scale.spread).toBeCloseTo(Math.sqrt(100 / 3), 12);
  });

  it('rows 1000 + N(0, 1) saturate a first tanh layer from the first record: said, and standardising offered first', async () => {
    const raw = await run(offset, 10);
    expect(raw.trace.run.inputs).toBeUndefined();
    expect(raw.trace.run.inputScale!.mean).toBeCloseTo(OFFSET, 0);
    expect(raw.d.verdict).toBe('saturated');
    expect(raw.accuracy).toBeLessThan(0.6);
    expect(raw.d.summary).toContain(
      `The input features are far from standardised: their mean is ${numberText(raw.trace.run.inputScale!.mean)} and their spread ${numberText(raw.trace.run.inputScale!.spread)} (each feature's mean and standard deviation over the rows, as root mean squares over the 4 features), where standardised features have mean 0 and spread 1. ` +
        "The first dense layer's z = W·x + b is W times inputs that large: at the first record 100 % of the activations in hidden layer 1 were within 0.01 of their limits, where σ'(z) ≈ 0, before any step had moved the weights, and an offset the same on every row saturates a unit alike on every row, whatever the row.",
    );
    // docs/gradient-flow.md quotes it.
    expect(raw.d.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'The input features are far from standardised')));
    const first = raw.d.remedies[0];
    expect(first.option).toBe(STANDARDISE);
    expect(first.option).toBe(codeQuoteOn('docs/gradient-flow.md', 'inputs: each feature standardised'));
    expect(remedyText(first)).toBe(STANDARDISE);
    expect(first.why).toContain('stayed at chance (49–51 % of their rows right), their first hidden layer 100 % saturated from the first record');
    expect(first.why).toContain('Standardised, the same rows reached 99.6–100 % (tanh and sigmoid)');
    expect(first.why).toContain('gradscope has no helper for it');
    // No command line takes it: said as the rows, not as an option of train().
    expect(remedyText(first, { form: 'command', commandLine: () => ({ cannot: 'no command-line flag takes its value' }) })).toBe(
      `${STANDARDISE} (the rows you give train(), evaluate() and predict(): no command-line flag takes its value)`,
    );
    // The saved trace keeps it.
    expect(Trace.fromJSON(JSON.parse(JSON.stringify(raw.trace.toJSON()))).run.inputScale).toEqual(raw.trace.run.inputScale);
  });

  it('not for the same rows standardised, which learn; for relu units, which do not saturate, without the saturation', async () => {
    const mean = [0, 1, 2, 3].map((j) => offset.reduce((a, row) => a + row[j], 0) / ROWS);
    const std = [0, 1, 2, 3].map((j) => Math.sqrt(offset.reduce((a, row) => a + (row[j] - mean[j]) ** 2, 0) / ROWS));
    const standardised = await run(offset.map((row) => row.map((v, j) => (v - mean[j]) / std[j])), 10);
    expect(standardised.trace.run.inputScale).toBeUndefined();
    expect(standardised.d.remedies.map((r) => r.option)).not.toContain(STANDARDISE);
    expect(standardised.d.summary).not.toContain('far from standardised');
    expect(standardised.accuracy).toBeGreaterThan(0.95);
    // The relu set-up of scripts/remedy-setups (Adam 0.005, 50 epochs), which ends at chance.
    const relu = await outcome(offsetInputs('relu', OFFSET), 1);
    const d = relu.diagnosis;
    expect(d.remedies[0].option).toBe(STANDARDISE);
    expect(d.summary).toContain("The first dense layer's z = W·x + b is W times inputs that large, more of which is an offset the same on every row than varies from row to row.");
    expect(d.summary).not.toContain('saturates a unit alike');
  });

  it('a saved trace holding another inputScale is refused, naming it', async () => {
    const { trace } = await run(offset, 1);
    const json = trace.toJSON();
    const refused = (inputScale: unknown) => () => Trace.fromJSON({ ...json, run: { ...json.run, inputScale } as never });
    expect(refused({ mean: -1, spread: 5 })).toThrow(/run\.inputScale\.mean/);
    expect(refused({ mean: 1, spread: 1 })).toThrow(/run\.inputScale must be an object \{ mean, spread \} of two finite numbers ≥ 0 whose √\(mean² \+ spread²\) is at least 3 \(train\(\) records none below\), got mean 1 and spread 1/);
    expect(refused({ mean: 1000, spread: 1, offset: 2 })).toThrow(/run\.inputScale: .*offset/);
    expect(refused([1000, 1])).toThrow(/run\.inputScale must be an object/);
  });
});
