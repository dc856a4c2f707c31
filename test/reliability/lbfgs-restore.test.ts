// L-BFGS's restore() checks the curvature pairs as it will hold them, not as the caller wrote them:
// the WASM core holds float32, where a pair of sᵀy > 0 in float64 can round to sᵀy = 0 (and yᵀy
// can underflow to 0, leaving γ = sᵀy/yᵀy infinite). And it is all or nothing: out of memory while
// it allocates its buffers leaves the learning rate, the pairs and the bytes in use as they were.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { GradscopeError } from '../../src/errors.js';
import { restoreOptimizer } from '../../src/io/checkpoint.js';
import { createOptimizer } from '../../src/optim/index.js';
import type { Optimizer, OptimizerState } from '../../src/optim/optimizer.js';
import { createWasmKernels, type WasmKernels } from '../../src/wasm/wasm-kernels.js';
import { expectError } from '../util/expect-error.js';

const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const y = [[0], [1], [1], [0]];
const config = { sizes: [2, 5, 1], activation: 'tanh', output: 'sigmoid', loss: 'binary-cross-entropy', seed: 3 } as const;
/** The network's parameters in the order a pair's tensors follow them: 0.weight, 0.bias, 1.weight, 1.bias. */
const LENGTHS = [10, 5, 5, 1];

const unchanged = (o: Optimizer) => JSON.stringify({ ...o.state(), tensors: o.state().tensors.map((t) => Array.from(t)) });

/** A one-pair state of an L-BFGS of default settings, its s and y zero but for 0.weight's first values. */
function onePair(lbfgs: Optimizer, s: number[], yValues: number[]): OptimizerState {
  const saved = lbfgs.state();
  const tensor = (values: number[], p: number) => Array.from({ length: LENGTHS[p] }, (_, e) => (p === 0 ? (values[e] ?? 0) : 0));
  return { ...saved, scalars: { ...saved.scalars, pairs: 1 }, tensors: [...LENGTHS.map((_, p) => tensor(s, p)), ...LENGTHS.map((_, p) => tensor(yValues, p))] as never };
}

describe('L-BFGS restore checks the pairs as it holds them', () => {
  // s = (1, −1), y = (1 + 10⁻⁹, 1): sᵀy = 10⁻⁹ in float64; 1 + 10⁻⁹ rounds to 1 in float32, where sᵀy = 0.
  const rounded = { s: [1, -1], y: [1 + 1e-9, 1] };
  // s = 10²⁰, y = 10⁻²⁵: sᵀy = 10⁻⁵ either way; yᵀy = 10⁻⁵⁰ underflows float32 to 0.
  const underflow = { s: [1e20], y: [1e-25] };

  it('premises: both pairs are of positive curvature in float64, and the float32 rounding is as said', () => {
    expect(rounded.s[0] * rounded.y[0] + rounded.s[1] * rounded.y[1]).toBeGreaterThan(0);
    expect(Math.fround(rounded.y[0])).toBe(1);
    expect(underflow.y[0] * underflow.y[0]).toBeGreaterThan(0);
    expect(Math.fround(Math.fround(underflow.y[0]) * Math.fround(underflow.y[0]))).toBe(0);
  });

  it('on the WASM core (float32): refuses both, naming the pair and what it holds, nothing changed', async () => {
    const net = await createNetwork({ ...config, backend: 'wasm' });
    const lbfgs = createOptimizer(net, 'lbfgs');
    net.train(x, y, { epochs: 3, batchSize: 4, optimizer: lbfgs });
    expect(lbfgs.state().scalars.pairs).toBeGreaterThan(0);
    const before = unchanged(lbfgs);
    await expectError(() => restoreOptimizer(lbfgs, onePair(lbfgs, rounded.s, rounded.y)), 'INVALID_OPTION', /^lbfgs: restore: pair 0 has sᵀy = 0 over its values as held; expected a finite number > 1\.00e-10 \(a pair of positive curvature, as step\(\) stores\)$/);
    await expectError(() => restoreOptimizer(lbfgs, onePair(lbfgs, underflow.s, underflow.y)), 'INVALID_OPTION', /^lbfgs: restore: pair 0, the newest, has yᵀy = 0 over its values as held; expected a finite number > 0 \(γ = sᵀy\/yᵀy scales the first direction\)$/);
    expect(unchanged(lbfgs)).toBe(before);
    // And it still steps from the pairs it held.
    net.train(x, y, { epochs: 1, batchSize: 4, optimizer: lbfgs });
    expect(net.evaluate(x, y).loss).toBeLessThan(Infinity);
    net.dispose();
  });

  it('on the float64 reference, which holds them as given, takes both', async () => {
    const net = await createNetwork({ ...config, backend: 'ref' });
    const lbfgs = createOptimizer(net, 'lbfgs');
    for (const { s, y: yValues } of [rounded, underflow]) {
      restoreOptimizer(lbfgs, onePair(lbfgs, s, yValues));
      expect(lbfgs.state().scalars.pairs).toBe(1);
    }
    net.dispose();
  });
});

