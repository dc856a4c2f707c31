// A line chart's legend fits its right margin: a long series name (the trainable-depth study's
// "plain-sigmoid, 5 layers, lr 0.1") is wrapped between words instead of running off the drawing,
// the whole name stays in the legend's <title>, and the next entry starts below the wrapped lines.
import { describe, expect, it } from 'vitest';
import { legendLines, lineChart } from '../../src/flow/svg.js';
import { keyOf, legendOf } from '../util/chart-key.js';

describe('line chart legend', () => {
  it('keeps a short name on one line and wraps a long one between words, every line within 22 columns', () => {
    expect(legendLines('hidden 5 (saturated)')).toEqual(['hidden 5 (saturated)']);
    const lines = legendLines('plain-sigmoid, 5 layers, lr 0.1');
    expect(lines.length).toBe(2);
    expect(lines.join(' ')).toBe('plain-sigmoid, 5 layers, lr 0.1');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(22);
  });

  it('cuts a single word longer than a line with an ellipsis', () => {
    const [line] = legendLines('a'.repeat(40));
    expect(line).toBe(`${'a'.repeat(21)}…`);
  });

  // One rule with the terminal's (displayWidth): by code point, a line of 22 CJK names or emoji ran twice the key's width,
  // and a name whose accents are written as combining marks was cut at half its room.
  it('measures and cuts a word in columns: an emoji or a CJK character two, kept whole at the cut; a combining mark none', () => {
    expect(legendLines('😀'.repeat(30))).toEqual([`${'😀'.repeat(10)}…`]);
    expect(legendLines('😀'.repeat(11))).toEqual(['😀'.repeat(11)]);
    expect(legendLines('層'.repeat(12))).toEqual([`${'層'.repeat(10)}…`]);
    expect(legendLines('e\u0301'.repeat(22))).toEqual(['e\u0301'.repeat(22)]);
    // An astral letter (two UTF-16 units) is one column, as a letter is.
    expect(legendLines('𝑥'.repeat(22))).toEqual(['𝑥'.repeat(22)]);
  });

  it('fits words to a line in columns: two words of 5 emoji share one line of 21, as two of 10 letters do; two of 6 do not', () => {
    expect(legendLines(`${'😀'.repeat(5)} ${'😀'.repeat(5)}`)).toEqual([`${'😀'.repeat(5)} ${'😀'.repeat(5)}`]);
    expect(legendLines(`${'a'.repeat(10)} ${'a'.repeat(10)}`)).toEqual([`${'a'.repeat(10)} ${'a'.repeat(10)}`]);
    expect(legendLines(`${'😀'.repeat(6)} ${'😀'.repeat(6)}`)).toEqual(['😀'.repeat(6), '😀'.repeat(6)]);
    expect(legendLines(`${'層'.repeat(6)} ${'層'.repeat(6)}`)).toEqual(['層'.repeat(6), '層'.repeat(6)]);
    expect(legendLines(`${'cafe\u0301'.repeat(2)} ${'cafe\u0301'.repeat(2)}`)).toEqual([`${'cafe\u0301'.repeat(2)} ${'cafe\u0301'.repeat(2)}`]);
  });

  it('draws each wrapped line, keeps the whole name as the title, and moves the next entry down; a name that fits is written as before', () => {
    const series = ['plain-sigmoid, 5 layers, lr 0.1', 'ReLU + batch norm, 32 layers', 'short'].map((name, k) => ({ name, xs: [1, 2], ys: [0.1 * k, 0.2 * k] }));
    const legend = legendOf(lineChart({ id: 'c', title: 't', xLabel: 'x', yLabel: 'y', series }));
    expect(legend.map((e) => e.wrapped && e.name)).toEqual([series[0].name, series[1].name, false]);
    expect(legend.map((e) => e.lines.join(' '))).toEqual(series.map((s) => s.name));
    expect(legend[0].lines.length).toBe(2);
    expect(legend[1].y - legend[0].y).toBe(16 + 11);
    expect(legend[2].y - legend[1].y).toBe(16 + 11 * (legend[1].lines.length - 1));
  });

  it("says once, on the key, what its entries share: an entry writes its swatch's y and colour and its name's y, nothing more (186 entries wrote x, size and class each, ~9 KB of the main report)", () => {
    const series = Array.from({ length: 6 }, (_, l) => ({ name: `hidden ${l + 1}`, xs: [1, 2], ys: [l, l + 1] }));
    const chart = lineChart({ id: 'c', title: 't', xLabel: 'step', yLabel: '‖∂C/∂b‖', series, layers: { index: [0, 1, 2, 3, 4, 5], count: 7 } });
    // Its swatches are its layers' marker shapes, drawn as wide as the plot's marks: the key says so once.
    expect(chart).toMatch(/<svg class="key legend" viewBox="-14 0 170 \d+" stroke-width="1.5">/);
    const elements = [...keyOf(chart)!.matchAll(/<(\w+)((?: [\w-]+="[^"]*")*)\/?>/g)].map((m) => `${m[1]}:${[...m[2].matchAll(/ ([\w-]+)=/g)].map((a) => a[1]).join(',')}`);
    expect(new Set(elements)).toEqual(new Set(['path:d,stroke', 'text:y']));
    expect(legendOf(chart).map((entry) => entry.name)).toEqual(series.map((s) => s.name));
  });
});
