// What onNonFinite 'halve' puts back, and what 'skip' leaves, when a runaway shows at an epoch's
// first batch: the start of that epoch is the state the previous epoch's last step made, which no
// batch had been run at, so it is not a state judged good. 'halve' goes back to the start of the
// epoch before (the last one a batch judged good) and runs that epoch again; 'skip' puts nothing
// back and says so. A runaway found mid-epoch still goes back to the start of its own epoch.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { RUNAWAY_LOSS_FACTOR } from '../../src/training/numeric-faults.js';
import { createOptimizer } from '../../src/optim/index.js';
import { expectError } from '../util/expect-error.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';
import { stateHash } from '../util/state-hash.js';

/** The report's case: three rows, one per class, a [4, 8, 3] tanh network. */
const rows = [
  [0.1, 0.2, 0.3, 0.4],
  [0.4, 0.3, 0.2, 0.1],
  [0.9, 0.1, 0.5, 0.2],
];
const classes = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];
const tanhNet = () => createNetwork({ sizes: [4, 8, 3], activation: 'tanh', output: 'softmax', loss: 'cross-entropy', seed: 1 });
const parameters = (net: Network) => net.state().map((t) => Array.from(t.values));
const largestParameter = (net: Network) => Math.max(...parameters(net).flat().map(Math.abs));

/** Least squares on x = +1, −1, … (100 rows): at learningRate 1.1 each pair of steps multiplies the error by 1.2, so the loss passes 10⁶× the first in epoch 1, at its batch 12. */
const alternating = Array.from({ length: 100 }, (_, r) => [r % 2 ? -1 : 1]);
const halfOf = alternating.map(([v]) => [v / 2]);
const lineNet = () => createNetwork({ sizes: [1, 1], output: 'linear', loss: 'mse', seed: 3 });

