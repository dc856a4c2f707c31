// toMatrix as a user calls it (it is exported): without `cols` it takes the rows' own width, and its
// messages name it; checkPairs counts rows in words that agree with the number.
import { describe, expect, it } from 'vitest';
import { FLOAT32_MAX } from '../../src/checks.js';
import { checkPairs, toMatrix } from '../../src/data/matrix.js';
import { expectError } from '../util/expect-error.js';

describe('toMatrix', () => {
  it("takes the first row's length, or a flat block's cols, when no cols is given", () => {
    expect(toMatrix([[1, 2, 3], [4, 5, 6]])).toEqual({ data: Float32Array.of(1, 2, 3, 4, 5, 6), rows: 2, cols: 3 });
    expect(toMatrix({ data: [1, 2, 3, 4], rows: 2, cols: 2 })).toEqual({ data: Float32Array.of(1, 2, 3, 4), rows: 2, cols: 2 });
    expect(toMatrix([])).toEqual({ data: new Float32Array(0), rows: 0, cols: 0 });
  });

  it('names itself and the width it expected when called without cols and label', async () => {
    await expectError(() => toMatrix([[1, 2, 3], [4, 5]]), 'SHAPE_MISMATCH', /^toMatrix: row 1 has 2 values, expected 3$/);
    await expectError(() => toMatrix({ data: [1, 2], rows: 1, cols: '2' as never }), 'SHAPE_MISMATCH', /^toMatrix: cols: expected a whole number, got the string "2"$/);
    await expectError(() => toMatrix([5, 6] as never), 'SHAPE_MISMATCH', /^toMatrix: row 0 is 5, not an array of numbers$/);
  });
});

describe("toMatrix's value check", () => {
  // 2¹²⁸ − 2¹⁰³ is where float32 starts to hold a value as Infinity (a tie, rounded to 2¹²⁸); the double below it is held as FLOAT32_MAX.
  const overflow = 2 ** 128 - 2 ** 103;
  const below = overflow - 2 ** (127 - 52);

  it('takes every value float32 holds as finite, the largest rounded down to FLOAT32_MAX', () => {
    expect(toMatrix([[below, -below, 0, -0]]).data).toEqual(Float32Array.of(FLOAT32_MAX, -FLOAT32_MAX, 0, -0));
    expect(toMatrix({ data: [below], rows: 1, cols: 1 }).data[0]).toBe(FLOAT32_MAX);
  });

  it('refuses, naming the row and column, every value float32 holds as Infinity or that is not a finite number', async () => {
    await expectError(() => toMatrix([[1, 2], [3, overflow]]), 'NON_FINITE_INPUT', /^toMatrix: row 1, column 1 is 3\.4028235677973366e\+38, beyond the float32 range$/);
    await expectError(() => toMatrix([[-overflow]], 1, 'inputs'), 'NON_FINITE_INPUT', /^inputs: row 0, column 0 is -3\.4028235677973366e\+38, beyond the float32 range$/);
    await expectError(() => toMatrix([[1, NaN]]), 'NON_FINITE_INPUT', /^toMatrix: row 0, column 1 is NaN, not a finite number$/);
    await expectError(() => toMatrix({ data: [1, -Infinity], rows: 1, cols: 2 }), 'NON_FINITE_INPUT', /^toMatrix: row 0, column 1 is -Infinity, not a finite number$/);
  });

  // A value that is no number is not a non-finite one (edges52's 5): refused as rows that are not arrays of numbers are.
  it('refuses a value that is no number as SHAPE_MISMATCH, naming the row and column, in rows and in a flat block', async () => {
    await expectError(() => toMatrix([[1, '2' as never]]), 'SHAPE_MISMATCH', /^toMatrix: row 0, column 1 is the string "2", not a number$/);
    await expectError(() => toMatrix({ data: [1, 2, 3, null as never], rows: 2, cols: 2 }), 'SHAPE_MISMATCH', /^toMatrix: row 1, column 1 is null, not a number$/);
  });
});

describe('shape messages', () => {
  it("count in words that agree with the number: 'has 1 value', '1 column', '1 row', and group thousands", async () => {
    await expectError(() => toMatrix([[1]], 2, 'targets'), 'SHAPE_MISMATCH', /^targets: row 0 has 1 value, expected 2$/);
    await expectError(() => toMatrix([new Float32Array(1000)], 784, 'inputs'), 'SHAPE_MISMATCH', /^inputs: row 0 has 1,000 values, expected 784$/);
    await expectError(() => toMatrix({ data: [1], rows: 1, cols: 1 }, 2, 'targets'), 'SHAPE_MISMATCH', /^targets: has 1 column, expected 2$/);
    await expectError(() => toMatrix({ data: [1], rows: 1, cols: 2 }, 2, 'targets'), 'SHAPE_MISMATCH', /^targets: data has 1 value, not 1 row × 2$/);
  });
});

describe('checkPairs', () => {
  it('says 1 row, not 1 rows', async () => {
    await expectError(() => checkPairs({ rows: 1 }, { rows: 2 }), 'SHAPE_MISMATCH', /^inputs \(1 row\) and targets \(2 rows\) do not pair up row for row$/);
  });
});
