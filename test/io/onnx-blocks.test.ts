// ONNX export of block networks: onnxruntime-node runs the graph (BatchNormalization in inference
// form, LayerNormalization, Add, Mul, Selu beside Gemm and the activations) and reproduces the
// eval-mode forward of the float64 reference within 1e-5, for the example network, hand-picked
// ones (nested residuals, a network that is all normalisation, a final linear activation layer)
// and random block networks, at two batch sizes through one session.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { toOnnx } from '../../src/io/onnx.js';
import type { BlockModelData } from '../../src/layers/block-model.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { blockModelOf, EXAMPLE_SPECS, evalForward, randomBlockModel } from '../util/block-model.js';
import { expectClose } from '../util/close.js';

async function expectOnnxMatches(model: BlockModelData, rng: Rng, label: string): Promise<string[]> {
  const session = await ort.InferenceSession.create(toOnnx(model));
  expect([session.inputNames, session.outputNames]).toEqual([['input'], ['output']]);
  for (const batch of [1, 5]) {
    const x = Float32Array.from({ length: batch * model.inputs }, () => 2 * rng.normal());
    const { output } = await session.run({ input: new ort.Tensor('float32', x, [batch, model.inputs]) });
    const expected = evalForward(model, x, batch);
    expect(output.dims[0]).toBe(batch);
    expectClose(output.data as Float32Array, expected, { abs: 1e-5, rel: 1e-5 }, `${label}, batch ${batch}`);
  }
  await session.release();
  return opsOf(toOnnx(model));
}

const OPS = ['Gemm', 'BatchNormalization', 'LayerNormalization', 'Add', 'Mul', 'Selu', 'Relu', 'Tanh', 'LeakyRelu', 'Softmax', 'Sigmoid', 'Softsign', 'Identity'];

/** The op types in the graph, read from the bytes without a protobuf library: NodeProto's op_type is field 4, a string (key byte 0x22, then its length). */
function opsOf(bytes: Uint8Array): string[] {
  const text = new TextDecoder('latin1').decode(bytes);
  return OPS.filter((op) => text.includes(String.fromCharCode(0x22, op.length) + op));
}

const NAMED: { name: string; specs: LayerSpec[]; inputs: number; loss: 'mse' | 'cross-entropy' }[] = [
  { name: 'the example network (nested residuals, every block)', specs: EXAMPLE_SPECS, inputs: 4, loss: 'cross-entropy' },
  {
    name: 'residuals three deep, ReZero inside plain',
    specs: [{ type: 'residual', layers: [{ type: 'residual', gate: 'rezero', layers: [{ type: 'residual', layers: [{ type: 'dense', units: 5, activation: 'selu' }, { type: 'batch-norm' }] }, { type: 'layer-norm' }] }] }],
    inputs: 5,
    loss: 'mse',
  },
  {
    name: "PyTorch's batch-norm block, nn.Linear(bias=False) → BatchNorm1d → ReLU (a Gemm without C)",
    specs: [{ type: 'dense', units: 4, bias: false }, { type: 'batch-norm' }, { type: 'activation', activation: 'relu' }, { type: 'residual', layers: [{ type: 'dense', units: 4, activation: 'tanh', bias: false }] }, { type: 'dense', units: 2, activation: 'softmax' }],
    inputs: 3,
    loss: 'cross-entropy',
  },
  { name: 'the identity (one linear activation layer: an Identity node)', specs: [{ type: 'activation', activation: 'linear' }], inputs: 2, loss: 'mse' },
  { name: 'normalisation only, ending in a linear activation layer', specs: [{ type: 'batch-norm' }, { type: 'layer-norm' }, { type: 'activation', activation: 'linear' }], inputs: 3, loss: 'mse' },
];

describe('ONNX export of block networks', () => {
  it.each(NAMED)('runs in onnxruntime and matches the eval-mode forward within 1e-5: $name', async ({ specs, inputs, loss }) => {
    const model = blockModelOf(specs, inputs, loss, 3);
    await expectOnnxMatches(model, new Rng(4), 'named');
  });

  it('uses the inference ops the issue names for the example network', async () => {
    const ops = await expectOnnxMatches(blockModelOf(EXAMPLE_SPECS, 4, 'cross-entropy', 5), new Rng(6), 'example');
    expect(ops).toEqual(['Gemm', 'BatchNormalization', 'LayerNormalization', 'Add', 'Mul', 'Selu', 'Relu', 'Tanh', 'LeakyRelu', 'Softmax']);
  });

  it('matches for 30 random block networks', async () => {
    const rng = new Rng(40);
    for (let i = 0; i < 30; i++) await expectOnnxMatches(randomBlockModel(rng, { maxLayers: 6, maxWidth: 6, minBatch: 1, maxBatch: 1 }), rng, `random network ${i}`);
  });
});
