/**
 * alloc and allocUninitialized take a whole number of elements ≥ 0 on every backend, and refuse
 * anything else (INVALID_OPTION naming the backend, the call and the value) with nothing allocated:
 * wasm made a tensor of length −1 or 1.5 and asked the engine to grow by NaN pages; ref threw a raw
 * RangeError for −1 and Infinity and made NaN or '8' a tensor of 0 or 8 elements in silence.
 */
import { describe, expect, it } from 'vitest';
import type { Kernels } from '../../src/kernels.js';
import { kernelBackends } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';

const backends = await kernelBackends();
const inUse = (k: Kernels) => (k as { bytesInUse?: number }).bytesInUse;

describe.each(backends.map((b) => [b.name, b.kernels] as const))('%s', (_name, k) => {
  it.each([
    [-1, '-1'],
    [1.5, '1.5'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    ['8', '"8"'],
    [undefined, 'none'], // e9ba2c3f: a value not given is said as 'none', as every public check says it
  ])('refuses a length of %s, allocating nothing', async (length, said) => {
    const before = inUse(k);
    for (const call of ['alloc', 'allocUninitialized'] as const) {
      const message = new RegExp(`^${k.name}: ${call}: expected a whole number of elements ≥ 0, got ${said.replace(/[.+]/g, '\\$&')}$`);
      await expectError(() => k[call](length as number), 'INVALID_OPTION', message);
    }
    expect(inUse(k)).toBe(before);
  });

  it('takes 0 and whole numbers', () => {
    for (const length of [0, 1, 7]) {
      const t = k.alloc(length);
      expect(k.view(t)).toHaveLength(length);
      k.free(t);
    }
  });
});
