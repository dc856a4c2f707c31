/**
 * diagnose(trace): what the gradient flow of a run looks like (vanishing, exploding, dead or
 * saturated units, or healthy), the evidence that decided it, and the remedies the evidence points
 * to, by the names gradscope's options take, leaving out what the run already uses. Worded for a
 * learner. The thresholds follow from σ' ≤ 1/4 (docs/gradient-flow.md, "The diagnosis").
 */
import { curvatureSentence, type CurvatureEvidence } from './curvature-evidence.js';
import { LEAKY_RELU_SLOPE, type Activation, type OutputActivation } from '../kernels.js';
import { checkKnownKeys } from '../checks.js';
import { weightInitStd, type WeightInitName } from '../init/initializers.js';
import { invalidOption, shown } from '../errors.js';
import { isReluFamily, isSaturating, PRIME_MAX, SATURATION_MARGIN, type LayerMetric } from './metrics.js';
import { runAtEnd, Trace, type RunAtEnd, type TraceRun } from './trace.js';
import { BATCH_NORM_BLOCKING_ROWS } from '../layers/spec.js';
import { equalisingRates } from '../equalising-rates.js';
import { biasesCancelledByBatchNorm } from './cancelled-biases.js';
import { median } from '../median.js';
import { counted } from '../counted.js';
import { numberRanges } from '../layer-names.js';
import { LARGER_LEARNING_RATE, MORE_EPOCHS, remedyText, SMALLER_LEARNING_RATE, type Remedy, type RemedyOption, type RemedySetting } from './remedy.js';
import { RELU_RATE_SETUP, reluRemedyRate } from './relu-remedy-rates.js';
import {
  AT_CHANCE_MARGIN,
  atChance,
  classesOf,
  CONVERGED_ACCURACY,
  CONVERGED_LOSS_FRACTION,
  lossNearFloor,
  SHORT_RUN_EPOCHS,
  STILL_FALLING,
  trainingProgress,
  type EpochLoss,
  type EpochsUnread,
  type TrainingProgress,
  unstableEnd,
} from './training-progress.js';
import { ADAM_DEFAULTS, CHOICE_MOMENTUM, GRADIENT_SCALED_STEPS, OWN_GRADIENTS, OWN_STEP_LENGTH, STEP_SIZE_OF_THEIR_OWN } from '../optimizer-defaults.js';

// The optimiser groups the remedies read, defined beside the optimisers' other shared settings: importers keep taking them from here.
export { OWN_GRADIENTS, OWN_STEP_LENGTH } from '../optimizer-defaults.js';

/**
 * vanishing / exploding: the gradient shrinks / grows on its way back through the hidden layers;
 * dead: relu-family units pass no gradient at all; saturated: sigmoid, tanh or softsign units sit
 * at their limits, where σ' ≈ 0. Where the gradient flow shows none of these, the loss per epoch
 * decides (evidence.training, read from the epochs): loss-rising: the training loss rose above its
 * lowest (the steps overshoot); overfitting: the training loss did not rise while the loss on
 * held-out rows did; healthy: neither.
 */
export type Verdict = 'vanishing' | 'exploding' | 'dead' | 'saturated' | 'loss-rising' | 'overfitting' | 'healthy';
/** How far past its threshold a vanishing or exploding gap is. */
export type Severity = 'mild' | 'severe';

/**
 * A sigmoid layer multiplies each example's gradient by σ'(z)·W with σ' ≤ 1/4: even with weights
 * that pass a vector on at full length, one sigmoid layer shrinks the gradient 4×. A gap of that
 * size between the first and the last hidden layer (per-example ‖δ‖) is vanishing; the mirror
 * image, the first hidden layer's gradient 4× the last's, is exploding.
 */
export const VANISHING_RATIO = PRIME_MAX.sigmoid;
export const EXPLODING_RATIO = 1 / VANISHING_RATIO;
/** At two sigmoid layers' worth (1/16, or 16×) or past it the gap is severe; short of it, mild. */
export const SEVERE_RATIO = VANISHING_RATIO ** 2;
/** A hidden layer counts as saturated (or dead) when more than this fraction of it is, over most of the run (the median over records). */
export const SATURATED_LAYER = 0.5;
export const DEAD_LAYER = 0.5;
/**
 * A hidden relu-family layer has dead units worth their remedies when at least this fraction of it
 * is dead (median over records), whatever the verdict: one unit in a layer of 8 (12.5 %), 3 of 30.
 * The verdict's DEAD_LAYER alone left a layer of 8 with 3 or 4 dead units unremedied. 10 % is
 * keras-contrib's DeadReluDetector's "significant number of dead neurons".
 */
export const DEAD_UNITS = 0.1;
/** The last hidden layer's ‖∂C/∂b‖ falling below this fraction of its start: the gradient faded over training time (not only over depth). */
export const GRADIENT_FADED = 0.01;
/** Per-example ‖δ‖ falling at least this many times less than ‖∂C/∂b‖: the batch gradient fell by cancellation between examples. */
export const CANCELLATION = 10;
/** The batch size the remedy for BATCH_NORM_BLOCKING_ROWS suggests: batch norm passes on n − 2 of n directions, 14 of 16 here. */
const BATCH_NORM_ROWS = 16;
/**
 * The suggested per-layer rates are each layer's median over this many last records (all of them in
 * a shorter trace) of the rate equalisingRates gives that record: one record of a mini-batch run is
 * one batch's gradient, and one noisy batch would set every rate.
 */
export const LAYER_RATE_RECORDS = 20;
/**
 * Per-layer rates are offered only when some hidden layer's is at least this: smaller rates would
 * change no layer's step by half again, which is not worth a fixed multiplier.
 */
export const LAYER_RATE_WORTH = 1.5;
/**
 * The optimisers whose runs are offered per-layer rates: plain gradient steps, which follow the raw
 * gradient whose gaps the rates undo (see layerRatesRemedy for why no other).
 */
const LAYER_RATE_OPTIMIZERS = ['sgd'];

/** What diagnose() measured in one weight layer, over the trace's records. */
export interface LayerEvidence {
  /** Weight layer index, first layer 0. */
  layer: number;
  /** The layer's activation. */
  activation: OutputActivation;
  /** Median over the records of ‖∂C/∂b‖ (the batch gradient: the layer's speed of learning). */
  biasGradNorm: number;
  /** That median over the last hidden layer's. */
  ratioToLast: number;
  /** ‖∂C/∂b‖ over the last hidden layer's at the first record. */
  ratioToLastAtStart: number;
  /** Median over the records of the per-example RMS ‖δ‖ (what the chain rule multiplies). */
  deltaRms: number;
  /**
   * Median measured ‖δ^l‖/‖δ^{l+1}‖ and its chain-rule bound max σ'(z^l)·‖W^{l+1}‖₂ (LAYER_METRICS.chainBound), both over the
   * records where the bound was computed, so that each bound stands beside the factor of its own
   * weights (NaN for the output layer). A block network's trace computes no bound (Trace.lastRefreshed
   * is undefined): there the factor's median is over every record, and the bound is NaN.
   */
  chainFactor: number;
  /** The chain-rule bound beside chainFactor (see there). */
  chainBound: number;
  /** Median over the records of the saturated fraction; NaN where the activation does not saturate (see LAYER_METRICS). */
  saturatedFraction: number;
  /** Median over the records of the inactive fraction; NaN outside the relu family. */
  inactiveFraction: number;
  /** Median over the records of the dead fraction; NaN outside the relu family. */
  deadFraction: number;
  /** Median ‖ΔW‖/‖W‖. */
  updateRatio: number;
}

/** A ratio of the first hidden layer's value over the last hidden layer's, at the first record, the last, and the median over records. */
export interface FirstToLast {
  /** At the first record. */
  first: number;
  /** At the last record. */
  last: number;
  /** Median over the records. */
  median: number;
}

/** diagnose()'s reading of a trace: a verdict, the evidence behind it and the remedies to try. */
export interface Diagnosis {
  /** What the gradient flow shows (see Verdict). */
  verdict: Verdict;
  /** For vanishing and exploding: mild between 1/16 and 1/4 (or 4 and 16×), severe at SEVERE_RATIO (1/16, or 16×) or beyond (or on Inf/NaN). */
  severity?: Severity;
  /** One paragraph: what was measured and what it means. */
  summary: string;
  /** The measurements the verdict rests on. */
  evidence: {
    /** Hidden layers in the network (in a block network's trace: hidden dense layers, the ones in `chain`). */
    hiddenLayers: number;
    /**
     * Only in a block network's diagnosis: the trace rows of its hidden dense layers in forward
     * order, along which "first hidden" and "last hidden" are meant (a dense network's are rows
     * 0 … hiddenLayers − 1).
     */
    chain?: number[];
    /**
     * Only in a block network's diagnosis whose chain crosses batch- or layer-norm rows: those rows.
     * A norm layer divides δ by its input's spread, so the layers before it are scale-invariant and
     * their δ follows their weights' scale; the gap is then read from normalisedGap instead of
     * deltaFirstToLast.
     */
    normalisedBy?: number[];
    /**
     * Only when the run's batches held BATCH_NORM_BLOCKING_ROWS (2) rows: the batch-norm rows of
     * normalisedBy, which then pass (almost) no gradient to their input, so the batch size, not the
     * activation, is what a vanishing gradient comes from (TraceRun.batchSize).
     */
    batchNormBlocking?: number[];
    /** Beside normalisedBy: ‖∂C/∂W‖/‖W‖ of the first hidden layer over the last hidden layer's. */
    relativeGradientFirstToLast?: FirstToLast;
    /**
     * Beside normalisedBy: the gap's measure there, the gap deltaFirstToLast and
     * relativeGradientFirstToLast agree on (each of first, last, median: where both lie on the same
     * side of 1, the one nearer 1; NaN where they point opposite ways). Neither alone decides: δ before a
     * norm follows its own weights' scale, the relative gradient each layer's fan-in.
     */
    normalisedGap?: FirstToLast;
    /** Trace records read. */
    records: number;
    /**
     * Per-example RMS ‖δ‖ of the first hidden layer over the last hidden layer's: the verdict's
     * measure, since the chain rule and its σ' ≤ 1/4 bound are about each example's δ, and
     * cancellation between examples cannot lower it.
     */
    deltaFirstToLast: FirstToLast;
    /**
     * ‖∂C/∂b‖ of the first hidden layer over the last hidden layer's: how much slower the first layer
     * learns (Nielsen's measure). NaN where a batch norm cancels either one's bias (biasesCancelledByBatchNorm:
     * its gradient is 0 up to rounding, no speed of learning).
     */
    firstToLast: FirstToLast;
    /** log10(last/first) of deltaFirstToLast: negative means the gap between the layers widened during training. */
    trendDecades: number;
    /**
     * The shrink (< 1) or growth per layer of one example's δ on its way back from the last hidden
     * layer to the first, at the records the decisive gap is read from (the first record, or the
     * median over the records: the summary says which): deltaFirstToLast there to the power
     * 1/(hiddenLayers − 1), the geometric mean of the measured chain factors of those links, whose
     * product it is. NaN without two hidden layers or where a link has no measured factor (a
     * residual block between two of them).
     */
    meanChainFactor: number;
    /** ‖∂C/∂b‖ of the last hidden layer at the last record over the first: below GRADIENT_FADED where the gradient faded over training time (NaN where a batch norm cancels its bias, as firstToLast). */
    lastHiddenChange: number;
    /** The same for its per-example RMS ‖δ‖: when it fell far less, the batch gradient fell by cancellation. */
    lastHiddenDeltaChange: number;
    /** The curvature where the run ended, when the caller measured it (diagnose's options). */
    curvature?: CurvatureEvidence;
    /**
     * Where the run stands: converged, on a plateau, still learning, its loss rising or overfitting
     * (flow/training-progress.ts), read from the per-epoch losses where the trace holds two epochs or
     * more, else from its batches' loss and accuracy; absent with too little to tell (fewer than 2
     * epochs and fewer than 4 records).
     */
    training?: TrainingProgress;
    /** Median over the records of ‖ΔW‖/‖W‖ (the step taken) of the first hidden layer over the last hidden layer's. */
    updateFirstToLast: number;
    /** The same for ‖∂C/∂W‖/‖W‖: the relative steps plain gradient descent would have taken. */
    gradientFirstToLast: number;
    /**
     * The gradient vanishes or explodes and the optimiser evens the steps out: plain gradient steps
     * would differ more than 4× between the first and the last hidden layer (gradientFirstToLast),
     * the steps taken differ less (updateFirstToLast), as Adam, LARS, second-order methods and
     * per-layer rates do.
     */
    compensated: boolean;
    /**
     * Median over the records of λ·‖W‖/‖∂C/∂W‖ of the first hidden layer, for a run with L2 weight
     * decay λ (TraceRun.weightDecay; not AdamW's decoupled decay): above 1, the decay's pull on that
     * layer outweighs its gradient, so its steps are mostly the decay's. NaN without L2 decay.
     */
    decayToGradient: number;
    /**
     * As compensated, but the first hidden layer's steps are mostly L2 weight decay's
     * (decayToGradient > 1): the decay shrinks every layer's weights by the same fraction each
     * step, which evens ‖ΔW‖/‖W‖ out whatever the gradients do, so the optimiser is not credited.
     */
    evenedByDecay: boolean;
    /** Per weight layer, first first. */
    layers: LayerEvidence[];
    /** Hidden layers of sigmoid, tanh or softsign units of which more than SATURATED_LAYER are saturated (median over records). */
    saturatedLayers: number[];
    /** Hidden relu-family layers of which more than DEAD_LAYER of the units are dead (median over records): the dead verdict's. */
    deadLayers: number[];
    /** Hidden relu-family layers of which at least DEAD_UNITS of the units are dead (median over records), deadLayers among them: each gets the dead units' remedies. */
    layersWithDeadUnits: number[];
    /** Whether a recorded gradient or weight norm was NaN or Inf. */
    nonFinite: boolean;
    /**
     * The decisive gap is a mild exploding one (EXPLODING_RATIO up to 1/SEVERE_RATIO) that opened
     * while the network learnt (see grewWhileLearning): said as a note beside a healthy verdict, no
     * fault to fix. False otherwise: a severe gap, Inf or NaN values, a gap the first record had, or a
     * run that did not train well stays exploding.
     */
    grewWhileLearning: boolean;
    /**
     * Only where a per-layer-rates remedy is offered: its multipliers as computed (the remedy's option
     * prints them to 3 significant digits), one per weight layer, by equalisingRates
     * (src/equalising-rates.ts), the rule equalisingLayerRates applies to a network on probe rows.
     */
    layerRates?: number[];
  };
  /** What to change, by gradscope's option names (remedyText says them in a printer's terms), and why: most pointed-to first, nothing the run already uses. */
  remedies: Remedy[];
  /**
   * Only on a healthy verdict that no measurement of the gradient flow decided: no gap between the
   * chain's ends could be read (0 ÷ 0 or not a number in every record), so the summary heads "No
   * fault found in the gradient flow" and says it cannot tell. Printers show it as undecided
   * (verdictHeading), not as healthy. Absent otherwise.
   */
  undecided?: true;
}

