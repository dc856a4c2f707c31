/**
 * copyRows, the mini-batch gather (dst[i] = src[rows[start + i]]), on every backend: rows in any
 * order and repeated, a window of the index array, row lengths odd and aligned (on both sides of
 * the core's switch from 8-byte words to memory.copy at 256 bytes), an empty gather, and nothing
 * written past the batch. A copy is exact, so every backend must give the same bits.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { kernelBackends, tensorOf } from '../util/backends.js';
import { guarded, readGuarded } from '../util/canaries.js';

const backends = await kernelBackends();

describe.each(backends)('$name', ({ kernels: k }) => {
  for (const [sourceRows, rowLen, start, count] of [
    [50, 1, 0, 50],
    [50, 7, 3, 20],
    [97, 784, 10, 64],
    [30, 63, 2, 20],
    [30, 64, 2, 20],
    [40, 10, 39, 1],
    [12, 16, 5, 0],
  ]) {
    it(`gathers ${count} of ${sourceRows} rows of ${rowLen} from index ${start}`, () => {
      const rng = new Rng(sourceRows * 31 + rowLen);
      const values = Float32Array.from({ length: sourceRows * rowLen }, () => rng.normal());
      // A shuffled order with a repeated row, read from `start` on.
      const rows = Uint32Array.from({ length: sourceRows }, (_, i) => i);
      rng.shuffle(rows);
      if (count > 1) rows[start + 1] = rows[start];
      const src = tensorOf(k, values);
      const dst = guarded(k, new Float32Array(count * rowLen).fill(-1));
      k.copyRows(dst, src, rows, start, count, rowLen);
      const got = readGuarded(k, dst, count * rowLen, `${k.name} copyRows`);
      const expected = Float64Array.from({ length: count * rowLen }, (_, j) => values[rows[start + Math.floor(j / rowLen)] * rowLen + (j % rowLen)]);
      expect(Array.from(got)).toEqual(Array.from(expected));
      k.free(src);
      k.free(dst);
    });
  }
});
