// An operator whose product holds a NaN or an infinity made every value lanczos returns NaN, with
// converged: true (largest [NaN], a silent NaN said measured). It is refused at the step it appears.
import { describe, expect, it } from 'vitest';
import { lanczos } from '../../src/curvature/lanczos.js';
import { expectError } from '../util/expect-error.js';

const diagonal = (values: number[]) => (out: Float64Array, v: Float64Array) => {
  for (let i = 0; i < v.length; i++) out[i] = values[i] * v[i];
};

describe('lanczos on an operator with non-finite products', () => {
  it.each([
    ['NaN at every product', (out: Float64Array) => out.fill(Number.NaN), 1],
    ['an infinity', diagonal([1, Infinity, 3]), 1],
  ])('%s: NON_FINITE_INPUT naming the step', async (_, operator, step) => {
    await expectError(() => lanczos(operator, 3, { k: 1 }), 'NON_FINITE_INPUT', new RegExp(`^lanczos: the operator's product at step ${step} holds a NaN or an infinity`));
  });

  it('one that turns NaN after the first step is refused at that step', async () => {
    let calls = 0;
    const operator = (out: Float64Array, v: Float64Array) => {
      calls++;
      diagonal([1, 2, 3, 4])(out, v);
      if (calls > 3) out[0] = Number.NaN; // the first step takes two products (one measures rounding)
    };
    await expectError(() => lanczos(operator, 4, { k: 1 }), 'NON_FINITE_INPUT', /^lanczos: the operator's product at step 3 /);
  });

  it('finite products too large to square are said to be finite and too large, not a NaN or an infinity (adv29: they were)', async () => {
    for (const scale of [1e155, 1e300, 1.5e308]) {
      await expectError(() => lanczos(diagonal([scale, scale, -scale]), 3, { k: 1 }), 'NON_FINITE_INPUT', /^lanczos: the operator's product at step 1 is finite, but its squared norm overflows float64, so no eigenvalue can be measured; scale the operator down$/);
    }
    expect(lanczos(diagonal([1e150, 2e150, -1e150]), 3, { k: 1 }).largest[0] / 2e150).toBeCloseTo(1, 10); // squares within float64: measured
  });

  it('a finite operator is measured as before', () => {
    const result = lanczos(diagonal([1, 2, 3]), 3, { k: 1 });
    expect(result.largest[0]).toBeCloseTo(3, 10);
    expect(result.converged).toBe(true);
  });
});
