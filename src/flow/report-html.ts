/**
 * The HTML report: one self-contained file (inline SVG, CSS and a small script; no network) with
 * charts, tables, traces and diagnoses given as plain data (the studies build their own sections):
 * a contents bar beside a section per study, charts in a grid on wide screens. The data behind the
 * page (every trace, chart and table) is in it as gzipped JSON, downloadable as JSON and CSV; numbers
 * are written at float32 precision (the WASM core's), which keeps the page to a few hundred KB.
 */
import { cancelledBiasNote, chartedBiasRows } from './cancelled-biases.js';
import { depthAndStepsNotes } from './depth-and-steps.js';
import { verdictHeading, type Diagnosis } from './diagnose.js';
import { shownParagraphs } from './shown-paragraphs.js';
import { API_REMEDY_TERMS, choiceLine, remedyLines, type RemedyTerms } from './remedy.js';
import { headlineInTerms, triedWords } from './diagnosis/headline.js';
import { CURVATURE_ASKS, CURVATURE_QUESTION } from './diagnosis/progress-sentences.js';
import { CODE_WORD_CLASS, CODE_WORD_STYLE, codeWords, type CodeWord } from './code-words.js';
import { checkObjectArgument } from '../checks.js';
import { counted, grouped } from '../counted.js';
import { invalidOption, shown } from '../errors.js';
import { unbrokenPercents } from '../percent-text.js';
import { LAYER_METRIC_NAMES, PRIME_MAX, RESIDUAL_METRIC_NAMES, SATURATION_MARGIN, unitFailureMetric } from './metrics.js';
import { PageIds } from './page-ids.js';
import { proseParts } from './prose-parts.js';
import { checkReportInput } from './report-input-check.js';
import { DATA_ELEMENT_ID, DATA_ENCODING, packReportData } from './report-data.js';
import { REPORT_SCRIPT } from './report-script.js';
import { evenIndexes } from './even-indexes.js';
import { barChart, CHART, CHART_FONT, DRAWING_WIDTH, drawingMaxWidth, drawingMinWidth, escapeHtml, heatmap, histograms, KEY_WIDTH, lineChart, NARROW_CHART_FONT, NARROW_SIDE_PADDING, Y_TITLE_STYLE, type LineChartData } from './svg.js';
import { TABLE_ACROSS_CLASS, TABLE_CARDS_CLASS } from './table-cards.js';
import { MARK_STROKE } from './series-marks.js';
import { epochLearningRate, Trace, type TraceJSON } from './trace.js';
import { classesOf } from './training-progress.js';

/** A traced run shown in the report: its charts and its diagnosis. */
export interface ReportRun {
  /** The run's heading. */
  label: string;
  /** Its gradient-flow trace. */
  trace: Trace;
  /** diagnose(trace), shown beside the charts. */
  diagnosis: Diagnosis;
  /**
   * What the reader must know about the run beyond its trace, each plain text shown under the run's
   * heading before its diagnosis and kept in the page's data (e.g. `gradscope study --model`'s warning
   * that the run ended worse than its initial weights); default none.
   */
  warnings?: string[];
  /**
   * The element id of the run's section (default: from its position): unique in the report, with no
   * whitespace nor any of `"'<>&`, not `__proto__` (it names the run's data and downloads too), and
   * neither a section's id, a section chart's, nor `report-data` (the element id of the page's data block).
   * Its charts' ids are made from it (`<id>-loss`, `<id>-heatmap`, …), followed by the first free
   * `-2`, `-3`, … where another element of the page has that id already.
   */
  id?: string;
  /**
   * 'full' (default): every chart of the trace; 'summary': ‖∂C/∂b‖ per layer, saturation, loss,
   * accuracy, learning curve and gradient histograms, for runs shown many at a time.
   */
  detail?: 'full' | 'summary';
  /** How this run's remedies name their settings (default: the report's remedyTerms): a command line that reruns this run is the run's own. */
  remedyTerms?: RemedyTerms;
}

/**
 * A line chart as data, one line per series: its fields (id, title, xLabel, yLabel, logY, logX,
 * xNames, wholeX, series, layers) are the ones svg.ts's lineChart draws, documented there once.
 * renderReport refuses an id with whitespace or one another element of the page has (the data
 * block's, a section's, a run's, another chart's).
 */
export interface ReportChart extends LineChartData {}

/** Horizontal bars as data: one per labelled row, its length a value on a log axis (e.g. the deepest trainable depth per remedy). */
export interface ReportBars {
  /** Element id, unique in the page: renderReport refuses one with whitespace or another element's (as ReportChart.id). */
  id: string;
  /** The chart's title. */
  title: string;
  /** Label of the value axis. */
  xLabel: string;
  /** Values the log axis is ticked at; it spans them. */
  ticks: number[];
  /** The bars, top to bottom. */
  bars: {
    /** The row's label. */
    label: string;
    /** The bar's length on the axis (null: no bar, `none` is written). */
    value: number | null;
    /** What is written in place of a missing bar (value null), e.g. how near it came: "none (best 89.7 % at 50)". Default "none". */
    none?: string;
  }[];
}

/** A table as data: plain-text cells. */
export interface ReportTable {
  /** The line above it, plain text like a section's (e.g. 'At the first step (step 1):'). Default: none. */
  caption?: string;
  /** Column headings. */
  header: string[];
  /** Rows of cells, as many as the header. */
  rows: string[][];
  /**
   * Whether its rows are read across, cell by cell (a grid: ‖∂C/∂b‖ per hidden layer at chosen epochs): too wide for its
   * column (a phone's) it scrolls sideways in its own box, its first column and its caption kept in view, where another
   * table is shown a card per row (table-cards.ts), which cannot be read across. Default: false.
   */
  readAcross?: boolean;
  /**
   * With readAcross, how many leading columns name a row (a remedy and its depth), all kept in view as the table scrolls
   * sideways, as the first one alone is by default. Default: 1. Refused without `readAcross: true`.
   */
  keyColumns?: number;
}

/** A section of the report: a heading, a paragraph and its notes, then its charts, bar charts, tables and runs in that order. */
export interface ReportSection {
  /** Element id, unique in the page (the contents bar links to it), not `runs` beside `input.runs`, `report-data` (the page's data block), a run's id nor a chart's: renderReport refuses those. */
  id: string;
  /** The section's heading. */
  heading: string;
  /** Plain text (escaped, not HTML); a `backticked` span is shown as code. */
  text?: string;
  /** Bullet points after the text, each plain text like `text`. */
  notes?: string[];
  /** Charts, in order. */
  charts?: ReportChart[];
  /** Bar charts, after the charts. */
  bars?: ReportBars[];
  /** Tables, in order. */
  tables?: ReportTable[];
  /** Traced runs, in order. */
  runs?: ReportRun[];
}

