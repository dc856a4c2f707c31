/**
 * The summary's sentences on the gradient flow: the gap and its factor per layer, its trend, a gap
 * that grew while the network learnt, no gradient at one end, dead and saturated units, batch norm
 * over too few rows. Part of diagnose() (diagnose.ts).
 */
import { LEAKY_RELU_SLOPE } from '../../kernels.js';
import { FLAT_SPREAD, SATURATION_MARGIN } from '../metrics.js';
import type { Trace } from '../trace.js';
import type { TrainingProgress } from '../training-progress.js';
import { BATCH_NORM_BLOCKING_ROWS, NORM_EPSILON } from '../../layers/spec.js';
import { counted } from '../../counted.js';
import { EXPLODING_RATIO, SEVERE_RATIO, TRAINED_LOSS_FRACTION, TREND_DECADES } from './diagnosis-thresholds.js';
import type { Evidence, FirstToLast } from './diagnosis-types.js';
import { gapRecords, gapText, lastRecordName, medianOverRecords, overTimeMeasure, overTimeWhere, percent, rowList, sharesByRow, shortBatchNote, timesOf } from './diagnosis-words.js';
import { afterFlatNorm, biasFreeEnds, cancelledEnds, faded, fellByCancelling, flatOnChain, overTimeChange, plainResiduals, saturatedLater, saturationAtStart } from './evidence-readings.js';
import { type ChainEnds, decisiveGap, gapMeasure, gapSeverity, gapSide, PLAIN_ENDS, positiveFinite, readAtFirst } from './gap-measures.js';
import { aboutEven, learnsWords, NIELSEN_SPEED, SPEED_EVEN_RANGE, speedAt, speedWords, stepSizing, weightSpeedWords } from './learning-speed.js';
import type { NotLearnt } from './verdict-rules.js';
import { numberText } from '../../number-text.js';
import { lossChangeText, lossText } from '../../loss-text.js';
import { median } from '../../median.js';

export function deadSentence(e: Evidence, trace: Trace, dead: number[]): string {
  const shares = sharesByRow(trace, dead, dead.map((l) => e.layers[l].deadFraction), 'the units');
  const leaky = dead.every((l) => e.layers[l].activation === 'leaky-relu');
  const flat = afterFlatNorm(trace, e, dead);
  // Their z is a flat batch norm's β on every row: no bias or weight of theirs made them dead (flatSentence says why the rows were alike).
  const where = flat.length === dead.length ? (dead.length === 1 ? 'There' : 'In each of them') : `In ${rowList(trace, flat)}`;
  const cause = flat.length
    ? ` ${where} z is the output of the batch norm just before, whose features hardly varied over the batch (flat: below): ` +
      "each unit's z is that norm's shift β on every row, so the unit is dead where β ≤ 0, not from a negative bias (batch norm cancels the dense layer's) or the weights' scale."
    : '';
  return (
    `${shares} have z ≤ 0 on every row of the batch (${medianOverRecords(e)}). ` +
    (leaky
      ? `Such a leaky-relu unit passes back only its leak, ${LEAKY_RELU_SLOPE} of the gradient, so it and the layers below it learn ${1 / LEAKY_RELU_SLOPE}× slower through it.`
      : 'A dead relu unit outputs 0 and passes no gradient back, so it cannot learn its way out, and the layers below it get no gradient through it.') +
    cause
  );
}

/**
 * Batch norms whose input hardly varied over the batch (evidence.flatNorms): what such a feature does
 * forward (β on every row) and backward (×γ/√(σ² + ε), 316·γ at the default ε), and where the gap
 * is read across them (flatOnChain), that the gap is that factor's, not the weights'.
 */
export function flatSentence(e: Evidence, trace: Trace, gapVerdict: boolean): string {
  const flat = e.flatNorms!;
  const shares = sharesByRow(trace, flat, flat.map((l) => e.layers[l].flatFraction!), 'the features');
  const gain = `${numberText(1 / Math.sqrt(NORM_EPSILON))}·γ at the default ε of ${NORM_EPSILON.toExponential()}`;
  const gap = gapVerdict && flatOnChain(e) ? " The gap read across such a batch norm is that factor, not the weights' scale or the activations', and no remedy of a gap is offered for it." : '';
  return (
    `${shares} were flat (${medianOverRecords(e)}): x̂ spread less than ${FLAT_SPREAD} over the batch (its RMS, √(σ²/(σ² + ε))), so their input hardly varied over the batch's rows. ` +
    `Batch norm outputs such a feature as its shift β on every row, whatever the row, and multiplies the gradient passing back through it by γ/√(σ² + ε) (${gain}) after taking out its mean over the batch.${gap} ` +
    "A batch norm's input is the same on every row where the batch's rows are alike (inputs that do not vary) or where the units feeding it output the same on every row (dead units, say): " +
    'through such a feature no layer after it can tell the rows apart, whatever it learns.'
  );
}

