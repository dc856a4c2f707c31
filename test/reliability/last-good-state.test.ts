// A step is judged good only once the state it made is: its parameters within range, and the
// next batch's loss and gradient there finite and the loss under 10⁶× the call's first. A DIVERGED
// with onNonFinite 'throw' puts back the last state judged good that was kept (a first-order run's:
// its epoch's first) when the steps since (not the batch) are to blame, and says which step that
// was; 'skip' puts nothing back; an ordinary noisy run is never called a runaway. (A fault the batch
// itself causes leaves the last step's state: numeric-faults.test.ts.)
import { describe, expect, it, vi } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import { RUNAWAY_PARAMETER } from '../../src/model-limits.js';
import { createOptimizer } from '../../src/optim/index.js';
import { RUNAWAY_LOSS_FACTOR } from '../../src/training/numeric-faults.js';
import { expectError } from '../util/expect-error.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';
import { asWritten, quotedOn } from '../util/page-numbers.js';
import { stateHash } from '../util/state-hash.js';

/** 64 rows of 6 inputs in 3 classes (a linear rule with 20 % of the labels flipped: noisy batches). */
function noisyClasses(seed: number): { x: number[][]; y: number[][] } {
  const rng = new Rng(seed);
  const x = Array.from({ length: 64 }, () => Array.from({ length: 6 }, () => rng.normal()));
  const y = x.map((row) => {
    const label = rng.uniform() < 0.2 ? Math.floor(3 * rng.uniform()) : row[0] + row[1] > 0.5 ? 0 : row[2] > 0 ? 1 : 2;
    return [0, 1, 2].map((c) => (c === label ? 1 : 0));
  });
  return { x, y };
}

const { x, y } = noisyClasses(7);
const make = () => createNetwork({ sizes: [6, 16, 16, 3], activation: 'sigmoid', seed: 3 });
const largestParameter = (net: Network) => Math.max(...net.state().map((t) => Math.max(...Array.from(t.values, Math.abs))));
/** K-FAC without its norm constraint, which would hold a step at learningRate 1e8 to δᵀF̂δ ≤ c: the overshoot these tests need. */
const UNCONSTRAINED_KFAC = { name: 'kfac', normConstraint: 0 };
// The state before any step is 'the initial weights' (step 1 is taken at them), never 'the state after step 0'.
const RESTORED = /the step was not applied: at (?:the state after step (\d+)|the initial weights) this batch's loss and gradient are in range, so the steps since led here, and the network is back (?:as it was after step \1|at the initial weights), the last state judged good that was kept \(its batch loss ([\d.e+-]+)\)(?:; the states? after steps? [^(]*)? \(try a learningRate below/;

