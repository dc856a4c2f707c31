// tfjs layers export of block networks: what a Sequential can express (Dense, BatchNormalization
// with the running statistics, LayerNormalization, Activation and LeakyReLU layers) loads in
// @tensorflow/tfjs and predicts the eval-mode forward of the float64 reference within 1e-5; the
// same files read back to the very tensors; a residual block is refused naming it; damaged and
// mismatched files are refused with BAD_MODEL_FILE naming the layer, weight or field.
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { GradscopeError } from '../../src/errors.js';
import { Rng } from '../../src/init/rng.js';
import type { BlockModelData } from '../../src/layers/block-model.js';
import { blockModelFromTfjsLayers } from '../../src/io/tfjs-block-reader.js';
import { fromTfjsLayers, toTfjsLayers } from '../../src/io/tfjs-layers.js';
import { blockModelOf, EXAMPLE_SPECS, evalForward, randomBlockModel, SEQUENTIAL_SPECS } from '../util/block-model.js';
import { expectClose } from '../util/close.js';
import { expectError } from '../util/expect-error.js';

const sequentialModel = () => blockModelOf(SEQUENTIAL_SPECS, 4, 'cross-entropy', 9);

const hasResidual = (model: BlockModelData) => model.layers.some((spec) => spec.type === 'residual');

/** Random block networks a Sequential can express. */
function sequentialRandomModels(count: number, rng: Rng): BlockModelData[] {
  const models: BlockModelData[] = [];
  while (models.length < count) {
    const model = randomBlockModel(rng, { maxLayers: 6, maxWidth: 6, minBatch: 1, maxBatch: 1 });
    if (!hasResidual(model)) models.push(model);
  }
  return models;
}

async function expectTfjsPredicts(model: BlockModelData, rng: Rng, label: string): Promise<void> {
  const { modelJson, weightData } = toTfjsLayers(model);
  const loaded = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData: weightData.slice().buffer }),
  );
  const batch = 5;
  const x = Float32Array.from({ length: batch * model.inputs }, () => 2 * rng.normal());
  const output = loaded.predict(tf.tensor2d(x, [batch, model.inputs])) as tf.Tensor;
  expectClose(output.dataSync(), evalForward(model, x, batch), { abs: 1e-5, rel: 1e-5 }, label);
  loaded.dispose();
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('tfjs layers export of block networks', () => {
  it('loads in tfjs and predicts the eval-mode forward within 1e-5 (every Sequential layer)', async () => {
    const model = sequentialModel();
    const classes = (toTfjsLayers(model).modelJson.modelTopology.config.layers as { class_name: string }[]).map((l) => l.class_name);
    expect(classes).toEqual(['Dense', 'BatchNormalization', 'LayerNormalization', 'Activation', 'Dense', 'LeakyReLU', 'LeakyReLU', 'Dense', 'Activation', 'Dense']);
    await expectTfjsPredicts(model, new Rng(1), 'every Sequential layer');
  });

  it('does so for 15 random block networks without residual blocks', async () => {
    const rng = new Rng(50);
    for (const [i, model] of sequentialRandomModels(15, rng).entries()) await expectTfjsPredicts(model, rng, `random network ${i}`);
  });

  it('refuses a residual block with INVALID_OPTION naming it', async () => {
    await expectError(() => toTfjsLayers(blockModelOf(EXAMPLE_SPECS, 4, 'cross-entropy')), 'INVALID_OPTION', /^layers\[2\]: a residual block cannot be written as a tfjs Sequential/);
  });
});

describe('a block network with a dense layer without a bias, through tfjs layers', () => {
  const model = () => blockModelOf([{ type: 'dense', units: 5, bias: false }, { type: 'batch-norm' }, { type: 'activation', activation: 'relu' }, { type: 'dense', units: 3, activation: 'softmax' }], 4, 'cross-entropy', 12);

  it("writes Keras' Dense(use_bias=False), its kernel alone, which tfjs loads and runs as gradscope does, and reads it back", async () => {
    const { modelJson, weightData } = toTfjsLayers(model());
    const dense = (modelJson.modelTopology.config.layers as { class_name: string; config: { use_bias?: boolean } }[]).filter((l) => l.class_name === 'Dense');
    expect(dense.map((l) => l.config.use_bias)).toEqual([false, true]);
    expect(modelJson.weightsManifest[0].weights.map((w) => w.name)).toEqual(['dense_1/kernel', 'batch_normalization_1/gamma', 'batch_normalization_1/beta', 'batch_normalization_1/moving_mean', 'batch_normalization_1/moving_variance', 'dense_2/kernel', 'dense_2/bias']);
    await expectTfjsPredicts(model(), new Rng(3), 'Dense(use_bias=False) → BatchNormalization → ReLU');
    expect(blockModelFromTfjsLayers(JSON.parse(JSON.stringify(modelJson)), weightData)).toEqual(model());
  });

  it('refuses a topology whose use_bias disagrees with the specs, naming the field', async () => {
    const { modelJson, weightData } = toTfjsLayers(model());
    const json = JSON.parse(JSON.stringify(modelJson));
    json.modelTopology.config.layers[0].config.use_bias = true;
    await expectError(() => blockModelFromTfjsLayers(json, weightData), 'BAD_MODEL_FILE', /^modelTopology\.config\.layers\[0\].*\.use_bias: the specs make false, got true/);
  });
});

