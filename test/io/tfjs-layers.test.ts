// tfjs-layers: gradscope's export loads in @tensorflow/tfjs and predicts the same; a model built and
// saved by tfjs itself loads here and predicts the same; faults are BAD_MODEL_FILE naming the layer.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GradscopeError } from '../../src/errors.js';
import { blockModelOf, modelOf, networkFromModel } from '../../src/io/model-data.js';
import { fromTfjsLayers, toTfjsLayers } from '../../src/io/tfjs-layers.js';
import { blockModelFromTfjsLayers } from '../../src/io/tfjs-block-reader.js';
import { expectError } from '../util/expect-error.js';
import { readModelFile } from '../../src/node.js';
import type { BlockModelData } from '../../src/layers/block-model.js';
import { runCliInProcess } from '../util/cli.js';
import { createNetwork } from '../../src/api/network.js';
import { expectClose } from '../util/close.js';

const X = [
  [0.5, -1.2, 2, 0.1, -0.4],
  [-2, 0.3, 0.7, 1.1, 0],
  [1, 1, -1, -1, 0.25],
];

function tfPredict(model: tf.LayersModel, x: number[][]): number[] {
  return Array.from((model.predict(tf.tensor2d(x)) as tf.Tensor).dataSync());
}

/** model.json and its one shard, as tfjs' own save writes them. */
async function savedByTfjs(model: tf.LayersModel, includeOptimizer = false): Promise<{ modelJson: Record<string, unknown>; weightData: Uint8Array }> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer },
  );
  const data = saved!.weightData!;
  const weightData = new Uint8Array(Array.isArray(data) ? await new Blob(data).arrayBuffer() : data);
  const { modelTopology, weightSpecs, trainingConfig, format, generatedBy } = saved!;
  return { modelJson: { format, generatedBy, modelTopology, trainingConfig, weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }] }, weightData };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('tfjs-layers', () => {
  it('exports a model that tf.loadLayersModel reads and that predicts the same', async () => {
    const net = await createNetwork({
      inputs: 5,
      layers: [
        { units: 7, activation: 'leaky-relu' },
        { units: 6, activation: 'softsign' },
        { units: 4, activation: 'tanh' },
        { units: 3, activation: 'softmax' },
      ],
      backend: 'ref',
      biasInit: { name: 'normal', std: 0.5 },
    });
    const { modelJson, weightData } = toTfjsLayers(net);
    // Through JSON text, as model.json travels.
    const json = JSON.parse(JSON.stringify(modelJson));
    const weightSpecs = json.weightsManifest.flatMap((group: { weights: unknown[] }) => group.weights);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData: weightData.slice().buffer }));
    expect(loaded.layers.map((layer) => layer.getClassName())).toEqual(['Dense', 'LeakyReLU', 'Dense', 'Dense', 'Dense']);
    expectClose(tfPredict(loaded, X), net.predict(X).flatMap((r) => Array.from(r)), { abs: 1e-5, rel: 1e-5 }, 'tfjs vs predict');

    const { imported, ...back } = fromTfjsLayers(json, weightData);
    expect(back).toEqual(modelOf(net));
    expect(imported).toEqual({ lossFrom: 'userDefinedMetadata.gradscope.loss', notes: [] });
    loaded.dispose();
    net.dispose();
  });

  it('imports a Sequential built and saved by tfjs (Dense, LeakyReLU, Activation layers, compiled loss)', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 6, inputShape: [5], activation: 'relu', biasInitializer: 'randomNormal' }),
        tf.layers.dense({ units: 4, biasInitializer: 'randomNormal' }),
        tf.layers.leakyReLU({ alpha: 0.01 }),
        tf.layers.dense({ units: 3, useBias: false, name: 'unbiased' }),
        tf.layers.activation({ activation: 'sigmoid' }),
      ],
    });
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    const { modelJson, weightData } = await savedByTfjs(model, true);
    // The bias-free Dense makes a block network, which the reader of dense chains refuses before the weights, naming the call that reads it (bias53's 8).
    await expectError(() => fromTfjsLayers(JSON.stringify(modelJson), weightData), 'BAD_MODEL_FILE', /^modelTopology: Dense layer "unbiased" has no bias \(use_bias: false\): a dense layer without a bias makes a block network, .*; blockModelFromTfjsLayers\(modelJson, weightData\) reads it as one, as readModelFile does$/);
    const data = blockModelFromTfjsLayers(JSON.stringify(modelJson), weightData);
    expect(data.inputs).toBe(5);
    expect(data.layers).toEqual([
      { type: 'dense', units: 6, activation: 'relu' },
      { type: 'dense', units: 4, activation: 'leaky-relu' },
      { type: 'dense', units: 3, activation: 'sigmoid', bias: false },
    ]);
    expect(data.tensors.map((t) => t.name)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias', '4.weight']);
    expect(data.loss).toBe('binary-cross-entropy');
    expect(data.imported?.notes).toEqual([
      `Dense layer 'unbiased' (layers[2]) has no bias (use_bias: false): read as a dense layer without a bias, a block network, and written back to tfjs with use_bias: false`,
      // tfjs' Dense default, glorotNormal, is its truncated normal without Keras' 0.8796: no gradscope init (test/io/keras-initializers).
      expect.stringMatching(/^no initialisation recorded: Dense layer '\w+': VarianceScaling\(scale 1, mode fan_avg, distribution normal\): tfjs draws/),
    ]);
    const net = await networkFromModel(data, { backend: 'ref' });
    expect(net.kind).toBe('blocks');
    expectClose(net.predict(X).flatMap((r) => Array.from(r)), tfPredict(model, X), { abs: 1e-5, rel: 1e-5 }, 'gradscope vs tfjs');
    // Trained, the layer stays without a bias; written back to tfjs it is a Dense with use_bias: false, which tfjs loads and runs as gradscope does, and which reads back the very tensors.
    net.train(X, X.map((row) => [row[0] > 0 ? 1 : 0, 0.5, row[1] > 0 ? 1 : 0]), { epochs: 3, batchSize: 2, learningRate: 0.1 });
    const trained = blockModelOf(net);
    expect(trained.tensors.map((t) => t.name)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias', '4.weight']);
    const back = toTfjsLayers(net);
    const written = JSON.parse(JSON.stringify(back.modelJson));
    const dense = written.modelTopology.config.layers.filter((l: { class_name: string }) => l.class_name === 'Dense');
    expect(dense.map((l: { config: { use_bias: boolean } }) => l.config.use_bias)).toEqual([true, true, false]);
    const weightSpecs = written.weightsManifest.flatMap((group: { weights: unknown[] }) => group.weights);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: written.modelTopology, weightSpecs, weightData: back.weightData.slice().buffer }));
    expectClose(tfPredict(loaded, X), net.predict(X).flatMap((r) => Array.from(r)), { abs: 1e-5, rel: 1e-5 }, 'tfjs of the written file vs predict');
    expect(blockModelFromTfjsLayers(written, back.weightData)).toEqual(trained);
    loaded.dispose();
    net.dispose();
    model.dispose();
  });

  it('readModelFile and gradscope convert read a Dense without a bias as that layer, and what convert writes reads back the same', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], useBias: false, activation: 'tanh' }), tf.layers.dense({ units: 1 })] });
    const { modelJson, weightData } = await savedByTfjs(model);
    model.dispose();
    const dir = mkdtempSync(join(tmpdir(), 'gradscope-tfjs-unbiased-'));
    writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
    writeFileSync(join(dir, 'weights.bin'), weightData);
    const read = (await readModelFile(dir)) as BlockModelData;
    expect(read.layers).toEqual([{ type: 'dense', units: 3, activation: 'tanh', bias: false }, { type: 'dense', units: 1, activation: 'linear' }]);
    for (const out of [join(dir, 'out.safetensors'), join(dir, 'out.json'), join(dir, 'out') + sep]) {
      const run = await runCliInProcess(['convert', dir, out]);
      expect(run.code, run.stderr).toBe(0);
      const back = await readModelFile(out);
      expect('kind' in back && back.kind, out).toBe('blocks');
      expect((back as BlockModelData).tensors.map((t) => [t.name, Array.from(t.values)]), out).toEqual(read.tensors.map((t) => [t.name, Array.from(t.values)]));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('blockModelFromTfjsLayers reads a dense chain with every bias as the same network in block form, its notes kept', async () => {
    const net = await createNetwork({ sizes: [5, 4, 3], activation: 'tanh', output: 'sigmoid', loss: 'mse', seed: 3, backend: 'ref' });
    const { modelJson, weightData } = toTfjsLayers(net);
    const blocks = blockModelFromTfjsLayers(modelJson, weightData);
    expect(blocks.layers).toEqual([{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'dense', units: 3, activation: 'sigmoid' }]);
    // Dense layers that all have a bias: the dense engine's network again (networkFromModel).
    const again = await networkFromModel(blocks, { backend: 'ref' });
    expect(again.predict(X)).toEqual(net.predict(X));
    expect(blocks.imported).toEqual({ lossFrom: 'userDefinedMetadata.gradscope.loss', notes: [] });
    again.dispose();
    net.dispose();
  });

  it('reads a Keras-converter model.json (model_config wrapper, InputLayer, scoped weight names)', () => {
    const modelJson = {
      format: 'layers-model',
      modelTopology: {
        model_config: {
          class_name: 'Sequential',
          config: {
            name: 'sequential',
            layers: [
              { class_name: 'InputLayer', config: { name: 'in', batch_shape: [null, 2] } },
              { class_name: 'Dense', config: { name: 'hidden', units: 2, activation: 'relu' } },
              { class_name: 'Dense', config: { name: 'out', units: 1, activation: 'linear' } },
            ],
          },
        },
      },
      weightsManifest: [
        { paths: ['group1-shard1of2.bin'], weights: [{ name: 'sequential/hidden/kernel', shape: [2, 2], dtype: 'float32' }, { name: 'sequential/hidden/bias', shape: [2], dtype: 'float32' }] },
        { paths: ['group1-shard2of2.bin'], weights: [{ name: 'sequential/out/kernel', shape: [2, 1], dtype: 'float32' }, { name: 'sequential/out/bias', shape: [1], dtype: 'float32' }] },
      ],
    };
    // kernel [in][out]: hidden unit 0 reads (1, 3), unit 1 reads (2, -4).
    const weightData = new Uint8Array(Float32Array.from([1, 2, 3, -4, 0.5, -0.5, 2, -1, 0.25]).buffer);
    const model = fromTfjsLayers(modelJson, weightData);
    expect(model).toMatchObject({ sizes: [2, 2, 1], activations: ['relu', 'linear'], loss: 'mse' });
    expect(Array.from(model.weights[0])).toEqual([1, 3, 2, -4]);
    expect(Array.from(model.weights[1])).toEqual([2, -1]);
    expect(Array.from(model.biases[1])).toEqual([0.25]);
  });

  it('refuses what it cannot represent, naming the layer or weight', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], activation: 'relu' }), tf.layers.dense({ units: 2 })] });
    const { modelJson, weightData } = await savedByTfjs(model);
    model.dispose();
    const edited = (edit: (json: any) => void) => {
      const json = structuredClone(modelJson);
      edit(json);
      return json;
    };
    const layers = (json: any) => json.modelTopology.config.layers;
    const cases: [unknown, Uint8Array, RegExp][] = [
      // Where the bytes end, as a weight, only if they were cut or added at the end: the count cannot tell where (io34: it named
      // none; then it blamed the last bias as "cut short" for bytes lost anywhere, even for 4 taken from the front).
      [modelJson, weightData.subarray(0, 64), /^weights: the manifest describes 68 bytes but 64 were given: the bytes end at 64, inside dense_Dense\d+\/bias \(bytes 60 to 68\), if they were cut at the end$/],
      [modelJson, weightData.subarray(0, 60), /^weights: the manifest describes 68 bytes but 60 were given: the bytes end at 60, where dense_Dense\d+\/bias \(bytes 60 to 68\) begins, if they were cut at the end$/],
      [modelJson, Uint8Array.from([...weightData, 0, 0, 0, 0]), /^weights: the manifest describes 68 bytes but 72 were given: 4 bytes follow the last weight, dense_Dense\d+\/bias \(bytes 60 to 68\), if they were added at the end$/],
      [edited((j) => (layers(j)[1].config.activation = 'elu')), weightData, /^modelTopology\.config\.layers\[1\] \(dense_Dense\d+\)\.config\.activation: "elu" is not one of/],
      [edited((j) => layers(j).push({ class_name: 'BatchNormalization', config: { name: 'bn' } })), weightData, /^modelTopology\.config\.layers\[2\] \(bn\): layer class "BatchNormalization" is not supported/],
      [edited((j) => layers(j).push({ class_name: 'LeakyReLU', config: { name: 'lr', alpha: 0.3 } })), weightData, /\(lr\)\.config\.alpha: gradscope's leaky-relu has slope 0.01, got 0.3/],
      [edited((j) => delete layers(j)[0].config.batch_input_shape), weightData, /declares no input shape/],
      [edited((j) => (j.weightsManifest[0].weights[2].shape = [2, 3])), weightData, /weights dense_Dense\d+\/kernel: shape \[2, 3\] should be \[3, 2\]/],
      [edited((j) => (j.weightsManifest[0].weights[0].dtype = 'int32')), weightData, /weights dense_Dense\d+\/kernel: dtype int32 should be float32/],
      [edited((j) => (j.weightsManifest[0].weights[0].dtype = 'string')), weightData, /weight 0 \(dense_Dense\d+\/kernel\): dtype "string" is not supported/],
      ['{"modelTopology": ', weightData, /model.json: not valid JSON/],
    ];
    // The first 4 bytes gone shift every weight: no weight is blamed as the fault, the end is placed only conditionally.
    const shifted = (() => {
      try {
        fromTfjsLayers(modelJson, weightData.subarray(4));
      } catch (error) {
        return error;
      }
    })();
    expect(shifted).toBeInstanceOf(GradscopeError);
    expect((shifted as GradscopeError).message).toMatch(/^weights: the manifest describes 68 bytes but 64 were given: the bytes end at 64, .*, if they were cut at the end$/);
    expect((shifted as GradscopeError).message).not.toMatch(/\bis (cut short|missing)\b/);
    for (const [json, bytes, pattern] of cases) {
      let thrown: unknown;
      try {
        fromTfjsLayers(json, bytes);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, String(pattern)).toBeInstanceOf(GradscopeError);
      expect((thrown as GradscopeError).code).toBe('BAD_MODEL_FILE');
      expect((thrown as GradscopeError).message).toMatch(pattern);
    }
  });
});
