/**
 * What diagnose() reads beside the gap: saturation at the start and later, cancelled biases at the
 * chain's ends, a gradient that faded over training time. Part of diagnose() (diagnose.ts).
 */
import type { Trace } from '../trace.js';
import { median } from '../../median.js';
import { biasesCancelledByBatchNorm } from '../cancelled-biases.js';
import { BATCH_NOISE_SHARE, CANCELLATION, EXAMPLES_CANCEL_Z, FADE_WINDOW_RECORDS, GRADIENT_FADED, SATURATED_LAYER } from './diagnosis-thresholds.js';
import { isSaturating, type LayerMetric } from '../metrics.js';
import { RUN_FIFTHS } from '../training-progress.js';
import { weightRowOf } from './init-remedies.js';
import type { BatchNoise, Evidence } from './diagnosis-types.js';

/** The saturated fraction of each of evidence.saturatedLayers at the first record. */
export const saturationAtStart = (trace: Trace, e: Evidence) => e.saturatedLayers.map((l) => trace.at('saturatedFraction', 0, l));

/** No saturated layer was saturated at the first record (saturationAtStart): training took the units there. */
export const saturatedLater = (atStart: number[]) => atStart.every((f) => f <= SATURATED_LAYER);

/** The chain's ends (block networks only) whose bias a batch norm cancels (firstToLast is NaN then). */
export function cancelledEnds(trace: Trace, e: Evidence): number[] {
  const chain = e.chain ?? [];
  const cancelled = biasesCancelledByBatchNorm(trace);
  return [...new Set([chain[0], chain[chain.length - 1]])].filter((l) => l !== undefined && cancelled.includes(l));
}

/** The chain's ends (block networks only) built without a bias: they have no ‖∂C/∂b‖ (firstToLast is NaN then). */
export function biasFreeEnds(trace: Trace, e: Evidence): number[] {
  const chain = e.chain ?? [];
  return [...new Set([chain[0], chain[chain.length - 1]])].filter((l) => l !== undefined && trace.blocks?.layers[l].bias === false);
}

/** Of `rows`, the activation rows whose z is a flat batch norm's output (evidence.flatNorms: the row just before them): there z is β on every row the norm's input did not tell apart. */
export const afterFlatNorm = (trace: Trace, e: Evidence, rows: number[]) => rows.filter((l) => trace.blocks?.layers[l].type === 'activation' && (e.flatNorms ?? []).includes(l - 1));

/** Flat batch norms (evidence.flatNorms) between the chain's ends (evidence.normalisedBy): the gap read across them carries their γ/√(σ² + ε). */
export const flatOnChain = (e: Evidence) => (e.flatNorms ?? []).some((l) => (e.normalisedBy ?? []).includes(l));

/**
 * The last hidden layer's ‖∂C/∂b‖ at the end over its start as the diagnosis reads it over training time: that of the mean loss over
 * fixed rows where the caller gave it (evidence.meanLossChange), else the medians of its batch gradient (lastHiddenChange).
 */
export const overTimeChange = (e: Evidence) => e.meanLossChange?.change ?? e.lastHiddenChange;

/** The gradient faded over training time: the last hidden layer's ‖∂C/∂b‖ fell below GRADIENT_FADED of its start (overTimeChange). */
export const faded = (e: Evidence) => overTimeChange(e) > 0 && overTimeChange(e) < GRADIENT_FADED;

/**
 * The gradient read over training time (overTimeChange) fell by cancellation between the examples: each example's δ in the last hidden
 * layer fell less than it by more than CANCELLATION, or did not fall. The trend's sentence says it with both falls, and a plateau's why.
 */
export const fellByCancelling = (e: Evidence) => e.lastHiddenDeltaChange > CANCELLATION * overTimeChange(e);

/** Every epoch the trace recorded trained on one batch (TraceEpoch.batches 1): a full-batch run, whose records hold no batch noise. */
const oneBatchPerEpoch = (trace: Trace) => trace.epochs.length > 0 && trace.epochs.every((e) => e.batches === 1);

/**
 * How many full batches' records (`full`, Trace.fullBatchRecords) at each end of the run a change over training time is read over
 * (evidence.changeWindow): FADE_WINDOW_RECORDS, or a fifth of them where that is fewer, at least 1; 1 for a full-batch run, whose
 * first and last records hold no batch noise.
 */
export const changeWindowOf = (trace: Trace, full: readonly number[]) =>
  oneBatchPerEpoch(trace) ? 1 : Math.min(FADE_WINDOW_RECORDS, Math.max(1, Math.floor(full.length / RUN_FIFTHS)));

/**
 * A layer's `metric` over training time: its median over the last `window` of the full batches' records `full` over its median over
 * the first `window` (with a window of 1, the last full batch's record over the first record); NaN without a full batch's record.
 */
export function changeOverTime(trace: Trace, metric: LayerMetric, layer: number, full: readonly number[], window: number): number {
  if (full.length === 0) return NaN;
  const at = (records: readonly number[]) => median(records.map((r) => trace.at(metric, r, layer)));
  return at(full.slice(-window)) / at(window === 1 ? [0] : full.slice(0, window));
}

/**
 * A layer's batch gradient against its batch's sampling noise over the last `window` of the full batches' records `full`
 * (evidence.endNoise): R = ‖∂C/∂b‖ ÷ (per-example RMS ‖δ‖ ÷ √rows) as a root mean square over them, √(Σ rows·‖∂C/∂b‖² ÷ Σ RMS ‖δ‖²),
 * which a batch of gradients with no common direction puts at 1 in expectation whatever the number of units (the median of
 * each record's R sits below 1 where the examples' errors are one number, as a softmax over two classes makes them).
 * undefined for a full-batch run (`window` from changeWindowOf: the batch is every row, nothing is sampled), where the
 * records' rows are unknown or one, and where no such ratio is finite.
 */
