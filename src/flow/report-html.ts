/**
 * The HTML report: one self-contained file (inline SVG and CSS, no script, no network) with
 * charts, tables, traces and diagnoses given as plain data (the studies build their own sections).
 * Each chart's values are on its elements as data attributes.
 */
import type { Diagnosis } from './diagnose.js';
import { escapeHtml, heatmap, histograms, lineChart, type Series } from './svg.js';
import { SATURATION_MARGIN, unitFailureMetric } from './metrics.js';
import type { Trace } from './trace.js';

export interface ReportRun {
  label: string;
  trace: Trace;
  diagnosis: Diagnosis;
  /** The element id of the run's section (default: from its position). */
  id?: string;
  /** 'full' (default): every chart of the trace; 'summary': saturation and gradient histograms only. */
  detail?: 'full' | 'summary';
}

/** A line chart as data: one line per series. */
export interface ReportChart {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  /** Log-scale y axis (default false). */
  logY?: boolean;
  series: Series[];
}

export interface ReportTable {
  header: string[];
  rows: string[][];
}

/** A section of the report: a heading, a paragraph, then its charts, tables and runs in that order. */
export interface ReportSection {
  id: string;
  heading: string;
  /** Plain text (escaped, not HTML). */
  text?: string;
  charts?: ReportChart[];
  tables?: ReportTable[];
  runs?: ReportRun[];
}

export interface ReportInput {
  title?: string;
  sections?: ReportSection[];
  /** Traces of other runs (`gradscope study --model … --data …`), after the sections. */
  runs?: ReportRun[];
}

const layerName = (trace: Trace, l: number) => (l === trace.layers - 1 ? 'output' : `hidden ${l + 1}`);
const hiddenLayers = (trace: Trace) => Array.from({ length: Math.max(trace.layers - 1, 1) }, (_, l) => l);

/** Per hidden layer over training: the saturated fraction (sigmoid, tanh, softsign) or the dead fraction (relu family). */
function unitFailureChart(id: string, trace: Trace): string {
  const series = hiddenLayers(trace).flatMap((l) => {
    const metric = unitFailureMetric(trace.activations[l]);
    if (!metric) return [];
    return [{ name: `${layerName(trace, l)} (${metric === 'deadFraction' ? 'dead' : 'saturated'})`, xs: trace.steps, ys: trace.series(metric, l) }];
  });
  return lineChart({
    id,
    title: `Saturated activations (within ${SATURATION_MARGIN} of a limit: sigmoid, tanh, softsign) or dead units (z ≤ 0 on every row: relu family), per hidden layer over training`,
    xLabel: 'step',
    yLabel: 'fraction',
    series,
  });
}