/** What renderReport draws; every field is optional. */
export interface ReportInput {
  /** Default 'gradscope: gradient flow report'. */
  title?: string;
  /** The sections, in order (the studies build theirs, e.g. depthReportSection). */
  sections?: ReportSection[];
  /** Traces of other runs (`gradscope study --model … --data …`), after the sections, under "Runs". */
  runs?: ReportRun[];
  /** How the diagnoses' remedies name their settings where a run does not say (ReportRun.remedyTerms); default API_REMEDY_TERMS: the API's option keys. */
  remedyTerms?: RemedyTerms;
}

/**
 * What the page's "All data" link downloads: the sections as given (charts and tables as data, each
 * run by its id), and every run's label, diagnosis and Trace.toJSON(); numbers at float32 precision.
 */
export interface ReportData {
  /** Always 'gradscope.report'. */
  format: 'gradscope.report';
  /** This layout's version. */
  version: 1;
  /** The report's title. */
  title: string;
  /** The sections as given, each run replaced by its id. */
  sections: (Omit<ReportSection, 'runs'> & {
    /** Ids of the section's runs (keys of ReportData.runs). */
    runs: string[];
  })[];
  /** Every run by its id. */
  runs: Record<
    string,
    {
      /** The run's heading. */
      label: string;
      /** Its diagnosis. */
      diagnosis: Diagnosis;
      /** Its warnings (ReportRun.warnings), when it has any. */
      warnings?: string[];
      /** Its trace, as Trace.toJSON() gives it. */
      trace: TraceJSON;
    }
  >;
}

/** A run's chart's element id from the chart's name ('loss' → '<run>-loss'), unique in the page (PageIds). */
type ChartIds = (chart: string) => string;

/**
 * A row's name (Trace.layerLabel): in full where a chart's key or tooltip gives it a line; short
 * ('layers[4][0] dense', no module name) where it gets one tick, one row's margin or a
 * histogram's width, with the full name as that label's tooltip (<title>) in every such chart.
 */
const layerName = (trace: Trace, l: number) => trace.layerLabel(l);
const shortLayerName = (trace: Trace, l: number) => trace.layerLabel(l, 'short');
const hiddenLayers = (trace: Trace) => Array.from({ length: Math.max(trace.layers - 1, 1) }, (_, l) => l);

function normOverTime(chartId: ChartIds, trace: Trace, note: string): string {
  return lineChart({
    id: chartId('norm-over-time'),
    title: '‖∂C/∂b‖ of each layer over training (log scale)',
    note,
    xLabel: 'step',
    yLabel: '‖∂C/∂b‖',
    logY: true,
    time: true,
    series: chartedBiasRows(trace).map((l) => ({ name: layerName(trace, l), xs: trace.steps, ys: trace.series('biasGradNorm', l) })),
    layers: overDepth(trace, chartedBiasRows(trace)),
  });
}

/** The layers of a chart's series, by their rows of the trace: each drawn in its depth's colour (LineChartData.layers), the same in every chart of the run. */
const overDepth = (trace: Trace, rows: number[]) => ({ index: rows, count: trace.layers });

/**
 * Per hidden layer over training: the saturated fraction (sigmoid, tanh, softsign) or the dead
 * fraction (relu family). Which one is said once, by the y axis, where every layer's is the same
 * (the main report wrote '(saturated)' after each of 140 layer names, ~1.7 KB); each layer's name says
 * its own where a network mixes them.
 */
function saturation(chartId: ChartIds, trace: Trace): string {
  const rows = hiddenLayers(trace).filter((l) => unitFailureMetric(trace.activations[l]));
  const metrics = rows.map((l) => unitFailureMetric(trace.activations[l])!);
  const kind = (metric: (typeof metrics)[number]) => (metric === 'deadFraction' ? 'dead' : 'saturated');
  const oneKind = metrics.every((m) => m === metrics[0]) ? metrics[0] : undefined;
  const series = rows.map((l, k) => ({ name: oneKind ? layerName(trace, l) : `${layerName(trace, l)} (${kind(metrics[k])})`, xs: trace.steps, ys: trace.series(metrics[k], l) }));
  return lineChart({
    id: chartId('saturation'),
    title: `Saturated activations (within ${SATURATION_MARGIN} of a limit: sigmoid, tanh, softsign) or dead units (z ≤ 0 on every row: relu family), per hidden layer`,
    xLabel: 'step',
    yLabel: oneKind ? `${kind(oneKind)} fraction` : 'fraction',
    time: true,
    yRange: [0, 1],
    series,
    layers: overDepth(trace, rows),
  });
}

/** The batch's loss at each traced step, and its accuracy where the network has classes (classesOf: a regression's means nothing). */
function lossAndAccuracy(chartId: ChartIds, trace: Trace): string[] {
  return [
    lineChart({ id: chartId('loss'), title: 'Loss of the batch at each traced step', xLabel: 'step', yLabel: 'loss', time: true, series: [{ name: 'loss', xs: trace.steps, ys: trace.losses }] }),
    ...(classesOf(trace) === undefined
      ? []
      : [lineChart({ id: chartId('accuracy'), title: 'Accuracy of the batch at each traced step', xLabel: 'step', yLabel: 'accuracy', time: true, yRange: [0, 1], series: [{ name: 'accuracy', xs: trace.steps, ys: trace.accuracy }] })]),
  ];
}

/** Epochs a learning curve draws at most: more (study --model takes up to 10,000) are drawn evenly spaced, the first and the last included. */
export const REPORT_EPOCHS = 500;

/** Which rows train()'s validation held (TraceRun.validation), as a learning curve's legend and title name them; a trace that does not say: 'validation rows'. */
const VALIDATION_ROWS = {
  'other rows': { legend: 'held-out rows', title: 'the held-out rows' },
  'training rows': { legend: 'all training rows', title: 'all training rows' },
} as const;

/**
 * The run's learning curve where its epochs measured rows after training (train()'s validation):
 * per epoch, the loss on the validation rows and, beside held-out rows, on the training subset at
 * the same weights (TraceEpoch.training: what the overfitting verdict compares the held-out loss
 * with), and the epoch's mean batch loss, over weights that moved as it was taken. With 'halve'
 * having lowered the learning rate, the rate in force per epoch beside it. No learning curve
 * without validation: the batch losses are the loss chart's already.
 */
function epochCharts(chartId: ChartIds, trace: Trace): string[] {
  const epochs = evenIndexes(trace.epochs.length, REPORT_EPOCHS).map((i) => trace.epochs[i]);
  const xs = epochs.map((e) => e.epoch + 1);
  const drawn = epochs.length < trace.epochs.length ? ` (${grouped(epochs.length)} of its ${counted(trace.epochs.length, 'epoch')}, evenly spaced)` : '';
  const charts: string[] = [];
  if (epochs.some((e) => e.validation)) {
    const validation = trace.run.validation ? VALIDATION_ROWS[trace.run.validation] : { legend: 'validation rows', title: 'the validation rows' };
    const subset = epochs.find((e) => e.training)?.training;
    charts.push(
      lineChart({
        id: chartId('learning-curve'),
        title: `Loss after each epoch on ${validation.title}${subset ? ` and on ${counted(subset.rows, 'training row')} at the same weights` : ''}, and the epoch's mean batch loss${drawn}`,
        xLabel: 'epoch',
        yLabel: 'loss',
        wholeX: true,
        series: [
          { name: validation.legend, xs, ys: epochs.map((e) => e.validation?.loss ?? NaN) },
          ...(subset ? [{ name: `training subset (${counted(subset.rows, 'row')})`, xs, ys: epochs.map((e) => e.training?.loss ?? NaN) }] : []),
          { name: 'batch mean', xs, ys: epochs.map((e) => e.loss) },
        ],
      }),
    );
  }
  if (epochs.some((e) => e.learningRate !== undefined)) {
    charts.push(
      lineChart({
        id: chartId('learning-rate'),
        title: `Learning rate in force in each epoch, lowered by onNonFinite 'halve' (log scale)${drawn}`,
        xLabel: 'epoch',
        yLabel: 'learning rate',
        logY: true,
        wholeX: true,
        series: [{ name: 'learning rate', xs, ys: epochs.map((e) => epochLearningRate(trace, e) ?? NaN) }],
      }),
    );
  }
  return charts;
}

