/**
 * A network's layers in the report's charts: each in its own colour, on a scale over depth. The
 * report's ten colours wrapped, so on a 12-layer network hidden 1 and hidden 11 were drawn alike.
 * Now any two layers differ visibly (CIELAB ΔE76) up to the deepest network a study trains, a layer
 * has one colour in every chart of its run, and a legend too long for its column becomes a bar of
 * the layers' colours.
 */
import { describe, expect, it } from 'vitest';
import { layerColor, SERIES_COLORS } from '../../src/flow/chart-colors.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { renderReport } from '../../src/flow/report-html.js';
import { lineChart } from '../../src/flow/svg.js';
import { createNetwork } from '../../src/api/network.js';
import { SELU_PAPER } from '../../src/studies/paper-selu.js';
import { expectError } from '../util/expect-error.js';
import { legendOf } from '../util/chart-key.js';

/** sRGB #rrggbb → CIELAB (D65). */
function lab(hex: string): [number, number, number] {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const [x, y, z] = [(0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883].map(f);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}
const deltaE = (a: string, b: string) => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]));

/** The deepest network a study trains whose layers a chart could draw: the SELU study's, its hidden layers and the output. */
const DEEPEST = Math.max(...SELU_PAPER.depths) + 1;

/** Each series of a chart: its data-layer (if any) and its line's colour. */
const seriesOf = (svg: string) => [...svg.matchAll(/<g class="series"(?: data-layer="(\d+)")?><title>([^<]*)<\/title><path d="[^"]*" stroke="([^"]+)"/g)].map((m) => ({ name: m[2], layer: m[1] === undefined ? undefined : Number(m[1]), color: m[3] }));

describe('layer colours', () => {
  it(`tells any two layers apart (ΔE76 ≥ 4.4; 2.3 is just noticeable) for every network of up to ${DEEPEST} layers, darkest first`, () => {
    expect(DEEPEST).toBe(33);
    let least = Infinity;
    for (let n = 2; n <= DEEPEST; n++) {
      const colors = Array.from({ length: n }, (_, l) => layerColor(l, n));
      expect(new Set(colors).size).toBe(n);
      for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) least = Math.min(least, deltaE(colors[a], colors[b]));
      // Depth reads as lightness: each layer lighter than the one before it.
      for (let l = 1; l < n; l++) expect(lab(colors[l])[0]).toBeGreaterThan(lab(colors[l - 1])[0]);
    }
    console.log(`least ΔE76 between two layers of networks of up to ${DEEPEST} layers: ${least.toFixed(2)}`);
    expect(least).toBeGreaterThanOrEqual(4.4);
    // Deeper still, the colours stay distinct strings in order (the legend's bar names them).
    expect(new Set(Array.from({ length: 100 }, (_, l) => layerColor(l, 100))).size).toBe(100);
    expect(layerColor(0, 1)).toBe(layerColor(0, 5));
  });

  it('refuses a layer outside the network, or a count that is no whole number ≥ 1, with a typed error', async () => {
    for (const [layer, layers] of [[3, 3], [-1, 3], [0.5, 3], [0, 0], [0, NaN], ['1', 3]] as const) {
      await expectError(() => layerColor(layer as number, layers), 'INVALID_OPTION', /^layerColor\(layer, layers\): expected whole numbers with 0 ≤ layer < layers, got /);
    }
  });

  it('draws a chart of layers in their depth colours; a chart of other things keeps its palette', () => {
    const series = ['hidden 1', 'hidden 2', 'output'].map((name, l) => ({ name, xs: [1, 2], ys: [l + 1, l + 2] }));
    const layered = seriesOf(lineChart({ id: 'c', title: 't', xLabel: 'x', yLabel: 'y', series, layers: { index: [0, 1, 2], count: 3 } }));
    expect(layered.map((s) => s.color)).toEqual([0, 1, 2].map((l) => layerColor(l, 3)));
    expect(layered.map((s) => s.layer)).toEqual([0, 1, 2]);
    const plain = seriesOf(lineChart({ id: 'c', title: 't', xLabel: 'x', yLabel: 'y', series }));
    expect(plain.map((s) => s.color)).toEqual(SERIES_COLORS.slice(0, 3));
  });

  it("refuses layers that do not name one for each series, saying which chart", async () => {
    const series = [{ name: 'a', xs: [1], ys: [1] }];
    await expectError(() => lineChart({ id: 'gsnr', title: 't', xLabel: 'x', yLabel: 'y', series, layers: { index: [0, 1], count: 2 } }), 'INVALID_OPTION', /^chart 'gsnr': layers\.index must give a layer for each of its 1 series, got /);
    await expectError(() => lineChart({ id: 'gsnr', title: 't', xLabel: 'x', yLabel: 'y', series, layers: { index: [2], count: 2 } }), 'INVALID_OPTION', /^layerColor/);
  });

  it('lists a few layers by swatch and name, and shows many as a bar of their colours, first layer at the bottom, the first and the last named', () => {
    const chart = (n: number) =>
      lineChart({ id: 'c', title: 't', xLabel: 'x', yLabel: 'y', series: Array.from({ length: n }, (_, l) => ({ name: `layer ${l + 1}`, xs: [1, 2], ys: [l, l + 1] })), layers: { index: Array.from({ length: n }, (_, l) => l), count: n } });
    const few = chart(6);
    expect(few).not.toContain('class="layer-bar"');
    expect(legendOf(few).map((e) => [e.color, e.name])).toEqual(Array.from({ length: 6 }, (_, l) => [layerColor(l, 6), `layer ${l + 1}`]));
    const many = chart(30);
    const bar = /<g class="layer-bar">(.*?)<\/g>/.exec(many)![1];
    const bands = [...bar.matchAll(/<rect y="([^"]+)" width="[^"]+" height="[^"]+" fill="([^"]+)" data-layer="(\d+)"><title>([^<]+)<\/title><\/rect>/g)].map((m) => ({ y: Number(m[1]), color: m[2], layer: Number(m[3]), name: m[4] }));
    expect(bands.map((b) => b.layer)).toEqual(Array.from({ length: 30 }, (_, l) => l));
    expect(bands.map((b) => b.color)).toEqual(Array.from({ length: 30 }, (_, l) => layerColor(l, 30)));
    for (let l = 1; l < 30; l++) expect(bands[l].y).toBeLessThan(bands[l - 1].y);
    const names = [...bar.matchAll(/<text x="[^"]+" y="([^"]+)" class="legend">([^<]+)<\/text>/g)].map((m) => ({ y: Number(m[1]), name: m[2] }));
    expect(names[0].name).toBe('layer 1');
    expect(names.at(-1)!.name).toBe('layer 30');
    // Apart enough to read, and each on its own band.
    for (let i = 1; i < names.length; i++) expect(names[i - 1].y - names[i].y).toBeGreaterThanOrEqual(12 - 0.1);
    for (const { y, name } of names) {
      const band = bands.find((b) => b.name === name)!;
      expect(y).toBeGreaterThan(band.y);
    }
  });

  it('colours each layer of a 14-layer network once and alike in every chart of its run', async () => {
    const x = Array.from({ length: 20 }, (_, i) => Array.from({ length: 4 }, (_, j) => Math.sin(3 * i + j)));
    const y = x.map((row) => (row[0] > 0 ? [1, 0] : [0, 1]));
    const net = await createNetwork({ sizes: [4, ...Array<number>(13).fill(5), 2], activation: 'tanh', output: 'softmax', backend: 'ref', seed: 5 });
    net.train(x, y, { epochs: 2, batchSize: 10, learningRate: 0.1, trace: { every: 1 } });
    const trace = net.trace!;
    net.dispose();
    expect(trace.layers).toBe(14);
    const page = await renderReport({ runs: [{ label: 'deep tanh', trace, diagnosis: diagnose(trace) }] });
    const chart = (id: string) => {
      const start = page.indexOf(`<figure class="chart" id="run-0-${id}"`);
      return seriesOf(page.slice(start, page.indexOf('</figure>', start)));
    };
    const norms = chart('norm-over-time');
    const saturation = chart('saturation');
    expect(norms.length).toBe(14);
    expect(new Set(norms.map((s) => s.color)).size).toBe(14);
    expect(norms.map((s) => s.color)).toEqual(norms.map((_, l) => layerColor(l, 14)));
    // Hidden layer l is the same colour in the saturation chart as in the norm chart.
    expect(saturation.length).toBe(13);
    expect(saturation.map((s) => s.color)).toEqual(saturation.map((s) => norms[s.layer!].color));
  });
});
