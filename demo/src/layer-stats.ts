/**
 * What the visualizer shows per layer, read from a gradient-flow trace (src/flow), so the page and
 * the library define every quantity the same way.
 */
import { cancelledBiasNote, chartedBiasRows, grouped, unitFailureMetric } from '../../src/index.js';
import type { Trace } from '../../src/index.js';

export interface LayerStats {
  /** Each row's name, as the diagnosis, the CLI's tables and the HTML report write it (Trace.layerLabel: 'hidden 1', 'output'; a block network's "layers[2].layers[0] ('3.branch.0', dense)"): the chain table's. */
  labels: string[];
  /** Each row's name in short (Trace.layerLabel's 'short': 'hidden 1'; a block network's 'layers[2][0] dense'), as the report's charts give it a row's margin: the bars' and the flow map's. */
  shortLabels: string[];
  /** The rows with a ‖∂C/∂b‖ (Trace.rowsRecording), first first: the chain table's ‖∂C/∂b‖ column. */
  biasRows: number[];
  /**
   * The rows of the gradient bars and the heatmap, first first: biasRows but the dense layers whose
   * bias a batch norm cancels (chartedBiasRows, as the report's charts), whose ‖∂C/∂b‖ is 0 up to rounding.
   */
  chartedBiasRows: number[];
  /** What the bars and the heatmap leave out and why, as the report says it (cancelledBiasNote); '' if nothing. */
  cancelledBiasNote: string;
  /** The rows with a W (all but a block network's activation layers): elsewhere ‖∂C/∂W‖ is not a number to show. */
  weightRows: number[];
  /** ‖∂C/∂W^l‖ (Frobenius) per weight layer. */
  gradW: Float64Array;
  /** ‖∂C/∂b^l‖ per weight layer: Nielsen's speed of learning. */
  gradB: Float64Array;
  /**
   * Per layer, the fraction of it that passes no gradient: saturated activations for sigmoid, tanh
   * and softsign, dead units for the relu family (see unitFailureMetric); NaN for others.
   */
  unitFailure: Float64Array;
  /** What unitFailure measures in each layer. */
  unitFailureKind: ('saturated' | 'dead' | null)[];
  /** ‖δ^l‖/‖δ^{l+1}‖ (per-example RMS): what passing back into layer l did to the gradient (NaN for the output layer; a block network's: from a dense layer to the next). */
  chainFactor: Float64Array;
  /** max σ'(z^l) · ‖W^{l+1}‖₂ (LAYER_METRICS.chainBound): the chain rule's bound on chainFactor, of the same record (NaN for the output layer, and in a block network, whose trace does not measure ‖W‖₂). */
  chainBound: Float64Array;
  /** The step of the record chainFactor and chainBound come from: the latest with ‖W‖₂ computed (a block network's trace has none: `record`'s). */
  chainStep: number;
  /**
   * A block network's residual blocks (outer before inner), each by its name (Trace.residualLabel: "layers[3] ('4', residual)",
   * a ReZero block's row's in the chain table), at the record: the per-example RMS of ∂C/∂x through the
   * skip and through the branch, and ReZero's α (NaN with gate 'none').
   */
  residuals: { label: string; skip: number; branch: number; alpha: number }[];
}

/** The statistics of `record`; the chain factor and its bound of the latest record up to it that has a bound (a block network's: of `record`, having none). */
export function statsFromTrace(trace: Trace, record: number): LayerStats {
  const kinds = trace.activations.map(unitFailureMetric);
  const chainRecord = trace.lastRefreshed(record) ?? record;
  return {
    labels: Array.from({ length: trace.layers }, (_, l) => trace.layerLabel(l)),
    shortLabels: Array.from({ length: trace.layers }, (_, l) => trace.layerLabel(l, 'short')),
    biasRows: trace.rowsRecording('biasGradNorm'),
    chartedBiasRows: chartedBiasRows(trace),
    cancelledBiasNote: cancelledBiasNote(trace),
    weightRows: trace.rowsRecording('weightGradNorm'),
    gradW: trace.row('weightGradNorm', record),
    gradB: trace.row('biasGradNorm', record),
    unitFailure: Float64Array.from(kinds, (metric, l) => (metric ? trace.at(metric, record, l) : NaN)),
    unitFailureKind: kinds.map((metric) => (metric === 'saturatedFraction' ? 'saturated' : metric === 'deadFraction' ? 'dead' : null)),
    chainFactor: trace.row('chainFactor', chainRecord),
    chainBound: trace.row('chainBound', chainRecord),
    chainStep: trace.steps[chainRecord],
    residuals: (trace.blocks?.residuals ?? []).map((_, b) => ({
      label: trace.residualLabel(b),
      skip: trace.residualSeries('skipGradRms', b)[record],
      branch: trace.residualSeries('branchGradRms', b)[record],
      alpha: trace.residualSeries('alpha', b)[record],
    })),
  };
}

/**
 * What the chain-rule table says of its ‖∂C/∂W‖ and ‖∂C/∂b‖ columns, read from one record (statsFromTrace: the latest full
 * batch's): where that batch is not every training row, that its gradient is one batch's, on a plateau mostly its sampling noise,
 * and that the diagnosis reads the change over training time from medians over `window` records at each end
 * (Diagnosis.evidence.changeWindow): three runs of the page's defaults read one batch's ‖∂C/∂b‖ 890× and ~30× below the step-0
 * table's (newuser44). '' at step 0, whose one record is of the probe rows the caption names.
 */
export function gradientColumnsNote(step: number, batchRows: number, trainRows: number, window: number): string {
  if (step === 0) return '';
  if (batchRows >= trainRows) return `; ‖∂C/∂W‖ and ‖∂C/∂b‖ of the latest batch, all ${grouped(trainRows)} training rows`;
  const medians = window > 1 ? ` (the diagnosis reads the change over training time from medians over the first and the last ${window} traced batches)` : '';
  return `; ‖∂C/∂W‖ and ‖∂C/∂b‖ of the latest full batch alone, ${grouped(batchRows)} of the ${grouped(trainRows)} training rows: on a plateau mostly that batch's sampling noise, so compare them across steps loosely${medians}`;
}
