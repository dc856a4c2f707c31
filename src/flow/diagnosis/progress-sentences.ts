/**
 * The summary's sentence on where the run stands (TrainingProgress): converged, still learning, a
 * plateau and its cause, rising (an unstable end where the held-out loss rose with it) or
 * overfitting, with the losses that say so. Part of diagnose() (diagnose.ts).
 */
import { runAtEnd, type Trace } from '../trace.js';
import { counted, grouped } from '../../counted.js';
import { atChance, chanceLevelOf, classesOf, CONVERGED_ACCURACY, CONVERGED_LOSS_FRACTION, type EpochsUnread, lossNearFloor, SHORT_RUN_EPOCHS, STILL_FALLING, type TrainingProgress, type TrainingState, unstableEnd, windowsRose, meanRose, NOISE_WINDOW_MIN, OVERFIT_PATIENCE, RUN_FIFTHS } from '../training-progress.js';
import type { EpochLoss } from '../training-progress.js';
import { chanceWords } from '../chance.js';
import { EVEN_RANGE, GRADIENT_FADED } from './diagnosis-thresholds.js';
import type { Evidence, Verdict } from './diagnosis-types.js';
import { changeRecords, lastRecordName, medianOverRecords, overTimeMeasure, overTimeWhere, percent, rowList, shortBatchNote, timesOf } from './diagnosis-words.js';
import { biasFreeEnds, cancellingBelow, examplesCancel, faded, fellByCancelling, mostlyNoise, overTimeChange } from './evidence-readings.js';
import { type ChainEnds, gapMeasure, positiveFinite } from './gap-measures.js';
import { firstIsSlower, speedAt } from './learning-speed.js';
import { closedSpeedWords } from './flow-sentences.js';
import { againstBefore, amountAbove, atLastEpochs, lossBeforeWords, plateauMoved, heldOutLowest, heldOutLowestAtStart, heldOutNames, heldOutNewLow, heldOutStartSentence, lowestWords, noiseUnread, paceWords, riseFrom, shareOf, shortRunEpochs, startNoiseSentence } from './progress-readings.js';
import { flowClear, gapClosed } from './verdict-rules.js';
import { givenFloat32Text, numberText } from '../../number-text.js';
import { lossChangeText, lossText } from '../../loss-text.js';
import { NORM_EPSILON } from '../../layers/spec.js';
import { OUTWEIGHS } from '../../saddle-rule.js';

/**
 * Why the gradient did not fade over training time, in words that hold for the ratio measured: a
 * ratio of the last hidden layer's ‖∂C/∂b‖ (or, where a batch norm cancels that bias or the layer has none, its per-example
 * ‖δ‖) at the end over the start, medians over evidence.changeWindow records at each end (said so), or
 * the last record over the first; a gradient that was 0 at the start supports no ratio (0/0, x/0), so
 * the sentence says what it was instead. Where that batch gradient did not fall and was mostly sampling noise at the end
 * (mostlyNoise), it says the batch's did not fall, not that the gradients did not fade (review45 #13).
 */
function notFadedClause(e: Evidence, ends: ChainEnds, trace: Trace): string {
  const cancelled = Number.isNaN(e.lastHiddenChange) && Number.isFinite(e.lastHiddenDeltaChange);
  const biasFree = biasFreeEnds(trace, e).includes(e.chain?.at(-1) ?? -1);
  // The mean loss's gradient over fixed rows where the caller gave it (evidence.meanLossChange, never beside a cancelled bias), read at the run's ends.
  const mean = e.meanLossChange !== undefined;
  const [change, measure] = cancelled ? [e.lastHiddenDeltaChange, `per-example ‖δ‖ (${biasFree ? 'it has no bias' : 'a batch norm cancels its bias'})`] : [overTimeChange(e), overTimeMeasure(e)];
  // Medians over windows of full batches' records (evidence.changeWindow): said which. One record at each end: read at the last full
  // batch (evidence.shortLastBatch), said where a short last batch came after it.
  const windows = changeRecords(e);
  const at = mean ? ` (${overTimeWhere(e)})` : windows ? ` (${windows})` : e.shortLastBatch ? ` at ${lastRecordName(e)} (${shortBatchNote(e)})` : '';
  if (positiveFinite(change)) {
    // A fall short of GRADIENT_FADED is still a fall: the sentence says how large, against the fall that counts as fading.
    // Fading is a fall past 1/GRADIENT_FADED: one of exactly that much (or one that prints as that much) is not less than it, and
    // a per-example ‖δ‖ read in place of a cancelled bias (which faded() does not judge) may have fallen further.
    const [fall, fading] = [numberText(1 / change), numberText(1 / GRADIENT_FADED)];
    const against =
      fall === fading
        ? `not past the ${fading}× beyond which this diagnosis calls it fading`
        : `${change < GRADIENT_FADED ? 'more' : 'less'} than the ${fading}× this diagnosis calls fading`;
    if (change < 1) return `the ${ends.last}'s ${measure} fell ${fall}× over training time${at}, ${against}`;
    // A batch gradient that is mostly sampling noise at the end (noiseSentence says so next) answers for the batch, not for the
    // gradient of the mean loss, which can have fallen far below it: "the gradients did not fade" would be the verdict it cannot give.
    return mostlyNoise(e) && !cancelled && !mean
      ? `the ${ends.last}'s batch ${measure} did not fall over training time: it ended at ${numberText(change)}× its start${at}`
      : `the gradients did not fade over training time: the ${ends.last}'s ${measure} ended at ${numberText(change)}× its start${at}`;
  }
  // 0/0 (NaN) or x/0 (Inf): the layer had no gradient at the start; 0 at the end of a nonzero start is a layer that lost it.
  const start = windows ? `at the start (its median over the first ${counted(e.changeWindow, 'record')}; ` : 'at the first record (';
  const zeroAtStart = `the ${ends.last}'s ${measure} was 0 ${start}its units passed no gradient back: dead, or cut off by the layers above)`;
  if (Number.isNaN(change)) return `the gradients could not fade over training time: ${zeroAtStart} and still is`;
  if (change === Infinity) return `the gradients did not fade over training time: ${zeroAtStart}, and is not now`;
  return `the ${ends.last}'s ${measure} fell to 0 over training time${at}: the layer stopped passing any gradient back`;
}

/**
 * Where the run stands (evidence.training), with the losses and accuracy that say so and which they
 * are (per epoch, or the records' batches where the trace holds fewer than two epochs), and for a
 * plateau whether the gradient faded over training time or only over depth, and that the gradient
 * cannot tell a saddle from a local minimum (the curvature can, when the caller gave it).
 */