/**
 * Which δ the histograms count: the batch's mean loss's, each example's δ ÷ the batch's rows (the trace's histograms are of
 * the gradient the step takes), where the tables' RMS ‖δₓ‖ is per example: compared unsaid, the two were a batch size apart (newuser49 #8).
 */
export const HISTOGRAM_DELTA_WORDS = "of the batch's mean loss, i.e. per-example δ ÷ rows";

function gradientHistograms(chartId: ChartIds, trace: Trace): string[] {
  return trace.histograms.map((h) =>
    histograms({
      id: chartId(`hist-${h.step}`),
      title: `Back-propagated gradients δ = ∂C/∂z per layer at step ${grouped(h.step)}, ${HISTOGRAM_DELTA_WORDS}`,
      layers: h.counts.map((counts, l) => ({ label: shortLayerName(trace, l), title: layerName(trace, l), lo: h.lo[l], hi: h.hi[l], counts })),
    }),
  );
}

/** The run's own section: diagnosis, what its charts leave out (cancelledBiasNote), downloads, step-range control and charts. */
function runSection(id: string, label: string, diagnosis: string, trace: Trace, charts: string[]): string {
  const note = cancelledBiasNote(trace);
  return `<section class="run" id="${id}"><h3>${textHtml(label)}</h3>${diagnosis}${note ? `<p class="note cancelled-bias">${proseHtml(note)}</p>` : ''}<p class="tools">Trace: <a href="#" data-download="${id}" data-format="json" download="${id}-trace.json">JSON</a> · <a href="#" data-download="${id}" data-format="csv" download="${id}-trace.csv">CSV</a><span class="range" hidden> · steps <output></output> <button type="button">all steps</button></span><span class="range-hint"> · drag across a chart over steps to zoom into a range</span></p><div class="charts">${charts.join('\n')}</div></section>`;
}

/**
 * The records a chart 'at the first and the last traced step' draws, each once, named by its step: the
 * first and the last full batch's (Trace.lastFullBatchRecord), named so where an epoch's short last
 * batch came after it ('step 1,200 (last full batch)'): that batch's gradient is of its few rows alone.
 */
function endRecords(trace: Trace): { record: number; name: string }[] {
  const last = trace.lastFullBatchRecord();
  if (last === undefined) return [];
  const named = (r: number) => ({ record: r, name: `step ${grouped(trace.steps[r])}${r > 0 && r < trace.length - 1 ? ' (last full batch)' : ''}` });
  return last === 0 ? [named(0)] : [named(0), named(last)];
}

/** Every chart of one trace, after its diagnosis (as HTML). */
function traceSection(id: string, chartId: ChartIds, label: string, trace: Trace, diagnosis: string, notes: { heatmap: string; chart: string }): string {
  const steps = trace.steps;
  const layers = chartedBiasRows(trace);
  return runSection(id, label, diagnosis, trace, [
    lineChart({
      id: chartId('norm-vs-layer'),
      title: '‖∂C/∂b‖ per layer (log scale), at the first and the last traced step',
      xLabel: 'layer (input side at the left)',
      yLabel: '‖∂C/∂b‖',
      logY: true,
      xNames: layers.map((l) => shortLayerName(trace, l)),
      xTitles: layers.map((l) => layerName(trace, l)),
      series: endRecords(trace).map(({ record: r, name }) => ({ name, xs: layers.map((_, i) => i + 1), ys: layers.map((l) => trace.at('biasGradNorm', r, l)) })),
    }),
    heatmap({
      id: chartId('heatmap'),
      scaleId: chartId('heatmap-scale'),
      title: 'log10 ‖∂C/∂b‖, steps × layers (first layer at the bottom)',
      yLabel: 'layer',
      rowLabels: layers.map((l) => shortLayerName(trace, l)),
      rowTitles: layers.map((l) => layerName(trace, l)),
      steps,
      end: lastColumnEnd(trace),
      values: layers.map((l) => Array.from(trace.series('biasGradNorm', l), (v) => Math.log10(v))),
      note: notes.heatmap,
    }),
    normOverTime(chartId, trace, notes.chart),
    saturation(chartId, trace),
    ...(trace.blocks ? residualCharts(chartId, trace) : hiddenLayers(trace).length > 1 ? [chainChart(chartId, trace)] : []),
    ...lossAndAccuracy(chartId, trace),
    ...epochCharts(chartId, trace),
    ...gradientHistograms(chartId, trace),
  ]);
}

/**
 * Where the heatmap's last column ends (HeatmapOptions.end): its record stands for the steps up to the next one's, which the
 * every-k grid would have taken `every` steps on, or up to the run's last step where its epochs say the run ended sooner (a final
 * record off the grid, study (b)'s step 900, stands for that step alone). Where no epoch ended at or after the last record (a trace
 * taken outside train(), or a run that stopped in an epoch it did not finish: DIVERGED) the trace does not say how far the run went
 * past it, so the column stands for the record's own step alone: drawn `every` wide, a run that diverged at step 4 traced every 10
 * spanned steps 1–11 (review52).
 */
function lastColumnEnd(trace: Trace): number {
  const last = trace.steps[trace.length - 1];
  const runEnd = trace.epochs.at(-1)?.step;
  return runEnd !== undefined && runEnd >= last ? Math.min(last + trace.every, runEnd + 1) : last + 1;
}

/**
 * The measured chain-rule factor per hidden layer beside its bound, at the first step (a dense
 * network's trace of two or more hidden layers: with one there is no chain, as its diagnosis says).
 */
function chainChart(chartId: ChartIds, trace: Trace): string {
  return lineChart({
    id: chartId('chain'),
    title: "Chain-rule factor ‖δˡ‖/‖δˡ⁺¹‖ (per-example RMS) at the first step, and its bound max σ'(zˡ)·‖Wˡ⁺¹‖₂ of the same step (σ' maximised over the batch; log scale)",
    xLabel: 'hidden layer (input side at the left)',
    yLabel: 'factor',
    logY: true,
    xNames: hiddenLayers(trace).map((l) => layerName(trace, l)),
    series: [
      { name: 'measured', xs: hiddenLayers(trace).map((l) => l + 1), ys: hiddenLayers(trace).map((l) => trace.at('chainFactor', 0, l)) },
      { name: 'bound', xs: hiddenLayers(trace).map((l) => l + 1), ys: hiddenLayers(trace).map((l) => trace.at('chainBound', 0, l)) },
    ],
    guides: chainGuides(trace),
  });
}

