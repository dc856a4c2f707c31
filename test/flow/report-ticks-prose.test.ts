// The report's one tick function gives round ticks (1, 2, 2.5 or 5 × 10^k apart) inside the axis'
// range, whole steps on a step axis; the charts use it for step axes and linear y axes; report prose
// sets a `backticked` span as code, escaped, and never shows its backticks.
import { describe, expect, it } from 'vitest';
import { CHART_FONT, DRAWING_WIDTH, keptInside, lineChart, NARROW_CHART_FONT, NARROW_TICK_GAP, niceTicks, thinnedTicks, TICK_GAP, tickTextWidth } from '../../src/flow/svg.js';
import { codeHtml, proseHtml, renderReport } from '../../src/flow/report-html.js';
import { yLabelsOf } from '../util/svg-labels.js';

const xTicksOf = (svg: string) => [.../<g class="xticks"[^>]*>(.*?)<\/g>/.exec(svg)![1].matchAll(/>([^<]+)</g)].map((m) => m[1]);
const yTicksOf = (svg: string) => yLabelsOf(svg).map((l) => l.text);

describe('niceTicks', () => {
  it('is round multiples of one step, inside the range', () => {
    expect(niceTicks(1, 500, 6, 1)).toEqual([100, 200, 300, 400, 500]);
    expect(niceTicks(0.593, 0.904, 5)).toEqual([0.6, 0.7, 0.8, 0.9]);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(-3, 7, 5)).toEqual([-2.5, 0, 2.5, 5]);
    expect(niceTicks(0.3, 0.9, 7)).toEqual([0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
  });

  it('keeps whole steps with minStep 1, and a lone tick for an empty range', () => {
    expect(niceTicks(3, 5, 6, 1)).toEqual([3, 4, 5]);
    expect(niceTicks(3, 5, 6)).toEqual([3, 3.5, 4, 4.5, 5]);
    expect(niceTicks(1, 13, 6, 1)).toEqual([5, 10]);
    expect(niceTicks(1, 13, 6)).toEqual([2.5, 5, 7.5, 10, 12.5]);
    expect(niceTicks(2, 2, 5)).toEqual([2]);
    expect(niceTicks(NaN, NaN, 5)).toEqual([]);
  });
});

describe('chart axes', () => {
  it('a 500-step chart ticks its steps at hundreds and its accuracy at tenths', () => {
    const steps = Array.from({ length: 500 }, (_, i) => i + 1);
    const svg = lineChart({ id: 'a', title: 't', xLabel: 'step', yLabel: 'accuracy', time: true, series: [{ name: 'accuracy', xs: steps, ys: steps.map((s) => 0.593 + (0.311 * (s - 1)) / 499) }] });
    expect(xTicksOf(svg)).toEqual(['100', '200', '300', '400', '500']);
    expect(yTicksOf(svg)).toEqual(['0.6', '0.7', '0.8', '0.9']);
  });
});

/** The widest a tick label is shown, in the drawing's pixels: at a narrow column's larger text (NARROW_CHART_FONT). */
const shownWidth = (label: string) => (tickTextWidth(label) * NARROW_CHART_FONT) / CHART_FONT;

describe('charts over layers', () => {
  const chart = (names: string[]) =>
    lineChart({ id: 'l', title: 't', xLabel: 'layer', yLabel: 'y', xNames: names, series: [{ name: 's', xs: names.map((_, i) => i + 1), ys: names.map(() => 1) }] });
  const ticksAt = (svg: string) => [.../<g class="xticks"[^>]*>(.*?)<\/g>/.exec(svg)![1].matchAll(/<text x="([^"]+)">([^<]+)</g)].map((m) => ({ x: Number(m[1]), name: m[2] }));

  it('ticks each layer by its name where the names fit, at its own position, the last kept inside the drawing', () => {
    const names = ['hidden 1', 'hidden 2', 'hidden 3', 'output'];
    const ticks = ticksAt(chart(names));
    expect(ticks.map((t) => t.name)).toEqual(names);
    // Positions 1 … 4 over the plot (64 … 380 px): evenly apart, the first at its left edge; the last,
    // at its right edge, would run past the drawing's (390 px): it ends there instead, also at the
    // larger text of a narrow column (at 320 px 'output' ran 2.5 px past, cut).
    expect(ticks.map((t) => t.x)).toEqual([64, 169.3, 274.7, +(DRAWING_WIDTH - shownWidth('output') / 2).toFixed(1)]);
  });

  it('keeps a label inside the drawing: at its centre where it fits, else moved in just as far as it must', () => {
    expect(keptInside(200, 40, 390)).toBe(200);
    expect(keptInside(380, 40, 390)).toBe(370);
    expect(keptInside(10, 40, 390)).toBe(20);
  });

  it('names as many as fit, evenly spaced, the first and the last included, each at its own position', () => {
    const names = Array.from({ length: 30 }, (_, i) => `${4 * i + 2} batch-norm`);
    const ticks = ticksAt(chart(names));
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.length).toBeLessThan(names.length);
    expect([ticks[0].name, ticks.at(-1)!.name]).toEqual([names[0], names.at(-1)]);
    for (const { x, name } of ticks) expect(x).toBeCloseTo(keptInside(64 + (names.indexOf(name) / (names.length - 1)) * 316, shownWidth(name), DRAWING_WIDTH), 0);
    // No two nearer than their half-widths and TICK_GAP: each name's width bounded by tickTextWidth
    // (its characters' widths in Chromium's widest common sans font, DejaVu Sans: 6.4 px a digit or
    // most lower-case letters, 4 a hyphen, 3.2 a space at the 10 px tick font), and NARROW_TICK_GAP at a narrow column's larger text.
    for (let i = 1; i < ticks.length; i++) expect(ticks[i].x - ticks[i - 1].x).toBeGreaterThanOrEqual(Math.max((tickTextWidth(ticks[i].name) + tickTextWidth(ticks[i - 1].name)) / 2 + TICK_GAP, (shownWidth(ticks[i].name) + shownWidth(ticks[i - 1].name)) / 2 + NARROW_TICK_GAP) - 0.05);
  });

  it('names every second, third … layer, evenly spaced, when not all fit: no two neighbours overlap ("hidden 5hidden 6")', () => {
    // Ten hidden layers, the chain-rule chart's: the names are 38.4 px apart, each 44.8–51.2 px wide (tickTextWidth).
    const names = Array.from({ length: 10 }, (_, i) => `hidden ${i + 1}`);
    const ticks = ticksAt(chart(names));
    expect(ticks.map((t) => t.name)).toEqual(['hidden 1', 'hidden 3', 'hidden 5', 'hidden 7', 'hidden 10']);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i].x - ticks[i - 1].x).toBeGreaterThanOrEqual((tickTextWidth(ticks[i].name) + tickTextWidth(ticks[i - 1].name)) / 2 + TICK_GAP);
  });
});