export function progressSentence(p: TrainingProgress, verdict: Verdict, e: Evidence, ends: ChainEnds, trace: Trace): string {
  if (p.read === 'epochs') return epochProgressSentence(p, verdict, e, ends, trace) + startNoiseSentence(p, trace) + heldOutUnreadClause(p);
  const windows = `median over the last ${counted(p.window, 'record')}`;
  // A network with no classes has no accuracy to state (accuracyEnd NaN: a regression's 'right' is the same side of ½).
  const right = Number.isNaN(p.accuracyEnd) ? '' : `, with ${batchesRight(p, 'their rows', 'their batches')}${chanceClause(p, trace)}`;
  // Said so: a trace of one epoch (or one saved before epochs were recorded) has only its batches to read, as has one with an epoch's loss unknown.
  const only = `read from the batches: ${UNREAD_EPOCHS[p.epochsUnread!]}`;
  if (p.state === 'converged') {
    return (
      `Training has converged on its batches (${only}): their loss fell from ${lossText(p.lossStart)} at the first record to ${lossText(p.lossEnd)} (${windows})${right}, ` +
      'so the gradients are small because the errors are, near the loss\'s floor of 0: not a plateau. ' +
      'No remedy that changes only how the run steps (optimiser, learning rate, per-layer rates, clipping) is offered: the steps reached the floor.' +
      convergedGapClause(verdict, e, ends)
    );
  }
  if (p.state === 'learning') {
    return `Still learning (${only}): the batches' loss is still falling, ${lossText(p.lossEnd)} (${windows}), ${againstBefore(p)} (${lossText(p.lossBefore)})${paceClause(p)}${right}.${learningGapClause(verdict, e, ends, trace)}`;
  }
  if (p.state === 'rising') {
    const from = riseFrom(p);
    return (
      `The batches' loss rose (${only}): ${lossText(p.lossEnd)} (${windows}), ${amountAbove(p.lossEnd, from.loss)} ${from.words}${paceClause(p)}${right}. ` +
      `${overshootSentence(trace)}${verdict === 'loss-rising' ? '.' : ', whatever the gradient flow above.'}`
    );
  }
  if (p.state === 'unclear') {
    return (
      // In the loss's units: a share of a window's median near 0 (a run of small batches, most of them all right) read as
      // '3,276 %', and the medians' change as a rise (study (b)'s relu + glorot-uniform, 0.03383 → 0.4851 on 10-row batches).
      `Whether training still makes progress the batches cannot tell (${only}): their loss went ${lossChangeText(p.lossBefore, p.lossEnd)} (medians over the last two windows of ${counted(p.window, 'record')}), ` +
      `a change within the ${lossText(p.lossNoise.fall)} that their batch-to-batch spread can make (two standard errors), so no rise or fall is read; ` +
      `${wouldTell(trace, `more records (${trace.every > 1 ? 'a smaller trace interval, or more steps' : 'more steps: the trace records every step already'})`)}.`
    );
  }
  const stuck = `A plateau (${only}): the batches' loss ${plateauMoved(p)}, without converging (${lossBeforeWords(p)} → ${lossText(p.lossEnd)}, ${windows}; ${lossText(p.lossStart)} at the first record)${right}${shortRunClause(p, trace)}`;
  return stuck + plateauCause(e, verdict, ends, trace);
}

/**
 * Why a plateau stands where it does: the gradient faded over training time, or did not (and for a
 * vanishing run, the first layers are slow by depth where the speed measure says so, speedAt; where
 * the optimiser's steps leave the first hidden layer no slower, that the gap is not what slows it);
 * and that the gradient alone cannot tell a minimum from a saddle or a gentle slope.
 */
function plateauCause(e: Evidence, verdict: Verdict, ends: ChainEnds, trace: Trace): string {
  // Where the mean loss's gradient answered (evidence.meanLossChange), a noisy batch gradient is said beside either answer; read from
  // the batch medians alone, in a paragraph of its own after this one (noiseParagraph).
  const noise = e.meanLossChange ? noiseSentence(e, ends) : '';
  const cause = faded(e) ? `; ${fellOverTimeClause(e, verdict)}${noise}` : `; ${notFadedClause(e, ends, trace)}${slowByDepthClause(e, verdict, ends)}${noise}`;
  // Over rows alike neither more epochs nor the curvature would tell what holds the loss: the rows do.
  if (rowsAlike(trace)) return `${cause}. More epochs would not tell more, nor would the curvature: ${NOTHING_TO_LEARN}.`;
  // Whether it is a minimum, a saddle or a slope: the summary asks that after where the run stands (CURVATURE_QUESTION).
  return `${cause}.`;
}

/**
 * Where the gradient read over training time fell past GRADIENT_FADED (faded), why, as the trend above measured it: a second
 * effect beside a gap over depth, not the vanishing gradient going on in time (lecturer52 #2: "the gradient faded over training
 * time, not only over depth", under a vanishing verdict, read as one effect in two directions). On a plateau whose examples'
 * gradients cancel (fellByCancelling) it is their mean that fell; where each example's δ fell with it, that.
 */
function fellOverTimeClause(e: Evidence, verdict: Verdict): string {
  const subject = e.meanLossChange ? 'the gradient of the mean loss' : 'the batch gradient';
  const besides = verdict === 'vanishing' ? ' also' : '';
  const depth = verdict === 'vanishing' ? ', besides the gap over depth,' : '';
  // Short of cancelling, each example's δ fell at least 1/CANCELLATION as far: said with its figure, which the trend leaves out then.
  const why = fellByCancelling(e)
    ? `${depth ? ' for another reason' : ''}: the examples' gradients cancel in ${e.meanLossChange ? 'their mean' : 'the batch'}`
    : ` with each example's δ, which fell ${numberText(1 / e.lastHiddenDeltaChange)}×`;
  return `${subject}${besides} fell over training time (above)${depth}${why}`;
}

/**
 * Whether the summary asks "minimum, saddle or slope?" and names the command that measures the curvature (CURVATURE_QUESTION,
 * after where the run stands): on a plateau whose curvature the caller did not give, over rows not all alike. A printer that knows
 * how its user runs gradscope and where the trained network is (study --model's closing lines, src/cli/curvature-next.ts) prints
 * that command's line.
 */
export const curvatureAsked = (e: Evidence, trace: Trace): boolean => e.training?.state === 'plateau' && e.curvature === undefined && !rowsAlike(trace);

/**
 * How a user gives diagnose() the mean loss's gradient that answers "did it fade over training time?": by the API, its option
 * meanLossGradient from biasNormsPerRow of net.gradients at the run's two ends (the only route in a browser: newuser48 #6), or the
 * command that prints each saved model's gradients.
 */
