// A step with a NaN or Inf loss or gradient is caught in that step and never applied; the
// onNonFinite policy throws, skips or halves. Extreme finite inputs never give a silent NaN.
import { describe, expect, it, vi } from 'vitest';
import { GradscopeError } from '../../src/errors.js';
import { Rng } from '../../src/init/rng.js';
import { ACTIVATIONS } from '../../src/kernels.js';
import { createNetwork, type Network } from '../../src/api/network.js';
import { RUNAWAY_PARAMETER } from '../../src/model-limits.js';
import { Sgd } from '../../src/optim/sgd.js';
import { createOptimizer } from '../../src/optim/index.js';
import { MODEL } from '../../src/model.js';
import { StepGuard } from '../../src/training/step-guard.js';
import { Trace } from '../../src/flow/trace.js';
import { kernelBackends } from '../util/backends.js';
import { stateHash } from '../util/state-hash.js';
import { expectError } from '../util/expect-error.js';
import { blobs } from '../util/blobs.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';
import type { LayerSpec } from '../../src/layers/spec.js';

/** 10 rows of 8 inputs; row 6 is 3e38 everywhere, so its first layer's sum overflows to Inf. */
function dataWithOneOverflowingRow(): { x: number[][]; y: number[][] } {
  const rng = new Rng(4);
  const x = Array.from({ length: 10 }, (_, r) => Array.from({ length: 8 }, () => (r === 6 ? 3e38 : rng.normal())));
  const y = Array.from({ length: 10 }, () => [rng.normal()]);
  return { x, y };
}

const linear = { sizes: [8, 4, 1], activation: 'linear', output: 'linear', loss: 'mse', init: 'glorot-uniform', seed: 2 } as const;

function finiteWeights(net: Network): boolean {
  return [...net.weights, ...net.biases].every((t) => Array.from(net.kernels.view(t)).every(Number.isFinite));
}