/** The verdict as a diagnosis's heading shows it: 'VANISHING', 'HEALTHY', or 'NO FAULT FOUND' where nothing measured decided it (Diagnosis.undecided). */
export function verdictHeading(d: Pick<Diagnosis, 'verdict' | 'undecided'>): string {
  return d.undecided ? 'NO FAULT FOUND' : d.verdict.toUpperCase();
}

/** The verdict with its severity, as tables show it: 'vanishing (mild)', 'healthy'. */
export function verdictLabel(d: Pick<Diagnosis, 'verdict' | 'severity'>): string {
  return d.severity ? `${d.verdict} (${d.severity})` : d.verdict;
}

type Evidence = Diagnosis['evidence'];

/** Whether a measured ratio or factor can be read: > 0 and finite (a 0 ÷ 0 is NaN, an x ÷ 0 Infinity). */
const positiveFinite = (v: number) => v > 0 && Number.isFinite(v);
const fmt = (v: number) => (v === 0 ? '0' : Math.abs(v) >= 0.01 && Math.abs(v) < 1000 ? v.toPrecision(3) : v.toExponential(2));
const percent = (v: number) => `${Math.round(100 * v)} %`;
const layerList = (layers: number[]) => `${layers.length > 1 ? 'layers' : 'layer'} ${numberRanges(layers.map((l) => l + 1))}`;
/** Rows named for a sentence: 'hidden layers 1, 2' or 'hidden layers 2–10' (numberRanges) in a dense network's trace, "layers '3' (activation), '5.branch.0' (dense)" in a block network's. */
const rowList = (trace: Trace, rows: number[]) =>
  trace.blocks ? `${rows.length > 1 ? 'layers' : 'layer'} ${rows.map((l) => `'${trace.blocks!.layers[l].name}' (${trace.blocks!.layers[l].type})`).join(', ')}` : `hidden ${layerList(rows)}`;

/**
 * The hidden weight layers the gradient's gap is measured along, as trace rows in forward order:
 * every row but the output in a dense network's trace; the dense rows but the last row in a block
 * network's (its norm, activation and ReZero rows carry no δ = ∂C/∂z of a weight layer).
 */
export function hiddenChain(trace: Trace): number[] {
  const hidden = Array.from({ length: Math.max(0, trace.layers - 1) }, (_, l) => l);
  if (!trace.blocks) return hidden;
  // A ReZero branch's gradient is α times the block's (α starts at 0): its gap to the first layer measures the gate, not the chain.
  const gated = trace.blocks.residuals.filter((b) => b.gate === 'rezero').map((b) => `${b.name}.branch.`);
  const layers = trace.blocks.layers;
  return hidden.filter((l) => layers[l].type === 'dense' && !gated.some((prefix) => layers[l].name.startsWith(prefix)));
}

/** How many hidden dense rows the chain (hiddenChain, `chainLength` rows) leaves out because they sit in ReZero branches (0 in a dense network's trace). */
function gatedBranchLayers(trace: Trace, chainLength: number): number {
  if (!trace.blocks) return 0;
  const dense = trace.blocks.layers.slice(0, Math.max(0, trace.layers - 1)).filter((l) => l.type === 'dense').length;
  return dense - chainLength;
}

/** The batch- and layer-norm rows between the chain's ends (none in a dense network's trace). */
function normRows(trace: Trace, chain: number[]): number[] {
  if (!trace.blocks || chain.length < 2) return [];
  const type = (l: number) => trace.blocks!.layers[l].type;
  const first = chain[0];
  return Array.from({ length: chain[chain.length - 1] - first }, (_, i) => first + i).filter((l) => type(l) === 'batch-norm' || type(l) === 'layer-norm');
}

/**
 * diagnose() reads a Trace: net.trace after train(x, y, { trace: { every: k } }). net.trace is
 * undefined before a traced run and after an untraced one that moved the weights, and a saved trace is plain JSON until
 * Trace.fromJSON reads it back: each gets an INVALID_OPTION that says what to pass instead.
 */
function checkTrace(trace: unknown): asserts trace is Trace {
  if (trace instanceof Trace) return;
  const traced =
    'net.trace is set by a traced run (and unset when the weights change without one: an untraced train(), initLsuv, loadState): ' +
    'train with net.train(x, y, { trace: { every: 10 } }), then call diagnose(net.trace)';
  if (trace === undefined || trace === null) throw invalidOption(`diagnose(trace): trace is ${trace}; ${traced}`);
  if (typeof trace === 'object' && 'metrics' in trace && 'steps' in trace) {
    throw invalidOption('diagnose(trace): got a saved trace (plain JSON, as trace.toJSON() writes it); read it back with Trace.fromJSON(json) first');
  }
  const got = typeof trace === 'object' && !Array.isArray(trace) ? 'an object that is not one' : shown(trace);
  throw invalidOption(`diagnose(trace): expected a Trace, got ${got}; ${traced}`);
}

/**
 * The trace's diagnosis; `curvature`, when given, adds whether the run ended at a saddle or a minimum
 * (flow/curvature-evidence.ts). The evidence is read over all records (medians) and at the first and
 * the last; the per-layer rates a vanishing SGD run is offered, as the median over the last
 * LAYER_RATE_RECORDS records of each record's equalisingRates (the rule of equalisingLayerRates).
 */
export function diagnose(trace: Trace, options: { curvature?: CurvatureEvidence } = {}): Diagnosis {
  checkTrace(trace);
  checkKnownKeys(options, ['curvature'], 'diagnose(trace, options)');
  const L = trace.layers;
  const chain = hiddenChain(trace);
  const hidden = chain.length;
  const records = trace.length;
  const series = (metric: LayerMetric, l: number) => (records === 0 ? [] : Array.from(trace.series(metric, l)));
  const firstHidden = chain[0] ?? 0;
  const lastHidden = chain[chain.length - 1] ?? 0;
  const ratioSeries = (metric: LayerMetric, per?: LayerMetric) => {
    const at = (r: number, l: number) => trace.at(metric, r, l) / (per ? trace.at(per, r, l) : 1);
    return Array.from({ length: records }, (_, r) => at(r, firstHidden) / at(r, lastHidden));
  };
  const firstLastMedian = (values: number[]): FirstToLast => ({ first: values[0] ?? NaN, last: values[records - 1] ?? NaN, median: median(values) });
  const change = (metric: LayerMetric) => (records === 0 ? NaN : trace.at(metric, records - 1, lastHidden) / trace.at(metric, 0, lastHidden));

  const bounded = trace.lastRefreshed() !== undefined;
  const layers: LayerEvidence[] = Array.from({ length: L }, (_, l) => {
    const bounds = series('chainBound', l);
    const factors = series('chainFactor', l).filter((_, r) => !bounded || !Number.isNaN(bounds[r]));
    return {
      layer: l,
      activation: trace.activations[l],
      biasGradNorm: median(series('biasGradNorm', l)),
      ratioToLast: NaN,
      ratioToLastAtStart: records === 0 ? NaN : trace.at('biasGradNorm', 0, l) / trace.at('biasGradNorm', 0, lastHidden),
      deltaRms: median(series('deltaRms', l)),
      chainFactor: median(factors),
      chainBound: median(bounds),
      saturatedFraction: median(series('saturatedFraction', l)),
      inactiveFraction: median(series('inactiveFraction', l)),
      deadFraction: median(series('deadFraction', l)),
      updateRatio: median(series('updateRatio', l)),
    };
  });
  layers.forEach((e) => (e.ratioToLast = e.biasGradNorm / layers[lastHidden].biasGradNorm));

  const deltaFirstToLast = firstLastMedian(ratioSeries('deltaRms'));
  const cancelled = biasesCancelledByBatchNorm(trace);
  const biasCancelled = (l: number) => cancelled.includes(l);
  const normalisedBy = normRows(trace, chain);
  const batchNormBlocking = (trace.run.batchSize ?? Infinity) <= BATCH_NORM_BLOCKING_ROWS ? normalisedBy.filter((l) => trace.blocks!.layers[l].type === 'batch-norm') : [];
  // The links first hidden → … → last hidden: each chain factor is a layer's δ over the next one's, so where every link is measured they multiply to the per-example gap.
  const links = chain.slice(0, -1);
  const linksMeasured = links.every((l) => series('chainFactor', l).some((f) => !Number.isNaN(f)));
  // Every row but the output's can hold saturated or dead units (rows without an activation have none).
  const hiddenEvidence = layers.slice(0, L - 1);
  let nonFinite = false;
  for (const metric of ['weightGradNorm', 'biasGradNorm', 'weightNorm'] as const) {
    const values = trace.metric(metric);
    if (records > 0 && !values.every((v, i) => Number.isFinite(v) || !trace.recordsMetric(metric, i % L))) nonFinite = true;
  }
  const updateFirstToLast = median(ratioSeries('updateRatio'));
  const gradientFirstToLast = median(ratioSeries('weightGradNorm', 'weightNorm'));
  // AdamW's decay is decoupled: it shrinks W beside Adam's normalised step rather than adding to the gradient.
  const l2 = trace.run.optimizer === 'adamw' ? undefined : trace.run.weightDecay;
  const decayToGradient =
    l2 === undefined ? NaN : median(Array.from({ length: records }, (_, r) => (l2 * trace.at('weightNorm', r, firstHidden)) / trace.at('weightGradNorm', r, firstHidden)));
  const evidence: Evidence = {
    hiddenLayers: hidden,
    ...(trace.blocks && { chain }),
    ...(normalisedBy.length && { normalisedBy, relativeGradientFirstToLast: firstLastMedian(ratioSeries('weightGradNorm', 'weightNorm')) }),
    ...(batchNormBlocking.length && { batchNormBlocking }),
    records,
    deltaFirstToLast,
    firstToLast: biasCancelled(firstHidden) || biasCancelled(lastHidden) ? { first: NaN, last: NaN, median: NaN } : firstLastMedian(ratioSeries('biasGradNorm')),
    trendDecades: Math.log10(deltaFirstToLast.last / deltaFirstToLast.first),
    meanChainFactor: NaN,
    lastHiddenChange: biasCancelled(lastHidden) ? NaN : change('biasGradNorm'),
    lastHiddenDeltaChange: change('deltaRms'),
    updateFirstToLast,
    gradientFirstToLast,
    compensated: false,
    decayToGradient,
    evenedByDecay: false,
    layers,
    saturatedLayers: hiddenEvidence.filter((e) => e.saturatedFraction > SATURATED_LAYER).map((e) => e.layer),
    deadLayers: hiddenEvidence.filter((e) => e.deadFraction > DEAD_LAYER).map((e) => e.layer),
    layersWithDeadUnits: hiddenEvidence.filter((e) => e.deadFraction >= DEAD_UNITS).map((e) => e.layer),
    nonFinite,
    grewWhileLearning: false,
  };

  if (evidence.relativeGradientFirstToLast) evidence.normalisedGap = agreedGap(deltaFirstToLast, evidence.relativeGradientFirstToLast);
  const gap = decisiveGap(evidence);
  if (links.length && linksMeasured && Number.isFinite(gap)) {
    evidence.meanChainFactor = (gap === gapMeasure(evidence).first ? deltaFirstToLast.first : deltaFirstToLast.median) ** (1 / links.length);
  }
  const training = trainingProgress(trace);
  if (training) evidence.training = training;
  evidence.grewWhileLearning = grewWhileLearning(gap, evidence);
  const verdict: Verdict = nonFinite
    ? 'exploding'
    : evidence.deadLayers.length
      ? 'dead'
      : gap >= EXPLODING_RATIO && !evidence.grewWhileLearning
        ? 'exploding'
        : evidence.saturatedLayers.length
          ? 'saturated'
          : gap <= VANISHING_RATIO
            ? 'vanishing'
            : training?.state === 'rising'
              ? 'loss-rising'
              : training?.state === 'overfitting'
                ? 'overfitting'
                : 'healthy';
  const severity: Severity | undefined = verdict === 'vanishing' || verdict === 'exploding' ? (nonFinite ? 'severe' : gapSeverity(gap)) : undefined;
  const evened = (verdict === 'vanishing' || verdict === 'exploding') && !nonFinite && even(updateFirstToLast) && !even(gradientFirstToLast);
  evidence.evenedByDecay = evened && decayToGradient > 1;
  evidence.compensated = evened && !evidence.evenedByDecay;
  if (options.curvature) evidence.curvature = options.curvature;
  const diagnosis: Diagnosis = { verdict, summary: summarise(verdict, severity, evidence, trace), evidence, remedies: remediesFor(verdict, trace, evidence) };
  if (options.curvature) diagnosis.summary += ` ${curvatureSentence(options.curvature)}`;
  if (severity) diagnosis.severity = severity;
  if (verdict === 'healthy' && flowUnread(evidence)) diagnosis.undecided = true;
  return diagnosis;
}

/** No gap read along the chain (0 ÷ 0 or NaN in every record; 0 and Inf are read, noGradientSentence): no fault found there, which is not a healthy flow measured. */
function flowUnread(e: Evidence): boolean {
  const gap = decisiveGap(e);
  return e.hiddenLayers >= 2 && !e.normalisedBy && !positiveFinite(gap) && gap !== 0 && gap !== Infinity;
}

