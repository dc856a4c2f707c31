// One median for every "median over …" gradscope prints: the diagnosis's (over records, a NaN record
// left out) and the depth study's (over seeds) were two copies of the formula, and the bench had a
// third that took the upper middle value of an even count.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { median } from '../src/median.js';
import { spread } from '../src/studies/depth.js';

/** The .ts files under `dir`, with their text. */
function sources(dir: string): { file: string; text: string }[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
}

describe('median', () => {
  it('is the middle value of an odd count and the mean of the two middle values of an even one, in any order', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([1e-8, -2, Infinity, 5])).toBe((1e-8 + 5) / 2);
    expect(median([Infinity, 1, Infinity])).toBe(Infinity);
  });

  it('leaves NaN out (a record that was not measured), and is NaN with no value left; the input keeps its order', () => {
    const values = [NaN, 5, 1, NaN];
    expect(median(values)).toBe(3);
    expect(values).toEqual([NaN, 5, 1, NaN]);
    expect(median([NaN, NaN])).toBeNaN();
    expect(median([])).toBeNaN();
  });

  it("the depth study's spread over seeds: that median and the range of the same values", () => {
    expect(spread([0.2, NaN, 0.1, 0.4, 0.3])).toEqual({ median: 0.25, min: 0.1, max: 0.4 });
    expect(spread([0.043])).toEqual({ median: 0.043, min: 0.043, max: 0.043 });
  });

  it('is written once: no other file of src/ or bench/ takes the middle of a sorted list', () => {
    const middle = /% 2 \? \w+\[|\[\w+\.length >> 1\]/;
    const copies = [...sources('src'), ...sources('bench')].filter(({ file, text }) => file !== join('src', 'median.ts') && middle.test(text)).map(({ file }) => file);
    expect(copies).toEqual([]);
    // The pattern finds the copies this file replaced.
    expect(middle.test('return finite.length % 2 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;')).toBe(true);
    expect(middle.test('const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];')).toBe(true);
    expect(middle.test('return sorted[sorted.length >> 1];')).toBe(true);
  });
});
