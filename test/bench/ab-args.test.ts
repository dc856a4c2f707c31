/** The A/B scripts' command line (bench/ab-args.ts): a path holding '=' is kept whole. */
import { describe, expect, it } from 'vitest';
import { labelledArgs } from '../../bench/ab-args.js';

describe('labelledArgs', () => {
  it('splits each label=value at the first = only, so a value (a path) may hold more', () => {
    expect(labelledArgs('usage', ['old=/tmp/a=b/old.wasm', '--time', '500', 'new=x==y'])).toEqual([
      { label: 'old', value: '/tmp/a=b/old.wasm' },
      { label: 'new', value: 'x==y' },
    ]);
  });

  it('asks for at least two, naming the usage', () => {
    expect(() => labelledArgs('npx tsx bench/ab.ts old=… new=…', ['old=a.wasm'])).toThrow('usage: npx tsx bench/ab.ts old=… new=…');
  });
});