/** Every chart of one trace, ids prefixed with `id`. */
export function traceSection(id: string, label: string, trace: Trace, diagnosis: Diagnosis): string {
  const steps = trace.steps;
  const layers = Array.from({ length: trace.layers }, (_, l) => l);
  const parts = [`<section class="run" id="${id}"><h3>${escapeHtml(label)}</h3>`, diagnosisHtml(diagnosis)];
  parts.push(
    lineChart({
      id: `${id}-norm-vs-layer`,
      title: '‖∂C/∂b‖ per layer (log scale), at the first and the last traced step',
      xLabel: 'layer (1 = first hidden)',
      yLabel: '‖∂C/∂b‖',
      logY: true,
      series: [0, trace.length - 1]
        .filter((r, i, all) => r >= 0 && all.indexOf(r) === i)
        .map((r) => ({ name: `step ${steps[r]}`, xs: layers.map((l) => l + 1), ys: Array.from(trace.row('biasGradNorm', r)) })),
    }),
    heatmap({
      id: `${id}-heatmap`,
      title: 'log10 ‖∂C/∂b‖, steps × layers (first layer at the bottom)',
      xLabel: 'step',
      yLabel: 'layer',
      rowLabels: layers.map((l) => layerName(trace, l)),
      colValues: steps,
      values: layers.map((l) => Array.from(trace.series('biasGradNorm', l), (v) => Math.log10(v))),
    }),
    lineChart({
      id: `${id}-norm-over-time`,
      title: '‖∂C/∂b‖ of each layer over training (log scale)',
      xLabel: 'step',
      yLabel: '‖∂C/∂b‖',
      logY: true,
      series: layers.map((l) => ({ name: layerName(trace, l), xs: steps, ys: trace.series('biasGradNorm', l) })),
    }),
    unitFailureChart(`${id}-saturation`, trace),
    lineChart({
      id: `${id}-chain`,
      title: "Chain-rule factor ‖δˡ‖/‖δˡ⁺¹‖ (per-example RMS) at the first step, and its bound ‖Wˡ⁺¹‖₂·max σ'(zˡ) of the same step (log scale)",
      xLabel: 'layer (1 = first hidden)',
      yLabel: 'factor',
      logY: true,
      series: [
        { name: 'measured', xs: hiddenLayers(trace).map((l) => l + 1), ys: hiddenLayers(trace).map((l) => trace.at('chainFactor', 0, l)) },
        { name: 'bound', xs: hiddenLayers(trace).map((l) => l + 1), ys: hiddenLayers(trace).map((l) => trace.at('chainBound', 0, l)) },
      ],
    }),
    lineChart({
      id: `${id}-loss`,
      title: 'Loss and accuracy of the batch at each traced step',
      xLabel: 'step',
      yLabel: 'loss / accuracy',
      series: [
        { name: 'loss', xs: steps, ys: trace.losses },
        { name: 'accuracy', xs: steps, ys: trace.accuracy },
      ],
    }),
  );
  for (const h of trace.histograms) {
    parts.push(
      histograms({
        id: `${id}-hist-${h.step}`,
        title: `Back-propagated gradients δ = ∂C/∂z per layer at step ${h.step}`,
        lo: h.lo,
        hi: h.hi,
        labels: layers.map((l) => layerName(trace, l)),
        counts: h.counts,
      }),
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

function diagnosisHtml(d: Diagnosis): string {
  const remedies = d.remedies.map((r) => `<li><code>${escapeHtml(r.option)}</code>: ${escapeHtml(r.why)}</li>`).join('');
  return `<div class="diagnosis ${d.verdict}" data-verdict="${d.verdict}"><p><strong>${d.verdict.toUpperCase()}</strong>. ${escapeHtml(d.summary)}</p>${remedies ? `<p>What to try:</p><ul>${remedies}</ul>` : ''}</div>`;
}

/** The saturation (or dead units) chart and gradient histograms of one run: the short form for runs shown side by side. */
function summarySection(id: string, label: string, trace: Trace, diagnosis: Diagnosis): string {
  const parts = [`<section class="run" id="${id}"><h3>${escapeHtml(label)}</h3>`, diagnosisHtml(diagnosis)];
  parts.push(unitFailureChart(`${id}-saturation`, trace));
  for (const h of trace.histograms) {
    parts.push(
      histograms({
        id: `${id}-hist-${h.step}`,
        title: `Back-propagated gradients per layer at step ${h.step}`,
        lo: h.lo,
        hi: h.hi,
        labels: Array.from({ length: trace.layers }, (_, l) => layerName(trace, l)),
        counts: h.counts,
      }),
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

function runHtml(run: ReportRun, fallbackId: string): string {
  const id = run.id ?? fallbackId;
  return run.detail === 'summary' ? summarySection(id, run.label, run.trace, run.diagnosis) : traceSection(id, run.label, run.trace, run.diagnosis);
}

function sectionHtml(section: ReportSection): string {
  const parts = [`<section id="${escapeHtml(section.id)}"><h2>${escapeHtml(section.heading)}</h2>`];
  if (section.text) parts.push(`<p>${escapeHtml(section.text)}</p>`);
  for (const chart of section.charts ?? []) parts.push(lineChart(chart));
  for (const t of section.tables ?? []) parts.push(table(t.header, t.rows));
  (section.runs ?? []).forEach((run, i) => parts.push(runHtml(run, `${section.id}-${i}`)));
  parts.push('</section>');
  return parts.join('\n');
}

function table(header: string[], rows: string[][]): string {
  const th = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
figure.chart{display:inline-block;margin:.5em 1em .5em 0;vertical-align:top}figcaption{font-weight:600;font-size:13px;max-width:560px}
.tick,.legend{font-size:10px;fill:#444}.axis{font-size:11px;fill:#222}.note{font-weight:400;color:#666}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:2px 8px;text-align:right}
.diagnosis{border-left:4px solid #999;padding:.2em 1em;background:#f8f8f8}.diagnosis.vanishing{border-color:#1f77b4}
.diagnosis.exploding{border-color:#d62728}.diagnosis.healthy{border-color:#2ca02c}.diagnosis.dead,.diagnosis.saturated{border-color:#e0a000}section.run{border-top:1px solid #eee;margin-top:1.5em}`;

export function renderReport(input: ReportInput): string {
  const title = input.title ?? 'gradscope: gradient flow report';
  const sections = [
    ...(input.sections ?? []).map(sectionHtml),
    ...(input.runs ?? []).map((run, i) => runHtml(run, `run-${i}`)),
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><h1>${escapeHtml(title)}</h1><p>Generated ${new Date().toISOString()} by gradscope. ‖∂C/∂b‖ is a layer's speed of learning; the chain rule multiplies it by σ'(z)·W for each layer it passes back through.</p>${sections.join('\n')}</body></html>\n`;
}

/** Writes the report to `path` (creating its folder); returns the absolute path. */
export async function writeReport(path: string, input: ReportInput): Promise<string> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { dirname, resolve } = await import('node:path');
  const file = resolve(path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, renderReport(input));
  return file;
}