describe('L-BFGS restore takes only pairs step() would store', () => {
  // s = y = 10⁻⁶: sᵀy = 10⁻¹² > 0, below the floor of 10⁻¹⁰ under which step() stores no pair (ρ would be 10¹²).
  const flat = { s: [1e-6], y: [1e-6] };

  it.each(['wasm', 'ref'] as const)('on %s: a pair of sᵀy > 0 but under the floor refused, nothing changed', async (backend) => {
    const net = await createNetwork({ ...config, backend });
    const lbfgs = createOptimizer(net, 'lbfgs');
    net.train(x, y, { epochs: 3, batchSize: 4, optimizer: lbfgs });
    const before = unchanged(lbfgs);
    await expectError(() => restoreOptimizer(lbfgs, onePair(lbfgs, flat.s, flat.y)), 'INVALID_OPTION', /^lbfgs: restore: pair 0 has sᵀy = 1\.00e-12 over its values as held; expected a finite number > 1\.00e-10 \(a pair of positive curvature, as step\(\) stores\)$/);
    expect(unchanged(lbfgs)).toBe(before);
    net.dispose();
  });

  it('a pair just under the floor prints under it: sᵀy 9.9999e-11 to 3 digits would read 1.00e-10, the floor itself', async () => {
    const net = await createNetwork({ ...config, backend: 'ref' });
    const lbfgs = createOptimizer(net, 'lbfgs');
    const side = Math.sqrt(9.9999e-11);
    await expectError(() => restoreOptimizer(lbfgs, onePair(lbfgs, [side], [side])), 'INVALID_OPTION', /^lbfgs: restore: pair 0 has sᵀy = 9\.9999e-11 over its values as held; expected a finite number > 1\.0000e-10 \(/);
    net.dispose();
  });
});

describe('L-BFGS restore is all or nothing', () => {
  /** The kernels, with `alloc` replaced (the rest, allOrNothing included, is theirs). */
  function withAlloc(kernels: WasmKernels, alloc: (length: number) => ReturnType<WasmKernels['alloc']>): WasmKernels {
    return Object.create(kernels, { alloc: { value: alloc } }) as WasmKernels;
  }

  it('a refused pair on an optimiser that has not stepped: its buffers, allocated to check the pairs in, freed again', async () => {
    const kernels = await createWasmKernels();
    const net = await createNetwork({ ...config, backend: kernels });
    const lbfgs = createOptimizer(net, 'lbfgs');
    const before = unchanged(lbfgs);
    const bytes = kernels.bytesInUse;
    // s = y = 10⁻⁶: sᵀy under the floor step() stores by.
    await expectError(() => restoreOptimizer(lbfgs, onePair(lbfgs, [1e-6], [1e-6])), 'INVALID_OPTION', /^lbfgs: restore: pair 0 has sᵀy = /);
    expect(kernels.bytesInUse).toBe(bytes);
    expect(unchanged(lbfgs)).toBe(before);
    // Its first step allocates them and trains as any.
    net.train(x, y, { epochs: 1, batchSize: 4, optimizer: lbfgs });
    expect(kernels.bytesInUse).toBeGreaterThan(bytes);
    net.dispose();
  });

  it('out of memory while it allocates its buffers: the error, and the learning rate, the state and the bytes in use as before', async () => {
    const trained = await createNetwork({ ...config, backend: 'wasm' });
    const source = createOptimizer(trained, 'lbfgs');
    trained.train(x, y, { epochs: 3, batchSize: 4, optimizer: source });
    const state: OptimizerState = { ...source.state(), scalars: { ...source.state().scalars, learningRate: 0.25 } };
    expect(state.scalars.pairs).toBeGreaterThan(0);

    const kernels = await createWasmKernels();
    let calls = 0;
    let failAt = Infinity;
    const backend = withAlloc(kernels, (length) => {
      if (++calls === failAt) throw new GradscopeError('OUT_OF_MEMORY', 'no room (a test)');
      return kernels.alloc(length);
    });
    const net = await createNetwork({ ...config, backend });
    const lbfgs = createOptimizer(net, 'lbfgs');
    const before = unchanged(lbfgs);
    const bytes = kernels.bytesInUse;
    // Its buffers are many allocations: fail at the third, partway.
    failAt = calls + 3;
    await expectError(() => restoreOptimizer(lbfgs, state), 'OUT_OF_MEMORY', /^no room \(a test\)$/);
    expect(lbfgs.defaultLearningRate).toBe(1);
    expect(unchanged(lbfgs)).toBe(before);
    expect(kernels.bytesInUse).toBe(bytes);
    // With room, the same state is taken whole.
    restoreOptimizer(lbfgs, state);
    expect(lbfgs.defaultLearningRate).toBe(0.25);
    expect(unchanged(lbfgs)).toBe(JSON.stringify({ ...state, tensors: state.tensors.map((t) => Array.from(t)) }));
    [net, trained].forEach((n) => n.dispose());
  });
});
