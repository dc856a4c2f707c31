/**
 * diagnose(trace): what the gradient flow of a run looks like (vanishing, exploding, dead or
 * saturated units, or healthy), the evidence that decided it, and the remedies the evidence points
 * to, by the names gradscope's options take, leaving out what the run already uses. Worded for a
 * learner. The thresholds follow from σ' ≤ 1/4 (docs/gradient-flow.md, "The diagnosis"). This file reads
 * the evidence and assembles the diagnosis; the verdict's rules, the measures, the summary's sentences
 * and the remedies each live in a file of their own, and the public names are re-exported here.
 */
import { checkCurvatureEvidence, type CurvatureEvidence, curvatureSentence } from './curvature-evidence.js';
import { checkMeanLossGradient, type MeanLossGradient } from './mean-loss-gradient.js';
import { checkChoice, checkKnownKeys } from '../checks.js';
import { invalidOption, shown } from '../errors.js';
import { RELU_RATE_CHOICES, type ReluRateChoice } from './relu-remedy-rates.js';
import { readSameSetupRelu, type SameSetupRelu } from './same-setup-relu.js';
import type { LayerMetric } from './metrics.js';
import { Trace } from './trace.js';
import { isSavedTrace, SAVED_TRACE_WORDS } from './saved-trace.js';
import { BATCH_NORM_BLOCKING_ROWS } from '../layers/spec.js';
import { biasesCancelledByBatchNorm } from './cancelled-biases.js';
import { median } from '../median.js';
import { atChance, trainingProgress } from './training-progress.js';
import { DEAD_LAYER, DEAD_UNITS, FLAT_FEATURES, SATURATED_LAYER } from './diagnosis/diagnosis-thresholds.js';
import type { Diagnosis, Evidence, FirstToLast, LayerEvidence, Severity } from './diagnosis/diagnosis-types.js';
import { agreedGap, decisiveReading, even, gapSeverity, hiddenChain, normRows, positiveFinite } from './diagnosis/gap-measures.js';
import { summarise } from './diagnosis/summary.js';
import { CLOSED_GAP_WORDS, headline, verdictDegree } from './diagnosis/headline.js';
import { gapRecords, medianOverRecords, percent } from './diagnosis/diagnosis-words.js';
import { remediesFor } from './diagnosis/verdict-remedies.js';
import { speedMeasureOf } from './diagnosis/learning-speed.js';
import { skippedBatches } from './diagnosis/skipped-batches.js';
import { lossFigure } from './diagnosis/progress-readings.js';
import { flowUndecided, gapClosed, grewWhileLearning, skipCarried, verdictOf } from './diagnosis/verdict-rules.js';
import { changeOverTime, changeWindowOf, endNoiseOf, skipGrowthBound } from './diagnosis/evidence-readings.js';
import { numberText } from '../number-text.js';

// diagnose()'s public names, defined in the files of their jobs: importers keep importing them from here.
export type { Verdict, Severity, LayerEvidence, FirstToLast, Diagnosis, SkippedBatches, SpeedMeasure, BatchNoise } from './diagnosis/diagnosis-types.js';
export { VANISHING_RATIO, EXPLODING_RATIO, SEVERE_RATIO, SATURATED_LAYER, DEAD_LAYER, DEAD_UNITS, GRADIENT_FADED, FADE_WINDOW_RECORDS, BATCH_NOISE_SHARE, CANCELLATION, LAYER_RATE_RECORDS, LAYER_RATE_WORTH, LAYER_STEP_SIZE_BOUND, TRAINED_LOSS_FRACTION, DRIFT } from './diagnosis/diagnosis-thresholds.js';
export { hiddenChain } from './diagnosis/gap-measures.js';
// The optimiser groups the remedies read, defined beside the optimisers' other shared settings: importers keep taking them from here.
export { OWN_GRADIENTS, OWN_STEP_LENGTH } from '../optimizer-defaults.js';

/**
 * Whether the run ended at chance (atChance: its accuracy within AT_CHANCE_MARGIN of a guess among its
 * classes) under a verdict that judges the gradient flow alone and finds no fault: healthy, or
 * undecided. Such a heading alone reads as "the model is fine"; it is not.
 */
const flowFineModelAtChance = (d: Pick<Diagnosis, 'verdict' | 'evidence'>) => d.verdict === 'healthy' && d.evidence.training !== undefined && atChance(d.evidence.training);

