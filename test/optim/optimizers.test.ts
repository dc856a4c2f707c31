/**
 * The optimisers' contracts beyond convergence: the registry and its errors (raised before any
 * weight moves), each option doing what it says (learning-rate defaults, layerRates, LARS's trust
 * ratio, clipping by global norm), checkpoints that continue bit for bit, and no leaked memory.
 */
import { describe, expect, it } from 'vitest';
import { GradscopeError } from '../../src/errors.js';
import type { NetworkOptions } from '../../src/network/config.js';
import { createNetwork, type Network } from '../../src/api/network.js';
import { clipGradientNorm, createOptimizer, OPTIMIZERS, optimizerNames, type OptimizerSpec } from '../../src/optim/index.js';
import { MODEL } from '../../src/model.js';
import { expectError } from '../util/expect-error.js';
import { LM_MAX_PARAMETERS } from '../../src/optim/levenberg-marquardt.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { Sgd } from '../../src/optim/sgd.js';
import { Adam, AdamW } from '../../src/optim/adam.js';
import { kernelBackends } from '../util/backends.js';
import { leastSquaresProblem, ONE_OUTPUT, XOR } from './problems.js';
import { grouped } from '../../src/counted.js';

const problem = leastSquaresProblem(3, 64, ONE_OUTPUT);

function snapshot(net: Network): number[][] {
  return net.parameters().map((p) => Array.from(net.kernels.view(p.value)));
}

function norm(values: number[]): number {
  return Math.hypot(...values);
}

