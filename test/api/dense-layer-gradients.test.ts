// gradients().layers of any network (researcher53 F1): one LayerGradient per dense layer, by its module name, so a
// remedy that changes the layers (batch norm, residual or ReZero blocks: applyLayersChange) is compared with the plain
// network layer by layer, as PyTorch's named_modules() picks out the nn.Linear layers. A block network's list was empty.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { applyLayersChange } from '../../src/api/layers-change.js';
import { euclideanNorm } from '../../src/norm.js';
import type { NetworkOptions } from '../../src/network/config.js';
import { blobs } from '../util/blobs.js';

const data = blobs(40, 3);
const plain: NetworkOptions = { sizes: [4, 6, 6, 6, 3], activation: 'sigmoid', seed: 4 };

describe('gradients().layers, one per dense layer of any network', () => {
  it('of a dense chain: each layer W then b of parameters(), named as nn.Sequential numbers them, with their norms', async () => {
    const net = await createNetwork({ ...plain, backend: 'ref' });
    const { layers, parameters } = net.gradients(data.x, data.y);
    expect(layers.map((layer) => layer.name)).toEqual(['0', '2', '4', '6']);
    layers.forEach((layer, l) => {
      expect([layer.units, layer.inputs]).toEqual([plain.sizes![l + 1], plain.sizes![l]]);
      expect(layer.weights).toBe(parameters[`${layer.name}.weight`]);
      expect(layer.biases).toBe(parameters[`${layer.name}.bias`]);
      expect([layer.weightNorm, layer.biasNorm]).toEqual([euclideanNorm(layer.weights), euclideanNorm(layer.biases)]);
    });
    net.dispose();
  });

  it.each([
    ['batch norm', { norm: 'batch-norm' }, ['0', '4', '8', '12']],
    ['plain residual blocks', { residualGate: 'none' }, ['0', '2.branch.0', '3.branch.0', '4']],
    ['ReZero blocks', { residualGate: 'rezero' }, ['0', '2.branch.0', '3.branch.0', '4']],
  ] as const)('of the same network with %s: as many layers, by their module names, read from parameters', async (_, change, names) => {
    const net = await createNetwork({ ...applyLayersChange(plain, change), backend: 'ref' });
    expect(net.kind).toBe('blocks');
    const { layers, parameters } = net.gradients(data.x, data.y);
    expect(layers.map((layer) => layer.name)).toEqual(names);
    layers.forEach((layer, l) => {
      expect([layer.units, layer.inputs], layer.name).toEqual([plain.sizes![l + 1], plain.sizes![l]]);
      expect(layer.weights).toBe(parameters[`${layer.name}.weight`]);
      expect(layer.biasNorm).toBe(euclideanNorm(parameters[`${layer.name}.bias`]));
    });
    net.dispose();
  });

  it('a dense layer without a bias: empty biases, biasNorm NaN (it has no ∂C/∂b), its weights as any', async () => {
    const net = await createNetwork({
      inputs: 4,
      seed: 2,
      backend: 'ref',
      layers: [{ type: 'dense', units: 6, bias: false }, { type: 'batch-norm' }, { type: 'activation', activation: 'relu' }, { type: 'dense', units: 3, activation: 'softmax' }],
    });
    const { layers, parameters } = net.gradients(data.x, data.y);
    expect(layers.map((layer) => [layer.name, layer.biases.length, layer.biasNorm])).toEqual([['0', 0, NaN], ['4', 3, euclideanNorm(parameters['4.bias'])]]);
    expect(layers[0].weightNorm).toBe(euclideanNorm(parameters['0.weight']));
    net.dispose();
  });
});
