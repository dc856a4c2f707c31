// What the report's chain-rule chart and δ histograms need to be read (newuser49 #13, #8): a log axis of about a
// decade ticked between its powers of ten (0.1, 0.2, 0.5, 1), a labelled guide at σ' ≤ 1/4 where the hidden layers
// are sigmoid's (none for tanh, whose σ' reaches 1), and histograms titled with which δ they count: the batch's mean
// loss's, each example's ÷ the rows, checked against the network's own outputs.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { SERIES_COLORS } from '../../src/flow/chart-colors.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { PRIME_MAX } from '../../src/flow/metrics.js';
import { HISTOGRAM_DELTA_WORDS, renderReport } from '../../src/flow/report-html.js';
import { CHART, lineChart, LOG_SUBTICK_DECADES, logTicks } from '../../src/flow/svg.js';
import { yLabelsOf } from '../util/svg-labels.js';

const yTicksOf = (svg: string) => yLabelsOf(svg).map((l) => l.text);
/** Each guide of `svg`: its data-value, the y of its line (drawing pixels) and its label. */
const guidesOf = (svg: string) =>
  [...svg.matchAll(/<g class="guide" data-value="([^"]+)"><path d="M[\d.]+ ([\d.]+)h[\d.]+"\/><text[^>]*>([^<]*)<\/text><\/g>/g)].map(([, value, y, label]) => ({ value: Number(value), y: Number(y), label }));
/** The figure whose id ends with `suffix`, in a report. */
const figure = (html: string, suffix: string) => new RegExp(`<figure class="chart" id="[^"]*${suffix}"[\\s\\S]*?</figure>`).exec(html)?.[0];

describe('a log axis of about a decade', () => {
  it('is ticked at 2 and 5 × each power of ten up to LOG_SUBTICK_DECADES decades, at the powers alone beyond', () => {
    expect(LOG_SUBTICK_DECADES).toBe(2);
    expect(logTicks(-1, 0)).toEqual([0.1, 0.2, 0.5, 1]);
    expect(logTicks(-2, 0)).toEqual([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]);
    expect(logTicks(-3, 0)).toEqual([0.001, 0.01, 0.1, 1]);
  });

  it("labels the chain chart's 0.178 … 0.48 at 0.1, 0.2, 0.5 and 1, a wide axis at its powers of ten", () => {
    const chart = (ys: number[]) => lineChart({ id: 'c', title: 't', xLabel: 'layer', yLabel: 'factor', logY: true, series: [{ name: 'measured', xs: ys.map((_, i) => i + 1), ys }] });
    expect(yTicksOf(chart([0.178, 0.194, 0.48]))).toEqual(['0.1', '0.2', '0.5', '1']);
    expect(yTicksOf(chart([2e-5, 0.5]))).toEqual(['1e-5', '1e-4', '1e-3', '1e-2', '1e-1', '1e0']);
  });
});

