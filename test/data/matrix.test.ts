// toMatrix as a user calls it (it is exported): without `cols` it takes the rows' own width, and its
// messages name it; checkPairs counts rows in words that agree with the number.
import { describe, expect, it } from 'vitest';
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
