// A loss that is not finite over evaluated rows whose outputs are finite: outputs and targets too far
// apart for float32 (ŷ − y is taken in float32, as the gradient takes it; targets of 3e38 alone give a
// finite loss). The error names the caller's row, also where the rows evaluated are a subset of the
// training rows (the training loss checked at each epoch's end beside validation on other rows), and
// puts the likelier cause, an output that overflowed, first.
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { MODEL } from '../../src/model.js';
import { expectError } from '../util/expect-error.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';
import { spreadLogits } from '../util/spread-logits.js';

/** A 1 → 1 linear network on the float32 (wasm) backend whose output is its input: weight 1, bias 0. */
async function identityNet(): Promise<Network> {
  const net = await createNetwork({ sizes: [1, 1], output: 'linear', loss: 'mse', backend: 'wasm', seed: 1 });
  const [weight, bias] = net.parameters();
  const k = net[MODEL].kernels;
  k.write(weight.value, Float32Array.of(1));
  k.write(bias.value, Float32Array.of(0));
  return net;
}

describe('a non-finite loss over evaluated rows', () => {
  it("a loss beyond float32's range, though finite in float64 (targets of 3e38: ½(ŷ − y)² = 4.5e76), is refused by evaluate, gradients and train alike, naming the row", async () => {
    const net = await identityNet();
    const said = /the loss is 1\.13e\+76, beyond float32's largest \(3\.40e\+38\): row 1's loss ½Σ\(ŷ − y\)² is 4\.50e\+76, beyond float32's largest \(3\.40e\+38\): output 1\.00e\+0 and target 3\.00e\+38 differ by 3\.00e\+38; scale the targets down/;
    const [x, y] = [[[0], [1], [2], [3]], [[0], [3e38], [2], [3]]];
    await expectError(() => net.evaluate(x, y), 'NON_FINITE_INPUT', said);
    await expectError(() => net.gradients(x, y), 'NON_FINITE_INPUT', said);
    await expectError(() => net.train(x, y, { epochs: 1, batchSize: 4, shuffle: false }), 'DIVERGED', said);
    // Within float32, however large: the float32 network's own loss, answered (targets of 1e19: ½(1e19)² / 4 = 1.25e37).
    expect(net.evaluate(x, [[0], [1e19], [2], [3]]).loss / (0.5 * (Math.fround(1e19) - 1) ** 2 / 4)).toBeCloseTo(1, 12);
  });

  it('evaluate names the row whose output and target are too far apart for float32', async () => {
    const net = await identityNet();
    const x = [[0], [1], [-2e38], [3]];
    const y = [[0], [1], [2e38], [3]];
    await expectError(() => net.evaluate(x, y), 'NON_FINITE_INPUT', /row 2's output -2\.00e\+38 and target 2\.00e\+38 differ by more than float32 holds/);
  });

  it("train()'s check of the training rows names the caller's row, not its place in the subset", async () => {
    const net = await identityNet();
    // Rows 0, 2, 4, 6 are checked (as many as the 4 validation rows, evenly spaced); row 6 is the subset's fourth, at position 3.
    const x = [[0], [1], [2], [3], [4], [5], [-2e38], [7]];
    const y = x.map(([v], i) => [i === 6 ? 2e38 : v]);
    const validation = { x: [[1], [2], [3], [4]], y: [[1], [2], [3], [4]] };
    await expectError(
      () => net.train(x, y, { epochs: 1, batchSize: 2, shuffle: false, learningRate: 1e-3, onNonFinite: 'skip', validation, trace: { every: 1 } }),
      'NON_FINITE_INPUT',
      /row 6's output -2\.00e\+38 and target 2\.00e\+38/,
    );
  });

  it("an output that overflows, the likelier cause, is named first, by the caller's row in the subset too", async () => {
    const net = await identityNet();
    net[MODEL].kernels.write(net.parameters()[0].value, Float32Array.of(2));
    const x = [[0], [1], [2], [3], [4], [5], [3e38], [7]];
    const y = x.map(([v]) => [v]);
    const validation = { x: [[1], [2], [3], [4]], y: [[1], [2], [3], [4]] };
    await expectError(
      () => net.train(x, y, { epochs: 1, batchSize: 2, shuffle: false, learningRate: 1e-3, onNonFinite: 'skip', validation, trace: { every: 1 } }),
      'NON_FINITE_INPUT',
      /^inputs: row 6 overflows float32 in /,
    );
  });
});

/** Rows 0 and 1 have finite losses (row 1's class 1 has target 0, which the kernel leaves out); row 2's target asks for class 1. */
const SPREAD = { x: [[1, 0], [2e22, 0], [2e22, 0]], y: [[1, 0], [1, 0], [0, 1]] };
const CLASS_1 = "target gives class 1 \\(target 1\\) weight where its softmax output is 0: its logit lies farther below the row's largest logit than float32 holds, so its log-probability, which the cross-entropy loss takes, is −∞";

describe('cross-entropy that is not finite with finite logits', () => {
  const weights = (net: Network) => JSON.stringify(net.state().map((t) => Array.from(t.values)));

  it('evaluate names the row and the class its target gives weight to, nothing changed', async () => {
    const net = await spreadLogits();
    const before = weights(net);
    await expectError(() => net.evaluate(SPREAD.x, SPREAD.y), 'NON_FINITE_INPUT', new RegExp(`^targets: the loss is Infinity: row 2's ${CLASS_1}; the logits spread too far apart: scale the inputs or the weights down$`));
    expect(weights(net)).toBe(before);
    // Soft labels: each class with weight and output 0 is named.
    await expectError(() => net.evaluate([[2e22, 0]], [[0.5, 0.5]]), 'NON_FINITE_INPUT', /^targets: the loss is Infinity: row 0's target gives class 1 \(target 0\.5\) weight/);
    net.dispose();
  });

  it('gradients names them too', async () => {
    const net = await spreadLogits();
    await expectError(() => net.gradients(SPREAD.x, SPREAD.y), 'NON_FINITE_INPUT', new RegExp(`^gradients over rows 0\\.\\.2: the loss is Infinity: row 2's ${CLASS_1}`));
    net.dispose();
  });

  it('a training step is refused naming the row (its number in the data, not in the batch); the weights and the RNG are as given', async () => {
    const net = await spreadLogits();
    const before = weights(net);
    const rng = new Uint32Array(4);
    net[MODEL].rng.saveState(rng);
    // Two batches in order: the second holds rows 2 and 3, the fault at its first place.
    const x = [[1, 0], [1, 0], [2e22, 0], [1, 0]];
    const y = [[1, 0], [1, 0], [0, 1], [1, 0]];
    await expectError(
      () => net.train(x, y, { epochs: 1, batchSize: 2, shuffle: false, learningRate: 1e-30 }),
      'DIVERGED',
      new RegExp(`^epoch 1, batch 2 \\(step 2\\): the loss is Infinity: row 2's ${CLASS_1}; the logits spread too far apart: scale the inputs or the weights down; the step was not applied`),
    );
    expect(weights(net)).toBe(before);
    const after = new Uint32Array(4);
    net[MODEL].rng.saveState(after);
    expect(after).toEqual(rng);
    net.dispose();
  });
});

describe('a fault in the validation rows at an epoch’s end says they are the validation rows, and which weights the network holds', () => {
  /** The parameters' bits. */
  const bits = (net: Network) => net.parameters().map((p) => Array.from(new Uint32Array(Float32Array.from(net[MODEL].kernels.view(p.value)).buffer)));
  /** What the rows checked before the first step cannot show (the weights the steps reach decide it) is said with the weights it leaves: those of the last step applied. */
  const held = /\(at the end of epoch 1: the steps before it stay applied, and the network holds the weights of step 2, the last applied\)$/;
  const x = [[1, 0], [0.5, 0]];
  const y = [[1, 0], [1, 0]];
  const options = { epochs: 1, batchSize: 1, shuffle: false, learningRate: 0.1 } as const;

  /** The network after the call's two steps, trained without validation: what the failed call must leave. */
  async function stepped(): Promise<number[][]> {
    const net = await spreadLogits();
    net.train(x, y, options);
    const after = bits(net);
    net.dispose();
    return after;
  }

  it('what the rows themselves can show is refused before the first step, and nothing changes', async () => {
    const net = await spreadLogits();
    const before = bits(net);
    const cases: [object, string, RegExp][] = [
      [{ x: [[1, 0, 0]], y: [[1, 0]] }, 'SHAPE_MISMATCH', /^validation\.x: row 0 has 3 values, expected 2$/],
      [{ x: [[1, 0]], y: [[1, 0, 0]] }, 'SHAPE_MISMATCH', /^validation\.y: row 0 has 3 values, expected 2$/],
      [{ x: [[NaN, 0]], y: [[1, 0]] }, 'NON_FINITE_INPUT', /^validation\.x: row 0, column 0 is NaN/],
      [{ x: [[1, 0]], y: [[2, 0]] }, 'INVALID_TARGET', /^validation\.y: row 0, column 0 is 2, outside \[0, 1\]/],
      [{ x: [[1, 0], [0, 1]], y: [[1, 0]] }, 'SHAPE_MISMATCH', /^validation\.x \(2 rows\) and validation\.y \(1 row\) do not pair up/],
    ];
    for (const [validation, code, said] of cases) await expectError(() => net.train(x, y, { ...options, validation: validation as never }), code as never, said);
    expect(net.step).toBe(0);
    expect(bits(net)).toEqual(before);
    net.dispose();
  });

  it('a loss that is not finite: validation.y and the row among them', async () => {
    const net = await spreadLogits();
    await expectError(
      () => net.train(x, y, { ...options, validation: SPREAD }),
      'NON_FINITE_INPUT',
      new RegExp(`^validation\\.y: the loss is Infinity: row 2's ${CLASS_1}.* ${held.source}`),
    );
    expect(net.step).toBe(2);
    expect(bits(net)).toEqual(await stepped());
    net.dispose();
  });

  it('an output that overflows: validation.x and the row among them', async () => {
    const net = await spreadLogits();
    const error = await expectError(
      () => net.train(x, y, { ...options, validation: { x: [[1, 0], [3e38, 0]], y: [[1, 0], [1, 0]] } }),
      'NON_FINITE_INPUT',
      new RegExp(`^validation\\.x: row 1 overflows float32 in .* ${held.source}`),
    );
    // docs/api.md's Errors quotes it.
    expect(error.message).toMatch(quotePattern(codeQuoteOn('docs/api.md', 'validation.x: row 1 overflows')));
    expect(net.step).toBe(2);
    expect(bits(net)).toEqual(await stepped());
    net.dispose();
  });
});