describe("a line chart's guides", () => {
  const series = [{ name: 'measured', xs: [1, 2, 3], ys: [0.178, 0.194, 0.48] }];
  it('draw a labelled line at their y on the log axis, between the ticks where log10 puts it', () => {
    const svg = lineChart({ id: 'c', title: 't', xLabel: 'layer', yLabel: 'factor', logY: true, series, guides: [{ y: 0.25, label: "σ' ≤ 1/4" }] });
    const [guide] = guidesOf(svg);
    expect(guide).toMatchObject({ value: 0.25, label: "σ' ≤ 1/4" });
    // The tick labels sit 4 px below their grid lines.
    const at = Object.fromEntries(yLabelsOf(svg).map((l) => [l.text, l.y - 4]));
    const expected = at['0.2'] + ((at['0.5'] - at['0.2']) * Math.log10(0.25 / 0.2)) / Math.log10(0.5 / 0.2);
    expect(Math.abs(guide.y - expected)).toBeLessThanOrEqual(0.1);
    expect(lineChart({ id: 'c', title: 't', xLabel: 'layer', yLabel: 'factor', logY: true, series })).not.toContain('class="guide"');
  });

  // chart49: the label sat above the line's right end whatever was there, and could cover a series' point.
  it("put their label where no line's point is: above the right end, else below it, else at the left end", () => {
    const chart = (...ends: number[]) =>
      lineChart({ id: 'c', title: 't', xLabel: 'layer', yLabel: 'factor', logY: true, series: ends.map((end, k) => ({ name: `s${k}`, xs: [1, 2, 3], ys: [0.11, 0.6, end] })), guides: [{ y: 0.25, label: "σ' ≤ 1/4" }] });
    const place = (svg: string) => {
      const [, left, lineY, width, anchor, x, baseline] = /<g class="guide"[^>]*><path d="M([\d.]+) ([\d.]+)h([\d.]+)"\/><text class="([^"]*)" x="([\d.]+)" y="([\d.]+)">/.exec(svg)!;
      return { side: Number(x) > Number(left) + Number(width) / 2 ? 'right' : 'left', above: Number(baseline) < Number(lineY), anchor };
    };
    // Nothing near the right end: above it, right-aligned, as before.
    expect(place(chart(0.6))).toEqual({ side: 'right', above: true, anchor: 'tick y' });
    // A point just above the line at the right end: below it; one just below: above it.
    expect(place(chart(0.27))).toEqual({ side: 'right', above: false, anchor: 'tick y' });
    expect(place(chart(0.23))).toEqual({ side: 'right', above: true, anchor: 'tick y' });
    // Points on both sides of the line at the right end: at the left end, left-aligned.
    expect(place(chart(0.27, 0.23))).toEqual({ side: 'left', above: true, anchor: 'tick' });
  });

  it('widen the axis to reach them; one outside a fixed yRange is not drawn', () => {
    const low = lineChart({ id: 'c', title: 't', xLabel: 'layer', yLabel: 'factor', logY: true, series: [{ name: 'm', xs: [1, 2], ys: [0.011, 0.02] }], guides: [{ y: 0.25, label: 'g' }] });
    expect(yTicksOf(low).at(-1)).toBe('1');
    expect(guidesOf(low)).toHaveLength(1);
    const fixed = lineChart({ id: 'c', title: 't', xLabel: 'step', yLabel: 'accuracy', yRange: [0, 1], series: [{ name: 'accuracy', xs: [1, 2], ys: [0.5, 0.6] }], guides: [{ y: 1.5, label: 'out' }, { y: 0.9, label: 'in' }] });
    expect(guidesOf(fixed).map((g) => g.label)).toEqual(['in']);
    expect(guidesOf(fixed)[0].y).toBeCloseTo(CHART.top + 0.1 * (CHART.height - CHART.top - CHART.bottom), 0);
  });
});

describe("the report's chain-rule chart and histograms", () => {
  const x = [[0, 1, 0, 1], [1, 0, 1, 0], [1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 0, 1]];
  const y = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0]];
  const report = async (activation: 'sigmoid' | 'tanh') => {
    const net = await createNetwork({ sizes: [4, 6, 5, 3], activation, output: 'softmax', seed: 3, backend: 'ref' });
    const before = net.predict(x);
    net.train(x, y, { epochs: 1, batchSize: x.length, trace: { every: 1 } });
    const trace = net.trace!;
    net.dispose();
    return { html: await renderReport({ runs: [{ label: activation, trace, diagnosis: diagnose(trace) }] }), trace, before };
  };

  it("guides a sigmoid network's factors with σ' ≤ 1/4, a tanh network's with none", async () => {
    const sigmoid = figure((await report('sigmoid')).html, 'chain')!;
    expect(guidesOf(sigmoid)).toEqual([expect.objectContaining({ value: PRIME_MAX.sigmoid, label: "σ' ≤ 1/4: the bound if ‖W‖₂ ≤ 1" })]);
    const tanh = figure((await report('tanh')).html, 'chain')!;
    expect(tanh).toContain('Chain-rule factor');
    expect(tanh).not.toContain('class="guide"');
  });

  it("titles the histograms with their δ, the batch's mean loss's: the output's largest |δ| is max |p − y| ÷ rows", async () => {
    const { html, trace, before } = await report('sigmoid');
    expect(figure(html, 'hist-1')).toContain(`δ = ∂C/∂z per layer at step 1, ${HISTOGRAM_DELTA_WORDS}`);
    // Grey, no series' colour: in red, the bound's line's, it read as part of that line.
    expect(SERIES_COLORS).not.toContain(/\.guide path\{stroke:(#[0-9a-f]+)/.exec(html)![1]);
    expect(HISTOGRAM_DELTA_WORDS).toBe("of the batch's mean loss, i.e. per-example δ ÷ rows");
    // Softmax with cross-entropy: each example's output δ is p − y, at the weights of step 1 (before its update).
    const perExample = Math.max(...before.flatMap((p, r) => Array.from(p, (v, j) => Math.abs(v - y[r][j]))));
    const output = trace.histograms[0].hi.at(-1)!;
    expect(output * x.length).toBeCloseTo(perExample, 5);
  });
});
