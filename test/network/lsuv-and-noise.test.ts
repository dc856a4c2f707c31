// LSUV initialisation (init: 'lsuv', net.initLsuv, train's lsuv option) and annealed gradient noise
// (train's gradientNoise option) through the public API, on dense and block networks.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { loadCheckpoint, saveModel } from '../../src/io/files.js';
import { restoreOptimizer } from '../../src/io/checkpoint.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { denseModelOf } from '../../src/model.js';
import { Adam } from '../../src/optim/adam.js';
import { OPTIMIZERS, registerOptimizer } from '../../src/optim/index.js';
import { Sgd } from '../../src/optim/sgd.js';
import { equalisingLayerRates } from '../../src/optim/layer-rates.js';
import { expectError } from '../util/expect-error.js';
import { FLOAT32_MIN_NORMAL } from '../../src/checks.js';

const rng = new Rng(12);
const X = Array.from({ length: 64 }, () => Array.from({ length: 10 }, () => 2 * rng.normal() + 1));
const Y = X.map((row) => (row[0] > 1 ? [1, 0] : [0, 1]));
const SPECS: LayerSpec[] = [
  { type: 'dense', units: 16, activation: 'relu' },
  { type: 'residual', layers: [{ type: 'dense', units: 16, activation: 'tanh' }, { type: 'batch-norm' }] },
  { type: 'dense', units: 2, activation: 'softmax' },
];

/** Biased variance of the first n values. */
function variance(values: ArrayLike<number>, n: number): number {
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] / n;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (values[i] - mean) ** 2;
  return sum / n;
}

/** Every parameter and buffer value, with the step and RNG: what a refused call must leave alone. */
function snapshot(net: Network): unknown {
  return { state: net.state().map((t) => [t.name, Array.from(t.values)]), step: net.step, rng: net.rng.getState() };
}

