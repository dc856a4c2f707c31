/**
 * What diagnose() returns: the verdict, its severity, the evidence behind them (Diagnosis) and the
 * remedies. Part of diagnose() (diagnose.ts).
 */
import type { CurvatureEvidence } from '../curvature-evidence.js';
import type { OutputActivation } from '../../kernels.js';
import type { Remedy } from '../remedy.js';
import type { TrainingProgress } from '../training-progress.js';

/**
 * vanishing / exploding: the gradient shrinks / grows on its way back through the hidden layers;
 * dead: relu-family units pass no gradient at all; saturated: sigmoid, tanh or softsign units sit
 * at their limits, where σ' ≈ 0. Where the gradient flow shows none of these, the loss per epoch
 * decides (evidence.training, read from the epochs): loss-rising: the training loss rose above its
 * lowest (the steps overshoot); overfitting: the training loss did not rise while the loss on
 * held-out rows did; healthy: neither.
 */
export type Verdict = 'vanishing' | 'exploding' | 'dead' | 'saturated' | 'loss-rising' | 'overfitting' | 'healthy';

/**
 * Which ratio says how fast the first hidden layer learns beside the last (Evidence.speedMeasure):
 * 'batch gradient', ‖∂C/∂b‖ (firstToLast), for a run whose steps follow the raw gradient's size;
 * 'step', ‖ΔW‖/‖W‖ (stepFirstToLast), for one whose optimiser sets their size itself.
 */
export type SpeedMeasure = 'batch gradient' | 'step';

/** How far past its threshold a vanishing or exploding gap is. */
export type Severity = 'mild' | 'severe';

/** What diagnose() measured in one weight layer, over the trace's records. */
export interface LayerEvidence {
  /** Weight layer index, first layer 0. */
  layer: number;
  /** The layer's activation. */
  activation: OutputActivation;
  /** Median over the full batches' records (Trace.fullBatchRecords) of ‖∂C/∂b‖ (the batch gradient: the layer's speed of learning). */
  biasGradNorm: number;
  /** That median over the last hidden layer's. */
  ratioToLast: number;
  /** ‖∂C/∂b‖ over the last hidden layer's at the first record. */
  ratioToLastAtStart: number;
  /** Median over the full batches' records (Trace.fullBatchRecords) of the per-example RMS ‖δ‖ (what the chain rule multiplies). */
  deltaRms: number;
  /**
   * Median measured ‖δ^l‖/‖δ^{l+1}‖ and its chain-rule bound max σ'(z^l)·‖W^{l+1}‖₂ (LAYER_METRICS.chainBound), both over the
   * full batches' records (Trace.fullBatchRecords) where the bound was computed, so that each bound stands beside the factor of its own
   * weights (NaN for the output layer). A block network's trace computes no bound (Trace.lastRefreshed
   * is undefined): there the factor's median is over every full batch's record, and the bound is NaN.
   */
  chainFactor: number;
  /** The chain-rule bound beside chainFactor (see there). */
  chainBound: number;
  /** Median over the full batches' records (Trace.fullBatchRecords) of the saturated fraction; NaN where the activation does not saturate (see LAYER_METRICS). */
  saturatedFraction: number;
  /** Median over the full batches' records (Trace.fullBatchRecords) of the inactive fraction; NaN outside the relu family. */
  inactiveFraction: number;
  /** Median over the full batches' records (Trace.fullBatchRecords) of the dead fraction; NaN outside the relu family. */
  deadFraction: number;
  /** A batch-norm row's alone: the median over the full batches' records (Trace.fullBatchRecords) of the share of its features that were flat (flatFraction). */
  flatFraction?: number;
  /** Median ‖ΔW‖/‖W‖. */
  updateRatio: number;
}

/** A ratio of the first hidden layer's value over the last hidden layer's, at the first record, the last full batch's, and the median over the full batches' records. */
export interface FirstToLast {
  /** At the first record. */
  first: number;
  /** At the last full batch's record (Trace.lastFullBatchRecord: the last record, unless an epoch's short last batch came after it; evidence.shortLastBatch says so). */
  last: number;
  /** Median over the full batches' records (Trace.fullBatchRecords). */
  median: number;
}

