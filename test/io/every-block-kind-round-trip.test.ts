/**
 * One trained network with every kind of layer (dense, layer norm, batch norm with moved running statistics and a counter, a
 * ReZero residual block, SELU) through every format gradscope writes and reads back: gradscope JSON (net.toJSON and a model file)
 * and safetensors (in memory and as a file) give back the same bits in every tensor, the same printed architecture and the same
 * predictions; tfjs, which has no residual block, refuses the network by name and round-trips it without the block; ONNX, export
 * only, computes what it computes. safetensors-blocks.test.ts checks the bytes against the published layout; block-round-trips
 * chains the formats over random networks; this is a network that trained, through the readers' public entries.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { layerSpecsText } from '../../src/layers/spec-text.js';
import { blockModelOf, networkFromModel } from '../../src/io/model-data.js';
import { readModelFile, writeModelFile } from '../../src/io/model-formats.js';
import { toOnnx } from '../../src/io/onnx.js';
import { toSafetensors } from '../../src/io/safetensors.js';
import { blockModelFromSafetensors } from '../../src/io/safetensors-blocks.js';
import { expectError } from '../util/expect-error.js';
import { expectClose } from '../util/close.js';

const RESIDUAL: LayerSpec = { type: 'residual', gate: 'rezero', layers: [{ type: 'layer-norm' }, { type: 'dense', units: 5, activation: 'selu' }] };
const LAYERS: LayerSpec[] = [{ type: 'dense', units: 5, activation: 'tanh' }, { type: 'batch-norm', momentum: 0.3 }, RESIDUAL, { type: 'layer-norm', epsilon: 1e-3 }, { type: 'activation', activation: 'selu' }, { type: 'dense', units: 3, activation: 'softmax' }];
const X = Array.from({ length: 8 }, (_, i) => Float32Array.from({ length: 4 }, (_, j) => Math.sin(1.3 * i + 0.7 * j)));
const Y = X.map((_, i) => Float32Array.from({ length: 3 }, (_, k) => (k === i % 3 ? 1 : 0)));

/** Each tensor's bits, by name: a round trip must keep every float exactly (-0 and NaN payloads included), not merely close. */
function bits(net: Network): Record<string, number[]> {
  return Object.fromEntries(blockModelOf(net).tensors.map((t) => [t.name, Array.from(new Uint32Array(Float32Array.from(t.values).buffer))]));
}

/** On the default backend (wasm), whose parameters are float32 as every file holds them (ref's are float64, rounded when written). */
async function trained(layers: LayerSpec[]): Promise<Network> {
  const net = await createNetwork({ inputs: 4, layers, loss: 'cross-entropy', seed: 7 });
  net.train(X, Y, { epochs: 3, batchSize: 4, learningRate: 0.1 });
  return net;
}

describe('a trained network with every kind of layer, through every format', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'gradscope-every-block-'));
  const net = await trained(LAYERS);
  const printed = layerSpecsText(4, LAYERS);
  afterAll(() => net.dispose());

  it('trained: the batch norm counted its batches and moved its statistics, the ReZero gate left 0', () => {
    const tensors = Object.fromEntries(blockModelOf(net).tensors.map((t) => [t.name, t]));
    const counter = Object.values(tensors).find((t) => t.dtype === 'i64')!;
    expect(counter.values[0]).toBe(6);
    const running = Object.values(tensors).find((t) => t.name.endsWith('running_mean'))!;
    expect(Array.from(running.values).some((v) => v !== 0)).toBe(true);
    expect(Array.from(Object.values(tensors).find((t) => t.name.endsWith('alpha'))!.values)[0]).not.toBe(0);
  });

  const readers: [string, () => Promise<Network>][] = [
    ['net.toJSON → Network.fromJSON', () => Network.fromJSON(JSON.stringify(net.toJSON()))],
    ['a .json model file', async () => (await writeModelFile(net, join(folder, 'net.json')), networkFromModel(await readModelFile(join(folder, 'net.json'))))],
    ['toSafetensors → blockModelFromSafetensors', () => networkFromModel(blockModelFromSafetensors(toSafetensors(net)))],
    ['a .safetensors model file', async () => (await writeModelFile(net, join(folder, 'net.safetensors')), networkFromModel(await readModelFile(join(folder, 'net.safetensors'))))],
  ];
  for (const [route, read] of readers) {
    it(`${route}: the same bits in every tensor, the same architecture printed, the same predictions`, async () => {
      const back = await read();
      expect(back.kind).toBe('blocks');
      expect(layerSpecsText(back.inputSize, back.layers)).toBe(printed);
      expect(bits(back)).toEqual(bits(net));
      expect(back.predict(X).map((row) => Array.from(row))).toEqual(net.predict(X).map((row) => Array.from(row)));
      // Written again, the file is the same bytes: nothing was added or lost on the way.
      expect(toSafetensors(back)).toEqual(toSafetensors(net));
      back.dispose();
    });
  }

  it('tfjs refuses the residual block by name; the network without it round-trips bit for bit', async () => {
    await expectError(() => writeModelFile(net, join(folder, 'tfjs/')), 'INVALID_OPTION', /layers\[2\]: a residual block cannot be written as a tfjs Sequential/);
    const plain = await trained(LAYERS.filter((spec) => spec !== RESIDUAL));
    await writeModelFile(plain, join(folder, 'plain-tfjs/'));
    const back = await networkFromModel(await readModelFile(join(folder, 'plain-tfjs/')));
    expect(layerSpecsText(back.inputSize, back.layers)).toBe(layerSpecsText(4, plain.layers));
    expect(bits(back)).toEqual(bits(plain));
    back.dispose();
    plain.dispose();
  });

  it('ONNX (export only) computes what the network predicts', async () => {
    const session = await ort.InferenceSession.create(toOnnx(net));
    const { output } = await session.run({ input: new ort.Tensor('float32', Float32Array.from(X.flatMap((row) => Array.from(row))), [X.length, 4]) });
    expectClose(output.data as Float32Array, Float32Array.from(net.predict(X).flatMap((row) => Array.from(row))), { abs: 1e-5, rel: 1e-5 }, 'onnx');
    await session.release();
  });
});