/**
 * The verdict as a diagnosis's heading shows it: 'VANISHING', 'HEALTHY', or 'NO FAULT FOUND' where
 * nothing measured decided it (Diagnosis.undecided); beside a run that ended at chance, the flow's
 * verdict is named as the flow's and the model's state said after it: 'HEALTHY GRADIENT FLOW, MODEL
 * AT CHANCE', 'NO FAULT FOUND IN THE GRADIENT FLOW, MODEL AT CHANCE'. A vanishing or exploding gap that
 * closed during training (gapClosed) is headed as the summary's head says it, 'VANISHING AT THE FIRST
 * STEP, CLOSED DURING TRAINING': 'VANISHING' alone sat over a summary saying the gap had closed (newuser49 #4).
 */
export function verdictHeading(d: Pick<Diagnosis, 'verdict' | 'undecided' | 'evidence'>): string {
  if (flowFineModelAtChance(d)) return `${d.undecided ? 'NO FAULT FOUND IN THE GRADIENT FLOW' : 'HEALTHY GRADIENT FLOW'}, MODEL AT CHANCE`;
  if (gapClosed(d.verdict, d.evidence)) return `${d.verdict.toUpperCase()} ${CLOSED_GAP_WORDS.toUpperCase()}`;
  return d.undecided ? 'NO FAULT FOUND' : d.verdict.toUpperCase();
}

/**
 * The verdict with its severity, as tables show it: 'vanishing (mild)', 'healthy'; a healthy flow beside a run that ended at chance
 * 'healthy flow, at chance'; a gap that closed during training as the headline says it, 'vanishing (severe at the first step,
 * closed during training)' (verdictDegree: the tables said 'vanishing (severe)' of it).
 */
export function verdictLabel(d: Pick<Diagnosis, 'verdict' | 'severity' | 'evidence'>): string {
  if (flowFineModelAtChance(d)) return 'healthy flow, at chance';
  return d.severity ? `${d.verdict} (${verdictDegree(d.verdict, d.severity, d.evidence)})` : d.verdict;
}

/**
 * The verdict as a study table's cell beside a per-example gap its row shows (`shown`: the first
 * record's or the median over the records of RMS ‖δₓ‖; undefined where the row shows none, as beside
 * ‖∂C/∂b‖), saying what it was read from (VERDICT_CELL_HEADING says so for a table): verdictLabel where
 * it was read from that reading, else the figure it was read from and where, so that no verdict sits
 * beside a number it was not read from. A gap's verdict (vanishing, exploding, healthy) gives the gap
 * (evidence.gap): 'vanishing (severe: 0.0100, median over 11 records)', 'healthy (0.520, median over
 * 20 records)', 'healthy flow (0.520, median over 20 records), at chance' beside a run that ended at chance,
 * 'healthy (5.20, median over 20 records, grew while learning)' for a gap that opened while it learnt (evidence.grewWhileLearning);
 * one from Inf or NaN values, 'exploding (severe: Infinity or NaN values)'; a flow whose
 * gap could not be read (Diagnosis.undecided), 'no fault found (no gap read)'; dead or saturated units,
 * the largest share of a hidden layer's units ('dead (62 % of a hidden layer's units, median over 20
 * records)'); a verdict on the loss, the losses it read ('loss-rising (training loss 0.107 after 39 epochs → mean
 * 0.135 over the last 20 of 100 epochs)'), and a healthy one without a gap (a single hidden layer) the training loss
 * that neither rose nor overfitted, from the first step to the end (progress-readings' lossFigure).
 */
