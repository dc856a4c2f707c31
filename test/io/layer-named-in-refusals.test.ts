// Every model format names a layer its refusal is about in one form, `layers[i]` (0-based, the
// path a reader follows in the file), after the list that holds it where that is not at the top,
// with the file's own name for it where it has one. The binary header, safetensors metadata and
// tfjs said 'layer 1', which a reader counting as gradscope's tables do (hidden 1 is the first
// layer) takes for the first; tfjs counted its Dense layers where the file lists every layer.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { loadModel } from '../../src/io/files.js';
import { checkpointBytes } from '../../src/io/checkpoint.js';
import { modelOf } from '../../src/io/model-data.js';
import { fromSafetensors } from '../../src/io/safetensors.js';
import { encodeSafetensors } from '../../src/io/safetensors-format.js';
import { fromTfjsLayers, toTfjsLayers } from '../../src/io/tfjs-layers.js';
import { fileLayer } from '../../src/layer-names.js';
import type { ModelData } from '../../src/network/model-file.js';
import { expectError } from '../util/expect-error.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-layer-named-'));
const HIDDEN = 'softmax is only allowed on the output layer';
const ONE_UNIT = 'a softmax output of 1 unit is always 1';
/** `where: what`, the whole message, and no 'layer N' in it. */
async function refusedAt(call: () => unknown, where: string, what: string): Promise<void> {
  const error = await expectError(call, 'BAD_MODEL_FILE', new RegExp(`${where.replace(/[.[\]()]/g, '\\$&')}: ${what}`));
  expect(error.message).not.toMatch(/\blayer \d/);
}

