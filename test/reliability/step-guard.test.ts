// A step that would leave a parameter non-finite or beyond RUNAWAY_PARAMETER is never applied:
// each optimiser's bound (keepsWithin) proves most steps safe for free, and a step it cannot
// prove is copied first and taken back. Forward overflows are named by layer, as predict names them.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { createNetwork, type Network } from '../../src/api/network.js';
import { createOptimizer, type OptimizerSpec } from '../../src/optim/index.js';
import { STEP_BOUNDS, type Optimizer } from '../../src/optim/optimizer.js';
import { MODEL } from '../../src/model.js';
import { RUNAWAY_PARAMETER } from '../../src/model-limits.js';
import { kernelBackends } from '../util/backends.js';
import { stateHash } from '../util/state-hash.js';
import { expectError } from '../util/expect-error.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';

const x = [[0, 1], [1, 0], [1, 1]];
const y = [[1, 0], [0, 1], [1, 0]];
const FIRST_ORDER: OptimizerSpec[] = [
  'sgd',
  { name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0.1 },
  'lars',
  'adagrad',
  { name: 'rmsprop', weightDecay: 0.01 },
  'adam',
  { name: 'adamw', weightDecay: 0.5 },
];

function largestParameter(net: Network): number {
  const model = net[MODEL];
  return Math.max(...model.parameters().map((p) => model.kernels.maxAbs(p.value, p.length)));
}