const MEAN_LOSS_ROUTES =
  '(`biasNormsPerRow(trace, net.gradients(x, y))` at the run\'s two ends, given to `diagnose(trace, { meanLossGradient: { rows, start, end } })`, which then reads it; ' +
  'or `gradscope gradients --model FILE` of two saved models)';

/**
 * On a plateau read from the batch medians (no evidence.meanLossChange) whose last hidden layer's batch gradient did not fade but was
 * mostly sampling noise at the end, or lay below it (noiseSentence): why that reading does not answer "over training time?", and
 * what does, as a paragraph of its own after where the run stands (prose54: with it that paragraph ran 280 words). '' elsewhere.
 */
export function noiseParagraph(e: Evidence, ends: ChainEnds): string {
  return e.training?.state === 'plateau' && !e.meanLossChange && !faded(e) ? noiseSentence(e, ends) : '';
}

/**
 * Where the last hidden layer's batch gradient was mostly sampling noise at the end (mostlyNoise: evidence.endNoise), why the
 * fall read from it (notFadedClause) does not answer "over training time?": it follows each example's δ, and the gradient of
 * the mean loss, which is what the question is of, can fall far below the noise unseen; and what does answer it. '' elsewhere,
 * and where the change read is not a batch gradient's (a bias a batch norm cancels). Beside the mean loss's answer a clause of the
 * sentence before ('. Its batch ‖∂C/∂b‖ …'); read from the batches alone, sentences of their own (noiseParagraph).
 */
function noiseSentence(e: Evidence, ends: ChainEnds): string {
  const cancel = examplesCancel(e);
  if (!(mostlyNoise(e) || cancel) || !positiveFinite(e.lastHiddenChange)) return '';
  const { ratio, rows } = e.endNoise!;
  const over = e.fullBatchRecords === undefined ? counted(e.changeWindow, 'record') : counted(e.changeWindow, "full batch's record", "full batches' records");
  // Below the least R that noise gives but once in a thousand windows (cancellingBelow), what is read is the examples cancelling, not noise.
  const beyond = cancel ? `, and below ${numberText(cancellingBelow(e.changeWindow))}× over ${over} but once in a thousand` : `, all alike √${rows} = ${numberText(Math.sqrt(rows))}×`;
  const measured = `${numberText(ratio)}× its per-example ‖δ‖/√${rows} (root mean square over the last ${over}; ${rows} examples' gradients with no common direction give 1×${beyond})`;
  const delta = e.lastHiddenDeltaChange;
  const deltaMoved = !positiveFinite(delta) ? '' : delta < 1 ? `fell ${numberText(1 / delta)}×` : `ended at ${numberText(delta)}× its start`;
  if (e.meanLossChange) {
    // The question answered by the mean loss's gradient: why the batch's, which the steps use (and the flow map's batch view shows), fell another way.
    const windows = changeRecords(e);
    const moved = e.lastHiddenChange < 1 ? `fell ${numberText(1 / e.lastHiddenChange)}×` : `ended at ${numberText(e.lastHiddenChange)}× its start`;
    const reading = cancel
      ? `at the end below its sampling noise, ${measured}: the examples' gradients cancel within each batch${deltaMoved ? `, while each example's δ ${deltaMoved}` : ''}`
      : `at the end mostly sampling noise, ${measured}, it follows each example's δ, not the gradient of the mean loss`;
    return `. Its batch ‖∂C/∂b‖ (a batch of ${counted(rows, 'row')}, what the steps use) ${moved}${windows ? ` (${windows})` : ''}: ${reading}`;
  }
  // The paragraph before said how the last hidden layer's ‖∂C/∂b‖ moved: this one says what kind of gradient that is.
  const batch = `The ${ends.last}'s ‖∂C/∂b‖ is taken over a batch of ${counted(rows, 'row')}, and at the end`;
  if (cancel) {
    return (
      `${batch} it lies below its sampling noise: it was ${measured}. ` +
      `So the examples' gradients cancel within each batch${deltaMoved ? `, while each example's δ ${deltaMoved}` : ''}; ` +
      'whether the gradient of the mean loss faded, that gradient over fixed rows, at the start and at the end, tells ' +
      `${MEAN_LOSS_ROUTES}.`
    );
  }
  return (
    `${batch} it is mostly sampling noise: it was ${measured}. ` +
    `So it follows each example's δ${deltaMoved ? `, which ${deltaMoved}` : ''}, and the gradient of the mean ` +
    'loss can have fallen far below it unseen: that gradient over fixed rows, at the start and at the end, tells whether it faded ' +
    `${MEAN_LOSS_ROUTES}.`
  );
}

/**
 * For a vanishing gap that held, beside a plateau whose gradient did not fade: which layer is slow by
 * it. The first hidden one, by the gap, where the run's speed measure (speedAt) says it learns slower
 * or cannot be read; where that measure says it does not (as the steps taken by an optimiser that
 * sets their size itself can), that the gap does not make it the slow one. '' for any other verdict
 * or a closed gap.
 */
function slowByDepthClause(e: Evidence, verdict: Verdict, ends: ChainEnds): string {
  if (verdict !== 'vanishing' || gapClosed(verdict, e)) return '';
  const speed = speedAt(e);
  if (!positiveFinite(speed) || firstIsSlower(speed)) return `: what is slow is the ${ends.first}, by the gap over depth above`;
  const measure = e.speedMeasure === 'step' ? 'the steps taken say' : 'its batch gradient ‖∂C/∂b‖ says';
  return `: the gap over depth above does not make the ${ends.first} the slow one, as ${measure} (above)`;
}

/** Why the epochs were not read (TrainingProgress.epochsUnread), as the summary says it. */
const UNREAD_EPOCHS: Record<EpochsUnread, string> = {
  'fewer than two': 'the trace holds fewer than two epochs',
  'not a number': "an epoch's training loss in the trace is not a number",
  'too sparse': 'the trace kept no epoch in the window before the last',
};

/**
 * Where the accuracy is at chance (atChance), a clause that says so after it, and what it compares with (chanceWords: the
 * training rows' classes, p.chance and p.chanceLeast); '' elsewhere (and for a regression, which has no classes).
 */
function chanceClause(p: TrainingProgress, trace: Trace): string {
  const classes = classesOf(trace);
  if (!atChance(p) || classes === undefined) return '';
  return `, at chance: no better than ${chanceWords(chanceLevelOf(p, classes))}`;
}

/** The run's input rows were alike (TraceRun.inputs): every layer got the same input on every row (alikeInputsSentence, said before this). */
const rowsAlike = (trace: Trace) => trace.run.inputs === 'alike';

/** Why, over rows alike, neither more epochs, more records nor the curvature would tell more of where the run stands. */
const NOTHING_TO_LEARN =
  'the network cannot tell rows alike apart (above), so they carry nothing to learn but how often each target occurs, however long it trains: the data is what to check';