describe('tfjs layers import of block networks', () => {
  it('reads back the very tensors written, counters included', () => {
    const model = sequentialModel();
    model.tensors.find((t) => t.dtype === 'i64')!.values[0] = 12;
    const { modelJson, weightData } = toTfjsLayers(model);
    expect(blockModelFromTfjsLayers(JSON.parse(JSON.stringify(modelJson)), weightData)).toEqual(model);
    for (const random of sequentialRandomModels(30, new Rng(51))) {
      const file = toTfjsLayers(random);
      expect(blockModelFromTfjsLayers(file.modelJson, file.weightData)).toEqual(random);
    }
  });

  it('refuses mismatched and damaged files, naming the layer, weight or field', async () => {
    const bad = async (edit: (json: any) => void, where: RegExp, cut = 0) => {
      const { modelJson, weightData } = toTfjsLayers(sequentialModel());
      const json = JSON.parse(JSON.stringify(modelJson));
      edit(json);
      await expectError(() => blockModelFromTfjsLayers(json, weightData.subarray(0, weightData.length - cut)), 'BAD_MODEL_FILE', where);
    };
    const layers = (json: any) => json.modelTopology.config.layers;
    await bad((j) => (layers(j)[4].config.units = 4), /^modelTopology\.config\.layers\[4\] \(dense_2\)\.config\.units: the specs make 5, got 4/);
    await bad((j) => (layers(j)[2].class_name = 'BatchNormalization'), /^modelTopology\.config\.layers\[2\] \(layer_normalization_1\): the specs in userDefinedMetadata\.gradscope\.layers make a LayerNormalization/);
    await bad((j) => (layers(j)[1].config.epsilon = 0.001), /^modelTopology\.config\.layers\[1\] \(batch_normalization_1\)\.config\.epsilon: the specs make 0\.00001, got 0\.001/);
    await bad((j) => layers(j).pop(), /^modelTopology\.config\.layers: 9 layers, but the specs .* make 10/);
    await bad((j) => (j.weightsManifest[0].weights[4].shape = [3, 2]), /^weights batch_normalization_1\/moving_mean: shape \[3, 2\] should be \[6\]/);
    await bad(() => {}, /^weights: the manifest describes \d{1,3}(,\d{3})* bytes but \d{1,3}(,\d{3})* were given/, 4);
    await bad((j) => delete j.userDefinedMetadata.gradscope.batchesTracked, /^userDefinedMetadata\.gradscope\.batchesTracked: no count for 1\.num_batches_tracked|^userDefinedMetadata\.gradscope\.batchesTracked: no count for 2\.num_batches_tracked/);
    await bad((j) => (j.userDefinedMetadata.gradscope.batchesTracked['2.num_batches_tracked'] = -1), /^userDefinedMetadata\.gradscope\.batchesTracked\.2\.num_batches_tracked\[0\]: -1 is not a count/);
    await bad((j) => (j.userDefinedMetadata.gradscope.layers[0].units = 'six'), /^userDefinedMetadata\.gradscope\.layers\[0\]\.units/);
    await bad((j) => (j.userDefinedMetadata.gradscope.layers[3] = { type: 'residual', layers: [{ type: 'batch-norm' }] }), /^userDefinedMetadata\.gradscope\.layers\[3\]: a residual block cannot be written as a tfjs Sequential/);
    // The input shape tfjs builds the model from: any was read (tfjs then built another network than gradscope read).
    const inputShape = /^modelTopology\.config\.layers\[0\] \(dense_1\)\.config\.batch_input_shape: the specs make \[null, 4\] \(userDefinedMetadata\.gradscope\.inputs\), got /;
    await bad((j) => (layers(j)[0].config.batch_input_shape = [null, 5]), new RegExp(`${inputShape.source}\\[null, 5\\]$`));
    await bad((j) => delete layers(j)[0].config.batch_input_shape, new RegExp(`${inputShape.source}undefined$`));
    await bad((j) => (layers(j)[0].config.batch_input_shape = [null, 4, 1]), /^modelTopology\.config\.layers\[0\] \(dense_1\)\.config\.batch_input_shape: expected \[null, features\], got \[null, 4, 1\]$/);
  });

  it("reads the input shape the specs make, as tfjs (batch_input_shape) or Keras 3 (batch_shape) writes it", () => {
    const model = sequentialModel();
    const { modelJson, weightData } = toTfjsLayers(model);
    const first = (modelJson.modelTopology.config.layers[0] as { config: Record<string, unknown> }).config;
    expect(first.batch_input_shape).toEqual([null, 4]);
    expect(blockModelFromTfjsLayers(modelJson, weightData)).toEqual(model);
    const keras3 = JSON.parse(JSON.stringify(modelJson));
    const config = keras3.modelTopology.config.layers[0].config;
    delete config.batch_input_shape;
    config.batch_shape = [null, 4];
    expect(blockModelFromTfjsLayers(keras3, weightData)).toEqual(model);
    // A malformed Keras 3 shape is named by its own key: the file has no batch_input_shape to look for.
    config.batch_shape = [null, 4, 1];
    expect(() => blockModelFromTfjsLayers(keras3, weightData)).toThrow(/^modelTopology\.config\.layers\[0\] \(dense_1\)\.config\.batch_shape: expected \[null, features\], got \[null, 4, 1\]$/);
  });

  it('gives a model or a BAD_MODEL_FILE, never another error, for any byte change of model.json or cut of the weights', () => {
    const { modelJson, weightData } = toTfjsLayers(sequentialModel());
    const text = new TextEncoder().encode(JSON.stringify(modelJson));
    fc.assert(
      fc.property(fc.nat(weightData.length), fc.array(fc.tuple(fc.nat(text.length - 1), fc.integer({ min: 0x20, max: 0x7e })), { maxLength: 3 }), (cut, changes) => {
        const json = text.slice();
        for (const [at, value] of changes) json[at] = value;
        try {
          const model = blockModelFromTfjsLayers(new TextDecoder().decode(json), weightData.subarray(0, cut));
          expect(model.tensors.every((t) => t.values.every(Number.isFinite))).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(GradscopeError);
          expect((error as GradscopeError).code).toBe('BAD_MODEL_FILE');
        }
      }),
      { numRuns: 300, seed: 10 },
    );
  });

  it('refuses a Keras model with BatchNormalization that tfjs itself saved: no specs to read it by', async () => {
    const keras = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2] }), tf.layers.batchNormalization(), tf.layers.activation({ activation: 'relu' })] });
    let saved: tf.io.ModelArtifacts | undefined;
    await keras.save(tf.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const modelJson = { format: 'layers-model', modelTopology: saved!.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: saved!.weightSpecs }] };
    const weightData = new Uint8Array(saved!.weightData as ArrayBuffer);
    await expectError(() => fromTfjsLayers(modelJson, weightData), 'BAD_MODEL_FILE', /layer class "BatchNormalization" is not supported/);
    // Read as a Sequential of Dense layers (no specs to read it by), and refused as the dense reader refuses it.
    await expectError(() => blockModelFromTfjsLayers(modelJson, weightData), 'BAD_MODEL_FILE', /layer class "BatchNormalization" is not supported/);
    keras.dispose();
  });

  it('sends a block file away from the dense reader; the block reader reads a dense file as its block network', async () => {
    const blocks = toTfjsLayers(sequentialModel());
    await expectError(() => fromTfjsLayers(blocks.modelJson, blocks.weightData), 'BAD_MODEL_FILE', /blockModelFromTfjsLayers/);
    const weights = Float32Array.of(1, 2, 3, 4, 5, 6);
    const dense = toTfjsLayers({ loss: 'mse', sizes: [2, 3], activations: ['tanh'], weights: [weights], biases: [Float32Array.of(7, 8, 9)] });
    const read = blockModelFromTfjsLayers(dense.modelJson, dense.weightData);
    expect([read.inputs, read.layers]).toEqual([2, [{ type: 'dense', units: 3, activation: 'tanh' }]]);
    expect(read.tensors.map((t) => [t.name, Array.from(t.values)])).toEqual([['0.weight', [1, 2, 3, 4, 5, 6]], ['0.bias', [7, 8, 9]]]);
  });
});