describe.each(await kernelBackends())('the step guard on $name', ({ kernels }) => {
  const make = (sizes = [2, 3, 2]) => createNetwork({ sizes, seed: 1, backend: kernels });

  // K-FAC without its norm constraint, which would hold even this rate's step to δᵀF̂δ ≤ c.
  // SGD's and AdamW's weight decay at such a rate is refused before the guard is reached (lr·λ beyond
  // the bound the decay alone holds: test/optim/weight-decay-bound), so theirs here is one it holds.
  const decayWithin = (spec: OptimizerSpec): OptimizerSpec =>
    typeof spec === 'object' && (spec.name === 'adamw' || spec.name === 'sgd') && spec.weightDecay ? { ...spec, weightDecay: 1e-31 } : spec;

  it.each([...FIRST_ORDER.map(decayWithin), { name: 'kfac', normConstraint: 0 }])('learningRate 1e30 with %j: DIVERGED at step 1, weights, optimiser state and RNG as before', async (spec) => {
    const net = await make();
    const optimizer = createOptimizer(net, spec);
    const before = stateHash(net, optimizer);
    const error = await expectError(
      () => net.train(x, y, { learningRate: 1e30, epochs: 1, optimizer }),
      'DIVERGED',
      /^epoch 1, batch 1 \(step 1\): (hidden 1|output) \(\d\.(weight|bias)\): the step would take a parameter to \S+, beyond 1\.80e\+16 where float32 products overflow; the step was not applied \(try a learningRate below 1e\+30/,
    );
    // docs/reliability.md quotes SGD's.
    if (spec === 'sgd') expect(error.message).toMatch(quotePattern(codeQuoteOn('docs/reliability.md', 'epoch 1, batch 1 (step 1): hidden 1 (0.weight): the step would take')));
    expect(stateHash(net, optimizer)).toBe(before);
    expect(net.step).toBe(0);
    // Still a working network: it trains on at a sane rate.
    net.train(x, y, { learningRate: 0.01, epochs: 2, optimizer });
    expect(largestParameter(net)).toBeLessThan(10);
    optimizer.dispose();
    net.dispose();
  });

  it("'skip' leaves a refused step out, 'halve' halves until the steps stay in range", async () => {
    const skipping = await make();
    const before = stateHash(skipping);
    const skippedAll = await expectError(() => skipping.train(x, y, { learningRate: 1e30, batchSize: 1, onNonFinite: 'skip' }), 'DIVERGED', /every batch .*nothing was applied; onNonFinite 'skip' left out 3 batches in this call, all in this epoch \(the last: (hidden 1|output) \(\d\.(weight|bias)\): the step would take/);
    // It skipped every batch: the advice offers what it does not use (it said "onNonFinite 'skip' if a few batches are outliers").
    expect(skippedAll.message).toMatch(/try a learningRate below 1e\+30, clipNorm, or onNonFinite 'halve'\)$/);
    expect(skippedAll.message.slice(skippedAll.message.indexOf('(the last:'))).not.toMatch(/onNonFinite 'skip'/);
    expect(stateHash(skipping)).toBe(before);
    const halving = await make();
    const result = halving.train(x, y, { learningRate: 1e30, batchSize: 3, onNonFinite: 'halve', maxHalvings: 60 });
    expect(result.halvings).toBeGreaterThan(0);
    expect(halving.step).toBe(1);
    expect(largestParameter(halving)).toBeLessThanOrEqual(RUNAWAY_PARAMETER);
    skipping.dispose();
    halving.dispose();
  });

  it('gradient noise: a noisy gradient that is not finite, or a noisy step out of range, is refused naming gradientNoise.eta', async () => {
    const x4 = [[0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1]];
    const y4 = [[1, 0, 0], [0, 0, 1]];
    const net = await make([4, 5, 3]);
    const before = stateHash(net);
    // σ = 1e40: Inf in float32; in float64 (ref) finite but beyond √FLOAT32_MAX: the noisy gradient is refused on every backend.
    const refused = /with the gradient noise added, hidden 1 \(0\.weight\): ∂C\/∂W (holds Infinity|reaches \S+, beyond 1\.84e\+19)/;
    const infinite = await expectError(() => net.train(x4, y4, { gradientNoise: { eta: 1e80 } }), 'DIVERGED', /^epoch 1, batch 1 \(step 1\): .*; the step was not applied \(use a smaller gradientNoise\.eta than 1e\+80/);
    expect(infinite.message).toMatch(refused);
    expect(stateHash(net)).toBe(before);
    // σ = 1e17: every noisy entry is finite and squares within float32, the step is not.
    await expectError(
      () => net.train(x4, y4, { gradientNoise: { eta: 1e34 } }),
      'DIVERGED',
      /: (hidden 1|output) \(\d\.(weight|bias)\): the step would take a parameter to .*; the step was not applied \(use a smaller gradientNoise\.eta than 1e\+34, or try a learningRate below 0\.1/,
    );
    expect(stateHash(net)).toBe(before);
    net.dispose();
  });

  it('restore refuses what the bounds cannot hold: a non-finite buffer, a negative sum of squares', async () => {
    const net = await make();
    const adam = createOptimizer(net, 'adam');
    net.train(x, y, { optimizer: adam });
    const before = stateHash(net, adam);
    const negative = adam.state();
    negative.tensors[1][2] = -1; // parameter 0's second moment
    await expectError(() => adam.restore(negative), 'INVALID_OPTION', /^adam: restore: tensors\[1\]\[2\] is -1 \(0\.weight\); expected a finite number ≥ 0 \(a sum of squares\)$/);
    const infinite = adam.state();
    infinite.tensors[0][0] = Infinity;
    await expectError(() => adam.restore(infinite), 'INVALID_OPTION', /tensors\[0\]\[0\] is Infinity \(0\.weight\); expected a finite number$/);
    expect(stateHash(net, adam)).toBe(before);
    adam.dispose();
    net.dispose();
  });

  it('an optimiser whose keepsWithin is wrong: DIVERGED says so (no copy was kept)', async () => {
    const net = await make();
    const sgd = createOptimizer(net, 'sgd');
    const liar: Optimizer = {
      name: 'liar',
      model: net[MODEL],
      keepsWithin: () => true,
      step: (model, _rate, batch) => sgd.step(model, 1e30, batch),
      state: () => sgd.state(),
      restore: (state) => sgd.restore(state),
      dispose: () => sgd.dispose(),
    };
    await expectError(() => net.train(x, y, { optimizer: liar }), 'DIVERGED', /the step would take a parameter to .*'liar' said its step stays within 1\.80e\+16 \(keepsWithin\), so no copy was kept and the step is applied/);
    net.dispose();
  });

  it.each(FIRST_ORDER)('keepsWithin(%j) is an upper bound: no step it proves safe ends beyond the limit it was asked about, nor beyond the bound it gives (after)', async (spec) => {
    const rng = new Rng(7);
    const net = await createNetwork({ sizes: [3, 6, 2], activation: 'tanh', seed: 3, backend: kernels });
    const optimizer = createOptimizer(net, spec);
    const rows = Array.from({ length: 8 }, () => [rng.normal(), rng.normal(), rng.normal()]);
    const targets = rows.map((r) => (r[0] > 0 ? [1, 0] : [0, 1]));
    let checked = 0;
    // The smallest limit each step is proved within (bisection on a log scale), then the step.
    const probe: Optimizer = {
      name: optimizer.name,
      model: net[MODEL],
      keepsWithin: (bounds) => {
        // Asked as the guard asks (its weightMax may be a bound carried from the last proof): the
        // answer and its `after` go back to the guard, which then reads no parameter.
        if (!optimizer.keepsWithin!(bounds)) return false;
        after = bounds[STEP_BOUNDS.after];
        const asked = Float64Array.from(bounds);
        const within = (limit: number) => optimizer.keepsWithin!(asked.fill(limit, STEP_BOUNDS.limit, STEP_BOUNDS.limit + 1));
        let lo = bounds[STEP_BOUNDS.weightMax];
        let hi = bounds[STEP_BOUNDS.limit];
        for (let i = 0; i < 60; i++) {
          const mid = Math.sqrt(lo * hi);
          if (within(mid)) hi = mid;
          else lo = mid;
        }
        proved = hi;
        return true;
      },
      step: (model, rate, batch) => {
        optimizer.step(model, rate, batch);
        if (proved !== undefined) {
          const largest = largestParameter(net);
          expect(largest).toBeLessThanOrEqual(proved);
          expect(largest).toBeLessThanOrEqual(after!);
          expect(after!).toBeLessThanOrEqual(RUNAWAY_PARAMETER);
          checked++;
        }
        proved = undefined;
        after = undefined;
      },
      state: () => optimizer.state(),
      restore: (state) => optimizer.restore(state),
      dispose: () => optimizer.dispose(),
    };
    let proved: number | undefined;
    let after: number | undefined;
    for (const learningRate of [1e-3, 0.1, 10, 1e3, 1e6]) {
      try {
        net.train(rows, targets, { optimizer: probe, learningRate, epochs: 3, batchSize: 4, onNonFinite: 'skip' });
      } catch (error) {
        // A rate so large nothing is applied, or (SGD's and AdamW's decay) one whose lr·λ the decay's bound refuses.
        expect((error as Error).message).toMatch(/^epoch \d: every batch had|^(sgd|adamw): weightDecay: layer \d+'s learning rate \S+ × weightDecay \S+ is \S+, above/);
      }
    }
    expect(checked).toBeGreaterThan(10);
    optimizer.dispose();
    net.dispose();
  });

  // Three rows, one per batch, two epochs: onBatch's first call is after step 1, onEpoch's after step 3;
  // the last calls are after step 6, when no step follows.
  const callbacks = [
    ['onBatch', 'epoch 1, batch 1 \\(step 1\\)', 'epoch 2, batch 3 \\(step 6\\)'],
    ['onEpoch', 'epoch 1 \\(step 3\\)', 'epoch 2 \\(step 6\\)'],
  ] as const;

  it.each(callbacks)('%s putting a parameter out of range: DIVERGED right there under every policy, naming the callback and not the steps; the network as the callback left it', async (hook, first) => {
    for (const onNonFinite of ['throw', 'skip', 'halve'] as const) {
      const net = await make();
      const runaway = net.state().map((t, i) => ({ name: t.name, values: i === 0 ? t.values.map(() => 1e17) : t.values }));
      let left = '';
      const error = await expectError(
        () => net.train(x, y, { batchSize: 1, epochs: 2, shuffle: false, onNonFinite, [hook]: () => { net.loadState(runaway); left = stateHash(net); } }),
        'DIVERGED',
        new RegExp(`^${first}: hidden 1 \\(0\\.weight\\): ${hook} left a parameter at 1\\.00e\\+17, beyond 1\\.80e\\+16 where float32 products overflow; training stops here, the network as ${hook} left it: a step is never kept out of range, so no step setting helps$`),
      );
      // docs/reliability.md quotes onBatch's, at its first call.
      if (hook === 'onBatch') expect(error.message).toBe(codeQuoteOn('docs/reliability.md', 'epoch 1, batch 1 (step 1): hidden 1 (0.weight): onBatch left'));
      // Before, 'throw' said 'the steps since led here' and went back to the epoch's start; 'skip' and 'halve' went on from there.
      expect(error.message).not.toMatch(/steps since|not applied|learningRate|halv|skip/);
      expect(stateHash(net)).toBe(left);
      net.dispose();
    }
  });

  it.each(callbacks)('%s putting a parameter out of range after the last step: DIVERGED too (it returned with the parameter out of range)', async (hook, _, last) => {
    const net = await make();
    // A NaN only a direct write gives (loadState refuses it).
    const model = net[MODEL];
    const first = model.parameters()[0];
    await expectError(
      () => net.train(x, y, { batchSize: 1, epochs: 2, shuffle: false, [hook]: () => net.step === 6 && (model.kernels.view(first.value)[0] = NaN) }),
      'DIVERGED',
      new RegExp(`^${last}: hidden 1 \\(0\\.weight\\): ${hook} left a parameter at NaN; training stops here`),
    );
    net.dispose();
  });

  it.each([1e17, NaN, Infinity])('weights train() was given already out of range (one at %d): the advice says so and names the layer, no learning rate, clipNorm or halving', async (value) => {
    const net = await make();
    // loadState takes 1e17 (beyond the guard's bound, not float32's); a NaN or Inf only a direct write gives.
    const model = net[MODEL];
    const output = model.parameters().find((p) => p.name === '2.weight')!;
    model.kernels.view(output.value)[1] = value;
    const before = stateHash(net);
    const held = Number.isFinite(value) ? String.raw`1\.00e\+17, beyond 1\.80e\+16 where float32 products overflow` : value === Infinity ? 'Infinity' : 'NaN';
    const advice = String.raw`the weights train\(\) was given are already out of range in output \(2\.weight\), so no step setting helps: start from weights within ±1\.80e\+16 \(init\)`;
    for (const [onNonFinite, after] of [['throw', String.raw`; the step was not applied \(`], ['halve', String.raw`; the step was not applied, and halving the learning rate cannot help: .* \(`]] as const) {
      const error = await expectError(() => net.train(x, y, { onNonFinite }), 'DIVERGED', new RegExp(String.raw`^epoch 1, batch 1 \(step 1\): output \(2\.weight\): a parameter is already ${held}${after}${advice}\)$`));
      expect(error.message).not.toMatch(/learningRate|clipNorm|onNonFinite/);
      // docs/reliability.md quotes the one at 1e17 under 'throw'.
      if (value === 1e17 && onNonFinite === 'throw') expect(error.message).toBe(codeQuoteOn('docs/reliability.md', 'epoch 1, batch 1 (step 1): output (2.weight): a parameter is already'));
    }
    await expectError(() => net.train(x, y, { onNonFinite: 'skip' }), 'DIVERGED', new RegExp(String.raw`every batch .*\(the last: output \(2\.weight\): a parameter is already ${held}; ${advice}\)$`));
    expect(stateHash(net)).toBe(before);
    net.dispose();
  });

  // The overflows below are float32's: float64 (ref) holds these numbers.
  const f32 = kernels.precision === 'f32';

  it.runIf(f32)("an optimiser that gives up midway through its step (K-FAC's damped factor not positive definite at weights of 1e12): the step is not applied, DIVERGED says where, the network and K-FAC's state as before", async () => {
    const net = await createNetwork({ sizes: [2, 2, 2], activation: 'relu', output: 'softmax', loss: 'cross-entropy', seed: 2, backend: kernels });
    net.loadState(net.state().map((t) => ({ name: t.name, values: Array.from(t.values, () => 1e12) })));
    const rows = [[0.1, 0.2], [0.3, -0.4], [1, 0], [-1, 1]];
    const classes = [[1, 0], [0, 1], [1, 0], [0, 1]];
    const kfac = createOptimizer(net, 'kfac');
    const before = stateHash(net, kfac);
    // K-FAC had moved its factors' averages and drawn its sampled targets before it gave up, and train() passed its DIVERGED on as it was.
    const gaveUp = String.raw`kfac: output's damped factor G \(E\[ggᵀ\] of its sampled output gradients, 2×2\) is not positive definite: its largest \|entry\| is .*; at K-FAC's first step .* so the learning rate is not the cause: try a larger damping \(λ is 1\.00e-3\), or scale the inputs or start from smaller weights`;
    const error = await expectError(() => net.train(rows, classes, { epochs: 2, optimizer: kfac }), 'DIVERGED', new RegExp(String.raw`^epoch 1, batch 1 \(step 1\): ${gaveUp}; the step was not applied$`));
    expect(error.message).toMatch(quotePattern(codeQuoteOn('docs/reliability.md', 'epoch 1, batch 1 (step 1): kfac:')));
    expect(stateHash(net, kfac)).toBe(before);
    // 'skip' leaves that batch out and goes on: the other half of the rows steps.
    const skipping = net.train(rows, classes, { epochs: 2, batchSize: 2, optimizer: kfac, onNonFinite: 'skip' });
    expect(skipping.skipped).toBeGreaterThan(0);
    expect(skipping.epochs.every((e) => e.batches > 0 && Number.isFinite(e.loss))).toBe(true);
    kfac.dispose();
    net.dispose();
  });

  it.runIf(f32)('an overflow in the forward pass before any step names its layer in train and gradients, as predict does, and does not blame the learning rate', async () => {
    const net = await createNetwork({ sizes: [2, 8, 8, 8, 2], activation: 'linear', init: { name: 'normal', std: 1e12 }, seed: 1, backend: kernels });
    const before = stateHash(net);
    const predicted = await expectError(() => net.predict([[1, 1]]), 'NON_FINITE_INPUT', /row 0 overflows float32 in (hidden \d|output) \(unit/);
    const layer = predicted.message.match(/in (hidden \d|output) /)![1];
    const trained = await expectError(() => net.train([[1, 1]], [[1, 0]]), 'DIVERGED', new RegExp(`^epoch 1, batch 1 \\(step 1\\): row 0 overflows float32 in ${layer} .*no step of this call had run, so the learning rate is not the cause`));
    expect(trained.message).not.toMatch(/learningRate below/);
    // docs/reliability.md quotes its words of the row and layer.
    expect(trained.message).toContain(codeQuoteOn('docs/reliability.md', 'row 0 overflows float32 in'));
    await expectError(() => net.gradients([[1, 1]], [[1, 0]]), 'NON_FINITE_INPUT', new RegExp(`^inputs: row 0 overflows float32 in ${layer} `));
    expect(stateHash(net)).toBe(before);
    net.dispose();
  });

  it.runIf(f32)('a gradient too large for the checks at initialisation names its parameter and not the learning rate; gradients() returns it (finite)', async () => {
    const net = await createNetwork({ sizes: [4, ...Array(40).fill(64), 3], activation: 'linear', init: { name: 'normal', std: 1 }, seed: 1, backend: kernels });
    const x4 = [[0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1]];
    const y4 = [[1, 0, 0], [0, 0, 1]];
    // An entry beyond √FLOAT32_MAX is refused by the gradient check itself, on every backend.
    await expectError(
      () => net.train(x4, y4),
      'DIVERGED',
      /^epoch 1, batch 1 \(step 1\): hidden 1 \(0\.weight\): ∂C\/∂W reaches \S+, beyond 1\.84e\+19 where its square overflows float32 \(entry \[\d+, \d+\]: row \d's share is \S+ of it\); the step was not applied \(no step of this call had run, so the learning rate is not the cause/,
    );
    const { layers } = net.gradients(x4, y4);
    expect(layers.every((l) => [...l.weights, ...l.biases].every(Number.isFinite))).toBe(true);
    net.dispose();
  });
});
