// A loss that is not finite over evaluated rows whose outputs are finite: outputs and targets too far
// apart for float32 (ŷ − y is taken in float32, as the gradient takes it; targets of 3e38 alone give a
// finite loss). The error names the caller's row, also where the rows evaluated are a subset of the
// training rows (the training loss checked at each epoch's end beside validation on other rows), and
// puts the likelier cause, an output that overflowed, first.
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { MODEL } from '../../src/model.js';
import { expectError } from '../util/expect-error.js';

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
  it('targets of 3e38 alone give a finite loss', async () => {
    const net = await identityNet();
    const { loss } = net.evaluate([[0]], [[3e38]]);
    expect(loss / (0.5 * Math.fround(3e38) ** 2)).toBeCloseTo(1, 12);
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
