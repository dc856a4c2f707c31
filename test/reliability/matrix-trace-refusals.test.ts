/**
 * traceOf (exported) refuses what it cannot measure instead of answering with a number: a dimension
 * that is not a whole number (−1 threw a raw RangeError, 1.5 took 1.5 products, NaN gave a trace of
 * 0 from no product), a block outside 0..n or not { offset, length } (the joint estimate summed
 * entries past n as NaN, the exact one cut the block short, null threw a raw TypeError), an
 * operator whose product holds a NaN or an infinity, and finite products whose sum overflows (each
 * gave a NaN or an infinite trace, said measured, exact: true). lanczos refuses such operators alike.
 */
import { describe, expect, it } from 'vitest';
import { traceOf } from '../../src/curvature/matrix-trace.js';
import { lanczos } from '../../src/curvature/lanczos.js';
import type { LinearOperator } from '../../src/curvature/operators.js';
import { expectError } from '../util/expect-error.js';

const scaled = (factor: number): LinearOperator => (out, v) => {
  for (let i = 0; i < v.length; i++) out[i] = factor * v[i];
};
const identity = scaled(1);
const EXACT = { exactLimit: 100 };
const ESTIMATED = { exactLimit: 0, probes: 4 };
const BLOCK_PROBES = { ...ESTIMATED, blockProbes: true };

describe('traceOf refuses', () => {
  it.each([[-1], [0], [1.5], [Number.NaN], ['4']])('a dimension n of %s (INVALID_OPTION), before any product, in the words lanczos refuses it with', async (n) => {
    let products = 0;
    // 0 gave a trace of 0 from no product, where lanczos refused it.
    await expectError(() => traceOf(() => products++, n as number, []), 'INVALID_OPTION', /^traceOf: n \(the operator's dimension\): expected a whole number ≥ 1, got /);
    await expectError(() => lanczos(() => products++, n as number), 'INVALID_OPTION', /^lanczos: n \(the operator's dimension\): expected a whole number ≥ 1, got /);
    expect(products).toBe(0);
  });

  it('a dimension whose vectors pass what a run may hold', async () => {
    await expectError(() => traceOf(identity, 2 ** 30, []), 'INVALID_OPTION', /^traceOf: n \(the operator's dimension\): at most 178,956,970 \(traceOf holds 3 vectors of n float64s, within the 4096\.0 MiB a run may hold\), got 1073741824$/);
  });

  it.each([
    ['past n', { offset: 2, length: 4 }],
    ['before 0', { offset: -2, length: 4 }],
    ['of negative length', { offset: 2, length: -1 }],
    ['not whole', { offset: 1.5, length: 1 }],
    ['null', null],
    ['without a length', { offset: 0 }],
  ])('a block %s (INVALID_OPTION naming it), with joint probes, block probes or exactly', async (_, block) => {
    for (const options of [EXACT, ESTIMATED, BLOCK_PROBES]) {
      await expectError(() => traceOf(identity, 4, [{ offset: 0, length: 1 }, block as never], options), 'INVALID_OPTION', /^traceOf: blocks\[1\]: expected \{ offset, length \}, whole numbers with offset \+ length within 0\.\.4, got /);
    }
  });

  it.each([
    ['a NaN', (out: Float64Array) => out.fill(Number.NaN)],
    ['an infinity off the diagonal', (out: Float64Array, v: Float64Array) => {
      identity(out, v);
      out[3] = Infinity;
    }],
  ])('an operator whose product holds %s (NON_FINITE_INPUT), exactly or estimated', async (_, operator) => {
    for (const options of [EXACT, ESTIMATED, BLOCK_PROBES]) {
      await expectError(() => traceOf(operator, 4, [{ offset: 0, length: 2 }], options), 'NON_FINITE_INPUT', /^traceOf: the operator's product 1 holds a NaN or an infinity, so no trace can be measured/);
    }
  });

  it('finite products whose sum overflows (NON_FINITE_INPUT), exactly or estimated', async () => {
    for (const options of [EXACT, ESTIMATED, BLOCK_PROBES]) {
      await expectError(() => traceOf(scaled(1e308), 4, [{ offset: 0, length: 4 }], options), 'NON_FINITE_INPUT', /^traceOf: the operator's products are finite but their sum overflows float64/);
    }
  });
});

describe('traceOf still measures', () => {
  it('the identity and its blocks, exactly', () => {
    const result = traceOf(scaled(2), 4, [{ offset: 0, length: 1 }, { offset: 1, length: 3 }, { offset: 4, length: 0 }], EXACT);
    expect(result).toEqual({ trace: 8, standardError: 0, exact: true, products: 4, blocks: [{ trace: 2, standardError: 0 }, { trace: 6, standardError: 0 }, { trace: 0, standardError: 0 }] });
  });

  it('a multiple of the identity by Rademacher probes without error (zᵀz = n for every probe)', () => {
    for (const options of [ESTIMATED, BLOCK_PROBES]) {
      const result = traceOf(scaled(3), 4, [{ offset: 0, length: 2 }, { offset: 2, length: 2 }], options);
      expect(result.trace).toBe(12);
      expect(result.blocks.map((b) => b.trace)).toEqual([6, 6]);
    }
  });
});