describe('a layer named in a model file refusal', async () => {
  const net = await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', loss: 'cross-entropy', backend: 'ref', seed: 1 });
  const model = modelOf(net);
  const hiddenSoftmax: ModelData = { ...model, activations: ['softmax', 'softmax'] };
  const oneUnit: ModelData = { ...model, sizes: [3, 4, 1], weights: [model.weights[0], model.weights[1].subarray(0, 4)], biases: [model.biases[0], model.biases[1].subarray(0, 1)] };

  it('is layers[i] from fileLayer, the file\'s own name after it', () => {
    expect([fileLayer(1), fileLayer(2, 'header.'), fileLayer(3, 'modelTopology.config.', 'dense_2')]).toEqual(['layers[1]', 'header.layers[2]', 'modelTopology.config.layers[3] (dense_2)']);
  });

  it('gradscope binary: the header names it as the payload does (layers[1].weights)', async () => {
    const path = join(folder, 'hidden.bin');
    writeFileSync(path, checkpointBytes({ model: hiddenSoftmax, step: 0, rng: net.rng.getState() }));
    await refusedAt(() => loadModel(path, { backend: 'ref' }), `${path}: header: layers[0]`, HIDDEN);
    writeFileSync(path, checkpointBytes({ model: oneUnit, step: 0, rng: net.rng.getState() }));
    await refusedAt(() => loadModel(path, { backend: 'ref' }), `${path}: header: layers[1]`, ONE_UNIT);
  });

  it('safetensors: by index, with its weight tensor\'s name', async () => {
    const tensors = (m: ModelData) => m.weights.flatMap((w, l) => [
      { name: `${2 * l}.weight`, dtype: 'F32' as const, shape: [m.sizes[l + 1], m.sizes[l]], values: w },
      { name: `${2 * l}.bias`, dtype: 'F32' as const, shape: [m.sizes[l + 1]], values: m.biases[l] },
    ]);
    const metadata = (m: ModelData) => ({ format: 'gradscope.model', version: '1', loss: 'cross-entropy', activations: m.activations.join(',') });
    await refusedAt(() => fromSafetensors(encodeSafetensors(metadata(hiddenSoftmax), tensors(hiddenSoftmax))), 'safetensors __metadata__: layers[0] (0.weight)', HIDDEN);
    await refusedAt(() => fromSafetensors(encodeSafetensors(metadata(oneUnit), tensors(oneUnit))), 'safetensors __metadata__: layers[1] (2.weight)', ONE_UNIT);
  });

  it('tfjs: by its index in modelTopology.config.layers, which counts every layer (a Dropout first here), and its name', async () => {
    const withDropout = (m: ModelData, change: (layers: { config: Record<string, unknown> }[]) => void) => {
      const { modelJson, weightData } = toTfjsLayers(m);
      const json = structuredClone(modelJson) as unknown as { modelTopology: { config: { layers: { class_name?: string; config: Record<string, unknown> }[] } } };
      const layers = json.modelTopology.config.layers;
      layers.unshift({ class_name: 'Dropout', config: { name: 'dropout_1', rate: 0.5 } });
      change(layers);
      return () => fromTfjsLayers(json, weightData);
    };
    const names = (toTfjsLayers(model).modelJson as unknown as { modelTopology: { config: { layers: { config: { name: string } }[] } } }).modelTopology.config.layers.map((layer) => layer.config.name);
    await refusedAt(withDropout(model, (layers) => (layers[1].config.activation = 'softmax')), `modelTopology.config.layers[1] (${names[0]})`, HIDDEN);
    await refusedAt(withDropout(model, (layers) => (layers[2].config.units = 1)), `modelTopology.config.layers[2] (${names[1]})`, ONE_UNIT);
    await refusedAt(withDropout(model, (layers) => (layers[2].config.activation = 'bogus')), `modelTopology.config.layers[2] (${names[1]}).config.activation`, '"bogus" is not one of');
  });

  it("tfjs as Keras' converter wraps it (model_config) or Keras 2 lists it (config is the list): by the path the file has", async () => {
    type Topology = { class_name: string; config: { layers: { config: Record<string, unknown> }[] } };
    const reshaped = (reshape: (topology: Topology) => unknown) => {
      const { modelJson, weightData } = toTfjsLayers(model);
      const json = structuredClone(modelJson) as unknown as { modelTopology: unknown };
      json.modelTopology = reshape(json.modelTopology as Topology);
      return () => fromTfjsLayers(json, weightData);
    };
    const names = (toTfjsLayers(model).modelJson as unknown as { modelTopology: Topology }).modelTopology.config.layers.map((layer) => layer.config.name);
    const converted = (topology: Topology) => ({ keras_version: '2.15.0', backend: 'tensorflow', model_config: topology });
    const hidden = (topology: Topology) => ((topology.config.layers[0].config.activation = 'softmax'), topology);
    const oneUnitOutput = (topology: Topology) => ((topology.config.layers[1].config.units = 1), topology);
    await refusedAt(reshaped((t) => converted(hidden(t))), `modelTopology.model_config.config.layers[0] (${String(names[0])})`, HIDDEN);
    await refusedAt(reshaped((t) => ({ ...t, config: oneUnitOutput(t).config.layers })), `modelTopology.config[1] (${String(names[1])})`, ONE_UNIT);
    await refusedAt(reshaped((t) => converted({ ...t, class_name: 'Functional' })), 'modelTopology.model_config.class_name', 'only Sequential models are supported');
    // No class at all: missing, not 'got undefined' (edges47 #19).
    await refusedAt(reshaped((t) => ({ config: t.config })), 'modelTopology.class_name', 'missing; only Sequential models are supported \\(class_name "Sequential"\\)$');
  });

  // A size out of range is named where the file holds it, in the forms above: 'layer sizes[1]' (checkSizes')
  // mixed a layer and the sizes list, which only the binary header has.
  it('a size out of range: header.sizes[i], or the layer and field it was read from', async () => {
    const UNITS = 'expected a whole number of units from 1 to';
    const path = join(folder, 'zero-units.bin');
    writeFileSync(path, checkpointBytes({ model: { ...model, sizes: [3, 0, 2] }, step: 0, rng: net.rng.getState() }));
    await refusedAt(() => loadModel(path, { backend: 'ref' }), `${path}: header.sizes[1]`, `${UNITS} .*, got 0$`);
    const metadata = { format: 'gradscope.model', version: '1', loss: 'cross-entropy', activations: 'tanh,softmax' };
    const weights = (first: number[], second: number[]) => [
      { name: '0.weight', dtype: 'F32' as const, shape: first, values: new Float32Array(first[0] * first[1]) },
      { name: '2.weight', dtype: 'F32' as const, shape: second, values: new Float32Array(second[0] * second[1]) },
    ];
    await refusedAt(() => fromSafetensors(encodeSafetensors(metadata, weights([4, 3], [0, 4]))), 'safetensors: layers[1] (2.weight): units', `${UNITS} .*, got 0$`);
    await refusedAt(() => fromSafetensors(encodeSafetensors(metadata, weights([4, 0], [2, 4]))), 'safetensors: layers[0] (0.weight): inputs', `${UNITS} .*, got 0$`);
    const { modelJson, weightData } = toTfjsLayers(model);
    const layersOf = (json: unknown) => (json as { modelTopology: { config: { layers: { config: Record<string, unknown> }[] } } }).modelTopology.config.layers;
    const [noUnits, noInputs] = [structuredClone(modelJson), structuredClone(modelJson)];
    layersOf(noUnits)[1].config.units = 0;
    layersOf(noInputs)[0].config.batch_input_shape = [null, 0];
    const names = layersOf(modelJson).map((layer) => layer.config.name as string);
    await refusedAt(() => fromTfjsLayers(noUnits, weightData), `modelTopology.config.layers[1] (${names[1]}).config.units`, `${UNITS} .*, got 0$`);
    await refusedAt(() => fromTfjsLayers(noInputs, weightData), `modelTopology.config.layers[0] (${names[0]}): inputs`, `${UNITS} .*, got 0$`);
  });

  it('gradscope JSON: as it was, layers[i] and its field', async () => {
    const path = join(folder, 'hidden.json');
    const file = net.toJSON() as { layers: { activation: string }[] };
    file.layers[0].activation = 'softmax';
    writeFileSync(path, JSON.stringify(file));
    await refusedAt(() => loadModel(path, { backend: 'ref' }), `${path}: layers[0].activation`, HIDDEN);
  });
});
