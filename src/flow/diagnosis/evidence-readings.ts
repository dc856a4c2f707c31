/**
 * What diagnose() reads beside the gap: saturation at the start and later, cancelled biases at the
 * chain's ends, a gradient that faded over training time. Part of diagnose() (diagnose.ts).
 */
import type { Trace } from '../trace.js';
import { biasesCancelledByBatchNorm } from '../cancelled-biases.js';
import { GRADIENT_FADED, SATURATED_LAYER } from './diagnosis-thresholds.js';
import { isSaturating } from '../metrics.js';
import { weightRowOf } from './init-remedies.js';
import type { Evidence } from './diagnosis-types.js';

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

/** Of `rows`, the activation rows whose z is a flat batch norm's output (evidence.flatNorms: the row just before them): there z is β on every row the norm's input did not tell apart. */
export const afterFlatNorm = (trace: Trace, e: Evidence, rows: number[]) => rows.filter((l) => trace.blocks?.layers[l].type === 'activation' && (e.flatNorms ?? []).includes(l - 1));

/** Flat batch norms (evidence.flatNorms) between the chain's ends (evidence.normalisedBy): the gap read across them carries their γ/√(σ² + ε). */
export const flatOnChain = (e: Evidence) => (e.flatNorms ?? []).some((l) => (e.normalisedBy ?? []).includes(l));

/** The gradient faded over training time: the last hidden layer's ‖∂C/∂b‖ fell below GRADIENT_FADED of its start. */
export const faded = (e: Evidence) => e.lastHiddenChange > 0 && e.lastHiddenChange < GRADIENT_FADED;

/** The residual blocks of gate 'none' (their indexes in trace.blocks.residuals): each skip passes ∂C/∂y back unchanged beside its branch's share. */
export const plainResiduals = (trace: Trace) => (trace.blocks?.residuals ?? []).flatMap((b, i) => (b.gate === 'none' ? [i] : []));

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
