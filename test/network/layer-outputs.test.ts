// Network.layerOutputs() on every backend, of dense and block networks: layer l's outputs are what a
// network made of the first l + 1 layers predicts (predict() as the oracle of each layer) and what
// the float64 reference gives within float32 rounding, in the backend's precision, over more rows
// than one inference chunk; `into` is overwritten in place; bad input is refused whole.
import { describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import { checkLayerOutputsSize, type LayerOutputs } from '../../src/api/layer-outputs.js';
import { checkPredictSize, PREDICT_LIMITS } from '../../src/api/predictions.js';
import { Rng } from '../../src/init/rng.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { MODEL } from '../../src/model.js';
import type { BlockEngine } from '../../src/network/block-engine.js';
import type { ModelFile } from '../../src/network/model-file.js';
import { backendsUnderTest, kernelBackends } from '../util/backends.js';
import { relativeError } from '../util/close.js';
import { expectError } from '../util/expect-error.js';
import { randomCase } from '../util/random-network.js';
import { grouped } from '../../src/counted.js';

const NETWORKS = 40;
/** More than the engine's inference chunk (256 rows), so rows from two chunks land in their place. */
const MANY_ROWS = 600;

describe.each(await kernelBackends())('layerOutputs on $name', ({ kernels }) => {
  it(`gives each layer what the network cut after it predicts, on ${NETWORKS} random networks`, async () => {
    const rng = new Rng(11);
    let worst = 0;
    for (let n = 0; n < NETWORKS; n++) {
      const c = randomCase(rng, { maxDepth: 6, maxWidth: 24, maxBatch: 40 });
      const net = await createNetwork({ ...c.options, backend: kernels });
      const got = net.layerOutputs(c.x);
      expect(got.rows).toBe(c.x.length);
      expect(got.layers.map((l) => l.units)).toEqual(net.sizes.slice(1));
      const model = net.toJSON() as ModelFile;
      for (let l = 0; l < net.depth; l++) {
        const layer = got.layers[l];
        expect(layer.values).toBeInstanceOf(kernels.precision === 'f64' ? Float64Array : Float32Array);
        const want = (await cutAfter(model, l, kernels)).predict(c.x);
        const error = relativeError(layer.values, want.flatMap((row) => Array.from(row)));
        worst = Math.max(worst, error);
        expect(error, `network ${n}, layer ${l}`).toBeLessThanOrEqual(1e-6);
      }
      // And the float64 oracle, built from the same seed, agrees within float32's rounding.
      const oracle = await createNetwork({ ...c.options, backend: (await kernelBackends())[0].kernels });
      oracle.layerOutputs(c.x).layers.forEach((layer, l) => {
        expect(relativeError(got.layers[l].values, layer.values), `network ${n}, layer ${l} against float64`).toBeLessThanOrEqual(1e-4);
      });
      oracle.dispose();
      // The last layer is predict()'s output, bit for bit.
      expect(Array.from(got.layers[net.depth - 1].values)).toEqual(net.predict(c.x).flatMap((row) => Array.from(row)));
      net.dispose();
    }
    console.log(`largest ‖Δ‖/‖a‖ against the cut networks: ${worst.toExponential(2)}`);
  });

  it(`puts each of ${MANY_ROWS} rows in its place, row-major`, async () => {
    const net = await createNetwork({ inputs: 3, layers: [{ units: 5, activation: 'tanh' }, { units: 2, activation: 'linear' }], loss: 'mse', seed: 4, backend: kernels });
    const rng = new Rng(5);
    const x = Array.from({ length: MANY_ROWS }, () => [rng.normal(), rng.normal(), rng.normal()]);
    const all = net.layerOutputs({ data: x.flat(), rows: MANY_ROWS, cols: 3 });
    for (const r of [0, 255, 256, 511, MANY_ROWS - 1]) {
      const one = net.layerOutputs([x[r]]);
      for (const [l, layer] of all.layers.entries()) {
        expect(Array.from(layer.values.subarray(r * layer.units, (r + 1) * layer.units)), `row ${r}, layer ${l}`).toEqual(Array.from(one.layers[l].values));
      }
    }
    net.dispose();
  });
});

describe.each(await kernelBackends())('layerOutputs of a block network on $name', ({ kernels }) => {
  it("gives each layer spec's output: what the network cut after it predicts, trained, in eval mode", async () => {
    const net = await createNetwork({ inputs: 4, layers: BLOCK_SPECS, loss: 'cross-entropy', seed: 6, backend: kernels });
    const rng = new Rng(8);
    const x = Array.from({ length: 40 }, () => Array.from({ length: 4 }, () => rng.normal()));
    const y = x.map((row) => (row[0] > 0 ? [1, 0, 0] : row[1] > 0 ? [0, 1, 0] : [0, 0, 1]));
    // Trained, so batch norm's running statistics and ReZero's α are no longer their initial values.
    net.train(x, y, { epochs: 3, batchSize: 8, learningRate: 0.1 });
    const got = net.layerOutputs(x);
    expect(got.layers.map((l) => l.units)).toEqual([6, 6, 6, 6, 3]);
    for (let l = 0; l < BLOCK_SPECS.length; l++) {
      const cut = await createNetwork({ inputs: 4, layers: BLOCK_SPECS.slice(0, l + 1), loss: l === BLOCK_SPECS.length - 1 ? 'cross-entropy' : 'mse', seed: 6, backend: kernels });
      copyState(net, cut);
      const want = cut.predict(x).flatMap((row) => Array.from(row));
      expect(relativeError(got.layers[l].values, want), `layer ${l} (${BLOCK_SPECS[l].type})`).toBeLessThanOrEqual(1e-6);
      cut.dispose();
    }
    expect(Array.from(got.layers[BLOCK_SPECS.length - 1].values)).toEqual(net.predict(x).flatMap((row) => Array.from(row)));
    net.dispose();
  });
});

describe.each(await backendsUnderTest())('layerOutputs into a previous result on $name', ({ kernels }) => {
  it('overwrites the same arrays, which follow the network as it trains', async () => {
    const net = await xorNetwork(kernels);
    const first = net.layerOutputs(XOR.x);
    const arrays = first.layers.map((l) => l.values);
    const before = arrays.map((a) => Array.from(a));
    net.train(XOR.x, XOR.y, { epochs: 20, batchSize: 4, learningRate: 0.5 });
    const again = net.layerOutputs(XOR.x, { into: first });
    expect(again).toBe(first);
    again.layers.forEach((layer, l) => {
      expect(layer.values).toBe(arrays[l]);
      expect(Array.from(layer.values)).not.toEqual(before[l]);
    });
    expect(Array.from(again.layers.map((l) => Array.from(l.values)))).toEqual(net.layerOutputs(XOR.x).layers.map((l) => Array.from(l.values)));
    net.dispose();
  });

  it('refuses no rows, as predict and evaluate do (it gave empty arrays): test/api/no-rows', async () => {
    const net = await xorNetwork(kernels);
    expect(() => net.layerOutputs([])).toThrow(/^inputs: no rows: give layerOutputs at least one row$/);
    net.dispose();
  });
});

describe('layerOutputs refuses bad input, changing nothing', async () => {
  const [{ kernels }] = await backendsUnderTest();

  it('names what is wrong with the rows, the options or `into`', async () => {
    const net = await xorNetwork(kernels);
    const weights = JSON.stringify(net.toJSON());
    const into = net.layerOutputs(XOR.x);
    const kept = into.layers.map((l) => Array.from(l.values));
    await expectError(() => net.layerOutputs([[1, 2, 3]]), 'SHAPE_MISMATCH', /inputs: row 0 has 3 values/);
    await expectError(() => net.layerOutputs([[0, Number.NaN]]), 'NON_FINITE_INPUT', /inputs/);
    const linear = await Network.fromJSON({ ...net.toJSON(), layers: [{ inputs: 2, units: 1, activation: 'linear', weights: [[10, 10]], biases: [0] }] }, { backend: kernels });
    await expectError(() => linear.layerOutputs([[0, 0], [3e38, 3e38]]), 'NON_FINITE_INPUT', /inputs: row 1 overflows float32 in output \(unit/);
    linear.dispose();
    await expectError(() => net.layerOutputs(XOR.x, 'fast' as never), 'INVALID_OPTION', /^layerOutputs: expected an options object, got "fast"$/);
    await expectError(() => net.layerOutputs(XOR.x.slice(1), { into }), 'SHAPE_MISMATCH', /options\.into is not a result for 3 rows of 3, 1 units/);
    await expectError(() => net.layerOutputs(XOR.x, { into: { rows: 4 } as LayerOutputs }), 'SHAPE_MISMATCH', /options\.into is not a result/);
    const wrongWidth = { rows: 4, layers: [into.layers[0], { units: 2, values: new Float32Array(8) }] };
    await expectError(() => net.layerOutputs(XOR.x, { into: wrongWidth }), 'SHAPE_MISMATCH', /options\.into\.layers\[1\] does not hold 4 × 1 values/);
    const wrongPrecision = { rows: 4, layers: into.layers.map((l) => ({ units: l.units, values: new Float64Array(l.values.length) })) };
    await expectError(() => net.layerOutputs(XOR.x, { into: wrongPrecision }), 'SHAPE_MISMATCH', /in a Float32Array/);
    expect(into.layers.map((l) => Array.from(l.values))).toEqual(kept);
    expect(JSON.stringify(net.toJSON())).toBe(weights);
    net.dispose();
    await expectError(() => net.layerOutputs(XOR.x), 'DISPOSED', /disposed/);
  });
});

describe('layerOutputs refuses more values than PREDICT_LIMITS.maxValues, before reading the rows or allocating', () => {
  it('counts every layer (rows × the sum of the widths), not just the outputs as predict does', async () => {
    const net = await createNetwork({ sizes: [4, 8, 3], backend: 'ref' });
    const blocks = await createNetwork({ inputs: 4, layers: BLOCK_SPECS, backend: 'ref' });
    const units = 8 + 3; // the block network's layers give 6 + 6 + 6 + 6 + 3
    const rows = Math.floor(PREDICT_LIMITS.maxValues / units) + 1;
    expect(() => checkPredictSize(rows, 3, true), 'predict would return these rows').not.toThrow();
    // The data is never read: the size check comes first (it returned ~3 GiB of arrays or died trying).
    const huge = { data: { length: rows * 4 } as unknown as Float32Array, rows, cols: 4 };
    await expectError(
      () => net.layerOutputs(huge),
      'OUT_OF_MEMORY',
      new RegExp(`^layerOutputs: ${grouped(rows)} rows of 11 units over 2 layers are ${grouped(rows * units)} values, more than PREDICT_LIMITS\\.maxValues \\(268,435,456\\); call layerOutputs on slices of the rows; nothing was allocated$`),
    );
    await expectError(() => blocks.layerOutputs({ ...huge, rows: Math.floor(PREDICT_LIMITS.maxValues / 27) + 1 }), 'OUT_OF_MEMORY', / rows of 27 units over 5 layers are /);
    expect(() => checkLayerOutputsSize(PREDICT_LIMITS.maxValues / 2 ** 4, [8, 8]), 'exactly at the limit').not.toThrow();
    expect(() => checkLayerOutputsSize(PREDICT_LIMITS.maxValues / 2 ** 4 + 1, [8, 8])).toThrow(/more than PREDICT_LIMITS\.maxValues/);
    expect(net.layerOutputs(XOR.x.map((row) => [...row, ...row])).layers.map((l) => l.values.length)).toEqual([32, 12]);
    net.dispose();
    blocks.dispose();
  });
});

const BLOCK_SPECS: LayerSpec[] = [
  { type: 'dense', units: 6, activation: 'tanh' },
  { type: 'batch-norm' },
  { type: 'residual', gate: 'rezero', layers: [{ type: 'layer-norm' }, { type: 'dense', units: 6, activation: 'relu' }] },
  { type: 'activation', activation: 'selu' },
  { type: 'dense', units: 3, activation: 'softmax' },
];

/** Copies every parameter and state buffer of `from` that `to` has, by PyTorch name (`to` is a prefix of `from`). */
function copyState(from: Network, to: Network): void {
  const k = from.kernels;
  const tensors = (net: Network) => [...net.parameters(), ...(net.kind === 'blocks' ? (net[MODEL] as BlockEngine).buffers : [])];
  const source = new Map(tensors(from).map((t) => [t.name, t.value]));
  for (const t of tensors(to)) k.write(t.value, k.view(source.get(t.name)!).slice());
}

const XOR = { x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]] };

function xorNetwork(backend: Network['kernels']): Promise<Network> {
  return createNetwork({ inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'mse', seed: 3, backend });
}

/** The network of `model`'s first `last` + 1 layers, with layer `last`'s activation as its output. */
function cutAfter(model: ModelFile, last: number, backend: Network['kernels']): Promise<Network> {
  const layers = model.layers.slice(0, last + 1);
  return Network.fromJSON({ ...model, loss: layers[last].activation === 'softmax' ? 'cross-entropy' : 'mse', layers }, { backend });
}