describe('LSUV', () => {
  it("an unknown init is refused with the list createNetwork takes, 'lsuv' among them", async () => {
    await expectError(() => createNetwork({ sizes: [10, 2], init: 'lsvu' as 'lsuv', backend: 'ref' }), 'INVALID_OPTION', /^init: expected one of .*\blsuv\b/);
  });

  it("a dense network of init 'lsuv': refused by train() until initLsuv; then each layer's pre-activation variance is within 0.1 of 1", async () => {
    const net = await createNetwork({ sizes: [10, 20, 20, 2], activation: 'tanh', init: 'lsuv', seed: 4, backend: 'ref' });
    const before = snapshot(net);
    await expectError(() => net.train(X, Y), 'INVALID_OPTION', /^lsuv: this network was created with init 'lsuv'.*net\.initLsuv\(x\).*\{ lsuv: true \}/);
    expect(snapshot(net)).toEqual(before);
    // Orthonormal rows to start with (20×10: WWᵀ restricted to its rank is I, so every row has norm 1).
    const w0 = net.kernels.view(net.weights[1]);
    for (let j = 0; j < 20; j++) expect(Math.hypot(...Array.from(w0.subarray(j * 20, (j + 1) * 20)))).toBeCloseTo(1, 6); // drawn in float32
    const reports = net.initLsuv(X);
    expect(reports.map((r) => r.name)).toEqual(['0', '2', '4']);
    const model = denseModelOf(net, 'test');
    net.gradients(X, Y); // a forward of all rows: zs[l] are the layers' pre-activations
    for (let l = 0; l < 3; l++) {
      const v = variance(net.kernels.view(model.zs[l]), X.length * net.sizes[l + 1]);
      expect(Math.abs(v - 1), `layer ${l}`).toBeLessThan(0.1);
      expect(reports[l].finalVariance).toBeCloseTo(v, 6);
    }
    expect(reports[0].initialVariance).toBeGreaterThan(1.1); // inputs of variance 4: the first layer needed rescaling
    net.train(X, Y, { epochs: 1 }); // no longer refused
    net.dispose();
  });

  it("a block network: train's lsuv option rescales each dense layer (branches included) by one positive factor, then trains", async () => {
    const net = await createNetwork({ inputs: 10, layers: SPECS, init: 'lsuv', seed: 4, backend: 'ref' });
    const weights = () => Object.fromEntries(net.state().filter((t) => t.name.endsWith('weight')).map((t) => [t.name, Array.from(t.values)]));
    const before = weights();
    const result = net.train(X, Y, { epochs: 1, batchSize: 32, learningRate: FLOAT32_MIN_NORMAL, lsuv: { tolerance: 0.05 } }); // the least rate the core takes: next to no step
    expect(result.lsuv!.map((r) => r.name)).toEqual(['0', '2.branch.0', '3']);
    for (const r of result.lsuv!) expect(Math.abs(r.finalVariance - 1), r.name).toBeLessThan(0.05);
    const after = weights();
    for (const name of ['0.weight', '2.branch.0.weight', '3.weight']) {
      const ratios = after[name].map((v, i) => v / before[name][i]).filter(Number.isFinite);
      expect(Math.max(...ratios) - Math.min(...ratios), name).toBeLessThan(1e-6); // float32
      expect(ratios[0]).toBeGreaterThan(0);
    }
    expect(after['2.branch.1.weight']).toEqual(before['2.branch.1.weight']); // batch norm's γ is not a dense layer
    net.dispose();
  });

  it('refuses bad options and bad rows before anything changes', async () => {
    const net = await createNetwork({ inputs: 10, layers: SPECS, init: 'lsuv', seed: 4, backend: 'wasm' });
    const before = snapshot(net);
    await expectError(() => net.initLsuv(X, { tolerance: -1 }), 'INVALID_OPTION', /^lsuv: tolerance: expected a finite number > 0, got -1$/);
    await expectError(() => net.initLsuv([[1, 2]]), 'SHAPE_MISMATCH', /inputs: row 0 has 2 values, expected 10/);
    await expectError(() => net.initLsuv([X[0].map(() => 3e38), X[1]]), 'NON_FINITE_INPUT', /inputs: row 0 overflows float32/);
    await expectError(() => net.train(X, Y, { lsuv: 'yes' as unknown as boolean }), 'INVALID_OPTION', /^lsuv: expected true, false or/);
    // 0 rescalings would leave the weights as they are yet clear the network's wait for LSUV.
    await expectError(() => net.initLsuv(X, { maxIterations: 0 }), 'INVALID_OPTION', /^lsuv: maxIterations: expected a whole number ≥ 1, got 0$/);
    await expectError(() => net.train(X, Y, { lsuv: { maxIterations: 0 } }), 'INVALID_OPTION', /^lsuv: maxIterations: expected a whole number ≥ 1, got 0$/);
    expect(snapshot(net)).toEqual(before);
    await expectError(() => net.train(X, Y), 'INVALID_OPTION', /^lsuv: this network was created with init 'lsuv'/);
    net.dispose();
  });

  it('per-layer rates come after LSUV: equalisingLayerRates refuses a network that waits for it, train() its lsuv option beside layerRates, nothing changed; the order the refusals name trains', async () => {
    const net = await createNetwork({ sizes: [10, 16, 16, 2], activation: 'tanh', init: 'lsuv', seed: 4, backend: 'ref' });
    const probe = { x: X.slice(0, 32), y: Y.slice(0, 32) };
    const before = snapshot(net);
    await expectError(() => equalisingLayerRates(net, probe), 'INVALID_OPTION', /^equalisingLayerRates: this network was created with init 'lsuv' and waits for LSUV.*call net\.initLsuv\(x\) first, then measure the rates/);
    const later = /^lsuv: LSUV rescales the weights before the first step, and 'sgd' was given layerRates \[4, 2, 1\] before it.*call net\.initLsuv\(x\) first .*then measure the rates, make the optimiser and train without lsuv$/;
    await expectError(() => net.train(X, Y, { lsuv: true, batchSize: 32, optimizer: { name: 'sgd', layerRates: [4, 2, 1] } }), 'INVALID_OPTION', later);
    const given = new Sgd(net, { layerRates: [4, 2, 1] });
    await expectError(() => net.train(X, Y, { lsuv: { tolerance: 0.05 }, optimizer: given }), 'INVALID_OPTION', later);
    expect(snapshot(net)).toEqual(before);
    expect(Array.from(given.layerRates)).toEqual([4, 2, 1]); // the caller's optimiser is left as it was, not disposed
    given.dispose();
    // Rates of 1 are no per-layer rates: LSUV beside them trains.
    const plain = await createNetwork({ sizes: [10, 16, 16, 2], activation: 'tanh', init: 'lsuv', seed: 4, backend: 'ref' });
    expect(plain.train(X, Y, { lsuv: true, batchSize: 32, epochs: 1, optimizer: { name: 'sgd', layerRates: [1, 1, 1] } }).lsuv).toHaveLength(3);
    plain.dispose();
    // The named order: LSUV on the rows train's lsuv takes, then the rates of the weights it left, then training with them.
    net.initLsuv(probe.x);
    const rates = equalisingLayerRates(net, probe);
    expect(rates[2]).toBe(1);
    const result = net.train(X, Y, { batchSize: 32, epochs: 1, optimizer: { name: 'sgd', layerRates: rates }, trace: {} });
    expect(result.trace!.run.layerRates).toEqual(rates);
    net.dispose();
  });

  it('refuses data whose scale needs weights beyond what training keeps (1e-30 inputs: weights of about 1e30), weights untouched', async () => {
    for (const backend of ['ref', 'wasm'] as const) {
      const net = await createNetwork({ sizes: [10, 8, 8, 2], activation: 'relu', init: 'lsuv', seed: 4, backend });
      const before = snapshot(net);
      const tiny = X.map((row) => row.map((v) => v * 1e-30));
      await expectError(() => net.initLsuv(tiny), 'INVALID_OPTION', /^lsuv: unit variance for layer 0 .*needs weights up to \d\.\d+e\+\d+, beyond the 1\.80e\+16 that training allows.*largest \|x\| is \d\.\d+e-30: scale the data.*nothing was changed$/);
      await expectError(() => net.train(tiny, Y, { lsuv: true }), 'INVALID_OPTION', /^lsuv: unit variance for layer 0 /);
      expect(snapshot(net)).toEqual(before);
      // The same data at a trainable scale goes through: the limit, not LSUV, refused it.
      expect(net.initLsuv(X.map((row) => row.map((v) => v * 1e-10))).length).toBe(3);
      net.dispose();
    }
  });
});

