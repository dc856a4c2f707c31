/**
 * checkModelJsonSize answers clear cases from bounds on each number's characters, and writes
 * numbers only in between: a file whose fewest characters pass the limit is refused without
 * writing one (saveModel's refusal at 20.8M weights wrote 10.3M of them, ~2.3 s of CPU, first).
 * The lower bound (fewestNumberBytes) must never pass what JSON writes, or a file that fits would
 * be refused: checked against JSON.stringify on float32 values of every magnitude, weights as
 * initialised, and the neighbours of powers of ten and two, where a shortest decimal may change
 * its exponent.
 */
import { describe, expect, it } from 'vitest';
import { fewestNumberBytes, LONGEST_NUMBER } from '../../src/network/json-number-bounds.js';
import { checkModelJsonSize, modelJsonText } from '../../src/network/model-file.js';
import { Rng } from '../../src/init/rng.js';
import { grouped } from '../../src/counted.js';

/** What a model file writes for `v` (numberText: JSON's, −0 as '-0'). */
const written = (v: number) => (Object.is(v, -0) ? '-0' : JSON.stringify(v));

/** `v` moved by `steps` float64 units in the last place. */
function ulpsAway(v: number, steps: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  view.setBigInt64(0, view.getBigInt64(0) + BigInt(steps));
  return view.getFloat64(0);
}

describe('fewestNumberBytes', () => {
  it('is never more than the characters JSON writes, nor is any text longer than LONGEST_NUMBER', () => {
    const rng = new Rng(7);
    const bits = new Uint32Array(1);
    const f32 = new Float32Array(bits.buffer);
    const values: number[] = [0, -0, 1, -1, 1e-6, Math.fround(1e-6), 1e-7, 0.1, Math.fround(0.1), 1e21, 2 ** 53 + 2, Number.MIN_VALUE, Number.MAX_VALUE, -5.9065810091851745e-6];
    for (let i = 0; i < 100_000; i++) {
      bits[0] = Math.floor(rng.uniform() * 2 ** 32);
      if (Number.isFinite(f32[0])) values.push(f32[0]);
      values.push(Math.fround((rng.uniform() * 2 - 1) * Math.sqrt(3 / 784)));
    }
    for (let e = -12; e <= 13; e++) {
      for (const base of [10 ** e, 2 ** e, 5 * 10 ** e]) for (let k = -200; k <= 200; k++) values.push(ulpsAway(base, k), -ulpsAway(base, k));
    }
    let over = values.filter((v) => fewestNumberBytes(v) > written(v).length);
    expect(over.map((v) => `${written(v)}: ${fewestNumberBytes(v)}`)).toEqual([]);
    over = values.filter((v) => written(v).length > LONGEST_NUMBER.length);
    expect(over).toEqual([]);
  });

  it('is near what JSON writes for weights as initialised: at least 16 characters of their 20 on average', () => {
    const rng = new Rng(3);
    const weights = Array.from({ length: 10_000 }, () => Math.fround((rng.uniform() * 2 - 1) * Math.sqrt(3 / 784)));
    const mean = (f: (v: number) => number) => weights.reduce((sum, v) => sum + f(v), 0) / weights.length;
    expect(mean(fewestNumberBytes)).toBeGreaterThan(16);
    expect(mean((v) => written(v).length)).toBeGreaterThan(mean(fewestNumberBytes));
  });
});

describe('checkModelJsonSize', () => {
  const rng = new Rng(5);
  const value = { layers: [{ weights: Float32Array.from({ length: 100_000 }, () => (rng.uniform() * 2 - 1) * 0.06) }] };
  const exact = modelJsonText(value, Infinity, 'toJSON', '').length;

  /** How many numbers `check` wrote with JSON.stringify. */
  function numbersWritten(check: () => void): number {
    const stringify = JSON.stringify;
    let count = 0;
    JSON.stringify = ((v: unknown, ...rest: unknown[]) => {
      if (typeof v === 'number') count++;
      return Reflect.apply(stringify, JSON, [v, ...rest]) as string;
    }) as typeof JSON.stringify;
    try {
      check();
    } finally {
      JSON.stringify = stringify;
    }
    return count;
  }

  it('refuses a file whose fewest characters pass the limit without writing a number', () => {
    const limit = Math.floor(exact * 0.7); // below the fewest: ~17.6 bytes a weight of ~21 written
    let refusal = '';
    const written = numbersWritten(() => {
      try {
        checkModelJsonSize(value, limit, 'toJSON', 'advice');
      } catch (error) {
        refusal = (error as Error).message;
      }
    });
    expect(refusal).toBe(`toJSON: its JSON text passes ${grouped(limit)} bytes, the most a JSON model file may hold; advice`);
    expect(written).toBe(0);
  });

  it('writes the numbers where the bounds cannot tell, and lets exactly the text through', () => {
    expect(numbersWritten(() => checkModelJsonSize(value, exact, 'toJSON', 'advice'))).toBe(100_000);
    expect(() => checkModelJsonSize(value, exact - 1, 'toJSON', 'advice')).toThrow(/passes/);
    expect(numbersWritten(() => checkModelJsonSize(value, 26 * 100_000 + 100, 'toJSON', 'advice'))).toBe(0); // every number at its longest fits
  });
});
