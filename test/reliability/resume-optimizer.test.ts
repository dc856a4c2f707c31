// Resuming training from a checkpoint, as docs/api.md's recipe does it: the optimiser takes the
// checkpoint's learning rate (as PyTorch's Optimizer.load_state_dict restores param groups' lr),
// refuses a state saved under other hyperparameters, and a network passed where the optimiser goes
// is named as such. Every refusal leaves the optimiser as it was.
import { describe, expect, it } from 'vitest';
import { checkpointOf, restoreOptimizer } from '../../src/io/checkpoint.js';
import { createNetwork } from '../../src/api/network.js';
import { createOptimizer } from '../../src/optim/index.js';
import type { Optimizer, OptimizerState } from '../../src/optim/optimizer.js';
import { expectError } from '../util/expect-error.js';

const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const y = [[0], [1], [1], [0]];
const config = { sizes: [2, 5, 1], activation: 'tanh', output: 'sigmoid', loss: 'binary-cross-entropy', seed: 3, backend: 'ref' } as const;

/** An Adam made with `options`, after 5 epochs of XOR, and its state. */
async function trainedAdam(options: Record<string, unknown>): Promise<OptimizerState> {
  const net = await createNetwork(config);
  const adam = createOptimizer(net, { name: 'adam', ...options });
  net.train(x, y, { epochs: 5, batchSize: 2, optimizer: adam });
  return adam.state();
}

const unchanged = (o: Optimizer) => JSON.stringify({ ...o.state(), tensors: o.state().tensors.map((t) => Array.from(t)) });

describe('restoreOptimizer', () => {
  it("takes the checkpoint's learning rate, which train() then uses when given none", async () => {
    const state = await trainedAdam({ learningRate: 0.01 });
    expect(state.scalars.learningRate).toBe(0.01);
    const net = await createNetwork(config);
    const resumed = createOptimizer(net, 'adam');
    expect(resumed.defaultLearningRate).toBe(0.001);
    restoreOptimizer(resumed, state);
    expect(resumed.defaultLearningRate).toBe(0.01);
    // The rate is used: one epoch with the restored optimiser moves the weights as one made with 0.01 does.
    const [a, b] = [await createNetwork(config), await createNetwork(config)];
    const restoredOnA = createOptimizer(a, 'adam');
    restoreOptimizer(restoredOnA, state);
    const madeOnB = createOptimizer(b, { name: 'adam', learningRate: 0.01 });
    madeOnB.restore({ ...state, scalars: { ...state.scalars } });
    a.train(x, y, { epochs: 1, batchSize: 2, optimizer: restoredOnA });
    b.train(x, y, { epochs: 1, batchSize: 2, optimizer: madeOnB });
    expect(a.toJSON()).toEqual(b.toJSON());
    const { learningRate: _, ...withoutRate } = state.scalars;
    const keeps = createOptimizer(net, { name: 'adam', learningRate: 0.02 });
    restoreOptimizer(keeps, { ...state, scalars: withoutRate });
    expect(keeps.defaultLearningRate).toBe(0.02); // a state saved before the rate was recorded keeps the optimiser's
  });

  it('refuses a state saved under other hyperparameters, saying how to create the optimiser that takes it, and changes nothing', async () => {
    const net = await createNetwork(config);
    const adam = createOptimizer(net, 'adam');
    net.train(x, y, { epochs: 2, batchSize: 2, optimizer: adam });
    const before = unchanged(adam);
    await expectError(
      async () => restoreOptimizer(adam, await trainedAdam({ beta2: 0.99 })),
      'INVALID_OPTION',
      /^adam: restore: the state was saved with beta2 0\.99, this optimiser has 0\.999; create it with \{ name: 'adam', beta2: 0\.99 \} to resume that run$/,
    );
    await expectError(
      async () => restoreOptimizer(adam, await trainedAdam({ decayBiases: false })),
      'INVALID_OPTION',
      /^adam: restore: the state was saved with decayBiases false, this optimiser has true; create it with \{ name: 'adam', decayBiases: false \} to resume that run$/,
    );
    await expectError(async () => restoreOptimizer(adam, { ...(await trainedAdam({})), scalars: { learningRate: -1 } }), 'INVALID_OPTION', /^adam: restore: scalars\.learningRate/);
    expect(unchanged(adam)).toBe(before);
    expect(adam.defaultLearningRate).toBe(0.001);
  });

  it("given the network where the optimiser goes, says the optimiser comes first and how to make it, as createOptimizer does", async () => {
    const net = await createNetwork(config);
    const state = await trainedAdam({});
    await expectError(
      () => restoreOptimizer(net as never, state),
      'INVALID_OPTION',
      /^optimizer: expected an Optimizer \(with step, state, restore and dispose\), got one missing step\(\) \(a network: restoreOptimizer takes the optimiser first, made by createOptimizer\(network, spec\), then checkpoint\.optimizer\)$/,
    );
    // Not a network: no hint.
    await expectError(() => restoreOptimizer({} as never, state), 'INVALID_OPTION', /got one missing step\(\)$/);
    // saveModel's optimizer (checkpointOf) given the network names the way too.
    expect(() => checkpointOf(net, net as never)).toThrow(/got one missing step\(\) \(a network: createOptimizer\(network, spec\) makes an optimiser for it\)$/);
  });

  it('given a whole checkpoint, says to pass its optimiser state (it said "the state\'s name is undefined"), and changes nothing', async () => {
    const net = await createNetwork(config);
    const adam = createOptimizer(net, 'adam');
    net.train(x, y, { epochs: 1, batchSize: 2, optimizer: adam });
    const checkpoint = checkpointOf(net, adam);
    const fresh = createOptimizer(net, 'adam');
    const before = unchanged(fresh);
    await expectError(() => restoreOptimizer(fresh, checkpoint as never), 'INVALID_OPTION', /^adam: restore: got a whole checkpoint; pass its optimiser state, checkpoint\.optimizer$/);
    expect(unchanged(fresh)).toBe(before);
    restoreOptimizer(fresh, checkpoint.optimizer);
  });

  it('refuses a step count beyond 2⁵³ − 1, as net.step does (1e300 was taken: t + 1 is t there), and changes nothing', async () => {
    const net = await createNetwork(config);
    const adam = createOptimizer(net, 'adam');
    net.train(x, y, { epochs: 1, batchSize: 2, optimizer: adam });
    const state = adam.state();
    const before = unchanged(adam);
    for (const step of [1e300, 2 ** 53, -1, 1.5]) {
      await expectError(() => adam.restore({ ...state, scalars: { ...state.scalars, step } }), 'INVALID_OPTION', /^adam: restore: scalars\.step: expected a whole number from 0 to 9,007,199,254,740,991 \(2⁵³ − 1, the largest whole number a float64 counts exactly\), got /);
    }
    expect(unchanged(adam)).toBe(before);
    adam.restore({ ...state, scalars: { ...state.scalars, step: Number.MAX_SAFE_INTEGER } });
  });
});