describe('annealed gradient noise', () => {
  it('adds N(0, η/(1 + t)^γ) to every gradient entry, drawn from the network RNG, at step t', async () => {
    const options = { epochs: 1, batchSize: 64, shuffle: false, learningRate: 0.1 } as const;
    for (const t of [0, 7]) {
      const make = async () => {
        const net = await createNetwork({ inputs: 10, layers: SPECS, seed: 9, backend: createRefKernels({ precision: 'f64' }) });
        net.step = t;
        return net;
      };
      const clean = await make();
      clean.train(X, Y, options);
      const noisy = await make();
      const draws = new Rng(1);
      draws.setState(noisy.rng.getState()); // the network's RNG, which nothing else draws from with shuffle off
      noisy.train(X, Y, { ...options, gradientNoise: { eta: 0.3, gamma: 0.55 } });
      const sigma = Math.sqrt(0.3 / (1 + t) ** 0.55);
      const [a, b] = [clean.parameters(), noisy.parameters()];
      a.forEach((p, i) => {
        const [va, vb] = [clean.kernels.view(p.value), noisy.kernels.view(b[i].value)];
        for (let j = 0; j < p.length; j++) expect(vb[j] - va[j], `${p.name}[${j}] at t = ${t}`).toBeCloseTo(-0.1 * sigma * draws.normal(), 12);
      });
      clean.dispose();
      noisy.dispose();
    }
  });

  it('η = 0 changes nothing: the same parameters, bit for bit', async () => {
    const run = async (gradientNoise?: { eta: number }) => {
      const net = await createNetwork({ inputs: 10, layers: SPECS, seed: 9, backend: 'wasm' });
      net.train(X, Y, { epochs: 2, batchSize: 16, optimizer: 'adam', gradientNoise });
      const state = snapshot(net);
      net.dispose();
      return state;
    };
    expect(await run({ eta: 0 })).toEqual(await run());
  });

  it.each(['lbfgs', 'kfac', 'levenberg-marquardt', 'hessian-free'])('is refused with %s (not first-order) before anything changes', async (optimizer) => {
    const net = await createNetwork({ sizes: [10, 4, 2], seed: 9, loss: 'mse', output: 'sigmoid', backend: 'ref' });
    const before = snapshot(net);
    await expectError(() => net.train(X, Y, { optimizer, gradientNoise: { eta: 0.1 } }), 'INVALID_OPTION', new RegExp(`^gradientNoise: '${optimizer}' is not a first-order optimiser`));
    await expectError(() => net.train(X, Y, { gradientNoise: { eta: -1 } }), 'INVALID_OPTION', /gradientNoise\.eta/);
    await expectError(() => net.train(X, Y, { gradientNoise: { eta: NaN } }), 'INVALID_OPTION', /^gradientNoise\.eta: expected a finite number ≥ 0, got NaN$/);
    await expectError(() => net.train(X, Y, { gradientNoise: { eta: 1, seed: 3 } as { eta: number } }), 'INVALID_OPTION', /gradientNoise\.seed/);
    expect(snapshot(net)).toEqual(before);
    net.dispose();
  });

  it("offers the registry's first-order optimisers, a registered one too (the list is read from OPTIMIZERS, not spelled by hand)", async () => {
    registerOptimizer({ name: 'sgd-plugin', kind: 'first-order', supports: 'any', summary: 'SGD under another name', options: [], create: (net) => new Sgd(net) });
    const firstOrder = OPTIMIZERS.filter((d) => d.kind === 'first-order').map((d) => d.name);
    expect(firstOrder).toEqual(['sgd', 'lars', 'adagrad', 'rmsprop', 'adam', 'adamw', 'sgd-plugin']);
    const net = await createNetwork({ sizes: [10, 4, 2], seed: 9, loss: 'mse', output: 'sigmoid', backend: 'ref' });
    for (const { name } of OPTIMIZERS.filter((d) => d.kind === 'second-order')) {
      await expectError(() => net.train(X, Y, { optimizer: name, gradientNoise: { eta: 0.1 } }), 'INVALID_OPTION', new RegExp(`^gradientNoise: '${name}' is not a first-order optimiser .*; use sgd, lars, adagrad, rmsprop, adam, adamw or sgd-plugin$`));
    }
    net.dispose();
  });

  it('resumes bit for bit from a checkpoint: the schedule follows the saved step, the draws the saved RNG', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradscope-noise-'));
    const options = { epochs: 1, batchSize: 16, gradientNoise: { eta: 0.01 } } as const;
    const straight = await createNetwork({ inputs: 10, layers: SPECS, seed: 3, backend: 'wasm' });
    straight.train(X, Y, { ...options, epochs: 2, optimizer: new Adam(straight) });
    const first = await createNetwork({ inputs: 10, layers: SPECS, seed: 3, backend: 'wasm' });
    const adam = new Adam(first);
    first.train(X, Y, { ...options, optimizer: adam });
    await saveModel(first, join(folder, 'noise.bin'), { optimizer: adam });
    const { network, checkpoint } = await loadCheckpoint(join(folder, 'noise.bin'), { backend: 'wasm' });
    const resumedAdam = new Adam(network);
    restoreOptimizer(resumedAdam, checkpoint.optimizer);
    network.train(X, Y, { ...options, optimizer: resumedAdam });
    expect(snapshot(network)).toEqual(snapshot(straight));
    for (const n of [straight, first, network]) n.dispose();
  });
});