describe('DIVERGED puts back the last state judged good that was kept', () => {
  it('K-FAC (unconstrained) at learningRate 1e8: a first step to finite weights in range, a loss 10⁶× higher one step later; the network, its K-FAC state and the RNG back as the call found them', async () => {
    // The first step alone: finite weights, far inside the range, that ruin the next batch's loss.
    const probe = await make();
    const first = probe.evaluate(x.slice(32), y.slice(32)).loss;
    probe.train(x.slice(0, 32), y.slice(0, 32), { optimizer: UNCONSTRAINED_KFAC, learningRate: 1e8, batchSize: 32 });
    expect(largestParameter(probe)).toBeGreaterThan(1e4);
    expect(largestParameter(probe)).toBeLessThan(RUNAWAY_PARAMETER);
    const next = probe.evaluate(x.slice(32), y.slice(32)).loss;
    expect(next).toBeGreaterThan(RUNAWAY_LOSS_FACTOR * first);
    // docs/reliability.md says both, to one digit.
    const [weights, times] = quotedOn('docs/reliability.md', /takes a sigmoid network's weights to ~(\S+) in one step, far inside the range, and the next batch's loss is then ~(\S+) times the first/);
    expect([asWritten(weights, largestParameter(probe)), asWritten(times, next / first)]).toEqual([weights, times]);
    probe.dispose();

    const net = await make();
    const kfac = createOptimizer(net, UNCONSTRAINED_KFAC);
    const before = stateHash(net, kfac);
    const error = await expectError(() => net.train(x, y, { optimizer: kfac, learningRate: 1e8, batchSize: 32, shuffle: false, epochs: 3 }), 'DIVERGED', /^epoch 1, batch 2 \(step 2\): the loss \S+ is over 10⁶× the first batch's/);
    expect(error.message).toMatch(RESTORED);
    expect(RESTORED.exec(error.message)![1]).toBeUndefined();
    expect(error.message).toContain('at the initial weights this batch\'s loss and gradient are in range, so the steps since led here, and the network is back at the initial weights,');
    expect(error.message, "K-FAC's steps are not proved, so each is copied: the state before the last step").not.toContain('judged good too');
    // docs/reliability.md quotes it.
    expect(error.message).toMatch(quotePattern(codeQuoteOn('docs/reliability.md', "…; the step was not applied: at the initial weights")));
    expect(net.step).toBe(0);
    expect(stateHash(net, kfac)).toBe(before);
    net.dispose();
  });

  it('a later call that runs away goes back to the state the earlier call left, not to its own ruined first step', async () => {
    const net = await make();
    const kfac = createOptimizer(net, UNCONSTRAINED_KFAC);
    net.train(x, y, { optimizer: kfac, batchSize: 32, shuffle: false, epochs: 2 });
    expect(net.step).toBe(4);
    const trained = stateHash(net, kfac);
    const error = await expectError(() => net.train(x, y, { optimizer: kfac, learningRate: 1e8, batchSize: 32, shuffle: false, epochs: 3, trace: { every: 1 } }), 'DIVERGED', RESTORED);
    expect(RESTORED.exec(error.message)![1]).toBe('4');
    expect(stateHash(net, kfac)).toBe(trained);
    // The trace keeps the step that led to the runaway, this call's first, though the network went back before it (Network.trace).
    expect(Array.from(net.trace!.steps)).toEqual([5]);
    net.dispose();
  });

  it('SGD, whose steps are proved within range and not copied, goes back to the first state of its epoch, named by its step, and names the states judged good that it undoes', async () => {
    // Least squares on x = +1, −1, … with weight and bias at lr 6: each pair of steps multiplies the
    // error by 11 (numeric-faults.test.ts), so the loss passes 10⁶× the first within two epochs of
    // six rows while every number stays finite and every weight far inside the range.
    const rows = Array.from({ length: 6 }, (_, r) => [r % 2 ? -1 : 1]);
    const targets = rows.map(([v]) => [v / 2]);
    const net = await createNetwork({ sizes: [1, 1], output: 'linear', loss: 'mse', seed: 3 });
    const hashes = [stateHash(net)];
    const losses: number[] = [];
    const error = await expectError(
      () => net.train(rows, targets, { epochs: 40, batchSize: 1, shuffle: false, learningRate: 6, onBatch: (b) => (hashes.push(stateHash(net)), losses.push(b.loss)) }),
      'DIVERGED',
      /^epoch 2, batch 5 \(step 11\): the loss \S+ is over 10⁶× the first batch's \(\S+\): training is running away/,
    );
    expect(losses).toHaveLength(10);
    const [, step, loss] = RESTORED.exec(error.message)!;
    // Epoch 1's first state (6 steps per epoch), though the states after steps 7, 8 and 9 were judged good too.
    expect(step).toBe('6');
    expect(error.message).toContain(
      "the last state judged good that was kept (its batch loss 3.372e+3); the states after steps 7 to 9 were judged good too, but a copy is kept only at each epoch's first step and before a step not proved within range (try",
    );
    expect(error.message).toMatch(quotePattern(codeQuoteOn('docs/reliability.md', 'epoch 2, batch 5 (step 11)')));
    for (const judged of [6, 7, 8, 9]) expect(losses[judged]).toBeLessThan(RUNAWAY_LOSS_FACTOR * Math.max(losses[0], 1)); // judged good by the rule, ruined as they may be
    expect(net.step).toBe(6);
    expect(stateHash(net)).toBe(hashes[6]);
    expect(Math.abs(Number(loss) / losses[6] - 1)).toBeLessThan(5e-3); // printed to 3 digits
    net.dispose();
  });

  it("'skip' puts nothing back: the runaway's batches are left out, and DIVERGED, when an epoch leaves out every one, leaves the network as the last step left it", async () => {
    const rows = Array.from({ length: 6 }, (_, r) => [r % 2 ? -1 : 1]);
    const targets = rows.map(([v]) => [v / 2]);
    const net = await createNetwork({ sizes: [1, 1], output: 'linear', loss: 'mse', seed: 3 });
    let lastApplied = stateHash(net);
    await expectError(
      () => net.train(rows, targets, { epochs: 40, batchSize: 1, shuffle: false, learningRate: 6, onNonFinite: 'skip', onBatch: () => (lastApplied = stateHash(net)) }),
      'DIVERGED',
      /^epoch 3: every batch had a non-finite or runaway loss, gradient or step; nothing was applied in this epoch, and nothing is put back: the network is as epoch 2 left it; onNonFinite 'skip' left out 8 batches in this call, the 6 of this epoch and 2 before it \(the last: the loss \S+ is over 10⁶× the first batch's/,
    );
    expect(net.step).toBe(10); // the runaway began at step 11 (above): every batch since was left out
    expect(stateHash(net)).toBe(lastApplied);
    net.dispose();
  });
});

describe('an ordinary noisy run is not a runaway', () => {
  // Why the loss is measured against the call's first batch, not the last: at batch 1 a flipped
  // label after a confident batch raises the loss 10⁵-fold (SGD here) in an ordinary run, so a rule
  // against the last batch's loss would call it a runaway at any factor it could sensibly use.
  it.each([
    ['sgd', 0.5],
    ['adam', 0.01],
  ] as const)('%s at batch 1 on noisy labels: batch losses that jump 100× and more over 20 epochs, no DIVERGED', async (optimizer, learningRate) => {
    const net = await make();
    const losses: number[] = [];
    net.train(x, y, { optimizer, learningRate, batchSize: 1, epochs: 20, onBatch: (b) => losses.push(b.loss) });
    expect(net.step).toBe(1280);
    const jumps = losses.slice(1).map((loss, i) => loss / losses[i]);
    expect(Math.max(...jumps)).toBeGreaterThan(100);
    expect(Math.max(...losses)).toBeLessThan(RUNAWAY_LOSS_FACTOR * losses[0]);
    net.dispose();
  });
});

describe('what the copy costs', () => {
  it('a call of one batch copies nothing; a longer call copies once per epoch (first-order steps proved within range)', async () => {
    const net = await make();
    const sgd = createOptimizer(net, 'sgd');
    const copies = vi.spyOn(sgd, 'state');
    net.train(x.slice(0, 8), y.slice(0, 8), { optimizer: sgd, batchSize: 8 });
    expect(copies).toHaveBeenCalledTimes(0);
    net.train(x, y, { optimizer: sgd, batchSize: 16, epochs: 3 });
    expect(copies).toHaveBeenCalledTimes(3);
    // 'skip' and 'halve' never go back to it: no copy.
    net.train(x, y, { optimizer: sgd, batchSize: 16, epochs: 3, onNonFinite: 'skip' });
    expect(copies).toHaveBeenCalledTimes(3);
    net.dispose();
  });
});