describe.each(await kernelBackends())('numeric faults on $name', ({ kernels }) => {
  // The overflowing row is finite in float64: the exact-step tests run where tensors are float32.
  const f32 = kernels.precision === 'f32';

  it.each(['sgd', 'adam', 'rmsprop', 'adagrad'] as const)(
    '%s: a gradient entry beyond √FLOAT32_MAX ≈ 1.8e19 is refused on every backend before the step; the optimiser state stays finite',
    async (optimizer) => {
      // 40 linear layers of N(0, 1) weights: the first weight gradient reaches ~3e35 at the first step (the forward stays finite).
      const net = await createNetwork({ sizes: [4, ...Array(40).fill(64), 3], activation: 'linear', init: { name: 'normal', std: 1 }, seed: 1, backend: kernels });
      const opt = createOptimizer(net, optimizer);
      const before = stateHash(net, opt);
      const x4 = [[0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1]];
      const y4 = [[1, 0, 0], [0, 0, 1]];
      // Adam's, RMSProp's and Adagrad's float32 second moments would hold Inf and freeze those weights silently.
      await expectError(
        () => net.train(x4, y4, { optimizer: opt }),
        'DIVERGED',
        /^epoch 1, batch 1 \(step 1\): hidden 1 \(0\.weight\): ∂C\/∂W reaches \S+, beyond 1\.84e\+19 where its square overflows float32 \(entry \[\d+, \d+\]: row \d's share is \S+ of it\); the step was not applied \(no step of this call had run, so the learning rate is not the cause/,
      );
      expect(stateHash(net, opt)).toBe(before);
      expect(opt.state().tensors.every((t) => t.every(Number.isFinite))).toBe(true);
      opt.dispose();
      net.dispose();
    },
  );

  it.each([
    ['a dense network', { sizes: [4, ...Array(40).fill(64), 3], activation: 'linear' }, 1e-3],
    ['a block network', { inputs: 4, layers: [...Array(20).fill({ type: 'dense', units: 64 }), { type: 'activation', activation: 'linear' }, { type: 'dense', units: 3 }] }, 1],
  ] as const)("%s: the refusal of a gradient too large names its entry and the row of the batch with the largest share of it, by the caller's row number", async (network, shape, scale) => {
    const net = await createNetwork({ ...shape, init: { name: 'normal', std: 1 }, seed: 1, backend: kernels } as never);
    const before = stateHash(net);
    // Layers of N(0, 1) weights grow a row ~8× each: scaled so that the loss stays within float32 and the first layer's ∂W does not.
    const x = [[0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1], [1, 2, 3, 4], [0.2, 0.1, 0.4, 0.3]].map((row) => row.map((v) => v * scale));
    const y = [[1, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]];
    // Shuffled, as by default: the row is named by its number in x, not by its place in the batch.
    const error = await expectError(() => net.train(x, y, { optimizer: 'adam', batchSize: 4 }), 'DIVERGED', /^epoch 1, batch 1 \(step 1\): (hidden 1|layers\[0\] \('0', dense\)) \(0\.weight\): ∂C\/∂W reaches \S+, beyond 1\.84e\+19 where its square overflows float32 \(entry \[\d+, \d+\]: row \d's share is \S+ of it\); the step was not applied/);
    expect(stateHash(net)).toBe(before);
    // docs/reliability.md's Numeric faults quotes the dense network's refusal (the same on every backend).
    if (network === 'a dense network') expect(error.message).toMatch(quotePattern(codeQuoteOn('docs/reliability.md', '… ∂C/∂W reaches')));
    // The oracle: each row's own gradient of that entry, a quarter of it its share of the batch's mean.
    const [, j, i, row, share] = /entry \[(\d+), (\d+)\]: row (\d)'s share is (\S+) of it/.exec(error.message)!;
    const shares = x.map((xr, r) => net.gradients([xr], [y[r]]).parameters['0.weight'][Number(j) * 4 + Number(i)] / 4);
    const largest = shares.reduce((best, v, r) => (Math.abs(v) > Math.abs(shares[best]) ? r : best), 0);
    expect(Number(row)).toBe(largest);
    expect(Number(share) / shares[largest]).toBeCloseTo(1, 2);
    net.dispose();
  });

  it('names the targets when they, not the inputs or the weights, are what is huge', async () => {
    const net = await createNetwork({ sizes: [4, 3, 1], output: 'linear', loss: 'mse', seed: 1, backend: kernels });
    const before = stateHash(net);
    const x3 = [[1, 2, 3, 4], [1, 0, 0, 0], [0, 1, 0, 0]];
    const error = await expectError(
      () => net.train(x3, [[1e30], [2], [3]]),
      'DIVERGED',
      /the learning rate is not the cause: the targets train\(\) was given are too large for float32: in this batch \|y\| reaches 1\.00e\+30, against \|x\| ≤ 4\.00 and outputs \|ŷ\| ≤ \S+, and the loss's gradient grows with ŷ − y; scale the targets down/,
    );
    expect(error.message).not.toMatch(/inputs or the weights/);
    expect(stateHash(net)).toBe(before);
    net.dispose();
    // A linear network on huge inputs and ordinary targets: the inputs (or the weights), not the targets.
    const linearNet = await createNetwork({ sizes: [4, 3, 1], activation: 'linear', output: 'linear', loss: 'mse', seed: 1, backend: kernels });
    const huge = await expectError(() => linearNet.train(x3.map((row) => row.map((v) => v * 1e25)), [[1], [2], [3]]), 'DIVERGED', /the inputs or the weights train\(\) was given are too large/);
    expect(huge.message).not.toMatch(/targets/);
    linearNet.dispose();
  });

  it('a sum of squares beyond FLOAT32_MAX from entries that each square within float32 is no fault; one entry beyond is', async () => {
    const net = await createNetwork({ sizes: [64, 64, 2], seed: 1, backend: kernels });
    const guard = new StepGuard(net[MODEL], createOptimizer(net, 'adam'));
    const [weight] = net[MODEL].parameters();
    for (const p of net[MODEL].parameters()) kernels.write(p.grad, new Float64Array(p.length).fill(1e19)); // Σ g² = 4,290 × 1e38
    expect(guard.gradientFault()).toBeNull();
    // The bound on every entry the optimisers' proofs take is the largest |entry|, not ‖g‖₂ (√4,290 times larger here).
    expect(guard.largestGradient).toBe(kernels.view(weight.grad)[0]); // 1e19 as the backend stores it
    kernels.view(weight.grad)[70] = -2e19;
    expect(guard.gradientFault()).toMatch(/^hidden 1 \(0\.weight\): ∂C\/∂W reaches -?2\.00e\+19, beyond 1\.84e\+19 where its square overflows float32$/);
    kernels.view(weight.grad)[70] = NaN;
    expect(guard.gradientFault()).toMatch(/^hidden 1 \(0\.weight\): ∂C\/∂W holds NaN$/);
    guard.dispose();
    net.dispose();
  });

  it('a gradient fault is named from the maxAbs the check read: one read per tensor up to the first beyond, none again', async () => {
    const net = await createNetwork({ sizes: [4, 3, 2], seed: 1, backend: kernels });
    const guard = new StepGuard(net[MODEL], createOptimizer(net, 'sgd'));
    const params = net[MODEL].parameters();
    const reads = vi.spyOn(kernels, 'maxAbs');
    try {
      for (const [at, said] of [[0, /^hidden 1 \(0\.weight\): ∂C\/∂W holds Infinity$/], [params.length - 1, /^output \(2\.bias\): ∂C\/∂b holds Infinity$/]] as const) {
        for (const p of params) kernels.write(p.grad, new Float64Array(p.length).fill(0.5));
        kernels.view(params[at].grad)[1] = Infinity;
        reads.mockClear();
        expect(guard.gradientFault()).toMatch(said);
        expect(reads).toHaveBeenCalledTimes(at + 1);
      }
    } finally {
      reads.mockRestore();
    }
    guard.dispose();
    net.dispose();
  });

  it.runIf(f32)("'throw': DIVERGED at the faulty step; the state is exactly the last good step's", async () => {
    const { x, y } = dataWithOneOverflowingRow();
    const net = await createNetwork({ ...linear, backend: kernels });
    const sgd = new Sgd(net, { momentum: 0.5 });
    let lastGood = stateHash(net, sgd);
    await expectError(
      () => net.train(x, y, { epochs: 1, batchSize: 1, shuffle: false, learningRate: 0.01, optimizer: sgd, onBatch: () => (lastGood = stateHash(net, sgd)) }),
      'DIVERGED',
      /epoch 1, batch 7 \(step 7\): row 6 overflows float32 in hidden 1 \(unit \d is -?Infinity\); the step was not applied \(the inputs or the weights are too large; if the weights grew/,
    );
    expect(net.step).toBe(6);
    expect(stateHash(net, sgd)).toBe(lastGood);
    expect(finiteWeights(net)).toBe(true);
    net.dispose();
  });

  it.runIf(f32)("'skip': the faulty batch is left out, bit for bit as if it had never been there", async () => {
    const { x, y } = dataWithOneOverflowingRow();
    const options = { epochs: 3, batchSize: 1, shuffle: false, learningRate: 0.01 } as const;
    const skipping = await createNetwork({ ...linear, backend: kernels });
    const result = skipping.train(x, y, { ...options, onNonFinite: 'skip' });
    const clean = await createNetwork({ ...linear, backend: kernels });
    clean.train([...x.slice(0, 6), ...x.slice(7)], [...y.slice(0, 6), ...y.slice(7)], options);
    expect(result.skipped).toBe(3);
    expect(result.epochs.every((e) => Number.isFinite(e.loss))).toBe(true);
    expect(skipping.step).toBe(27);
    for (let l = 0; l < skipping.depth; l++) {
      expect(Array.from(kernels.view(skipping.weights[l]))).toEqual(Array.from(kernels.view(clean.weights[l])));
      expect(Array.from(kernels.view(skipping.biases[l]))).toEqual(Array.from(kernels.view(clean.biases[l])));
    }
    skipping.dispose();
    clean.dispose();
  });

  it("names a faulty parameter as the tables name its layer ('hidden 5 (8.weight)', it said '8.weight')", async () => {
    const deep = await createNetwork({ sizes: [4, 3, 3, 3, 3, 3, 2], seed: 1, backend: kernels });
    const guard = new StepGuard(deep[MODEL], createOptimizer(deep, 'sgd'));
    const byName = new Map(deep[MODEL].parameters().map((p) => [p.name, p]));
    const trace = new Trace({ sizes: deep.sizes, activations: deep.activationFunctions, loss: deep.loss, every: 1 });
    for (const [name, layer, symbol] of [['8.weight', 4, 'W'], ['10.bias', 5, 'b']] as const) {
      for (const p of byName.values()) kernels.write(p.grad, new Float64Array(p.length));
      kernels.view(byName.get(name)!.grad)[0] = NaN;
      // The trace's row label is what the CLI's tables, the report and the visualizer show for that layer.
      expect(guard.gradientFault()).toBe(`${trace.layerLabel(layer)} (${name}): ∂C/∂${symbol} holds NaN`);
    }
    expect(trace.layerLabel(4)).toBe('hidden 5');
    guard.dispose();
    deep.dispose();
  });

  // It named them by PyTorch name alone ("'2.weight': ∂C/∂2.weight holds Inf"), which no trace row shows.
  it("names a block network's faulty parameter by its trace row's name, then its PyTorch name, with the maths' symbol", async () => {
    const specs: LayerSpec[] = [
      { type: 'dense', units: 6, activation: 'tanh' },
      { type: 'batch-norm' },
      { type: 'residual', gate: 'rezero', layers: [{ type: 'layer-norm' }, { type: 'dense', units: 6, activation: 'relu' }] },
      { type: 'residual', layers: [{ type: 'dense', units: 6, activation: 'sigmoid' }] },
      { type: 'dense', units: 3, activation: 'softmax' },
    ];
    const data = blobs(24, 3);
    const blocks = await createNetwork({ inputs: 4, layers: specs, seed: 1, backend: kernels });
    blocks.train(data.x, data.y, { epochs: 1, batchSize: 12, trace: { every: 1 } });
    const trace = blocks.trace!;
    const rowLabel = (name: string) => trace.layerLabel(trace.blocks!.layers.findIndex((row) => `${row.name}.` === name.slice(0, name.lastIndexOf('.') + 1)));
    const guard = new StepGuard(blocks[MODEL], createOptimizer(blocks, 'sgd'));
    const byName = new Map(blocks[MODEL].parameters().map((p) => [p.name, p]));
    for (const [name, symbol] of [['2.weight', 'γ'], ['2.bias', 'β'], ['3.alpha', 'α'], ['3.branch.1.weight', 'W'], ['4.branch.0.bias', 'b']] as const) {
      for (const p of byName.values()) kernels.write(p.grad, new Float64Array(p.length));
      kernels.view(byName.get(name)!.grad)[0] = Infinity;
      expect(guard.gradientFault()).toBe(`${rowLabel(name)} (${name}): ∂C/∂${symbol} holds Infinity`);
    }
    // Worked out from specs: the ReZero block is layers[2] (its α its row), the plain block's dense layers[3].layers[0] (README's example).
    expect(rowLabel('3.alpha')).toBe("layers[2] ('3', residual)");
    for (const p of byName.values()) kernels.write(p.grad, new Float64Array(p.length));
    kernels.view(byName.get('4.branch.0.weight')!.grad)[0] = NaN;
    expect(guard.gradientFault()).toBe(codeQuoteOn('docs/reliability.md', "layers[3].layers[0] ('4.branch.0', dense)"));
    guard.dispose();
    // The DIVERGED train() throws names it so too.
    const onBatch = () => (kernels.view(byName.get('4.branch.0.weight')!.value)[0] = NaN);
    const error = await expectError(() => blocks.train(data.x, data.y, { epochs: 1, batchSize: 12, onBatch }), 'DIVERGED', /onBatch left a parameter at NaN/);
    expect(error.message).toContain(`: ${rowLabel('4.branch.0.weight')} (4.branch.0.weight): onBatch left a parameter at NaN;`);
    blocks.dispose();
  });

  it("'skip': the runaway scale is the first loss whose gradient is in range; an earlier batch with an overflowing gradient and a finite loss does not set it", async () => {
    // Row 0's target makes ∂C/∂W 3e19 (beyond √FLOAT32_MAX) with a finite loss of 1.1e38; row 5's
    // makes a loss of 4.5e6 with an ordinary gradient: 10⁶× the first in-range loss (0.42, taken
    // as 1), a runaway. Were the first loss taken before the gradient check, the scale would be
    // 1.1e38 and row 5 would train.
    const x = [[2, 2], [0.5, -0.3], [0.1, 0.4], [-0.6, 0.2], [0.3, 0.3], [0.9, -0.1], [-0.2, -0.5], [0.4, 0.8]];
    const y = x.map(([a, b]) => [a - b]);
    y[0] = [1.5e19];
    y[5] = [3e3];
    const make = () => createNetwork({ sizes: [2, 1], activation: 'linear', output: 'linear', loss: 'mse', seed: 1, backend: kernels });
    const options = { batchSize: 1, shuffle: false, learningRate: 0.05 } as const;
    const skipping = await make();
    const result = skipping.train(x, y, { ...options, onNonFinite: 'skip' });
    expect(result.skipped).toBe(2);
    expect(skipping.step).toBe(6);
    const clean = await make();
    const kept = (rows: number[][]) => rows.filter((_, r) => r !== 0 && r !== 5);
    clean.train(kept(x), kept(y), options);
    expect(stateHash(skipping)).toBe(stateHash(clean));
    skipping.dispose();
    clean.dispose();
  });

  it("'halve': a learning rate that diverges is halved and the epoch retried until training converges", async () => {
    // Least squares on x = +1, −1, +1, … with weight and bias: each pair of steps multiplies the
    // error by 1 − 2·lr (the two per-row Hessians have orthogonal eigenvectors): 11 at lr = 6,
    // 5 at 3, 2 at 1.5, all overflowing within the epoch even in float64 (2^1024 < 2^2000), and
    // 0.5 at 0.75, which converges: three halvings.
    const x = Array.from({ length: 4000 }, (_, r) => [r % 2 ? -1 : 1]);
    const y = x.map(([v]) => [v / 2]);
    const options = { epochs: 1, batchSize: 1, shuffle: false, learningRate: 6 } as const;
    const make = () => createNetwork({ sizes: [1, 1], output: 'linear', loss: 'mse', seed: 3, backend: kernels });
    const diverging = await make();
    await expectError(() => diverging.train(x, y, options), 'DIVERGED', /not applied/);
    const net = await make();
    const result = net.train(x, y, { ...options, onNonFinite: 'halve' });
    expect(result.halvings).toBe(3);
    expect(result.learningRate).toBe(0.75);
    expect(net.step).toBe(4000); // the faulty attempts' steps were taken back
    expect(finiteWeights(net)).toBe(true);
    expect(net.evaluate(x, y).loss).toBeLessThan(1e-6);
    // The same as training at 0.75 from the start, bit for bit.
    const direct = await make();
    direct.train(x, y, { ...options, learningRate: 0.75 });
    expect(stateHash(net)).toBe(stateHash(direct));
    // Too few halvings allowed: DIVERGED, and the state is the epoch's start.
    const stubborn = await make();
    const before = stateHash(stubborn);
    await expectError(() => stubborn.train(x, y, { ...options, onNonFinite: 'halve', maxHalvings: 2 }), 'DIVERGED', /after 2 halvings/);
    expect(stateHash(stubborn)).toBe(before);
    for (const n of [net, diverging, direct, stubborn]) n.dispose();
  });

  describe('runaway with finite numbers', () => {
    const xor = { x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]] };
    const sigmoidNet = (loss: 'mse' | 'binary-cross-entropy') => createNetwork({ sizes: [2, 4, 1], activation: 'sigmoid', output: 'sigmoid', loss, seed: 1, backend: kernels });
    const largestParameter = (net: Network) => Math.max(...[...net.weights, ...net.biases].map((t) => kernels.maxAbs(t, t.length)));

    it("a learning rate of 1e12 (steps that keep the weights within range): DIVERGED once the loss is 10⁶× the first batch's, saying what to change, the network back as the call found it", async () => {
      const net = await sigmoidNet('binary-cross-entropy');
      const before = stateHash(net);
      await expectError(
        () => net.train(xor.x, xor.y, { epochs: 20, learningRate: 1e12 }),
        'DIVERGED',
        /epoch 2, batch 1 \(step 2\): the loss \S+ is over 10⁶× the first batch's \(0\.\d+\): training is running away; the step was not applied: .* the network is back at the initial weights, .* \(try a learningRate below 1e\+12,/,
      );
      // Step 1 made the weights that ran the loss away: it is taken back too (test/reliability/last-good-state.test.ts).
      expect(net.step).toBe(0);
      expect(stateHash(net)).toBe(before);
      net.dispose();
    });

    it("a per-layer rate that ran a layer's step away is named with what to lower (edges47 #3: it blamed the learning rate alone); a rate below 1 where the learning rate did is not", async () => {
      const net = await sigmoidNet('binary-cross-entropy');
      const before = stateHash(net);
      for (const [rates, layer] of [[[1, 1e30], 1], [[1e30, 1], 0]] as const) {
        const error = await expectError(() => net.train(xor.x, xor.y, { optimizer: { name: 'sgd', layerRates: [...rates] } }), 'DIVERGED', /the step would take a parameter to/);
        expect(error.message).toContain(
          `the step was not applied (that layer's step size is learningRate 0.1 × layerRates[${layer}] 1e+30: try a layerRates[${layer}] below 1e+30, a learningRate below 0.1, clipNorm, or onNonFinite 'halve';`,
        );
        expect(error.message).toContain(layer === 1 ? 'output (2.weight)' : 'hidden 1 (0.weight)');
        if (layer === 1) expect(error.message).toMatch(quotePattern(codeQuoteOn('docs/reliability.md', "that layer's step size is")));
      }
      const byRate = await expectError(() => net.train(xor.x, xor.y, { optimizer: { name: 'sgd', learningRate: 1e30, layerRates: [1, 0.5] } }), 'DIVERGED', /the step was not applied \(try a learningRate below 1e\+30, clipNorm/);
      expect(byRate.message).not.toContain('layerRates');
      expect(stateHash(net)).toBe(before);
      net.dispose();
    });

    it('a loss that cannot grow (mse on a sigmoid output): DIVERGED once a weight is too large for float32 products', async () => {
      const net = await sigmoidNet('mse');
      const before = stateHash(net);
      const error = await expectError(
        () => net.train(xor.x, xor.y, { epochs: 20, learningRate: 1e30 }),
        'DIVERGED',
        /epoch 1, batch 1 \(step 1\): (hidden 1|output) \(\d\.(weight|bias)\): the step would take a parameter to \S+, beyond 1\.80e\+16 where float32 products overflow; the step was not applied/,
      );
      expect(error.message).toMatch(/learningRate below 1e\+30/);
      expect(error.message, 'the tensor by its name, never a 0-based layer number').not.toMatch(/layer \d/);
      expect(stateHash(net)).toBe(before);
      net.dispose();
    });

    it("'halve' takes the runaway steps back and trains on at a learning rate that stays finite; 'skip' leaves those batches out", async () => {
      const halving = await sigmoidNet('binary-cross-entropy');
      const result = halving.train(xor.x, xor.y, { epochs: 20, batchSize: 1, learningRate: 1e8, onNonFinite: 'halve', maxHalvings: 60 });
      expect(result.halvings).toBeGreaterThan(0);
      expect(result.learningRate).toBe(1e8 / 2 ** result.halvings);
      expect(halving.step).toBe(80);
      expect(result.epochs.every((e) => e.loss < 1e6 * result.epochs[0].loss)).toBe(true);
      expect(largestParameter(halving)).toBeLessThanOrEqual(RUNAWAY_PARAMETER);
      const skipping = await sigmoidNet('binary-cross-entropy');
      const skipped = skipping.train(xor.x, xor.y, { epochs: 20, batchSize: 1, learningRate: 1e8, onNonFinite: 'skip' });
      expect(skipped.skipped).toBeGreaterThan(0);
      expect(skipping.step).toBe(80 - skipped.skipped);
      for (const n of [halving, skipping]) n.dispose();
    });
  });

  it('extreme finite inputs through every activation and loss: finite outputs, or NON_FINITE_INPUT naming the row', async () => {
    const rng = new Rng(12);
    const extremes = [1e4, -1e4, 1e30, -1e30, 3e38, -3e38, 1e-40];
    let finite = 0;
    for (const hidden of ACTIVATIONS) {
      for (const [output, loss] of [['softmax', 'cross-entropy'], ['sigmoid', 'binary-cross-entropy'], ['tanh', 'mse'], ['linear', 'mse']] as const) {
        const net = await createNetwork({ sizes: [3, 4, 3], activation: hidden, output, loss, init: 'he-normal', seed: rng.nextU32(), backend: kernels });
        for (const big of extremes) {
          const x = [[big, -big, 0.5], [0.1, 0.2, big]];
          const y = [[1, 0, 0], [0, 0, 1]];
          for (const call of [() => net.predict(x).flatMap((r) => Array.from(r)), () => [net.evaluate(x, y).loss], () => net.gradients(x, y).layers.flatMap((l) => [...l.weights, ...l.biases])]) {
            try {
              const values = call();
              expect(values.every(Number.isFinite), `${hidden}→${output}/${loss}, input ${big}`).toBe(true);
              finite++;
            } catch (error) {
              expect(error, `${hidden}→${output}/${loss}, input ${big}: ${String(error)}`).toBeInstanceOf(GradscopeError);
              expect((error as GradscopeError).code).toBe('NON_FINITE_INPUT');
              expect((error as GradscopeError).message).toMatch(/rows? 0|row 1|layer [01]/);
              // Saturating networks never need the error while the first layer's sums fit in
              // float32 (|x| ≤ 1e30): exp and log themselves do not overflow.
              expect(['sigmoid', 'tanh', 'softsign'].includes(hidden) && output !== 'linear' && Math.abs(big) <= 1e30, String(error)).toBe(false);
            }
          }
        }
        net.dispose();
      }
    }
    expect(finite).toBeGreaterThan(300);
  });
});