/**
 * Where the run's input rows were alike (TraceRun.inputs): that every layer then gets the same input on every row, what that makes of
 * relu units and batch norms, and that no remedy of the network or the run is offered: the data is what to check.
 */
export function alikeInputsSentence(): string {
  return (
    "The input rows the run trained on are alike: every input feature is the same on every row, to within float32's rounding, " +
    'so every layer gets the same input on every row: each relu unit is active on every row or dead on every row, ' +
    "a batch norm's x̂ is 0 in every feature, and no layer can tell the rows apart, whatever it learns. " +
    'No remedy of the network or the run is offered: check the data (rows that all carry the same values, or values scaled until they no longer differ).'
  );
}

/**
 * Where the run's inputs were far from standardised (TraceRun.inputScale): their size, and where they saturated the first hidden
 * layer's units from the first record (inputsSaturating), what they did to that layer's z.
 */
export function largeInputsSentence(trace: Trace, saturating: { row: number; share: number } | undefined): string {
  const { mean, spread } = trace.run.inputScale!;
  const scale =
    `The input features are far from standardised: their mean is ${numberText(mean)} and their spread ${numberText(spread)} (each feature's mean and standard deviation over the rows, ` +
    `as root mean squares over the ${counted(trace.sizes[0], 'feature')}), where standardised features have mean 0 and spread 1. `;
  if (!saturating) return `${scale}The first dense layer's z = W·x + b is W times inputs that large${mean > spread ? ', more of which is an offset the same on every row than varies from row to row' : ''}.`;
  return (
    scale +
    `The first dense layer's z = W·x + b is W times inputs that large: at the first record ${percent(saturating.share)} of the activations in ${rowList(trace, [saturating.row])} ` +
    `were within ${SATURATION_MARGIN} of their limits, where σ'(z) ≈ 0, before any step had moved the weights${mean > spread ? ", and an offset the same on every row saturates a unit alike on every row, whatever the row" : ''}.`
  );
}

export function saturatedSentence(e: Evidence, trace: Trace): string {
  const shares = sharesByRow(trace, e.saturatedLayers, e.saturatedLayers.map((l) => e.layers[l].saturatedFraction), 'the activations');
  const atStart = saturationAtStart(trace, e);
  return (
    `${shares} are within ${SATURATION_MARGIN} of their limits (${medianOverRecords(e)}), ` +
    "where σ'(z) ≈ 0: those units pass almost no gradient back and learn slowly." +
    (saturatedLater(atStart) ? ` They saturated during training: at the first record ${sharesByRow(trace, e.saturatedLayers, atStart, 'them')} were.` : '')
  );
}

/** Why batch norm over BATCH_NORM_BLOCKING_ROWS rows is the cause (see there). */
export function batchNormBlockingSentence(rows: number[], trace: Trace): string {
  return (
    `The cause is the batch size: the run's batches hold ${counted(trace.run.batchSize!, 'row')}, and over ${BATCH_NORM_BLOCKING_ROWS} rows batch norm in training maps each feature to x̂ = ±1 whatever its input, ` +
    `so the batch-norm ${rows.length > 1 ? 'layers' : 'layer'} ${rows.map((l) => trace.layerLabel(l)).join(', ')} ${rows.length > 1 ? 'pass' : 'passes'} (almost) no gradient back to ${rows.length > 1 ? 'their' : 'its'} input (batch norm passes on only the part of ∂C/∂x̂ orthogonal to the ones vector and to x̂: n − 2 of the n directions of a batch of n rows).`
  );
}

/** Which of the chain's ends have a bias a batch norm cancels (firstToLast is NaN then), as a clause. */
function cancelledEndsClause(trace: Trace, e: Evidence): string {
  const ends = cancelledEnds(trace, e);
  const one = ends.length === 1;
  return `the ‖∂C/∂b‖ of ${rowList(trace, ends)} measures no speed of learning: ${one ? 'it feeds' : 'each feeds'} a batch norm, which cancels its bias (gradient 0 up to rounding)`;
}

