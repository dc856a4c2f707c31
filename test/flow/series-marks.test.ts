// Every line of a report chart can be found: unordered series are marked with a shape each (a reader
// who cannot tell two colours apart tells the shapes), the key shows each shape, and a line drawn
// under another as one (study (c)'s plain sigmoid and Adam) is named in the key with the line over it;
// a value the axis cannot place (0 on a log axis) is marked at the plot's edge, and the key says what the mark is.
import { describe, expect, it } from 'vitest';
import { COINCIDENT_PX, hiddenUnder, MARK_SHAPES } from '../../src/flow/series-marks.js';
import { float32Text, lineChart, type Series } from '../../src/flow/svg.js';
import { legendOf, offAxisOf } from '../util/chart-key.js';

/** Study (c)'s held-out accuracy at 2, 10 and 50 hidden layers (npm start, 2026-12-03): the plain sigmoid network and the optimisers. */
const optimizers: Series[] = [
  { name: 'plain-sigmoid', xs: [2, 10, 50], ys: [0.905, 0.099, 0.11] },
  { name: 'adam', xs: [2, 10, 50], ys: [0.9, 0.105, 0.107] },
];
const chart = (series: Series[]) => lineChart({ id: 'c', title: 't', xLabel: 'hidden layers (log scale)', yLabel: 'accuracy', logX: true, series });
/** Each marks path of a chart's drawing (not its key's swatches): its colour and the shape it draws at each point. */
const marksOf = (svg: string) => [...svg.split('<svg class="key')[0].matchAll(/<path class="mark" d="([^"]+)" stroke="([^"]+)"\/>/g)].map((m) => ({ d: m[1], color: m[2] }));

describe('series marks', () => {
  it("names a line drawn under another in the key: study (c)'s plain sigmoid under Adam", () => {
    const legend = legendOf(chart(optimizers));
    expect(legend.map((e) => e.name)).toEqual(['plain-sigmoid (under adam)', 'adam']);
    // Apart by more than a line's width, each is its own line.
    const apart = legendOf(chart([optimizers[0], { ...optimizers[1], ys: [0.8, 0.2, 0.3] }, { name: 'lars', xs: [2, 10, 50], ys: [0.5, 0.5, 0.5] }]));
    expect(apart.map((e) => e.name)).toEqual(['plain-sigmoid', 'adam', 'lars']);
  });

  it('on a chart over steps (the report zooms its x), names a line "under" another only where it runs no further than the other', () => {
    const steps = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    // One step more than the line over it: under half a pixel at full width, a stub once zoomed to its last steps.
    const longer = { name: 'longer', xs: steps(1001), ys: steps(1001).map(() => 0.5) };
    const shorter = { name: 'shorter', xs: steps(1000), ys: steps(1000).map(() => 0.5) };
    const over = (time: boolean) => legendOf(lineChart({ id: 's', title: 't', xLabel: 'step', yLabel: 'y', time, series: [longer, shorter] })).map((e) => e.name);
    expect(over(false)).toEqual(['longer (under shorter)', 'shorter']);
    expect(over(true)).toEqual(['longer', 'shorter']);
    // The same steps: hidden at any zoom (its distance at each step is what the zoom keeps).
    expect(legendOf(lineChart({ id: 's', title: 't', xLabel: 'step', yLabel: 'y', time: true, series: [shorter, { ...shorter, name: 'other' }] })).map((e) => e.name)).toEqual(['shorter (under other)', 'other']);
  });

  it('draws each unordered series with a marker shape of its own at each point, over the plot, and the key shows it', () => {
    const series = Array.from({ length: 4 }, (_, k) => ({ name: `s${k}`, xs: [1, 2, 3], ys: [k, k + 1, k] }));
    const svg = chart(series);
    const marks = marksOf(svg);
    expect(marks.length).toBe(4);
    marks.forEach((m, k) => expect([...m.d.matchAll(/M[\d.]+ [\d.]+([^M]+)/g)].map((p) => p[1])).toEqual(Array(3).fill(MARK_SHAPES[k])));
    expect(new Set(marks.map((m) => m.d.replace(/M[\d.]+ [\d.]+/g, ''))).size).toBe(4);
    // The marks come after the plot: drawn over every line.
    expect(svg.indexOf('<path class="mark"')).toBeGreaterThan(svg.lastIndexOf('<polyline'));
    expect(legendOf(svg).map((e) => [e.name, e.shape, e.color])).toEqual(marks.map((m, k) => [`s${k}`, MARK_SHAPES[k], m.color]));
    // A layer's line is told by its place on the layer scale (no shape); a chart over steps keeps its dots (a zoom stretches its x).
    expect(marksOf(lineChart({ id: 'l', title: 't', xLabel: 'x', yLabel: 'y', series, layers: { index: [0, 1, 2, 3], count: 4 } }))).toEqual([]);
    expect(marksOf(lineChart({ id: 't', title: 't', xLabel: 'step', yLabel: 'y', time: true, series }))).toEqual([]);
  });

  it('marks a longer line (a learning curve over 30 epochs) at 12 of its points, evenly spaced, its first and last among them', () => {
    const epochs = Array.from({ length: 30 }, (_, e) => e + 1);
    const svg = lineChart({ id: 'e', title: 't', xLabel: 'epoch', yLabel: 'loss', series: [{ name: 'training', xs: epochs, ys: epochs.map((e) => 1 / e) }, { name: 'held-out', xs: epochs, ys: epochs.map((e) => 1.5 / e) }] });
    const marks = marksOf(svg);
    expect(marks.length).toBe(2);
    const xs = marks[0].d.match(/M[\d.]+/g)!.map((m) => Number(m.slice(1)));
    expect(xs.length).toBe(12);
    const polyline = /<polyline points="([^"]*)"/.exec(svg)![1].split(' ');
    expect(polyline.length).toBe(30);
    // The first and the last at the plot's left and right edges.
    expect(xs[11] - xs[0]).toBeCloseTo(Number(/<svg class="plot"[^>]* width="([\d.]+)"/.exec(svg)![1]), 0);
    expect(legendOf(svg).map((e) => e.shape)).toEqual([MARK_SHAPES[0], MARK_SHAPES[1]]);
  });

  it(`hiddenUnder: a line within ${COINCIDENT_PX} px of a later one at every point of either, the topmost of them; none for a line with no point`, () => {
    const line = (...ys: number[]) => ys.map((y, i) => ({ x: 100 * i, y }));
    expect(hiddenUnder([line(10, 50, 90), line(11, 51, 88), line(12, 49, 89)])).toEqual([2, 2, -1]);
    expect(hiddenUnder([line(10, 50, 90), line(10, 53, 90)])).toEqual([-1, -1]);
    // A later line with a bend between the first's points, away from it, does not hide it.
    expect(hiddenUnder([line(10, 10), [{ x: 0, y: 10 }, { x: 50, y: 40 }, { x: 100, y: 10 }]])).toEqual([-1, -1]);
    // A shorter line on part of a longer one is hidden; the longer one is not.
    expect(hiddenUnder([line(10, 50), line(10, 50, 90)])).toEqual([1, -1]);
    expect(hiddenUnder([line(10, 50, 90), line(10, 50)])).toEqual([-1, -1]);
    expect(hiddenUnder([[], line(1)])).toEqual([-1, -1]);
    // A line with a bar at an edge where the other has none is not hidden; with the same bars (or none of its own), it is.
    expect(hiddenUnder([line(10), line(10, 50)], [['floor 100'], []])).toEqual([-1, -1]);
    expect(hiddenUnder([line(10), line(10)], [['floor 100'], ['floor 100', 'top 200']])).toEqual([1, -1]);
    expect(hiddenUnder([line(10), line(10)], [[], ['floor 100']])).toEqual([1, -1]);
  });
});

