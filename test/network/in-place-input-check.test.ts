// train() on one batch in its own order loads the rows in place and, on a dense chain, checks the
// inputs finite through the first layer's output (Network.trainInPlace). It must refuse exactly as
// the eager check does: the same NON_FINITE_INPUT, before anything changes, and before any other
// error of the call; and inputs that are finite but overflow the first layer are not refused.
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import type { GradscopeError } from '../../src/errors.js';
import { Sgd } from '../../src/optim/sgd.js';
import { Rng } from '../../src/init/rng.js';
import { FLOAT32_MAX } from '../../src/model-limits.js';
import type { ModelFile } from '../../src/network/model-file.js';
import { kernelBackends } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

const ROWS = 6;
const INPUTS = 9;
const OUTPUTS = 2;
/** One batch in its own order: the in-place path. */
const IN_PLACE = { batchSize: ROWS, shuffle: false, learningRate: 0.5 } as const;

function rowsOf(seed: number): { x: Float32Array; y: Float32Array } {
  const rng = new Rng(seed);
  return {
    x: Float32Array.from({ length: ROWS * INPUTS }, () => rng.uniform() * 2 - 1),
    y: Float32Array.from({ length: ROWS * OUTPUTS }, () => rng.uniform()),
  };
}

const flat = (data: Float32Array, cols: number) => ({ data, rows: data.length / cols, cols });
const listOf = (data: Float32Array, cols: number) => Array.from({ length: data.length / cols }, (_, r) => data.slice(r * cols, (r + 1) * cols));

/** The error of `call`, or undefined if it returns. */
function errorOf(call: () => unknown): GradscopeError | undefined {
  try {
    call();
  } catch (error) {
    return error as GradscopeError;
  }
  return undefined;
}

