// Every line of a report chart can be found: unordered series are marked with a shape each (a reader
// who cannot tell two colours apart tells the shapes), the key shows each shape, and a line drawn
// under another as one (study (c)'s plain sigmoid and Adam) is named in the key with the line over it;
// a value the axis cannot place (0 on a log axis) is marked at the plot's edge, and the key says what the mark is.
import { describe, expect, it } from 'vitest';
import { quoteOn } from '../util/page-quotes.js';
import { COINCIDENT_PX, hiddenUnder, MARK_SHAPES, markedIndexes, markFilled, markPath, markPathShape, MARKS_OVER_STEPS, MARKS_REPEAT_WORDS, markShape } from '../../src/flow/series-marks.js';
import { float32Text, lineChart, linePoints, type Series } from '../../src/flow/svg.js';
import { legendOf, offAxisOf } from '../util/chart-key.js';

/** Study (c)'s held-out accuracy at 2, 10 and 50 hidden layers (npm start, 2026-12-03): the plain sigmoid network and the optimisers. */
const optimizers: Series[] = [
  { name: 'plain-sigmoid', xs: [2, 10, 50], ys: [0.905, 0.099, 0.11] },
  { name: 'adam', xs: [2, 10, 50], ys: [0.9, 0.105, 0.107] },
];
const chart = (series: Series[]) => lineChart({ id: 'c', title: 't', xLabel: 'hidden layers (log scale)', yLabel: 'accuracy', logX: true, series });
/** Each marks path of a chart's drawing (not its key's swatches): its colour and the shape it draws at each point. */
const marksOf = (svg: string) =>
  [...svg.split('<svg class="key')[0].matchAll(/<path class="mark" d="([^"]+)" stroke="([^"]+)"( style="fill:\2")?\/>/g)].map((m) => ({ d: m[1], color: m[2], filled: m[3] !== undefined }));