/**
 * The chain-rule chart's guide: σ' ≤ 1/4 (PRIME_MAX.sigmoid) where every hidden layer is a sigmoid's, the bound the
 * lecture reads the factors against; none for another activation, whose σ' reaches 1 (tanh, relu …) and caps nothing.
 */
function chainGuides(trace: Trace): { y: number; label: string }[] {
  const sigmoid = hiddenLayers(trace).every((l) => trace.activations[l] === 'sigmoid');
  // The factors are σ'·‖W‖₂'s: 1/4 bounds them only where ‖W‖₂ ≤ 1, and glorot's or he's weights put them above it (review49b #4).
  return sigmoid ? [{ y: PRIME_MAX.sigmoid, label: `σ' ≤ 1/${1 / PRIME_MAX.sigmoid}: the bound if ‖W‖₂ ≤ 1` }] : [];
}

/** Residual blocks drawn one chart each at most; a deeper network's are chosen evenly, the first and the last included. */
export const REPORT_RESIDUAL_CHARTS = 8;

/**
 * A block network's residual blocks: for each (at most REPORT_RESIDUAL_CHARTS of them), the
 * per-example ∂C/∂x through the skip and through the branch over training; with more blocks, the
 * branch's share over depth at the first and the last step; with ReZero blocks, their α.
 */
function residualCharts(chartId: ChartIds, trace: Trace): string[] {
  const blocks = trace.blocks!.residuals;
  const B = blocks.length;
  const shown = evenIndexes(B, REPORT_RESIDUAL_CHARTS);
  const charts = shown.map((b) =>
    lineChart({
      id: chartId(`residual-${b}`),
      title: `Block ${trace.residualLabel(b)}${blocks[b].gate === 'rezero' ? ' (ReZero)' : ''}: per-example RMS ‖∂C/∂x‖ through the skip and through the branch (log scale)`,
      xLabel: 'step',
      yLabel: '‖∂C/∂x‖',
      logY: true,
      time: true,
      series: [
        { name: 'skip', xs: trace.steps, ys: trace.residualSeries('skipGradRms', b) },
        { name: 'branch', xs: trace.steps, ys: trace.residualSeries('branchGradRms', b) },
      ],
    }),
  );
  if (B > shown.length) {
    const share = (r: number) => Array.from({ length: B }, (_, b) => trace.residualSeries('branchGradRms', b)[r] / trace.residualSeries('skipGradRms', b)[r]);
    charts.push(
      lineChart({
        id: chartId('residual-depth'),
        title: `Branch ÷ skip share of ‖∂C/∂x‖ in each of the ${B} residual blocks, at the first and the last traced step (log scale)`,
        xLabel: 'residual block (input side at the left)',
        yLabel: 'branch ÷ skip',
        logY: true,
        xNames: blocks.map((_, b) => trace.residualLabel(b, 'short')),
        xTitles: blocks.map((_, b) => trace.residualLabel(b)),
        series: endRecords(trace).map(({ record: r, name }) => ({ name, xs: blocks.map((_, b) => b + 1), ys: share(r) })),
      }),
    );
  }
  const rezero = blocks.flatMap((block, b) => (block.gate === 'rezero' ? [b] : []));
  if (rezero.length) {
    const series = rezero.map((b) => ({ name: trace.residualLabel(b), xs: trace.steps, ys: trace.residualSeries('alpha', b) }));
    // Blocks are in depth order as layers are: each in its depth's colour among the network's blocks.
    charts.push(lineChart({ id: chartId('alpha'), title: "ReZero's α of each block over training (y = x + α·branch(x))", xLabel: 'step', yLabel: 'α', time: true, series, layers: { index: rezero, count: B } }));
  }
  return charts;
}

/**
 * Report prose as HTML: escaped, each `backticked` span (a command or an option, as the studies
 * and diagnoses write them for the terminal too) set as code instead of showing its backticks, and
 * each percentage kept on one line (unbrokenPercents).
 */
export function proseHtml(text: string): string {
  return proseParts(text).map((part) => (part.code ? codeHtml(part.text) : textHtml(part.text))).join('');
}

/** A command or an option as code that a line breaks only between its words (codeWords). */
export function codeHtml(text: string): string {
  const word = ({ text: w, boxed }: CodeWord) => (boxed ? `<span class="${CODE_WORD_CLASS}">${escapeHtml(w)}</span>` : escapeHtml(w));
  return `<code>${codeWords(text).map(word).join(' ')}</code>`;
}

/** Plain text as HTML: escaped, each percentage kept on one line (unbrokenPercents). */
const textHtml = (text: string) => escapeHtml(unbrokenPercents(text));

/**
 * A remedy: its settings and why ('A: why'); where it has an alternative, as the terminal prints it (diagnosisText) and the
 * visualizer shows it (demo/src/remedy-list.ts), its settings, the alternative's right under them in a paragraph of its own
 * ('or: …'), then why in another. Joined on one line ('A or B: why') they read as one setting when the first choice ends as
 * the second begins (an option's value, an option's key); the alternative after a why of several lines stood far from the
 * choice it is the alternative to (newuser43 #10).
 */
function remedyHtml([first, alternative]: string[], why: string): string {
  if (alternative === undefined) return `${codeHtml(first)}: ${proseHtml(why)}`;
  return `${codeHtml(first)}<p>or: ${codeHtml(alternative)}</p><p>${proseHtml(why)}</p>`;
}

/**
 * The verdict, the summary a paragraph to each of its paragraphs (shownParagraphs: a diagnosis made before it had them, or whose
 * summary was edited, its summary in one) and the remedies, their settings in `terms` (the command line's flags in a report it writes). The paragraph that
 * asks "minimum, saddle or slope?" (CURVATURE_QUESTION) links to the report's one section on how to measure the curvature
 * (curvatureSection, `howTo` its id) in place of the how-to: said for every network that asked, it was some 180 words each (newuser49 #7).
 */
function diagnosisHtml(d: Diagnosis, terms: RemedyTerms, howTo: string | undefined): string {
  const remedies = d.remedies.map((r) => `<li>${remedyHtml(remedyLines(r, terms), r.why)}</li>`).join('');
  const paragraph = (text: string) =>
    text === CURVATURE_QUESTION && howTo !== undefined ? `${proseHtml(CURVATURE_ASKS)}: how to measure it is under <a href="#${howTo}">${CURVATURE_HEADING}</a>, at the end of this report.` : proseHtml(text);
  const [first, ...rest] = shownParagraphs(d).map(paragraph);
  // An undecided verdict (Diagnosis.undecided) gets the neutral border, not the healthy one's green.
  return `<div class="diagnosis ${d.undecided ? 'undecided' : d.verdict}" data-verdict="${d.verdict}"><p><strong>${verdictHeading(d)}</strong>. ${first}</p>${rest.map((p) => `<p>${p}</p>`).join('')}${remedies ? `<p>What to try${terms.unmadeRun === undefined ? '' : `, as the library's options (${proseHtml(terms.unmadeRun)})`}:</p><ul>${remedies}</ul>` : ''}</div>`;
}