export function verdictCell(d: Pick<Diagnosis, 'verdict' | 'severity' | 'evidence' | 'undecided'>, shown?: Evidence['gap']['readAt']): string {
  const e = d.evidence;
  if (e.nonFinite) return `${d.verdict} (${d.severity}: Infinity or NaN values)`;
  if (d.verdict === 'dead' || d.verdict === 'saturated') {
    const shares = (d.verdict === 'dead' ? e.deadLayers : e.saturatedLayers).map((l) => e.layers[l][d.verdict === 'dead' ? 'deadFraction' : 'saturatedFraction']);
    return `${d.verdict} (${percent(Math.max(...shares))} of a hidden layer's units, ${medianOverRecords(e)})`;
  }
  if (d.verdict === 'loss-rising') return `${d.verdict} (${e.training ? lossFigure(e.training, 'rising') : 'the training loss'})`;
  if (d.verdict === 'overfitting') return `${d.verdict} (${e.training ? lossFigure(e.training, 'overfitting') : 'the held-out loss'})`;
  // Beside a run that ended at chance, that is said after the flow's figure (verdictLabel).
  const atChance = flowFineModelAtChance(d) ? ', at chance' : '';
  if (d.undecided) return `${atChance ? 'no fault found in the flow' : 'no fault found'} (no gap read)${atChance}`;
  // A gap's verdict: the gap read beside it, unless across norm rows (normalisedGap), another measure than the row's RMS ‖δₓ‖.
  if (e.gap.readAt === shown && !e.normalisedBy) return verdictLabel(d);
  const figure = `${numberText(e.gap.ratio)}, ${gapRecords(e)}`;
  // A gap read at the first step that closed during training says so after its figure, as the headline's head does (verdictDegree).
  const closed = gapClosed(d.verdict, e) && e.gap.readAt === 'first record';
  if (d.severity) return `${d.verdict} (${d.severity}: ${closed ? `${numberText(e.gap.ratio)} ${CLOSED_GAP_WORDS}` : figure})`;
  // Healthy: its gap, where there is one; a gap at or past EXPLODING_RATIO says why it is no fault. A single hidden layer has
  // no gap to read: the losses that found no rise and no overfitting, where the trace held enough to read them. A deeper
  // net without a gap figure (its flow unread, as across norm rows) was not read from the loss: its label alone.
  const grew = e.grewWhileLearning ? ', grew while learning' : '';
  const healthy = atChance ? 'healthy flow' : d.verdict;
  if (positiveFinite(e.gap.ratio)) return `${healthy} (${figure}${grew})${atChance}`;
  return e.training && e.hiddenLayers < 2 ? `${healthy} (${lossFigure(e.training, 'neither')})${atChance}` : verdictLabel(d);
}

/** A study table's heading over verdictCell's cells beside the row's first ÷ last RMS ‖δₓ‖ at the first step: why some give no figure. */
export const VERDICT_CELL_HEADING = 'verdict (from first ÷ last RMS ‖δₓ‖ at start, unless it says what else)';
/** The heading over verdictCell's cells beside no per-example gap (study (a)'s ‖∂C/∂b‖ columns): each gives its figure, and a gap's is of another measure than its row's. */
export const VERDICT_FIGURE_HEADING = 'verdict (a gap\'s figure: first ÷ last RMS ‖δₓ‖)';

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
  if (isSavedTrace(trace)) throw invalidOption(`diagnose(trace): ${SAVED_TRACE_WORDS}`);
  const got = typeof trace === 'object' && !Array.isArray(trace) ? 'an object that is not one' : shown(trace);
  throw invalidOption(`diagnose(trace): expected a Trace, got ${got}; ${traced}`);
}