/**
 * Beside a dead verdict, the side of the thresholds a measured gap lies on (vanishing or exploding),
 * or undefined: dead units decide the verdict, but such a gap is a finding of its own (the live
 * units' gradient vanishes or explodes too), said in the summary and remedied after the dead units.
 */
function alsoGap(verdict: Verdict, e: Evidence): 'vanishing' | 'exploding' | undefined {
  const gap = decisiveGap(e);
  return verdict === 'dead' && positiveFinite(gap) && !e.grewWhileLearning ? gapSide(gap) : undefined;
}

/**
 * A run that trains well: its training loss at the end (TrainingProgress.lossEnd) at most this
 * fraction of the first step's batch loss, and not rising, overfitting or unclear, nor at chance.
 * Measured (2026-12-01): the visualizer's relu/he network on the spirals ended at 0.18 of its start
 * at 97.5 % of its test points (seed 1), [784, 3 × 30, 10] tanh and relu networks on 5,000 digits
 * at 0.08–0.13 of it (82–93 %).
 */
export const TRAINED_LOSS_FRACTION = 0.5;

/**
 * Whether a mild exploding gap (`gap` from EXPLODING_RATIO up to 1/SEVERE_RATIO) opened while the
 * network learnt, no fault to fix: the first record's gap within 1/4–4× (the weights it started from
 * passed the gradient on evenly), no Inf or NaN, and a run that trains well (TRAINED_LOSS_FRACTION).
 * Measured (2026-12-01, SGD): relu/he on the spirals (6 × 16, seeds 1–3) reached 95.0–97.5 % of its test points with its gap
 * 0.96–2.2× at the first record and 3.5–5.7× over the records (seed 1's 5.67× read EXPLODING (mild)); networks whose large initial weights explode
 * (relu N(0, 0.3²), tanh N(0, 0.4²), [784, 10 × 32, 10]) had theirs at the first record (4.5–7.3×),
 * and their gaps stay flagged.
 */
function grewWhileLearning(gap: number, e: Evidence): boolean {
  const p = e.training;
  if (e.nonFinite || !(gap >= EXPLODING_RATIO && gap < 1 / SEVERE_RATIO) || !even(gapMeasure(e).first) || !p) return false;
  const trains = p.state === 'learning' || p.state === 'converged' || p.state === 'plateau';
  return trains && p.lossEnd <= TRAINED_LOSS_FRACTION * p.lossStart && !atChance(p);
}

/** A vanishing or exploding gap's severity: severe at or past SEVERE_RATIO (or 1/SEVERE_RATIO), else mild. */
const gapSeverity = (gap: number): Severity => (gap <= SEVERE_RATIO || gap >= 1 / SEVERE_RATIO ? 'severe' : 'mild');
/** Which side of the thresholds a first-to-last gap lies: vanishing (≤ VANISHING_RATIO), exploding (≥ EXPLODING_RATIO), or neither. */
const gapSide = (gap: number): 'vanishing' | 'exploding' | undefined => (gap <= VANISHING_RATIO ? 'vanishing' : gap >= EXPLODING_RATIO ? 'exploding' : undefined);

/**
 * The per-example gap that decides vanishing or exploding: of the first record's and the median,
 * the one further from 1 (a gap that closes later, often on a plateau where every gradient has
 * fallen, does not undo the slow start of the first layers). NaN without two hidden layers, or
 * where neither can be read.
 */
function decisiveGap(e: Evidence): number {
  if (e.hiddenLayers < 2) return NaN;
  const { first, median: mid } = gapMeasure(e);
  // A ratio of 0 or Inf at the first record is one batch with no gradient at one end (dead units, which their verdict reads), not a gap; in
  // the median record, one end had none over most of the run: the widest gap there is (|log| infinite), said as such (noGradientSentence).
  if (!positiveFinite(first)) return mid;
  if (Number.isNaN(mid)) return first;
  return Math.abs(Math.log(first)) >= Math.abs(Math.log(mid)) ? first : mid;
}

/** The ratio the gap is read from: per-example δ, or across norm layers the gap δ and ‖∂C/∂W‖/‖W‖ agree on (see agreedGap). */
const gapMeasure = (e: Evidence): FirstToLast => e.normalisedGap ?? e.deltaFirstToLast;

/**
 * Of two first-to-last ratios, the gap both support: where they lie on the same side of 1, the one
 * nearer 1; where they point opposite ways (or either is 0, Inf or NaN), none (NaN).
 */
function agreedRatio(a: number, b: number): number {
  if (!(positiveFinite(a) && positiveFinite(b))) return NaN;
  const [la, lb] = [Math.log(a), Math.log(b)];
  if (la * lb < 0) return NaN;
  return Math.abs(la) <= Math.abs(lb) ? a : b;
}

/**
 * Across norm rows, the gap per-example δ and the relative gradient ‖∂C/∂W‖/‖W‖ agree on, at the
 * first record and over the records (agreedRatio). Neither alone means what the thresholds ask: a
 * norm divides δ by its input's spread, so a layer's δ follows its own weights' scale, and the
 * relative gradient follows each layer's fan-in and weight scale (on [784, 8 × (dense 30, batch norm,
 * sigmoid), 10] it read 6.17× with 'standard' weights, 3.12× with 'glorot-uniform', the same
 * function, while δ read 1.02× and 0.72×). A gap both show is one the chain and the learning speed share.
 */
function agreedGap(delta: FirstToLast, relative: FirstToLast): FirstToLast {
  return { first: agreedRatio(delta.first, relative.first), last: agreedRatio(delta.last, relative.last), median: agreedRatio(delta.median, relative.median) };
}

/** How the summary names the ends of the hidden chain: 'first hidden layer', or in a block network "first hidden dense layer ('0')". */
interface ChainEnds {
  first: string;
  last: string;
}

function chainEnds(trace: Trace, e: Evidence): ChainEnds {
  if (!trace.blocks || !e.chain?.length) return { first: 'first hidden layer', last: 'last hidden layer' };
  const name = (l: number) => trace.blocks!.layers[l].name;
  return { first: `first hidden dense layer ('${name(e.chain[0])}')`, last: `last hidden dense layer ('${name(e.chain[e.chain.length - 1])}')` };
}

function summarise(verdict: Verdict, severity: Severity | undefined, e: Evidence, trace: Trace): string {
  if (e.records === 0) return 'The trace is empty: train with { trace: { every: k } } to record one.';
  const run = trace.run;
  const ends = chainEnds(trace, e);
  const gap = decisiveGap(e);
  const gapUnread = flowUnread(e);
  const head: Record<Verdict, string> = {
    vanishing: `Vanishing gradients (${severity}): `,
    exploding: `Exploding gradients (${severity}): `,
    dead: 'Dead units: ',
    saturated: 'Saturated units: ',
    'loss-rising': 'Loss rising: ',
    overfitting: 'Overfitting: ',
    healthy: gapUnread ? 'No fault found in the gradient flow: ' : 'Healthy gradient flow: ',
  };
  const parts: string[] = [];
  // These two verdicts are the loss's, not the gradient flow's: its sentence comes first, the flow's evidence after it.
  const lossVerdict = verdict === 'loss-rising' || verdict === 'overfitting';
  if (lossVerdict && e.training) parts.push(progressSentence(e.training, verdict, e, ends, trace));
  const flowFine = lossVerdict ? 'the gradient flow itself shows no fault: ' : '';
  if (verdict === 'dead') parts.push(deadSentence(e, trace, e.deadLayers));
  if (verdict === 'saturated') parts.push(saturatedSentence(e, trace));
  if (e.hiddenLayers < 2) {
    const gated = gatedBranchLayers(trace, e.hiddenLayers);
    const offChain = gated > 0 ? ` on the chain (the ${gated} dense layer${gated === 1 ? '' : 's'} in ReZero branches ${gated === 1 ? 'is' : 'are'} off it: a branch's gradient is α times its block's, and the skips carry the gradient past it)` : '';
    parts.push(`${flowFine}with ${e.hiddenLayers} hidden layer${e.hiddenLayers === 1 ? '' : 's'}${offChain} there is no chain of hidden layers for the gradient to vanish or explode along.`);
  } else if (verdict !== 'dead' && (positiveFinite(gap) || e.normalisedBy)) {
    parts.push(flowFine + gapSentence(gap, e, ends, trace));
    if (verdict === 'vanishing' && e.batchNormBlocking) parts.push(batchNormBlockingSentence(e.batchNormBlocking, trace));
    const trend = trendSentence(e, ends);
    if (trend) parts.push(trend);
    if (e.grewWhileLearning) parts.push(learntGapSentence(gap, e));
  } else if (verdict !== 'dead' && (gap === 0 || gap === Infinity)) {
    parts.push(flowFine + noGradientSentence(gap, e, ends));
  } else if (verdict !== 'dead' && gapUnread) {
    parts.push(
      `${flowFine}no gap between the ${ends.first} and the ${ends.last} could be read: the ratio of their per-example δ was 0 ÷ 0 (no gradient at either end) or not a number in every record, ` +
        'so whether the gradient vanishes or explodes along the chain this trace cannot tell.',
    );
  } else if (alsoGap(verdict, e)) {
    parts.push(`also ${alsoGap(verdict, e)} gradients (${gapSeverity(gap)}): ${gapSentence(gap, e, ends, trace)}`);
    const trend = trendSentence(e, ends);
    if (trend) parts.push(trend);
  }
  if (e.training && !lossVerdict) parts.push(progressSentence(e.training, verdict, e, ends, trace));
  if (e.compensated) {
    parts.push(
      `The optimiser${run.optimizer ? ` (${run.optimizer}${run.layerRates ? ' with per-layer rates' : ''})` : ''} compensates: ` +
        `the ${ends.first}'s steps relative to its weights (‖ΔW‖/‖W‖) are ${fmt(e.updateFirstToLast)}× the ${ends.last}'s (median), ` +
        'about even, so every layer still takes steps of a similar size despite the gap in its gradient.',
    );
  }
  if (e.evenedByDecay) {
    parts.push(
      `the ${ends.first}'s steps relative to its weights (‖ΔW‖/‖W‖) are ${fmt(e.updateFirstToLast)}× the ${ends.last}'s (median), about even, ` +
        `but by the weight decay, not the optimiser: L2 decay (λ = ${fmt(run.weightDecay!)}) shrinks every layer's weights by the same fraction each step, ` +
        `and in the ${ends.first} its pull λ·‖W‖ is ${fmt(e.decayToGradient)}× the gradient ‖∂C/∂W‖ (median), so that layer's steps are mostly the decay's and the gap in its gradient stays uncompensated.`,
    );
  }
  // The verdict is the first finding that holds (docs/gradient-flow.md, "The diagnosis"); the later ones the evidence also holds are named after it.
  if (verdict !== 'dead' && e.layersWithDeadUnits.length) parts.push(`also dead units: ${deadSentence(e, trace, e.layersWithDeadUnits)}`);
  if (verdict !== 'saturated' && e.saturatedLayers.length) parts.push(`also saturated units: ${saturatedSentence(e, trace)}`);
  if (e.nonFinite) parts.push('Some gradients or weights became Inf or NaN.');
  return head[verdict] + parts.map((p, i) => (i === 0 ? p : p[0].toUpperCase() + p.slice(1))).join(' ');
}

/** 'a, b and c' (one item alone, two joined by 'and'). */
const andList = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/**
 * Each row's share of `what`, the share beside its row ("80 % of the units in hidden layer 9 and 97 %
 * in hidden layer 10"), so that no reader has to pair a list of layers with a list of percentages.
 */
function sharesByRow(trace: Trace, rows: number[], shares: number[], what: string): string {
  return andList(rows.map((l, i) => `${percent(shares[i])}${i === 0 ? ` of ${what}` : ''} in ${rowList(trace, [l])}`));
}

function deadSentence(e: Evidence, trace: Trace, dead: number[]): string {
  const shares = sharesByRow(trace, dead, dead.map((l) => e.layers[l].deadFraction), 'the units');
  const leaky = dead.every((l) => e.layers[l].activation === 'leaky-relu');
  return (
    `${shares} have z ≤ 0 on every row of the batch (${medianOverRecords(e)}). ` +
    (leaky
      ? `Such a leaky-relu unit passes back only its leak, ${LEAKY_RELU_SLOPE} of the gradient, so it and the layers below it learn ${1 / LEAKY_RELU_SLOPE}× slower through it.`
      : 'A dead relu unit outputs 0 and passes no gradient back, so it cannot learn its way out, and the layers below it get no gradient through it.')
  );
}

/** The saturated fraction of each of evidence.saturatedLayers at the first record. */
const saturationAtStart = (trace: Trace, e: Evidence) => e.saturatedLayers.map((l) => trace.at('saturatedFraction', 0, l));
/** No saturated layer was saturated at the first record (saturationAtStart): training took the units there. */
const saturatedLater = (atStart: number[]) => atStart.every((f) => f <= SATURATED_LAYER);

function saturatedSentence(e: Evidence, trace: Trace): string {
  const shares = sharesByRow(trace, e.saturatedLayers, e.saturatedLayers.map((l) => e.layers[l].saturatedFraction), 'the activations');
  const atStart = saturationAtStart(trace, e);
  return (
    `${shares} are within ${SATURATION_MARGIN} of their limits (${medianOverRecords(e)}), ` +
    "where σ'(z) ≈ 0: those units pass almost no gradient back, and learn slowly themselves." +
    (saturatedLater(atStart) ? ` They saturated during training: at the first record ${sharesByRow(trace, e.saturatedLayers, atStart, 'them')} were.` : '')
  );
}