export function endNoiseOf(trace: Trace, layer: number, full: readonly number[], window: number): BatchNoise | undefined {
  if (oneBatchPerEpoch(trace) || full.length === 0) return undefined;
  const records = full.slice(-window);
  const rowsOf = (r: number) => (Number.isNaN(trace.batchRows[r]) ? (trace.run.batchSize ?? NaN) : trace.batchRows[r]);
  let batch = 0;
  let examples = 0;
  for (const r of records) {
    batch += rowsOf(r) * trace.at('biasGradNorm', r, layer) ** 2;
    examples += trace.at('deltaRms', r, layer) ** 2;
  }
  const rows = rowsOf(records[records.length - 1]);
  const ratio = Math.sqrt(batch / examples);
  return rows >= 2 && Number.isFinite(ratio) ? { ratio, rows } : undefined;
}

/**
 * The share of a batch gradient's square that is sampling noise, as BATCH_NOISE_SHARE's comment derives it from R and the rows, at
 * most 1: below R = 1 the estimate passes 1 (a batch smaller than its noise), which no share can be (examplesCancel reads it).
 */
export const noiseShare = ({ ratio, rows }: BatchNoise) => Math.min(1, (rows - ratio ** 2) / ((rows - 1) * ratio ** 2));

/**
 * The least R that gradients with no common direction give over a window of `records` records but once in a thousand
 * (EXAMPLES_CANCEL_Z): √(χ²ₖ's 0.1 % point ÷ k) at k = records, by Wilson–Hilferty; 0 where that approximation falls below 0 (a
 * window of one or two records, over which any R can be noise).
 */
export function cancellingBelow(records: number): number {
  const spread = 2 / (9 * records);
  return Math.max(0, 1 - spread - EXAMPLES_CANCEL_Z * Math.sqrt(spread)) ** 1.5;
}

/** The last hidden layer's batch gradient lay below its sampling noise at the end, by more than chance gives (cancellingBelow): its examples cancel. */
export const examplesCancel = (e: Evidence) => e.endNoise !== undefined && e.endNoise.ratio < cancellingBelow(e.changeWindow);

/** The last hidden layer's batch gradient was mostly sampling noise at the end (evidence.endNoise past BATCH_NOISE_SHARE), and not below it (examplesCancel). */
export const mostlyNoise = (e: Evidence) => e.endNoise !== undefined && !examplesCancel(e) && noiseShare(e.endNoise) > BATCH_NOISE_SHARE;

/** The residual blocks of gate 'none' (their indexes in trace.blocks.residuals): each skip passes ∂C/∂y back unchanged beside its branch's share. */
export const plainResiduals = (trace: Trace) => (trace.blocks?.residuals ?? []).flatMap((b, i) => (b.gate === 'none' ? [i] : []));

/**
 * Where the chain's last hidden layer (`last`, a trace row) sits inside a residual block of gate 'none''s branch: how much the skips let
 * the trunk's gradient grow from the chain's last block back to its first, at most. Each such block passes ∂C/∂y back unchanged and
 * its branch adds its share, so ‖∂C/∂x‖ ≤ ‖∂C/∂y‖·(1 + share) per example: the product over the plain blocks of 1 + the branch's share
 * of ∂C/∂x beside the skip's (per-example RMS, the median over the block's full batches' records). undefined where the last layer is
 * not in such a branch or no share was read. A first-to-last gap well above it compares a trunk layer's δ with a branch layer's, which
 * the branch's own weights scale, not a growth along the chain (newuser43 finding 11: 6.90× against a bound of 1.39×).
 */
export function skipGrowthBound(trace: Trace, last: number): number | undefined {
  const plain = plainResiduals(trace);
  const residuals = trace.blocks?.residuals ?? [];
  const name = trace.blocks?.layers[last]?.name;
  if (name === undefined || !plain.some((b) => name.startsWith(`${residuals[b].name}.branch.`))) return undefined;
  const records = trace.fullBatchRecords();
  const shares = plain.map((b) => median(records.map((r) => trace.residualSeries('branchGradRms', b)[r] / trace.residualSeries('skipGradRms', b)[r]).filter((v) => v >= 0 && Number.isFinite(v))));
  return shares.every(Number.isFinite) ? shares.reduce((bound, share) => bound * (1 + share), 1) : undefined;
}

/**
 * Where the run's inputs were far from standardised (TraceRun.inputScale) and more than SATURATED_LAYER of the tanh, sigmoid or
 * softsign units whose z the first dense layer makes from the inputs were saturated at the first record: that row and its share
 * (the first such row: the first dense row's own units, or the activation row just after it); undefined elsewhere. A norm row
 * between them takes the inputs' offset out, so units after one are not read.
 */
export function inputsSaturating(trace: Trace): { row: number; share: number } | undefined {
  if (trace.run.inputScale === undefined || trace.length === 0) return undefined;
  for (const row of [0, 1]) {
    if (row >= trace.layers - 1 || weightRowOf(trace, row) !== 0 || !isSaturating(trace.activations[row])) continue;
    const share = trace.at('saturatedFraction', 0, row);
    if (share > SATURATED_LAYER) return { row, share };
  }
  return undefined;
}
