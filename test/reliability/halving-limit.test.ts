// onNonFinite 'halve' never halves the learning rate below what train() takes when it is given
// one: a rate that float32, which the core computes in, holds as 0 or a subnormal (below 2⁻¹²⁶).
// SGD and its kin refuse such a rate themselves (Optimizer.rateProblem, which also covers a layer's
// rate); K-FAC, L-BFGS and an optimiser passed in without rateProblem took it: before, they halved
// 60 times, to 8.67e-56, taking steps that did nothing, and DIVERGED said the halvings were spent.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { FLOAT32_MIN_NORMAL } from '../../src/checks.js';
import { MODEL } from '../../src/model.js';
import type { DivergedError } from '../../src/training/advice.js';
import { createOptimizer, type OptimizerSpec } from '../../src/optim/index.js';
import type { Optimizer } from '../../src/optim/optimizer.js';
import { kernelBackends } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';
import { stateHash } from '../util/state-hash.js';

// Batch 1 is ordinary; batch 2's targets make its loss a runaway at any state (over 10⁶× the first
// batch's), so 'halve' goes back to the call's start and halves after every first step, whatever the rate.
const x = [[0.1, 0.2], [0.3, -0.1], [0.5, 0.5], [-0.2, 0.4]];
const y = [[0.1], [0.2], [1e5], [-1e5]];
const OPTIONS = { learningRate: 1e-37, batchSize: 2, shuffle: false, onNonFinite: 'halve', maxHalvings: 60 } as const;
/** 1e-37 halved three times is 1.25e-38, still normal; a fourth halving, 6.25e-39, is subnormal. */
const CANNOT_HALVE = String.raw`after 3 halvings of the learning rate \(now 1\.25e-38\), which cannot be halved further: `;
const SUBNORMAL = String.raw`6\.25e-39 is subnormal in float32, which the wasm core computes in and every backend checks against, so it would do nothing or next to nothing; the least usable value is 1\.1754944e-38 \(2⁻¹²⁶, float32's smallest normal number\)`;
const BACK = String.raw`; the network is back at the start of epoch 1 \(the initial weights\), the last state judged good that was kept \(its batch loss \S+\)$`;
const RUNAWAY = String.raw`^epoch 1, batch 2 \(step 2\): the loss \S+ is over 10⁶× the first batch's \(\S+\): training is running away `;

describe.each(await kernelBackends())("'halve' down to float32's smallest normal learning rate on $name", ({ kernels }) => {
  const network = () => createNetwork({ sizes: [2, 3, 1], output: 'linear', loss: 'mse', seed: 1, backend: kernels });

  /** `optimizer` as a plugin's would be: every method but rateProblem, and the rates its steps were given. */
  function withoutRateProblem(optimizer: Optimizer) {
    const rates: number[] = [];
    const plugin: Optimizer = {
      name: optimizer.name,
      model: optimizer.model,
      step: (net, rate, batch) => {
        rates.push(rate);
        optimizer.step(net, rate, batch);
      },
      state: () => optimizer.state(),
      restore: (state) => optimizer.restore(state),
      dispose: () => optimizer.dispose(),
    };
    return { plugin, rates };
  }

  it.each<OptimizerSpec>(['kfac', 'lbfgs'])("%s (no rateProblem): stops halving where the rate would be subnormal, DIVERGED saying so, everything as the call found it", async (spec) => {
    const net = await network();
    const optimizer = createOptimizer(net, spec);
    expect(optimizer.rateProblem, 'this test is about an optimiser without rateProblem').toBeUndefined();
    const before = stateHash(net, optimizer);
    const { plugin, rates } = withoutRateProblem(optimizer);
    const error = await expectError(() => net.train(x, y, { ...OPTIONS, optimizer: plugin }), 'DIVERGED', new RegExp(`${RUNAWAY}${CANNOT_HALVE}learningRate: ${SUBNORMAL}${BACK}`));
    // docs/reliability.md quotes K-FAC's.
    if (spec === 'kfac') expect(error.message).toMatch(quotePattern(codeQuoteOn('docs/reliability.md', '… after 3 halvings of the learning rate (now 1.25e-38)')));
    expect(Math.min(...rates)).toBe(1.25e-38);
    expect(Math.min(...rates.map(Math.fround))).toBeGreaterThanOrEqual(FLOAT32_MIN_NORMAL);
    expect(stateHash(net, optimizer)).toBe(before);
    optimizer.dispose();
    net.dispose();
  });

  it('an optimiser passed in without rateProblem, whose step takes any rate: the same', async () => {
    const net = await network();
    const { plugin, rates } = withoutRateProblem(createOptimizer(net, 'adam'));
    await expectError(() => net.train(x, y, { ...OPTIONS, optimizer: plugin }), 'DIVERGED', new RegExp(`${RUNAWAY}${CANNOT_HALVE}learningRate: ${SUBNORMAL}${BACK}`));
    expect(Math.min(...rates)).toBe(1.25e-38);
    plugin.dispose();
    net.dispose();
  });

  it("SGD: its own rateProblem decides, the step size of the layer it names", async () => {
    const net = await network();
    const sgd = createOptimizer(net, 'sgd');
    await expectError(() => net.train(x, y, { ...OPTIONS, optimizer: sgd }), 'DIVERGED', new RegExp(`${RUNAWAY}${CANNOT_HALVE}sgd: layer 0's step size, learning rate 6\\.25e-39 × layerRates\\[0\\] 1: ${SUBNORMAL}${BACK}`));
    sgd.dispose();
    net.dispose();
  });

  // The call disposes of the SGD it made for itself when it ends; its DIVERGED reads the SGD's rateProblem again
  // whenever it is said in other terms (the CLI's). That read threw DISPOSED while dispose() made every member refuse.
  it("the call's own SGD: its DIVERGED is said again in other terms after the call has disposed of the SGD", async () => {
    const net = await network();
    const error = await expectError(() => net.train(x, y, OPTIONS), 'DIVERGED', new RegExp(`${RUNAWAY}${CANNOT_HALVE}sgd: layer 0's step size`));
    expect((error as DivergedError).messageFor({ learningRate: '--learning-rate', maxHalvings: '--max-halvings' })).toMatch(new RegExp(`${CANNOT_HALVE}sgd: layer 0's step size, learning rate 6\\.25e-39 × layerRates\\[0\\] 1: ${SUBNORMAL}${BACK}`));
    net.dispose();
  });

  it('maxHalvings spent before the limit: as before, the halvings spent', async () => {
    const net = await network();
    const kfac = createOptimizer(net, 'kfac');
    await expectError(() => net.train(x, y, { ...OPTIONS, maxHalvings: 2, optimizer: kfac }), 'DIVERGED', new RegExp(`${RUNAWAY}after 2 halvings of the learning rate \\(now 2\\.50e-38\\), all that maxHalvings allows${BACK}`));
    expect(net[MODEL].step).toBe(0);
    kfac.dispose();
    net.dispose();
  });
});
