/**
 * A trace's CSV: Trace.toCSV() writes it, and the HTML report's CSV download is the same function
 * run in the page (report-page.ts imports it), so it takes the trace as JSON data, where the page
 * holds NaN as null.
 *
 * One table with one header line, so any CSV reader loads it whole:
 *   step,epoch,layer,loss,accuracy,batchRows,<every metric>[,path,name,type],<EPOCH_COLUMNS>
 * - a step row per traced step and layer: the step, the epoch it was taken in, the layer, the
 *   batch's loss and accuracy before the update, its rows (TraceJSON.batchRows: batchSize, or fewer in
 *   an epoch's short last batch, whose gradients are of those rows alone; empty where not recorded),
 *   every metric of the layer, and in a block network's
 *   trace the three parts of the row's name (Trace.layerLabel: "layers[4].layers[0] ('4.branch.0',
 *   dense)"): its `layers` path, module name and type; its epoch cells empty;
 * - an epoch row per epoch of Trace.epochs, after the step rows of its steps: the epoch's last step,
 *   the epoch, an empty layer (what tells the two kinds apart), empty step cells, then the epoch's
 *   cells (EPOCH_COLUMNS): its mean batch loss; where the run had validation rows, their loss and
 *   accuracy after it; where it also measured the training subset at the same weights
 *   (TraceEpoch.training), that subset's loss, accuracy and rows; the learning rate in force; and
 *   the batches onNonFinite 'skip' left out of it and those it applied.
 * Epochs count from 1, as train() and the command line count them (EpochInfo.epoch; the JSON's
 * epochs[].epoch counts from 0). A step after the last recorded epoch (a run stopped within one)
 * has an empty epoch cell. NaN, and null in the page's data, is an empty cell. Where the network has
 * no classes (`classes` false: training-progress.ts classesOf, a regression's real-valued targets) every
 * accuracy cell is empty: its recorded accuracy, whether output and target lie on the same side of ½,
 * means nothing there (newuser43 #12).
 */
import type { TraceJSON } from './trace.js';
import { scheduleFactor } from '../learning-rate-schedule.js';

/**
 * The epoch rows' own columns, after the step rows': epochLoss (TraceEpoch.loss), validationLoss and
 * validationAccuracy (TraceEpoch.validation), trainingSubsetLoss, trainingSubsetAccuracy and
 * trainingSubsetRows (TraceEpoch.training), each empty where the epoch has none, and learningRate:
 * the rate in force in the epoch (TraceEpoch.learningRate where onNonFinite 'halve' lowered it, else
 * the run's starting TraceRun.learningRate), under a schedule (TraceRun.schedule) times its factor at the epoch's last step, the
 * rate that step took; empty for an optimiser that chooses its own steps; and
 * skippedBatches: the batches onNonFinite 'skip' left out of the epoch (TraceEpoch.skipped, 0 where
 * it records none), over whose remainder alone epochLoss is the mean; and appliedBatches: the batches
 * it applied (TraceEpoch.batches), empty in a trace saved before gradscope recorded them (unknown).
 */
export const EPOCH_COLUMNS = ['epochLoss', 'validationLoss', 'validationAccuracy', 'trainingSubsetLoss', 'trainingSubsetAccuracy', 'trainingSubsetRows', 'learningRate', 'skippedBatches', 'appliedBatches'] as const;

/**
 * The CSV of a trace given as its JSON data (Trace.toJSON(), or the report's unpacked copy of it),
 * with a block network's rows' `layers` paths (blockPaths' layers; undefined for a dense network's), which
 * its caller works out. An empty cell for NaN (`v !== v`
 * holds for NaN alone), null (the page's NaN) and undefined.
 */
export function traceCsv(trace: TraceJSON, paths: readonly string[] | undefined, classes: boolean): string {
  const cell = (v: number | string | null | undefined) => (v === null || v === undefined || v !== v ? '' : String(v));
  const metrics = Object.keys(trace.metrics) as (keyof TraceJSON['metrics'])[];
  const rows = trace.blocks ? trace.blocks.layers : undefined;
  const layers = trace.sizes.length - 1;
  const epochs = trace.epochs ?? [];
  // The cells an epoch row leaves empty between its epoch and its epochLoss: layer, loss, accuracy, batchRows, the metrics, path, name and type.
  const stepColumns = 4 + metrics.length + (rows ? 3 : 0);
  const lines = [['step', 'epoch', 'layer', 'loss', 'accuracy', 'batchRows', ...metrics, ...(rows ? ['path', 'name', 'type'] : []), ...EPOCH_COLUMNS].join(',')];
  let next = 0;
  const epochRowsUpTo = (step: number) => {
    for (; next < epochs.length && epochs[next].step < step; next++) {
      const e = epochs[next];
      // An epoch records its rate only where 'halve' lowered it; otherwise the run's starting rate was in force (epochLearningRate in trace.ts).
      const base = e.learningRate ?? trace.run.learningRate;
      // Under a schedule, the rate its last step took: the step after network step e.step − 1 (TraceRun.schedule).
      const schedule = trace.run.schedule;
      const rate = schedule && base !== undefined ? base * scheduleFactor(schedule, schedule.from + e.step - 1 - schedule.atStep) : base;
      const own: Record<(typeof EPOCH_COLUMNS)[number], number | null | undefined> = {
        epochLoss: e.loss,
        validationLoss: e.validation?.loss,
        validationAccuracy: classes ? e.validation?.accuracy : undefined,
        trainingSubsetLoss: e.training?.loss,
        trainingSubsetAccuracy: classes ? e.training?.accuracy : undefined,
        trainingSubsetRows: e.training?.rows,
        learningRate: rate,
        // Recorded only where some were left out (older traces read as none, as Trace does).
        skippedBatches: e.skipped ?? 0,
        appliedBatches: e.batches,
      };
      lines.push([e.step, e.epoch + 1, ...Array<string>(stepColumns).fill(''), ...EPOCH_COLUMNS.map((column) => cell(own[column]))].join(','));
    }
  };
  trace.steps.forEach((step, r) => {
    epochRowsUpTo(step);
    const epoch = next < epochs.length ? epochs[next].epoch + 1 : '';
    for (let l = 0; l < layers; l++) {
      const info = rows ? [paths![l], rows[l].name, rows[l].type] : [];
      lines.push([step, epoch, l, cell(trace.losses[r]), cell(classes ? trace.accuracy[r] : undefined), cell(trace.batchRows?.[r]), ...metrics.map((name) => cell(trace.metrics[name]![r][l])), ...info, ...EPOCH_COLUMNS.map(() => '')].join(','));
    }
  });
  epochRowsUpTo(Infinity);
  return lines.join('\n') + '\n';
}