/** diagnose()'s options beside the trace; each is optional, and none is read where absent. */
export interface DiagnoseOptions {
  /** Whether the run ended at a saddle or a minimum (flow/curvature-evidence.ts), said after the summary. Default: none (no curvature said). */
  curvature?: CurvatureEvidence;
  /**
   * ‖∂C/∂b‖ of the mean loss over the same fixed rows at the weights the run started from and at those it ended at, one entry
   * per trace row (MeanLossGradient: `net.gradients(x, y)` before and after the run; the visualizer's on its first 256 training
   * rows). Where given, whether the gradient faded over training time is read from the last hidden layer's (evidence.meanLossChange,
   * faded below 0.01 of its start, as the batch's would be), not from the medians of its batch gradient, which on a plateau are mostly their batches' sampling
   * noise (evidence.endNoise) and fall only as each example's δ does. Default: none (the batch medians are read).
   */
  meanLossGradient?: MeanLossGradient;
  /**
   * The held-out rows' loss (train()'s validation rows, other than its training rows) at the
   * weights the run started from, before its first epoch (a finite loss ≥ 0; study --model
   * measures it on its test digits): the trace holds the held-out loss after each
   * epoch only, and where this one lies at or below their lowest no epoch of the run lowered it,
   * so the early-stopping remedy (stop after the epoch of the lowest) is not offered and the summary
   * says so (ComparedLosses.start). Default: none (the epochs' lowest is read as the run's).
   */
  heldOutAtStart?: number;
  /**
   * Which row of RELU_REMEDY_RATES a switch to relu (or, for dead units, to leaky-relu) takes its
   * learning rate from: the set-up the remedy is offered for ('command': `gradscope train`'s digits,
   * or for a run whose every epoch was one batch the 'full-batch' row, the digits as study (a) trains them;
   * 'page-spirals', 'page-circles', 'page-xor', 'page-mnist': the visualizer on each of its data sets),
   * or 'own-rows' (OWN_ROWS) for rows none of them is, your own: the run's rate is kept up to the
   * largest bound any of them measured, or over inputs far from standardised lowered to the digits'
   * ('gradscope study --model --data' passes it), the reason naming the other rate.
   * Default: 'command'.
   */
  reluRates?: ReluRateChoice;
  /**
   * A relu network with He's weights trained on this run's own set-up at its learning rate (its sizes, output and loss; its
   * optimiser and settings, batch size, rows and epochs: refused where any differs), with its accuracy on rows it did not train
   * on after each epoch. Where it held as the rows of RELU_REMEDY_RATES read each of their networks (reluRunHeld: its batch loss
   * fell from its first traced step to its last epoch, no layer dead, its last epoch within RELU_LATE_DROP_MARGIN of its best),
   * the switch to relu keeps the run's rate, which that network measured, where the row would lower it to its bound (a careful
   * one, measured on other networks and budgets), and the reason says both; where it did not hold, the reason says how beside the
   * row's bound. Study (b) (runActivationStudy) passes its relu + he-normal run to its other runs' diagnoses. Default: none.
   */
  sameSetupRelu?: SameSetupRelu;
  /**
   * Whether some of the trace's validation rows (train()'s `validation`, whose loss it records after
   * each epoch) trained the model before this run: `gradscope study --model` sets it where its test
   * digits are among those the model file records as having trained it (cli/seen-test-rows.ts). The
   * diagnosis then calls them the validation rows and their loss the validation loss, never 'held
   * out', and does not say the network fits its training rows at the cost of rows it has not seen.
   * Default: false (the validation rows are held out, as train()'s are meant to be).
   */
  validationSeen?: boolean;
  /**
   * Whether the run trains until it is stopped, with no number of epochs set (the visualizer's Step and Run): a switch of optimiser
   * then carries no `epochs` beside its batch (carriedEpochs: Hessian-free's, set to the steps the run took, a number that grew with
   * every epoch the page ran), and its reason speaks of none; more epochs are asked as `epochs: more`, not 'more than N' of the
   * epochs it has run (nor, for a run its epochs cannot read, a count that grows with them): such a run trains on until it is
   * stopped. Early stopping keeps its epoch (the held-out loss's lowest, which does not grow). Default: false (the run's epochs were
   * set, as train()'s are).
   */
  openEnded?: boolean;
}

/**
 * The trace's diagnosis; `curvature`, when given, adds whether the run ended at a saddle or a minimum
 * (flow/curvature-evidence.ts), `meanLossGradient` the mean loss's gradient over fixed rows at the run's ends (read over training
 * time in place of the batch medians), `heldOutAtStart` the held-out loss before the first epoch. The evidence is read over the full batches' records (medians; Trace.fullBatchRecords: an epoch's short last
 * batch holds a gradient of its few rows alone) and at the first and the last full batch's; the per-layer rates a vanishing SGD run is offered, as the median over the last
 * 20 full batches' records of each record's equalisingRates (the rule of equalisingLayerRates), only while the
 * learning rate × the largest stays within 30, past which fixed rates saturated sigmoid layers; with
 * momentum μ that step ÷ (1 − μ), the steady one (LARS's reason then says why none are offered).
 */
