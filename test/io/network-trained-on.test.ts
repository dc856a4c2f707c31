// A Network keeps the record of the rows that trained it (net.trainedOn): loaded from any file or
// model data that records it, written again by every way of saving the network, and dropped by what
// moves the weights on rows it cannot name (a train() step or LSUV, initLsuv, loadState). A refused
// call changes nothing, the record included. Before, a loaded network carried none, and saving it
// wrote none (docs/interop.md said so).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import { blockModelOf, modelOf, networkFromModel } from '../../src/io/model-data.js';
import { loadCheckpoint, loadModel, readCheckpoint, saveModel } from '../../src/io/files.js';
import { readModelFile, writeModelFile } from '../../src/io/model-formats.js';
import { toOnnx } from '../../src/io/onnx.js';
import { checkpointOf, networkFromCheckpoint, type Checkpoint } from '../../src/io/checkpoint.js';
import type { TrainedOn } from '../../src/trained-on.js';
import { expectError } from '../util/expect-error.js';
import { onnxMetadata } from '../util/file-metadata.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-network-trained-on-'));
const RECORD: TrainedOn = { data: 'runs/rows ü.json', rows: 37 };
const OTHER: TrainedOn = { data: 'mnist', rows: 600 };

const DENSE = { sizes: [4, 5, 3], activation: 'relu', output: 'softmax', backend: 'ref', seed: 4 } as const;
const BLOCKS = { inputs: 4, layers: [{ type: 'dense', units: 5, activation: 'relu' }, { type: 'batch-norm' }, { type: 'dense', units: 3, activation: 'softmax' }], backend: 'ref', seed: 4 } as const;
const X = [[0.1, 0.2, 0.3, 0.4], [0.5, -0.1, 0.2, 0.0], [-0.3, 0.4, 0.1, 0.2], [0.2, 0.2, -0.2, 0.6]];
const Y = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]];

const dataOf = (net: Network) => (net.kind === 'dense' ? modelOf(net) : blockModelOf(net));

/** A network loaded from model data recording RECORD. */
async function recordedNetwork(kind: 'dense' | 'blocks'): Promise<Network> {
  const made = await createNetwork(kind === 'dense' ? DENSE : BLOCKS);
  const net = await networkFromModel({ ...dataOf(made), trainedOn: RECORD }, { backend: 'ref' });
  made.dispose();
  return net;
}

describe('a network keeps the record of the rows that trained it', () => {
  it('is undefined for a network createNetwork made, and a copy where it is held', async () => {
    const made = await createNetwork(DENSE);
    expect(made.trainedOn).toBeUndefined();
    expect(modelOf(made)).not.toHaveProperty('trainedOn');
    expect(made.toJSON()).not.toHaveProperty('trainedOn');
    const net = await recordedNetwork('dense');
    const held = net.trainedOn!;
    expect(held).toEqual(RECORD);
    held.rows = 1;
    expect(net.trainedOn).toEqual(RECORD);
    made.dispose();
    net.dispose();
    await expectError(() => net.trainedOn, 'DISPOSED', /disposed/);
  });

  for (const kind of ['dense', 'blocks'] as const) {
    it(`saved, loaded and saved again in every format, keeps it (${kind})`, async () => {
      const net = await recordedNetwork(kind);
      expect(dataOf(net).trainedOn).toEqual(RECORD);
      expect(net.toJSON().trainedOn).toEqual(RECORD);
      expect(JSON.parse(onnxMetadata(toOnnx(net))['gradscope.trainedOn'])).toEqual(RECORD);
      // Foreign formats and gradscope's JSON model file: written from the network, read into a network, written again.
      for (const name of ['model.json', 'model.safetensors', 'model-tfjs/']) {
        const first = join(folder, `${kind}-1-${name}`);
        await writeModelFile(net, first);
        const loaded = await networkFromModel(await readModelFile(first), { backend: 'ref' });
        expect(loaded.trainedOn, name).toEqual(RECORD);
        const second = join(folder, `${kind}-2-${name}`);
        await writeModelFile(loaded, second);
        expect((await readModelFile(second)).trainedOn, name).toEqual(RECORD);
        loaded.dispose();
      }
      expect((await Network.fromJSON(net.toJSON(), { backend: 'ref' })).trainedOn).toEqual(RECORD);
      // Checkpoints, JSON and binary: saveModel, loadModel and loadCheckpoint, saveModel again.
      for (const name of ['ck.json', 'ck.bin']) {
        const first = join(folder, `${kind}-1-${name}`);
        await saveModel(net, first);
        const loaded = await loadModel(first, { backend: 'ref' });
        expect(loaded.trainedOn, name).toEqual(RECORD);
        const second = join(folder, `${kind}-2-${name}`);
        await saveModel(loaded, second);
        expect((await readCheckpoint(second)).trainedOn, name).toEqual(RECORD);
        const { network } = await loadCheckpoint(second, { backend: 'ref' });
        expect(network.trainedOn, name).toEqual(RECORD);
        loaded.dispose();
        network.dispose();
      }
      net.dispose();
    });
  }

  it("saveModel's trainedOn overrides the network's: the file holds the one given", async () => {
    const net = await recordedNetwork('dense');
    for (const name of ['given.json', 'given.bin']) {
      const path = join(folder, name);
      await saveModel(net, path, { trainedOn: OTHER });
      expect((await readCheckpoint(path)).trainedOn, name).toEqual(OTHER);
      expect((await loadModel(path, { backend: 'ref' })).trainedOn, name).toEqual(OTHER);
    }
    const file = JSON.parse(readFileSync(join(folder, 'given.json'), 'utf8'));
    expect([file.trainedOn, file.training.trainedOn]).toEqual([undefined, OTHER]);
    expect(net.trainedOn).toEqual(RECORD);
    net.dispose();
  });

  it('networkFromCheckpoint takes the record a hand-built checkpoint holds on itself, and refuses a damaged one', async () => {
    const net = await recordedNetwork('dense');
    const bare = await createNetwork(DENSE);
    const checkpoint: Checkpoint = { ...checkpointOf(bare), trainedOn: OTHER };
    expect((await networkFromCheckpoint(checkpoint, { backend: 'ref' })).trainedOn).toEqual(OTHER);
    expect((await networkFromCheckpoint({ ...checkpointOf(net), trainedOn: OTHER }, { backend: 'ref' })).trainedOn).toEqual(OTHER);
    expect((await networkFromCheckpoint(checkpointOf(net), { backend: 'ref' })).trainedOn).toEqual(RECORD);
    await expectError(
      () => networkFromCheckpoint({ ...checkpoint, trainedOn: { data: 'mnist', rows: 0 } }, { backend: 'ref' }),
      'INVALID_OPTION',
      /^networkFromCheckpoint: checkpoint\.trainedOn\.rows: expected a whole number ≥ 1, got 0$/,
    );
    net.dispose();
    bare.dispose();
  });
});

