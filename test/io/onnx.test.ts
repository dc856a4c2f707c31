// ONNX export: onnxruntime-node loads the hand-encoded protobuf and reproduces predict within 1e-5
// for every activation, at two batch sizes through one session (the batch dimension is symbolic).
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { toOnnx } from '../../src/io/onnx.js';
import { ACTIVATIONS, type OutputActivation } from '../../src/kernels.js';
import { createNetwork } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import { expectClose } from '../util/close.js';

const CASES: { hidden: OutputActivation[]; output: OutputActivation }[] = [
  // Every hidden activation once, then each output kind (softmax, an elementwise one, linear).
  { hidden: [...ACTIVATIONS], output: 'softmax' },
  { hidden: ['relu'], output: 'sigmoid' },
  { hidden: ['tanh', 'leaky-relu'], output: 'linear' },
];

describe('ONNX export', () => {
  it.each(CASES)('runs in onnxruntime and matches predict within 1e-5: $hidden → $output', async ({ hidden, output }) => {
    const rng = new Rng(11);
    const inputs = 6;
    const layers = [...hidden.map((activation) => ({ units: 3 + rng.below(6), activation })), { units: 4, activation: output }];
    const net = await createNetwork({ inputs, layers, loss: output === 'softmax' ? 'cross-entropy' : 'mse', backend: 'ref', init: 'he-normal', biasInit: { name: 'normal', std: 0.5 }, seed: 5 });
    const session = await ort.InferenceSession.create(toOnnx(net));
    expect(session.inputNames).toEqual(['input']);
    expect(session.outputNames).toEqual(['output']);
    for (const batch of [1, 7]) {
      const x = Array.from({ length: batch }, () => Array.from({ length: inputs }, () => 2 * rng.normal()));
      const result = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.flat()), [batch, inputs]) });
      expect(result.output.dims).toEqual([batch, 4]);
      const expected = net.predict(x).flatMap((row) => Array.from(row));
      expectClose(result.output.data as Float32Array, expected, { abs: 1e-5, rel: 1e-5 }, `batch ${batch}`);
    }
    await session.release();
    net.dispose();
  });
});