export function diagnose(trace: Trace, options: DiagnoseOptions = {}): Diagnosis {
  checkTrace(trace);
  checkKnownKeys(options, ['curvature', 'meanLossGradient', 'heldOutAtStart', 'reluRates', 'sameSetupRelu', 'validationSeen', 'openEnded'], 'diagnose(trace, options)');
  if (options.curvature !== undefined) checkCurvatureEvidence(options.curvature, 'diagnose(trace, options): curvature');
  const meanLoss = options.meanLossGradient === undefined ? undefined : checkMeanLossGradient(options.meanLossGradient, trace.layers, 'diagnose(trace, options): meanLossGradient');
  const row = checkChoice(options.reluRates ?? 'command', RELU_RATE_CHOICES, 'diagnose(trace, options): reluRates');
  const sameSetup =
    options.sameSetupRelu === undefined ? undefined : readSameSetupRelu(trace, options.sameSetupRelu, (relu) => diagnose(relu).evidence.deadLayers.length, 'diagnose(trace, options): sameSetupRelu');
  const start = options.heldOutAtStart;
  if (start !== undefined && !(typeof start === 'number' && Number.isFinite(start) && start >= 0)) {
    throw invalidOption(`diagnose(trace, options): heldOutAtStart is ${shown(start)}; expected the held-out rows' loss before the first epoch, a finite number ≥ 0`);
  }
  const seen = options.validationSeen;
  if (seen !== undefined && typeof seen !== 'boolean') throw invalidOption(`diagnose(trace, options): validationSeen is ${shown(seen)}; expected true or false`);
  const openEnded = options.openEnded;
  if (openEnded !== undefined && typeof openEnded !== 'boolean') throw invalidOption(`diagnose(trace, options): openEnded is ${shown(openEnded)}; expected true or false`);
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
  // "The last record" is the last full batch's, and the medians are over the full batches' records: an epoch's short last batch holds a
  // gradient of its few rows alone (fullBatchRecords).
  const full = trace.fullBatchRecords();
  const lastFull = full.at(-1);
  const overFull = (values: readonly number[]) => median(full.map((r) => values[r]));
  const firstLastMedian = (values: number[]): FirstToLast => ({ first: values[0] ?? NaN, last: lastFull === undefined ? NaN : values[lastFull], median: overFull(values) });
  // Over training time: medians over windows of records at each end, not one batch's record (FADE_WINDOW_RECORDS).
  const changeWindow = changeWindowOf(trace, full);
  const change = (metric: LayerMetric) => changeOverTime(trace, metric, lastHidden, full, changeWindow);

  const bounded = trace.lastRefreshed() !== undefined;
  const layers: LayerEvidence[] = Array.from({ length: L }, (_, l) => {
    const bounds = series('chainBound', l);
    // A factor counts where its bound was measured too (NaN: left out of the median).
    const factors = series('chainFactor', l).map((f, r) => (!bounded || !Number.isNaN(bounds[r]) ? f : NaN));
    return {
      layer: l,
      activation: trace.activations[l],
      biasGradNorm: overFull(series('biasGradNorm', l)),
      ratioToLast: NaN,
      ratioToLastAtStart: records === 0 ? NaN : trace.at('biasGradNorm', 0, l) / trace.at('biasGradNorm', 0, lastHidden),
      deltaRms: overFull(series('deltaRms', l)),
      chainFactor: overFull(factors),
      chainBound: overFull(bounds),
      saturatedFraction: overFull(series('saturatedFraction', l)),
      inactiveFraction: overFull(series('inactiveFraction', l)),
      deadFraction: overFull(series('deadFraction', l)),
      updateRatio: overFull(series('updateRatio', l)),
      ...(trace.blocks?.layers[l].type === 'batch-norm' && { flatFraction: overFull(series('flatFraction', l)) }),
    };
  });
  layers.forEach((e) => (e.ratioToLast = e.biasGradNorm / layers[lastHidden].biasGradNorm));

  const deltaFirstToLast = firstLastMedian(ratioSeries('deltaRms'));
  const cancelled = biasesCancelledByBatchNorm(trace);
  // A row whose ‖∂C/∂b‖ measures no speed of learning: a batch norm cancels its bias, or it has none (a dense layer built without one).
  const biasCancelled = (l: number) => cancelled.includes(l) || !trace.recordsMetric('biasGradNorm', l);
  const normalisedBy = normRows(trace, chain);
  const flatNorms = layers.filter((e) => (e.flatFraction ?? 0) >= FLAT_FEATURES).map((e) => e.layer);
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
  const stepFirstToLast = firstLastMedian(ratioSeries('updateRatio'));
  const updateFirstToLast = stepFirstToLast.median;
  const weightGradientFirstToLast = firstLastMedian(ratioSeries('weightGradNorm', 'weightNorm'));
  const gradientFirstToLast = weightGradientFirstToLast.median;
  // AdamW's decay is decoupled: it shrinks W beside Adam's normalised step rather than adding to the gradient.
  const l2 = trace.run.optimizer === 'adamw' ? undefined : trace.run.weightDecay;
  const decayToGradient =
    l2 === undefined ? NaN : median(full.map((r) => (l2 * trace.at('weightNorm', r, firstHidden)) / trace.at('weightGradNorm', r, firstHidden)));
  const evidence: Evidence = {
    hiddenLayers: hidden,
    ...(trace.blocks && { chain }),
    ...(normalisedBy.length && { normalisedBy, relativeGradientFirstToLast: weightGradientFirstToLast }),
    ...(batchNormBlocking.length && { batchNormBlocking }),
    ...(flatNorms.length && { flatNorms }),
    records,
    ...(full.length < records && { fullBatchRecords: full.length }),
    deltaFirstToLast,
    firstToLast: biasCancelled(firstHidden) || biasCancelled(lastHidden) ? { first: NaN, last: NaN, median: NaN } : firstLastMedian(ratioSeries('biasGradNorm')),
    stepFirstToLast,
    weightGradientFirstToLast,
    speedMeasure: speedMeasureOf(trace.run),
    gap: { ratio: NaN, readAt: 'median' },
    trendDecades: Math.log10(deltaFirstToLast.last / deltaFirstToLast.first),
    meanChainFactor: NaN,
    lastHiddenChange: biasCancelled(lastHidden) ? NaN : change('biasGradNorm'),
    lastHiddenDeltaChange: change('deltaRms'),
    changeWindow,
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
    ...(lastFull !== undefined && lastFull < records - 1 && { shortLastBatch: { step: trace.steps[records - 1], rows: trace.batchRows[records - 1], readStep: trace.steps[lastFull] } }),
  };

  if (evidence.relativeGradientFirstToLast) evidence.normalisedGap = agreedGap(deltaFirstToLast, evidence.relativeGradientFirstToLast);
  evidence.gap = decisiveReading(evidence);
  const gap = evidence.gap.ratio;
  if (links.length && linksMeasured && Number.isFinite(gap)) {
    evidence.meanChainFactor = (evidence.gap.readAt === 'first record' ? deltaFirstToLast.first : deltaFirstToLast.median) ** (1 / links.length);
  }
  const training = trainingProgress(trace);
  if (training?.heldOut && start !== undefined) training.heldOut.start = start;
  if (training?.heldOut && seen) training.heldOut.seen = true;
  if (training) evidence.training = training;
  const endNoise = biasCancelled(lastHidden) || hidden === 0 ? undefined : endNoiseOf(trace, lastHidden, full, changeWindow);
  if (endNoise) evidence.endNoise = endNoise;
  // The mean loss's gradient over fixed rows, where given: read at the last hidden layer while it has one at both ends (a bias a batch norm cancels has none, nor a layer without a bias).
  const [meanStart, meanEnd] = [meanLoss?.start[lastHidden] ?? NaN, meanLoss?.end[lastHidden] ?? NaN];
  if (meanLoss && hidden > 0 && !biasCancelled(lastHidden) && positiveFinite(meanStart) && positiveFinite(meanEnd)) evidence.meanLossChange = { change: meanEnd / meanStart, rows: meanLoss.rows };
  const skipped = skippedBatches(trace);
  if (skipped) evidence.skippedBatches = skipped;
  evidence.grewWhileLearning = grewWhileLearning(gap, evidence);
  const carried = evidence.grewWhileLearning || chain.length < 2 ? undefined : skipCarried(gap, evidence, skipGrowthBound(trace, chain[chain.length - 1]));
  if (carried !== undefined) evidence.skipCarried = carried;
  const verdict = verdictOf(gap, evidence);
  const severity: Severity | undefined = verdict === 'vanishing' || verdict === 'exploding' ? (nonFinite ? 'severe' : gapSeverity(gap)) : undefined;
  // A gap that closed during training has nothing left to compensate (or to leave uncompensated): the summary says it closed, and no step evening is read beside it.
  const evened = (verdict === 'vanishing' || verdict === 'exploding') && !nonFinite && !gapClosed(verdict, evidence) && even(updateFirstToLast) && !even(gradientFirstToLast);
  evidence.evenedByDecay = evened && decayToGradient > 1;
  evidence.compensated = evened && !evidence.evenedByDecay;
  if (options.curvature) evidence.curvature = options.curvature;
  const remedies = remediesFor(verdict, trace, evidence, { row, sameSetup }, openEnded === true);
  const paragraphs = summarise(verdict, severity, evidence, trace);
  // The curvature's answer, where given, in a paragraph of its own after the summary's.
  if (options.curvature) paragraphs.push(curvatureSentence(options.curvature));
  const diagnosis: Diagnosis = { verdict, headline: headline(verdict, severity, evidence, remedies, trace), summary: paragraphs.join(' '), paragraphs, evidence, remedies };
  if (severity) diagnosis.severity = severity;
  if (verdict === 'healthy' && flowUndecided(evidence)) diagnosis.undecided = true;
  return diagnosis;
}
