/**
 * Trace.fromJSON refuses values no run can record: a negative norm, a loss beyond float32's range, a fraction or accuracy outside
 * [0, 1], a step that is not a whole number, a string where the format holds a number. Each is
 * INVALID_OPTION ('trace JSON: …', the code of every bad trace file) naming the field and its
 * indexes; null (JSON's NaN) stays a value not measured, and a saved trace reads back unchanged.
 */
import { describe, expect, it } from 'vitest';
import { Trace, type TraceJSON } from '../../src/flow/trace.js';
import { GRADIENT_BINS, LAYER_METRIC_NAMES, LAYER_METRIC_RANGES, RESIDUAL_METRIC_NAMES, RESIDUAL_METRIC_RANGES } from '../../src/flow/metrics.js';
import { createNetwork } from '../../src/api/network.js';
import { expectError } from '../util/expect-error.js';
import { quoteOn, quotePattern } from '../util/page-quotes.js';

const x = [[0, 1], [1, 0], [1, 1], [0, 0]];
const y = [[1, 0], [0, 1], [1, 0], [0, 1]];

async function savedTrace(blocks = false): Promise<TraceJSON> {
  const net = blocks
    ? await createNetwork({ inputs: 2, layers: [{ type: 'dense', units: 3, activation: 'tanh' }, { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 3, activation: 'tanh' }] }, { type: 'dense', units: 2, activation: 'softmax' }], backend: 'ref', seed: 1 })
    : await createNetwork({ sizes: [2, 3, 3, 2], activation: 'relu', output: 'softmax', backend: 'ref', seed: 1 });
  net.train(x, y, { epochs: 2, batchSize: 2, learningRate: 0.1, validation: { x, y }, trace: { every: 1 } });
  const json = JSON.parse(JSON.stringify(net.trace!.toJSON())) as TraceJSON;
  net.dispose();
  return json;
}

/** `json` with `path`'s value replaced by `value`. */
function withValue(json: TraceJSON, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(json) as unknown as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]] = value;
  return copy;
}

