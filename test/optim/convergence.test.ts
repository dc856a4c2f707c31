/**
 * Every registered optimiser (hessian-free and kfac are tested by their own suites) reaches the
 * known optimum of problems with a closed-form answer, on the wasm backend:
 * - least squares with a [3, 1] linear network and MSE: the weights match the normal equations;
 * - logistic regression on data separable with a margin: every point right, loss below 0.02
 *   (the optimum is the infimum 0; Levenberg-Marquardt is left out, it needs the quadratic cost);
 * - XOR with a [2, 8, 1] tanh network: loss < 0.01.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import type { OptimizerSpec } from '../../src/optim/index.js';
import { leastSquaresProblem, normalEquations, ONE_OUTPUT, separableClasses, TILTED, XOR } from './problems.js';

interface Setting {
  spec: OptimizerSpec;
  /** Learning rate (undefined: the optimiser's default). */
  learningRate?: number;
  epochs: number;
  /** Largest |θ − θ*| accepted on least squares. */
  tolerance: number;
  /** spec: for options that depend on the network's depth (layerRates). */
  xor: { learningRate?: number; epochs: number; spec?: OptimizerSpec };
}

// Tolerances: f32 storage limits the exact methods to ~1e-5; RMSProp and LARS take steps of a
// nearly fixed length (g/√mean g², the trust ratio), so they hover within about a step of θ*.
const SETTINGS: Setting[] = [
  { spec: 'sgd', learningRate: 0.5, epochs: 200, tolerance: 1e-4, xor: { learningRate: 2, epochs: 1000 } },
  { spec: { name: 'sgd', momentum: 0.9, nesterov: true }, learningRate: 0.05, epochs: 300, tolerance: 1e-4, xor: { learningRate: 0.2, epochs: 1500 } },
  {
    spec: { name: 'sgd', momentum: 0.9, layerRates: [0.5] },
    learningRate: 0.1,
    epochs: 300,
    tolerance: 1e-4,
    xor: { learningRate: 0.2, epochs: 1500, spec: { name: 'sgd', momentum: 0.9, layerRates: [2, 0.5] } },
  },
  { spec: { name: 'lars', eta: 0.01 }, learningRate: 0.1, epochs: 1000, tolerance: 1e-2, xor: { learningRate: 0.4, epochs: 5000 } },
  { spec: 'adagrad', learningRate: 0.5, epochs: 500, tolerance: 1e-4, xor: { learningRate: 0.5, epochs: 2500 } },
  { spec: 'rmsprop', learningRate: 0.003, epochs: 2000, tolerance: 5e-3, xor: { learningRate: 0.012, epochs: 10000 } },
  { spec: 'adam', learningRate: 0.01, epochs: 1500, tolerance: 1e-4, xor: { learningRate: 0.04, epochs: 7500 } },
  { spec: { name: 'adamw', weightDecay: 0 }, learningRate: 0.01, epochs: 1500, tolerance: 1e-4, xor: { learningRate: 0.04, epochs: 7500 } },
  { spec: 'lbfgs', epochs: 20, tolerance: 1e-4, xor: { epochs: 100 } },
  { spec: 'levenberg-marquardt', epochs: 10, tolerance: 1e-5, xor: { epochs: 50 } },
];

const label = (s: Setting) => JSON.stringify(s.spec);

describe.each(SETTINGS.map((s) => [label(s), s] as const))('%s', (_, s) => {
  it('reaches the least-squares solution of the normal equations', async () => {
    const problem = leastSquaresProblem(3, 64, ONE_OUTPUT);
    const want = normalEquations(problem);
    const wantWeights = want.weights[0], wantBias = want.biases[0];
    const net = await createNetwork({ sizes: [3, 1], output: 'linear', loss: 'mse', seed: 1 });
    net.train(problem.x, problem.y, { optimizer: s.spec, learningRate: s.learningRate, epochs: s.epochs, batchSize: 64 });
    const w = Array.from(net.kernels.view(net.weights[0]));
    const b = net.kernels.view(net.biases[0])[0];
    net.dispose();
    const errors = [...w.map((v, i) => Math.abs(v - wantWeights[i])), Math.abs(b - wantBias)];
    const worst = Math.max(...errors);
    console.log(`${label(s)}: largest |θ − θ*| ${worst.toExponential(2)}`);
    expect(worst, `θ = [${w}, ${b}], θ* = [${wantWeights}, ${wantBias}]`).toBeLessThanOrEqual(s.tolerance);
  });

  it.skipIf(s.spec === 'levenberg-marquardt')('separates data separable with a margin (logistic regression)', async () => {
    const problem = separableClasses(4, TILTED);
    const net = await createNetwork({ sizes: [2, 1], output: 'sigmoid', loss: 'binary-cross-entropy', seed: 1 });
    const before = net.evaluate(problem.x, problem.y);
    net.train(problem.x, problem.y, { optimizer: s.spec, learningRate: s.learningRate, epochs: s.epochs, batchSize: 64 });
    const after = net.evaluate(problem.x, problem.y);
    net.dispose();
    expect(before.loss).toBeGreaterThan(0.1);
    expect(after.accuracy).toBe(1);
    expect(after.loss).toBeLessThan(0.02);
  });

  it('solves XOR (loss < 0.01)', async () => {
    const net = await createNetwork({ sizes: [2, 8, 1], activation: 'tanh', output: 'sigmoid', loss: 'mse', seed: 2 });
    net.train(XOR.x, XOR.y, { optimizer: s.xor.spec ?? s.spec, learningRate: s.xor.learningRate, epochs: s.xor.epochs, batchSize: 4 });
    const { loss, accuracy } = net.evaluate(XOR.x, XOR.y);
    net.dispose();
    expect(accuracy).toBe(1);
    expect(loss).toBeLessThan(0.01);
  });
});