/** Why no ‖∂C/∂b‖ gap is read: a batch norm cancels an end's bias, an end has no bias, or an end's ‖∂C/∂b‖ was 0 (a ratio of 0, Inf or NaN says nothing about speed). */
function unreadSpeedClause(trace: Trace, e: Evidence, ends: ChainEnds): string {
  const free = biasFreeEnds(trace, e);
  const freeClause = free.length ? `${rowList(trace, free)} ${free.length === 1 ? 'has' : 'have'} no bias (built without one), so no ‖∂C/∂b‖` : '';
  if (cancelledEnds(trace, e).length) return [cancelledEndsClause(trace, e), freeClause].filter(Boolean).join('; ');
  if (freeClause) return freeClause;
  return `the ${ends.first}'s or the ${ends.last}'s ‖∂C/∂b‖ was 0 there, which gives no ratio`;
}

/**
 * Why a first-to-last ratio of the steps taken, ‖ΔW‖/‖W‖, gives no gap, from the ratio itself: ∞ where
 * the last hidden layer took no step and the first did, 0 the other way round, NaN where neither did
 * or one was not measured (the sentence said "the first's or the last's … was 0 or not measured" of a
 * run whose first layer had moved hard).
 */
function unreadStepClause(ratio: number, ends: ChainEnds): string {
  if (ratio === Infinity) return `the ${ends.last}'s ‖ΔW‖/‖W‖ was 0 there while the ${ends.first}'s was not, which gives no ratio`;
  if (ratio === 0) return `the ${ends.first}'s ‖ΔW‖/‖W‖ was 0 there while the ${ends.last}'s was not, which gives no ratio`;
  return `the ${ends.first}'s and the ${ends.last}'s ‖ΔW‖/‖W‖ were both 0 there, or one was not measured`;
}

/**
 * The run's optimiser as the speed sentences name it ('adam', 'sgd with per-layer rates'), and why
 * its steps are the speed measure (speedMeasureOf): they do not follow the raw gradient's size.
 */
function stepsOwnWords(trace: Trace): string {
  const run = trace.run;
  const name = `${run.optimizer ?? 'the optimiser'}${run.layerRates ? ' with per-layer rates' : ''}`;
  const sizing = stepSizing(run);
  // An optimiser gradscope does not know (a registered plugin) is not said to size anything (newuser48 #4).
  if (!sizing) return `${name} is not one of gradscope's, so the steps are read as taken: the gradient's size need not say how far a layer moves`;
  const sizes = run.layerRates ? "its per-layer rates size each layer's step" : sizing.per === 'weight' ? "it sizes each weight's step itself" : sizing.per === 'curvature' ? 'it rescales the steps by curvature' : "it sizes each layer's step itself";
  return `${name}: ${sizes}, so the gradient's size does not say how far a layer moves`;
}

/**
 * How fast the first hidden layer learns beside the last at the gap's records (speedAt), by the
 * run's measure (Evidence.speedMeasure), as the gap sentences close: the batch gradient ‖∂C/∂b‖ for a
 * run whose steps follow it; for any other, the steps taken, ‖ΔW‖/‖W‖, with what ‖∂C/∂b‖ alone
 * would have said. Across norm rows (Evidence.normalisedBy) the ‖∂C/∂b‖ ratio is said as a gap.
 * It follows the gap's sentence, which named the records: a median over them is not named again (prose54: the saturated
 * network's first paragraph said 'median over 4 records' three times); a first step's reading is, lest "learns 193× slower"
 * be read as where the run ended (newuser49 #15).
 */
