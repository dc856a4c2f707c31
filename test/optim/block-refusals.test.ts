/**
 * K-FAC on networks built from layer specs: it refuses the network with INVALID_OPTION naming the
 * first layer it cannot take (its Kronecker factors are a dense layer's), before anything the
 * network holds changes. Every block layer type is tried, alone after a dense layer.
 * (Levenberg–Marquardt takes block networks: test/optim/levenberg-marquardt-blocks.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import type { LayerSpec } from '../../src/layers/spec.js';

/** One network per block layer type (and both residual gates), the block at layers[1]. */
const BLOCKS: { label: string; spec: LayerSpec }[] = [
  { label: 'batch-norm', spec: { type: 'batch-norm' } },
  { label: 'layer-norm', spec: { type: 'layer-norm' } },
  { label: 'activation', spec: { type: 'activation', activation: 'selu' } },
  { label: 'residual', spec: { type: 'residual', layers: [{ type: 'dense', units: 4, activation: 'tanh' }] } },
  { label: 'residual', spec: { type: 'residual', gate: 'rezero', layers: [{ type: 'layer-norm' }] } },
];

const X = [[0.1, -0.4, 0.9], [1.2, 0.3, -0.7], [-0.5, 0.8, 0.2], [0.6, -1.1, 0.4]];
const Y = [[0.5, -0.2], [0.1, 0.9], [-0.3, 0.4], [0.7, 0.0]];

function blockNetwork(spec: LayerSpec) {
  return createNetwork({ inputs: 3, loss: 'mse', seed: 1, backend: 'ref', layers: [{ type: 'dense', units: 4, activation: 'tanh' }, spec, { type: 'dense', units: 2 }] });
}

describe.each(BLOCKS)('K-FAC on a network with a $label layer', ({ label, spec }) => {
  it.each(['kfac'] as const)('%s refuses it with INVALID_OPTION naming layers[1], the weights unchanged', async (optimizer) => {
    const net = await blockNetwork(spec);
    const before = net.parameters().map((p) => Float64Array.from(net.kernels.view(p.value)));
    let error: unknown;
    try {
      net.train(X, Y, { optimizer, epochs: 1, batchSize: 4 });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    expect(String((error as Error).message)).toMatch(new RegExp(`${optimizer}.*layers\\[1\\] is ${label}`));
    expect(net.parameters().map((p) => Float64Array.from(net.kernels.view(p.value)))).toEqual(before);
    net.dispose();
  });
});
