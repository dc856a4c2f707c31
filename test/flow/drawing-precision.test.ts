// The charts' coordinates are written to what the drawing needs, from one precision (PIXEL_DECIMALS): the report's
// bar chart wrote every x of a row from an unrounded label width ('x="96.20000000000002"', study (c)'s deepest depths),
// and each histogram's transform its bin width to 6 figures ('matrix(2.68293 …)', 172 times in the main report; 'scale(2.683 0.8)' now).
import { describe, expect, it } from 'vitest';
import { barChart, histograms, PIXEL_DECIMALS, scaleText } from '../../src/flow/svg.js';

/** Every number in `svg`'s attributes but data-* (the data they carry, not a coordinate), with more decimals than `most`. */
function overPrecise(svg: string, most: number): string[] {
  const attributes = [...svg.matchAll(/ ([\w-]+)="([^"]*)"/g)].filter(([, name]) => !name.startsWith('data-'));
  return attributes.flatMap(([, name, value]) => [...value.matchAll(/\d+\.(\d+)/g)].filter((m) => m[1].length > most).map((m) => `${name}: ${m[0]}`));
}

describe('the drawing precision', () => {
  it('writes a bar chart\'s coordinates to PIXEL_DECIMALS, its labels\' room to the whole pixel', () => {
    // Labels whose measured widths are fractions of a pixel.
    const bars = ['plain-sigmoid', 'relu-he', 'orthogonal-tanh', 'batch-norm-relu'].map((label, i) => ({ label, value: [2, null, 50, 7][i] }));
    const svg = barChart({ id: 'b', title: 't', xLabel: 'depth', ticks: [2, 5, 10, 20, 50], bars });
    expect(overPrecise(svg, PIXEL_DECIMALS)).toEqual([]);
    const x = Number(/<rect class="bar" x="([^"]+)"/.exec(svg)![1]);
    expect(Number.isInteger(x)).toBe(true);
  });

  it("writes a histogram's scale to the decimals its span needs, no more", () => {
    const counts = Uint32Array.from({ length: 41 }, (_, b) => (b * 7) % 13);
    const svg = histograms({ id: 'h', title: 't', layers: [{ label: 'hidden 1', lo: -1, hi: 1, counts }] });
    const [, sx, sy] = /<path class="bars" transform="scale\(([^ ]+) ([^ )]+)\)/.exec(svg)!;
    expect([sx, sy]).toEqual(['2.683', '0.8']);
    // Over the 41 bins the bars end within half of a written step of where the exact scale puts them.
    expect(Math.abs(Number(sx) * 41 - 110)).toBeLessThanOrEqual(0.5 * 10 ** -PIXEL_DECIMALS);
    expect(overPrecise(svg.replace(/scale\([^)]*\)/g, ''), PIXEL_DECIMALS)).toEqual([]);
  });

  it('scaleText keeps any scale within half a written step over its span, with the fewest decimals that do', () => {
    for (const [scale, span] of [[110 / 41, 41], [110 / 7, 7], [0.8, 100], [1 / 3, 1000], [12.3456789, 1]]) {
      const text = scaleText(scale, span);
      const step = 10 ** -PIXEL_DECIMALS;
      expect(Math.abs(Number(text) - scale) * span, `${scale} over ${span}`).toBeLessThanOrEqual(step / 2);
      // One decimal fewer would not do (where the text has one to drop).
      const decimals = text.split('.')[1]?.length ?? 0;
      if (decimals > 0) expect(Math.abs(Number(scale.toFixed(decimals - 1)) - scale) * span, `${text}: fewer would do`).toBeGreaterThan(step / 2);
    }
  });
});
