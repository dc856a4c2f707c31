// The public Rng (and net.rng, the generator a network shuffles and initialises with) refuses what
// it cannot take, its state unchanged: a seed that is not a 32-bit whole number (it was truncated,
// -1 read as 4294967295, NaN as 0), a state that is not four 32-bit words or is all zero (setState
// took it, and xoshiro's zero state draws 0 forever: every shuffle the same), and below(n) without a
// whole n ≥ 1 (below(NaN) returned NaN, below(0) returned 0, outside [0, 0)), and uniformIn(low, high)
// without finite number bounds in order (uniformIn(NaN, 1) returned NaN, uniformIn('0', '1') a string),
// and shuffle(values) of what it cannot shuffle in place (a string or null threw a raw TypeError, an
// array-like object was filled with undefined, a frozen array threw after a draw, the stream moved).
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import { expectError } from '../util/expect-error.js';

describe('Rng arguments', () => {
  it('refuses a seed that is not a 32-bit whole number', async () => {
    for (const seed of [-1, 1.5, NaN, 2 ** 32, '7']) {
      await expectError(() => new Rng(seed as number), 'INVALID_OPTION', /^new Rng\(seed\): seed: expected an integer from 0 to 4,294,967,295 .*, got /);
    }
    expect(new Rng(2 ** 32 - 1).getState()).toHaveLength(4);
  });

  it("refuses a state that is not one, net.rng's stream unchanged", async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], backend: 'ref', seed: 4 });
    const before = net.rng.getState();
    for (const state of [[0, 0, 0, 0], [1, 2, 3], [1, 2, 3, NaN], [1, 2, 3, 2 ** 32], [1, 2, 3, -1], 'abcd', null, new Float64Array([1, 2, 3, 0.5])]) {
      await expectError(() => net.rng.setState(state as number[]), 'INVALID_OPTION', /^rng\.setState\(state\): expected four 32-bit state words, not all zero, got /);
      expect(net.rng.getState()).toEqual(before);
    }
    // Its own states, as arrays or as saveState's words, still restore.
    const words = new Uint32Array(4);
    net.rng.saveState(words);
    const first = net.rng.uniform();
    net.rng.setState(words);
    expect(net.rng.uniform()).toBe(first);
    net.rng.setState(before);
    expect(net.rng.getState()).toEqual(before);
    net.dispose();
  });

  it('refuses below(n) without a whole n ≥ 1, drawing nothing', async () => {
    const rng = new Rng(3);
    const before = rng.getState();
    for (const n of [0, -2, 2.5, NaN, Infinity]) {
      await expectError(() => rng.below(n), 'INVALID_OPTION', /^rng\.below\(n\): n: expected a whole number from 1 to 2⁵³, got /);
    }
    expect(rng.getState()).toEqual(before);
    expect(rng.below(1)).toBe(0);
  });

  it('refuses uniformIn(low, high) without finite bounds in order, drawing nothing (uniformIn(NaN, 1) returned NaN)', async () => {
    const rng = new Rng(3);
    const before = rng.getState();
    for (const [low, high] of [[NaN, 1], [0, NaN], [-Infinity, 1], [0, Infinity], [2, 1], [-1e308, 1e308], ['0', '1'], ['0', 1], [0, '1'], [null, 1]] as [number, number][]) {
      await expectError(() => rng.uniformIn(low, high), 'INVALID_OPTION', /^rng\.uniformIn\(low, high\): expected finite numbers with low ≤ high and high − low finite, got /);
    }
    expect(rng.getState()).toEqual(before);
    expect(rng.uniformIn(2, 2)).toBe(2);
    const drawn = rng.uniformIn(-1, 1);
    expect(drawn >= -1 && drawn < 1).toBe(true);
  });

  it('refuses shuffle(values) of what it cannot shuffle in place, drawing nothing', async () => {
    const rng = new Rng(3);
    const before = rng.getState();
    const arrayLike = { length: 3, 0: 1, 1: 2, 2: 3 };
    for (const values of ['abc', null, undefined, 7, arrayLike, Object.freeze([1, 2, 3]), new DataView(new ArrayBuffer(8))]) {
      await expectError(() => rng.shuffle(values as number[]), 'INVALID_OPTION', /^rng\.shuffle\(values\): expected an array or a typed array to shuffle in place \(not frozen\), got /);
    }
    expect(arrayLike).toEqual({ length: 3, 0: 1, 1: 2, 2: 3 });
    expect(rng.getState()).toEqual(before);
    // What it shuffles, it shuffles as before: a frozen array of fewer than 2 entries needs no write.
    for (const values of [[1, 2, 3, 4], Uint32Array.of(1, 2, 3, 4), Float64Array.of(1, 2, 3, 4)]) {
      const twin = new Rng(9);
      const order = Array.from(values);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(twin.uniform() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      new Rng(9).shuffle(values as number[]);
      expect(Array.from(values)).toEqual(order);
    }
    rng.shuffle(Object.freeze([5]) as number[]);
    expect(rng.getState()).toEqual(before);
  });
});
