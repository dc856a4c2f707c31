/**
 * The page's downloads, each a JSON file read back by what its note on the page names: the run's trace
 * (Trace.fromJSON), the network (net.toJSON(): the CLI's --model; its parameters, not its step or optimiser state) and
 * its training rows (the CLI's --data).
 */
import type { Matrix, MeanLossGradient } from '../../src/index.js';
import { andList } from '../../src/list-text.js';
import type { DatasetName } from './datasets.js';
import { hiddenSizes, type Settings } from './settings.js';

/** What the page offers as a file: the run's gradient-flow trace, the network as it stands, the rows it trains on. */
export type DownloadKind = 'trace' | 'model' | 'data';

/**
 * A download's file name, after the settings of the run whose file it is (the worker's, never the form's, which a user
 * may have changed since: the file would be named for a run that never happened), as they are at its latest step: a run
 * continued with another optimiser is named for the one it has now, as the trace's `run` says: the network's for the trace and the model
 * ('gradscope-model-16-16-16-16-16-16-relu-he-normal-sgd-step-120.json'; the model's with the `step` the network stands at,
 * which a model file does not hold), the data set's for the data ('gradscope-data-spirals-noise-0.05-train-70.json'; the
 * digits have no noise).
 */
export function downloadName(kind: DownloadKind, s: Settings, step: number): string {
  if (kind === 'data') return `gradscope-data-${[s.dataset, ...(s.dataset === 'mnist' ? [] : [`noise-${s.noise}`]), `train-${s.trainPercent}`].join('-')}.json`;
  const blocks = [s.norm, s.residual === 'none' ? 'none' : `${s.residual}-residual`].filter((b) => b !== 'none');
  return `gradscope-${kind}-${[hiddenSizes(s).join('-'), s.activation, s.init, ...blocks, s.optimizer, ...(kind === 'model' ? [`step-${step}`] : [])].join('-')}.json`;
}

/** A list of numbers as JavaScript writes each (NaN as NaN), so that the call pasted reads the same doubles. */
const numberList = (values: ArrayLike<number>) => `[${Array.from(values, String).join(', ')}]`;

/**
 * The call that gives a downloaded trace's diagnosis as the panel shows it, on data set `dataset`: diagnose() with the
 * page's options (pageDiagnosis in remedies.ts: a switch to relu takes the rate measured on the page's data, RELU_REMEDY_RATES' row;
 * `heldOutAtStart`, the run's test loss before its first step, where measured; and `meanLossGradient`, the mean loss's ‖∂C/∂b‖
 * over the first training rows at the run's start and now, after the first step: the trace holds neither; `openEnded`, the page's
 * run having no epochs set), its numbers as JavaScript writes them, so that the call pasted reads the same doubles.
 */
export const traceDiagnosisCall = (dataset: DatasetName, heldOutAtStart?: number, mean?: MeanLossGradient): string =>
  `diagnose(Trace.fromJSON(json), { reluRates: pageRow('${dataset}')${heldOutAtStart === undefined ? '' : `, heldOutAtStart: ${heldOutAtStart}`}${
    mean === undefined ? '' : `, meanLossGradient: { rows: ${mean.rows}, start: ${numberList(mean.start)}, end: ${numberList(mean.end)} }`
  }, openEnded: true })`;

/** What the page says beside the trace's download, for the run on data set `dataset` (backticked spans set as code: proseNodes). */
export const traceNote = (dataset: DatasetName, heldOutAtStart?: number, mean?: MeanLossGradient): string => {
  const options = [
    'the relu rates measured on this data',
    ...(heldOutAtStart === undefined ? [] : ['the test rows’ loss before the first step']),
    ...(mean === undefined ? [] : [`each layer’s ‖∂C/∂b‖ of the mean loss over the first ${mean.rows} training rows at step 0 and now`]),
  ];
  const unheld = options.length > 1 ? ', which the trace does not hold' : '';
  return `the run’s gradient-flow trace, \`trace.toJSON()\`: in your code \`${traceDiagnosisCall(dataset, heldOutAtStart, mean)}\` gives the panel’s verdict, summary and remedies (the options: ${andList(options)}${unheld}; \`openEnded\`: the run has no epochs set), and \`renderReport()\` lays it out.`;
};

/** Rows of inputs `x` and targets `y` as the CLI's data file reads them (`{ "inputs": [[…]], "targets": [[…]] }`, its --data). */
export function dataFileJson(x: Matrix, y: Matrix): string {
  const rows = (m: Matrix) => Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  return JSON.stringify({ inputs: rows(x), targets: rows(y) });
}