function speedSentence(e: Evidence, ends: ChainEnds, trace: Trace, closedLater: boolean): string {
  const when = readAtFirst(e) ? ' (at the first step)' : '';
  const speed = speedAt(e);
  const batch = readAtFirst(e) ? e.firstToLast.first : e.firstToLast.median;
  const across = e.normalisedBy !== undefined;
  if (e.speedMeasure === 'batch gradient') {
    if (!positiveFinite(speed)) return across ? `No ‖∂C/∂b‖ gap is read: ${unreadSpeedClause(trace, e, ends)}.` : `No batch-gradient gap is read: ${unreadSpeedClause(trace, e, ends)}.`;
    // Where the gap closed, the sentence saying so (closedGapSentence and its kin, where the run stands) gives the speed's end instead.
    const closed = closedLater ? '' : closedSpeedWords(e);
    // ‖∂C/∂b‖ is a bias gradient: the weights' own speed at the same records is said beside it (lecturer52 #5).
    const weights = weightSpeedWords(e);
    return across
      ? `The ‖∂C/∂b‖ gap is ${numberText(speed)}×.`
      : // The headline's words (speedClause); where the speed's end is said, the weights' speed is a sentence of its own after it.
        `By the batch gradient ‖∂C/∂b‖ (${NIELSEN_SPEED}), the ${ends.first} learns ${learnsWords(speed)} the last${when}` +
          (closed ? `; ${closed}: that gap closed over training time.${weights && ` Its weights learn ${weights}.`}` : `${weights && `, its weights ${weights}`}.`);
  }
  const own = stepsOwnWords(trace);
  if (!positiveFinite(speed)) return `No gap in the steps taken is read: ${unreadStepClause(speed, ends)} (${own}).`;
  // 'would say 1.38× the speed of the last', not 'would say at …'.
  const gradient = positiveFinite(batch) ? `; its batch gradient ‖∂C/∂b‖ alone would say ${speedWords(batch)} the last` : '';
  return `The steps taken, ‖ΔW‖/‖W‖ (${own}), say the ${ends.first} learns ${learnsWords(speed)} the last${when}${gradient}.`;
}

/** Whether the batch-gradient speed, read at the first step beyond about even (aboutEven), ended within it (closedSpeedWords). */
export function speedClosedAtEnd(e: Evidence): boolean {
  const { first, last } = e.firstToLast;
  return readAtFirst(e) && positiveFinite(first) && positiveFinite(last) && !aboutEven(first) && aboutEven(last);
}

/**
 * Where the batch-gradient speed, the run's speed measure, was read at the first step beyond about even (aboutEven) and the last
 * record's lies within it: where the speed ended, so that "learns 193× slower (at the first step)" is not read as where the run ended
 * (newuser49 #15: study depth at λ = 0, the first ÷ last ‖∂C/∂b‖ 0.0052 at epoch 0, 0.82 at epoch 499); '' elsewhere (across norm
 * rows the ‖∂C/∂b‖ ratio is said as a gap, not a speed). Said once: after the speed (speedSentence), or where the gap closed
 * (gapClosed), in the sentence saying so.
 */
export function closedSpeedWords(e: Evidence): string {
  if (e.speedMeasure !== 'batch gradient' || e.normalisedBy !== undefined || !speedClosedAtEnd(e)) return '';
  return `by the last record it learns ${learnsWords(e.firstToLast.last)} the last, within the ${SPEED_EVEN_RANGE} this diagnosis calls about even`;
}

/** A gap's band as the verdict reads it, 'vanishing (severe)' or 'exploding (mild)'; undefined within 1/4–4× or where it cannot be read (0, Inf, NaN). */
const bandOf = (ratio: number) => {
  const side = gapSide(ratio);
  return side && positiveFinite(ratio) ? `${side} (${gapSeverity(ratio)})` : undefined;
};

/**
 * Where the gap's other reading (evidence.gap: the median over the records beside a first record that
 * decided, or the first record beside a median that did) lies in another band than the one read: that
 * reading and the band it alone would give, so that the verdict, its severity and the numbers said
 * beside them are of one reading, and the other is said as such (an Adam run read 'vanishing (severe)'
 * from 1/1.75e+4 at the first step while its median over the records, 0.131, was mild, and only the
 * first was said). '' where both lie in one band, or where the other lies within 1/4–4× (a gap that
 * closed, which its own sentences say) or cannot be read. It names no verdict: it also follows a
 * saturated or dead units' verdict, which has no severity (beside which the gap is a second finding).
 */
function otherReadingSentence(gap: number, e: Evidence, ends: ChainEnds): string {
  const atFirst = readAtFirst(e);
  const other = atFirst ? gapMeasure(e).median : gapMeasure(e).first;
  const [read, alone] = [bandOf(gap), bandOf(other)];
  if (read === undefined || alone === undefined || read === alone) return '';
  const where = atFirst ? `Over the records (${medianOverRecords(e)})` : 'At the first step';
  const said = e.normalisedBy ? `the gap both show is ${numberText(other)}×` : `the ${ends.first}'s δ is ${timesOf(other)} the ${ends.last}'s`;
  return ` ${where} ${said}, which alone would read ${alone}: the gap, and the severity of a verdict drawn from it, is read ${atFirst ? 'at the first step' : 'over the records'}, the further from 1 of the two.`;
}

