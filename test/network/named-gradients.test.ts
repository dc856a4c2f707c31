// gradients(x, y).parameters: every gradient under the PyTorch state_dict name its tensor has in
// the safetensors export (issue 13's gradients by name), equal to the per-layer arrays.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { toSafetensors } from '../../src/io/safetensors.js';

/** The tensor names and shapes of a safetensors file, from its header. */
function tensorsOf(bytes: Uint8Array): Record<string, number[]> {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as Record<string, { shape: number[] }>;
  return Object.fromEntries(Object.entries(header).filter(([name]) => name !== '__metadata__').map(([name, t]) => [name, t.shape]));
}

describe('gradients by name', () => {
  it("names each gradient as the safetensors export names its tensor, in PyTorch's order, holding the layer's values", async () => {
    const net = await createNetwork({ sizes: [3, 4, 5, 2], activation: 'tanh', output: 'softmax', seed: 4, backend: 'ref' });
    const x = [[0.1, 0.2, -0.3], [1, -1, 0.5]];
    const y = [[1, 0], [0, 1]];
    const gradients = net.gradients(x, y);
    const file = tensorsOf(toSafetensors(net));
    expect(Object.keys(gradients.parameters)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias']);
    expect(Object.keys(gradients.parameters)).toEqual(Object.keys(file));
    for (const [name, shape] of Object.entries(file)) expect(gradients.parameters[name].length, name).toBe(shape.reduce((a, b) => a * b, 1));
    gradients.layers.forEach((layer, l) => {
      expect(gradients.parameters[`${2 * l}.weight`]).toEqual(layer.weights);
      expect(gradients.parameters[`${2 * l}.bias`]).toEqual(layer.biases);
    });
    net.dispose();
  });
});
