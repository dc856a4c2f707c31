/**
 * K-FAC's DIVERGED when a damped Kronecker factor cannot be factorised: it says which factor of
 * which layer, what it held (Inf or NaN, or its largest entry against the shift its damping split
 * gave it), and advice that fits: at K-FAC's first step, or for the first layer's A (the data), the
 * learning rate is not the cause and is not advised; later it is, after the damping and the scale.
 * The remedy it names first (a larger damping) is checked to work. onNonFinite 'halve' stops at once
 * at a give-up the rate cannot mend (an OptimizerStateFault, K-FAC's or a user's optimiser's), and
 * still halves at one it may. Float32 (wasm): these are float32's roundings and overflows.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { createOptimizer } from '../../src/optim/index.js';
import { OptimizerStateFault, type Optimizer } from '../../src/optim/optimizer.js';
import { expectError } from '../util/expect-error.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';
import { stateHash } from '../util/state-hash.js';

const rows = [[0.1, 0.2], [0.3, -0.4], [1, 0], [-1, 1]];
const classes = [[1, 0], [0, 1], [1, 0], [0, 1]];

/** [2, 2, 2] relu, every weight and bias 1e12: both outputs equal, so G = E[ggᵀ] is singular (entries ±0.25) and A's diagonal ~1e24. */
async function hugeWeights(net?: Network): Promise<Network> {
  net ??= await createNetwork({ sizes: [2, 2, 2], activation: 'relu', output: 'softmax', loss: 'cross-entropy', seed: 2 });
  net.loadState(net.state().map((t) => ({ name: t.name, values: Array.from(t.values, () => 1e12) })));
  return net;
}

/** What the message says of G at weights of 1e12 (measured 2026-12-01 on wasm: the split π = 2.24e12 leaves G a shift of 1.41e-14). */
const SINGULAR_G = String.raw`kfac: output's damped factor G \(E\[ggᵀ\] of its sampled output gradients, 2×2\) is not positive definite: its largest \|entry\| is 0\.250 and its shift, 1\.41e-14 raised ×1e6 to 1\.41e-8, stayed below the float32 rounding of that entry \(2\.98e-8\): the damping split π = √\(mean diag A / mean diag G\) = √\(1\.25e\+24 / 0\.250\) = 2\.24e\+12 gives A the shift 7\.07e\+10 and G 1\.41e-14`;

describe("K-FAC's factor that cannot be factorised", () => {
  it('at its first step: says what it measured, does not blame the learning rate, and a larger damping mends it', async () => {
    const net = await hugeWeights();
    const kfac = createOptimizer(net, 'kfac');
    const before = stateHash(net, kfac);
    const error = await expectError(
      () => net.train(rows, classes, { epochs: 1, optimizer: kfac }),
      'DIVERGED',
      new RegExp(String.raw`^epoch 1, batch 1 \(step 1\): ${SINGULAR_G}; at K-FAC's first step the factors are of this batch at the weights it was given, so the learning rate is not the cause: try a larger damping \(λ is 1\.00e-3\), or scale the inputs or start from smaller weights; the step was not applied$`),
    );
    expect(error.message).not.toMatch(/NaN|Inf\b|learningRate|a smaller learning rate/);
    // docs/reliability.md's Numeric faults quotes what it says of G.
    expect(error.message).toMatch(quotePattern(codeQuoteOn('docs/reliability.md', "kfac: output's damped factor G")));
    expect(stateHash(net, kfac)).toBe(before);
    kfac.dispose();
    // The damping it advises: ×10 is enough here.
    const damped = createOptimizer(net, { name: 'kfac', damping: 1e-2 });
    expect(net.train(rows, classes, { epochs: 1, optimizer: damped }).epochs).toHaveLength(1);
    damped.dispose();
    net.dispose();
  });

  it('at a later step: says which step, and adds a smaller learning rate after the damping and the scale', async () => {
    const net = await createNetwork({ sizes: [2, 2, 2], activation: 'relu', output: 'softmax', loss: 'cross-entropy', seed: 2 });
    // decay 0 and inverseEvery 1: every step's factors are its batch's alone and are inverted again.
    const kfac = createOptimizer(net, { name: 'kfac', decay: 0, inverseEvery: 1 });
    net.train(rows, classes, { epochs: 1, optimizer: kfac });
    await hugeWeights(net);
    await expectError(
      () => net.train(rows, classes, { epochs: 1, optimizer: kfac }),
      'DIVERGED',
      new RegExp(String.raw`^epoch 1, batch 1 \(step 2\): ${SINGULAR_G}; at K-FAC's step 2: try a larger damping \(λ is 1\.00e-3\), or scale the inputs or start from smaller weights; or, if the steps since its first grew the weights, a smaller learning rate; the step was not applied$`),
    );
    kfac.dispose();
    net.dispose();
  });

  it("names an overflow of the first layer's A as the data's, which no step changes: scale the inputs, at any step, between the inverses' refreshes too", async () => {
    const net = await createNetwork({ sizes: [2, 2, 2], activation: 'tanh', output: 'softmax', loss: 'cross-entropy', seed: 2 });
    // The default inverseEvery 20: step 2 refreshes no inverse, and its Inf factor was carried on in silence.
    const kfac = createOptimizer(net, 'kfac');
    // 32 rows of ±1e19: each square is 1e38, their sum beyond float32 (the loss and gradient stay finite: tanh saturates).
    const huge = Array.from({ length: 32 }, (_, i) => [1e19 * (i % 2 ? 1 : -1), 1e19]);
    const labels = huge.map((_, i) => (i % 2 ? [1, 0] : [0, 1]));
    const said = String.raw`kfac: hidden 1's factor A \(E\[āāᵀ\] of its inputs \(the data\) and bias, 3×3\) holds Infinity: the squares it averages overflowed; the factor is of the data, which no step changes, so the learning rate is not the cause: scale the inputs; the step was not applied$`;
    const first = await expectError(() => net.train(huge, labels, { epochs: 1, batchSize: 32, optimizer: kfac }), 'DIVERGED', new RegExp(`^epoch 1, batch 1 \\(step 1\\): ${said}`));
    expect(first.message).not.toMatch(/learningRate|a smaller learning rate/);
    net.train(rows, classes, { epochs: 1, optimizer: kfac });
    const before = stateHash(net, kfac);
    const later = await expectError(() => net.train(huge, labels, { epochs: 1, batchSize: 32, optimizer: kfac }), 'DIVERGED', new RegExp(`\\(step 2\\): ${said}`));
    expect(later.message).not.toMatch(/learningRate|a smaller learning rate/);
    // A fault of its own state, which no learning rate changes: 'halve' stops at once.
    await expectError(
      () => net.train(huge, labels, { epochs: 1, batchSize: 32, optimizer: kfac, onNonFinite: 'halve' }),
      'DIVERGED',
      /halving the learning rate cannot help: the fault is in kfac's factor A of hidden 1, which the learning rate does not change/,
    );
    // Nothing carried on: the factors, the network and the step count as step 1 left them; the state saves and loads back.
    expect(stateHash(net, kfac)).toBe(before);
    expect(kfac.state().tensors.every((t) => t.every(Number.isFinite))).toBe(true);
    kfac.restore(kfac.state());
    kfac.dispose();
    net.dispose();
  });
});

