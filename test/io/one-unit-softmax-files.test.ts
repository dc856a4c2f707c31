/**
 * A model whose output is a softmax of 1 unit is refused as it is read, in every format: it is 1
 * whatever its input (loss 0, gradient 0: nothing trains, predict() says 1 of every row), so it
 * loaded and trained with every gradient 0 and no word, where createNetwork refuses that shape
 * since eac5f55. A Keras user makes it with Dense(1, activation='softmax'). The refusal is
 * BAD_MODEL_FILE, as every architecture a file holds and gradscope refuses (a hidden softmax, a loss
 * its output does not fit), naming the file (where read from one), the output layer, and what to
 * use instead in the model's words. Model data handed to an exporter is refused alike (INVALID_OPTION).
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import { loadModel } from '../../src/io/files.js';
import { checkpointOf, checkpointBytes } from '../../src/io/checkpoint.js';
import { denseAsBlockModel, modelOf, networkFromBlockModel, networkFromModel } from '../../src/io/model-data.js';
import { readModelFile } from '../../src/io/model-formats.js';
import { fromSafetensors, readSafetensors, toSafetensors } from '../../src/io/safetensors.js';
import { encodeSafetensors, parseSafetensors } from '../../src/io/safetensors-format.js';
import { tensorsToWrite } from '../../src/io/safetensors-blocks.js';
import { fromTfjsLayers, toTfjsLayers } from '../../src/io/tfjs-layers.js';
import { blockModelFromTfjsLayers } from '../../src/io/tfjs-block-reader.js';
import { blockModelToJSON } from '../../src/network/block-model-file.js';
import { modelToJSON, type ModelData } from '../../src/network/model-file.js';
import type { BlockModelData } from '../../src/layers/block-model.js';
import { runCliInProcess } from '../util/cli.js';
import { expectError } from '../util/expect-error.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-one-unit-softmax-'));
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The refusal at `where` (a file's path, then the layer), in the model's words. */
const alwaysOne = (where: string) =>
  new RegExp(
    `^${escaped(where)}: a softmax output of 1 unit is always 1 \\(loss 0, gradient 0: nothing trains\\); for one target use output activation 'sigmoid' with loss 'binary-cross-entropy', or give the output 2 units$`,
  );

/** [3, 4, 1], tanh then a softmax of 1 unit, cross-entropy: what a file of this shape holds. */
const oneUnit: ModelData = {
  loss: 'cross-entropy',
  sizes: [3, 4, 1],
  activations: ['tanh', 'softmax'],
  weights: [Float32Array.from({ length: 12 }, (_, i) => Math.sin(i) / 2), Float32Array.from([0.3, -0.2, 0.1, 0.4])],
  biases: [new Float32Array(4), new Float32Array(1)],
};
const oneUnitBlocks: BlockModelData = denseAsBlockModel(oneUnit);

