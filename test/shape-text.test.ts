// shapeText: the one way a message writes a tensor's shape (src/shape-text.ts), so the shape a reader
// expected and the one a file gave read alike ("expected [8, 4], got [4, 8]", never "got [4,8]").
import { describe, expect, it } from 'vitest';
import { shown } from '../src/errors.js';
import { shapeText, shownShape } from '../src/shape-text.js';
import { fromSafetensors, toSafetensors } from '../src/io/safetensors.js';
import { blockModelFromSafetensors, tensorsToWrite } from '../src/io/safetensors-blocks.js';
import { encodeSafetensors, parseSafetensors } from '../src/io/safetensors-format.js';
import { fromTfjsLayers, toTfjsLayers } from '../src/io/tfjs-layers.js';
import { createNetwork } from '../src/api/network.js';
import { networkFromModel } from '../src/io/model-data.js';
import { blockModelOf, EXAMPLE_SPECS } from './util/block-model.js';
import { expectError } from './util/expect-error.js';

/** A list of numbers written without shapeText's ", " (the old "got [4,8]"). */
const UNSPACED = /\[-?\d+,\S/;

describe('shapeText', () => {
  it('writes dimensions apart by ", ", a scalar as [], Keras batch nulls as null, and cuts a long shape', () => {
    expect([shapeText([4, 3]), shapeText([]), shapeText([null, 5]), shapeText([7])]).toEqual(['[4, 3]', '[]', '[null, 5]', '[7]']);
    expect(shapeText(Array.from({ length: 20 }, (_, i) => i))).toBe('[0, 1, 2, 3, 4, 5, 6, 7, …]');
  });

  it('shows a value read where a shape belongs: a shape by shapeText, anything else as shown() does', () => {
    expect([shownShape([4, 8]), shownShape([-1, 2.5, NaN]), shownShape([])]).toEqual(['[4, 8]', '[-1, 2.5, NaN]', '[]']);
    for (const value of ['4x8', { rows: 4 }, [4, '8'], undefined, 12]) expect(shownShape(value)).toBe(shown(value));
  });
});

describe('every reader writes both shapes of a refusal alike', () => {
  it('safetensors of a block network: a transposed tensor', async () => {
    const model = blockModelOf(EXAMPLE_SPECS, 4, 'cross-entropy', 7);
    const tensors = tensorsToWrite(model.tensors);
    const { metadata } = parseSafetensors(toSafetensors(model));
    tensors[0] = { ...tensors[0], shape: [...tensors[0].shape].reverse() };
    const error = await expectError(() => blockModelFromSafetensors(encodeSafetensors(metadata, tensors)), 'BAD_MODEL_FILE', /^0\.weight: shape \[4, 6\] should be \[6, 4\] for the layers$/);
    expect(error.message).not.toMatch(UNSPACED);
  });

  it('safetensors of dense layers: a bias of the wrong length, a weight of one dimension', async () => {
    const tensors = [
      { name: '0.weight', dtype: 'F32' as const, shape: [3, 2], values: new Float32Array(6) },
      { name: '0.bias', dtype: 'F32' as const, shape: [2], values: new Float32Array(2) },
    ];
    await expectError(() => fromSafetensors(encodeSafetensors({}, tensors), { activation: 'relu', output: 'linear', loss: 'mse' }), 'BAD_MODEL_FILE', /^0\.bias: shape \[2\] should be \[3\] to match 0\.weight$/);
    tensors[0] = { ...tensors[0], shape: [6] };
    await expectError(() => fromSafetensors(encodeSafetensors({}, tensors), { activation: 'relu', output: 'linear', loss: 'mse' }), 'BAD_MODEL_FILE', /^0\.weight: expected a 2-D shape \[out, in\], got \[6\]$/);
  });

  it('TensorFlow.js: a kernel of the wrong shape, a shape that is no list of sizes, a batch_input_shape', async () => {
    const net = await createNetwork({ sizes: [3, 2], seed: 1 });
    const { modelJson, weightData } = toTfjsLayers(net);
    net.dispose();
    const json = () => JSON.parse(JSON.stringify(modelJson));
    const wrong = json();
    wrong.weightsManifest[0].weights[0].shape = [2, 3];
    const error = await expectError(() => fromTfjsLayers(wrong, weightData), 'BAD_MODEL_FILE', /: shape \[2, 3\] should be \[3, 2\]$/);
    expect(error.message).not.toMatch(UNSPACED);
    const negative = json();
    negative.weightsManifest[0].weights[0].shape = [3, -2];
    await expectError(() => fromTfjsLayers(negative, weightData), 'BAD_MODEL_FILE', /\.shape: expected non-negative integers, got \[3, -2\]$/);
    const batch = json();
    batch.modelTopology.config.layers[0].config.batch_input_shape = [null, 3, 1];
    await expectError(() => fromTfjsLayers(batch, weightData), 'BAD_MODEL_FILE', /batch_input_shape: expected \[null, features\], got \[null, 3, 1\]$/);
  });

  it('block model data with its tensors out of order', async () => {
    const model = blockModelOf(EXAMPLE_SPECS, 4, 'cross-entropy', 7);
    [model.tensors[0], model.tensors[1]] = [model.tensors[1], model.tensors[0]];
    await expectError(() => networkFromModel(model), 'BAD_MODEL_FILE', /^model\.tensors\[0\] \(0\.bias\): the layers need 0\.weight \(float \[6, 4\]\) here, got float \[6\]/);
  });
});
