// Network.predict(): one array per row, or { flat: true } for one { data, rows, cols } block holding
// the same values (on every backend, over more rows than one inference chunk, of dense and block
// networks, from rows and from a Dataset); too much output is refused before anything is allocated.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { PREDICT_LIMITS } from '../../src/api/predictions.js';
import { createDataset } from '../../src/api/dataset.js';
import { Rng } from '../../src/init/rng.js';
import { kernelBackends } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';

/** More than the engine's inference chunk (256 rows), so rows from two chunks land in their place. */
const ROWS = 600;

describe.each(await kernelBackends())('predict on $name', ({ kernels }) => {
  it('{ flat: true } gives the per-row outputs as one row-major block, in the backend precision', async () => {
    const rng = new Rng(3);
    const x = Array.from({ length: ROWS }, () => Array.from({ length: 5 }, () => rng.normal()));
    const y = x.map(() => [1, 0, 0]);
    const nets = [
      await createNetwork({ sizes: [5, 7, 3], activation: 'tanh', seed: 2, backend: kernels }),
      await createNetwork({ inputs: 5, layers: [{ type: 'dense', units: 6 }, { type: 'layer-norm' }, { type: 'activation', activation: 'relu' }, { type: 'dense', units: 3, activation: 'softmax' }], seed: 2, backend: kernels }),
    ];
    for (const net of nets) {
      const perRow = net.predict(x);
      const flat = net.predict(x, { flat: true });
      expect(flat.rows).toBe(ROWS);
      expect(flat.cols).toBe(3);
      expect(flat.data).toBeInstanceOf(kernels.precision === 'f64' ? Float64Array : Float32Array);
      expect(Array.from(flat.data)).toEqual(perRow.flatMap((row) => Array.from(row)));
      expect(net.predict(x, { flat: false })).toEqual(perRow);
      const data = await createDataset(x, y, { backend: kernels });
      expect(Array.from(net.predict(data, { flat: true }).data)).toEqual(Array.from(flat.data));
      data.dispose();
      net.dispose();
    }
  });
});

describe('predict refusals', () => {
  it('refuses more rows than PREDICT_LIMITS allow (before allocating: a typed error, not a heap abort), and bad options', async () => {
    const net = await createNetwork({ sizes: [4, 8, 3] });
    const rows = PREDICT_LIMITS.maxRowArrays + 1;
    // The data is never read: the size check comes first (it used to return 3e7 arrays and abort V8).
    const huge = { data: { length: rows * 4 } as unknown as Float32Array, rows, cols: 4 };
    await expectError(() => net.predict(huge), 'OUT_OF_MEMORY', /^predict: 2,097,153 rows would come back as 2,097,153 arrays, more than PREDICT_LIMITS\.maxRowArrays \(2,097,152\); pass \{ flat: true \}/);
    const tooMany = Math.floor(PREDICT_LIMITS.maxValues / 3) + 1;
    await expectError(() => net.predict({ data: { length: tooMany * 4 } as unknown as Float32Array, rows: tooMany, cols: 4 }, { flat: true }), 'OUT_OF_MEMORY', /more than PREDICT_LIMITS\.maxValues/);
    await expectError(() => net.predict([[1, 2, 3, 4]], { flatt: true } as never), 'INVALID_OPTION', /predict: unknown option 'flatt'; did you mean 'flat'\?/);
    await expectError(() => net.predict([[1, 2, 3, 4]], { flat: 'yes' } as never), 'INVALID_OPTION', /predict: flat: expected true or false, got "yes"/);
    await expectError(() => net.predict([[1, 2, 3, 4]], 5 as never), 'INVALID_OPTION', /^predict: expected an options object, got 5$/);
    expect(net.predict([[1, 2, 3, 4]], { flat: true }).rows).toBe(1);
    net.dispose();
  });
});
