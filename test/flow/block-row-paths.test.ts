// A block network's rows are named in sentences by where they sit in the `layers` the network was made from, then by
// their module name: a dense layer takes two module indices, so '20' is layers[15] of fresh21's engineer's batch-norm net.
// Trace.layerLabel is that one name, for the diagnosis, the tables, the charts, the CSV and the visualizer alike.
import { describe, expect, it } from 'vitest';
import { Trace, type TraceBlocks } from '../../src/flow/trace.js';
import { specPaths } from '../../src/layer-names.js';
import { moduleIndices } from '../../src/layers/block-layout.js';
import { expectError } from '../util/expect-error.js';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { chainEnds } from '../../src/flow/diagnosis/gap-measures.js';
import { codeQuoteOn } from '../util/page-quotes.js';
import type { LayerSpec } from '../../src/layers/spec.js';

describe('specPaths', () => {
  it("6 × (dense, batch norm, sigmoid) and an output dense: the modules' names map to their layers[i]", () => {
    const specs = [...Array.from({ length: 6 }, () => [{ type: 'dense' }, { type: 'batch-norm' }, { type: 'activation' }]).flat(), { type: 'dense' }];
    const names = moduleIndices(specs).map(String);
    const paths = specPaths(names);
    expect([paths.get('0'), paths.get('2'), paths.get('3'), paths.get('20'), paths.get('24')]).toEqual(['layers[0]', 'layers[1]', 'layers[2]', 'layers[15]', 'layers[18]']);
  });

  it("residual blocks: a branch's modules under their block's path, plain blocks (no row of their own) counted among their siblings", () => {
    // [dense sigmoid, 5 × residual [dense sigmoid], dense softmax]: modules 0, 2–6, 7; the rows carry no name for a plain block, the residuals do.
    const rows = ['0', ...[2, 3, 4, 5, 6].map((b) => `${b}.branch.0`), '7'];
    const paths = specPaths([...rows, '2', '3', '4', '5', '6']);
    expect([paths.get('0'), paths.get('2.branch.0'), paths.get('6.branch.0'), paths.get('7')]).toEqual(['layers[0]', 'layers[1].layers[0]', 'layers[5].layers[0]', 'layers[6]']);
  });
});

/** A trace of `blocks`' rows (each row 3 units wide but the 2-unit output), recording nothing. */
const traceOf = (blocks: TraceBlocks) =>
  new Trace({ sizes: [4, ...blocks.layers.slice(1).map(() => 3), 2], activations: blocks.layers.map(() => 'linear' as const), loss: 'mse', every: 1, blocks });

