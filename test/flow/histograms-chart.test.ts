// The report's histogram chart keeps one scale whatever the number of layers: a 2-layer network's
// labels are not drawn twice as large as a 6-layer one's (the drawing was as wide as its layers).
import { describe, expect, it } from 'vitest';
import { histograms } from '../../src/flow/svg.js';

const layer = (l: number) => ({ label: `hidden ${l + 1}`, lo: -1, hi: 1, counts: [1, 3, 2] });
const viewBox = (svg: string) => /<svg viewBox="([^"]+)">/.exec(svg)![1].split(' ').map(Number);

describe('histograms chart', () => {
  it('is a full row wide for any number of layers, and as tall as its rows', () => {
    const [two, three, six] = [2, 3, 6].map((n) => viewBox(histograms({ id: 'h', title: 't', layers: Array.from({ length: n }, (_, l) => layer(l)) })));
    expect(two[2]).toBe(three[2]);
    expect(six[2]).toBe(three[2]);
    expect(two[3]).toBe(three[3]);
    expect(six[3]).toBe(2 * three[3]);
  });

  it('draws each layer as one outline of relative moves, a run of equal bars as one', () => {
    const svg = histograms({ id: 'h', title: 't', layers: [{ label: 'hidden 1', lo: -1, hi: 1, counts: [0, 0, 5, 5, 10, 3, 0] }] });
    // Heights in % of the tallest bar: 0, 0, 50, 50, 100, 30, 0.
    expect(/<path class="bars"[^>]* d="([^"]+)"\/>/.exec(svg)![1]).toBe('M0 0h2v-50h2v-50h1v70h1v30h1V0Z');
  });
});
