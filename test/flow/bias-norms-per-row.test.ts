// biasNormsPerRow: the one formula for ‖∂C/∂b‖ per trace row of a net.gradients() result, which the page's mean-loss view
// and study --model's meanLossGradient both read (review47 #3: the page had its own, Math.hypot over the tensor spread on the
// stack, beside the library's Euclidean norm). Each row's value is net.gradients()'s own; gradients of another network
// are refused by name rather than read as NaN rows.
import { describe, expect, it } from 'vitest';
import { biasNormsPerRow, createNetwork, type NetworkOptions } from '../../src/index.js';
import { expectError } from '../util/expect-error.js';

const x = Array.from({ length: 16 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
const y = x.map(([a, b]) => (a * b > 0 ? [1, 0] : [0, 1]));
const DENSE: NetworkOptions = { sizes: [2, 5, 4, 2], activation: 'sigmoid', output: 'softmax', seed: 2 };
const BLOCKS: NetworkOptions = {
  inputs: 2,
  seed: 2,
  layers: [
    { type: 'dense', units: 5 },
    { type: 'batch-norm' },
    { type: 'activation', activation: 'tanh' },
    { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 5, activation: 'tanh' }, { type: 'layer-norm' }] },
    { type: 'dense', units: 2, activation: 'softmax' },
  ],
};

/** A network of `options` after a short traced run, its trace, and its gradients over x. */
async function traced(options: NetworkOptions) {
  const net = await createNetwork(options);
  net.train(x, y, { epochs: 2, batchSize: 8, learningRate: 0.3, trace: { every: 1 } });
  return { net, trace: net.trace!, gradients: net.gradients(x, y) };
}

describe('biasNormsPerRow', () => {
  it("gives a dense network's layers' ‖∂C/∂b‖ in order", async () => {
    const { net, trace, gradients } = await traced(DENSE);
    expect(biasNormsPerRow(trace, gradients)).toEqual(gradients.layers.map((layer) => layer.biasNorm));
    net.dispose();
  });

  it("gives a block network's rows the norm of their module's bias (a norm's β), NaN for an activation or a residual row", async () => {
    const { net, trace, gradients } = await traced(BLOCKS);
    const norms = biasNormsPerRow(trace, gradients);
    expect(norms).toHaveLength(trace.layers);
    const names = trace.blocks!.layers.map(({ name, type }) => [name, type]);
    expect(names.filter(([, type]) => type === 'activation' || type === 'residual')).not.toEqual([]);
    names.forEach(([name, type], l) => {
      if (type === 'activation' || type === 'residual') expect(norms[l]).toBeNaN();
      else expect(norms[l] / Math.hypot(...gradients.parameters[`${name}.bias`])).toBeCloseTo(1, 12);
    });
    net.dispose();
  });

  it('refuses anything but a Trace, and gradients that are not of the traced network', async () => {
    const dense = await traced(DENSE);
    const blocks = await traced(BLOCKS);
    const wider = await traced({ ...DENSE, sizes: [2, 6, 4, 2] });
    await expectError(() => biasNormsPerRow(null as never, dense.gradients), 'INVALID_OPTION', /^biasNormsPerRow\(trace\): expected a Trace .*got null$/);
    await expectError(() => biasNormsPerRow(dense.trace.toJSON() as never, dense.gradients), 'INVALID_OPTION', /^biasNormsPerRow\(trace\): expected a Trace/);
    for (const wrong of [null, 5, [], {}, { layers: [], parameters: [] }]) {
      await expectError(() => biasNormsPerRow(dense.trace, wrong as never), 'INVALID_OPTION', /^biasNormsPerRow\(gradients\): expected net\.gradients\(x, y\)'s result, \{ layers, parameters \}, got /);
    }
    await expectError(() => biasNormsPerRow(dense.trace, blocks.gradients), 'INVALID_OPTION', /^biasNormsPerRow\(gradients\): expected the gradients of the traced network, whose weight layers have \[5,4,2\] units, got layers of \[5,5,2\]$/); // the block network's dense layers
    await expectError(() => biasNormsPerRow(dense.trace, wider.gradients), 'INVALID_OPTION', /got layers of \[6,4,2\]$/);
    // A sparse layers array (review48b #8): map kept the hole and some() skipped it, so it passed and the result held a hole;
    // then it was refused as 'got layers of [5,undefined,2]', which named nothing the caller wrote. The hole is said as one.
    const sparse = { ...dense.gradients, layers: [...dense.gradients.layers] };
    delete (sparse.layers as unknown[])[1];
    await expectError(() => biasNormsPerRow(dense.trace, sparse), 'INVALID_OPTION', /^biasNormsPerRow\(gradients\)\.layers\[1\]: missing \(a hole in the array\), not a layer's \{ units, biasNorm \}$/);
    // An explicit undefined is a value the caller wrote, and a layer without units: the units check says it.
    const holeless = { ...dense.gradients, layers: [dense.gradients.layers[0], undefined, dense.gradients.layers[2]] };
    await expectError(() => biasNormsPerRow(dense.trace, holeless as never), 'INVALID_OPTION', /got layers of \[5,undefined,2\]$/);
    await expectError(() => biasNormsPerRow(dense.trace, undefined as never), 'INVALID_OPTION', /^biasNormsPerRow\(gradients\): expected net\.gradients\(x, y\)'s result, \{ layers, parameters \}, got none$/);
    const broken = { ...dense.gradients, layers: dense.gradients.layers.map((layer, l) => (l === 1 ? { ...layer, biasNorm: NaN } : layer)) };
    await expectError(() => biasNormsPerRow(dense.trace, broken), 'INVALID_OPTION', /^biasNormsPerRow\(gradients\)\.layers\[1\]\.biasNorm: expected a finite ‖∂C\/∂b‖ ≥ 0, got NaN$/);
    // The dense network's second layer is '2' (PyTorch's Linear, activation, Linear, …), 4 units: the batch norm's name here.
    const bn = "biasNormsPerRow\\(gradients\\)\\.parameters\\['2\\.bias'\\]: expected the traced network's gradient of layers\\[1\\] \\('2', batch-norm\\)'s 5 biases";
    await expectError(() => biasNormsPerRow(blocks.trace, dense.gradients), 'INVALID_OPTION', new RegExp(`^${bn}, got 4 entries$`));
    const { '2.bias': _, ...without } = blocks.gradients.parameters;
    await expectError(() => biasNormsPerRow(blocks.trace, { ...blocks.gradients, parameters: without }), 'INVALID_OPTION', new RegExp(`^${bn}, got none among its parameters$`));
    const infinite = { ...blocks.gradients, parameters: { ...blocks.gradients.parameters, '2.bias': Float64Array.of(1, 2, Infinity, 0, 0) } };
    await expectError(() => biasNormsPerRow(blocks.trace, infinite), 'INVALID_OPTION', /^biasNormsPerRow\(gradients\)\.parameters\['2\.bias'\]: expected a finite ‖∂C\/∂b‖ ≥ 0, got Infinity$/);
    for (const held of [dense, blocks, wider]) held.net.dispose();
  });
});
