// Every chart of a block network's report that gives a row (or residual block) its short name
// (Trace.layerLabel's 'short': a tick, a row label, a histogram's label) carries its full name, the
// one the trace tables, the line charts' keys and the diagnosis give it, as that name's <title>
// (its tooltip). Only the heatmap's rows did; the norm-vs-layer and branch-share ticks and the
// histograms' labels showed 'layers[3][0] dense' with nothing to match it to "layers[3].layers[0]
// ('4.branch.0', dense)".
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { renderReport, REPORT_RESIDUAL_CHARTS } from '../../src/flow/report-html.js';
import { escapeHtml } from '../../src/flow/svg.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { blobs } from '../util/blobs.js';

/** block-trace's shapes (batch norm, a ReZero block around a layer norm and a dense layer, an activation layer), then plain residual blocks: more than the report charts one by one, so it draws the branch-share chart. */
const SPECS: LayerSpec[] = [
  { type: 'dense', units: 6, activation: 'tanh' },
  { type: 'batch-norm' },
  { type: 'residual', gate: 'rezero', layers: [{ type: 'layer-norm' }, { type: 'dense', units: 6, activation: 'relu' }] },
  { type: 'activation', activation: 'selu' },
  ...Array.from({ length: REPORT_RESIDUAL_CHARTS }, (): LayerSpec => ({ type: 'residual', layers: [{ type: 'dense', units: 6, activation: 'sigmoid' }] })),
  { type: 'dense', units: 3, activation: 'softmax' },
];

/** The chart `id`'s figure in the report. */
function figure(html: string, id: string): string {
  const start = html.indexOf(`<figure class="chart" id="${id}"`);
  expect(start, id).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</figure>', start));
}

/** How many times `short` is drawn as a label's text, and how many of those carry `full` as the label's <title>. */
function drawn(chart: string, short: string, full: string): { all: number; titled: number } {
  const count = (text: string) => chart.split(text).length - 1;
  return { all: count(`>${escapeHtml(short)}</text>`), titled: count(`<title>${escapeHtml(full)}</title>${escapeHtml(short)}</text>`) };
}

describe("a block network's report: short row names carry the full name", () => {
  it('as the <title> of every tick, row label and histogram label that shows a short name', async () => {
    const data = blobs(24, 3);
    const net = await createNetwork({ inputs: 4, layers: SPECS, seed: 2, backend: 'ref' });
    net.train(data.x, data.y, { epochs: 2, batchSize: 12, trace: { every: 1, histogramSteps: [1] } });
    const trace = net.trace!;
    net.dispose();
    const html = await renderReport({ runs: [{ id: 'r', label: 'blocks', trace, diagnosis: diagnose(trace) }] });
    const rows = Array.from({ length: trace.layers }, (_, l) => ({ short: trace.layerLabel(l, 'short'), full: trace.layerLabel(l) }));
    const blocks = Array.from({ length: trace.residualBlocks }, (_, b) => ({ short: trace.residualLabel(b, 'short'), full: trace.residualLabel(b) }));
    const charts = [...html.matchAll(/<figure class="chart" id="([^"]+)"/g)].map((m) => m[1]);
    const histograms = charts.filter((id) => id.includes('hist-'));
    expect(histograms.length).toBe(1);
    const checked: Record<string, number> = {};
    for (const [id, names] of [[charts.find((c) => c.endsWith('norm-vs-layer'))!, rows], [charts.find((c) => c.endsWith('heatmap'))!, rows], [histograms[0], rows], [charts.find((c) => c.endsWith('residual-depth'))!, blocks]] as const) {
      const chart = figure(html, id);
      for (const { short, full } of names) {
        expect(short).not.toBe(full);
        const { all, titled } = drawn(chart, short, full);
        expect(titled, `${id}: ${short}`).toBe(all);
        checked[id] = (checked[id] ?? 0) + all;
      }
    }
    // Each chart draws names (a tick row may thin them, never to none).
    for (const [id, count] of Object.entries(checked)) expect(count, id).toBeGreaterThan(0);
    expect(Object.keys(checked)).toHaveLength(4);
  });
});
