// measureCurvature's products read what the network's last forward and backward pass left (its
// activations, deltas and targets; a block network's layer outputs and batch statistics). An
// onProgress that runs the network on other rows (predict, evaluate, layerOutputs, gradients, a
// measurement of its own) rewrites those between two products: the products after it measured those
// rows, and the report changed without a refusal. The operators now retake their point (the forward
// and backward pass over their own rows) when the network has run a pass since their last product,
// so the report is the same, to the bit, with such a callback as without one.
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { measureCurvature } from '../../src/curvature/curvature.js';
import { CurvatureOperators } from '../../src/curvature/operators.js';
import { lanczos } from '../../src/curvature/lanczos.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { kernelBackends } from '../util/backends.js';

const X = [[0.1, 0.2, -0.4], [0.3, -0.1, 0.8], [1, 2, -1], [-0.5, 0.7, 0.2]];
const Y = [[1, 0], [0, 1], [1, 0], [0, 1]];
// Other rows, more of them than the measurement's (the network's batch buffers grow for them).
const OTHER_X = Array.from({ length: 300 }, (_, r) => [Math.sin(r), Math.cos(3 * r), Math.sin(7 * r) * 2]);
const OTHER_Y = OTHER_X.map((_, r) => (r % 2 ? [0, 1] : [1, 0]));

const BLOCKS: LayerSpec[] = [
  { type: 'dense', units: 4, activation: 'tanh' },
  { type: 'batch-norm' },
  { type: 'residual', layers: [{ type: 'dense', units: 4, activation: 'sigmoid' }, { type: 'layer-norm' }] },
  { type: 'dense', units: 2, activation: 'softmax' },
];

const passes: [string, (net: Network) => void][] = [
  ['predict', (net) => void net.predict(OTHER_X.slice(0, 2))],
  ['predict on more rows than the measurement', (net) => void net.predict(OTHER_X)],
  ['evaluate', (net) => void net.evaluate(OTHER_X.slice(0, 3), OTHER_Y.slice(0, 3))],
  ['layerOutputs', (net) => void net.layerOutputs(OTHER_X.slice(0, 5))],
  ['gradients', (net) => void net.gradients(OTHER_X.slice(0, 4), OTHER_Y.slice(0, 4))],
  ['a measurement of its own', (net) => void measureCurvature(net, OTHER_X.slice(0, 6), OTHER_Y.slice(0, 6), { k: 1, layers: false, maxSteps: 2, exactTraceLimit: 0, probes: 2 })],
];

describe.each(await kernelBackends())('onProgress running the network on other rows, on $name', ({ kernels }) => {
  const networks: [string, () => Promise<Network>][] = [
    ['a dense network', () => createNetwork({ sizes: [3, 5, 2], activation: 'tanh', seed: 1, backend: kernels })],
    ['a dense network with MSE through a sigmoid output', () => createNetwork({ sizes: [3, 4, 2], activation: 'sigmoid', loss: 'mse', seed: 2, backend: kernels })],
    ['a block network (batch and layer norm, a residual block)', () => createNetwork({ inputs: 3, loss: 'cross-entropy', layers: BLOCKS, seed: 3, backend: kernels })],
  ];

  describe.each(networks)('%s', (_name, make) => {
    it.each(passes)('%s at every product: the report as without a callback, to the bit', async (_what, pass) => {
      const net = await make();
      const plain = measureCurvature(net, X, Y, { k: 2 });
      let calls = 0;
      const disturbed = measureCurvature(net, X, Y, { k: 2, onProgress: () => { calls++; pass(net); } });
      expect(calls).toBeGreaterThan(0);
      expect(disturbed).toEqual(plain);
      net.dispose();
    });
  });

  it("lanczos' onStep over CurvatureOperators: a predict there changes no eigenvalue", async () => {
    const net = await networks[0][1]();
    const ops = new CurvatureOperators(net, X, Y);
    const plain = lanczos(ops.hessian, ops.size, { k: 2 });
    const disturbed = lanczos(ops.hessian, ops.size, { k: 2, onStep: () => void net.predict(OTHER_X) });
    expect(disturbed).toEqual(plain);
    ops.dispose();
    net.dispose();
  });
});