/** "`more` would tell", or over rows alike that it would not, and why (NOTHING_TO_LEARN). */
const wouldTell = (trace: Trace, more: string) => (rowsAlike(trace) ? `${more} would not tell more: ${NOTHING_TO_LEARN}` : `${more} would tell`);

/** For a plateau of a short run (shortRunEpochs), that the call rests on few epochs; '' elsewhere. */
function shortRunClause(p: TrainingProgress, trace: Trace): string {
  const epochs = shortRunEpochs(p, trace);
  if (epochs === undefined) return '';
  const windows = p.read === 'epochs' ? ': each window compared is one epoch' : '';
  // Over rows alike more epochs would not tell: plateauCause says why.
  return `; the plateau call rests on only ${counted(epochs, 'epoch')} (fewer than ${SHORT_RUN_EPOCHS}${windows})${rowsAlike(trace) ? '' : ', and more epochs would tell whether the loss has stopped'}`;
}

/** How an epoch's training loss was measured (TrainingProgress.epochLoss), as a sentence names it, and of which epochs a thinned trace's means are. */
function epochLossWords(p: TrainingProgress): string {
  const kept = p.epochsKept === undefined ? '' : `; the trace kept ${grouped(p.epochsKept)} of the run's ${counted(p.epochs!, 'epoch')}, evenly spread, and the means and the lowest are of those kept`;
  // The network's weights, named: 'at the held-out rows' weights' read as weights the rows had.
  if (p.epochLoss === 'training subset at the end') return `the loss on the same ${counted(p.subsetRows!, 'training row')} after each epoch (measured with the network's weights at that epoch's end, as the ${heldOutNames(p).rows}' loss is${kept})`;
  return p.epochLoss === 'all rows at the end'
    ? `the loss on every training row at each epoch's end (the run measured its training rows after each epoch, as its validation${kept})`
    : `the training loss per epoch (the mean of its batches' losses, each before its update${kept})`;
}

/** What a pace (LossPace) is, as a sentence says it beside one. */
const PACE_LINE = "a least-squares line through the losses' logarithms, its slope clear of 0 at 95 %";

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
    `; slowly, but steadily: if it kept its pace over the last ${counted(pace.points, 'epoch')} (${PACE_LINE}), ` +
    `it would ${paceWords(pace)}`
  );
}

/**
 * The epoch an unstable end (unstableEnd) is said to start from: the first after the one the
 * training loss rose from (riseFrom), the first epoch where it rose from the first step's batch loss.
 */
function unstableFrom(p: TrainingProgress): number {
  return riseFrom(p).loss === p.lossStart ? 1 : (p.windowLow ?? p.lowest!).epoch + 2;
}

/**
 * Where the last epoch is a new low of the run (TrainingProgress.newLow) and the windows' means rose
 * (windowsRose): that loss, which is why no rise was read; '' elsewhere.
 */
function newLowClause(p: TrainingProgress): string {
  if (!p.newLow || !windowsRose(p)) return '';
  const from = riseFrom(p);
  const rose = p.lossEnd > from.loss ? `, ${amountAbove(p.lossEnd, from.loss)} ${from.loss === p.lossStart ? '' : 'its lowest, '}${from.words}` : '';
  return `${rose}, but its last epoch's, ${lossText(p.newLow.loss)} after ${counted(p.newLow.epoch + 1, 'epoch')}, is the lowest of ${p.epochsKept === undefined ? 'the run' : 'the epochs the trace kept'}, so it did not rise`;
}

/**
 * An unclear state read because the windows' means rose while the last epoch is a new low
 * (newLowClause): the windows carry an epoch that jumped and came back, and whether the loss still
 * falls they cannot tell, in runs too short to read the epochs' noise (fewer than NOISE_WINDOW_MIN
 * epochs a window) for that reason too.
 */
function newLowSentence(p: TrainingProgress, measured: string, right: string, trace: Trace): string {
  // Beside batch means the held-out loss's rise is said by heldOutUnreadClause: they are over weights that moved.
  if (heldOutNewLow(p)) return heldOutNewLowSentence(p, measured, right, trace);
  return (
    `Whether training still makes progress the epochs cannot tell: ${measured} went ${lossChangeText(p.lossBefore, p.lossEnd)} (means over the last two windows of ${counted(p.window, 'epoch')})${newLowClause(p)}${higherClause(p)}${right}${unreadNoiseClause(p, 'the loss varies')}, ` +
    `so neither a rise nor a standstill is read; ${wouldTell(trace, 'more epochs')}.`
  );
}

/** The last epoch lies below every other, so where the window holds more, one of them lies above its mean: said after newLowClause. */
const higherClause = (p: TrainingProgress) => (p.window > 1 ? " (the last window's mean carries an epoch before its last that lay higher)" : '');

/** Where the windows are too short to read the epochs' noise (fewer than NOISE_WINDOW_MIN epochs each: a window is a fifth of the run's epochs), a clause that says so of `what` ('the loss varies'); '' elsewhere. */
function unreadNoiseClause(p: TrainingProgress, what: string): string {
  if (!noiseUnread(p)) return '';
  return `; windows of ${counted(p.window, 'epoch')} are too short to read how far ${what} from epoch to epoch (that takes ${NOISE_WINDOW_MIN} epochs a window: runs of ${RUN_FIFTHS * NOISE_WINDOW_MIN} epochs or more)`;
}

/**
 * newLowSentence beside a held-out loss that rose (heldOutRose), both at the same weights: overfitting
 * holds the training loss while the held-out loss rises, an unstable end raises both, and the
 * training loss's windows say it rose where its last epoch says it did not, so neither is read
 * (a run of 10 epochs whose training loss went 0.0387, 0.214, 0.222, 0.0142, 0.0493, 0.00875 over
 * its last six, and its held-out loss with it, read 'overfitting' from windows of 2 epochs). Each
 * clause says which loss it reads, a window's mean or one epoch's: the means over the last two
 * windows fell (0.118 → 0.0290), the last window's mean lies above the lowest before it (one epoch's,
 * 0.0142), and the last epoch is the lowest of all.
 */