describe("L-BFGS's and K-FAC's restore, by the first-order optimisers' rule (recorded-settings.ts)", () => {
  /** `spec` after 3 epochs of XOR on a network of `config`'s sizes (K-FAC trains dense chains of mse or cross-entropy), and its state. */
  async function trained(spec: Record<string, unknown> & { name: string }, learningRate?: number): Promise<OptimizerState> {
    const net = await createNetwork(config);
    const optimizer = createOptimizer(net, spec);
    net.train(x, y, { epochs: 3, batchSize: 4, optimizer, ...(learningRate !== undefined && { learningRate }) });
    return optimizer.state();
  }

  it.each([
    [{ name: 'lbfgs', learningRate: 0.5 }, 1],
    [{ name: 'kfac', rescale: false }, 0.2],
  ])("%j: takes the checkpoint's learning rate", async (spec, own) => {
    const state = await trained(spec);
    const net = await createNetwork(config);
    const resumed = createOptimizer(net, spec.name === 'kfac' ? spec : spec.name);
    expect(resumed.defaultLearningRate).toBe(own);
    restoreOptimizer(resumed, { ...state, scalars: { ...state.scalars, learningRate: 0.25 } });
    expect(resumed.defaultLearningRate).toBe(0.25);
    expect(resumed.state().scalars.learningRate).toBe(0.25);
    const { learningRate: _, ...withoutRate } = state.scalars;
    const keeps = createOptimizer(net, spec.name === 'kfac' ? spec : spec.name);
    restoreOptimizer(keeps, { ...state, scalars: withoutRate });
    expect(keeps.defaultLearningRate).toBe(own); // a state saved before the rate was recorded keeps the optimiser's
  });

  it.each([
    [{ name: 'lbfgs', memory: 4 }, 'lbfgs', /^lbfgs: restore: the state was saved with memory 4, this optimiser has 10; create it with \{ name: 'lbfgs', memory: 4 \} to resume that run$/],
    [{ name: 'lbfgs', c2: 0.5 }, 'lbfgs', /^lbfgs: restore: the state was saved with c2 0\.5, this optimiser has 0\.9; create it with \{ name: 'lbfgs', c2: 0\.5 \} to resume that run$/],
    [{ name: 'kfac', damping: 0.01 }, 'kfac', /^kfac: restore: the state was saved with damping 0\.01, this optimiser has 0\.001; create it with \{ name: 'kfac', damping: 0\.01 \} to resume that run$/],
        // rescale: false turns quadraticMomentum and adaptDamping off too: every setting that differs is named at once, and the advice names
        // rescale alone, as the other two default to false with it (it advised all three, mendB28).
    [
      { name: 'kfac', rescale: false },
      'kfac',
      /^kfac: restore: the state was saved with rescale false, quadraticMomentum false, adaptDamping false; this optimiser has rescale true, quadraticMomentum true, adaptDamping true; create it with \{ name: 'kfac', rescale: false \} to resume that run$/,
    ],
    [{ name: 'kfac', normConstraint: 0 }, 'kfac', /^kfac: restore: the state was saved with normConstraint 0, this optimiser has 0\.01; create it with \{ name: 'kfac', normConstraint: 0 \} to resume that run$/],
  ])('%j into a default %s: refused, saying how to create the one that takes it, nothing changed', async (spec, name, said) => {
    const state = await trained(spec);
    const net = await createNetwork(config);
    const optimizer = createOptimizer(net, name);
    net.train(x, y, { epochs: 2, batchSize: 4, optimizer });
    const before = unchanged(optimizer);
    await expectError(() => restoreOptimizer(optimizer, state), 'INVALID_OPTION', said);
    expect(unchanged(optimizer)).toBe(before);
    // Created as the message says, it takes the state.
    const { name: _, ...options } = spec;
    const fitting = createOptimizer(net, { name, ...options });
    restoreOptimizer(fitting, state);
    expect(unchanged(fitting)).toBe(JSON.stringify({ ...state, tensors: state.tensors.map((t) => Array.from(t)) }));
  });

  it('L-BFGS refuses a pair that is not finite or not of positive curvature, naming it, nothing changed', async () => {
    const state = await trained({ name: 'lbfgs' });
    expect(state.scalars.pairs).toBeGreaterThan(0);
    const net = await createNetwork(config);
    const lbfgs = createOptimizer(net, 'lbfgs');
    const before = unchanged(lbfgs);
    const tensors = state.tensors.map((t) => Float32Array.from(t));
    tensors[5][2] = Infinity; // y of pair 0, the first layer's bias (4 parameters, s then y: 0.weight, 0.bias, 1.weight, 1.bias)
    await expectError(() => restoreOptimizer(lbfgs, { ...state, tensors }), 'INVALID_OPTION', /^lbfgs: restore: tensors\[5\]\[2\] is Infinity \(y of pair 0, 0\.bias\); expected a finite number$/);
    // y = −s: sᵀy < 0, a pair step() never stores.
    const negative = state.tensors.map((t, j) => (Math.floor(j / 4) % 2 === 1 ? Float32Array.from(state.tensors[j - 4], (v) => -v) : t));
    await expectError(() => restoreOptimizer(lbfgs, { ...state, tensors: negative }), 'INVALID_OPTION', /^lbfgs: restore: pair 0 has sᵀy = -[\d.e+-]+ over its values as held; expected a finite number > 1\.00e-10 \(a pair of positive curvature, as step\(\) stores\)$/);
    expect(unchanged(lbfgs)).toBe(before);
  });
});