describe.each(await kernelBackends())('train() on one batch in place, $name', ({ kernels }) => {
  const network = (activation: 'sigmoid' | 'relu' = 'sigmoid'): Promise<Network> =>
    createNetwork({ sizes: [INPUTS, 5, OUTPUTS], activation, output: 'sigmoid', loss: 'mse', seed: 4, backend: kernels });

  const faults: [string, number, number][] = [
    ['NaN', NaN, 0],
    ['Infinity', Infinity, INPUTS + 3],
    ['-Infinity', -Infinity, ROWS * INPUTS - 1],
  ];

  it.each(faults)('refuses a %s input with the eager check’s error, and nothing changes (optimiser, RNG, weights, trace)', async (_name, value, at) => {
    const net = await network();
    const { x, y } = rowsOf(1);
    x[at] = value;
    const where = new RegExp(`^inputs: row ${Math.floor(at / INPUTS)}, column ${at % INPUTS} is ${value}`);
    const optimizer = new Sgd(net, { momentum: 0.9 });
    const earlier = rowsOf(2);
    net.train(flat(earlier.x, INPUTS), flat(earlier.y, OUTPUTS), { ...IN_PLACE, optimizer }); // velocities to keep
    const before = stateHash(net, optimizer);
    const trace = net.trace;
    for (const rows of [flat(x, INPUTS), listOf(x, INPUTS)]) {
      const eager = await expectError(() => net.train(rows, flat(y, OUTPUTS), { ...IN_PLACE, shuffle: true, optimizer }), 'NON_FINITE_INPUT', where);
      const inPlace = await expectError(() => net.train(rows, flat(y, OUTPUTS), { ...IN_PLACE, optimizer }), 'NON_FINITE_INPUT', where);
      expect(inPlace.message).toBe(eager.message);
      // And with the plain SGD train() makes for the call.
      await expectError(() => net.train(rows, flat(y, OUTPUTS), IN_PLACE), 'NON_FINITE_INPUT', where);
    }
    expect(stateHash(net, optimizer)).toBe(before);
    expect(net.trace).toBe(trace);
    net.dispose();
    const relu = await network('relu');
    const reluBefore = stateHash(relu);
    await expectError(() => relu.train(flat(x, INPUTS), flat(y, OUTPUTS), IN_PLACE), 'NON_FINITE_INPUT', where);
    expect(stateHash(relu)).toBe(reluBefore);
    relu.dispose();
  });

  it('refuses after the first forward pass, before any backward product', async () => {
    let backward = 0;
    // The backend's kernels with the weight gradient's product counted (alone, or with ∂input in one call).
    const counting = Object.create(kernels, {
      denseBackwardWeights: { value: (...args: Parameters<typeof kernels.denseBackwardWeights>) => (backward++, kernels.denseBackwardWeights(...args)) },
      denseBackwardWeightsAndInput: { value: (...args: Parameters<typeof kernels.denseBackwardWeightsAndInput>) => (backward++, kernels.denseBackwardWeightsAndInput(...args)) },
    }) as typeof kernels;
    const net = await createNetwork({ sizes: [INPUTS, 5, OUTPUTS], activation: 'sigmoid', output: 'sigmoid', loss: 'mse', seed: 4, backend: counting });
    const { x, y } = rowsOf(8);
    net.train(flat(x, INPUTS), flat(y, OUTPUTS), IN_PLACE);
    expect(backward).toBe(2);
    x[10] = NaN;
    for (const onNonFinite of ['throw', 'skip', 'halve'] as const) {
      await expectError(() => net.train(flat(x, INPUTS), flat(y, OUTPUTS), { ...IN_PLACE, onNonFinite }), 'NON_FINITE_INPUT', /^inputs: row 1, column 1 is NaN/);
    }
    expect(backward).toBe(2);
    net.dispose();
  });

  it('names an input that is not finite before any other fault of the call, as the eager check does', async () => {
    const net = await network();
    const { x, y } = rowsOf(3);
    x[INPUTS * 2 + 1] = NaN;
    const where = /^inputs: row 2, column 1 is NaN/;
    const before = stateHash(net);
    const targets = flat(y, OUTPUTS);
    const calls: [string, () => unknown][] = [
      ['a bad learning rate', () => net.train(flat(x, INPUTS), targets, { ...IN_PLACE, learningRate: -1 })],
      ['an unknown optimiser', () => net.train(flat(x, INPUTS), targets, { ...IN_PLACE, optimizer: 'nope' as never })],
      ['momentum beside an optimiser', () => net.train(flat(x, INPUTS), targets, { ...IN_PLACE, optimizer: 'adam', momentum: 0.9 })],
      ['targets of too few rows', () => net.train(flat(x, INPUTS), flat(y.subarray(0, OUTPUTS), OUTPUTS), { ...IN_PLACE, batchSize: ROWS })],
      ['targets of the wrong width', () => net.train(flat(x, INPUTS), { data: y, rows: ROWS * OUTPUTS, cols: 1 }, IN_PLACE)],
      ['a NaN target', () => net.train(flat(x, INPUTS), flat(Float32Array.from(y, (v, i) => (i === 0 ? NaN : v)), OUTPUTS), IN_PLACE)],
      ['an onBatch that is no function', () => net.train(flat(x, INPUTS), targets, { ...IN_PLACE, onBatch: 3 as never })],
    ];
    for (const [fault, call] of calls) {
      const error = await expectError(call, 'NON_FINITE_INPUT', where);
      expect(error.message, fault).toMatch(where);
    }
    expect(stateHash(net)).toBe(before);
    net.dispose();
  });

  it('with a trace or LSUV checks the inputs before either runs: net.trace and the weights stay as they were', async () => {
    const net = await network();
    const { x, y } = rowsOf(5);
    x[4] = Infinity;
    const before = stateHash(net);
    for (const extra of [{ trace: { every: 1 } }, { lsuv: true }]) {
      await expectError(() => net.train(flat(x, INPUTS), flat(y, OUTPUTS), { ...IN_PLACE, ...extra }), 'NON_FINITE_INPUT', /^inputs: row 0, column 4 is Infinity/);
      expect(net.trace).toBeUndefined();
      expect(stateHash(net)).toBe(before);
    }
    net.dispose();
  });

  it('takes finite inputs that overflow the first layer as the eager check does (not as NON_FINITE_INPUT), and trains as it does', async () => {
    const probe = await network();
    const w = (probe.toJSON() as ModelFile).layers[0].weights[0];
    probe.dispose();
    // Row 0 lines up with unit 0's weights: each product finite, their sum beyond float32.
    const big = 3e38;
    expect(w.reduce((sum, v) => sum + Math.abs(v), 0) * big).toBeGreaterThan(FLOAT32_MAX);
    for (const overflow of [true, false]) {
      const { x, y } = rowsOf(6);
      if (overflow) w.forEach((v, j) => (x[j] = Math.sign(v) * big));
      const outcomes = [];
      // The eager path: validation rows make train() upload the rows instead of loading them in place.
      for (const options of [{ ...IN_PLACE, validation: { x: flat(x, INPUTS), y: flat(y, OUTPUTS) } }, IN_PLACE]) {
        const net = await network();
        const error = errorOf(() => net.train(flat(x, INPUTS), flat(y, OUTPUTS), options));
        outcomes.push({ code: error?.code, message: error?.message, state: stateHash(net) });
        net.dispose();
      }
      expect(outcomes[0].code).not.toBe('NON_FINITE_INPUT');
      expect(outcomes[1]).toEqual(outcomes[0]);
    }
  });
});
