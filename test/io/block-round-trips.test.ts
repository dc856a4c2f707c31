// Round trips of block networks through every format that reads back, chained: a model written as
// safetensors, read, written as a tfjs layers model, read, and written as safetensors again gives
// the same bytes (the same tensors, names, shapes, counters and metadata); ONNX, export only, runs
// what the model read back computes.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import type { BlockModelData } from '../../src/layers/block-model.js';
import { toOnnx } from '../../src/io/onnx.js';
import { toSafetensors } from '../../src/io/safetensors.js';
import { blockModelFromSafetensors } from '../../src/io/safetensors-blocks.js';
import { blockModelFromTfjsLayers } from '../../src/io/tfjs-block-reader.js';
import { toTfjsLayers } from '../../src/io/tfjs-layers.js';
import { evalForward, randomBlockModel } from '../util/block-model.js';
import { expectClose } from '../util/close.js';

const viaTfjs = (model: BlockModelData) => {
  const { modelJson, weightData } = toTfjsLayers(model);
  return blockModelFromTfjsLayers(JSON.parse(JSON.stringify(modelJson)), weightData.slice());
};

describe('block networks through every format', () => {
  it('safetensors → tfjs → safetensors gives the same bytes, for 40 random networks without residual blocks', () => {
    const rng = new Rng(60);
    let done = 0;
    while (done < 40) {
      const model = randomBlockModel(rng, { maxLayers: 6, maxWidth: 5, minBatch: 1, maxBatch: 1 });
      if (model.layers.some((spec) => spec.type === 'residual')) continue;
      const first = toSafetensors(model);
      const back = viaTfjs(blockModelFromSafetensors(first));
      expect(back).toEqual(model);
      expect(toSafetensors(back)).toEqual(first);
      done++;
    }
  });

  it('ONNX of a model read back from safetensors computes the original model, nested residuals included', async () => {
    const rng = new Rng(61);
    for (let i = 0; i < 10; i++) {
      const model = randomBlockModel(rng, { maxLayers: 6, maxWidth: 5, minBatch: 1, maxBatch: 1 });
      const session = await ort.InferenceSession.create(toOnnx(blockModelFromSafetensors(toSafetensors(model))));
      const x = Float32Array.from({ length: 3 * model.inputs }, () => rng.normal());
      const { output } = await session.run({ input: new ort.Tensor('float32', x, [3, model.inputs]) });
      expectClose(output.data as Float32Array, evalForward(model, x, 3), { abs: 1e-5, rel: 1e-5 }, `network ${i}`);
      await session.release();
    }
  });
});