describe('thinnedTicks', () => {
  const widths = (n: number, w: number) => Array<number>(n).fill(w);
  it('keeps every label that fits, else every k-th from the first, evenly spaced', () => {
    expect(thinnedTicks([0, 50, 100, 150], widths(4, 30), 10, false)).toEqual([0, 1, 2, 3]);
    expect(thinnedTicks([0, 30, 60, 90, 120, 150, 180], widths(7, 30), 10, false)).toEqual([0, 2, 4, 6]);
    expect(thinnedTicks([0, 20, 40, 60, 80, 100, 120], widths(7, 30), 10, false)).toEqual([0, 2, 4, 6]);
    expect(thinnedTicks([0, 10, 20, 30, 40, 50, 60], widths(7, 30), 10, false)).toEqual([0, 4]);
  });

  it('with keepLast, always the last, the one before it giving way when too near', () => {
    expect(thinnedTicks([0, 30, 60, 90, 120, 150], widths(6, 30), 10, true)).toEqual([0, 2, 5]);
    expect(thinnedTicks([0, 30, 60, 90, 120], widths(5, 30), 10, true)).toEqual([0, 2, 4]);
    // Two that cannot both be written: the first alone.
    expect(thinnedTicks([0, 10], widths(2, 30), 10, true)).toEqual([0]);
    expect(thinnedTicks([], [], 10, true)).toEqual([]);
    expect(thinnedTicks([5], [30], 10, true)).toEqual([0]);
  });

  it("labels a log axis over many decades every few decades, a line of the tick font apart", () => {
    const svg = lineChart({ id: 'l', title: 't', xLabel: 'x', yLabel: 'y', logY: true, series: [{ name: 's', xs: [1, 2], ys: [1.4e-42, 1] }] });
    const ys = yLabelsOf(svg).map((l) => ({ y: l.y, decade: Number(/^1e(-?\d+)$/.exec(l.text)![1]) }));
    expect(ys.length).toBeGreaterThan(3);
    expect(ys.length).toBeLessThan(43);
    expect(ys[0].decade).toBe(-42);
    for (let i = 1; i < ys.length; i++) expect(ys[i - 1].y - ys[i].y).toBeGreaterThanOrEqual(12);
    // Evenly: the same number of decades between each two.
    expect(new Set(ys.slice(1).map((t, i) => t.decade - ys[i].decade)).size).toBe(1);
  });
});

describe('report prose', () => {
  it('sets backticked spans as code, escaped', () => {
    expect(proseHtml('run `gradscope study x --html FILE` to <draw> them')).toBe(`run ${codeHtml('gradscope study x --html FILE')} to &lt;draw&gt; them`);
    expect(proseHtml('a lone ` stays')).toBe('a lone ` stays');
    expect(proseHtml('`a<b`')).toBe(codeHtml('a<b'));
  });

  it('shows no backtick in a section text or note', async () => {
    const html = await renderReport({ sections: [{ id: 's', heading: 'h', text: 'its charts: `gradscope study trainable-depth --quick --html FILE` writes them.', notes: ['set `lr`'] }] });
    const body = html.slice(html.indexOf('<main>'), html.indexOf('<script'));
    expect(body).toContain(codeHtml('gradscope study trainable-depth --quick --html FILE'));
    expect(body).toContain(`<li>set ${codeHtml('lr')}</li>`);
    expect(body).not.toContain('`');
  });
});