/** diagnose()'s reading of a trace: a verdict, the evidence behind it and the remedies to try. */
export interface Diagnosis {
  /** What the gradient flow shows (see Verdict). */
  verdict: Verdict;
  /** For vanishing and exploding: mild between 1/16 and 1/4 (or 4 and 16×), severe at 1/16 (two sigmoid layers' worth of σ′ ≤ 1/4), or 16×, or beyond (or on Inf/NaN), of evidence.gap.ratio. */
  severity?: Severity;
  /**
   * One or two sentences to print before the tables and the summary: the summary's heading ('Vanishing gradients (severe)'),
   * the verdict's key figure as the summary states it, and the first remedy's settings. The key figure of a gap's verdict
   * (vanishing, exploding, healthy) says one measure to a clause, each with its records: first the gap the verdict was read
   * from, one example's δ at the first hidden layer against the last's, with the factor per layer where one was measured;
   * where the run did not end there, where it went (a gap closed over the run, or crossed over by the last record); beside a
   * gap past 4× that opened from an even start, whether that is no fault or what in the loss made it one; then how much
   * slower or faster the first hidden layer learns than the last by the run's speed measure (Evidence.speedMeasure), named
   * ('Vanishing gradients (severe): one example's gradient δ at the first hidden layer is 1/180 of the last hidden layer's
   * (median over 500 records, a factor of 0.177 per layer; …); by the batch gradient ‖∂C/∂b‖, which the update uses, the
   * first hidden layer learns 82.2× slower than the last (median over 500 records)'); of
   * dead or saturated units, the largest share of a hidden layer's; of a rising loss or overfitting, the losses read. A verdict
   * on the flow adds where the run stands and the share of the rows it read right, named as the summary names them ('; still
   * learning, with 93 % of the training rows classified right', '; a plateau, at chance, with 10 % of a subset of 1,000 training
   * rows classified right'), so that a mild gap beside a network that learns
   * well does not read as a fault alone. Then 'Try' and the first
   * remedy's first choice by the API's option keys, in the words of its `option` (remedyText's, before any ' (or …)': a value
   * in words as words, `learningRate: below 0.1`), and how many remedies there are, a rate a switch to relu carries said to be
   * the careful bound it is: ' Try activation: 'relu', init: 'he-normal', learningRate: 0.002 (0.002 is a careful bound, the
   * largest rate at which every relu network measured held, not the rate that trains one best; the first of 7 remedies).'
   * Nothing where there is no remedy. It holds no figure the
   * summary or that remedy does not. The command line and its reports say the remedy as a command line, as their lists do.
   */
  headline: string;
  /** One paragraph: what was measured and what it means (the terminal prints it so; `paragraphs` holds it in paragraphs). */
  summary: string;
  /**
   * The summary in paragraphs, in its order (joined by single spaces they are `summary`): what the gradient flow shows (beside a
   * verdict on the loss, where the loss stands first), its causes where the evidence names one (rows alike, inputs far from
   * standardised, flat batch norms), where the run stands, then on its own the question only the curvature answers where it asks
   * one (a plateau whose curvature was not given: "The gradient alone cannot tell a local minimum from a saddle …", with how to
   * measure it), what the optimiser made of a gap, what else holds (dead or saturated units beside another verdict), and the
   * curvature's answer where diagnose() was given it. The HTML report and the visualizer show one paragraph each, the how-to once.
   */
  paragraphs: string[];
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
    /**
     * Only where some were: the batch-norm rows at least 10 % (0.1) of whose features
     * were flat (median over the full batches' records of flatFraction): their input hardly varied
     * over the batch, so each such feature leaves as its shift β on every row, and the gradient
     * passing back through it is multiplied by γ/√(σ² + ε).
     */
    flatNorms?: number[];
    /** Beside normalisedBy: ‖∂C/∂W‖/‖W‖ of the first hidden layer over the last hidden layer's. */
    relativeGradientFirstToLast?: FirstToLast;
    /**
     * Beside normalisedBy: the gap's measure there, the gap deltaFirstToLast and
     * relativeGradientFirstToLast agree on (each of first, last, median: where both lie on the same
     * side of 1, the one nearer 1; NaN where they point opposite ways). Neither alone decides: δ before a
     * norm follows its own weights' scale, the relative gradient each layer's fan-in.
     */
    normalisedGap?: FirstToLast;
    /** Trace records read (the medians read the fullBatchRecords of them where that is present). */
    records: number;
    /**
     * Where an epoch's short last batch was recorded: the records of full batches (Trace.fullBatchRecords), which every median
     * over the records here reads (a short batch's gradient norms, step and dead units are of its few rows alone). Absent where
     * every record is a full batch's.
     */
    fullBatchRecords?: number;
    /**
     * Per-example RMS ‖δ‖ of the first hidden layer over the last hidden layer's: the verdict's
     * measure, since the chain rule and its σ' ≤ 1/4 bound are about each example's δ, and
     * cancellation between examples cannot lower it.
     */
    deltaFirstToLast: FirstToLast;
    /**
     * ‖∂C/∂b‖ of the first hidden layer over the last hidden layer's: how much slower the first layer
     * learns (Nielsen's measure) where the steps follow the raw gradient (speedMeasure 'batch
     * gradient'). NaN where a batch norm cancels either one's bias (biasesCancelledByBatchNorm: its
     * gradient is 0 up to rounding, no speed of learning) or either has none (a dense layer built with `bias: false`).
     */
    firstToLast: FirstToLast;
    /**
     * ‖ΔW‖/‖W‖ (the step taken, relative to the weights) of the first hidden layer over the last
     * hidden layer's, each record's step the one made from that record's gradient: how much slower the
     * first layer learns where the optimiser sets the steps' size itself (speedMeasure 'step').
     * Its median is updateFirstToLast.
     */
    stepFirstToLast: FirstToLast;
    /**
     * ‖∂C/∂W‖/‖W‖ (the loss's gradient relative to the weights) of the first hidden layer over the last hidden layer's: the relative
     * step plain gradient descent takes for the loss, weight decay's shrink aside (its median is gradientFirstToLast; across norm
     * rows it is relativeGradientFirstToLast too). Where the speed is read from ‖∂C/∂b‖, a bias gradient, the summary and headline
     * say beside it how much slower the first hidden layer's weights learn by this ratio (lecturer52 #5).
     */
    weightGradientFirstToLast: FirstToLast;
    /**
     * Which of firstToLast and stepFirstToLast the summary's "the first hidden layer learns N× slower
     * than the last" reads, at the records the gap is read from (see SpeedMeasure): 'batch gradient'
     * for SGD (with or without momentum or L2 decay) without per-layer rates, 'step' for every other
     * optimiser (Adam, AdamW, RMSProp, Adagrad, LARS, per-layer rates, second-order methods).
     */
    speedMeasure: SpeedMeasure;
    /**
     * The first-to-last ratio the verdict and its severity are read from: of the gap's measure
     * (deltaFirstToLast, or normalisedGap across norm rows) at the first record and its median over
     * the records, the one further from 1 (a gap that closes later does not undo the slow start of the
     * first layers), and which of the two it is. Where the other lies in another band (mild, severe,
     * or the other side of 1), the summary says both. NaN without two hidden layers, or where neither
     * can be read.
     */
    gap: {
      /** The ratio: ≤ 1/4 vanishing, ≥ 4× exploding, and severe at 1/16, 16× or beyond. */
      ratio: number;
      /** Where it was read: 'first record', or 'median' over the full batches' records. */
      readAt: 'first record' | 'median';
    };
    /** log10(last/first) of deltaFirstToLast: negative means the gap between the layers widened during training. */
    trendDecades: number;
    /**
     * The shrink (< 1) or growth per layer of one example's δ on its way back from the last hidden
     * layer to the first, at the records the decisive gap is read from (the first record, or the
     * median over the full batches' records: the summary says which): deltaFirstToLast there to the power
     * 1/(hiddenLayers − 1), the geometric mean of the measured chain factors of those links, whose
     * product it is. NaN without two hidden layers or where a link has no measured factor (a
     * residual block between two of them).
     */
    meanChainFactor: number;
    /**
     * Where the trace's last record is of an epoch's short last batch (fewer rows than a full one):
     * its step and rows, and the step of the last full batch's record, read as "the last record" in
     * its place (firstToLast.last, lastHiddenChange where changeWindow is 1, the per-layer rates' window). Absent otherwise,
     * and for a trace saved without its batches' rows (TraceJSON.batchRows: each record read as full).
     */
    shortLastBatch?: {
      /** The step of the trace's last record, the short batch's. */
      step: number;
      /** Rows in that batch (fewer than a full batch's). */
      rows: number;
      /** The step of the last full batch's record, read in its place. */
      readStep: number;
    };
    /**
     * ‖∂C/∂b‖ of the last hidden layer at the end of the run over its start: the median over the last changeWindow full batches'
     * records over the median over the first changeWindow (with a window of 1, the last full batch's record over the first record),
     * below 0.01 (1 % of its start) where the gradient faded over training time (NaN where a batch norm cancels its bias or it has none, as firstToLast).
     */
    lastHiddenChange: number;
    /** The same for its per-example RMS ‖δ‖: when it fell far less, the batch gradient fell by cancellation. */
    lastHiddenDeltaChange: number;
    /**
     * How many full batches' records at each end lastHiddenChange and lastHiddenDeltaChange are medians over: 20,
     * or a fifth of the full batches' records where that is fewer, at least 1, so that one batch's sampling noise does not decide
     * whether the gradient faded over training time; 1 for a full-batch run (every epoch one batch), which has no batch noise.
     */
    changeWindow: number;
    /**
     * A mini-batch run's last hidden layer at the end: its batch ‖∂C/∂b‖ against the sampling noise of a batch of its rows, over the
     * last changeWindow full batches' records. Where more than half (0.5) of its square is estimated to be noise, the summary of a
     * plateau says the batch gradient cannot tell how far the gradient of the mean loss fell, nor so whether it faded over training time. Absent for a full-batch run, batches of one row, a bias a batch norm cancels
     * (lastHiddenChange NaN), or where it could not be read.
     */
    endNoise?: BatchNoise;
    /**
     * Where the caller gave the mean loss's gradient over fixed rows at the run's ends (diagnose's meanLossGradient): the last
     * hidden layer's ‖∂C/∂b‖ of it at the end over the start (`change`, below 0.01 where the gradient faded over training time,
     * read in place of lastHiddenChange), and how many rows (`rows`). Absent where not given, or where either end's was 0 or not
     * a number (a bias a batch norm cancels).
     */
    meanLossChange?: {
      /** The last hidden layer's ‖∂C/∂b‖ of the mean loss at the end over at the start. */
      change: number;
      /** How many fixed rows the mean loss was taken over (meanLossGradient.rows). */
      rows: number;
    };
    /** The curvature where the run ended, when the caller measured it (diagnose's options). */
    curvature?: CurvatureEvidence;
    /**
     * Where the run stands: converged, on a plateau, still learning, its loss rising or overfitting
     * (flow/training-progress.ts), read from the per-epoch losses where the trace holds two epochs or
     * more, else from its batches' loss and accuracy; absent with too little to tell (fewer than 2
     * epochs and fewer than 4 records).
     */
    training?: TrainingProgress;
    /** Median over the full batches' records (Trace.fullBatchRecords) of ‖ΔW‖/‖W‖ (the step taken) of the first hidden layer over the last hidden layer's (stepFirstToLast.median). */
    updateFirstToLast: number;
    /** The same for ‖∂C/∂W‖/‖W‖: the relative steps plain gradient descent would have taken (weightGradientFirstToLast.median). */
    gradientFirstToLast: number;
    /**
     * The gradient vanishes or explodes and the optimiser evens the steps out: plain gradient steps
     * would differ more than 4× between the first and the last hidden layer (gradientFirstToLast),
     * the steps taken differ less (updateFirstToLast), as Adam, LARS, second-order methods and
     * per-layer rates do. False where the gap closed during training (the summary's "closed during
     * training"): a closed gap leaves nothing to compensate.
     */
    compensated: boolean;
    /**
     * Median over the full batches' records (Trace.fullBatchRecords) of λ·‖W‖/‖∂C/∂W‖ of the first hidden layer, for a run with L2 weight
     * decay λ (TraceRun.weightDecay; not AdamW's decoupled decay): above 1, the decay's pull on that
     * layer outweighs its gradient, so its steps are mostly the decay's. NaN without L2 decay.
     */
    decayToGradient: number;
    /**
     * As compensated, but the first hidden layer's steps are mostly L2 weight decay's
     * (decayToGradient > 1): the decay shrinks every layer's weights by the same fraction each
     * step, which evens ‖ΔW‖/‖W‖ out whatever the gradients do, so the optimiser is not credited.
     * False where the gap closed during training, as compensated.
     */
    evenedByDecay: boolean;
    /** Per weight layer, first first. */
    layers: LayerEvidence[];
    /** Hidden layers of sigmoid, tanh or softsign units of which more than half (0.5) are saturated (median over the full batches' records). */
    saturatedLayers: number[];
    /** Hidden relu-family layers of which more than half (0.5) of the units are dead (median over the full batches' records): the dead verdict's. */
    deadLayers: number[];
    /** Hidden relu-family layers of which at least 10 % (0.1) of the units are dead (median over the full batches' records), deadLayers among them: each gets the dead units' remedies. */
    layersWithDeadUnits: number[];
    /** Whether a recorded gradient or weight norm was NaN or Inf. */
    nonFinite: boolean;
    /** Only where onNonFinite 'skip' left batches out of the traced epochs (TraceEpoch.skipped): how many, of how many (see SkippedBatches). */
    skippedBatches?: SkippedBatches;
    /**
     * The decisive gap is a mild exploding one (the first hidden layer's gradient from 4× the last's up to 16×) that opened
     * while the network learnt (see grewWhileLearning): said as a note beside a healthy verdict, no
     * fault to fix. False otherwise: a severe gap, Inf or NaN values, a gap the first record had, or a
     * run that did not train well stays exploding.
     */
    grewWhileLearning: boolean;
    /**
     * Only where the decisive gap is a mild exploding one (4× up to 16×) read from a first hidden layer to a last one inside the
     * branch of a residual block of gate 'none', and the skips bound the trunk's gradient growth below 4×, the exploding line: that bound
     * (the product over those blocks of 1 + the branch's share of ∂C/∂x beside the skip's, skipGrowthBound). The gap then compares
     * a trunk layer's δ with a branch layer's, which the branch's own weights scale: no growth along the chain, so no exploding
     * verdict (newuser43: the residual remedy applied as offered read "Exploding gradients (mild)", 6.90× against a bound of 1.39×).
     */
    skipCarried?: number;
    /**
     * Only where a per-layer-rates remedy is offered: its multipliers as computed (the remedy's option
     * prints them to 3 significant digits), one per weight layer, by equalisingRates
     * (src/equalising-rates.ts), the rule equalisingLayerRates applies to a network on probe rows.
     * Absent, with the remedy, where the learning rate × the largest would pass 30 (see diagnose), ÷ (1 − momentum) with momentum.
     */
    layerRates?: number[];
  };
  /**
   * What to change, by gradscope's option names (remedyText says them in a printer's terms), and why, nothing the run already
   * uses. In the order the diagnosis reads its findings: the verdict's own remedies first, each verdict's in a fixed order
   * (docs/gradient-flow.md, "The diagnosis"), then those of the other findings beside it and of where the run stands. Not a
   * ranking: no remedy is tried on the run, so none is measured to help it more than another.
   */
  remedies: Remedy[];
  /**
   * Only on a healthy verdict that no measurement of the gradient flow decided (flowUndecided): no gap
   * between the chain's ends could be read (0 ÷ 0 or not a number in every record), or the network has
   * no chain of two hidden layers and its run did not learn (or too little was traced to tell); the
   * summary heads "No fault found in the gradient flow" and says why. Printers show it as undecided
   * (verdictHeading), not as healthy. Absent otherwise.
   */
  undecided?: true;
}

