// loadMnist's take: the first of each side of the split, and only they copied (a study of 1,000 digits
// copied all 10,000, ~31 MB, per call); the split stays where train and test put it, so a study that
// takes fewer gets the same digits in the same order (the depth and plateau studies' own tests compare
// their numbers with those of loadMnist()'s rows: test/studies/depth.test.ts, plateau-data-loss.test.ts).
import { describe, expect, it } from 'vitest';
import { loadMnist, MNIST_CLASSES, MNIST_PIXELS, type Digits } from '../../src/data/mnist.js';
import { expectError } from '../util/expect-error.js';

/** The first `rows` of `digits`, as views. */
const first = (digits: Digits, rows: number) => ({
  x: Array.from(digits.x.data.subarray(0, rows * MNIST_PIXELS)),
  y: Array.from(digits.y.data.subarray(0, rows * MNIST_CLASSES)),
  labels: Array.from(digits.labels.subarray(0, rows)),
});

describe('loadMnist take', () => {
  it('gives the first digits of each side, the same as the whole split, in buffers of their size alone', async () => {
    const whole = await loadMnist();
    const taken = await loadMnist({ take: { train: 1000, test: 7 } });
    expect([taken.train.x.rows, taken.train.y.rows, taken.test.x.rows, taken.test.labels.length]).toEqual([1000, 1000, 7, 7]);
    expect(first(taken.train, 1000)).toEqual(first(whole.train, 1000));
    expect(first(taken.test, 7)).toEqual(first(whole.test, 7));
    expect(taken.train.x.data.buffer.byteLength).toBe(1000 * MNIST_PIXELS * 4);
    expect(taken.test.x.data.buffer.byteLength).toBe(7 * MNIST_PIXELS * 4);
    // Beside another split: the test digits still follow all of train's, taken or not.
    const small = await loadMnist({ train: 50, test: 20, take: { train: 0 } });
    expect(small.train.x.rows).toBe(0);
    expect(first(small.test, 20)).toEqual(first(await loadMnist({ train: 50, test: 20 }).then((s) => s.test), 20));
  });

  it('refuses a count beyond its side, an unknown key, a take that is no object (INVALID_OPTION), the split checked first', async () => {
    await expectError(() => loadMnist({ take: { train: 9001 } }), 'INVALID_OPTION', /^loadMnist: take\.train: /);
    await expectError(() => loadMnist({ train: 10, test: 5, take: { test: 6 } }), 'INVALID_OPTION', /^loadMnist: take\.test: /);
    await expectError(() => loadMnist({ take: { train: 1.5 } }), 'INVALID_OPTION', /^loadMnist: take\.train: /);
    await expectError(() => loadMnist({ take: { trian: 5 } as never }), 'INVALID_OPTION', /^loadMnist: take: unknown option 'trian'; did you mean 'train'\?/);
    await expectError(() => loadMnist({ take: 5 as never }), 'INVALID_OPTION', /^loadMnist: take: expected an options object, got 5/);
    await expectError(() => loadMnist({ train: 9500, test: 600, take: { train: 9501 } }), 'INVALID_OPTION', /^loadMnist: train 9500 \+ test 600 = 10,100 digits/);
  });
});