function heldOutNewLowSentence(p: TrainingProgress, measured: string, right: string, trace: Trace): string {
  const held = p.heldOut!;
  const from = riseFrom(p);
  const aboveLowest = p.lossEnd > from.loss;
  const moved = p.lossEnd === p.lossBefore ? `held at ${lossText(p.lossEnd)}` : `${p.lossEnd < p.lossBefore ? 'fell' : 'rose'} ${lossChangeText(p.lossBefore, p.lossEnd)}`;
  const lowestBefore = from.loss === p.lossStart ? "the first step's loss" : `${lowestKind(p.lowest!)} before that window`;
  const above = aboveLowest ? `; that last mean lies ${amountAbove(p.lossEnd, from.loss)} ${lowestBefore}, ${from.words},` : ';';
  return (
    `The epochs cannot tell whether the network overfits: the ${heldOutNames(p).rows}' loss rose, ${atLastEpochs(held.lossEnd, p, p.epochs!)}, ` +
    `${amountAbove(held.lossEnd, heldOutLowest(p).loss)} ${lowestKind(heldOutLowest(p))}, ${lowestWords(heldOutLowest(p)).words}, while ${measured} ${moved} between its means over the last two windows of ${counted(p.window, 'epoch')}` +
    `${above} but its last epoch's loss, ${lossText(p.newLow!.loss)} after ${counted(p.newLow!.epoch + 1, 'epoch')}, is the lowest of any epoch in ${p.epochsKept === undefined ? 'the run' : 'the epochs the trace kept'}${higherClause(p)}${right}. ` +
    `Overfitting holds the training loss while the ${heldOutNames(p).loss} rises, an unstable end raises both: ` +
    `${meanRose(p) ? `the training loss's last window's mean, above ${lowestBefore},` : pacedRise(p)} says it rose with the ${heldOutNames(p).loss}, its last epoch that it did not` +
    `${unreadNoiseClause(p, 'the losses vary')}, so neither overfitting nor an unstable end is read` +
    // Where no epoch lowered the held-out loss, either reading keeps the start's weights: more epochs would not change what to keep.
    (heldOutLowestAtStart(p) ? `.${heldOutStartSentence(p)}` : `; ${wouldTell(trace, 'more epochs')}.`)
  );
}

/**
 * An unclear run whose held-out loss rose while the training loss at the same weights did not, in a run too short to read the
 * epochs' noise, for fewer epochs in a row than overfitting asks (TrainingProgress.heldOutRiseEpochs, OVERFIT_PATIENCE): the losses,
 * how briefly it rose and the rule; where the training rows' loss lies above the held-out rows' at the end, that the network does
 * not fit them better (newuser48 #5: "fits its training rows better at the cost of the rows it has not seen" of a training loss of
 * 0.3751 beside a held-out 0.3681, from one epoch's rise in a run of 5).
 */
function heldOutBriefSentence(p: TrainingProgress, measured: string, right: string, trace: Trace): string {
  const held = p.heldOut!;
  const names = heldOutNames(p);
  const above = p.lossEnd >= held.lossEnd && !held.seen ? `; that loss lies above the ${names.rows}', so the network does not fit its training rows better than the rows it has not seen` : '';
  return (
    `The epochs cannot tell whether the network overfits: the ${names.rows}' loss rose, ${atLastEpochs(held.lossEnd, p, p.epochs!)}, ${amountAbove(held.lossEnd, heldOutLowest(p).loss)} its lowest, ${lowestWords(heldOutLowest(p)).words}, ` +
    `while ${measured} went ${lossText(p.lossBefore)} → ${lossText(p.lossEnd)}${p.window === 1 ? '' : ` (means over the last two windows of ${counted(p.window, 'epoch')})`}${right}${above}. ` +
    // No epoch to stop at (overfitting's remedy) is offered, said as the unstable end's brief rise says it (unstablePatience): a lowest in
    // the last window of a run under 20 epochs never has the patience's 3 epochs after it (lows51 #3), and only more epochs tell.
    `The ${names.loss} lay ${percent(STILL_FALLING)} or more above its lowest ${briefWords(p.heldOutRiseEpochs!, 'its')}, ${patienceWords('overfitting')}, so no epoch to stop at is offered; ${wouldTell(trace, 'more epochs')}.`
  );
}

/** How long a rise held at the end, counted up to OVERFIT_PATIENCE: 'in its last epoch only' (`whose`: 'its', or 'their' for two losses). */
const briefWords = (epochs: number, whose: string) => (epochs === 0 ? `not in ${whose} last epoch` : epochs === 1 ? `in ${whose} last epoch only` : `in ${whose} last ${grouped(epochs)} epochs only`);

/** The short run's patience rule, of `reading` ('overfitting', 'an unstable end'), after a rise briefer than it (briefWords). */
const patienceWords = (reading: string) =>
  'where a run too short to read how far the losses vary from epoch to epoch ' +
  `(that takes ${NOISE_WINDOW_MIN} epochs a window: runs of ${RUN_FIFTHS * NOISE_WINDOW_MIN} epochs or more) reads ${reading} only from a rise held ${OVERFIT_PATIENCE} epochs in a row ` +
  `(early stopping's patience): too few epochs to tell ${reading} from noise`;

/**
 * Beside a training loss that rose (state 'rising'), a held-out loss that rose with it at the same weights too briefly for an
 * unstable end in a short run (TrainingProgress.unstableRiseEpochs): that it rose, and why no unstable end (nor an epoch to stop at)
 * is read; '' elsewhere.
 */
function unstableBriefSentence(p: TrainingProgress): string {
  if (p.unstableRiseEpochs === undefined) return '';
  const held = p.heldOut!;
  return ` The ${heldOutNames(p).rows}' loss rose with it at the same weights, ${atLastEpochs(held.lossEnd, p, p.epochs!)}, ${amountAbove(held.lossEnd, heldOutLowest(p).loss)} its lowest, ${lowestWords(heldOutLowest(p)).words}, but ${unstablePatience(p)}`;
}

/** Why a rise of both too brief (TrainingProgress.unstableRiseEpochs) is no unstable end, and so offers no epoch to stop at. */
const unstablePatience = (p: TrainingProgress) =>
  `the two lay ${percent(STILL_FALLING)} or more above their lowest together ${briefWords(p.unstableRiseEpochs!, 'their')}, ${patienceWords('an unstable end')}, so no epoch to stop at is offered.`;

/**
 * The rise heldOutNewLowSentence read where the last window's mean did not read it (meanRose: at or
 * below every epoch before it, or above the lowest by less than a rise): windowsRose, from the pace
 * alone (a steady line up through the last two windows' epochs), which is named with what it reads,
 * since the mean beside it did not rise.
 */
const pacedRise = (p: TrainingProgress) =>
  `the training loss's pace over its last ${counted(p.pace!.points, 'epoch')} (${PACE_LINE}), at which it would ${paceWords(p.pace!)},`;

/** Which lowest `low` is, as heldOutNewLowSentence names it beside its words (lowestWords): one epoch's loss or a window's mean. */
const lowestKind = (low: EpochLoss) => (low.from === undefined ? "the lowest epoch's loss" : "the lowest window's mean");

/**
 * The docs page on curvature by the title README's list of pages gives it (docs/curvature.md's heading): a summary printed in the
 * terminal or an HTML report names the page, where a repository path read as plain text in the page (newuser23).
 */