describe("'halve': the runaway found at an epoch's first batch", () => {
  it('one batch an epoch at learningRate 1e8: epoch 1 sends the weights away, and the network goes back to the start of epoch 1, not to the weights that ran away', async () => {
    const net = await tanhNet();
    const before = stateHash(net);
    const small = largestParameter(net);
    let epochs = 0;
    // Two halvings allowed: each retries epoch 0 at half the rate, whose step still runs away at epoch 1's first batch.
    const error = await expectError(
      () => net.train(rows, classes, { epochs: 5, learningRate: 1e8, onNonFinite: 'halve', maxHalvings: 2, onEpoch: () => epochs++ }),
      'DIVERGED',
      /^epoch 2, batch 1 \(step 2\): the loss 3\.771e\+6 is over 10⁶× the first batch's \(1\.087\): training is running away after 2 halvings of the learning rate \(now 2\.50e\+7\), all that maxHalvings allows; the network is back at the start of epoch 1 \(the initial weights\), the last state judged good that was kept \(its batch loss 1\.087\)$/,
    );
    // docs/reliability.md quotes this message whole: it had kept 3.77e+6 and 1.09 after losses came to be printed to 4 digits.
    expect(error.message).toBe(codeQuoteOn('docs/reliability.md', 'epoch 2, batch 1 (step 2): the loss'));
    expect(epochs, 'epoch 0 ran three times, once per learning rate').toBe(3);
    // The state judged good, put back whole: weights, biases, step, and the RNG (no step of the call is left).
    expect(stateHash(net)).toBe(before);
    expect(largestParameter(net)).toBe(small);
    expect(small).toBeLessThan(1);
    net.dispose();
  });

  it('three batches an epoch at learningRate 1e5: epoch 0 is run again at half the rate, and the run is the same as one at that rate from the start, bit for bit', async () => {
    const options = { epochs: 4, batchSize: 1, shuffle: false } as const;
    const refused = await tanhNet();
    const before = stateHash(refused);
    // Epoch 0's last step (step 3) ran away; no batch had been run at its state before epoch 1's first.
    await expectError(
      () => refused.train(rows, classes, { ...options, learningRate: 1e5, onNonFinite: 'halve', maxHalvings: 0 }),
      'DIVERGED',
      /^epoch 2, batch 1 \(step 4\): .*; the learning rate \(1e\+5\) was not halved: maxHalvings is 0; the network is back at the start of epoch 1 \(the initial weights\), the last state judged good that was kept \(its batch loss 1\.143\)$/,
    );
    expect(stateHash(refused)).toBe(before);
    // One halving allowed: said in the singular, the rate it ended at named.
    await expectError(
      () => refused.train(rows, classes, { ...options, learningRate: 1e6, onNonFinite: 'halve', maxHalvings: 1 }),
      'DIVERGED',
      / after 1 halving of the learning rate \(now 5\.00e\+5\), all that maxHalvings allows; the network is back at the start of epoch 1 \(the initial weights\)/,
    );
    expect(stateHash(refused)).toBe(before);

    const net = await tanhNet();
    const visits: string[] = [];
    const result = net.train(rows, classes, { ...options, learningRate: 1e5, onNonFinite: 'halve', trace: { every: 1 }, onEpoch: (e) => visits.push(`${e.epoch}@${net.step}`) });
    expect(result.halvings).toBe(1);
    expect(result.learningRate).toBe(5e4);
    // Epoch 1 was reported, then taken back and run again; the history holds each epoch once.
    expect(visits).toEqual(['1@3', '1@3', '2@6', '3@9', '4@12']);
    expect(result.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    const direct = await tanhNet();
    const directResult = direct.train(rows, classes, { ...options, learningRate: 5e4, trace: { every: 1 } });
    expect(stateHash(net)).toBe(stateHash(direct));
    // The trace keeps the steps the network has taken: the taken-back epoch's are dropped.
    expect(Array.from(net.trace!.steps)).toEqual(Array.from(direct.trace!.steps));
    expect(Array.from(net.trace!.losses)).toEqual(Array.from(direct.trace!.losses));
    expect(result.epochs.map((e) => e.loss)).toEqual(directResult.epochs.map((e) => e.loss));
    for (const n of [refused, net, direct]) n.dispose();
  });

  it('with shuffling, the epoch run again takes its rows in the order it had', async () => {
    const make = () => createNetwork({ sizes: [4, 8, 3], activation: 'tanh', output: 'softmax', loss: 'cross-entropy', seed: 3 });
    const net = await make();
    const batches: { epoch: number; batch: number; step: number; loss: number }[] = [];
    const result = net.train(rows, classes, { epochs: 4, batchSize: 1, learningRate: 1e5, onNonFinite: 'halve', onBatch: (b) => batches.push(b) });
    expect(result.halvings).toBe(1);
    // Epoch 1 twice (its first batch at the same state, so the same row gives the same loss), then epochs 2 to 4.
    expect(batches.map((b) => b.epoch)).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
    expect(batches.map((b) => b.batch)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
    expect(batches[3].step).toBe(1);
    expect(batches[3].loss).toBe(batches[0].loss);
    net.dispose();
  });
});

describe("'halve': a runaway found mid-epoch goes back to the start of its own epoch, as before", () => {
  it('least squares at learningRate 1.1: the fault at epoch 1, batch 12 puts back the state epoch 0 left (epoch 1 began there and its first batch judged it good)', async () => {
    const options = { epochs: 3, batchSize: 1, shuffle: false, learningRate: 1.1 } as const;
    const refused = await lineNet();
    let afterEpoch0 = '';
    const losses: number[] = [];
    const error = await expectError(
      () =>
        refused.train(alternating, halfOf, {
          ...options,
          onNonFinite: 'halve',
          maxHalvings: 0,
          onEpoch: (e) => e.epoch === 1 && (afterEpoch0 = stateHash(refused)),
          onBatch: (b) => losses.push(b.loss),
        }),
      'DIVERGED',
      /^epoch 2, batch 13 \(step 113\): the loss \S+ is over 10⁶× the first batch's \(\S+\): training is running away; the learning rate \(1\.1\) was not halved: maxHalvings is 0; the network is back at the start of epoch 2 \(step 100\), the last state judged good that was kept \(its batch loss \S+\)$/,
    );
    // docs/reliability.md quotes its words of maxHalvings 0.
    expect(error.message).toMatch(quotePattern(codeQuoteOn('docs/reliability.md', '…; the learning rate (1.1) was not halved')));
    expect(refused.step).toBe(100);
    expect(stateHash(refused)).toBe(afterEpoch0);
    // Named by epoch 1's first batch loss, which the rule judged good, large as it is.
    const named = Number(/its batch loss (\S+)\)$/.exec(error.message)![1]);
    expect(Math.abs(named / losses[100] - 1)).toBeLessThan(5e-3); // printed to 3 digits
    expect(losses[100]).toBeLessThan(RUNAWAY_LOSS_FACTOR * Math.max(losses[0], 1));
    expect(losses[100]).toBeGreaterThan(1e4 * losses[0]);

    // Halving once: the same as epoch 0 at 1.1, then two epochs at 0.55 in a call of their own.
    const net = await lineNet();
    const result = net.train(alternating, halfOf, { ...options, onNonFinite: 'halve' });
    expect(result.halvings).toBe(1);
    expect(net.step).toBe(300);
    const direct = await lineNet();
    direct.train(alternating, halfOf, { ...options, epochs: 1 });
    direct.train(alternating, halfOf, { ...options, epochs: 2, learningRate: 0.55 });
    expect(stateHash(net)).toBe(stateHash(direct));
    for (const n of [refused, net, direct]) n.dispose();
  });
});

describe("'skip': nothing is put back, and the message says only that", () => {
  it('one batch an epoch at learningRate 1e8: DIVERGED at epoch 1 leaves the weights epoch 0 left, which ran away, as the message says', async () => {
    const net = await tanhNet();
    let afterEpoch0: number[][] = [];
    await expectError(
      () => net.train(rows, classes, { epochs: 5, learningRate: 1e8, onNonFinite: 'skip', onEpoch: () => (afterEpoch0 = parameters(net)) }),
      'DIVERGED',
      /^epoch 2: every batch had a non-finite or runaway loss, gradient or step; nothing was applied in this epoch, and nothing is put back: the network is as epoch 1 left it; onNonFinite 'skip' left out 1 batch in this call, all in this epoch \(the last: the loss \S+ is over 10⁶× the first batch's \(1\.087\)/,
    );
    expect(net.step).toBe(1);
    expect(parameters(net)).toEqual(afterEpoch0); // the RNG moved on: epoch 1 shuffled its rows
    // Not a state judged good, and the message does not call it one.
    expect(largestParameter(net)).toBeGreaterThan(1e6);
    net.dispose();
  });

  it('least squares at learningRate 1.1: the batches from the runaway (epoch 1, batch 12) on are left out, and DIVERGED at epoch 2 leaves the state after the last step applied', async () => {
    const net = await lineNet();
    let lastApplied = '';
    await expectError(
      () => net.train(alternating, halfOf, { epochs: 3, batchSize: 1, shuffle: false, learningRate: 1.1, onNonFinite: 'skip', onBatch: () => (lastApplied = stateHash(net)) }),
      'DIVERGED',
      /^epoch 3: every batch .* nothing is put back: the network is as epoch 2 left it; onNonFinite 'skip' left out 188 batches in this call, the 100 of this epoch and 88 before it \(/,
    );
    expect(net.step).toBe(112);
    expect(stateHash(net)).toBe(lastApplied);
    net.dispose();
  });
});

describe("'halve' at the call's first batch, before any step", () => {
  it('a batch that faults at the state train() was given: DIVERGED at once, nothing halved, as halving would go back to that same state', async () => {
    // Row 1 makes the first layer's gradient of a linear network overflow float32's squares at these weights, whatever the learning rate.
    const overflowing = [rows[0], [3e38, 3e38, 3e38, 3e38], rows[2]];
    const net = await createNetwork({ sizes: [4, 8, 3], activation: 'linear', output: 'softmax', loss: 'cross-entropy', seed: 1 });
    const before = stateHash(net);
    let epochs = 0;
    const error = await expectError(
      () => net.train(overflowing, classes, { epochs: 3, batchSize: 3, onNonFinite: 'halve', maxHalvings: 60, onEpoch: () => epochs++ }),
      'DIVERGED',
      /^epoch 1, batch 1 \(step 1\): hidden 1 \(0\.weight\): ∂C\/∂W reaches \S+, beyond 1\.84e\+19 where its square overflows float32 \(entry \[\d+, \d+\]: row \d's share is \S+ of it\); the step was not applied, and halving the learning rate cannot help: the batch faults at the state train\(\) started from, which halving goes back to, so it would fault again at any rate \(no step of this call had run, so the learning rate is not the cause: /,
    );
    expect(error.message).not.toMatch(/halvings? of|'halve'/);
    expect(error.message).toMatch(quotePattern(codeQuoteOn('docs/reliability.md', '…; the step was not applied, and halving the learning rate cannot help: the batch')));
    expect(epochs).toBe(0);
    expect(stateHash(net)).toBe(before);
    net.dispose();
  });

  it('a first step refused as out of range: halving from the same initial weights helps (a smaller step), so it halves', async () => {
    const net = await tanhNet();
    const result = net.train(rows, classes, { batchSize: 3, learningRate: 1e30, onNonFinite: 'halve', maxHalvings: 60 });
    expect(result.halvings).toBeGreaterThan(0);
    expect(net.step).toBe(1);
    net.dispose();
  });
});

describe("'halve' down to float32's smallest normal step size", () => {
  it("stops halving before a layer's learning rate × layer rate would be subnormal in float32: DIVERGED saying the rate cannot be halved further, not INVALID_OPTION from the optimiser", async () => {
    // Layer 0's step at learningRate 1e-7 × 1e30 is refused at any of these rates; layer 1's, × 1e-30,
    // is 1e-37, and 1.25e-38 after three halvings: a fourth would make it subnormal (6.25e-39).
    const net = await createNetwork({ sizes: [2, 3, 2], seed: 1 });
    const sgd = createOptimizer(net, { name: 'sgd', layerRates: [1e30, 1e-30] });
    const before = stateHash(net, sgd);
    const error = await expectError(
      () => net.train([[0, 1], [1, 0], [1, 1]], [[1, 0], [0, 1], [1, 0]], { learningRate: 1e-7, batchSize: 3, optimizer: sgd, onNonFinite: 'halve', maxHalvings: 60 }),
      'DIVERGED',
      /^epoch 1, batch 1 \(step 1\): hidden 1 \(0\.(weight|bias)\): the step would take a parameter to \S+, beyond 1\.80e\+16 where float32 products overflow after 3 halvings of the learning rate \(now 1\.25e-8\), which cannot be halved further: sgd: layer 1's step size, learning rate 6\.25e-9 × layerRates\[1\] 1e-30: 6\.25e-39 is subnormal in float32, which the wasm core computes in and every backend checks against, so it would do nothing or next to nothing; the least usable value is 1\.1754944e-38 \(2⁻¹²⁶, float32's smallest normal number\); the network is back at the start of epoch 1 \(the initial weights\), the last state judged good that was kept \(its batch loss \S+\)$/,
    );
    // docs/reliability.md quotes this message in parts, elided with '…': each part is the message's, in order.
    expect(error.message).toMatch(quotePattern(codeQuoteOn('docs/reliability.md', '… after 3 halvings of the learning rate (now 1.25e-8)')));
    expect(stateHash(net, sgd)).toBe(before);
    sgd.dispose();
    net.dispose();
  });

  it('with maxHalvings left but none possible at the rate given: DIVERGED says the rate cannot be halved, nothing halved', async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], seed: 1 });
    const sgd = createOptimizer(net, { name: 'sgd', layerRates: [1e30, 1e-30] });
    await expectError(
      () => net.train([[0, 1], [1, 0], [1, 1]], [[1, 0], [0, 1], [1, 0]], { learningRate: 2e-8, batchSize: 3, optimizer: sgd, onNonFinite: 'halve' }),
      'DIVERGED',
      /where float32 products overflow; the learning rate \(2e-8\) cannot be halved: sgd: layer 1's step size, learning rate 1e-8 × layerRates\[1\] 1e-30: \S+ is subnormal/,
    );
    sgd.dispose();
    net.dispose();
  });
});