describe('series marks', () => {
  it("names a line drawn under another in the key: study (c)'s plain sigmoid under Adam", () => {
    const legend = legendOf(chart(optimizers));
    expect(legend.map((e) => e.name)).toEqual([quoteOn('docs/gradient-flow.md', 'plain-sigmoid (under adam)'), 'adam']);
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
    expect(svg.indexOf('<path class="mark"')).toBeGreaterThan(svg.lastIndexOf('<g class="series"'));
    expect(legendOf(svg).map((e) => [e.name, e.shape, e.color])).toEqual(marks.map((m, k) => [`s${k}`, MARK_SHAPES[k], m.color]));
    // A layer's line takes its layer's shape, as it takes its layer's colour: the same layer alike in every chart of its run.
    const layers = marksOf(lineChart({ id: 'l', title: 't', xLabel: 'x', yLabel: 'y', series: series.slice(1), layers: { index: [1, 2, 3], count: 4 } }));
    expect(layers.map((m) => m.d.replace(/M[\d.]+ [\d.]+/g, ''))).toEqual([1, 2, 3].map((l) => MARK_SHAPES[l].repeat(3)));
    // A lone line named by its axis has no key to match a shape to: its dots only.
    const lone = lineChart({ id: 'o', title: 't', xLabel: 'step', yLabel: 'loss', time: true, series: [{ name: 'loss', xs: [1, 2, 3], ys: [3, 2, 1] }] });
    expect(marksOf(lone)).toEqual([]);
    expect(lone).toContain('<path class="dots" d="M1,0h0M2,116h0M3,232h0"');
  });

  it(`marks each line of a chart over steps with its shape at ${MARKS_OVER_STEPS} of its points, staggered from line to line, and the key shows it`, () => {
    const steps = Array.from({ length: 25 }, (_, i) => 10 * (i + 1));
    // Six layers whose saturation all lies on 0 (the main report's plain networks): told apart by shape alone where their colours are not.
    const series = Array.from({ length: 6 }, (_, l) => ({ name: `hidden ${l + 1}`, xs: steps, ys: steps.map(() => 0) }));
    const svg = lineChart({ id: 'sat', title: 't', xLabel: 'step', yLabel: 'saturated fraction', time: true, yRange: [0, 1], series, layers: { index: [0, 1, 2, 3, 4, 5], count: 7 } });
    const marks = marksOf(svg);
    expect(marks.length).toBe(6);
    const points = marks.map((m) => [...m.d.matchAll(/M([\d.]+) ([\d.]+)(m[^M]+)/g)]);
    points.forEach((p, l) => {
      expect(p.length).toBe(MARKS_OVER_STEPS);
      expect(p.map((m) => m[3])).toEqual(Array(MARKS_OVER_STEPS).fill(MARK_SHAPES[l]));
      // On the line (all at 0: the plot's floor, 28 + 232 px down).
      expect(p.map((m) => m[2])).toEqual(Array(MARKS_OVER_STEPS).fill('260'));
    });
    // No two lines marked at the same step: the shapes stand side by side.
    const xs = points.flatMap((p) => p.map((m) => m[1]));
    expect(new Set(xs).size).toBe(xs.length);
    // Spread over the line: a third of the plot's width apart (its 25 steps in 3 stretches of 8).
    const width = Number(/<svg class="plot"[^>]* width="([\d.]+)"/.exec(svg)![1]);
    // (Each at its nearest whole pixel: within 1 px of it.)
    for (const p of points) p.slice(1).forEach((m, i) => expect(Math.abs(Number(m[1]) - Number(p[i][1]) - width / MARKS_OVER_STEPS)).toBeLessThanOrEqual(1));
    // Each drawn under the last ('hidden 1 (under hidden 6)'), its shape beside its name.
    expect(legendOf(svg).map((e) => [e.name.split(' (')[0], e.shape])).toEqual(series.map((s, l) => [s.name, MARK_SHAPES[l]]));
    // The marks come after the plot, drawn over every line; a chart's unordered lines over steps (a residual block's skip and branch) alike.
    expect(svg.indexOf('<path class="mark"')).toBeGreaterThan(svg.lastIndexOf('<g class="series"'));
    const residual = lineChart({ id: 'res', title: 't', xLabel: 'step', yLabel: '‖∂C/∂x‖', logY: true, time: true, series: ['skip', 'branch'].map((name, k) => ({ name, xs: steps, ys: steps.map((s) => 10 ** -k / s) })) });
    expect(legendOf(residual).map((e) => e.shape)).toEqual([MARK_SHAPES[0], MARK_SHAPES[1]]);
    expect(marksOf(residual).map((m) => m.d.match(/M/g)!.length)).toEqual([MARKS_OVER_STEPS, MARKS_OVER_STEPS]);
  });

  it("names each band it names on a layer bar (more layers than the key lists) beside its line's shape, in its colour", () => {
    const steps = [1, 2, 3];
    const series = Array.from({ length: 20 }, (_, l) => ({ name: `hidden ${l + 1}`, xs: steps, ys: steps.map((s) => 10 ** (-l - s)) }));
    const svg = lineChart({ id: 'deep', title: 't', xLabel: 'step', yLabel: '‖∂C/∂b‖', logY: true, time: true, series, layers: { index: series.map((_, l) => l), count: 21 } });
    const bar = /<g class="layer-bar">(.*?)<\/g>/.exec(svg)![1];
    const named = [...bar.matchAll(/<path class="mark" d="M[\d.]+ [\d.]+(m[^"]+)" stroke="([^"]+)"( style="fill:\2")?\/><text[^>]*>([^<]+)<\/text>/g)].map((m) => [m[4], m[1], m[2], m[3] !== undefined] as const);
    expect(named.length).toBeGreaterThan(2);
    const colors = marksOf(svg).map((m) => m.color);
    for (const [name, shape, color, filled] of named) {
      const l = Number(name.split(' ')[1]) - 1;
      expect([shape, color, filled]).toEqual([markShape(l), colors[l], markFilled(l)]);
    }
    expect(named.map(([name]) => name)).toContain('hidden 20');
  });

  it('tells 20 layers in a row apart by their marks: the ten shapes, then the same ten filled; a key of more says they repeat', () => {
    const steps = [1, 2, 3];
    const deep = (layers: number) => {
      const series = Array.from({ length: layers }, (_, l) => ({ name: `hidden ${l + 1}`, xs: steps, ys: steps.map((s) => 10 ** (-l - s)) }));
      return lineChart({ id: 'deep', title: 't', xLabel: 'step', yLabel: '‖∂C/∂b‖', logY: true, time: true, series, layers: { index: series.map((_, l) => l), count: layers + 1 } });
    };
    // Layers 1 and 11 shared a circle where the shapes alone cycled.
    const twenty = marksOf(deep(20)).map((m) => `${m.d.replace(/M[\d.]+ [\d.]+/g, '').slice(0, 40)} ${m.filled}`);
    expect(new Set(twenty).size).toBe(20);
    // The second ten: the same shapes filled, but the plus and the cross (nothing inside to fill) in a circle and in a square.
    expect(marksOf(deep(20)).map((m) => m.filled)).toEqual(Array.from({ length: 20 }, (_, l) => l >= 10 && l !== 15 && l !== 16));
    expect([markShape(15), markShape(16)]).toEqual([`${MARK_SHAPES[5]}m-4-4a4 4 0 1 0 8 0 4 4 0 1 0-8 0`, `${MARK_SHAPES[6]}m0-6h6v6h-6z`]);
    // Filled only where the shape closes round something: its subpaths closed (z) or the circle's arcs.
    for (let l = 0; l < 20; l++) if (markFilled(l)) expect(markShape(l), `layer ${l + 1}`).toMatch(/z$|^m-4 0a4 4 0 1 0 8 0 4 4 0 1 0-8 0$/);
    expect(deep(20)).not.toContain(MARKS_REPEAT_WORDS);
    // 21 layers: the 21st takes the 1st's mark (an outline circle), and the key says so under its bar.
    const more = marksOf(deep(21));
    expect([more[20].d.replace(/M[\d.]+ [\d.]+/g, ''), more[20].filled]).toEqual([MARK_SHAPES[0].repeat(MARKS_OVER_STEPS), false]);
    const note = /<\/g><g class="legend">(<text y="([\d.]+)">.*?<\/text>)<\/g><\/svg>/s.exec(/<svg class="key".*/s.exec(deep(21))![0])!;
    expect(note[1].replace(/<title>.*?<\/title>/g, '').replace(/<\/tspan><tspan[^>]*>/g, ' ').replace(/<[^>]+>/g, '')).toBe(MARKS_REPEAT_WORDS);
    expect(MARKS_REPEAT_WORDS).toBe(quoteOn('docs/gradient-flow.md', 'marks repeat every'));
    // Under the bar (the plot's floor, 28 + 232 px down).
    expect(Number(note[2])).toBeGreaterThan(28 + 232);
    // Unordered series likewise, in a legend: the 11th and 12th shapes filled.
    const twelve = Array.from({ length: 12 }, (_, k) => ({ name: `s${k}`, xs: [1, 2, 3], ys: [k, k + 1, k] }));
    const legend = legendOf(chart(twelve));
    expect(legend.map((e) => [e.shape, e.filled ?? false])).toEqual(twelve.map((_, k) => [MARK_SHAPES[k % 10], k >= 10]));
    // Its marks as the layers': the k-th series the k-th mark.
    expect(marksOf(chart(twelve)).map((m) => m.filled)).toEqual(twelve.map((_, k) => k >= 10));
  });

  it('markedIndexes: every point of a short line; else one in each equal stretch, line k of n at (k + ½) ÷ n of it', () => {
    expect(markedIndexes(3, 4, 0, 2)).toEqual([0, 1, 2]);
    expect(markedIndexes(25, 4, 0, 1)).toEqual([3, 9, 15, 21]);
    expect(markedIndexes(25, 4, 0, 2)).toEqual([2, 8, 14, 20]);
    expect(markedIndexes(25, 4, 1, 2)).toEqual([5, 11, 17, 23]);
    // The report's script reads a zoomed line's shape back from its drawn marks.
    for (const shape of MARK_SHAPES) {
      expect(markPathShape(markPath([{ x: 1, y: 2 }, { x: 3.25, y: 4 }], shape, 4, 0, 1))).toBe(shape);
      expect(markPathShape(markPath([{ x: 1, y: 2 }], shape, 4, 0, 1))).toBe(shape);
    }
    expect(markPathShape('')).toBe('');
  });

  it('marks a longer line (a learning curve over 30 epochs) at 12 of its points, one in each twelfth of the plot, the two lines staggered', () => {
    const epochs = Array.from({ length: 30 }, (_, e) => e + 1);
    const svg = lineChart({ id: 'e', title: 't', xLabel: 'epoch', yLabel: 'loss', series: [{ name: 'training', xs: epochs, ys: epochs.map((e) => 1 / e) }, { name: 'held-out', xs: epochs, ys: epochs.map((e) => 1.5 / e) }] });
    const marks = marksOf(svg);
    expect(marks.length).toBe(2);
    const xs = marks[0].d.match(/M[\d.]+/g)!.map((m) => Number(m.slice(1)));
    expect(xs.length).toBe(12);
    expect(seriesOf(svg)[0].polylines[0].split(' ').length).toBe(30);
    const left = Number(/<svg class="plot"[^>]* x="([\d.]+)"/.exec(svg)![1]);
    const width = Number(/<svg class="plot"[^>]* width="([\d.]+)"/.exec(svg)![1]);
    expect(xs.map((x) => Math.floor(((x - left) / width) * 12))).toEqual(Array.from({ length: 12 }, (_, i) => i));
    // The held-out line's marks between the training line's, not on them.
    const heldOut = marks[1].d.match(/M[\d.]+/g)!.map((m) => Number(m.slice(1)));
    heldOut.forEach((x, i) => expect(x).toBeGreaterThan(xs[i]));
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

/** Each series group of a chart's plot: its title, the d of its off-axis bars ('' where it has none), of its dashed reaches to them, and its lines' points ('x,y x,y', linePoints; a lone point's twice, as it is a line to itself). */
const seriesOf = (svg: string) =>
  [...svg.matchAll(/<g class="series"[^>]*><title>([^<]*)<\/title>(.*?)<\/g>/g)].map((m) => ({
    title: m[1],
    bars: /<path class="off" d="([^"]*)"/.exec(m[2])?.[1] ?? '',
    reaches: /<path class="reach" d="([^"]*)"/.exec(m[2])?.[1] ?? '',
    polylines: [...m[2].matchAll(/<path d="([^"]*)"/g)].map((p) => linePoints(p[1]).map(({ x, y }, _, all) => `${x},${y}${all.length === 1 ? ` ${x},${y}` : ''}`).join(' ')),
  }));

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
    const x50 = float32Text(Math.log10(50));
    const [plain, batchNorm] = seriesOf(svg);
    expect(plain.title).toBe(quoteOn('docs/gradient-flow.md', 'plain-sigmoid: 0 at'));
    expect(plain.bars).toBe(`M${x50},232v-9`);
    // Its line runs to 3e-8 at 10 layers, then drops dashed from there to the floor (232 px down), where its bar rises.
    expect(plain.polylines).toEqual([`0.30103,92 1,223`]);
    // log10 x is no whole step: its points as they are.
    expect(svg).toContain('<path d="M0.30103 92L1 223"');
    expect(plain.reaches).toBe(`M1,223L${x50},232`);
    expect(batchNorm).toMatchObject({ title: 'batch-norm-relu', bars: '', reaches: '' });
    expect(offAxisOf(svg)).toEqual(['0, below 1e-8: a bar up from the floor']);
    expect(offAxisOf(svg)[0]).toMatch(new RegExp(`^${quoteOn('docs/gradient-flow.md', '0, below')}: `));
    expect(legendOf(svg).map((e) => e.name)).toEqual(['plain-sigmoid', 'batch-norm-relu']);
    // Its shape is drawn on the floor too (the plot's bottom edge, 28 + 232 px down).
    expect(marksOf(svg)[0].d.match(/M[\d.]+ [\d.]+/g)!.at(-1)).toMatch(/ 260$/);
    expect(marksOf(svg)[0].d.match(/M/g)!.length).toBe(3);
  });

  it('reaches dashed from a line to its 0 at the end, and down to a 0 in its middle and up again; NaN (no value) breaks the line', () => {
    // Over 8 steps on a log axis from 1e-4 (the floor, 232 px down) to 1 (0 px): 58 px a decade.
    const ys = [1, 0.1, 0, 0.01, 0.001, NaN, 1e-4, 0];
    const svg = lineChart({ id: 'n', title: 't', xLabel: 'step', yLabel: '‖∂C/∂b‖', logY: true, time: true, series: [{ name: 'hidden 1', xs: ys.map((_, i) => i + 1), ys }, { name: 'hidden 2', xs: [1, 8], ys: [1, 1] }] });
    const [line] = seriesOf(svg);
    expect(line.bars).toBe('M3,232v-9M8,232v-9');
    // Solid where it has values; a lone point (step 7, between the NaN and the 0) drawn as a dot, a line to itself.
    expect(line.polylines).toEqual(['1,0 2,58', '4,116 5,174', '7,232 7,232']);
    // Written from step to step (whole steps: relative moves, no sign repeated), the lone point a step of nothing.
    expect(/<g class="series"[^>]*><title>hidden 1[^<]*<\/title>(.*?)<\/g>/.exec(svg)![1].match(/<path d="[^"]*"/g)).toEqual(['<path d="M1 0l1 58"', '<path d="M4 116l1 58"', '<path d="M7 232l0 0"']);
    // Down to the 0 and up again in one stroke.
    expect(line.reaches).toBe('M2,58L3,232L4,116M7,232L8,232');
    // None where a value at an edge has no drawn neighbour.
    expect(seriesOf(lineChart({ id: 'z', title: 't', xLabel: 'step', yLabel: 'y', logY: true, time: true, series: [{ name: 'a', xs: [1, 2, 3], ys: [0, NaN, 0] }, { name: 'b', xs: [1, 3], ys: [1, 10] }] }))[0].reaches).toBe('');
  });

  it('draws a run of values at an edge as what it is: dashed along the edge from each to the next, the line reaching it and leaving it', () => {
    // A layer whose gradient underflowed to 0 for steps 3–6 and again from step 9 to the end, and one that hit ∞ straight after a 0.
    const ys = [1, 0.1, 0, 0, 0, 0, 0.01, 0.001, 0, 0, 0];
    const svg = lineChart({ id: 'run', title: 't', xLabel: 'step', yLabel: '‖∂C/∂b‖', logY: true, time: true, series: [{ name: 'hidden 1', xs: ys.map((_, i) => i + 1), ys }, { name: 'hidden 2', xs: [1, 2, 3, 4], ys: [1e-4, 0, Infinity, 1e-3] }] });
    const [line, edges] = seriesOf(svg);
    expect(line.title).toBe('hidden 1: 0 at 7 points');
    expect(line.polylines).toEqual(['1,0 2,58', '7,116 8,174']);
    // Down from step 2 to the floor, along it through steps 3–6, up to step 7; down from step 8, along the floor to the end.
    expect(line.reaches).toBe('M2,58L3,232L4,232L5,232L6,232L7,116M8,174L9,232L10,232L11,232');
    expect(line.bars).toBe('M3,232v-9M4,232v-9M5,232v-9M6,232v-9M9,232v-9M10,232v-9M11,232v-9');
    // From the floor straight to the top: the 0 and the ∞ next to one another are joined as the line joins any two neighbours.
    expect(edges.reaches).toBe('M1,232L2,232L3,0L4,174');
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