describe("Hessian-free's and Levenberg-Marquardt's restore, by the same rule (they take no learning rate)", () => {
  const mse = { ...config, loss: 'mse' } as const;
  /** `spec` after 2 epochs of XOR on an mse network (Levenberg-Marquardt's cost), the network and its state. */
  async function trained(spec: Record<string, unknown> & { name: string }): Promise<OptimizerState> {
    const net = await createNetwork(mse);
    const optimizer = createOptimizer(net, spec);
    net.train(x, y, { epochs: 2, batchSize: 4, optimizer });
    return optimizer.state();
  }

  it.each([
    [{ name: 'hessian-free', damping: 10 }, /^hessian-free: restore: the state was saved with damping 10, this optimiser has 45; create it with \{ name: 'hessian-free', damping: 10 \} to resume that run$/],
    [{ name: 'hessian-free', backtracking: false }, /^hessian-free: restore: the state was saved with backtracking false, this optimiser has true; create it with \{ name: 'hessian-free', backtracking: false \} to resume that run$/],
    [{ name: 'levenberg-marquardt', muMax: 1e6 }, /^levenberg-marquardt: restore: the state was saved with muMax 1,000,000, this optimiser has 10,000,000,000; create it with \{ name: 'levenberg-marquardt', muMax: 1000000 \} to resume that run$/],
  ])('%j into a default one: refused, nothing changed; created as said, it takes the state', async (spec, said) => {
    const state = await trained(spec);
    const net = await createNetwork(mse);
    const optimizer = createOptimizer(net, spec.name);
    net.train(x, y, { epochs: 1, batchSize: 4, optimizer });
    const before = unchanged(optimizer);
    await expectError(() => restoreOptimizer(optimizer, state), 'INVALID_OPTION', said);
    expect(unchanged(optimizer)).toBe(before);
    const fitting = createOptimizer(net, spec);
    restoreOptimizer(fitting, state);
    expect(unchanged(fitting)).toBe(JSON.stringify({ ...state, tensors: state.tensors.map((t) => Array.from(t)) }));
  });

  it("Hessian-free refuses a warm start that is not finite and a state of no shape, by INVALID_OPTION, nothing changed", async () => {
    const state = await trained({ name: 'hessian-free' });
    expect(state.tensors.length).toBeGreaterThan(0);
    const net = await createNetwork(mse);
    const hf = createOptimizer(net, 'hessian-free');
    const before = unchanged(hf);
    const tensors = state.tensors.map((t, j) => (j === 2 ? Float32Array.from(t, (v, i) => (i === 1 ? NaN : v)) : t));
    await expectError(() => hf.restore({ ...state, tensors }), 'INVALID_OPTION', /^hessian-free: restore: tensors\[2\]\[1\] is NaN \(CG's warm start\); expected a finite number$/);
    // A TypeError reached the caller here before (state.scalars.lambda of a state without scalars).
    await expectError(() => hf.restore({ name: 'hessian-free', tensors: [new Float32Array(1)] } as never), 'INVALID_OPTION', /^hessian-free: restore: expected 4 tensors of lengths 10, 5, 5, 1, or none: the state does not fit this network$/);
    await expectError(() => hf.restore(null as never), 'INVALID_OPTION', /^hessian-free: restore: expected an optimiser's state \(as state\(\) gives, or a checkpoint's optimizer\), got null$/);
    expect(unchanged(hf)).toBe(before);
  });

  // muMax's range is bounded by the mu option, which the state does not record: its mu is the current μ.
  it("Levenberg-Marquardt: a muMax below the default mu is advised with a mu the constructor takes beside it; a state with no mu is read against this optimiser's", async () => {
    const state = await trained({ name: 'levenberg-marquardt' });
    // A μ of 0.0001 and a muMax between it and the default mu 0.001: advised alone, { muMax: 0.0005 } was refused by the constructor (≥ 0.001).
    const mu = 1e-4;
    const edited = { ...state, scalars: { ...state.scalars, mu, muMax: 5e-4 } };
    const net = await createNetwork(mse);
    const optimizer = createOptimizer(net, 'levenberg-marquardt');
    const before = unchanged(optimizer);
    const error = await expectError(() => restoreOptimizer(optimizer, edited), 'INVALID_OPTION', /^levenberg-marquardt: restore: the state was saved with muMax 0\.0005, this optimiser has 10,000,000,000; create it with \{ name: 'levenberg-marquardt', muMax: 0\.0005, mu: [0-9.e-]+ \} to resume that run \(mu ≤ muMax must hold, so mu is named too\)$/);
    expect(unchanged(optimizer)).toBe(before);
    expect(error.message).toContain(`mu: ${mu} }`);
    const fitting = createOptimizer(net, { name: 'levenberg-marquardt', muMax: 5e-4, mu });
    restoreOptimizer(fitting, edited);
    expect(fitting.state().scalars.mu).toBe(mu);
    // No mu recorded: the bound is this optimiser's μ (restore keeps it), not NaN ('≥ NaN … damaged').
    const { mu: _dropped, ...noMu } = state.scalars;
    await expectError(() => restoreOptimizer(optimizer, { ...state, scalars: { ...noMu, muMax: 5 } }), 'INVALID_OPTION', /^levenberg-marquardt: restore: the state was saved with muMax 5, this optimiser has 10,000,000,000; create it with \{ name: 'levenberg-marquardt', muMax: 5 \} to resume that run$/);
    createOptimizer(net, { name: 'levenberg-marquardt', muMax: 5 });
    await expectError(() => restoreOptimizer(optimizer, { ...state, scalars: { ...noMu, muMax: 1e-4 } }), 'INVALID_OPTION', /^levenberg-marquardt: restore: mu 0\.001 \(this optimiser's\) and scalars\.muMax 0\.0001: expected mu ≤ muMax: the muMax option refuses it too, so no levenberg-marquardt can resume this state \(it is damaged\)$/);
    expect(unchanged(optimizer)).toBe(before);
  });
});

describe("restore() of a state whose tensors are not arrays (though of the right length): INVALID_OPTION, nothing changed", () => {
  const mse = { ...config, loss: 'mse' } as const;
  it.each(['hessian-free', 'lbfgs', 'kfac', 'adam'])('%s names itself, the tensor and what it expected', async (name) => {
    // A state with tensors (L-BFGS's pairs and Hessian-free's warm start need steps), and an optimiser that has stepped, so "nothing changed" is of a state.
    const [from, into] = [await createNetwork(mse), await createNetwork({ ...mse, seed: 4 })];
    const saved = createOptimizer(from, name);
    from.train(x, y, { epochs: 3, batchSize: 4, optimizer: saved });
    const state = saved.state();
    expect(state.tensors.length).toBeGreaterThan(1);
    const optimizer = createOptimizer(into, name);
    into.train(x, y, { epochs: 1, batchSize: 4, optimizer });
    const before = unchanged(optimizer);
    // An object of the right length (a TypeError, `t.findIndex is not a function`, reached the caller here before), a string, null.
    const lengthOnly = state.tensors.map((t, j) => (j === 1 ? { length: t.length } : t));
    await expectError(() => optimizer.restore({ ...state, tensors: lengthOnly } as never), 'INVALID_OPTION', new RegExp(`^${name}: restore: tensors\\[1\\] is an object; expected an array of numbers \\(a Float32Array, as state\\(\\) gives\\)$`));
    const text = state.tensors.map((t, j) => (j === 0 ? '0'.repeat(t.length) : t));
    await expectError(() => optimizer.restore({ ...state, tensors: text } as never), 'INVALID_OPTION', new RegExp(`^${name}: restore: tensors\\[0\\] is the string "0+…?"; expected an array of numbers`));
    await expectError(() => optimizer.restore({ ...state, tensors: [...state.tensors.slice(0, -1), null] } as never), 'INVALID_OPTION', new RegExp(`^${name}: restore: tensors\\[${state.tensors.length - 1}\\] is null; expected an array of numbers`));
    // The list itself not an array.
    const listLike = { ...state.tensors, length: state.tensors.length };
    await expectError(() => optimizer.restore({ ...state, tensors: listLike } as never), 'INVALID_OPTION', new RegExp(`^${name}: restore: tensors is an object; expected an array of tensors, each an array of numbers \\(as state\\(\\) gives\\)$`));
    expect(unchanged(optimizer)).toBe(before);
    // Plain arrays of numbers are arrays: taken as the Float32Arrays they hold.
    optimizer.restore({ ...state, tensors: state.tensors.map((t) => Array.from(t)) } as never);
    expect(unchanged(optimizer)).toBe(unchanged(saved));
  });

  it.each(['hessian-free', 'lbfgs', 'kfac', 'adam'])('%s refuses a finite value beyond the float32 range (it became Infinity in the state), on every backend', async (name) => {
    for (const backend of ['ref', 'wasm'] as const) {
      const net = await createNetwork({ ...mse, backend });
      const optimizer = createOptimizer(net, name);
      net.train(x, y, { epochs: 3, batchSize: 4, optimizer });
      const state = optimizer.state();
      const before = unchanged(optimizer);
      const beyond = state.tensors.map((t, j) => (j === 1 ? Array.from(t, (v, i) => (i === 2 ? -1e39 : v)) : t));
      await expectError(() => optimizer.restore({ ...state, tensors: beyond } as never), 'INVALID_OPTION', new RegExp(`^${name}: restore: tensors\\[1\\]\\[2\\] is -1e\\+39, beyond the float32 range`));
      expect(unchanged(optimizer), backend).toBe(before);
      net.dispose();
    }
  });
});