function saved(name: string, contents: string | Uint8Array): string {
  const path = join(folder, name);
  writeFileSync(path, contents);
  return path;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('a softmax output of 1 unit', () => {
  it("gradscope's JSON model file, version 1 (dense) and 2 (blocks): loadModel, readModelFile and Network.fromJSON", async () => {
    const dense = JSON.stringify(modelToJSON(oneUnit));
    const path = saved('dense.json', dense);
    await expectError(() => loadModel(path, { backend: 'ref' }), 'BAD_MODEL_FILE', alwaysOne(`${path}: layers[1]`));
    await expectError(() => readModelFile(path), 'BAD_MODEL_FILE', alwaysOne(`${path}: layers[1]`));
    await expectError(() => Network.fromJSON(dense, { backend: 'ref' }), 'BAD_MODEL_FILE', alwaysOne('layers[1]'));
    // blockModelToJSON refuses the model itself: a file of two output units, its specs' output cut to one.
    const file = blockModelToJSON(denseAsBlockModel({ ...oneUnit, sizes: [3, 4, 2], weights: [oneUnit.weights[0], new Float32Array(8)], biases: [oneUnit.biases[0], new Float32Array(2)] }));
    (file.layers[1] as { units: number }).units = 1;
    const blocks = saved('blocks.json', JSON.stringify(file));
    await expectError(() => loadModel(blocks, { backend: 'ref' }), 'BAD_MODEL_FILE', alwaysOne(`${blocks}: model.layers[1]`));
  });

  it("gradscope's binary checkpoint, of a dense network and of a block network", async () => {
    const net = await createNetwork({ sizes: [3, 4, 2], backend: 'ref' });
    const { step, rng } = checkpointOf(net);
    net.dispose();
    const dense = saved('dense.bin', checkpointBytes({ model: oneUnit, step, rng }));
    await expectError(() => loadModel(dense, { backend: 'ref' }), 'BAD_MODEL_FILE', alwaysOne(`${dense}: header: layers[1]`));
    const blocks = saved('blocks.bin', checkpointBytes({ model: oneUnitBlocks, step, rng }));
    await expectError(() => loadModel(blocks, { backend: 'ref' }), 'BAD_MODEL_FILE', alwaysOne(`${blocks}: header.layers[1]`));
  });

  it('safetensors: a dense chain by its metadata or by the import options, and a block network', async () => {
    const tensors = tensorsToWrite(oneUnitBlocks.tensors);
    const recorded = encodeSafetensors({ format: 'gradscope.model', version: '1', loss: 'cross-entropy', activations: 'tanh,softmax' }, tensors);
    await expectError(() => fromSafetensors(recorded), 'BAD_MODEL_FILE', alwaysOne('safetensors __metadata__: layers[1] (2.weight)'));
    // A PyTorch state_dict records nothing: the options say the activations (the CLI: convert --activation tanh --output softmax --loss cross-entropy).
    const bare = encodeSafetensors({}, tensors);
    await expectError(() => fromSafetensors(bare, { activation: 'tanh', output: 'softmax', loss: 'cross-entropy' }), 'BAD_MODEL_FILE', alwaysOne('safetensors __metadata__: layers[1] (2.weight)'));
    // A block file of two output units, its specs' output cut to one.
    const two = await createNetwork({ inputs: 3, layers: [{ type: 'dense', units: 4, activation: 'relu' }, { type: 'layer-norm' }, { type: 'dense', units: 2, activation: 'softmax' }], backend: 'ref' });
    const file = parseSafetensors(toSafetensors(two));
    two.dispose();
    const specs = JSON.parse(file.metadata.layers) as { units?: number }[];
    specs[2].units = 1;
    const cut = encodeSafetensors({ ...file.metadata, layers: JSON.stringify(specs) }, []);
    await expectError(() => readSafetensors(cut), 'BAD_MODEL_FILE', alwaysOne('__metadata__.layers[2]'));
  });

  it('a tfjs layers model: one saved by tfjs itself (Keras: Dense(1, activation=softmax)), and a block network gradscope wrote', async () => {
    const keras = tf.sequential({ layers: [tf.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] }), tf.layers.dense({ units: 1, activation: 'softmax' })] });
    for (const loss of ['categoricalCrossentropy', 'binaryCrossentropy']) {
      // The shape is refused before the loss: binary cross-entropy beside it would say only that it needs a sigmoid.
      keras.compile({ optimizer: 'sgd', loss });
      let artifacts: tf.io.ModelArtifacts | undefined;
      await keras.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
      const { modelTopology, weightSpecs, trainingConfig } = artifacts!;
      const data = artifacts!.weightData!;
      const weightData = new Uint8Array(Array.isArray(data) ? await new Blob(data).arrayBuffer() : data);
      const output = (modelTopology as { config: { layers: { config: { name: string } }[] } }).config.layers[1].config.name;
      await expectError(() => fromTfjsLayers({ modelTopology, trainingConfig, weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }] }, weightData), 'BAD_MODEL_FILE', alwaysOne(`modelTopology.config.layers[1] (${output})`));
    }
    keras.dispose();
    const two = await createNetwork({ inputs: 3, layers: [{ type: 'dense', units: 4, activation: 'relu' }, { type: 'layer-norm' }, { type: 'dense', units: 2, activation: 'softmax' }], backend: 'ref' });
    const { modelJson, weightData } = toTfjsLayers(two);
    two.dispose();
    const cut = structuredClone(modelJson) as unknown as { userDefinedMetadata: { gradscope: { layers: { units?: number }[] } } };
    cut.userDefinedMetadata.gradscope.layers[2].units = 1;
    await expectError(() => blockModelFromTfjsLayers(cut, weightData), 'BAD_MODEL_FILE', alwaysOne('userDefinedMetadata.gradscope.layers[2]'));
  });

  it('model data in memory: networkFromModel and networkFromBlockModel refuse it (BAD_MODEL_FILE), an exporter too (INVALID_OPTION)', async () => {
    await expectError(() => networkFromModel(oneUnit, { backend: 'ref' }), 'BAD_MODEL_FILE', alwaysOne('model.activations[1]'));
    await expectError(() => networkFromBlockModel(oneUnitBlocks, { backend: 'ref' }), 'BAD_MODEL_FILE', alwaysOne('model.layers[1]'));
    await expectError(() => toSafetensors(oneUnit), 'INVALID_OPTION', alwaysOne('model.activations[1]'));
    await expectError(() => toTfjsLayers(oneUnitBlocks), 'INVALID_OPTION', alwaysOne('model.layers[1]'));
  });

  it('keeps loading a 1-unit sigmoid and a 2-unit softmax', async () => {
    const sigmoid = await networkFromModel({ ...oneUnit, loss: 'binary-cross-entropy', activations: ['tanh', 'sigmoid'] }, { backend: 'ref' });
    const pair = await createNetwork({ sizes: [3, 4, 2], backend: 'ref' });
    const reloaded = await networkFromModel(modelOf(pair), { backend: 'ref' });
    expect([sigmoid.activationFunctions.at(-1), reloaded.activationFunctions.at(-1), reloaded.sizes.at(-1)]).toEqual(['sigmoid', 'softmax', 2]);
    for (const net of [sigmoid, pair, reloaded]) net.dispose();
  });

  it('on the command line: one line naming the file and the layer, in the model file\'s words', async () => {
    const path = saved('cli.json', JSON.stringify(modelToJSON(oneUnit)));
    const run = await runCliInProcess(['study', '--model', path]);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr.trimEnd()).toMatch(new RegExp(`^gradscope: BAD_MODEL_FILE: ${alwaysOne(`${path}: layers[1]`).source.slice(1)}`));
    expect(run.code).toBe(1);
  });
});