describe('Trace.fromJSON refuses impossible values', () => {
  it('names the field and index of a negative norm, a fraction above 1, an accuracy above 1, a loss below 0, a string, a step that is not whole', async () => {
    const json = await savedTrace();
    const cases: [(string | number)[], unknown, RegExp][] = [
      [['metrics', 'weightGradNorm', 1, 2], -2, /^trace JSON: metrics\.weightGradNorm\[1\]\[2\] must be a number ≥ 0 \(or null where not measured\), got -2$/],
      [['metrics', 'deadFraction', 0, 0], 1.5, /metrics\.deadFraction\[0\]\[0\] must be a fraction in \[0, 1\] .*got 1\.5/],
      [['metrics', 'deltaRms', 2, 1], 'NaN', /metrics\.deltaRms\[2\]\[1\] must be a number ≥ 0 .*got "NaN"/],
      [['metrics', 'activationMean', 0, 1], true, /metrics\.activationMean\[0\]\[1\] must be a number .*got true/],
      [['accuracy', 3], 1.25, /accuracy\[3\] must be a fraction in \[0, 1\] .*got 1\.25/],
      [['losses', 0], -0.5, /losses\[0\] must be a number from 0 to 3\.4028235e\+38 \(float32's largest finite number\), as a float32 run's losses are .*got -0\.5/],
      // Losses beyond float32's range, which no run records (a run refuses such a loss): 1e308 was read as a loss.
      [['losses', 1], 1e308, /^trace JSON: losses\[1\] must be a number from 0 to 3\.4028235e\+38 .*got 1e\+308$/],
      [['losses', 1], 3.5e38, /losses\[1\] must be a number from 0 to .*got 3\.5e\+38$/],
      [['epochs', 1, 'loss'], 1e308, /epochs\[1\]\.loss must be a number from 0 to .*got 1e\+308$/],
      [['epochs', 0, 'validation', 'loss'], 1e300, /epochs\[0\]\.validation\.loss must be a number from 0 to .*got 1e\+300$/],
      [['steps', 2], 2.5, /steps\[2\] must be a whole number from 0 to [\d,]+ .*got 2\.5/],
      [['steps', 0], null, /steps\[0\] must be a whole number from 0 to .*got null/],
      [['epochs', 1, 'validation', 'accuracy'], 2, /epochs\[1\]\.validation\.accuracy must be a fraction in \[0, 1\] .*got 2/],
      [['epochs', 0, 'loss'], -1, /epochs\[0\]\.loss must be a number from 0 to .*got -1/],
    ];
    for (const [path, value, message] of cases) await expectError(() => Trace.fromJSON(withValue(json, path, value)), 'INVALID_OPTION', message);
    // As docs/gradient-flow.md quotes it.
    const negative = await expectError(() => Trace.fromJSON(withValue(json, ['metrics', 'weightGradNorm', 1, 2], -2)), 'INVALID_OPTION', /weightGradNorm/);
    expect(negative.message).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'trace JSON: metrics.weightGradNorm')));
    // The file as saved reads back, its nulls (NaN: saturation of relu units, bounds between refreshes) as values not measured.
    const back = Trace.fromJSON(json);
    expect(JSON.parse(JSON.stringify(back.toJSON()))).toEqual(json);
    expect(Number.isNaN(back.at('saturatedFraction', 0, 0))).toBe(true);
  });

  it("a block network's residual metrics too: a negative RMS size is refused, a negative α is not", async () => {
    const json = await savedTrace(true);
    await expectError(() => Trace.fromJSON(withValue(json, ['blocks', 'residualMetrics', 'skipGradRms', 1, 0], -1)), 'INVALID_OPTION', /blocks\.residualMetrics\.skipGradRms\[1\]\[0\] must be a number ≥ 0 .*got -1/);
    expect(Trace.fromJSON(withValue(json, ['blocks', 'residualMetrics', 'alpha', 1, 0], -0.5)).residualSeries('alpha', 0)[1]).toBe(-0.5);
  });

  it("an epoch's training-rows check reads back with it, and is refused without the validation it stands beside, naming the epoch", async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], activation: 'tanh', output: 'softmax', backend: 'ref', seed: 1 });
    // Validation on other rows (arrays of their own): train() checks as many training rows at each epoch's end.
    net.train(x, y, { epochs: 2, batchSize: 2, learningRate: 0.1, validation: { x: x.slice(0, 2), y: y.slice(0, 2) }, trace: { every: 1 } });
    const json = JSON.parse(JSON.stringify(net.trace!.toJSON())) as TraceJSON;
    net.dispose();
    const saved = json.epochs![1].training;
    expect(saved).toMatchObject({ rows: 2 });
    expect(Trace.fromJSON(json).epochs[1].training).toEqual(saved);
    await expectError(
      () => Trace.fromJSON(withValue(json, ['epochs', 1, 'validation'], undefined)),
      'INVALID_OPTION',
      /^trace JSON: epochs\[1\]\.training is given without epochs\[1\]\.validation: /,
    );
  });

  it("refuses gradient histograms the report could not draw, naming the histogram and field (they were read unchecked: a TypeError, or NaN in the chart)", async () => {
    const json = await savedTrace();
    expect(json.histograms).toHaveLength(1);
    const cases: [(string | number)[], unknown, RegExp][] = [
      [['histograms'], 0, /^trace JSON: histograms must be an array, got 0$/],
      [['histograms', 0], null, /^trace JSON: histograms\[0\] must be an object \{ step, lo, hi, counts \}, got null$/],
      [['histograms', 0, 'step'], -1, /^trace JSON: histograms\[0\]\.step must be a whole number from 0 to .*got -1$/],
      [['histograms', 0, 'lo'], undefined, /^trace JSON: histograms\[0\]\.lo must hold 3 numbers \(one per layer\) or one for every layer, got undefined$/],
      [['histograms', 0, 'hi', 1], null, /^trace JSON: histograms\[0\]\.hi\[1\] must be a finite number, got null$/],
      [['histograms', 0, 'lo', 2], 1e300, /^trace JSON: histograms\[0\]: layer 2's range runs from lo 1e\+300 down to hi [\d.e+-]+; lo must not be above hi$/],
      [['histograms', 0, 'counts'], 'x', /^trace JSON: histograms\[0\]\.counts must hold 3 rows of counts \(one per layer\), got "x"$/],
      [['histograms', 0, 'counts', 1], [1, 2], new RegExp(String.raw`^trace JSON: histograms\[0\]\.counts\[1\] must hold ${GRADIENT_BINS} counts, as counts\[0\] does, got \[1,2\]$`)],
      [['histograms', 0, 'counts', 0, 4], null, /^trace JSON: histograms\[0\]\.counts\[0\]\[4\] must be a finite number ≥ 0, got null$/],
    ];
    for (const [path, value, message] of cases) await expectError(() => Trace.fromJSON(withValue(json, path, value)), 'INVALID_OPTION', message);
    // Version 2's one range for every layer still reads, as each layer's.
    const shared = Trace.fromJSON(withValue(withValue(json, ['histograms', 0, 'lo'], -0.5) as TraceJSON, ['histograms', 0, 'hi'], 0.5));
    expect(shared.histograms[0].lo).toEqual([-0.5, -0.5, -0.5]);
  });

  it("refuses a header no traced run writes, naming the field (it was read unchecked: a row null threw a TypeError, a validation 1.5 threw one in renderReport, a size 1e400 or a learning rate true reached the diagnosis)", async () => {
    const [json, blocks] = [await savedTrace(), await savedTrace(true)];
    const cases: [TraceJSON, (string | number)[], unknown, RegExp][] = [
      [json, ['sizes'], [2], /^trace JSON: sizes must hold the input's units and each layer's, got 1 size$/],
      [json, ['sizes', 1], 1e400, /^trace JSON: sizes\[1\]: expected a whole number of units from 1 to [\d,]+, got Infinity$/],
      [json, ['activations'], ['relu'], /^trace JSON: activations must hold 3 activations \(one per layer, as sizes says\), got 1$/],
      [json, ['activations', 1], 'x', /^trace JSON: activations\[1\]: expected one of sigmoid, .*, got "x"$/],
      [json, ['loss'], undefined, /^trace JSON: loss: expected one of mse, cross-entropy, binary-cross-entropy, got undefined$/],
      [json, ['every'], 0, /^trace JSON: every must be a whole number from 1 to 9,007,199,254,740,991 .*got 0$/],
      [json, ['run', 'learningRate'], true, /^trace JSON: run\.learningRate: expected a finite number > 0, got true$/],
      [json, ['run', 'batchSize'], 1.5, /^trace JSON: run\.batchSize: expected a finite whole number ≥ 1, got 1\.5$/],
      [json, ['run', 'optimizer'], 3, /^trace JSON: run\.optimizer must be an optimiser's name, got 3$/],
      [json, ['run', 'init'], 'x', /^trace JSON: run\.init: expected one of standard, .*got "x"$/],
      [json, ['run', 'validation'], 1.5, /^trace JSON: run\.validation: expected one of training rows, other rows, got 1\.5$/],
      [json, ['run', 'lsuv'], false, /^trace JSON: run\.lsuv is true where present \(absent otherwise\), got false$/],
      [json, ['run', 'layerRates'], [1, 2], /^trace JSON: run\.layerRates must hold 3 rates \(one per layer\)$/],
      [blocks, ['blocks', 'layers', 1], null, /^trace JSON: blocks\.layers\[1\] must be an object \{ name, type \}, got null$/],
      [blocks, ['blocks', 'layers', 0, 'type'], 'conv', /^trace JSON: blocks\.layers\[0\]\.type: expected one of dense, batch-norm, layer-norm, activation, residual, got "conv"$/],
      [blocks, ['blocks', 'residuals', 0, 'gate'], 'sigmoid', /^trace JSON: blocks\.residuals\[0\]\.gate: expected one of none, rezero, got "sigmoid"$/],
    ];
    for (const [file, path, value, message] of cases) await expectError(() => Trace.fromJSON(withValue(file, path, value)), 'INVALID_OPTION', message);
    // As docs/gradient-flow.md quotes it.
    const rate = await expectError(() => Trace.fromJSON(withValue(json, ['run', 'learningRate'], true)), 'INVALID_OPTION', /learningRate/);
    expect(rate.message).toBe(quoteOn('docs/gradient-flow.md', 'trace JSON: run.learningRate'));
    // Both files as saved read back whole.
    for (const file of [json, blocks]) expect(JSON.parse(JSON.stringify(Trace.fromJSON(file).toJSON()))).toEqual(file);
  });

  it("reads a saved file's text as its object (as Network.fromJSON does a model's); says what to pass instead of the Trace itself, or another object", async () => {
    const json = await savedTrace();
    // It was refused ('got a string … pass the parsed object'), while Network.fromJSON took a model's text: one way now.
    expect(Trace.fromJSON(JSON.stringify(json)).toJSON()).toEqual(Trace.fromJSON(json).toJSON());
    await expectError(() => Trace.fromJSON(JSON.stringify(json).slice(0, 30)), 'INVALID_OPTION', /^trace JSON: not valid JSON at line 1, column 31: expected .*, got the end of the text$/);
    await expectError(() => Trace.fromJSON('5'), 'INVALID_OPTION', /^trace JSON: expected the object trace\.toJSON\(\) gives, got 5$/);
    const trace = Trace.fromJSON(json);
    await expectError(() => Trace.fromJSON(trace), 'INVALID_OPTION', /^trace JSON: got a Trace, not its JSON; use it as it is/);
    await expectError(() => Trace.fromJSON(5), 'INVALID_OPTION', /^trace JSON: expected the object trace\.toJSON\(\) gives, got 5$/);
    await expectError(() => Trace.fromJSON({ format: 'gradscope.model' }), 'INVALID_OPTION', /^trace JSON: expected format "gradscope\.trace" \(the object trace\.toJSON\(\) gives\), got format "gradscope\.model"$/);
    // An object without one is said so, not "got format undefined" (edges47 #7).
    await expectError(() => Trace.fromJSON('{"records":[{"a":1}]}'), 'INVALID_OPTION', /^trace JSON: expected format "gradscope\.trace" \(the object trace\.toJSON\(\) gives\), got an object with no format$/);
  });

  it('gives every metric a range', () => {
    expect(Object.keys(LAYER_METRIC_RANGES).sort()).toEqual([...LAYER_METRIC_NAMES].sort());
    expect(Object.keys(RESIDUAL_METRIC_RANGES).sort()).toEqual([...RESIDUAL_METRIC_NAMES].sort());
  });
});
