// Network.loadState takes what every model file reader takes and nothing else: a negative running
// variance (every prediction NaN: x̂ = (x − μ)/√(σ² + ε)) or a count that is not a whole number
// ≥ 0 is refused before anything changes, as the readers refuse it (checkStateValues). Before, it
// was written: predict() then said "row 0 overflows float32 in layers[1] (batch-norm, unit 0 is NaN);
// the inputs or the weights are too large" of rows and weights that were fine, and saving refused a
// network loadState had accepted.
import { afterAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import type { Kernels } from '../../src/kernels.js';
import { createThreadedWasmKernels } from '../../src/wasm/threads/threaded-kernels.js';
import { kernelBackends } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

const threaded = await createThreadedWasmKernels({ threads: 2 });
afterAll(() => threaded.close());
const backends = [...(await kernelBackends()), { name: threaded.name, kernels: threaded as Kernels }];

const rows = Array.from({ length: 6 }, (_, r) => [Math.sin(r), Math.cos(3 * r), r / 6]);
const targets = rows.map((_, r) => [r % 2, 1 - (r % 2)]);

describe.each(backends)('loadState of batch norm state on $name', ({ kernels }) => {
  const make = () =>
    createNetwork({
      inputs: 3,
      layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'residual', layers: [{ type: 'batch-norm' }, { type: 'dense', units: 4 }] }, { type: 'dense', units: 2, activation: 'softmax' }],
      seed: 5,
      backend: kernels,
    });

  it.each([
    ['a negative running variance', '2.branch.0.running_var', 2, -0.5, /^tensors\[5\] \(2\.branch\.0\.running_var\)\[2\]: -0\.5 is negative: a variance is ≥ 0$/],
    ['a count below 0', '2.branch.0.num_batches_tracked', 0, -1, /^tensors\[6\] \(2\.branch\.0\.num_batches_tracked\)\[0\]: -1 is not a count \(a whole number ≥ 0\)$/],
    ['a count that is not whole', '2.branch.0.num_batches_tracked', 0, 2.5, /^tensors\[6\] \(2\.branch\.0\.num_batches_tracked\)\[0\]: 2\.5 is not a count/],
  ])('%s is refused (BAD_MODEL_FILE naming it), nothing written', async (_, name, index, value, message) => {
    const net = await make();
    net.train(rows, targets, { epochs: 2, batchSize: 3 });
    const before = stateHash(net);
    const predicted = net.predict(rows);
    const tensors = net.state().map((t) => ({ name: t.name, values: Array.from(t.values) }));
    tensors.find((t) => t.name === name)!.values[index] = value;
    await expectError(() => net.loadState(tensors), 'BAD_MODEL_FILE', message);
    expect(stateHash(net)).toBe(before);
    expect(net.predict(rows)).toEqual(predicted);
    net.dispose();
  });

  it('a running variance of 0 and a count of 0 are state as a fresh network holds it: taken', async () => {
    const net = await make();
    const tensors = net.state().map((t) => ({ name: t.name, values: Array.from(t.values) }));
    tensors.find((t) => t.name === '2.branch.0.running_var')!.values.fill(0);
    net.loadState(tensors);
    expect((net.predict(rows) as Float32Array[]).flatMap((p) => Array.from(p)).every(Number.isFinite)).toBe(true);
    net.dispose();
  });
});

describe('loadState of what is not a list of tensors', () => {
  it.each([
    ['null', () => null, /^loadState: expected an array of \{ name, values \} \(as state\(\) gives them\), got null$/],
    ['a plain object', () => ({}), /^loadState: expected an array of \{ name, values \} .*, got \{\}$/],
    ['an entry null', (state: unknown[]) => state.map(() => null), /^loadState: tensors\[0\]: expected \{ name, values \} .*, got null$/],
    ['values null', (state: { name: string }[]) => state.map((t) => ({ name: t.name, values: null })), /^loadState: tensors\[0\]: expected \{ name, values \} .*, got \{"name":"0\.weight","values":null\}$/],
    // An object with no length: BAD_MODEL_FILE 'expected 0.weight of 6 values, got 0.weight of undefined' before.
    ['values an object with no length', (state: { name: string }[]) => state.map((t) => ({ name: t.name, values: {} })), /^loadState: tensors\[0\]: expected \{ name, values \} .*, got \{"name":"0\.weight","values":\{\}\}$/],
  ])('%s: INVALID_OPTION, nothing written (was a raw TypeError)', async (_, given, message) => {
    const net = await createNetwork({ inputs: 3, layers: [{ type: 'batch-norm' }, { type: 'dense', units: 2, activation: 'softmax' }], backend: 'ref' });
    const before = stateHash(net);
    await expectError(() => net.loadState(given(net.state()) as never), 'INVALID_OPTION', message);
    expect(stateHash(net)).toBe(before);
    net.dispose();
  });
});