/** The records a gap sentence names where its paragraph named their median already (gapSentence's recordsSaid). */
export const SAME_RECORDS = 'the same records';

/**
 * The measured gap, per example (the verdict's measure) and in the speed of learning (speedSentence), and the chain factor behind it, all
 * at the same record(s), said once for the gap and its factor (the factor is the gap's root) and once for the speed, a measure of its own.
 * closedLater: the gap closed (gapClosed), and the sentence saying so gives where the speed ended (closedSpeedWords).
 * recordsSaid: a sentence before it in its paragraph named the median over the records (saturatedSentence's medianOverRecords), which
 * a gap read there is of too: SAME_RECORDS, not the median named again (prose54).
 */
export function gapSentence(gap: number, e: Evidence, ends: ChainEnds, trace: Trace, closedLater = false, recordsSaid = false): string {
  const atFirst = readAtFirst(e);
  const when = recordsSaid && !atFirst ? SAME_RECORDS : gapRecords(e);
  const relation = timesOf(gap);
  if (e.normalisedBy) {
    const pick = (v: FirstToLast) => (atFirst ? v.first : v.median);
    const [delta, relative] = [pick(e.deltaFirstToLast), pick(e.relativeGradientFirstToLast!)];
    const read = Number.isNaN(gap)
      ? `they point opposite ways, so no gap is read`
      : `the gap read is the one both show (the nearer 1 of the two): ${numberText(gap)}×${positiveFinite(e.meanChainFactor) ? ` (δ's factor per layer, the geometric mean of the measured ones: ${numberText(e.meanChainFactor)})` : ''}`;
    return (
      `between the ${ends.first} and the ${ends.last}, ${rowList(trace, e.normalisedBy)} divide δ by the spread of their input, so neither measure alone says how the gradient flows: ` +
      `a layer's per-example δ follows its own weights' scale, its relative gradient ‖∂C/∂W‖/‖W‖ its fan-in and weights' scale. ` +
      `The ${PLAIN_ENDS.first}'s δ is ${numberText(delta)}× the last's and its relative gradient ${numberText(relative)}× (${when}); ${read}.${otherReadingSentence(gap, e, PLAIN_ENDS)} ${speedSentence(e, PLAIN_ENDS, trace, closedLater)}`
    );
  }
  const links = e.hiddenLayers - 1;
  // The chain rule acts on each example's δ: where a factor per layer was measured, the sentence's subject says whose δ and the factor
  // says it is the chain rule's (prose54: 'the chain rule acts on each example's δ' beside 'one example's gradient δ' said it twice).
  // Its records are the gap's (meanChainFactor is the gap's root over the links), so they are not said again.
  const perExample = "the chain rule acts on each example's δ";
  const chain = positiveFinite(e.meanChainFactor)
    ? `: a factor of ${numberText(e.meanChainFactor)} per layer back through ${links} layer${links === 1 ? '' : 's'} ` +
      `(σ'(z)·W, by the chain rule; the geometric mean of the measured factors, whose product is the gap)`
    : '';
  // Its rows named here, the sentences after it name the ends by their place (PLAIN_ENDS).
  return `one example's gradient δ at the ${ends.first} is ${relation} the ${ends.last}'s (RMS over the batch, ${when}${chain ? '' : `; ${perExample}`})${chain}.${otherReadingSentence(gap, e, PLAIN_ENDS)} ${speedSentence(e, PLAIN_ENDS, trace, closedLater)}`;
}

/**
 * Beside an exploding gap read through residual blocks of gate 'none' (no norm rows between the chain's ends): each block's skip
 * passes ∂C/∂y back unchanged and its branch adds its own share, so the first hidden layer's δ sums the paths through every block.
 * Says how large the branches' shares were beside the skips' (per-example RMS, the trace's residual metrics: the median over every
 * such block's full batches' records); '' where there is no such block or no share was read.
 */
export function residualSumSentence(trace: Trace, ends: ChainEnds): string {
  const plain = plainResiduals(trace);
  const records = trace.fullBatchRecords();
  const shares = plain.flatMap((b) => records.map((r) => trace.residualSeries('branchGradRms', b)[r] / trace.residualSeries('skipGradRms', b)[r])).filter(positiveFinite);
  if (shares.length === 0) return '';
  return (
    `The gradient reaching the ${ends.first} passes back through ${counted(plain.length, 'residual block')}, each of which adds its branch's share to the ∂C/∂y its skip passes on unchanged: ` +
    `the branch's share of ∂C/∂x was ${numberText(median(shares))}× the skip's (per-example RMS, the median over every block's records), so the ${ends.first}'s δ is the sum of the paths through every block, not one path's product of factors.`
  );
}

/** Why a gap from a trunk layer to a branch layer that the skips carry (evidence.skipCarried) is no exploding gradient: the bound they put on the trunk's growth. */
export function skipCarriedSentence(gap: number, e: Evidence, ends: ChainEnds): string {
  return (
    `The ${ends.last} sits inside a residual branch, whose own weights scale its δ, while the ${ends.first} is on the trunk: the skips let the trunk's gradient grow at most ` +
    `${numberText(e.skipCarried!)}× across the blocks (the product over them of 1 + each branch's median share), short of the ${EXPLODING_RATIO}× this diagnosis calls exploding, ` +
    `so the ${numberText(gap)}× compares a trunk layer with a branch layer, not a gradient growing along the chain: no fault to fix.`
  );
}

/** Where the first step's batch loss has a noise (TrainingProgress.startNoise), that the loss fell to the fraction trainedWell asks of the start less it; '' elsewhere. */
const startNoiseClause = (p: TrainingProgress) =>
  p.startNoise > 0 ? `, at most ${percent(TRAINED_LOSS_FRACTION)} of that start less its noise (one batch's loss varies by ${lossText(p.startNoise)}: two standard deviations)` : '';

/** Why a gap that grew while the network learnt (evidence.grewWhileLearning) is no fault: the measures that say so. */
export function learntGapSentence(gap: number, e: Evidence): string {
  const p = e.training!;
  return (
    `Early layers get larger gradients (${numberText(gap)}×, ${gapRecords(e)}), and training is healthy: the gap opened as the network learnt ` +
    `(${numberText(gapMeasure(e).first)}× at the first step), its training loss ended at ${percent(p.lossEnd / p.lossStart)} of the first step's batch's (${lossChangeText(p.lossStart, p.lossEnd)})${startNoiseClause(p)}, ` +
    `and the gap is short of the ${1 / SEVERE_RATIO}× this diagnosis calls severe: no fault to fix.`
  );
}

/** What in the run's loss made a gap that opened from an even start a fault (NotLearnt), as a clause: 'the training loss rose'. */
export function notLearntWords(why: NotLearnt, p: TrainingProgress): string {
  const words: Record<NotLearnt, string> = {
    'loss rose': 'the training loss rose',
    overfitting: 'the network overfits its training rows',
    'held-out loss rose': `the ${p.heldOut?.seen ? 'validation' : 'held-out'} loss rose`,
    'loss fell too little': `the training loss did not fall to ${percent(TRAINED_LOSS_FRACTION)} of its first step's`,
    'at chance': 'the model ended at chance',
  };
  return words[why];
}

/**
 * Beside an exploding verdict read on the loss (explodingOnLoss): that the gap opened from an even start, which alone is no fault, and
 * that the loss made it one, so that no reader takes a threshold between this gap and a larger one read healthy (newuser46 #4).
 */
export function onLossSentence(why: NotLearnt, e: Evidence): string {
  return (
    `The gap opened as the network learnt (${numberText(gapMeasure(e).first)}× at the first step), which this diagnosis reads as no fault in a run that trains well, ` +
    `but ${notLearntWords(why, e.training!)}: the verdict turned on the loss, not on the gap's size.`
  );
}

/**
 * The gap of 0 or Inf that decided (decisiveGap): one end of the chain had a per-example δ of 0 at
 * the record(s) read and the other did not, so no ratio or factor per layer can be stated; the
 * sentence says which end got no gradient.
 */
export function noGradientSentence(gap: number, e: Evidence, ends: ChainEnds): string {
  const when = readAtFirst(e) ? 'at the first step' : `${medianOverRecords(e)} of its ratio to the other's`;
  const [none, other] = gap === 0 ? [ends.first, ends.last] : [ends.last, ends.first];
  return `one example's gradient δ at the ${none} was 0 while the ${other}'s was not (RMS over the batch, ${when}): no gradient reached the ${none}${gap === 0 ? ', so its weights did not learn' : ''}.`;
}

/**
 * How the per-example gap moved from the first record to the last, both stated (the first where the gap sentence has not: a gap read
 * at the first step repeated its number, lows51), as values of the gap: narrowed where the
 * last is nearer 1 than the first (in log terms, on the same side of 1), widened where it is
 * further, and where it crossed 1 from one side to the other, each end named by its side of the
 * thresholds (exploding at the start, vanishing at the end: the first layers' gradient went from
 * larger to smaller than the last's). A ratio above 1 that grows is a gap widening, not narrowing.
 */
export function trendSentence(e: Evidence, ends: ChainEnds): string {
  // One record (one traced batch, or a network not trained yet) says nothing about how the gap moved.
  if (e.records < 2 || !Number.isFinite(e.trendDecades)) return '';
  const { first, last } = e.deltaFirstToLast;
  const [fromLog, toLog] = [Math.log10(first), Math.log10(last)];
  // Across norm rows δ alone is not the verdict's measure (agreedGap): its ends are not marked by the thresholds there.
  // Nor where the gap grew while the network learnt (evidence.grewWhileLearning): no fault, so no verdict's name.
  const sideOf = (ratio: number) => (!e.normalisedBy && !e.grewWhileLearning && e.skipCarried === undefined && gapSide(ratio)) || '';
  // The last is the last full batch's record where a short last batch came after it: said beside its side.
  const marked = (...notes: string[]) => (notes.some(Boolean) ? ` (${notes.filter(Boolean).join('; ')})` : '');
  // The gap's values alone: the gap sentence above named the layers whose δ it compares.
  const atEnd = `${gapText(last)} at ${lastRecordName(e)}${marked(sideOf(last), shortBatchNote(e))}`;
  // Where the gap was read at the first step the gap sentence stated δ's start there, as does the other reading's where it is that start
  // (otherReadingSentence; across norm rows it is the gap both show, not δ's): the trend gives the end alone, and the start's side (its
  // number is above) beside "its start".
  const shared = readAtFirst(e) || (!e.normalisedBy && otherReadingSentence(decisiveGap(e), e, ends) !== '');
  const stated = shared ? atEnd : `${gapText(first)} at the first step${marked(sideOf(first))} and ${atEnd}`;
  const startSide = shared ? sideOf(first) : '';
  // Within TREND_DECADES of its start a gap is said to stay about the same, but how far it moved is said too, against that bound.
  const [factor, crossed] = [10 ** Math.abs(e.trendDecades), fromLog * toLog < 0];
  const way = `${Math.abs(toLog) < Math.abs(fromLog) ? 'narrowed' : 'widened'} ${numberText(factor)}×`;
  const fromStart = startSide ? ` from its start${marked(startSide)}` : '';
  const moved =
    factor === 1
      ? `stayed the same${startSide ? ` as its start${marked(startSide)}` : ''}`
      : Math.abs(e.trendDecades) < TREND_DECADES
        ? `stayed within ${numberText(10 ** TREND_DECADES)}× of its start${marked(startSide, crossed ? '' : `it ${way}`)}`
        : crossed
          ? `crossed over${fromStart}`
          : `${way}${fromStart}`;
  const trend = `The per-example gap ${moved} during training: ${stated}`;
  if (!faded(e)) return `${trend}.`;
  // Each example's δ may have fallen less than the batch gradient, or not at all: said as the change it is.
  const deltaChange = e.lastHiddenDeltaChange;
  const deltaMoved = deltaChange < 1 ? `fell only ${numberText(1 / deltaChange)}×` : `did not fall (it ended at ${numberText(deltaChange)}× its start)`;
  // The fall read over training time: the mean loss's over fixed rows where the caller gave it, else the batch medians' (overTimeChange).
  const change = overTimeChange(e);
  const cancellation = fellByCancelling(e) ? `, while each example's δ there ${deltaMoved}: the examples' gradients cancel in ${e.meanLossChange ? 'their mean' : 'the batch'}` : '';
  // Read over windows of records at each end where the run's batches are noisy (evidence.changeWindow), or at the run's ends: said which.
  const where = overTimeWhere(e);
  return `${trend}; the ${ends.last}'s ${overTimeMeasure(e)} fell ${numberText(1 / change)}×${where ? ` (${where})` : ''}${cancellation}.`;
}
