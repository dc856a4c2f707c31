/**
 * Adagrad's sums of squares only grow: a step that would take one beyond float32's largest value is
 * refused (DIVERGED naming the parameter and the entry, nothing changed) instead of leaving an
 * Infinity that stops the weight in silence (PyTorch's behaviour) and that no checkpoint could hold.
 * So every state Adagrad's steps leave, saved as a checkpoint, loads back. The guard costs a
 * train() step no pass of its own where the step guard proved the step (its bound on the gradient,
 * measured for every step already, stands in for Adagrad's).
 */
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { checkpointFromJSON, checkpointOf, checkpointToJSON, decodeCheckpoint, encodeCheckpoint, restoreOptimizer } from '../../src/io/checkpoint.js';
import { MODEL } from '../../src/model.js';
import { createOptimizer } from '../../src/optim/index.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import type { Kernels, Tensor } from '../../src/kernels.js';
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

/** Adagrad 4 steps into zeroNetwork's run (wasm) with the 5th step's gradients computed, outside train(): the step that would overflow its sums. */
async function beforeOverflowingStep() {
  const net = await zeroNetwork('wasm');
  const adagrad = createOptimizer(net, 'adagrad');
  net.train(x, y, { epochs: 4, optimizer: adagrad });
  net.gradients(x, y);
  return { net, adagrad, before: stateHash(net, adagrad) };
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
    const { net, adagrad, before } = await beforeOverflowingStep();
    await expectError(() => adagrad.step(net[MODEL], 0.01, 1), 'DIVERGED', /^adagrad: step 5: 0\.weight\[0\]: its sum of squared gradients would pass/);
    expect(stateHash(net, adagrad)).toBe(before);
    adagrad.dispose();
    net.dispose();
  });
});

describe("Adagrad's guard with keepsWithin asked by a caller", () => {
  it('a proof on bounds the caller gave, too small for the gradients, leaves out no check: the step that would overflow is refused', async () => {
    const { net, adagrad, before } = await beforeOverflowingStep();
    // |g| ≤ 1 and |w| ≤ 1, at lr 0.01: true of no gradient here (−7.36e18), but a proof on those numbers holds.
    const bounds = Float64Array.of(1e30, 1, 1, 0.01, NaN);
    expect(adagrad.keepsWithin!(bounds)).toBe(true);
    await expectError(() => adagrad.step(net[MODEL], 0.01, 1), 'DIVERGED', /^adagrad: step 5: 0\.weight\[0\]: its sum of squared gradients would pass/);
    expect(stateHash(net, adagrad)).toBe(before);
    expect(adagrad.state().tensors[0].every(Number.isFinite)).toBe(true);
    adagrad.dispose();
    net.dispose();
  });
});

describe("Adagrad's guard in train()", () => {
  it('reads no gradient of its own where the step guard proved the step, and its sums are those of a guard that reads them', async () => {
    /** The ref kernels, counting maxAbs over the tensors in `watched` (the gradients, once the network exists) inside Adagrad's step (the guard's own check reads them before it). */
    const watched = new Set<Tensor>();
    let gradientReads = 0;
    let inStep = false;
    const ref: Kernels = createRefKernels();
    const kernels = new Proxy(ref, {
      get(target, key) {
        if (key === 'maxAbs') return (t: Tensor, n: number) => (inStep && watched.has(t) && gradientReads++, target.maxAbs(t, n));
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const options = { sizes: [2, 4, 2], loss: 'cross-entropy', seed: 1 } as const;
    const net = await createNetwork({ ...options, backend: kernels });
    for (const p of net[MODEL].parameters()) watched.add(p.grad);
    const rows = [[0, 1], [1, 0], [1, 1], [0, 0]];
    const classes = [[1, 0], [0, 1], [0, 1], [1, 0]];
    const adagrad = createOptimizer(net, 'adagrad');
    const step = adagrad.step.bind(adagrad);
    let steps = 0;
    adagrad.step = (model, rate, batch) => {
      [inStep, steps] = [true, steps + 1];
      try {
        step(model, rate, batch);
      } finally {
        inStep = false;
      }
    };
    net.train(rows, classes, { epochs: 5, batchSize: 2, shuffle: false, optimizer: adagrad });
    expect(steps).toBe(10);
    expect(gradientReads).toBe(0);
    // The same run on a network whose steps nothing proves (each step() called directly, after gradients()): the same sums, bit for bit.
    const twin = await createNetwork({ ...options, backend: 'ref' });
    const direct = createOptimizer(twin, 'adagrad');
    for (let epoch = 0; epoch < 5; epoch++) {
      for (const start of [0, 2]) {
        twin.gradients(rows.slice(start, start + 2), classes.slice(start, start + 2));
        direct.step(twin[MODEL], 0.01, 2);
      }
    }
    expect(direct.state().tensors.map((t) => Array.from(t))).toEqual(adagrad.state().tensors.map((t) => Array.from(t)));
    net.dispose();
    twin.dispose();
  });
});
