/**
 * Adagrad's sums of squares only grow: a step that would take one beyond float32's largest value is
 * refused (DIVERGED naming the parameter and the entry, nothing changed) instead of leaving an
 * Infinity that stops the weight in silence (PyTorch's behaviour) and that no checkpoint could hold.
 * So every state Adagrad's steps leave, saved as a checkpoint, loads back.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { checkpointFromJSON, checkpointOf, checkpointToJSON, decodeCheckpoint, encodeCheckpoint, restoreOptimizer } from '../../src/io/checkpoint.js';
import { MODEL } from '../../src/model.js';
import { createOptimizer } from '../../src/optim/index.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

/**
 * One input of 1e10 and a target of 1e9 for a [1, 1] linear network at weight 0: the weight's
 * gradient starts at −1e19, its square 1e38, and shrinks as the weight moves by about lr = 0.01 a
 * step (measured 2026-12-02, wasm and ref alike: the sum is 3.11e38 after 4 steps, and the 5th
 * step's gradient −7.36e18 would take it beyond float32's 3.40e38).
 */
const x = [[1e10]];
const y = [[1e9]];

async function zeroNetwork(backend: 'wasm' | 'ref'): Promise<Network> {
  const net = await createNetwork({ sizes: [1, 1], output: 'linear', loss: 'mse', backend, seed: 1 });
  net.loadState(net.state().map((t) => ({ name: t.name, values: Array.from(t.values, () => 0) })));
  return net;
}

describe("Adagrad's sum of squares at float32's limit", () => {
  it.each(['wasm', 'ref'] as const)('%s: the step that would overflow it is refused, naming the entry; the state before it saves and loads back', async (backend) => {
    const net = await zeroNetwork(backend);
    const adagrad = createOptimizer(net, 'adagrad');
    net.train(x, y, { epochs: 4, optimizer: adagrad });
    const sums = adagrad.state().tensors[0];
    expect(sums[0]).toBeGreaterThan(3e38);
    expect(sums[0]).toBeLessThan(3.4e38);
    const before = stateHash(net, adagrad);
    await expectError(
      () => net.train(x, y, { epochs: 1, optimizer: adagrad }),
      'DIVERGED',
      /^epoch 1, batch 1 \(step 5\): adagrad: step 5: 0\.weight\[0\]: its sum of squared gradients would pass float32's largest value, 3\.40e\+38: 3\.11e\+38 \+ \(-7\.36e\+18\)² \(its gradient\); Adagrad's sums only grow, and one that overflowed would stop that weight in silence: the gradients are too large for it here \(clipping them or scaling the inputs keeps them smaller\); the step was not applied$/,
    );
    expect(stateHash(net, adagrad)).toBe(before);
    expect(Array.from(adagrad.state().tensors[0])).toEqual(Array.from(sums));

    // What gradscope saved loads back in gradscope, as JSON and as the binary format.
    const checkpoint = checkpointOf(net, adagrad);
    for (const read of [checkpointFromJSON(JSON.stringify(checkpointToJSON(checkpoint))), decodeCheckpoint(encodeCheckpoint(checkpoint))]) {
      const resumed = createOptimizer(net, 'adagrad');
      restoreOptimizer(resumed, read.optimizer);
      expect(stateHash(net, resumed)).toBe(before);
      // The restored optimiser refuses the same step: its bound on the sums is measured on restore.
      await expectError(() => net.train(x, y, { epochs: 1, optimizer: resumed }), 'DIVERGED', /adagrad: step 5: 0\.weight\[0\]: its sum of squared gradients would pass/);
      resumed.dispose();
    }
    adagrad.dispose();
    net.dispose();
  });

  it('a step called outside train() refuses too, before it changes anything', async () => {
    const net = await zeroNetwork('wasm');
    const adagrad = createOptimizer(net, 'adagrad');
    net.train(x, y, { epochs: 4, optimizer: adagrad });
    net.gradients(x, y);
    const before = stateHash(net, adagrad);
    await expectError(() => adagrad.step(net[MODEL], 0.01, 1), 'DIVERGED', /^adagrad: step 5: 0\.weight\[0\]: its sum of squared gradients would pass/);
    expect(stateHash(net, adagrad)).toBe(before);
    adagrad.dispose();
    net.dispose();
  });
});
