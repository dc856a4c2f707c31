// Counts in words (src/counted.ts): the one place gradscope turns a number of things, or of times, into words.
import { describe, expect, it } from 'vitest';
import { counted, countedList, grouped, times } from '../src/counted.js';

describe('counts in words', () => {
  it("counted: singular for exactly 1 ('1 epoch'), plural otherwise, an irregular plural when given", () => {
    expect([0, 1, 2].map((n) => counted(n, 'epoch'))).toEqual(['0 epochs', '1 epoch', '2 epochs']);
    expect(counted(3, 'batch', 'batches')).toBe('3 batches');
  });

  it('grouped: whole parts in threes split by commas, as toLocaleString(\'en-US\') writes them; decimals kept whole; exponent forms, NaN and ±Infinity as String writes them', () => {
    const numbers = [0, 7, 999, 1000, 9000, 33781, 1_000_000, -1234, 262144];
    expect(numbers.map(grouped)).toEqual(numbers.map((n) => n.toLocaleString('en-US')));
    expect([12345.6789, -1234.5, 0.5, 1e21, 1e-7, NaN, Infinity, -Infinity].map(grouped)).toEqual(['12,345.6789', '-1,234.5', '0.5', '1e+21', '1e-7', 'NaN', 'Infinity', '-Infinity']);
  });

  it('grouped: a bigint (a 64-bit length field) grouped whole, past where a number would turn to exponent form', () => {
    expect([4n * 10n ** 24n, 999n, -1234n].map(grouped)).toEqual(['4,000,000,000,000,000,000,000,000', '999', '-1,234']);
  });

  it('counted and countedList group their counts: 9,000 digits, 2,000 and 5,000 hidden layers', () => {
    expect(counted(9000, 'digit')).toBe('9,000 digits');
    expect(counted(1000, 'batch', 'batches')).toBe('1,000 batches');
    expect(countedList([2000, 5000], 'hidden layer')).toBe('2,000, 5,000 hidden layers');
  });

  it("times: 'once' for 1 (never '1 time'), 'n times' otherwise", () => {
    expect([0, 1, 2, 10].map(times)).toEqual(['0 times', 'once', '2 times', '10 times']);
  });
});
