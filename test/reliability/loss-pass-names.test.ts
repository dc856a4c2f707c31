// The loss kernels refuse a pass they do not have, on every backend, the tensors untouched: MSE's
// backward through softmax or a misspelt output activation threw a raw TypeError on wasm (the
// missing derivative pass) and ref "activationPrime[output] is not a function"; an unknown loss
// was taken as MSE in silence.
import { afterAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../../src/kernels.js';
import { createThreadedWasmKernels } from '../../src/wasm/threads/threaded-kernels.js';
import { kernelBackends, tensorOf } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';

const threaded = await createThreadedWasmKernels({ threads: 2, minRowsPerThread: 1 });
afterAll(() => threaded.close());
const backends = [...(await kernelBackends()), { name: 'threads', kernels: threaded as Kernels }];
const [BATCH, N] = [2, 3];

describe.each(backends.map((b) => [b.name, b.kernels] as const))('%s', (_name, k) => {
  const values = [0.25, -0.5, 1, 0.75, 0, -1];
  const tensors = () => [0, 1, 2, 3].map(() => tensorOf(k, values));

  it.each(['softmax', 'foo', 'toString', undefined])("refuses MSE's backward through the output %s", async (output) => {
    const [dz, z, a, y] = tensors();
    await expectError(() => k.lossBackward('mse', output as never, dz, z, a, y, BATCH, N), 'INVALID_OPTION', new RegExp(`^${k.name}: lossBackward: output: mse's gradient goes through the output activation's derivative, which only sigmoid, tanh, relu, leaky-relu, softsign, linear, selu have here; got `));
    for (const t of [dz, z, a, y]) expect(Array.from(k.view(t))).toEqual(Array.from(Float32Array.from(values)));
  });

  it.each(['foo', 'MSE', undefined])('refuses the loss %s forward and backward', async (loss) => {
    const [dz, z, a, y] = tensors();
    await expectError(() => k.loss(loss as never, 'sigmoid', z, a, y, BATCH, N), 'INVALID_OPTION', new RegExp(`^${k.name}: loss: loss: expected one of mse, cross-entropy, binary-cross-entropy, got `));
    await expectError(() => k.lossBackward(loss as never, 'sigmoid', dz, z, a, y, BATCH, N), 'INVALID_OPTION', new RegExp(`^${k.name}: lossBackward: loss: expected one of`));
    for (const t of [dz, z, a, y]) expect(Array.from(k.view(t))).toEqual(Array.from(Float32Array.from(values)));
  });

  it('still takes MSE through every hidden activation, and softmax with cross-entropy', () => {
    const [dz, z, a, y] = tensors();
    expect(Number.isFinite(k.lossBackward('mse', 'tanh', dz, z, a, y, BATCH, N))).toBe(true);
    expect(Number.isFinite(k.loss('mse', 'softmax', z, a, y, BATCH, N))).toBe(true);
    expect(Number.isFinite(k.lossBackward('cross-entropy', 'softmax', dz, z, a, y, BATCH, N))).toBe(true);
  });
});
