// A network built from given parameters (networkOfData, a model file's or a checkpoint's) takes them only where each fits the
// sizes: written in as they came, a short or long array left the tensors holding another layer's values, unsaid (bias53 found a
// block network's tensors paired as weight, bias, weight, bias so). BAD_MODEL_FILE names the array and the layer, as the block
// engine's refusal names the tensor.
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/api/network.js';
import { resolveNetwork } from '../../src/network/config.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import type { Kernels, Tensor } from '../../src/kernels.js';
import { expectError } from '../util/expect-error.js';

const { config } = resolveNetwork({ sizes: [3, 2, 2], seed: 1 });
const fits = () => ({ weights: [new Float32Array(6), new Float32Array(4)], biases: [new Float32Array(2), new Float32Array(2)] });

describe('a network built from given parameters', () => {
  it.each(['ref', 'wasm'] as const)('on %s, refuses a layer whose weights or biases do not fit the sizes, and another count of layers', async (backend) => {
    const kernels: Kernels<Tensor> = backend === 'ref' ? createRefKernels() : await createWasmKernels();
    const shortWeights = fits();
    shortWeights.weights[1] = new Float32Array(1);
    await expectError(() => new Network(kernels, config, shortWeights), 'BAD_MODEL_FILE', /^parameters: weights\[1\]: expected 4 values for layer 1 \(2 → 2\), got 1$/);
    const longBiases = fits();
    longBiases.biases[0] = new Float32Array(3);
    await expectError(() => new Network(kernels, config, longBiases), 'BAD_MODEL_FILE', /^parameters: biases\[0\]: expected 2 values for layer 0 \(3 → 2\), got 3$/);
    const oneLayer = { weights: [new Float32Array(6)], biases: [new Float32Array(2)] };
    await expectError(() => new Network(kernels, config, oneLayer), 'BAD_MODEL_FILE', /^parameters: expected the weights and biases of 2 weight layers \(sizes \[3,2,2\]\), got 1 weight and 1 bias arrays$/);
    const net = new Network(kernels, config, fits());
    expect(net.state().map((t) => t.values.length)).toEqual([6, 2, 4, 2]);
    net.dispose();
  });
});