describe('EpochInfo.seconds of an epoch run again', () => {
  // A clock that moves one second per batch applied (onBatch), so each epoch's seconds count its batches.
  let clock = 0;
  afterEach(() => vi.restoreAllMocks());
  const tick = () => (clock += 1000);

  it("counts the run reported, not the attempts 'halve' took back: least squares at 1.1, epoch 1 taken back at its batch 12 and run again", async () => {
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const net = await lineNet();
    const reported: number[] = [];
    const result = net.train(alternating, halfOf, { epochs: 3, batchSize: 1, shuffle: false, learningRate: 1.1, onNonFinite: 'halve', onBatch: tick, onEpoch: (e) => reported.push(e.seconds) });
    expect(result.halvings).toBe(1);
    expect(net.step).toBe(300);
    // Epoch 1's first attempt applied 12 steps (12 s) before the fault: not in its seconds.
    expect(result.epochs.map((e) => e.seconds)).toEqual([100, 100, 100]);
    expect(reported).toEqual([100, 100, 100]);
    net.dispose();
  });

  it('an epoch gone back to from the next one: each report counts its own run', async () => {
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const net = await tanhNet();
    const reported: number[] = [];
    const result = net.train(rows, classes, { epochs: 2, batchSize: 1, shuffle: false, learningRate: 1e5, onNonFinite: 'halve', onBatch: tick, onEpoch: (e) => reported.push(e.seconds) });
    expect(result.halvings).toBe(1);
    expect(reported).toEqual([3, 3, 3]);
    expect(result.epochs.map((e) => e.seconds)).toEqual([3, 3]);
    net.dispose();
  });
});