export type Evidence = Diagnosis['evidence'];

/** The batches onNonFinite 'skip' left out of a trace's epochs (Evidence.skippedBatches): each such epoch's loss is the mean over its applied batches alone. */
export interface SkippedBatches {
  /** Batches left out, summed over the trace's epochs (TraceEpoch.skipped). */
  skipped: number;
  /**
   * The batches of those epochs in all, left out and applied (TraceEpoch.skipped + TraceEpoch.batches);
   * absent where an epoch does not record what it applied (a trace saved before gradscope recorded it): unknown.
   */
  batches?: number;
  /** Epochs of the trace that left some out. */
  epochs: number;
  /** Epochs the trace holds (a thinned trace's kept ones: Trace.keepEpochs). */
  of: number;
  /** Only for a thinned trace: the epochs its first and last kept ones span, of which `of` were kept (the counts above are of those kept alone). */
  ofRun?: number;
}

/**
 * A batch gradient against its batch's sampling noise (Evidence.endNoise). Over m rows whose gradients δₓ point every way,
 * ‖∂C/∂b‖ = ‖mean δₓ‖ is about RMS ‖δₓ‖/√m; where they all agree, RMS ‖δₓ‖.
 */
export interface BatchNoise {
  /** ‖∂C/∂b‖ ÷ (per-example RMS ‖δ‖ ÷ √rows), the root mean square over the records read: 1 for gradients with no common direction, √rows for gradients all alike. */
  ratio: number;
  /** Rows in a batch (m), the last record read's. */
  rows: number;
}