describe("onNonFinite 'halve' at a fault in the optimiser's own state", () => {
  it("stops at once at K-FAC's factor at its first step, naming it, nothing halved and nothing changed (it halved 10 times)", async () => {
    const net = await hugeWeights();
    const kfac = createOptimizer(net, 'kfac');
    const before = stateHash(net, kfac);
    let steps = 0;
    const step = kfac.step.bind(kfac);
    kfac.step = (...args) => (steps++, step(...args));
    const error = await expectError(
      () => net.train(rows, classes, { epochs: 2, optimizer: kfac, onNonFinite: 'halve' }),
      'DIVERGED',
      new RegExp(
        String.raw`^epoch 1, batch 1 \(step 1\): ${SINGULAR_G}; .*; the step was not applied, and halving the learning rate cannot help: the fault is in kfac's damped factor G of output, which the learning rate does not change; nothing was halved or put back, the network is as train\(\) was given it$`,
      ),
    );
    expect(error.message).toMatch(quotePattern(codeQuoteOn('docs/reliability.md', "…; the step was not applied, and halving the learning rate cannot help: the fault is in kfac's")));
    expect(steps).toBe(1);
    expect(stateHash(net, kfac)).toBe(before);
    kfac.dispose();
    net.dispose();
  });

  it('still halves at a give-up the rate may mend (K-FAC at a later step, after steps that may have grown the weights)', async () => {
    const net = await createNetwork({ sizes: [2, 2, 2], activation: 'relu', output: 'softmax', loss: 'cross-entropy', seed: 2 });
    const kfac = createOptimizer(net, { name: 'kfac', decay: 0, inverseEvery: 1 });
    net.train(rows, classes, { epochs: 1, optimizer: kfac });
    await hugeWeights(net);
    await expectError(() => net.train(rows, classes, { epochs: 1, optimizer: kfac, onNonFinite: 'halve', maxHalvings: 2 }), 'DIVERGED', /after 2 halvings of the learning rate/);
    kfac.dispose();
    net.dispose();
  });

  it("stops at once at any optimiser's OptimizerStateFault, after steps: the network as the last step left it", async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], activation: 'tanh', output: 'softmax', loss: 'cross-entropy', seed: 4 });
    const sgd = createOptimizer(net, 'sgd');
    let steps = 0;
    // A user's optimiser (SGD inside, no keepsWithin: its steps are copied) whose third step gives up on a state of its own.
    const giving: Optimizer = {
      name: 'custom',
      step(model, learningRate, batch) {
        if (++steps === 3) throw new OptimizerStateFault('custom: its accumulator is NaN', "custom's accumulator");
        sgd.step(model, learningRate, batch);
      },
      state: () => sgd.state(),
      restore: (state) => sgd.restore(state),
      dispose: () => sgd.dispose(),
    };
    let after2 = '';
    await expectError(
      () => net.train(rows, classes, { epochs: 3, batchSize: 2, shuffle: false, optimizer: giving, onNonFinite: 'halve', onBatch: (b) => void (b.step === 2 && (after2 = stateHash(net))) }),
      'DIVERGED',
      /^epoch 2, batch 1 \(step 3\): custom: its accumulator is NaN; the step was not applied, and halving the learning rate cannot help: the fault is in custom's accumulator, which the learning rate does not change; nothing was halved or put back, the network is as the last step left it$/,
    );
    expect(steps).toBe(3);
    expect(stateHash(net)).toBe(after2);
    sgd.dispose();
    net.dispose();
  });
});