/** Why batch norm over BATCH_NORM_BLOCKING_ROWS rows is the cause (see there). */
function batchNormBlockingSentence(rows: number[], trace: Trace): string {
  return (
    `The cause is the batch size: the run's batches hold ${counted(trace.run.batchSize!, 'row')}, and over ${BATCH_NORM_BLOCKING_ROWS} rows batch norm in training maps each feature to x̂ = ±1 whatever its input, ` +
    `so the batch-norm ${rows.length > 1 ? 'layers' : 'layer'} ${rows.map((l) => `'${trace.blocks!.layers[l].name}'`).join(', ')} ${rows.length > 1 ? 'pass' : 'passes'} (almost) no gradient back to ${rows.length > 1 ? 'their' : 'its'} input (batch norm passes on only the part of ∂C/∂x̂ orthogonal to the ones vector and to x̂: n − 2 of the n directions of a batch of n rows).`
  );
}

/** The chain's ends (block networks only) whose bias a batch norm cancels (firstToLast is NaN then). */
function cancelledEnds(trace: Trace, e: Evidence): number[] {
  const chain = e.chain ?? [];
  const cancelled = biasesCancelledByBatchNorm(trace);
  return [...new Set([chain[0], chain[chain.length - 1]])].filter((l) => l !== undefined && cancelled.includes(l));
}

/** Which of the chain's ends have a bias a batch norm cancels (firstToLast is NaN then), as a clause. */
function cancelledEndsClause(trace: Trace, e: Evidence): string {
  const ends = cancelledEnds(trace, e);
  const one = ends.length === 1;
  return `the ‖∂C/∂b‖ of ${rowList(trace, ends)} measures no speed of learning: ${one ? 'it feeds' : 'each feeds'} a batch norm, which cancels its bias (gradient 0 up to rounding)`;
}

/** Why no ‖∂C/∂b‖ gap is read: a batch norm cancels an end's bias, or an end's ‖∂C/∂b‖ was 0 (a ratio of 0, Inf or NaN says nothing about speed). */
function unreadSpeedClause(trace: Trace, e: Evidence, ends: ChainEnds): string {
  if (cancelledEnds(trace, e).length) return cancelledEndsClause(trace, e);
  return `the ${ends.first}'s or the ${ends.last}'s ‖∂C/∂b‖ was 0 there, which gives no ratio`;
}

/** The records a median was taken over, as sentences say it: 'median over 40 records', 'median over 1 record'. */
const medianOverRecords = (e: Evidence) => `median over ${counted(e.records, 'record')}`;

/** The record(s) the decisive gap was read at, as sentences say them: 'at the first step' or 'median over 40 records'. */
const gapRecords = (gap: number, e: Evidence) => (gap === gapMeasure(e).first ? 'at the first step' : medianOverRecords(e));