export const CURVATURE_PAGE = "'Curvature and gradient noise'";

/**
 * How a user measures the curvature of their own model where the run ended: by the API, measureCurvature and diagnose()'s
 * curvature option (the only route in a browser: newuser48 #6), or by the command (cli/commands/curvature.ts), where
 * its FILE comes from (study --model saves its network with --save; the other studies' reports offer no network to save:
 * newuser44 #3, where it said "a study saves no network" of study --model too).
 */
const CURVATURE_OF_A_MODEL =
  '`measureCurvature(net, x, y)` measures it on your rows, and `diagnose(trace, { curvature: curvatureEvidenceOf(report) })` reads the point from it; ' +
  "`gradscope curvature --model FILE` measures a saved network's Hessian on your rows (--data) or the digits (FILE: JSON.stringify(net.toJSON()), train's --out, study --model's --save, " +
  "or the visualizer's model download; the other studies save no network)";

/** What a plateau's summary asks where its curvature was not given (curvatureAsked), before how to answer it (CURVATURE_HOW_TO). */
export const CURVATURE_ASKS = 'The gradient alone cannot tell a local minimum from a saddle or from a slope too gentle to leave quickly; its curvature can';

/**
 * How to measure the curvature where a run stopped and read the point from it, what the plateau study found, and where the rule
 * is: the how-to after CURVATURE_ASKS, whole without it (the report and the visualizer print it alone). The summary says it each
 * time it asks; the HTML report and the visualizer say it once, on their own, and their diagnoses point to it (newuser49 #7: some
 * 180 words, repeated for every network of a report). Of the saddle rule (src/saddle-rule.ts, which critical-point.ts decides by)
 * it says one condition, as the condition it is ('only where'), and leaves the rule in full, the ‖∇C‖·s cap on what the slope
 * gives and the slope spent, to the page (review45 #2: a rule summed up as if whole was false where the cap binds); the paragraph
 * ran 177 words with it, and named the plateau study twice (prose54's left-alone 1), 146 since.
 */
export const CURVATURE_HOW_TO =
  `${CURVATURE_OF_A_MODEL}. A smallest eigenvalue below 0 marks a saddle only where a step along its eigenvector lowers the loss on both sides by at least ${OUTWEIGHS}× what the slope gives; ` +
  `\`gradscope study plateau\`, which measures its own network, found Nielsen's plateau a slope of its objective, neither a saddle nor a minimum, and a saddle of its cross-entropy alone ` +
  `(gradscope's docs give the rule in full, page ${CURVATURE_PAGE})`;

/** The summary's paragraph that asks "minimum, saddle or slope?" (where curvatureAsked), with how to answer it. */
export const CURVATURE_QUESTION = `${CURVATURE_ASKS}: ${CURVATURE_HOW_TO}.`;

/**
 * Why a rising training loss points to the steps: said after the rise. The rate is the one in force at the end (runAtEnd), and
 * the one asked for beside it where onNonFinite 'halve' lowered it: a run asked for at 1e6 and stepped at 31250 was said to
 * step at 1e+6 (newuser43 #4).
 */
function overshootSentence(trace: Trace): string {
  const run = runAtEnd(trace);
  const asked = run.startingLearningRate === undefined ? '' : `, halved from the ${givenFloat32Text(run.startingLearningRate)} asked for`;
  const steps = run.learningRate === undefined ? 'the steps' : `the steps (learning rate ${givenFloat32Text(run.learningRate)}${asked})`;
  return `A training loss that rises points to ${steps} overshooting: moving the weights past the lower loss they aimed at`;
}

/**
 * The accuracy at the end read from batches, as what it is: the share of `rows` classified right, or, in a trace saved without its
 * batches' rows (accuracyEndMedian), the median over `batches` of each one's share: "89 % of their rows classified right", "a median
 * of 45 % of each of their batches' rows classified right (the trace does not record how many rows each batch held)".
 */
function batchesRight(p: TrainingProgress, rows: string, batches: string): string {
  const share = percent(p.accuracyEnd);
  return p.accuracyEndMedian
    ? `a median of ${share} of each of ${batches}' rows classified right (the trace does not record how many rows each batch held)`
    : `${share} of ${rows} classified right`;
}

/**
 * The share right at the end (TrainingProgress.accuracyEnd) as what it was read from, as the sentence on where the run stands says
 * it: of every training row (epochLoss 'all rows at the end'), of the training subset (`subset`: how the sentence names it), or of
 * the rows of the traced batches (batchesRight): the last epochs', or the last window's records' where the run is read from its
 * batches. A sentence beside it names it so too (review49b #7: 'N % of the training rows right' was said of batches' rows).
 */
export function accuracyEndWords(p: TrainingProgress, subset = `a subset of ${counted(p.subsetRows ?? 0, 'training row')}`): string {
  if (p.read === 'batches') return batchesRight(p, `the rows of the batches of the last ${counted(p.window, 'record')}`, `the batches of the last ${counted(p.window, 'record')}`);
  if (p.epochLoss === 'batch mean') return batchesRight(p, "the last epochs' traced batches' rows", "the last epochs' traced batches");
  return `${percent(p.accuracyEnd)} of ${p.epochLoss === 'all rows at the end' ? 'the training rows' : subset} classified right`;
}