/** The heading of the report's section on how to measure the curvature where a run stopped (curvatureSection). */
const CURVATURE_HEADING = 'Measuring the curvature where a run stopped';

/** Whether a run's diagnosis asks "minimum, saddle or slope?" in a paragraph of its own (CURVATURE_QUESTION), which then links to curvatureSection. */
const asksCurvature = (run: ReportRun) => shownParagraphs(run.diagnosis).includes(CURVATURE_QUESTION);

/** The one section on how to measure the curvature where a run stopped, after the others, that each diagnosis asking it links to (diagnosisHtml). */
function curvatureSection(id: string): { html: string; contents: string } {
  return {
    html: `<section class="study" id="${id}"><h2>${CURVATURE_HEADING}</h2><p>${proseHtml(CURVATURE_QUESTION)}</p></section>`,
    contents: `<li><a href="#${id}">${CURVATURE_HEADING}</a></li>`,
  };
}

/**
 * A run's Diagnosis.headline, as the terminal prints it before the tables (named by the run's label where the section has
 * several), its 'Try' in `terms` as the run's list of remedies says it (headlineInTerms: a command line, as code); none in a
 * diagnosis made before it had one.
 */
function headlineHtml(run: ReportRun, named: boolean, terms: RemedyTerms): string {
  if (typeof run.diagnosis.headline !== 'string') return '';
  const { said, tried } = headlineInTerms(run.diagnosis, terms);
  const tryHtml = tried ? ` Try ${textHtml(triedWords(tried))}: ${codeHtml(choiceLine(tried.choice))}` : '';
  // A label that ends its last sentence ('… epochs 0–499.') is joined without its full stop (it read '0–499.: the diagnosis').
  return `<p class="headline"><strong>${named ? `${textHtml(run.label.replace(/\.$/, ''))}: the diagnosis` : 'The diagnosis'}, in short</strong> (in full after the tables): ${proseHtml(said)}${tryHtml}</p>`;
}

/** The 'summary' charts of a run: its gradients per layer, saturation, loss, accuracy, learning curve and histograms, after its diagnosis (as HTML). */
function summarySection(id: string, chartId: ChartIds, label: string, trace: Trace, diagnosis: string, notes: { chart: string }): string {
  return runSection(id, label, diagnosis, trace, [normOverTime(chartId, trace, notes.chart), saturation(chartId, trace), ...lossAndAccuracy(chartId, trace), ...epochCharts(chartId, trace), ...gradientHistograms(chartId, trace)]);
}

/** Records of a trace the report draws and holds at most: a 500-step run would take most of the page otherwise. */
export const REPORT_RECORDS = 50;

/**
 * REPORT_RECORDS records of `trace`, evenly spaced (evenIndexes: the first and the last included), the last full batch's
 * (Trace.lastFullBatchRecord) in place of the nearest one but the first and the last where an epoch's short last batch came after it:
 * the diagnosis reads that record, and a chart names it (endRecords); thinned without it, the chart named an earlier record
 * '(last full batch)' (review33). Replacing its neighbour in the sorted list keeps the list sorted. `swapped` says whether it did.
 */
function keptRecords(trace: Trace): { records: number[]; swapped: boolean } {
  const records = evenIndexes(trace.length, REPORT_RECORDS);
  const last = trace.lastFullBatchRecord();
  if (last === undefined || records.includes(last)) return { records, swapped: false };
  let nearest = 1;
  for (let i = 2; i < records.length - 1; i++) if (Math.abs(records[i] - last) < Math.abs(records[nearest] - last)) nearest = i;
  records[nearest] = last;
  return { records, swapped: true };
}

/**
 * At most REPORT_RECORDS records of `trace` (keptRecords), and all its epochs (the trace itself when shorter), and whether the last
 * full batch's record took an evenly spaced one's place (keptRecords' swapped: the thinned note says so).
 */
function thinned(trace: Trace): { trace: Trace; swapped: boolean } {
  if (trace.length <= REPORT_RECORDS) return { trace, swapped: false };
  const out = new Trace({ sizes: trace.sizes, activations: trace.activations, loss: trace.loss, every: trace.every, run: trace.run, blocks: trace.blocks });
  const residuals = RESIDUAL_METRIC_NAMES.flatMap((name) => Array.from({ length: trace.residualBlocks }, (_, b) => ({ name, b, values: trace.residualSeries(name, b) })));
  const { records, swapped } = keptRecords(trace);
  for (const r of records) {
    const k = out.beginRecord(trace.steps[r], trace.losses[r], trace.accuracy[r], trace.batchRows[r]);
    for (const name of LAYER_METRIC_NAMES) for (let l = 0; l < trace.layers; l++) out.set(name, k, l, trace.at(name, r, l));
    for (const { name, b, values } of residuals) out.setResidual(name, k, b, values[r]);
  }
  out.histograms.push(...trace.histograms);
  // Every epoch stays (a few numbers each): the downloads hold the per-epoch losses the diagnosis read.
  for (const epoch of trace.epochs) out.addEpoch(epoch);
  return { trace: out, swapped };
}

function runHtml(run: ReportRun, id: string, data: ReportData, terms: RemedyTerms, ids: PageIds, howTo: string | undefined): string {
  const { trace, swapped } = thinned(run.trace);
  const warnings = run.warnings ?? [];
  data.runs[id] = { label: run.label, diagnosis: run.diagnosis, ...(warnings.length > 0 && { warnings: [...warnings] }), trace: trace.toJSON() };
  const diagnosis = warnings.map((w) => `<p class="warning">${proseHtml(w)}</p>`).join('') + diagnosisHtml(run.diagnosis, run.remedyTerms ?? terms, howTo);
  // Its charts' ids are the run's and the chart's ('<run>-loss'), made unique in the page (PageIds).
  const chartId: ChartIds = (chart) => ids.made(`${id}-${chart}`);
  // How to read the gradient's heatmap and chart over training, from every record the run traced (not only those drawn).
  const notes = depthAndStepsNotes(run.trace, run.diagnosis.evidence?.training?.state, run.detail !== 'summary');
  const html = (run.detail === 'summary' ? summarySection : traceSection)(id, chartId, run.label, trace, diagnosis, notes);
  if (trace === run.trace) return html;
  // Said where the run starts: the diagnosis above is of the whole trace, the charts and downloads of these records.
  const note = `<p class="note thinned">${counted(run.trace.length, 'traced step')}: ${grouped(trace.length)} of them, evenly spaced (the first and the last included${swapped ? ", and the last full batch's in place of its neighbour" : ''}), are drawn and in the downloads; the diagnosis read them all.</p>`;
  return html.replace('<p class="tools">', `${note}<p class="tools">`);
}