/** The measured gap, per example (the verdict's measure) and per batch (speed of learning), and the chain factor behind it, all at the same record(s). */
function gapSentence(gap: number, e: Evidence, ends: ChainEnds, trace: Trace): string {
  const atFirst = gap === gapMeasure(e).first;
  const when = gapRecords(gap, e);
  const relation = timesOf(gap);
  const speed = atFirst ? e.firstToLast.first : e.firstToLast.median;
  if (e.normalisedBy) {
    const pick = (v: FirstToLast) => (atFirst ? v.first : v.median);
    const [delta, relative] = [pick(e.deltaFirstToLast), pick(e.relativeGradientFirstToLast!)];
    const read = Number.isNaN(gap)
      ? `they point opposite ways, so no gap is read`
      : `the gap read is the one both show (the nearer 1 of the two): ${fmt(gap)}×${positiveFinite(e.meanChainFactor) ? ` (δ's factor per layer, the geometric mean of the measured ones: ${fmt(e.meanChainFactor)})` : ''}`;
    const batch = !positiveFinite(speed) ? ` No ‖∂C/∂b‖ gap is read: ${unreadSpeedClause(trace, e, ends)}.` : ` The ‖∂C/∂b‖ gap is ${fmt(speed)}×.`;
    return (
      `between the ${ends.first} and the ${ends.last}, ${rowList(trace, e.normalisedBy)} divide δ by the spread of their input, so neither measure alone says how the gradient flows: ` +
      `a layer's per-example δ follows its own weights' scale, its relative gradient ‖∂C/∂W‖/‖W‖ its fan-in and weights' scale. ` +
      `The ${ends.first}'s δ is ${fmt(delta)}× the last's and its relative gradient ${fmt(relative)}× (${when}); ${read}.${batch}`
    );
  }
  const learns = speed < 0.5 ? `${fmt(1 / speed)}× slower than` : speed > 2 ? `${fmt(speed)}× faster than` : `at ${fmt(speed)}× the speed of`;
  const links = e.hiddenLayers - 1;
  const chain = positiveFinite(e.meanChainFactor)
    ? `: a factor of ${fmt(e.meanChainFactor)} per layer on its way back through ${links} layer${links === 1 ? '' : 's'} ` +
      `(σ'(z)·W, the chain rule; the geometric mean of the measured factors, whose product is the gap, ${when})`
    : '';
  const batch = !positiveFinite(speed)
    ? `No batch-gradient gap is read: ${unreadSpeedClause(trace, e, ends)}.`
    : `The batch gradient ‖∂C/∂b‖, which the update uses, says the ${ends.first} learns ${learns} the last (${when}).`;
  return `one example's gradient δ at the ${ends.first} is ${relation} the ${ends.last}'s (RMS over the batch, ${when}; the chain rule acts on each example's δ)${chain}. ${batch}`;
}

/** Why a gap that grew while the network learnt (evidence.grewWhileLearning) is no fault: the measures that say so. */
function learntGapSentence(gap: number, e: Evidence): string {
  const p = e.training!;
  return (
    `Early layers get larger gradients (${fmt(gap)}×, ${gapRecords(gap, e)}), and training is healthy: the gap opened as the network learnt ` +
    `(${fmt(gapMeasure(e).first)}× at the first step), its training loss ended at ${percent(p.lossEnd / p.lossStart)} of the first step's batch's (${fmt(p.lossStart)} → ${fmt(p.lossEnd)}), ` +
    `and the gap is short of the ${1 / SEVERE_RATIO}× this diagnosis calls severe: no fault to fix.`
  );
}

/**
 * The gap of 0 or Inf that decided (decisiveGap): one end of the chain had a per-example δ of 0 at
 * the record(s) read and the other did not, so no ratio or factor per layer can be stated; the
 * sentence says which end got no gradient.
 */
function noGradientSentence(gap: number, e: Evidence, ends: ChainEnds): string {
  const when = gap === gapMeasure(e).first ? 'at the first step' : `${medianOverRecords(e)} of its ratio to the other's`;
  const [none, other] = gap === 0 ? [ends.first, ends.last] : [ends.last, ends.first];
  return `one example's gradient δ at the ${none} was 0 while the ${other}'s was not (RMS over the batch, ${when}): no gradient reached the ${none}${gap === 0 ? ', so its weights did not learn' : ''}.`;
}

/** A first-to-last ratio as the sentences say it: '6.47×' for a gap of 6.47, '1/4.06e+6 of' for one below 1/2. */
const timesOf = (ratio: number) => (ratio < 0.5 ? `1/${fmt(1 / ratio)} of` : `${fmt(ratio)}×`);

/** Within this many decades (2×) of its start the per-example gap "stayed about the same". */
const TREND_DECADES = 0.3;

/**
 * How the per-example gap moved from the first record to the last, both stated: narrowed where the
 * last is nearer 1 than the first (in log terms, on the same side of 1), widened where it is
 * further, and where it crossed 1 from one side to the other, each end named by its side of the
 * thresholds (exploding at the start, vanishing at the end: the first layers' gradient went from
 * larger to smaller than the last's). A ratio above 1 that grows is a gap widening, not narrowing.
 */
function trendSentence(e: Evidence, ends: ChainEnds): string {
  // One record (one traced batch, or a network not trained yet) says nothing about how the gap moved.
  if (e.records < 2 || !Number.isFinite(e.trendDecades)) return '';
  const { first, last } = e.deltaFirstToLast;
  const [fromLog, toLog] = [Math.log10(first), Math.log10(last)];
  // The second ratio refers back to the last hidden layer's δ: '10.0×', '1/4.06e+6 of it'.
  const again = (ratio: number) => (ratio < 0.5 ? `${timesOf(ratio)} it` : timesOf(ratio));
  // Across norm rows δ alone is not the verdict's measure (agreedGap): its ends are not marked by the thresholds there.
  // Nor where the gap grew while the network learnt (evidence.grewWhileLearning): no fault, so no verdict's name.
  const sideOf = (ratio: number) => (gapSide(ratio) && !e.normalisedBy && !e.grewWhileLearning ? ` (${gapSide(ratio)})` : '');
  const stated = `the ${ends.first}'s δ was ${timesOf(first)} the ${ends.last}'s at the first step${sideOf(first)} and ${again(last)} at the last record${sideOf(last)}`;
  const moved =
    Math.abs(e.trendDecades) < TREND_DECADES
      ? 'stayed about the same'
      : fromLog * toLog < 0
        ? 'crossed over'
        : `${Math.abs(toLog) < Math.abs(fromLog) ? 'narrowed' : 'widened'} ${fmt(10 ** Math.abs(e.trendDecades))}×`;
  const trend = `The per-example gap ${moved} during training: ${stated}`;
  if (!faded(e)) return `${trend}.`;
  // Each example's δ may have fallen less than the batch gradient, or not at all: said as the change it is.
  const deltaChange = e.lastHiddenDeltaChange;
  const deltaMoved = deltaChange < 1 ? `fell only ${fmt(1 / deltaChange)}×` : `did not fall (it ended at ${fmt(deltaChange)}× its start)`;
  const cancellation = deltaChange > CANCELLATION * e.lastHiddenChange ? `, while each example's δ there ${deltaMoved}: the examples' gradients cancel in the batch` : '';
  return `${trend}; the ${ends.last}'s ‖∂C/∂b‖ fell ${fmt(1 / e.lastHiddenChange)}×${cancellation}.`;
}

/**
 * Why the gradient did not fade over training time, in words that hold for the ratio measured: a
 * ratio of the last hidden layer's ‖∂C/∂b‖ (or, where a batch norm cancels that bias, its per-example
 * ‖δ‖) at the last record over the first; a gradient that was 0 at the first record supports no
 * ratio (0/0, x/0), so the sentence says what it was instead.
 */
function notFadedClause(e: Evidence, ends: ChainEnds): string {
  const cancelled = Number.isNaN(e.lastHiddenChange) && Number.isFinite(e.lastHiddenDeltaChange);
  const [change, measure] = cancelled ? [e.lastHiddenDeltaChange, "per-example ‖δ‖ (a batch norm cancels its bias)"] : [e.lastHiddenChange, '‖∂C/∂b‖'];
  if (positiveFinite(change)) {
    // A fall short of GRADIENT_FADED is still a fall: the sentence says how large, against the fall that counts as fading.
    // Fading is a fall past 1/GRADIENT_FADED: one of exactly that much (or one that prints as that much) is not less than it, and
    // a per-example ‖δ‖ read in place of a cancelled bias (which faded() does not judge) may have fallen further.
    const [fall, fading] = [fmt(1 / change), fmt(1 / GRADIENT_FADED)];
    const against =
      fall === fading
        ? `not past the ${fading}× beyond which this diagnosis calls it fading`
        : `${change < GRADIENT_FADED ? 'more' : 'less'} than the ${fading}× this diagnosis calls fading`;
    return change < 1
      ? `the ${ends.last}'s ${measure} fell ${fall}× over training time, ${against}`
      : `the gradients did not fade over training time: the ${ends.last}'s ${measure} ended at ${fmt(change)}× its start`;
  }
  // 0/0 (NaN) or x/0 (Inf): the layer had no gradient at the first record; 0 at the end of a nonzero start is a layer that lost it.
  const zeroAtStart = `the ${ends.last}'s ${measure} was 0 at the first record (its units passed no gradient back: dead, or cut off by the layers above)`;
  if (Number.isNaN(change)) return `the gradients could not fade over training time: ${zeroAtStart} and still is`;
  if (change === Infinity) return `the gradients did not fade over training time: ${zeroAtStart}, and is not now`;
  return `the ${ends.last}'s ${measure} fell to 0 over training time: the layer stopped passing any gradient back`;
}

/** The gradient faded over training time: the last hidden layer's ‖∂C/∂b‖ fell below GRADIENT_FADED of its start. */
const faded = (e: Evidence) => e.lastHiddenChange > 0 && e.lastHiddenChange < GRADIENT_FADED;

/**
 * Where the run stands (evidence.training), with the losses and accuracy that say so and which they
 * are (per epoch, or the records' batches where the trace holds fewer than two epochs), and for a
 * plateau whether the gradient faded over training time or only over depth, and that the gradient
 * cannot tell a saddle from a local minimum (the curvature can, when the caller gave it).
 */
function progressSentence(p: TrainingProgress, verdict: Verdict, e: Evidence, ends: ChainEnds, trace: Trace): string {
  if (p.read === 'epochs') return epochProgressSentence(p, verdict, e, ends, trace) + heldOutUnreadClause(p);
  const windows = `median over the last ${counted(p.window, 'record')}`;
  const right = `${percent(p.accuracyEnd)} of their rows classified right${chanceClause(p, trace)}`;
  // Said so: a trace of one epoch (or one saved before epochs were recorded) has only its batches to read, as has one with an epoch's loss unknown.
  const only = `read from the batches: ${UNREAD_EPOCHS[p.epochsUnread!]}`;
  if (p.state === 'converged') {
    return (
      `Training has converged on its batches (${only}): their loss fell from ${fmt(p.lossStart)} at the first record to ${fmt(p.lossEnd)} (${windows}), with ${right}, ` +
      'so the gradients are small because the errors are, near the loss\'s floor of 0: not a plateau. ' +
      'No remedy that changes only how the run steps (optimiser, learning rate, per-layer rates, clipping) is offered: the steps reached the floor.' +
      convergedGapClause(verdict, e, ends)
    );
  }
  if (p.state === 'learning') {
    return `Still learning (${only}): the batches' loss is still falling, ${fmt(p.lossEnd)} (${windows}), ${percent(1 - p.lossEnd / p.lossBefore)} below the ${counted(p.window, 'record')} before (${fmt(p.lossBefore)})${paceClause(p)}, with ${right}.`;
  }
  if (p.state === 'rising') {
    const from = riseFrom(p);
    return (
      `The batches' loss rose (${only}): ${fmt(p.lossEnd)} (${windows}), ${percentAbove(p.lossEnd, from.loss)}above ${from.words}${paceClause(p)}, with ${right}. ` +
      `${overshootSentence(trace)}${verdict === 'loss-rising' ? '.' : ', whatever the gradient flow above.'}`
    );
  }
  if (p.state === 'unclear') {
    return (
      `Whether training still makes progress the batches cannot tell (${only}): their loss went ${fmt(p.lossBefore)} → ${fmt(p.lossEnd)} (medians over the last two windows of ${counted(p.window, 'record')}), ` +
      `and from batch to batch it varies enough to hide a change of ${percent(p.noise)} (two standard errors); more records (a smaller trace interval, or more steps) would tell.`
    );
  }
  const stuck = `A plateau (${only}): the batches' loss stopped falling short of convergence (${fmt(p.lossEnd)}, ${windows}; ${fmt(p.lossBefore)} over the ${p.window} before; ${fmt(p.lossStart)} at the first record), with ${right}${shortRunClause(p, trace)}`;
  return stuck + plateauCause(e, verdict, ends);
}

/** Why a plateau stands where it does: the gradient faded over training time, or did not (and for a vanishing run, the first layers are slow by depth); and that the gradient cannot tell a saddle from a minimum. */
function plateauCause(e: Evidence, verdict: Verdict, ends: ChainEnds): string {
  const cause = faded(e)
    ? '; the gradient faded over training time (above), not only over depth'
    : `; ${notFadedClause(e, ends)}` + (verdict === 'vanishing' ? `: what is slow is the ${ends.first}, by the gap over depth above` : '');
  const minimum = e.curvature ? '' : ' The gradient cannot tell whether the point is a saddle or a local minimum; its curvature can (docs/curvature.md).';
  return `${cause}.${minimum}`;
}

/** Why the epochs were not read (TrainingProgress.epochsUnread), as the summary says it. */
const UNREAD_EPOCHS: Record<EpochsUnread, string> = {
  'fewer than two': 'the trace holds fewer than two epochs',
  'not a number': "an epoch's training loss in the trace is not a number",
  'too sparse': 'the trace kept no epoch in the window before the last',
};

/**
 * Where the accuracy is at chance (atChance), a clause that says so after it; '' elsewhere (and for a
 * regression, which has no classes). The classes are classesOf's, which p.chance is 1 over.
 */
function chanceClause(p: TrainingProgress, trace: Trace): string {
  const classes = classesOf(trace);
  if (!atChance(p) || classes === undefined) return '';
  return `, at chance: no better than a guess among ${classes} classes (${percent(p.chance!)} right), within ${Math.round(100 * AT_CHANCE_MARGIN)} points either way`;
}

/** The run's epochs: TrainingProgress.epochs (a thinned trace's whole run, not the epochs it kept), else those the trace recorded. */
const runEpochs = (p: TrainingProgress, trace: Trace) => p.epochs ?? trace.epochs.length;

/** The epochs of the run where fewer than SHORT_RUN_EPOCHS (at least one recorded); undefined for a longer run or a trace that records none. A thinned trace's are the run's (TrainingProgress.epochs), not those it kept. */
function shortRunEpochs(p: TrainingProgress, trace: Trace): number | undefined {
  const epochs = runEpochs(p, trace);
  return epochs >= 1 && epochs < SHORT_RUN_EPOCHS ? epochs : undefined;
}

/** For a plateau of a short run (shortRunEpochs), that the call rests on few epochs; '' elsewhere. */
function shortRunClause(p: TrainingProgress, trace: Trace): string {
  const epochs = shortRunEpochs(p, trace);
  if (epochs === undefined) return '';
  const windows = p.read === 'epochs' ? ': each window compared is one epoch' : '';
  return `; the plateau call rests on only ${counted(epochs, 'epoch')} (fewer than ${SHORT_RUN_EPOCHS}${windows}), and more epochs would tell whether the loss has stopped`;
}

/** How an epoch's training loss was measured (TrainingProgress.epochLoss), as a sentence names it, and of which epochs a thinned trace's means are. */
function epochLossWords(p: TrainingProgress): string {
  const kept = p.epochsKept === undefined ? '' : `; the trace kept ${p.epochsKept} of the run's ${counted(p.epochs!, 'epoch')}, evenly spread, and the means and the lowest are of those kept`;
  if (p.epochLoss === 'training subset at the end') return `the loss on ${p.subsetRows} of the training rows at each epoch's end (at the validation rows' weights${kept})`;
  return p.epochLoss === 'all rows at the end'
    ? `the loss on every training row at each epoch's end (the run's validation rows were its training rows${kept})`
    : `the training loss per epoch (the mean of its batches' losses, each before its update${kept})`;
}

/** How far a loss lies above its lowest, with the space after it: '26 % ' (nothing from a lowest of 0, which no percentage can be of). */
const percentAbove = (loss: number, lowest: number) => (lowest > 0 ? `${percent(loss / lowest - 1)} ` : '');

/** A lowest epoch's or window's loss as a sentence says it: '0.107 after 39 epochs', 'mean 0.127 over epochs 81–120'. */
function lowestWords(low: EpochLoss): { loss: number; words: string } {
  const words = low.from === undefined ? `${fmt(low.loss)} after ${counted(low.epoch + 1, 'epoch')}` : `mean ${fmt(low.loss)} over epochs ${low.from + 1}–${low.epoch + 1}`;
  return { loss: low.loss, words };
}

/**
 * What a rising loss rose from, with its words: read 'epochs', the lower of the lowest before the
 * last window (TrainingProgress.lowest) and the first record's batch loss (the loss at the weights
 * the run started from); read 'batches', the window of records before the last.
 */
function riseFrom(p: TrainingProgress): { loss: number; words: string } {
  if (!p.lowest) return { loss: p.lossBefore, words: `the ${counted(p.window, 'record')} before (${fmt(p.lossBefore)})` };
  return p.lossStart < p.lowest.loss ? { loss: p.lossStart, words: `${fmt(p.lossStart)} at the first step (its batch)` } : lowestWords(p.lowest);
}

/**
 * Where the loss's pace (TrainingProgress.pace) decided that it still falls or rises, though it moved
 * less than STILL_FALLING between the last two windows (and rose less above where it rose from), a
 * clause that says so; '' elsewhere.
 */
function paceClause(p: TrainingProgress): string {
  const pace = p.pace;
  const moved = p.state === 'rising' ? p.lossEnd / riseFrom(p).loss - 1 : 1 - p.lossEnd / p.lossBefore;
  if (!pace?.steady || moved >= STILL_FALLING || Math.abs(pace.projected) < STILL_FALLING) return '';
  return (
    `; slowly, but steadily: at its pace over the last ${counted(pace.points, 'epoch')} (a least-squares line, its slope clear of 0 at 95 %) ` +
    `it ${pace.projected < 0 ? 'falls' : 'rises'} ${percent(Math.abs(pace.projected))} over ${counted(pace.horizon, 'epoch')} more`
  );
}

/**
 * The epoch an unstable end (unstableEnd) is said to start from: the first after the one the
 * training loss rose from (riseFrom), the first epoch where it rose from the first step's batch loss.
 */
function unstableFrom(p: TrainingProgress): number {
  return riseFrom(p).loss === p.lossStart ? 1 : p.lowest!.epoch + 2;
}

/** Why a rising training loss points to the steps: said after the rise. */
function overshootSentence(trace: Trace): string {
  const steps = trace.run.learningRate === undefined ? 'the steps' : `the steps (learning rate ${trace.run.learningRate})`;
  return `A training loss that rises points to ${steps} overshooting: moving the weights past the lower loss they aimed at`;
}

/** A loss of the last window of `epochs` epochs as a sentence says it: '0.0905 at the last of 8 epochs', 'mean 3.24 over the last 20 of 100 epochs'. */
const atLastEpochs = (loss: number, p: TrainingProgress, epochs: number) =>
  p.window === 1 ? `${fmt(loss)} at the last of ${counted(epochs, 'epoch')}` : `mean ${fmt(loss)} over the last ${p.window} of ${counted(epochs, 'epoch')}`;

/** progressSentence where the trace holds two epochs or more: the state read from the per-epoch losses, with them. */
function epochProgressSentence(p: TrainingProgress, verdict: Verdict, e: Evidence, ends: ChainEnds, trace: Trace): string {
  const measured = epochLossWords(p);
  const end = atLastEpochs(p.lossEnd, p, p.epochs!);
  const right = Number.isNaN(p.accuracyEnd)
    ? ''
    : `, with ${percent(p.accuracyEnd)} of ${p.epochLoss === 'batch mean' ? "the last epochs' traced batches' rows" : p.epochLoss === 'all rows at the end' ? 'the training rows' : 'those training rows'} classified right${chanceClause(p, trace)}`;
  const rise = (now: number, low: { loss: number; words: string }) => `${atLastEpochs(now, p, p.epochs!)}, ${percentAbove(now, low.loss)}above its lowest, ${low.words}`;
  if (p.state === 'overfitting') {
    const held = p.heldOut!;
    return (
      `the loss on the validation rows (held out from training) rose while the training loss did not: ${rise(held.lossEnd, lowestWords(held.lowest))}, ` +
      `while ${measured} went ${fmt(p.lossBefore)} → ${p.lossEnd === p.lossBefore ? 'the same' : fmt(p.lossEnd)}${p.window === 1 ? '' : ` (means over the last two windows of ${counted(p.window, 'epoch')})`}${right}.` +
      // Fitting the training rows better is said only where their loss fell: one that held says nothing of it.
      (p.lossEnd < p.lossBefore ? ' The network fits its training rows better at the cost of the rows it has not seen.' : '')
    );
  }
  if (p.state === 'rising') {
    // Both at the same weights: not overfitting, which would have held the training loss.
    const unstable = unstableEnd(p)
      ? `training became unstable from epoch ${unstableFrom(p)}: training and held-out loss both rose, the validation rows' loss ${rise(p.heldOut!.lossEnd, lowestWords(p.heldOut!.lowest))}, and `
      : '';
    return `${unstable}${measured} rose: ${rise(p.lossEnd, riseFrom(p))}${paceClause(p)}. ${overshootSentence(trace)}${verdict === 'loss-rising' ? '.' : ', whatever the gradient flow above.'}`;
  }
  if (p.state === 'converged') {
    return (
      `Training has converged: ${measured} fell from ${fmt(p.lossStart)} at the first step (its batch) to ${end}${right}, ` +
      'so the gradients are small because the errors are, near the loss\'s floor of 0: not a plateau. ' +
      'No remedy that changes only how the run steps (optimiser, learning rate, per-layer rates, clipping) is offered: the steps reached the floor.' +
      convergedGapClause(verdict, e, ends)
    );
  }
  const before = p.window === 1 ? 'the epoch before' : `the ${counted(p.window, 'epoch')} before`;
  if (p.state === 'learning') {
    return `Still learning: ${measured} is still falling, ${end}, ${percent(1 - p.lossEnd / p.lossBefore)} below ${before} (${fmt(p.lossBefore)})${paceClause(p)}${right}.`;
  }
  // Converged asks for the accuracy of the last epochs too: where no traced batch measured it and the loss is near its floor, the trace cannot tell.
  const untold = Number.isNaN(p.accuracyEnd) && lossNearFloor(p);
  const stopped = untold ? 'stopped falling' : 'stopped falling short of convergence';
  const whetherConverged = untold
    ? `; whether it converged the trace cannot tell: its loss is at most ${percent(CONVERGED_LOSS_FRACTION)} of the first step's batch's, but no traced batch of the last ${p.window === 1 ? 'epoch' : counted(p.window, 'epoch')} measured the ${percent(CONVERGED_ACCURACY)} of rows classified right that converged also asks for (a smaller trace interval would)`
    : '';
  return (
    `A plateau: ${measured} ${stopped} (${end}; ${fmt(p.lossBefore)} over ${before}; ${fmt(p.lossStart)} at the first step (its batch))${right}${whetherConverged}${shortRunClause(p, trace)}` +
    plateauCause(e, verdict, ends)
  );
}

/**
 * Where the held-out loss rose but the trace holds no training loss at the same weights (one saved
 * before TraceEpoch.training was recorded): what the trace can tell, and that it cannot tell
 * overfitting from an unstable end; '' elsewhere.
 */
function heldOutUnreadClause(p: TrainingProgress): string {
  if (!p.heldOutRose || p.epochLoss !== 'batch mean') return '';
  const held = p.heldOut!;
  return (
    ` The validation rows' loss rose, ${atLastEpochs(held.lossEnd, p, p.epochs!)}, ${percentAbove(held.lossEnd, held.lowest.loss)}above its lowest, ${fmt(held.lowest.loss)} after ${counted(held.lowest.epoch + 1, 'epoch')}; ` +
    "the trace holds no training loss at the same weights (it was saved before gradscope recorded one), and its batch means are over weights that moved, so whether that is overfitting (the training loss held) or an unstable end (both rose) it cannot tell: training again with the same validation records it."
  );
}

/** For a converged run's vanishing or exploding gap: whether it closed during training (gapClosed), so that no remedy for it is offered, or held. */
function convergedGapClause(verdict: Verdict, e: Evidence, ends: ChainEnds): string {
  if (verdict !== 'vanishing' && verdict !== 'exploding') return '';
  const median = gapMeasure(e).median;
  const measure = e.normalisedBy ? 'relative gradient ‖∂C/∂W‖/‖W‖' : "per-example δ";
  const ratio = `the ${ends.first}'s ${measure} is ${timesOf(median)} the ${ends.last}'s (${medianOverRecords(e)})`;
  return gapClosed(verdict, e)
    ? ` The gap closed during training: ${ratio}, within ${EVEN_RANGE}, so the ${ends.first} learnt too, and no remedy for the gap is offered either.`
    : ` The gap held during training: ${ratio}, so the changes to the network it points to are still offered.`;
}

const initName = (init: TraceRun['init']) => (init === undefined ? undefined : typeof init === 'string' ? init : init.name);

/** How remediesFor and its helpers add a remedy: its settings, why, and a second choice in place of them. */
type AddRemedy = (settings: RemedySetting[], why: string, alternative?: RemedySetting[]) => void;
/** An option set to one of its named choices ('relu', 'adam'): a flag takes the bare name. */
const choice = (option: RemedyOption, name: string): RemedySetting => ({ option, value: `'${name}'`, flagValue: name });
/** A change to the layer specs (no flag takes one). */
const layers = (value: string): RemedySetting => ({ option: 'layers', value });
const CLIP_AT_1: RemedySetting = { option: 'clipNorm', value: '1', flagValue: '1' };
/** Adds the smaller-rate remedy with `why`, except to a run whose optimiser chooses its own step lengths (OWN_STEP_LENGTH). */
function addSmallerRate(run: RunAtEnd, why: string, add: AddRemedy): void {
  if (!OWN_STEP_LENGTH.includes(run.optimizer ?? '')) add([smallerRate(run)], `${why}${inForceWords(run)}`);
}
/** Where onNonFinite 'halve' lowered the rate, a sentence saying that the remedy's rate derives from the one in force at the end, not the starting one. */
const inForceWords = (run: RunAtEnd) =>
  run.startingLearningRate === undefined ? '' : ` The rate is set from the one in force at the end, ${run.learningRate} (halved from ${run.startingLearningRate}).`;
/** A learning rate below the run's in force at its end, and a third of it for a flag (SMALLER_LEARNING_RATE); words only where the trace does not record the run's. */
function smallerRate(run: RunAtEnd): RemedySetting {
  if (run.learningRate === undefined) return { option: 'learningRate', value: 'a smaller value' };
  return { option: 'learningRate', value: `below ${run.learningRate}`, flagValue: `${+(run.learningRate * SMALLER_LEARNING_RATE).toPrecision(3)}` };
}

function remediesFor(verdict: Verdict, trace: Trace, e: Evidence): Remedy[] {
  const remedies = verdictRemedies(verdict, trace, e);
  if (e.training?.state !== 'converged') return remedies;
  // A run that reached the loss's floor needs no change to how it steps (progressSentence says so); evidence.layerRates goes with its remedy.
  const kept = remedies.filter((r) => !r.settings.every((s) => STEP_OPTIONS.includes(s.option)));
  if (!kept.some((r) => r.settings.some((s) => s.layerRates))) delete e.layerRates;
  return kept;
}

/** The options that change how a run steps, not the network: a converged run is offered none of them alone. */
const STEP_OPTIONS: readonly RemedyOption[] = ['learningRate', 'optimizer', 'clipNorm'];

/** The range of first-to-last gaps that are neither vanishing nor exploding, as sentences print it: '1/4–4×', from the thresholds. */
const EVEN_RANGE = `1/${1 / VANISHING_RATIO}–${EXPLODING_RATIO}×`;
/** A converged run's vanishing or exploding gap closed during training (its median within EVEN_RANGE): the first hidden layers learnt too, and no remedy for the gap is offered. */
const gapClosed = (verdict: Verdict, e: Evidence) =>
  e.training?.state === 'converged' && (verdict === 'vanishing' || verdict === 'exploding') && !e.nonFinite && even(gapMeasure(e).median);
/** Within the thresholds: neither vanishing nor exploding. */
const even = (ratio: number) => ratio > VANISHING_RATIO && ratio < EXPLODING_RATIO;

function verdictRemedies(verdict: Verdict, trace: Trace, e: Evidence): Remedy[] {
  // Remedies derived from the learning rate start from the one in force at the end (after any halving).
  const run = runAtEnd(trace);
  const hiddenActivations = hiddenNonlinearities(trace);
  const uses = (f: Activation) => hiddenActivations.includes(f);
  const remedies: Remedy[] = [];
  // A remedy offered once: the dead units' remedies come after another verdict's, which may name the same change.
  const add: AddRemedy = (settings, why, alternative) => {
    const option = remedyText({ settings, alternative });
    if (!remedies.some((r) => r.option === option)) remedies.push({ option, settings, ...(alternative && { alternative }), why });
  };
  const usesInit = (name: string) => initName(run.init) === name;
  // He for relu, Saxe's orthogonal for linear nets, LeCun's for SELU (Klambauer et al.), Glorot's otherwise.
  const normalisedInit = hiddenActivations.every((f) => isReluFamily(f))
    ? 'he-normal'
    : hiddenActivations.every((f) => f === 'linear')
      ? 'orthogonal'
      : hiddenActivations.every((f) => f === 'selu')
        ? 'lecun-normal'
        : 'glorot-uniform';
  // A network loaded from a file that records no initialisation is traced without one (TraceRun.init absent): the remedy says so rather than suggest blindly what it may already use.
  const initUnknown =
    run.init === undefined && !run.lsuv ? ` This trace does not record how the network's weights were drawn (a network loaded from a file, say): if they were drawn by '${normalisedInit}' already, this remedy is not new to it.` : '';
  const initRemedy = (why: string) => {
    if (!usesInit(normalisedInit)) add([choice('init', normalisedInit)], why + initUnknown);
  };
  const optimizerRemedy = (name: string, why: string) => {
    if (run.optimizer !== name) add([choice('optimizer', name)], why);
  };

  /** The remedies for dead relu units; `diedLater`: they were alive at the first record, so the steps killed them. */
  const deadUnitRemedies = (diedLater: boolean) => {
    if (diedLater) {
      addSmallerRate(run, `the units died during training (alive at the first record): a large step can push a relu unit's z below 0 for every input, after which it gets no gradient.`, add);
    }
    // The reason says what the trace knows of the biases: drawn negative, or not recorded (a loaded network); a run with zero or positive constant biases is not told they are the cause.
    const bias = run.biasInit;
    const zeroBiasWhy = "with zero biases about half of each unit's inputs are active at the start.";
    if (bias === undefined) {
      add([choice('biasInit', 'zero')], `if the network's biases started negative (this trace does not record how they were drawn: a loaded network), they hold z ≤ 0 for every input; ${zeroBiasWhy}`);
    } else if (bias !== 'zero' && (bias.name === 'normal' || bias.value < 0)) {
      const drawn = bias.name === 'normal' ? `drawn from N(0, ${fmt(bias.std)}²), about half start negative` : `all start at ${bias.value}`;
      add([choice('biasInit', 'zero')], `the run's biases ${drawn}, and negative biases hold z ≤ 0 for every input; ${zeroBiasWhy}`);
    }
    if (!uses('leaky-relu')) {
      const change = activationChange(trace, ['leaky-relu']);
      add(change.settings, `passes a small gradient (slope ${LEAKY_RELU_SLOPE}) where z ≤ 0, so a unit that goes inactive can recover.${initClause(trace, ['leaky-relu'])}`, change.alternative);
    }
    initRemedy('keeps the variance of z the same from layer to layer, so units are active on about half of the inputs.');
  };

  // The per-layer factor as the summary states it (same records), where it could be measured.
  const factor = (words: (f: string) => string) => (positiveFinite(e.meanChainFactor) ? words(fmt(e.meanChainFactor)) : '');
  /** An exploding gap's remedies where no norm layer lies between the chain's ends. */
  const explodingRemedies = () => {
    // Each reason says only what was measured. "Too large" rests on a measured factor per layer above 1 (not where it is ≤ 1: the
    // gradient does not grow through the weights there); where no factor was measured (a link without one) the gap that was is said;
    // with neither (an Inf gap, no gradient at the last hidden layer; Inf or NaN values) nothing measured points to the weights' scale.
    const [gap, ends] = [decisiveGap(e), chainEnds(trace, e)];
    if (positiveFinite(e.meanChainFactor)) {
      if (e.meanChainFactor > 1) initRemedy(`the weights are too large: passing back through one layer multiplies the gradient by ${fmt(e.meanChainFactor)}; this init makes the factor per layer about 1.`);
    } else if (positiveFinite(gap) && gap >= EXPLODING_RATIO) {
      initRemedy(
        `one example's gradient δ at the ${ends.first} is ${fmt(gap)}× the ${ends.last}'s (${gapRecords(gap, e)}; no factor per layer was measured along the chain); ` +
          'this init scales the weights so that each layer passes the gradient on at about the same size.',
      );
    }
    // A run that already clips at 1 or tighter is not told to clip; one that clips looser is told to clip tighter.
    // None to a run whose optimiser evaluates its own gradients (OWN_GRADIENTS): train() refuses clipNorm beside it.
    const clipped = run.clipNorm;
    const clips = !OWN_GRADIENTS.includes(run.optimizer ?? '');
    if (clips && clipped === undefined) add([CLIP_AT_1], 'caps the norm of the whole gradient before each step, so an exploding gradient cannot produce a huge step.');
    else if (clips && clipped !== undefined && clipped > 1) add([CLIP_AT_1], `a tighter cap than the run's clipping at norm ${fmt(clipped)} on the norm of the whole gradient before each step, so an exploding gradient produces smaller steps.`);
    if (!e.compensated && !GRADIENT_SCALED_STEPS.includes(run.optimizer ?? '')) optimizerRemedy('lars', 'scales each layer\'s step by ‖W‖/‖∇W‖, so its size no longer follows the size of the gradient.');
  };
  // Dead units under another verdict (or too few for the dead one) get their remedies after the verdict's: they pass no gradient and learn nothing, whatever the gap.
  const alsoDeadUnits = () => {
    if (verdict === 'dead' || e.layersWithDeadUnits.length === 0) return;
    deadUnitRemedies(e.layersWithDeadUnits.every((l) => trace.at('deadFraction', 0, l) < DEAD_UNITS));
    architectureRemedies('dead', trace, e, hiddenActivations, add);
  };
  if (gapClosed(verdict, e)) {
    alsoDeadUnits();
    return remedies;
  }
  if (verdict === 'vanishing' && e.batchNormBlocking) {
    // The gradient stops at the batch norms whatever the activation, init or optimiser: only more rows or a per-example norm lets it through.
    add(
      [{ option: 'batchSize', value: `${BATCH_NORM_ROWS} or more`, flagValue: `${BATCH_NORM_ROWS}` }],
      `batch norm passes on n − 2 of the n directions of each feature's gradient over a batch of n rows: none with ${trace.run.batchSize}, ${BATCH_NORM_ROWS - 2} of ${BATCH_NORM_ROWS} with ${BATCH_NORM_ROWS}.`,
    );
    add(
      [{ option: 'layers', value: "{ type: 'layer-norm' } in place of each { type: 'batch-norm' }" }],
      'layer norm normalises each example over its features, not each feature over the batch, so any batch size passes its gradient on (Ba et al. 2016).',
    );
    return remedies;
  }
  /** A vanishing gap's remedies: the verdict's, or beside dead units (alsoGap). */
  const vanishingRemedies = () => {
    const sigmoidCap = uses('sigmoid');
    const activationRemedy = () => {
      const better = (['relu', 'tanh'] as const).filter((f) => !uses(f));
      if (sigmoidCap && better.length) {
        const change = activationChange(trace, better);
        add(
          change.settings,
          // σ'·W, not σ' alone, is the factor: at most ‖W‖₂/4, which is below 1/4 only for weights that pass no vector on longer (docs/gradient-flow.md).
          `σ' of the sigmoid is at most 1/4, so one sigmoid layer multiplies each example's gradient by at most ‖W‖₂/4 (‖W‖₂: the largest singular value of the weights it passes back through), ` +
            `a shrink of at least 4× where ‖W‖₂ ≤ 1${factor((f) => `; the measured factor here is ${f} per layer`)}; ` +
            "tanh's σ' reaches 1 and relu's is exactly 1 where the unit is active." +
            initClause(trace, better),
          change.alternative,
        );
      }
    };
    // With sigmoid layers the σ' ceiling is the cause, which no initialisation lifts; otherwise the weights' scale.
    if (sigmoidCap) activationRemedy();
    else {
      initRemedy(
        `scales the initial weights so that each layer passes the back-propagated gradient on at about the same size (chain factor ≈ 1${factor((f) => `; measured: ${f}`)}).`,
      );
    }
    if (!e.compensated) vanishingOptimizerRemedies(trace, e, optimizerRemedy, add);
  };
  /** An exploding gap's remedies: the verdict's (with Inf or NaN values), or beside dead units (alsoGap). */
  const explodingGapRemedies = () => {
    if (e.nonFinite) addSmallerRate(run, 'some gradients or weights became Inf or NaN: large gradients times the step size overshoot.', add);
    if (e.normalisedBy) explodingAcrossNorms(trace, e, add);
    else explodingRemedies();
  };
  // A gap past the thresholds beside dead units (the summary's 'Also vanishing', 'Also exploding'): its remedies after the dead units' (none twice).
  const also = alsoGap(verdict, e);
  if (verdict === 'vanishing') vanishingRemedies();
  else if (verdict === 'exploding') explodingGapRemedies();
  else if (verdict === 'dead') {
    deadUnitRemedies(e.deadLayers.every((l) => trace.at('deadFraction', 0, l) <= DEAD_LAYER));
    if (also === 'vanishing') vanishingRemedies();
    if (also === 'exploding') explodingGapRemedies();
  } else if (verdict === 'saturated') {
    // Units that were not saturated at the first record were pushed there by the steps, not by the starting weights.
    const first = saturationAtStart(trace, e);
    if (saturatedLater(first)) {
      const weightRows = e.saturatedLayers.map((l) => weightRowOf(trace, l)).filter((w) => w !== undefined);
      const steps = andList(weightRows.map((w) => `${rowList(trace, [w])}'s by ${(100 * e.layers[w].updateRatio).toPrecision(2)} %`));
      const size = weightRows.length ? ` moved the weights (${steps} of their size per step: ‖ΔW‖/‖W‖, median) and` : '';
      const by = run.optimizer ? ` (${run.optimizer}${run.learningRate === undefined ? '' : `, learning rate ${run.learningRate}`})` : '';
      addSmallerRate(
        run,
        `the units saturated during training (at the first record ${sharesByRow(trace, e.saturatedLayers, first, 'them')} were): the optimiser's steps${by}${size} pushed |z| out to where σ'(z) ≈ 0; smaller steps keep z nearer 0.`,
        add,
      );
    }
    const larger = weightsAboveInit(trace, e, normalisedInit);
    if (larger) {
      initRemedy(
        `weights that are too large push |z| to where σ'(z) ≈ 0: at the first record ${larger}; this init keeps the variance of z near 1 from layer to layer.`,
      );
    }
    if (run.biasInit !== undefined && run.biasInit !== 'zero') add([choice('biasInit', 'zero')], "large biases also push z away from 0, where σ' is largest.");
    const nonSaturating = (['relu', 'softsign'] as const).filter((f) => !uses(f));
    if (nonSaturating.length) {
      const change = activationChange(trace, nonSaturating);
      add(
        change.settings,
        'relu does not saturate for z > 0; softsign approaches its limits polynomially rather than exponentially, so it saturates later (Glorot & Bengio 2010).' +
          initClause(trace, nonSaturating),
        change.alternative,
      );
    }
  }
  // A plateau beside a gradient flow measured healthy with no finding in it (dead or saturated units have remedies of their own, a smaller rate among them): the remedies of a run that stopped short.
  const flowClear = !flowUnread(e) && e.layersWithDeadUnits.length === 0 && e.saturatedLayers.length === 0;
  if (verdict === 'healthy' && e.training?.state === 'plateau' && flowClear) plateauRemedies(trace, e, add);
  // A loss still falling beside such a flow needs time, not another optimiser or rate.
  if (verdict === 'healthy' && e.training?.state === 'learning' && flowClear) add([moreEpochs(trace, e.training)], `the loss is still falling${stillFalling(e.training)}: training longer lowers it further.`);
  // Under a verdict of the gradient flow the summary says the loss rose, and its own remedies come first (a lower rate was measured not to help some: explodingAcrossNorms).
  if (verdict === 'loss-rising' || verdict === 'overfitting') progressRemedies(trace, e, add);
  // Across norm layers none of them was measured to bring an exploding gap nearer 1 (see explodingAcrossNorms).
  if (!(verdict === 'exploding' && e.normalisedBy)) architectureRemedies(verdict, trace, e, hiddenActivations, add);
  if (also && !(also === 'exploding' && e.normalisedBy)) architectureRemedies(also, trace, e, hiddenActivations, add);
  alsoDeadUnits();
  return remedies;
}

/**
 * The remedies of the verdicts of where the run stands by its epochs: a training loss that rose
 * gets a smaller learning rate (where the run takes one: an optimiser that chooses its own steps has
 * none to lower); a held-out loss that rose while the training loss did not, the number of epochs
 * after which it was lowest (early stopping, from this run's own measure).
 */
function progressRemedies(trace: Trace, e: Evidence, add: AddRemedy): void {
  const p = e.training;
  // Remedies derived from the learning rate start from the one in force at the end (after any halving).
  const run = runAtEnd(trace);
  if (p?.state === 'rising' && (run.learningRate !== undefined || run.optimizer === undefined)) {
    const from = riseFrom(p);
    const above = !p.lowest ? from.words : `${from.loss === p.lossStart ? 'its start' : 'its lowest'} (${from.words})`;
    addSmallerRate(run, `the training loss rose ${percentAbove(p.lossEnd, from.loss)}above ${above}: smaller steps overshoot less.`, add);
  }
  if (p && unstableEnd(p)) {
    const best = p.heldOut!.lowest.epoch + 1;
    add(
      [{ option: 'epochs', value: `${best}`, flagValue: `${best}` }],
      `the validation rows' loss was lowest after ${counted(best, 'epoch')} (${fmt(p.heldOut!.lowest.loss)}) and rose after it with the training loss: stopping there keeps the weights from before training became unstable.`,
    );
  }
  if (p?.state === 'overfitting') {
    const lowest = p.heldOut!.lowest;
    const best = lowest.epoch + 1;
    const when = lowest.from === undefined ? `after ${counted(best, 'epoch')} (${fmt(lowest.loss)})` : `over epochs ${lowest.from + 1}–${best} (mean ${fmt(lowest.loss)})`;
    add(
      [{ option: 'epochs', value: `${best}`, flagValue: `${best}` }],
      `the validation rows' loss was lowest ${when} and rose after it while the training loss did not: training from the same start for ${counted(best, 'epoch')} stops before the network fits its training rows at the others' cost (early stopping).`,
    );
  }
}

/** How far the loss fell between the two windows a plateau was read from, as a clause: 'fell only 0.186 % over the last epoch', 'did not fall over …'. */
function plateauFall(p: TrainingProgress): string {
  const fall = 1 - p.lossEnd / p.lossBefore;
  const over = p.read === 'batches' ? `between the last two windows of ${counted(p.window, 'record')}` : p.window === 1 ? 'over the last epoch' : `between the last two windows of ${counted(p.window, 'epoch')}`;
  return fall > 0 ? `fell only ${fmt(100 * fall)} % ${over}` : `did not fall ${over}`;
}

/** More epochs than the run's: MORE_EPOCHS times them as a flag (or 'more' where the trace records none). */
function moreEpochs(trace: Trace, p: TrainingProgress): RemedySetting {
  const epochs = runEpochs(p, trace);
  return epochs >= 1 ? { option: 'epochs', value: `more than ${epochs}`, flagValue: `${MORE_EPOCHS * epochs}` } : { option: 'epochs', value: 'more' };
}

/** How a still-falling loss falls, as the more-epochs remedy's reason says it: ' (3 % below the epoch before; at its pace, 13 % over 4 epochs more)'. */
function stillFalling(p: TrainingProgress): string {
  const before = p.read === 'batches' ? `the ${counted(p.window, 'record')} before` : p.window === 1 ? 'the epoch before' : `the ${counted(p.window, 'epoch')} before`;
  const pace = p.pace?.steady && p.pace.projected <= -STILL_FALLING ? `; at its pace, ${percent(-p.pace.projected)} over ${counted(p.pace.horizon, 'epoch')} more` : '';
  return ` (${percent(1 - p.lossEnd / p.lossBefore)} below ${before}${pace})`;
}

/**
 * The remedies of a plateau beside a healthy gradient flow, each one the run does not use yet:
 * more epochs where the run is short (its plateau call rests on few epochs); a larger learning rate (not to an
 * optimiser that chooses its own step lengths);
 * momentum for plain SGD, with Adam as the alternative, or Adam for another optimiser that takes a
 * rate and does not scale its steps by the gradient's size already. Each reason is from the run.
 */
function plateauRemedies(trace: Trace, e: Evidence, add: AddRemedy): void {
  const p = e.training!;
  // Remedies derived from the learning rate start from the one in force at the end (after any halving).
  const run = runAtEnd(trace);
  const optimizer = run.optimizer ?? 'sgd';
  const fell = p.lossEnd < p.lossBefore;
  const short = shortRunEpochs(p, trace);
  const chance = atChance(p) ? ' with the accuracy at chance' : '';
  // A longer run's plateau stands on its pace too (TrainingProgress.pace): as long again would not move the loss STILL_FALLING.
  if (short !== undefined) {
    add([moreEpochs(trace, p)], `the loss ${plateauFall(p)} after only ${counted(short, 'epoch')} (fewer than ${SHORT_RUN_EPOCHS})${fell ? ': slowly, but it had not stopped' : ''}; training longer tells whether it leaves the plateau.`);
  }
  const ownSteps = OWN_STEP_LENGTH.includes(optimizer);
  if (run.learningRate !== undefined && !ownSteps) {
    add(
      [{ option: 'learningRate', value: `above ${run.learningRate}`, flagValue: `${+(run.learningRate * LARGER_LEARNING_RATE).toPrecision(3)}` }],
      `the gradient flow shows no fault, yet at learning rate ${run.learningRate} the loss ${plateauFall(p)}${chance}: a larger rate takes longer steps down the slope the gradient shows ` +
        `(should the training loss then rise from epoch to epoch, the rate is too large, and this diagnosis says so).${inForceWords(run)}`,
    );
  }
  const adam: RemedySetting[] = [
    choice('optimizer', 'adam'),
    ...(run.learningRate === ADAM_DEFAULTS.learningRate ? [] : [{ option: 'learningRate' as const, value: `${ADAM_DEFAULTS.learningRate}`, flagValue: `${ADAM_DEFAULTS.learningRate}` }]),
  ];
  const adamWhy = `divides each weight's step by the size of its recent gradients, so a shallow slope still gets a step of normal size (Kingma & Ba 2015; at its default rate ${ADAM_DEFAULTS.learningRate}).`;
  if (optimizer === 'sgd' && !(run.momentum !== undefined && run.momentum > 0)) {
    add(
      [{ option: 'momentum', value: `${CHOICE_MOMENTUM}`, flagValue: `${CHOICE_MOMENTUM}` }],
      `the run's plain SGD steps go as the slope, which on a plateau is shallow; momentum ${CHOICE_MOMENTUM} adds up the steps along a slope that keeps its direction, up to 1/(1 − ${CHOICE_MOMENTUM}) = ${+(1 / (1 - CHOICE_MOMENTUM)).toPrecision(3)}× one step (Polyak 1964; Sutskever et al. 2013). Adam ${adamWhy}`,
      adam,
    );
  } else if (!STEP_SIZE_OF_THEIR_OWN.includes(optimizer) && !ownSteps) {
    add(adam, `Adam ${adamWhy}`);
  }
}

/** The init explodingAcrossNorms offers: every weight row of the same mean square length, 1/3, whatever n_in. */
const EVEN_ROWS_INIT = 'standard';
/** The inits explodingAcrossNorms was measured to replace (scripts/batch-norm-exploding.ts): their rows' length depends on n_out as well as n_in. */
const UNEVEN_ROWS_INITS: readonly string[] = ['glorot-uniform', 'glorot-normal', 'orthogonal'];

/** The mean square length of one weight row (a unit's n_in weights) that `init` draws: n_in·std². */
const rowSquare = (init: WeightInitName, nIn: number, nOut: number) => nIn * weightInitStd(init, nIn, nOut) ** 2;

/**
 * The remedy of an exploding gap read across norm layers (evidence.normalisedBy), or none. There a
 * dense layer before a norm learns the same whatever its weights' scale, so its gradient goes as
 * 1/‖w‖ and its relative gradient ‖∂C/∂W‖/‖W‖ as 1/‖w‖² of its weight rows: that measure compares the
 * layers' row lengths. Glorot's variance 2/(n_in + n_out) (and an orthogonal
 * matrix's) gives the rows of a layer of few inputs and many outputs a shorter length than the next
 * layers', so the first layer's relative gradient starts larger by the init alone; 'standard'
 * U[±1/√n_in] gives every row the same. On the visualizer's batch-normalised network (6 × 16,
 * spirals; scripts/batch-norm-exploding.ts, 2026-12-01, seeds 1–8, counted under the rule before
 * ae77fa8, which read the gap across norms from the relative gradient alone) Glorot's uniform init exploded
 * 4, 4 and 6 of 8 sigmoid, tanh and relu networks, glorot-normal 7, 7 and 7, orthogonal 8, 6 and 8;
 * 'standard' 0, 0 and 1. Nothing else is offered: clipping, LARS and a lower rate leave the first
 * record's gap as it was and widened the median (LARS: 3.74× → 15.0×); ReZero takes the branches'
 * dense layers off the chain, so no gap is left to measure; SELU and LSUV turned some networks
 * exploding or vanishing; he-normal and lecun-normal exploded 2 of 8 sigmoid networks, and Glorot's
 * init, once offered, made the gap of a network drawn by 'standard' wider (relu, seed 1: 9.19× → 40.1×).
 */
function explodingAcrossNorms(trace: Trace, e: Evidence, add: AddRemedy): void {
  const init = initName(trace.run.init);
  const chain = e.chain ?? [];
  if (init === undefined || !UNEVEN_ROWS_INITS.includes(init) || chain.length < 2) return;
  const [first, last] = [chain[0], chain[chain.length - 1]];
  const square = (row: number) => rowSquare(init as WeightInitName, trace.sizes[row], trace.sizes[row + 1]);
  const byInit = square(last) / square(first);
  if (!(byInit > 1)) return;
  add(
    [choice('init', EVEN_ROWS_INIT)],
    `across the norm layers a layer's relative gradient goes as 1/‖w‖² of its weight rows (the norm divides out their scale), and '${init}' draws the ${rowList(trace, [first])}'s rows ` +
      `${fmt(square(first))} long (mean square) against ${fmt(square(last))} in the ${rowList(trace, [last])}: ${fmt(byInit)}× the relative gradient by the init alone. ` +
      `U[±1/√n_in] draws every row ${fmt(rowSquare(EVEN_ROWS_INIT, 1, 1))} long, whatever its layer's size.`,
  );
}

/**
 * The trace row whose weights make row l's z: l itself in a dense network's trace or for a dense
 * row; an activation row's dense row just before it; none after a norm row (which sets z's scale
 * whatever the weights) or for any other row.
 */
function weightRowOf(trace: Trace, l: number): number | undefined {
  if (!trace.blocks) return l;
  const type = (row: number) => trace.blocks!.layers[row]?.type;
  if (type(l) === 'dense') return l;
  return type(l) === 'activation' && type(l - 1) === 'dense' ? l - 1 : undefined;
}

/**
 * Where the weights feeding the saturated rows were larger at the first record than `init` draws
 * them (RMS = ‖W‖/√(n_in·n_out) against weightInitStd), those layers' two scales, as a clause
 * ("hidden layer 1's RMS weight is 0.09, 'glorot-uniform' draws 0.05"); undefined where none was.
 */
function weightsAboveInit(trace: Trace, e: Evidence, init: WeightInitName): string | undefined {
  // Layers the init draws at the same scale share one clause, their RMS weights as a range ("hidden layers 2–4's RMS weights are 1.01–1.04, … draws 0.177").
  const byDrawn = new Map<string, { rows: number[]; rms: number[] }>();
  for (const l of e.saturatedLayers) {
    const w = weightRowOf(trace, l);
    if (w === undefined) continue;
    const [nIn, nOut] = [trace.sizes[w], trace.sizes[w + 1]];
    const rms = trace.at('weightNorm', 0, w) / Math.sqrt(nIn * nOut);
    const drawn = weightInitStd(init, nIn, nOut);
    if (!(rms > drawn)) continue;
    const group = byDrawn.get(fmt(drawn)) ?? { rows: [], rms: [] };
    group.rows.push(w);
    group.rms.push(rms);
    byDrawn.set(fmt(drawn), group);
  }
  const clauses = [...byDrawn].map(([drawn, { rows, rms }]) => {
    const [low, high] = [fmt(Math.min(...rms)), fmt(Math.max(...rms))];
    const weights = low === high ? `RMS weight${rows.length > 1 ? 's are' : ' is'} ${low}` : `RMS weights are ${low}–${high}`;
    return `${rowList(trace, rows)}'s ${weights}, '${init}' draws ${drawn}`;
  });
  return clauses.length ? clauses.join('; ') : undefined;
}

/**
 * The activations of a network's hidden units: a dense network's hidden layers'; in a block
 * network, those of its hidden dense and activation layers other than 'linear' (a linear dense
 * layer followed by an activation layer is that activation's unit), or 'linear' if there are none.
 */
function hiddenNonlinearities(trace: Trace): Activation[] {
  const hidden = trace.activations.slice(0, -1) as Activation[];
  if (!trace.blocks) return hidden;
  const types = trace.blocks.layers;
  const units = hidden.filter((f, l) => (types[l].type === 'dense' || types[l].type === 'activation') && f !== 'linear');
  return units.length ? units : ['linear'];
}

/**
 * The initialiser a switch to `activation` needs with it: He's for a relu-family unit, unless the
 * run already draws He's weights or LSUV rescales them (He et al. 2015: relu zeroes half of z, so
 * only variance 2/n_in keeps z's variance from layer to layer; 'standard' shrinks it 6× per layer,
 * and a deep relu stack's units die). Undefined where the run's own suits it.
 */
function initFor(trace: Trace, activation: string): WeightInitName | undefined {
  if (!isReluFamily(activation as Activation) || initName(trace.run.init) === RELU_INIT || trace.run.lsuv) return undefined;
  return RELU_INIT;
}
const RELU_INIT = 'he-normal';

/**
 * The settings that switch the hidden units to `choices[0]`, and to the second as the alternative:
 * createNetwork's `activation`, or the layer specs' in a block network, with the init the first
 * choice needs (initFor) where the run's does not suit it, so that applying the remedy applies both.
 */
function activationChange(trace: Trace, choices: readonly string[]): Pick<Remedy, 'settings' | 'alternative'> {
  const units = (f: string): RemedySetting =>
    trace.blocks ? { option: 'layers', value: `activation: '${f}' in each hidden dense or activation layer` } : choice('activation', f);
  const init = initFor(trace, choices[0]);
  const rate = rateFor(trace, choices[0]);
  return {
    settings: [units(choices[0]), ...(init ? [choice('init', init)] : []), ...(rate === undefined ? [] : [{ option: 'learningRate' as const, value: `${rate}`, flagValue: `${rate}` }])],
    ...(choices[1] && { alternative: [units(choices[1])] }),
  };
}

/** The learning rate a switch to `activation` needs with it: a lower one for relu where the run's is above the measured bound (reluRemedyRate). */
const rateFor = (trace: Trace, activation: string) => (activation === 'relu' ? reluRemedyRate(trace.run) : undefined);

/** The reason's clauses for the init and the rate activationChange adds (see initFor, rateFor), '' where it adds neither. */
function initClause(trace: Trace, choices: readonly string[]): string {
  const init = initFor(trace, choices[0]);
  const own = initName(trace.run.init);
  const initWhy = init
    ? ` With ${choices[0]}, He's initialisation ('${init}', variance 2/n_in) keeps z's variance the same from layer to layer (He et al. 2015)${own ? `; the run's '${own}' does not` : ''}.`
    : '';
  const rate = rateFor(trace, choices[0]);
  const rateWhy =
    rate === undefined
      ? ''
      : ` The run's learning rate, ${trace.run.learningRate}, is above ${rate}, the largest rate of a grid at which relu networks with He's weights ` +
        `(${RELU_RATE_SETUP.depths.join(', ')} hidden layers of ${RELU_RATE_SETUP.width}, ${RELU_RATE_SETUP.seeds.length} seeds each, one epoch of ${trace.run.optimizer ?? 'sgd'} on the digits) all lowered their loss with no layer dead; ` +
        "at larger rates some did not: one large step can put a relu unit's z below 0 on every input, and it gets no gradient after that.";
  return initWhy + rateWhy;
}

/** Spread of the hidden activations, last hidden layer over first (median over records) beyond [1/DRIFT, DRIFT]: they drift with depth. */
export const DRIFT = 2;

/**
 * The remedies of issue 13 that change the architecture or its initialisation (batch and layer
 * norm, residual and ReZero blocks, SELU, LSUV), after the others, where the evidence points to
 * them and the network does not have them yet. Each option names the change to createNetwork's
 * layer specs.
 */
function architectureRemedies(verdict: Verdict, trace: Trace, e: Evidence, hidden: readonly Activation[], add: AddRemedy): void {
  const types = new Set(trace.blocks?.layers.map((l) => l.type));
  const gates = new Set(trace.blocks?.residuals.map((b) => b.gate));
  const saturating = hidden.some(isSaturating);
  const f = hidden.find((a) => a !== 'linear') ?? 'linear';
  // The norm between the dense layer and its nonlinearity, as Ioffe & Szegedy place it.
  const normalised = (alternative: string) => [layers(`{ type: 'dense', units }, { type: 'batch-norm' }${alternative}, { type: 'activation', activation: '${f}' } for each hidden layer`)];
  if (verdict === 'saturated' || verdict === 'dead' || (verdict === 'vanishing' && saturating)) {
    const why = {
      dead: "centres each unit's z over the batch, so it is active on part of every batch (Ioffe & Szegedy 2015).",
      saturated: "holds z at mean 0, spread 1 over the batch, away from where σ' ≈ 0 (Ioffe & Szegedy 2015)",
      vanishing: "z gets mean 0, spread 1 over the batch whatever the weights' scale (Ioffe & Szegedy 2015)",
    }[verdict as 'dead' | 'saturated' | 'vanishing'];
    // Against saturation one normalisation is enough, so a network with either is offered neither
    // again, and layer norm is the alternative; against dead units only batch norm before the relu
    // helps (a norm after it sees zeros).
    const normalises = types.has('batch-norm') || types.has('layer-norm');
    if (verdict === 'dead') {
      if (!types.has('batch-norm')) add(normalised(''), why);
    } else if (!normalises) {
      add(normalised(" (or 'layer-norm')"), `${why}; layer norm: per example, any batch size (Ba et al. 2016).`);
    }
  }
  const branch = `layers: [{ type: 'dense', units, activation: '${f}' }]`;
  const rezeroWhy = "each block starts as the identity (α = 0): every layer gets the output's gradient (Bachlechner et al. 2020).";
  if (verdict === 'vanishing' && e.hiddenLayers >= 2 && gates.size === 0) {
    add(
      [layers(`{ type: 'residual', ${branch} } (or with gate: 'rezero') for each hidden layer after the first`)],
      'the skip passes ∂C/∂y on unchanged: early layers get the gradient however much branches shrink it (He et al. 2016; ReZero: Bachlechner et al. 2020).',
    );
  } else if ((verdict === 'vanishing' || verdict === 'exploding') && e.hiddenLayers >= 2 && !gates.has('rezero')) {
    add([layers(gates.size ? "gate: 'rezero' in each { type: 'residual' } block" : `{ type: 'residual', gate: 'rezero', ${branch} } for each hidden layer after the first`)], rezeroWhy);
  }
  const drift = activationDrift(trace, e);
  if ((verdict === 'vanishing' || verdict === 'exploding') && (drift > DRIFT || drift < 1 / DRIFT)) {
    const measured = `activations' spread, last ÷ first hidden layer: ${fmt(drift)}`;
    if (!hidden.includes('selu')) {
      add(
        [trace.blocks ? layers("activation: 'selu' in each hidden dense or activation layer") : choice('activation', 'selu'), choice('init', 'lecun-normal')],
        `${measured}; SELU with LeCun-normal weights keeps activations near mean 0, variance 1 with depth (Klambauer et al. 2017).`,
      );
    }
    if (!trace.run.lsuv) {
      add([choice('init', 'lsuv'), { option: 'lsuv', value: 'true', flagValue: 'lsuv' }], `${measured}; LSUV rescales each layer on a batch to output variance 1 (Mishkin & Matas 2015).`);
    }
  }
}

/** The hidden activations' standard deviation at the last hidden layer over the first's, median over the records (NaN without two hidden layers). */
function activationDrift(trace: Trace, e: Evidence): number {
  const chain = e.chain ?? e.layers.slice(0, e.hiddenLayers).map((l) => l.layer);
  if (chain.length < 2) return NaN;
  const [first, last] = [chain[0], chain[chain.length - 1]];
  return median(Array.from({ length: trace.length }, (_, r) => trace.at('activationStd', r, last) / trace.at('activationStd', r, first)));
}

/**
 * The per-layer rates at the end of a dense network's trace: per weight layer, the median over
 * records `from`..`to` (the last LAYER_RATE_RECORDS) of each record's equalisingRates of ‖∂C/∂W‖.
 */
function recentRates(trace: Trace): { from: number; to: number; rates: number[] } {
  const to = trace.length - 1;
  const from = Math.max(0, to - LAYER_RATE_RECORDS + 1);
  const perRecord = Array.from({ length: to - from + 1 }, (_, i) => equalisingRates(trace.row('weightGradNorm', from + i)));
  const rates = Array.from({ length: trace.layers }, (_, l) => median(perRecord.map((record) => record[l])));
  return { from, to, rates };
}

/** The optimiser setting that keeps the run's optimiser as it was set (its momentum, Nesterov and weight decay) and adds `rates` (no flag takes it: an object), in its text and as numbers (RemedySetting.layerRates). */
function withLayerRates(run: TraceRun, rates: readonly number[]): RemedySetting {
  const settings = [
    `name: '${run.optimizer ?? 'sgd'}'`,
    ...(run.momentum !== undefined ? [`momentum: ${run.momentum}`] : []),
    ...(run.nesterov ? ['nesterov: true'] : []),
    ...(run.weightDecay !== undefined ? [`weightDecay: ${run.weightDecay}`] : []),
    ...(run.decayBiases === false ? ['decayBiases: false'] : []),
  ];
  // The rates as printed, so that the text and the numbers a program applies are the same run.
  const printed = rates.map((rate) => Number(rate.toPrecision(3)));
  return { option: 'optimizer', value: `{ ${[...settings, `layerRates: [${printed.join(', ')}]`].join(', ')} }`, layerRates: printed };
}

/**
 * The per-layer-rates remedy of a vanishing run, or none: only to a dense network's SGD run (or one
 * whose optimiser the trace does not name) without rates of its own. Rates go by weight layer, which
 * a block network's trace rows are not, and undo the gaps in the raw gradient, which only plain
 * gradient steps follow: Adam, AdamW, RMSProp and Adagrad divide each weight's step by its own
 * gradient's scale and LARS each layer's by its trust ratio, so the rates would overshoot the layers
 * with the small gradients; K-FAC, Hessian-free, L-BFGS and Levenberg–Marquardt scale each direction
 * by the curvature and take no layerRates at all.
 */
function layerRatesRemedy(trace: Trace, e: Evidence, add: AddRemedy): void {
  const run = trace.run;
  if (run.layerRates || trace.blocks || !LAYER_RATE_OPTIMIZERS.includes(run.optimizer ?? 'sgd')) return;
  // The rates at the end of the trace: a train() call given them on this network starts from there,
  // and fixed rates fit only the gradients of the moment they are measured at (the first record's
  // would fit a fresh start, whose gradients the network no longer has).
  const { from, to, rates } = recentRates(trace);
  if (!rates.slice(0, -1).some((rate) => rate >= LAYER_RATE_WORTH)) return;
  e.layerRates = rates;
  const window = from === to ? `at the last record (step ${trace.steps[to]})` : `over the last ${to - from + 1} records (the median over steps ${trace.steps[from]}–${trace.steps[to]}, so no one batch sets it)`;
  add(
    [withLayerRates(run, rates)],
    `a larger step for the layers with the smaller weight gradients ‖∂C/∂W‖: each hidden layer's rate is the last hidden layer's ‖∂C/∂W‖ over its own ${window}, ` +
      "so every hidden layer's weight step starts as large as the last hidden layer's, where training this network on would start" +
      `${run.optimizer ? ` (the run's ${run.optimizer} settings kept)` : ''}. Fixed rates fit only the gradients of that moment: ` +
      'once those shift they can overshoot (in `gradscope study remedies` they did not leave the plateau), so prefer lars, which re-measures the ratio every step.',
  );
}

/** Optimisers that undo a vanishing gradient after the fact, best-evidenced first, leaving out the run's own. */
function vanishingOptimizerRemedies(
  trace: Trace,
  e: Evidence,
  optimizerRemedy: (name: string, why: string) => void,
  add: AddRemedy,
): void {
  const run = trace.run;
  optimizerRemedy('lars', "scales each layer's step by its trust ratio ‖W‖/‖∇W‖, so the update-to-weight ratio is the same in every layer.");
  if (!GRADIENT_SCALED_STEPS.includes(run.optimizer ?? '')) {
    add([choice('optimizer', 'adam')], "divides each weight's step by the size of its recent gradients, so a small gradient still gives a normal-sized step.");
  }
  layerRatesRemedy(trace, e, add);
  // K-FAC takes dense networks only.
  const secondOrder = (trace.blocks ? ['hessian-free'] : ['kfac', 'hessian-free']).filter((name) => run.optimizer !== name);
  if (secondOrder.length) {
    add(
      [choice('optimizer', secondOrder[0])],
      'second-order methods use curvature to rescale the gradient of each direction, undoing the shrinking that the chain rule applied.',
      secondOrder[1] === undefined ? undefined : [choice('optimizer', secondOrder[1])],
    );
  }
}