/** progressSentence where the trace holds two epochs or more: the state read from the per-epoch losses, with them. */
function epochProgressSentence(p: TrainingProgress, verdict: Verdict, e: Evidence, ends: ChainEnds, trace: Trace): string {
  const measured = epochLossWords(p);
  const end = atLastEpochs(p.lossEnd, p, p.epochs!);
  const right = Number.isNaN(p.accuracyEnd) ? '' : `, with ${accuracyEndWords(p, 'those training rows')}${chanceClause(p, trace)}`;
  const rise = (now: number, low: { loss: number; words: string }) => `${atLastEpochs(now, p, p.epochs!)}, ${amountAbove(now, low.loss)} its lowest, ${low.words}`;
  if (p.state === 'overfitting') {
    const held = p.heldOut!;
    return (
      `the ${heldOutNames(p).rows}' loss rose while the training loss did not: ${rise(held.lossEnd, lowestWords(heldOutLowest(p)))}, ` +
      `while ${measured} went ${lossText(p.lossBefore)} → ${p.lossEnd === p.lossBefore ? 'the same' : lossText(p.lossEnd)}${p.window === 1 ? '' : ` (means over the last two windows of ${counted(p.window, 'epoch')})`}${newLowClause(p)}${right}.` +
      // Fitting the training rows better is said only where their loss fell: one that held says nothing of it.
      // … and lies below the held-out loss: one above it says the network fits the rows it has not seen better still (newuser48 #5).
      (p.lossEnd < p.lossBefore && p.lossEnd < held.lossEnd && !held.seen ? ' The network fits its training rows better at the cost of the rows it has not seen.' : '') +
      heldOutStartSentence(p)
    );
  }
  if (p.state === 'rising' && p.trainModeHeld) return trainModeHeldSentence(p, verdict, e, trace, measured, right);
  if (p.state === 'rising') {
    // Both at the same weights: not overfitting, which would have held the training loss.
    const unstable = unstableEnd(p)
      ? `training became unstable from epoch ${grouped(unstableFrom(p))}: training and ${heldOutNames(p).loss} both rose, the ${heldOutNames(p).rows}' loss ${rise(p.heldOut!.lossEnd, lowestWords(heldOutLowest(p)))}, and `
      : '';
    return `${unstable}${measured} rose: ${rise(p.lossEnd, riseFrom(p))}${paceClause(p)}${right}. ${overshootSentence(trace)}${verdict === 'loss-rising' ? '.' : ', whatever the gradient flow above.'}${unstableEnd(p) ? heldOutStartSentence(p) : unstableBriefSentence(p)}`;
  }
  if (p.state === 'converged') {
    return (
      `Training has converged: ${measured} fell from ${lossText(p.lossStart)} at the first step (its batch) to ${end}${right}, ` +
      'so the gradients are small because the errors are, near the loss\'s floor of 0: not a plateau. ' +
      'No remedy that changes only how the run steps (optimiser, learning rate, per-layer rates, clipping) is offered: the steps reached the floor.' +
      convergedGapClause(verdict, e, ends)
    );
  }
  if (p.state === 'unclear' && p.heldOutRiseEpochs !== undefined) return heldOutBriefSentence(p, measured, right, trace);
  if (p.state === 'unclear' && p.newLow && windowsRose(p)) return newLowSentence(p, measured, right, trace);
  if (p.state === 'unclear') {
    // Its lowest is named where it lies below both windows, with the noise of a rise above it: a rise within that is not read as one either.
    // The rule's lowest is the one before the last window: where an epoch of that window lies lower (windowLow), it is not the run's lowest, and the words say so.
    const lowestName = p.windowLow ? 'its lowest before the last window' : 'its lowest';
    const lowest =
      p.lowest!.loss < Math.min(p.lossBefore, p.lossEnd)
        ? `, ${amountAbove(p.lossEnd, p.lowest!.loss)} ${lowestName}, ${lowestWords(p.lowest!).words} (a rise above one ${p.lowest!.from === undefined ? 'epoch' : 'window'} is read only beyond ${shareOf(p.lossNoise.rise, p.lowest!.loss)})`
        : '';
    return (
      `Whether training still makes progress the epochs cannot tell: ${measured} went ${lossChangeText(p.lossBefore, p.lossEnd)} (means over the last two windows of ${counted(p.window, 'epoch')})${lowest}${right}, ` +
      `and from epoch to epoch it varies enough to hide a change of ${shareOf(p.lossNoise.fall, p.lossBefore)} (a t-test at 95 % on its spread about its trend), so no rise or fall within that is read; ${wouldTell(trace, 'more epochs (longer windows)')}.`
    );
  }
  if (p.state === 'learning') {
    return `Still learning: ${measured} is still falling, ${end}, ${againstBefore(p)} (${lossText(p.lossBefore)})${paceClause(p)}${right}.${learningGapClause(verdict, e, ends, trace)}`;
  }
  // Converged asks for the accuracy of the last epochs too: where no traced batch measured it and the loss is near its floor, the trace cannot tell.
  const untold = Number.isNaN(p.accuracyEnd) && lossNearFloor(p);
  // How far it fell, and the fall it would have taken to read still learning: 'stopped falling' said nothing of a fall of 1 % (newuser48 #11).
  const stopped = untold ? plateauMoved(p) : `${plateauMoved(p)}, without converging`;
  const whetherConverged = untold
    ? `; whether it converged the trace cannot tell: its loss is at most ${percent(CONVERGED_LOSS_FRACTION)} of the first step's batch's, but no traced batch of the last ${p.window === 1 ? 'epoch' : counted(p.window, 'epoch')} measured the ${percent(CONVERGED_ACCURACY)} of rows classified right that converged also asks for (a smaller trace interval would)`
    : '';
  return (
    `A plateau: ${measured} ${stopped} (${lossBeforeWords(p)} → ${end}; ${lossText(p.lossStart)} at the first step (its batch))${right}${whetherConverged}${shortRunClause(p, trace)}` +
    plateauCause(e, verdict, ends, trace)
  );
}

/**
 * A rise of the losses measured at the epochs' ends, in 'eval' mode, that the same epochs' batch means, in 'train' mode, did not
 * share (TrainingProgress.trainModeHeld): what rose, from its own lowest (a loss of the same mode), what the batch means did, and why
 * the modes part: beside flat batch norms (evidence.flatNorms) their running variance; elsewhere running statistics that lag the
 * weights the steps move (a smaller rate narrowed the gap: test/flow/train-mode-held.test.ts).
 */
function trainModeHeldSentence(p: TrainingProgress, verdict: Verdict, e: Evidence, trace: Trace, measured: string, right: string): string {
  const held = p.trainModeHeld!;
  const rise = (now: number, low: { loss: number; words: string }) => `${atLastEpochs(now, p, p.epochs!)}, ${amountAbove(now, low.loss)} its lowest, ${low.words}`;
  // From its lowest epoch (or window) where it lies above it, a loss of the same mode; else from the first step's batch, as read.
  const from = p.lowest && p.lossEnd > p.lowest.loss ? lowestWords(p.lowest) : riseFrom(p);
  const heldOut = p.heldOutRose ? `; the ${heldOutNames(p).rows}' loss rose with it, ${rise(p.heldOut!.lossEnd, lowestWords(heldOutLowest(p)))}` : '';
  const norms = trace.blocks!.layers.flatMap((l, i) => (l.type === 'batch-norm' ? [i] : []));
  // The flat features' sentence comes after this one beside a verdict on the loss, before it beside one of the gradient flow.
  const where = verdict === 'loss-rising' || verdict === 'overfitting' ? 'below' : 'above';
  const why = e.flatNorms
    ? `A flat feature's batches (${where}) have a variance of about 0, so its running variance falls toward 0 as the steps move it, ` +
      `and evaluation divides its input, less its running mean, by √(running variance + ε): by as little as √ε (${numberText(1 / Math.sqrt(NORM_EPSILON))}× at the default ε).`
    : "A batch norm's running mean and variance average its recent batches', so they lag weights that the steps move far from batch to batch, " +
      'and the network as predict() and evaluate() run it is not quite the one the steps trained.';
  return (
    `${measured} rose: ${rise(p.lossEnd, from)}${paceClause(p)}${right}${heldOut}. ` +
    `${p.heldOutRose ? 'Both losses' : 'That loss'} ran in evaluation mode, where each batch norm (${rowList(trace, norms)}) normalises by its running mean and variance; ` +
    `the same epochs' batch losses, which ran in training mode (each batch norm normalising by its batch's own), went ${lossChangeText(held.lossBefore, held.lossEnd)} ` +
    `(means over the last two windows of ${counted(p.window, 'epoch')}) and did not rise: the rise is between the two modes. ${why}` +
    // Beside a held-out rise too brief for an unstable end, why its stop is not offered (review51 #6: it went without a word).
    (p.unstableRiseEpochs === undefined ? '' : ` In evaluation mode ${unstablePatience(p)}`)
  );
}