describe('what moves the weights on rows the record does not name drops it', () => {
  for (const kind of ['dense', 'blocks'] as const) {
    it(`one train() step drops it, and a network saved after records none (${kind})`, async () => {
      const net = await recordedNetwork(kind);
      expect(net.trainedOn).toEqual(RECORD);
      net.train(X, Y, { epochs: 1, batchSize: 4, learningRate: 0.1 });
      expect(net.step).toBe(1);
      expect(net.trainedOn).toBeUndefined();
      expect(dataOf(net)).not.toHaveProperty('trainedOn');
      expect(net.toJSON()).not.toHaveProperty('trainedOn');
      const path = join(folder, `trained-${kind}.bin`);
      await saveModel(net, path);
      expect(await readCheckpoint(path)).not.toHaveProperty('trainedOn');
      net.dispose();
    });
  }

  it('a traced step drops it too, and so does initLsuv', async () => {
    const traced = await recordedNetwork('dense');
    traced.train(X, Y, { epochs: 1, batchSize: 4, learningRate: 0.1, trace: {} });
    expect(traced.trainedOn).toBeUndefined();
    const lsuv = await recordedNetwork('dense');
    expect([traced.trainedOn, lsuv.trainedOn]).toEqual([undefined, RECORD]);
    lsuv.initLsuv(X);
    expect(lsuv.trainedOn).toBeUndefined();
    traced.dispose();
    lsuv.dispose();
  });

  it('loadState drops it: the weights given are not the ones it recorded', async () => {
    const net = await recordedNetwork('blocks');
    expect(net.trainedOn).toEqual(RECORD);
    net.loadState(net.state());
    expect(net.trainedOn).toBeUndefined();
    net.dispose();
  });

  it('a refused call changes nothing, the record included', async () => {
    const net = await recordedNetwork('dense');
    await expectError(() => net.train(X, Y, { epochs: -1 }), 'INVALID_OPTION', /epochs/);
    await expectError(() => net.train(X, Y, { batchSize: 4, learningRate: 0.1, noSuchOption: 1 } as never), 'INVALID_OPTION', /noSuchOption/);
    await expectError(() => net.train(X, [[1, 0, 0]], { epochs: 1 }), 'SHAPE_MISMATCH', /./);
    await expectError(() => net.loadState([]), 'BAD_MODEL_FILE', /^tensors: expected 4/);
    await expectError(() => net.initLsuv([]), 'SHAPE_MISMATCH', /LSUV needs at least one row/);
    expect(net.step).toBe(0);
    expect(net.trainedOn).toEqual(RECORD);
    // Nor does a call that takes no step: evaluating, predicting, taking gradients.
    net.evaluate(X, Y);
    net.gradients(X, Y);
    expect(net.trainedOn).toEqual(RECORD);
    net.dispose();
  });
});