/** Each series group of a chart's plot: its title and the d of its off-axis bars ('' where it has none). */
const seriesOf = (svg: string) => [...svg.matchAll(/<g class="series"[^>]*><title>([^<]*)<\/title><polyline[^>]*\/>(?:<path class="dots"[^>]*\/>)?(?:<path class="off" d="([^"]*)"[^>]*\/>)?<\/g>/g)].map((m) => ({ title: m[1], bars: m[2] ?? '' }));

describe('values the axis cannot place', () => {
  /** Study (c)'s first ÷ last ratio at initialisation: the plain sigmoid network's underflowed to 0 at 50 hidden layers. */
  const ratios: Series[] = [
    { name: 'plain-sigmoid', xs: [2, 10, 50], ys: [0.17, 3e-8, 0] },
    { name: 'batch-norm-relu', xs: [2, 10, 50], ys: [0.44, 1.1, 1400] },
  ];
  const ratioChart = (series: Series[], more: object = {}) => lineChart({ id: 'r', title: 't', xLabel: 'hidden layers (log scale)', yLabel: 'first ÷ last', logX: true, logY: true, series, ...more });

  it('marks a 0 on a log axis with a bar up from the floor at its x, in its colour and shape, and the key and its title say what it is', () => {
    const svg = ratioChart(ratios);
    expect(svg).toContain('data-y0="-8"');
    // x is log10 50 in the plot's units; the bar rises 9 px from the floor (232 px down).
    expect(seriesOf(svg)).toEqual([
      { title: 'plain-sigmoid: 0 at 50', bars: `M${float32Text(Math.log10(50))},232v-9` },
      { title: 'batch-norm-relu', bars: '' },
    ]);
    expect(offAxisOf(svg)).toEqual(['0, below 1e-8: a bar up from the floor']);
    expect(legendOf(svg).map((e) => e.name)).toEqual(['plain-sigmoid', 'batch-norm-relu']);
    // Its shape is drawn on the floor too (the plot's bottom edge, 28 + 232 px down).
    expect(marksOf(svg)[0].d.match(/M[\d.]+ [\d.]+/g)!.at(-1)).toMatch(/ 260$/);
    expect(marksOf(svg)[0].d.match(/M/g)!.length).toBe(3);
  });

  it('names no line "under" another where its bars at the floor show: a line that left the axis is not hidden by one that did not', () => {
    const a = { name: 'a', xs: [2, 10, 50], ys: [1e-3, 0, -1] };
    const b = { name: 'b', xs: [2, 10, 50], ys: [1e-3, 1e-2, 1e-1] };
    expect(legendOf(ratioChart([a, b])).map((e) => e.name)).toEqual(['a', 'b']);
    // Both at the floor at the same xs, one line and one set of bars: hidden.
    expect(legendOf(ratioChart([a, { ...b, ys: [1e-3, 0, 0] }])).map((e) => e.name)).toEqual(['a (under b)', 'b']);
  });

  it('says "≤ 0" where a value marked on the floor is below 0, and marks nothing for NaN (a gap: no value)', () => {
    expect(offAxisOf(ratioChart([{ ...ratios[0], ys: [0.17, -1, 0] }]))).toEqual(['≤ 0, below 1e-1: a bar up from the floor']);
    const gap = ratioChart([{ ...ratios[0], ys: [0.17, 3e-8, NaN] }]);
    expect(offAxisOf(gap)).toEqual([]);
    expect(seriesOf(gap)[0].bars).toBe('');
  });

  it('marks it in a chart over steps (a bar in pixels: a zoom leaves it be), of layers, and of a lone line named by its axis, which then has a key', () => {
    const steps = Array.from({ length: 20 }, (_, i) => i + 1);
    const norms = (l: number) => ({ name: `hidden ${l + 1}`, xs: steps, ys: steps.map((s) => (s > 15 && l === 0 ? 0 : 10 ** -(l + s / 10))) });
    const time = lineChart({ id: 'n', title: 't', xLabel: 'step', yLabel: '‖∂C/∂b‖', time: true, logY: true, series: [norms(0), norms(1)], layers: { index: [0, 1], count: 3 } });
    expect(seriesOf(time).map((s) => s.bars)).toEqual(['M16,232v-9M17,232v-9M18,232v-9M19,232v-9M20,232v-9', '']);
    expect(seriesOf(time)[0].title).toBe('hidden 1: 0 at 5 points');
    expect(offAxisOf(time)).toEqual([expect.stringMatching(/^0, below 1e-\d+: a bar up from the floor$/)]);
    const lone = lineChart({ id: 'l', title: 't', xLabel: 'step', yLabel: 'loss', time: true, logY: true, series: [{ name: 'loss', xs: [1, 2, 3], ys: [1, 0.1, 0] }] });
    expect(legendOf(lone)).toEqual([]);
    expect(offAxisOf(lone)).toEqual(['0, below 1e-1: a bar up from the floor']);
  });
});

describe('∞ on the top edge', () => {
  it("marks ReZero's ∞ ratio (α = 0 at initialisation) at each depth with a bar down from the top, its shape there, and the key says so", () => {
    const series: Series[] = [
      { name: 'plain-sigmoid', xs: [2, 10, 50], ys: [0.17, 3e-8, 0] },
      { name: 'batch-norm-relu', xs: [2, 10, 50], ys: [0.44, 1.1, 1400] },
      { name: 'rezero', xs: [2, 10, 50], ys: [Infinity, Infinity, Infinity] },
    ];
    const svg = lineChart({ id: 'r', title: 't', xLabel: 'hidden layers (log scale)', yLabel: 'first ÷ last', logX: true, logY: true, series });
    const rezero = seriesOf(svg)[2];
    expect(rezero.title).toBe('rezero: ∞ at 2, 10, 50');
    expect(rezero.bars).toBe([2, 10, 50].map((x) => `M${float32Text(Math.log10(x))},0v9`).join(''));
    expect(offAxisOf(svg)).toEqual(['0, below 1e-8: a bar up from the floor', '∞: a bar down from the top']);
    // Its triangle on the plot's top edge (28 px down) at each depth: the key's entry now has points to find.
    const marks = marksOf(svg)[2].d.match(/M[\d.]+ [\d.]+/g)!;
    expect(marks.map((m) => m.split(' ')[1])).toEqual(['28', '28', '28']);
    // The y axis is the finite values' (∞ does not stretch it).
    expect(svg).toContain('data-y1="4"');
  });
});