describe('the optimiser registry', () => {
  it('a class given options that are no object: INVALID_OPTION naming the optimiser; the weight decay defaults (AdamW 0.01)', async () => {
    const net = await createNetwork({ sizes: [2, 3, 1], loss: 'mse', output: 'linear' });
    for (const [name, create] of [['sgd', (o: never) => new Sgd(net, o)], ['adam', (o: never) => new Adam(net, o)], ['adamw', (o: never) => new AdamW(net, o)]] as const) {
      for (const given of [null, 5, [0.9]]) {
        expect(() => create(given as never), `${name} ${JSON.stringify(given)}`).toThrow(new RegExp(`^${name}: expected an options object, got `));
      }
    }
    expect(new AdamW(net, {}).weightDecay).toBe(0.01);
    expect(new Adam(net, {}).weightDecay).toBe(0);
    expect(new Sgd(net, { weightDecay: 0.1 }).state().scalars.weightDecay).toBe(0.1);
    net.dispose();
  });

  it("states each optimiser's own learning rate: what its instances default to; those without one take none, report none and trace none", async () => {
    // mse with a linear output: Levenberg-Marquardt's problem, which every optimiser takes.
    const options = { sizes: [2, 3, 1], loss: 'mse', output: 'linear', seed: 3 } as const;
    const x = [[0, 1], [1, 0], [1, 1], [0.5, -1]];
    const y = [[1], [0], [0.5], [2]];
    const net = await createNetwork(options);
    for (const definition of OPTIMIZERS) {
      const optimizer = createOptimizer(net, definition.name);
      expect(optimizer.defaultLearningRate, definition.name).toBe(definition.learningRate);
      expect(optimizer.choosesOwnSteps === true, definition.name).toBe(definition.learningRate === undefined);
      optimizer.dispose();
      if (definition.learningRate !== undefined) continue;
      // A learning rate, or onNonFinite 'halve' (which halves it), would be ignored: refused before anything changes.
      const before = snapshot(net);
      await expectError(() => net.train(x, y, { optimizer: definition.name, learningRate: 1e-3 }), 'INVALID_OPTION', new RegExp(`^learningRate: '${definition.name}' chooses its own steps \\(its damping sets them\\) and takes none$`));
      await expectError(() => net.train(x, y, { optimizer: definition.name, onNonFinite: 'halve' }), 'INVALID_OPTION', new RegExp(`^onNonFinite: 'halve' halves the learning rate, which '${definition.name}' does not take .*use 'throw' or 'skip'$`));
      expect(snapshot(net), definition.name).toEqual(before);
      const result = net.train(x, y, { optimizer: definition.name, epochs: 2, batchSize: 4, trace: { every: 1 } });
      expect(Object.keys(result), definition.name).not.toContain('learningRate');
      expect(Object.keys(net.trace!.run), definition.name).not.toContain('learningRate');
      expect(net.trace!.run.optimizer).toBe(definition.name);
    }
    const adam = net.train(x, y, { optimizer: 'adam', trace: { every: 1 } });
    expect([adam.learningRate, net.trace!.run.learningRate]).toEqual([1e-3, 1e-3]);
    expect(OPTIMIZERS.filter((d) => d.learningRate === undefined).map((d) => d.name).sort()).toEqual(['hessian-free', 'levenberg-marquardt']);
    expect(OPTIMIZERS.find((d) => d.name === 'adam')!.learningRate).toBe(1e-3);
    net.dispose();
  });

  it('lists every optimiser of the issue', () => {
    expect(optimizerNames()).toEqual(expect.arrayContaining(['sgd', 'lars', 'adagrad', 'rmsprop', 'adam', 'adamw', 'lbfgs', 'levenberg-marquardt']));
  });

  const bad: [string, OptimizerSpec | undefined, Record<string, unknown>, RegExp, number[]?][] = [
    ['an unknown name', 'adamm', {}, /unknown optimiser "adamm"/],
    ['an unknown option', { name: 'adam', beta_1: 0.8 }, {}, /adam: unknown option 'beta_1'/],
    ['beta1 out of range', { name: 'adam', beta1: 1.5 }, {}, /adam: beta1: expected a finite number ≥ 0 and < 1, got 1.5/],
    ['layerRates of the wrong length', { name: 'adam', layerRates: [1, 2] }, {}, /adam: layerRates: the network has 1 weight layers, got 2/],
    ['a layer rate ≤ 0', { name: 'rmsprop', layerRates: [0] }, {}, /rmsprop: layerRates\[0\]/],
    ['decayBiases not a boolean', { name: 'sgd', weightDecay: 0.1, decayBiases: 'no' } as never, {}, /sgd: decayBiases: expected true or false, got "no"/],
    ['Nesterov without momentum', { name: 'sgd', nesterov: true }, {}, /nesterov: .*momentum > 0/],
    ['clipNorm with L-BFGS', 'lbfgs', { clipNorm: 1 }, /clipNorm: 'lbfgs' evaluates its own gradients/],
    ['clipNorm ≤ 0', 'adam', { clipNorm: 0 }, /clipNorm: expected a finite number > 0/],
    ['maxSeconds ≤ 0', 'adam', { maxSeconds: -1 }, /maxSeconds: expected a finite number > 0/],
    ['a clock that is neither wall nor cpu', 'adam', { maxSeconds: 1, clock: 'gpu' as never }, /^clock: expected one of wall, cpu, got .gpu./],
    // A clock is read only by maxSeconds: without it the setting did nothing and was accepted.
    ['a clock without maxSeconds', 'adam', { clock: 'cpu' }, /^clock: 'cpu' is the clock maxSeconds reads, and no maxSeconds is given; give maxSeconds, or leave clock out$/],
    ['a spec with no name', { beta1: 0.5 } as never, {}, /optimizer: .*no name/],
    // top-level settings that the given optimiser would ignore (they set up the default SGD)
    ["a top-level momentum beside 'sgd'", 'sgd', { momentum: 0.5 }, /momentum: a top-level momentum sets up the default SGD and is not applied when optimizer is given; give it in the optimizer: optimizer: \{ name: 'sgd', momentum: 0\.5 \}/],
    ['a top-level weightDecay beside adam', 'adam', { weightDecay: 0.1 }, /weightDecay: .*optimizer: \{ name: 'adam', weightDecay: 0\.1 \}/],
    // … suggested only where that optimiser takes it (its option table), else its nearest named
    ["a top-level momentum beside 'adam'", 'adam', { momentum: 0.9 }, /^momentum: a top-level momentum sets up the default SGD and is not applied when optimizer is given; 'adam' has no option 'momentum': its beta1 plays that part, optimizer: \{ name: 'adam', beta1: 0\.9 \}$/],
    ["a top-level momentum beside { name: 'rmsprop' }", { name: 'rmsprop' }, { momentum: 0.9 }, /^momentum: .*; 'rmsprop' has no option 'momentum' \(its options: layerRates, weightDecay, decayBiases, learningRate, alpha, epsilon\)$/],
    ["a top-level weightDecay beside 'lbfgs'", 'lbfgs', { weightDecay: 0.1 }, /^weightDecay: .*; 'lbfgs' has no option 'weightDecay' \(its options: memory, learningRate, c1, c2, maxEvaluations\)$/],
    ['a top-level weightDecay beside { name: lars }', { name: 'lars', eta: 0.01 }, { weightDecay: 0 }, /weightDecay: .*optimizer: \{ name: 'lars', weightDecay: 0 \}/],
    ['a learningRate at the top level and in the spec', { name: 'sgd', learningRate: 0.1 }, { learningRate: 0.5 }, /learningRate: given twice, 0\.5 at the top level and 0\.1 in optimizer; give it once/],
  ];
  it.each(bad)('refuses %s with INVALID_OPTION before any weight moves', async (_, spec, extra, message) => {
    const net = await createNetwork({ sizes: [3, 1], output: 'linear', loss: 'mse' });
    const before = snapshot(net);
    let error: unknown;
    try {
      net.train(problem.x, problem.y, { optimizer: spec, ...extra });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GradscopeError);
    expect((error as GradscopeError).code).toBe('INVALID_OPTION');
    expect((error as Error).message).toMatch(message);
    expect(snapshot(net)).toEqual(before);
    net.dispose();
  });

  // The suggestion is a key it takes: every optimiser's own table (OptimizerDefinition.options) is the one its
  // constructor checks, and the spec a refusal offers trains without a refusal of its own.
  it.each(OPTIMIZERS.map((d) => d.name))("%s: the registry's option table is the one its constructor checks, and a top-level momentum or weightDecay is offered only as what it takes", async (name) => {
    const net = await createNetwork({ sizes: [3, 1], output: 'linear', loss: 'mse' });
    const definition = OPTIMIZERS.find((d) => d.name === name)!;
    expect(() => createOptimizer(net, { name, zzz: 1 })).toThrow(`(known: ${['name', ...definition.options!].join(', ')})`);
    for (const key of ['momentum', 'weightDecay'] as const) {
      let message = '';
      try {
        net.train(problem.x, problem.y, { optimizer: name, [key]: 0.5 });
      } catch (error) {
        message = (error as Error).message;
      }
      const offered = /optimizer: (\{ name: '[^']+', (\w+): 0\.5 \})$/.exec(message);
      if (definition.options!.includes(key)) expect(offered?.[2], message).toBe(key);
      else expect(message).toContain(`'${name}' has no option '${key}'`);
      if (offered) {
        const spec = { name, [offered[2]]: 0.5 };
        // Taken as a key (K-FAC may still say which of its settings momentum needs: rescale false).
        expect(() => createOptimizer(net, spec).dispose(), JSON.stringify(spec)).not.toThrow(/unknown option/);
      }
    }
    net.dispose();
  });

  it('refuses a top-level momentum beside an optimiser instance, saying where it goes', async () => {
    const net = await createNetwork({ sizes: [3, 1], output: 'linear', loss: 'mse' });
    const sgd = new Sgd(net, {});
    expect(() => net.train(problem.x, problem.y, { optimizer: sgd, momentum: 0.9 })).toThrow(
      /momentum: .*set it when the optimiser is created \(createOptimizer\(net, \{ name: 'sgd', momentum: 0\.9 \}\)\)/,
    );
    net.dispose();
  });

  it('refuses Levenberg-Marquardt without the quadratic cost, or beyond its parameter count', async () => {
    const xent = await createNetwork({ sizes: [2, 3], loss: 'cross-entropy' });
    expect(() => createOptimizer(xent, 'levenberg-marquardt')).toThrow(/needs the quadratic cost \(loss 'mse'\), this network uses 'cross-entropy'/);
    const big = await createNetwork({ sizes: [100, 50, 1], loss: 'mse', output: 'linear' });
    expect(() => createOptimizer(big, 'levenberg-marquardt')).toThrow(new RegExp(`handles up to ${grouped(LM_MAX_PARAMETERS)} parameters.*has 5,101`));
    xent.dispose();
    big.dispose();
  });
});

describe('options', () => {
  // Nielsen's network2.py: w ← (1 − η·λ/n)·w − η·∂C/∂w and b ← b − η·∂C/∂b. Fails if the biases were
  // decayed, or the decay missing or scaled differently.
  it('weightDecay with decayBiases: false is L2 on the weights only (one step of plain SGD, explicit)', async () => {
    const net = await createNetwork({ sizes: [3, 4, 1], activation: 'sigmoid', output: 'linear', loss: 'mse', backend: 'ref', seed: 8, biasInit: { name: 'normal', std: 1 } });
    const [eta, decay] = [0.1, 0.5];
    const gradients = net.gradients(problem.x, problem.y).layers;
    const before = net.parameters().map((p) => Array.from(net.kernels.view(p.value)));
    net.train(problem.x, problem.y, { optimizer: { name: 'sgd', weightDecay: decay, decayBiases: false }, learningRate: eta, epochs: 1, batchSize: 64, shuffle: false });
    net.parameters().forEach((p, i) => {
      const g = p.weightMatrix ? gradients[p.group].weights : gradients[p.group].biases;
      const shrink = p.weightMatrix ? 1 - eta * decay : 1;
      const want = before[i].map((v, j) => shrink * v - eta * g[j]);
      Array.from(net.kernels.view(p.value)).forEach((v, j) => expect(v, `${p.name}[${j}]`).toBeCloseTo(want[j], 12));
    });
    net.dispose();
  });

  // One full-batch step, so the biases' update depends only on the initial weights and the gradient.
  // LARS is left out: its trust ratio η‖w‖/(‖g‖ + λ‖w‖) is per layer, so λ changes the biases' step too.
  it.each(['sgd', 'adagrad', 'rmsprop', 'adam', 'adamw'])('%s: decayBiases false leaves the biases as with no decay; true (default) decays them', async (name) => {
    const step = async (options: Record<string, unknown>) => {
      const net = await createNetwork({ sizes: [3, 4, 1], activation: 'tanh', output: 'linear', loss: 'mse', backend: 'ref', seed: 8, biasInit: { name: 'normal', std: 1 } });
      net.train(problem.x, problem.y, { optimizer: { name, ...options } as OptimizerSpec, learningRate: 0.05, epochs: 1, batchSize: 64, shuffle: false });
      const of = (weightMatrix: boolean) => net.parameters().filter((p) => p.weightMatrix === weightMatrix).map((p) => Array.from(net.kernels.view(p.value)));
      const values = { weights: of(true), biases: of(false) };
      net.dispose();
      return values;
    };
    const none = await step({ weightDecay: 0 });
    const weightsOnly = await step({ weightDecay: 0.5, decayBiases: false });
    const every = await step({ weightDecay: 0.5 });
    expect(weightsOnly.biases).toEqual(none.biases);
    expect(weightsOnly.weights).toEqual(every.weights);
    expect(every.biases).not.toEqual(none.biases);
    expect(weightsOnly.weights).not.toEqual(none.weights);
  });
  it("take the optimiser's default learning rate when train gets none (Adam: 1e-3, so the first step moves each weight by 1e-3)", async () => {
    const net = await createNetwork({ sizes: [3, 1], output: 'linear', loss: 'mse', backend: 'ref' });
    const before = snapshot(net).flat();
    net.train(problem.x, problem.y, { optimizer: 'adam', epochs: 1, batchSize: 64 });
    const moved = snapshot(net).flat().map((v, i) => Math.abs(v - before[i]));
    // Adam's first step is lr·g/(|g| + ε): lr for every parameter with a gradient.
    moved.forEach((d) => expect(d).toBeCloseTo(1e-3, 9));
    net.dispose();
  });

  it('layerRates multiply each layer’s step', async () => {
    const net = await createNetwork({ sizes: [2, 3, 1], output: 'sigmoid', loss: 'mse', backend: 'ref', seed: 5 });
    const g = net.gradients(XOR.x, XOR.y);
    const before = snapshot(net);
    net.train(XOR.x, XOR.y, { optimizer: { name: 'sgd', layerRates: [3, 0.5] }, learningRate: 0.1, batchSize: 4, shuffle: false });
    const after = snapshot(net);
    const expected = [
      [...g.layers[0].weights].map((v) => -0.1 * 3 * v),
      [...g.layers[0].biases].map((v) => -0.1 * 3 * v),
      [...g.layers[1].weights].map((v) => -0.1 * 0.5 * v),
      [...g.layers[1].biases].map((v) => -0.1 * 0.5 * v),
    ];
    after.forEach((values, p) => values.forEach((v, i) => expect(v - before[p][i]).toBeCloseTo(expected[p][i], 12)));
    net.dispose();
  });

  it("LARS moves each layer by lr·η·‖θ_l‖ (its trust ratio), whatever the layer's gradient", async () => {
    const net = await createNetwork({ sizes: [2, 4, 4, 1], output: 'sigmoid', loss: 'mse', backend: 'ref', seed: 3 });
    const before = snapshot(net);
    net.train(XOR.x, XOR.y, { optimizer: { name: 'lars', eta: 0.01, momentum: 0 }, learningRate: 0.5, batchSize: 4 });
    const after = snapshot(net);
    for (let l = 0; l < net.depth; l++) {
      const theta = [...before[2 * l], ...before[2 * l + 1]];
      const step = [...after[2 * l], ...after[2 * l + 1]].map((v, i) => v - theta[i]);
      expect(norm(step) / (0.5 * 0.01 * norm(theta)), `layer ${l}`).toBeCloseTo(1, 10);
    }
    net.dispose();
  });

  it('clipNorm caps the global gradient norm: one SGD step of lr 1 moves θ by exactly clipNorm', async () => {
    const net = await createNetwork({ sizes: [3, 1], output: 'linear', loss: 'mse', backend: 'ref' });
    const gradientNorm = norm(net.gradients(problem.x, problem.y).layers.flatMap((l) => [...l.weights, ...l.biases]));
    expect(gradientNorm).toBeGreaterThan(0.1);
    const before = snapshot(net).flat();
    net.train(problem.x, problem.y, { optimizer: 'sgd', learningRate: 1, batchSize: 64, clipNorm: 0.01 });
    const step = snapshot(net).flat().map((v, i) => v - before[i]);
    expect(norm(step)).toBeCloseTo(0.01 * (gradientNorm / (gradientNorm + 1e-6)), 12);
    net.dispose();
  });

  it('clipGradientNorm refuses a maxNorm that is no finite number > 0, as clipNorm is refused, before any gradient changes', async () => {
    const net = await createNetwork({ sizes: [3, 1], output: 'linear', loss: 'mse', backend: 'ref' });
    net.gradients(problem.x, problem.y);
    const model = net[MODEL];
    const gradients = () => model.parameters().map((p) => Array.from(model.kernels.view(p.grad)));
    const before = gradients();
    expect(before.flat().some((g) => g !== 0)).toBe(true);
    // -1 used to flip every gradient (a factor of −1/‖∇C‖), NaN to return as if nothing needed clipping.
    for (const [maxNorm, shown] of [[-1, '-1'], [0, '0'], [NaN, 'NaN'], [Infinity, 'Infinity'], ['1', '"1"']] as const) {
      await expectError(() => clipGradientNorm(net, maxNorm as number), 'INVALID_OPTION', new RegExp(`^clipGradientNorm: maxNorm: expected a finite number > 0, got ${shown}$`));
    }
    expect(gradients()).toEqual(before);
    net.dispose();
  });

  it('maxSeconds stops training after the batch that crosses it', async () => {
    const net = await createNetwork({ sizes: [3, 1], output: 'linear', loss: 'mse' });
    let steps = 0;
    const result = net.train(problem.x, problem.y, { epochs: 1e6, batchSize: 8, maxSeconds: 0.05, onBatch: () => steps++ });
    expect(steps).toBeGreaterThan(0);
    expect(result.epochs.length).toBeLessThan(1e6);
    net.dispose();
  });

  // The remedies study's budget was wall-clock: at load 8–15 AdamW took 1,479 steps where a quiet machine takes 32,730.
  // A batch that waits (Atomics.wait: no CPU) spends wall-clock time and almost no CPU time.
  it("maxSeconds reads the clock option: 'cpu' does not count time the process spent waiting, 'wall' does", async () => {
    const net = await createNetwork({ sizes: [3, 1], output: 'linear', loss: 'mse' });
    const waits = new Int32Array(new SharedArrayBuffer(4));
    const stepsWithin = (clock: 'wall' | 'cpu') => {
      let steps = 0;
      // 12 one-batch epochs of 25 ms waiting each: 0.3 s of wall-clock time, a few ms of CPU time.
      net.train(problem.x, problem.y, { epochs: 12, batchSize: problem.x.length, maxSeconds: 0.15, clock, onBatch: () => void (steps++, Atomics.wait(waits, 0, 0, 25)) });
      return steps;
    };
    expect(stepsWithin('wall')).toBeLessThan(8);
    expect(stepsWithin('cpu')).toBe(12);
    net.dispose();
  });
});

describe('checkpoints and memory', () => {
  const SPECS: OptimizerSpec[] = [
    { name: 'sgd', momentum: 0.9, nesterov: true },
    'lars',
    'adagrad',
    'rmsprop',
    'adam',
    'adamw',
    'lbfgs',
    'levenberg-marquardt',
  ];
  it.each(SPECS.map((s) => [JSON.stringify(s), s] as const))('%s: restore(state()) continues bit for bit', async (_, spec) => {
    const options: NetworkOptions = { sizes: [2, 5, 1], activation: 'tanh', output: 'sigmoid', loss: 'mse', seed: 9 };
    const straight = await createNetwork(options);
    const o1 = createOptimizer(straight, spec);
    // Levenberg–Marquardt chooses its own steps and takes no learning rate.
    const train = { epochs: 5, batchSize: 4, shuffle: false, ...(!o1.choosesOwnSteps && { learningRate: 0.05 }) };
    straight.train(XOR.x, XOR.y, { ...train, epochs: 10, optimizer: o1 });

    const resumed = await createNetwork(options);
    const o2 = createOptimizer(resumed, spec);
    resumed.train(XOR.x, XOR.y, { ...train, optimizer: o2 });
    const state = o2.state();
    o2.dispose();
    const o3 = createOptimizer(resumed, spec);
    o3.restore(state);
    resumed.train(XOR.x, XOR.y, { ...train, optimizer: o3 });

    expect(snapshot(resumed)).toEqual(snapshot(straight));
    expect(() => o3.restore({ ...state, name: 'other' })).toThrow(GradscopeError);
    straight.dispose();
    resumed.dispose();
  });

  // Plain SGD keeps no velocity buffer (it would only hold the last gradient): its update must still
  // be sgdUpdate's with momentum and weight decay 0, on every backend, and an earlier state that
  // holds velocities must still restore.
  it.each([0, 1, 2, 3, 4])('plain SGD on backend %i: no velocity, the values of sgdUpdate with momentum 0', async (index) => {
    const { kernels: k } = (await kernelBackends())[index];
    const options: NetworkOptions = { sizes: [2, 5, 1], activation: 'tanh', output: 'sigmoid', loss: 'mse', seed: 9 };
    const [net, twin] = [await createNetwork({ ...options, backend: k }), await createNetwork({ ...options, backend: k })];
    const sgd = new Sgd(net);
    net.train(XOR.x, XOR.y, { optimizer: sgd, batchSize: 4, shuffle: false, learningRate: 0.5 });
    expect(sgd.state().tensors).toEqual([]);
    twin.gradients(XOR.x, XOR.y);
    for (const p of twin.parameters()) {
      const velocity = k.alloc(p.length);
      k.sgdUpdate(p.value, velocity, p.grad, p.length, 0.5, 0, 0);
      k.free(velocity);
    }
    expect(snapshot(net)).toEqual(snapshot(twin));
    net.dispose();
    twin.dispose();
  });

  it('SGD keeps one velocity per parameter with momentum, Nesterov or weight decay, allocated at the first step and not before', async () => {
    const kernels = await createWasmKernels();
    const options: NetworkOptions = { sizes: [2, 5, 1], activation: 'tanh', output: 'sigmoid', loss: 'mse', seed: 9 };
    for (const [given, velocities] of [[{}, 0], [{ momentum: 0.9 }, 1], [{ momentum: 0.5, nesterov: true }, 1], [{ weightDecay: 0.01 }, 1]] as const) {
      const net = await createNetwork({ ...options, backend: kernels });
      const sgd = new Sgd(net, given);
      const before = kernels.bytesInUse;
      expect(sgd.state().tensors, JSON.stringify(given)).toEqual([]);
      net.train(XOR.x, XOR.y, { optimizer: sgd, batchSize: 4 });
      const lengths = net.parameters().map((p) => p.length);
      expect(sgd.state().tensors.map((t) => t.length), JSON.stringify(given)).toEqual(velocities ? lengths : []);
      const kept = kernels.bytesInUse;
      net.train(XOR.x, XOR.y, { optimizer: sgd, batchSize: 4, epochs: 3 });
      expect(kernels.bytesInUse, `${JSON.stringify(given)}: later steps allocate nothing`).toBe(kept);
      expect(kept - before, JSON.stringify(given)).toBeGreaterThanOrEqual(velocities * 4 * lengths.reduce((a, b) => a + b));
      net.dispose();
    }
  });

  it('plain SGD restores a state holding velocities (they cannot change its steps) and refuses one of the wrong lengths', async () => {
    const options: NetworkOptions = { sizes: [2, 5, 1], activation: 'tanh', output: 'sigmoid', loss: 'mse', seed: 9 };
    const [net, twin] = [await createNetwork(options), await createNetwork(options)];
    const train = { batchSize: 4, shuffle: false, learningRate: 0.5, epochs: 3 };
    const velocities = net.parameters().map((p) => new Float32Array(p.length).fill(7));
    const restored = new Sgd(net);
    restored.restore({ name: 'sgd', scalars: { step: 4 }, tensors: velocities });
    net.train(XOR.x, XOR.y, { ...train, optimizer: restored });
    twin.train(XOR.x, XOR.y, { ...train, optimizer: new Sgd(twin) });
    expect(snapshot(net)).toEqual(snapshot(twin));
    expect(restored.state().scalars.step).toBe(7);
    expect(() => restored.restore({ name: 'sgd', scalars: { step: 0 }, tensors: velocities.slice(1) })).toThrow(/expected 4 tensors \(1 for each of this network's 4 parameters\) or none, got 3: the state does not fit this network/);
    expect(() => restored.restore({ name: 'sgd', scalars: { step: 0 }, tensors: [new Float32Array(3), ...velocities.slice(1)] })).toThrow(/tensors\[0\] holds 3 values, but this network's 0\.weight has/);
    net.dispose();
    twin.dispose();
  });

  it('optimiser buffers are freed with the network (no leak across create/train/dispose)', async () => {
    const kernels = await createWasmKernels();
    const cycle = async (spec?: 'adam' | 'lbfgs' | 'levenberg-marquardt') => {
      const net = await createNetwork({ sizes: [2, 5, 1], output: 'sigmoid', loss: 'mse', backend: kernels });
      const optimizer = spec && createOptimizer(net, spec);
      net.train(XOR.x, XOR.y, { optimizer, epochs: 3, batchSize: 4 });
      net.dispose();
    };
    await cycle(); // grows the kernels' scratch block once
    const baseline = kernels.bytesInUse;
    for (const spec of ['adam', 'lbfgs', 'levenberg-marquardt'] as const) {
      await cycle(spec);
      expect(kernels.bytesInUse, spec).toBe(baseline);
    }
  });
});