/**
 * Where the held-out loss rose but the trace holds no training loss at the same weights (one saved
 * before TraceEpoch.training was recorded): what the trace can tell, and what it cannot; '' elsewhere.
 * Where its batch means rose too (state 'rising', said before this), both rose, which is no
 * overfitting: what it cannot tell is from which epoch training became unstable (an unstable end is
 * read at the same weights only: unstableEnd). Where they did not, batch means over weights that
 * moved can hide a training loss that rose by the epochs' ends, so it cannot tell overfitting from an
 * unstable end.
 */
function heldOutUnreadClause(p: TrainingProgress): string {
  if (!p.heldOutRose || p.epochLoss !== 'batch mean') return '';
  const held = p.heldOut!;
  const rose = `${atLastEpochs(held.lossEnd, p, p.epochs!)}, ${amountAbove(held.lossEnd, heldOutLowest(p).loss)} its lowest, ${lowestWords(heldOutLowest(p)).words}`;
  const unrecorded = 'the trace holds no training loss at the same weights (it was saved before gradscope recorded one)';
  if (p.state === 'rising') {
    return (
      ` The ${heldOutNames(p).rows}' loss rose too, ${rose}: with the training loss, so this is no overfitting (which holds the training loss). ` +
      `But ${unrecorded}, so from which epoch training became unstable it cannot tell, and it offers no epoch to stop at: training again with the same ${heldOutNames(p).rows} records it.`
    );
  }
  return (
    ` The ${heldOutNames(p).rows}' loss rose, ${rose}; ${unrecorded}, and its batch means are over weights that moved, ` +
    `so whether that is overfitting (the training loss held) or an unstable end (both rose) it cannot tell: training again with the same ${heldOutNames(p).rows} records it.`
  );
}

/** The gap over the records as the closed-gap sentences say it: "the first hidden layer's per-example δ is 1.00× the last hidden layer's (median over 10 records)". */
function medianGapWords(e: Evidence, ends: ChainEnds): string {
  const measure = e.normalisedBy ? 'relative gradient ‖∂C/∂W‖/‖W‖' : "per-example δ";
  return `the ${ends.first}'s ${measure} is ${timesOf(gapMeasure(e).median)} the ${ends.last}'s (${medianOverRecords(e)})`;
}

/**
 * A closed gap (gapClosed) as the closed-gap sentences say it: over the records, within EVEN_RANGE, and where the batch-gradient speed
 * read at the first step ended about even (closedSpeedWords), that end, which the speed sentence above leaves to this one (said once).
 */
function closedGapWords(e: Evidence, ends: ChainEnds): string {
  const speed = closedSpeedWords(e);
  return `${medianGapWords(e, ends)}, within ${EVEN_RANGE}${speed && `, and ${speed}`}`;
}

/** For a converged run's vanishing or exploding gap: whether it closed during training (gapClosed), so that no remedy for it is offered, or held. */
function convergedGapClause(verdict: Verdict, e: Evidence, ends: ChainEnds): string {
  if (verdict !== 'vanishing' && verdict !== 'exploding') return '';
  return gapClosed(verdict, e)
    ? ` The gap closed during training: ${closedGapWords(e, ends)}, so the ${ends.first} learnt too, and no remedy for the gap is offered either.`
    : ` The gap held during training: ${medianGapWords(e, ends)}, so the changes to the network it points to are still offered.`;
}

/** What a closed gap (gapClosed) is not the cause of, by where the run stands, for the states whose own sentence does not say it (converged and learning do). */
const NOT_THE_CAUSE: Partial<Record<TrainingState, (p: TrainingProgress) => string>> = {
  plateau: () => 'the gap is not what holds the loss',
  rising: () => 'the gap is not what makes the loss rise',
  overfitting: (p) => `the gap is not what makes the ${heldOutNames(p).rows}' loss rise`,
  unclear: () => 'what is left is no gap',
};

/**
 * For a vanishing or exploding gap that closed during training (gapClosed) beside a plateau, a
 * rising loss, overfitting, an unclear state or none read: that the gap was the first records', so
 * that nothing is offered for it, only what where the run stands asks; '' elsewhere (a converged or
 * learning run's sentence says it: convergedGapClause, learningGapClause).
 */
export function closedGapSentence(verdict: Verdict, e: Evidence, ends: ChainEnds): string {
  const state = e.training?.state;
  if (!gapClosed(verdict, e) || state === 'converged' || state === 'learning') return '';
  const cause = state === undefined ? 'what is left is no gap' : NOT_THE_CAUSE[state]!(e.training!);
  return `The gap closed during training: ${closedGapWords(e, ends)}, so the ${ends.first} learns too; ${cause}, so no remedy for the gap is offered.`;
}

/**
 * For a run still learning whose vanishing or exploding gap closed (gapClosed): that the gap was the
 * first records', not what is left, so that nothing is offered for the gap, and more epochs where the
 * flow shows no other finding (flowClear; dead units, said after, get their own remedies instead, as
 * beside a healthy flow; saturated units theirs too, as beside any verdict but their own); '' elsewhere (a gap that held keeps its remedies, and the
 * summary says nothing more of it here).
 */
function learningGapClause(verdict: Verdict, e: Evidence, ends: ChainEnds, trace: Trace): string {
  if (!gapClosed(verdict, e)) return '';
  const units = e.layersWithDeadUnits.length ? 'dead' : 'saturated';
  // Over rows alike no remedy is offered at all (alikeInputsSentence says so), more epochs neither.
  const epochs = rowsAlike(trace) ? '' : flowClear(e) ? ', and more epochs are' : `; nor are more epochs, offered only where the flow shows nothing else, and it shows ${units} units (below)`;
  return ` The gap closed during training: ${closedGapWords(e, ends)}, so the ${ends.first} learns too; what is left is a loss still falling, not the gap, so no remedy for the gap is offered${epochs}.`;
}