describe('Trace.layerLabel', () => {
  // [dense, batch norm, residual (ReZero) [dense, residual [layer norm]], dense]: modules 0, 2, 3 (3.branch.0, 3.branch.2 (3.branch.2.branch.0)), 4.
  const nested: TraceBlocks = {
    layers: [
      { name: '0', type: 'dense' },
      { name: '2', type: 'batch-norm' },
      { name: '3', type: 'residual' },
      { name: '3.branch.0', type: 'dense' },
      { name: '3.branch.2.branch.0', type: 'layer-norm' },
      { name: '4', type: 'dense' },
    ],
    residuals: [
      { name: '3', gate: 'rezero' },
      { name: '3.branch.2', gate: 'none' },
    ],
  };

  it("names a block network's row by its layers path, module name and type; in short without the module name and the inner '.layers'; a dense network's as before", () => {
    const trace = traceOf(nested);
    const rows = Array.from({ length: trace.layers }, (_, l) => l);
    expect(rows.map((l) => trace.layerLabel(l))).toEqual([
      "layers[0] ('0', dense)",
      "layers[1] ('2', batch-norm)",
      "layers[2] ('3', residual)",
      "layers[2].layers[0] ('3.branch.0', dense)",
      "layers[2].layers[1].layers[0] ('3.branch.2.branch.0', layer-norm)",
      "layers[3] ('4', dense)",
    ]);
    expect(rows.map((l) => trace.layerLabel(l, 'short'))).toEqual(['layers[0] dense', 'layers[1] batch-norm', 'layers[2] residual', 'layers[2][0] dense', 'layers[2][1][0] layer-norm', 'layers[3] dense']);
    // Read back from its JSON, the same names.
    const back = Trace.fromJSON(JSON.parse(JSON.stringify(trace.toJSON())));
    expect(rows.map((l) => back.layerLabel(l))).toEqual(rows.map((l) => trace.layerLabel(l)));
    // A dense network's rows read as before, in either form: 'hidden 1' … 'output'.
    const dense = new Trace({ sizes: [4, 3, 3, 2], activations: ['sigmoid', 'sigmoid', 'softmax'], loss: 'cross-entropy', every: 1 });
    for (const form of ['full', 'short'] as const) expect([0, 1, 2].map((l) => dense.layerLabel(l, form))).toEqual(['hidden 1', 'hidden 2', 'output']);
  });

  it("names the hidden chain's ends in the diagnosis so, as docs/gradient-flow.md quotes them: [dense sigmoid, 5 × residual [dense sigmoid], dense softmax]", async () => {
    const sigmoid: LayerSpec = { type: 'dense', units: 3, activation: 'sigmoid' };
    const residual: LayerSpec = { type: 'residual', layers: [sigmoid] };
    const net = await createNetwork({
      inputs: 4,
      loss: 'cross-entropy',
      layers: [sigmoid, ...Array<LayerSpec>(5).fill(residual), { type: 'dense', units: 2, activation: 'softmax' }],
      seed: 1,
      backend: 'ref',
    });
    const x = [[0.1, -0.2, 0.3, 0.4], [1, 0.5, -1, 0], [0, 0.2, 0.4, -0.3], [-1, 0, 1, 0.5]];
    net.train(x, [[1, 0], [0, 1], [1, 0], [0, 1]], { epochs: 2, batchSize: 2, trace: { every: 1 } });
    const trace = net.trace!;
    net.dispose();
    const ends = chainEnds(trace, diagnose(trace).evidence);
    expect(`the ${ends.first}`).toBe(codeQuoteOn('docs/gradient-flow.md', 'the first hidden layer layers[0]'));
    expect(`the ${ends.last}`).toBe(codeQuoteOn('docs/gradient-flow.md', 'the last hidden layer layers[5]'));
  });

  it("names a residual block as a row, its type 'residual': a ReZero block's name is its row's", () => {
    const trace = traceOf(nested);
    expect([0, 1].map((b) => trace.residualLabel(b))).toEqual(["layers[2] ('3', residual)", "layers[2].layers[1] ('3.branch.2', residual)"]);
    expect([0, 1].map((b) => trace.residualLabel(b, 'short'))).toEqual(['layers[2] residual', 'layers[2][1] residual']);
    expect(trace.residualLabel(0)).toBe(trace.layerLabel(2));
  });

  it('refuses a form it does not write, and names no row it cannot place: a saved trace whose module names no network gives', async () => {
    await expectError(() => traceOf(nested).layerLabel(0, 'long' as never), 'INVALID_OPTION', /form must be 'full' or 'short', got "long"/);
    await expectError(() => traceOf(nested).residualLabel(1, 'long' as never), 'INVALID_OPTION', /residualLabel\(…, form\): form must be 'full' or 'short', got "long"/);
    await expectError(() => traceOf(nested).residualLabel(2), 'INVALID_OPTION', /residualLabel\(block\): expected a whole number from 0 to 1, got 2 \(the trace has 2 residual blocks\)/);
    // A trace with no residual block has no range to name: not 'from 0 to -1'.
    const dense = new Trace({ sizes: [4, 3, 2], activations: ['sigmoid', 'softmax'], loss: 'cross-entropy', every: 1 });
    await expectError(() => dense.residualLabel(0), 'INVALID_OPTION', /^trace\.residualLabel\(block\): got 0, but the trace has no residual block \(a dense network's trace\)$/);
    const plain = traceOf({ layers: nested.layers.filter((l) => !l.name.startsWith('3')), residuals: [] });
    await expectError(() => plain.residualLabel(0), 'INVALID_OPTION', /^trace\.residualLabel\(block\): got 0, but the trace has no residual block$/);
    const renamed = (layers: TraceBlocks['layers'], residuals = nested.residuals) => () => traceOf({ layers, residuals });
    await expectError(renamed(nested.layers.map((l, i) => (i === 1 ? { ...l, name: 'bn1' } : l))), 'INVALID_OPTION', /blocks\.layers\[1\]\.name must be a module name \('4', '4\.branch\.0'\), got "bn1"/);
    await expectError(renamed(nested.layers, [nested.residuals[0]]), 'INVALID_OPTION', /blocks\.layers\[4\]\.name is '3\.branch\.2\.branch\.0', in residual block '3\.branch\.2', which blocks\.residuals does not name/);
    const json = traceOf(nested).toJSON();
    await expectError(() => Trace.fromJSON({ ...json, blocks: { ...json.blocks!, residuals: [{ name: '03', gate: 'none' }] } }), 'INVALID_OPTION', /blocks\.residuals\[0\]\.name must be a module name .*got "03"/);
  });
});