/** A section's HTML, its entry in the contents bar, and its data. */
function sectionHtml(section: ReportSection, data: ReportData, terms: RemedyTerms, ids: PageIds, howTo: string | undefined): { html: string; contents: string } {
  const runIds = (section.runs ?? []).map((run, i) => runId(section, run, i) as string); // checked: holdRunIds
  const { runs: _, ...rest } = section;
  data.sections.push({ ...rest, runs: runIds });
  // A table is given no id: the page makes one ('<section>-table', then '-2', …), which the contents bar links to.
  const tableIds = (section.tables ?? []).map(() => ids.made(`${section.id}-table`));
  const figures = [...(section.charts ?? []).map(lineChart), ...(section.bars ?? []).map(barChart), ...(section.tables ?? []).map((t, i) => table(tableIds[i], t))];
  const html = [
    `<section class="study" id="${escapeHtml(section.id)}"><h2>${textHtml(section.heading)}</h2>`,
    section.text ? `<p>${proseHtml(section.text)}</p>` : '',
    section.notes?.length ? `<ul class="notes">${section.notes.map((n) => `<li>${proseHtml(n)}</li>`).join('')}</ul>` : '',
    // The answer first (newuser42 #8): each run's diagnosis in short above the section's tables and charts, in full with its run after them.
    ...(figures.length > 0 ? (section.runs ?? []).map((run) => headlineHtml(run, (section.runs ?? []).length > 1, run.remedyTerms ?? terms)) : []),
    figures.length > 0 ? `<div class="charts">${figures.join('\n')}</div>` : '',
    ...(section.runs ?? []).map((run, i) => runHtml(run, runIds[i], data, terms, ids, howTo)),
    '</section>',
  ].join('\n');
  const children = contentsEntries(section, runIds, tableIds)
    .map((entry) => `<li><a href="#${escapeHtml(entry.id)}">${escapeHtml(shortLabel(entry.label))}</a></li>`)
    .join('');
  const contents = `<li><a href="#${escapeHtml(section.id)}">${escapeHtml(section.heading)}</a>${children ? `<ul>${children}</ul>` : ''}</li>`;
  return { html, contents };
}

/**
 * What the contents bar lists under a section: its runs; in a section without runs (study (c), whose
 * results are charts and tables), its charts, bar charts and captioned tables, each name once (shortLabel:
 * its three 'Held-out accuracy by depth: …' charts are one entry, linked to the first).
 */
function contentsEntries(section: ReportSection, runIds: string[], tableIds: string[]): { id: string; label: string }[] {
  if (section.runs?.length) return section.runs.map((run, i) => ({ id: runIds[i], label: run.label }));
  const figures = [
    ...sectionFigures(section).map((figure) => ({ id: figure.id as string, label: figure.title as string })), // checked: holdChartIds
    ...(section.tables ?? []).flatMap((t, i) => (t.caption === undefined ? [] : [{ id: tableIds[i], label: t.caption }])),
  ];
  return figures.filter((entry, i) => figures.findIndex((other) => shortLabel(other.label) === shortLabel(entry.label)) === i);
}

/** A run's label, or a figure's title, up to its first colon: "[784,30,10]: full-batch …" is listed as "[784,30,10]". */
const shortLabel = (label: string) => label.split(':')[0];

function table(id: string, { header, rows, caption, readAcross, keyColumns }: ReportTable): string {
  const th = header.map((h) => `<th>${textHtml(h)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((c) => `<td>${textHtml(c)}</td>`).join('')}</tr>`).join('');
  const above = caption === undefined ? '' : `<caption>${textHtml(caption)}</caption>`;
  const keys = readAcross && keyColumns !== undefined && keyColumns > 1 ? ` data-key-columns="${keyColumns}"` : '';
  return `<div class="table${readAcross ? ` ${TABLE_ACROSS_CLASS}` : ''}" id="${escapeHtml(id)}"${keys}><table>${above}<thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function contents(items: string[]): string {
  return `<nav class="contents" aria-label="Contents"><strong>Contents</strong><ul>${items.join('')}</ul><p><a href="#" data-download="all" data-format="json" download="gradscope-report-data.json">All data (JSON)</a></p></nav>`;
}

/**
 * The narrowest a chart with its key beside its drawing is shown, in CSS pixels (drawingMinWidth of
 * CHART.width: its smallest text CHART_TEXT_MIN): the grid's columns are no narrower where the page
 * allows, and a narrower one (a phone's) shows the key under the drawing.
 */
const CHART_MIN_WIDTH = drawingMinWidth(CHART.width);
/** main's padding each side, in CSS pixels (1em of its 14 px font), but in a narrow window: NARROW_SIDE_PADDING there, half of it. */
const SIDE_PADDING = 2 * NARROW_SIDE_PADDING;
/**
 * The widest window whose report column is narrower than CHART_MIN_WIDTH: main's SIDE_PADDING each side and
 * a 15 px scrollbar. Below it main's side padding is halved, so a phone's 390 px (a 361 px column; 347 px with the full padding)
 * holds a chart's drawing at CHART_TEXT_MIN (drawingMinWidth(DRAWING_WIDTH), 351 px).
 */
const NARROW_WINDOW = CHART_MIN_WIDTH + 2 * SIDE_PADDING + 15;
/**
 * The least width and height of a link or button, in CSS pixels: WCAG 2.5.8's least target, as the
 * visualizer's controls. The contents' links and a run's trace links were a line of 13 px text, 15 px tall.
 */
export const LEAST_TARGET = 24;
/** How much a narrow column enlarges a chart's text: NARROW_CHART_FONT over CHART_FONT. */
const NARROW_TEXT_SCALE = NARROW_CHART_FONT / CHART_FONT;

// A table's headers wrap between their words, its cells never (a row's name or number stays whole),
// so a wide table fits its column where its headers allow (the trainable-depth tables ran 25 px past
// theirs at 1400 px, their last column hidden); one that still does not (many columns on a phone: the
// trainable-depth rows table is 658–879 px wide, a 320 px phone's column 306 px) is shown a row per
// card by the script (table-cards.ts: each cell on a line after its column's header, its label, both
// wrapped between words, never inside one; an empty cell left out), and without the script scrolls in its own box, a shadow at each edge that
// hides columns. A chart is never drawn narrower
// than its text allows (drawingMinWidth): the grid takes one column where two would be narrower
// (the contents bar, margins and gap leave room for two at 1280 px, a 15 px scrollbar included). A
// chart is its drawing and its key (svg.key) at one scale, side by side in a grid of their widths
// (histograms and bars, without a key, are a drawing's width); in a column too narrow for both (a
// phone's: the figure is a container, CHART_MIN_WIDTH) the key goes under the drawing, as wide as
// that scale makes it, and the drawing fits a 390 px phone; in a narrower column (a 320 px phone's)
// its text is enlarged (NARROW_CHART_FONT) to keep CHART_TEXT_MIN, its key shown at that text size;
// narrower than NARROWEST_COLUMN (306 px) it scrolls sideways in its box as a table does, its caption staying put. A chart over steps
// that fits its box takes a sideways touch as a drag (touch-action: pan-y, on the outer drawing: Chromium reads it on no nested
// svg; a vertical touch still scrolls the page): with the
// browser's default a phone took every touch drag to pan, cancelled the pointer and zoomed nothing (Chromium, 390 px, 2026-12-04);
// one that scrolls sideways leaves the touch to the scroll. Nor is a chart drawn wider than its
// text allows (drawingMaxWidth): in a wide column (one column from 1000 px to ~1260 px) it keeps its
// design's text size near CHART_FONT, its caption as wide as it, the rest of the column left empty.
const STYLE = `*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,sans-serif;color:#222}
nav.contents{padding:1em 1.2em;background:#fafafa;border-bottom:1px solid #ddd;font-size:13px}nav.contents ul{margin:.3em 0;padding-left:1.1em}
main{padding:0 ${SIDE_PADDING}px 3em;min-width:0}h1{font-size:1.6em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
@media (max-width:${NARROW_WINDOW}px){main{padding:0 ${NARROW_SIDE_PADDING}px 3em}}
@media (min-width:1000px){body{display:grid;grid-template-columns:13rem minmax(0,1fr)}nav.contents{position:sticky;top:0;height:100vh;overflow:auto;border:0;border-right:1px solid #ddd}}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,${CHART_MIN_WIDTH}px),1fr));gap:.8em 1em;align-items:start}
figure.chart{margin:0;min-width:0;max-width:${drawingMaxWidth(CHART.width)}px;display:grid;grid-template-columns:minmax(0,${DRAWING_WIDTH}fr) minmax(0,${KEY_WIDTH}fr);align-items:start;container-type:inline-size}
figure.chart>svg{display:block;width:100%;min-width:${drawingMinWidth(DRAWING_WIDTH)}px;height:auto;user-select:none;-webkit-user-select:none}figure.chart>svg.key{min-width:${drawingMinWidth(KEY_WIDTH)}px}
@container (width<${CHART_MIN_WIDTH}px){figure.chart>svg{grid-column:1/-1}figure.chart>svg.key{width:${+((100 * KEY_WIDTH) / DRAWING_WIDTH).toFixed(3)}%;min-width:0}}
@container (width<${drawingMinWidth(DRAWING_WIDTH)}px){figure.chart>svg{min-width:${drawingMinWidth(DRAWING_WIDTH, NARROW_CHART_FONT)}px}figure.chart>svg:not(.key) :is(.tick,.legend,.xticks text,.histogram text,.axis){font-size:${NARROW_CHART_FONT}px}figure.chart>svg.key{width:${+((100 * KEY_WIDTH * NARROW_TEXT_SCALE) / DRAWING_WIDTH).toFixed(3)}%}}
figcaption{grid-column:1/-1;font-weight:600;font-size:13px;position:sticky;left:0}.tick,.legend,.histogram text{font-size:${CHART_FONT}px;fill:#444}.axis{font-size:11px;fill:#222}${Y_TITLE_STYLE}.note{font-weight:400;color:#666}.warning{border-left:4px solid #d62728;padding:.2em 1em;background:#fdf3f3}
.grid{stroke:#eee;fill:none}.guide path{stroke:#888;stroke-dasharray:4 3;fill:none}.axes{stroke:#999;fill:none}.y{text-anchor:end}.axis,.xticks text,.histogram text{text-anchor:middle}.xticks text{font-size:${CHART_FONT}px;fill:#444}
.plot{overflow:hidden}.plot[data-time]{cursor:crosshair}@container (width>=${drawingMinWidth(DRAWING_WIDTH, NARROW_CHART_FONT)}px){figure.chart>svg:has(>.plot[data-time]){touch-action:pan-y}}.plot:not([data-time]){overflow:visible}.series>path:not([class]){fill:none;stroke-width:1.5;stroke-linejoin:round;stroke-linecap:round;vector-effect:non-scaling-stroke}.plot .dots{stroke-width:5;stroke-linecap:round;fill:none;vector-effect:non-scaling-stroke}.mark{fill:none;stroke-width:${MARK_STROKE};pointer-events:none}.key path{fill:none}.off{fill:none;stroke-width:2.5;vector-effect:non-scaling-stroke}.reach{fill:none;stroke-width:1.5;stroke-dasharray:3 3;vector-effect:non-scaling-stroke}
.plot .brush{fill:rgba(31,119,180,.15)}.plot .hit{fill:transparent}.histogram path{fill:#1f77b4}.histogram .beam{fill-opacity:.15}.histogram path.axes{fill:none;stroke:#999}
.table,figure.chart{overflow-x:auto;background:linear-gradient(90deg,#fff 40%,#fff0) left/2em 100% no-repeat local,linear-gradient(270deg,#fff 40%,#fff0) right/2em 100% no-repeat local,linear-gradient(90deg,#0003,#0000) left/10px 100% no-repeat scroll,linear-gradient(270deg,#0003,#0000) right/10px 100% no-repeat scroll}
.charts>.table{grid-column:1/-1}.row path{shape-rendering:crispEdges}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:2px 8px;text-align:right}td{white-space:nowrap}th{vertical-align:bottom}
${CODE_WORD_STYLE}
.${TABLE_ACROSS_CLASS} :is(th,td):first-child{position:sticky;left:0;background:#fff}.table.${TABLE_ACROSS_CLASS}{container-type:inline-size}.${TABLE_ACROSS_CLASS} caption{position:sticky;left:0;max-width:100cqw;text-align:left}
.table.${TABLE_CARDS_CLASS}{overflow:visible;background:none}.${TABLE_CARDS_CLASS} :is(table,caption,thead,tbody,tr,th,td){display:block}.${TABLE_CARDS_CLASS} thead{height:0;overflow:hidden}.${TABLE_CARDS_CLASS} caption{text-align:left}
.${TABLE_CARDS_CLASS} tr{border:1px solid #ddd;margin:.5em 0;padding:.2em .6em}.${TABLE_CARDS_CLASS} td{border:0;padding:1px 0;display:flex;justify-content:space-between;gap:1em;white-space:normal}.${TABLE_CARDS_CLASS} td>span>span{white-space:nowrap}.${TABLE_CARDS_CLASS} td::before{content:attr(data-label);content:attr(data-label) / "";text-align:left;color:#555}.${TABLE_CARDS_CLASS} td:first-child{font-weight:600}.${TABLE_CARDS_CLASS} td:empty{display:none}
nav.contents a,.tools a{display:inline-flex;padding:3px 0}nav.contents a,.tools a,.tools button{min-width:${LEAST_TARGET}px;min-height:${LEAST_TARGET}px}
.diagnosis{border-left:4px solid #999;padding:.2em 1em;background:#f8f8f8}.diagnosis li>p{margin:.15em 0}.diagnosis.vanishing{border-color:#1f77b4}
.diagnosis.exploding{border-color:#d62728}.diagnosis.healthy{border-color:#2ca02c}.diagnosis.dead,.diagnosis.saturated,.diagnosis.loss-rising,.diagnosis.overfitting{border-color:#e0a000}section.run{border-top:1px solid #eee;margin-top:1.5em}.tools{font-size:13px;color:#555}`;

/** The id of a section's `i`th run, its own or one from its position. */
const runId = (section: ReportSection, run: ReportRun, i: number): unknown => run.id ?? `${section.id}-${i}`;

/**
 * INVALID_OPTION, naming the run and its id, for a run id the page cannot hold: it is written
 * unescaped into the run's element ids, links and download names, so no whitespace nor `"'<>&`;
 * it keys the page's data (ReportData.runs), so not `__proto__` (an object's prototype, not a key)
 * and no two alike (the second run's data would replace the first's); and it is an element id, so
 * not the data block's (the script's getElementById would find the run's section first and read
 * no data) nor a section's (the contents bar's link would go to the first of the two).
 */
function holdRunIds(sections: readonly ReportSection[], ids: PageIds): void {
  for (const section of sections) {
    (section.runs ?? []).forEach((run, i) => {
      const id = runId(section, run, i);
      const where = `renderReport: run ${shown(run.label)}: id ${shown(id)}`;
      if (typeof id !== 'string' || !/^[^\s"'<>&]+$/.test(id)) throw invalidOption(`${where}; expected a non-empty string with no whitespace nor any of "'<>&`);
      if (id === '__proto__') throw invalidOption(`${where} is an object's prototype in the page's data, not a key; expected another id`);
      const holder = ids.holderOf(id);
      if (holder === RUN_HOLDER) throw invalidOption(`${where} is another run's too; expected each run's id unique in the report`);
      if (holder !== undefined) throw invalidOption(`${where} is ${holder} too; expected another id`);
      ids.hold(id, RUN_HOLDER);
    });
  }
}

/**
 * INVALID_OPTION, naming the section and its id, for a section id the page cannot hold: not a
 * non-empty string, the data block's element id (the script would read the section's text as the
 * data), or one another section has (renderReport's own 'runs' section for `input.runs` too), where
 * the contents bar's link would go to the first.
 */
function holdSectionIds(sections: readonly ReportSection[], ids: PageIds): void {
  for (const section of sections) {
    const id: unknown = section?.id;
    const where = `renderReport: section ${shown(section?.heading)}: id ${shown(id)}`;
    if (typeof id !== 'string' || id === '') throw invalidOption(`${where}; expected a non-empty string`);
    const holder = ids.holderOf(id);
    if (holder === SECTION_HOLDER) throw invalidOption(`${where} is another section's too${id === 'runs' ? " (renderReport's section of input.runs)" : ''}; expected each section's id unique in the report`);
    if (holder !== undefined) throw invalidOption(`${where} is ${holder} too; expected another id`);
    ids.hold(id, SECTION_HOLDER);
  }
}

/** A section's charts and bar charts, each with the element id the input gives it. */
const sectionFigures = (section: ReportSection): { id: unknown; title: unknown }[] => [...(section.charts ?? []), ...(section.bars ?? [])];

/**
 * INVALID_OPTION, naming the chart, its section and its id, for a section's chart (or bar chart)
 * whose id is not a non-empty string with no whitespace (an element id holds none), or one another
 * element of the page has: the data block, a section, a run, another chart. The contents bar's link
 * to that section or run, or the script's read of the data, would find the chart. A run's own charts
 * take ids no element has (PageIds), so they need no check.
 */
function holdChartIds(sections: readonly ReportSection[], ids: PageIds): void {
  for (const section of sections) {
    for (const chart of sectionFigures(section)) {
      const where = `renderReport: chart ${shown(chart?.title)} of section ${shown(section.heading)}: id ${shown(chart?.id)}`;
      if (typeof chart?.id !== 'string' || !/^\S+$/.test(chart.id)) throw invalidOption(`${where}; expected a non-empty string with no whitespace`);
      const holder = ids.holderOf(chart.id);
      if (holder !== undefined) throw invalidOption(`${where} is ${holder === CHART_HOLDER ? "another chart's element id" : holder} too; expected another id`);
      ids.hold(chart.id, CHART_HOLDER);
    }
  }
}

/**
 * The page's ids, the ones its input names checked (each refused, INVALID_OPTION, where the page
 * cannot hold it) and held in turn: the data block's, the sections', the runs', the sections' charts'.
 * The ids made for runs' charts are made around them all (PageIds).
 */
function inputIds(sections: readonly ReportSection[]): PageIds {
  const ids = new PageIds();
  ids.hold(DATA_ELEMENT_ID, "the element id of the page's data block");
  holdSectionIds(sections, ids);
  holdRunIds(sections, ids);
  holdChartIds(sections, ids);
  return ids;
}

/** What holds an id, as a refusal says it. */
const SECTION_HOLDER = "a section's element id";
const RUN_HOLDER = "a run's element id";
const CHART_HOLDER = "a chart's element id";

/** renderReport's work (render-report.ts, the public entry, loads this module when first called; its TSDoc says what is refused). */
export async function renderReport(input: ReportInput): Promise<string> {
  // Called with nothing, 'got undefined' named no cause: say what to give.
  if (input === undefined) throw invalidOption('renderReport: expected a ReportInput { title?, sections?, runs? }, got none: give { runs: [{ label, trace, diagnosis }] }');
  checkObjectArgument(input, 'renderReport', 'a ReportInput { title?, sections?, runs? }');
  checkReportInput(input);
  const title = input.title ?? 'gradscope: gradient flow report';
  const data: ReportData = { format: 'gradscope.report', version: 1, title, sections: [], runs: {} };
  const sections = [...(input.sections ?? [])];
  if (input.runs?.length) sections.push({ id: 'runs', heading: 'Runs', runs: input.runs.map((run, i) => ({ ...run, id: run.id ?? `run-${i}` })) });
  const ids = inputIds(sections);
  // How to measure the curvature, said once after the sections where a diagnosis asks for it (curvatureSection).
  const howTo = sections.some((section) => section.runs?.some(asksCurvature)) ? ids.made('curvature-how-to') : undefined;
  const parts = sections.map((section) => sectionHtml(section, data, input.remedyTerms ?? API_REMEDY_TERMS, ids, howTo));
  if (howTo !== undefined) parts.push(curvatureSection(howTo));
  const body = parts.map((p) => p.html).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${contents(parts.map((p) => p.contents))}<main><h1>${escapeHtml(title)}</h1><p>Generated ${new Date().toISOString()} by gradscope. ‖∂C/∂b‖ is the norm of the batch's mean δ (δ = ∂Cₓ/∂z, one example's gradient): a layer's speed of learning under plain SGD; where the optimiser rescales the steps (Adam, LARS, per-layer rates, second-order methods) the diagnosis reads the speed from the steps taken, ‖ΔW‖/‖W‖. The chain rule multiplies each example's δ by σ'(z)·W for each layer it passes back through. A traced step is measured before its update: step 1 at the initial weights.</p>${body}</main><script type="application/octet-stream" id="${DATA_ELEMENT_ID}" data-encoding="${DATA_ENCODING}">${await packReportData(data)}</script><script>${REPORT_SCRIPT}</script></body></html>\n`;
}
