/**
 * Where the run stands (TrainingProgress) as the diagnosis reads it for its sentences and its
 * remedies: the run's epochs, a short run, what a rising loss rose from, how a plateau or a still-
 * falling loss moved. Part of diagnose() (diagnose.ts).
 */
import type { Trace } from '../trace.js';
import { counted, grouped } from '../../counted.js';
import { type EpochLoss, type LossPace, NOISE_WINDOW_MIN, risenAboveStart, SHORT_RUN_EPOCHS, STILL_FALLING, type TrainingProgress, windowsRose } from '../training-progress.js';
import { percent } from './diagnosis-words.js';
import { multipleText, numberText, shareText } from '../../number-text.js';
import { lossChangeText, lossText } from '../../loss-text.js';

/** The run's epochs: TrainingProgress.epochs (a thinned trace's whole run, not the epochs it kept), else those the trace recorded. */
export const runEpochs = (p: TrainingProgress, trace: Trace) => p.epochs ?? trace.epochs.length;

/** The epochs of the run where fewer than SHORT_RUN_EPOCHS (at least one recorded); undefined for a longer run or a trace that records none. A thinned trace's are the run's (TrainingProgress.epochs), not those it kept. */
export function shortRunEpochs(p: TrainingProgress, trace: Trace): number | undefined {
  const epochs = runEpochs(p, trace);
  return epochs >= 1 && epochs < SHORT_RUN_EPOCHS ? epochs : undefined;
}

/**
 * An amount of the loss (a rise, a noise) as a share of the loss it is read from: '26 %'; from a loss
 * of exactly 0, which no percentage is of, the amount itself: '0.0123 in the loss's units'.
 */
export const shareOf = (amount: number, from: number) => (from > 0 ? percent(amount / from) : `${lossText(amount)} in the loss's units`);

/**
 * How far a loss lies above its lowest, as the words before what it is compared with: '26 % above', from a lowest of 0 '0.0123 in
 * the loss's units above' (shareOf); from RISE_AS_FACTOR times its lowest on, the factor: '4.00e+25 times' (an evaluated loss
 * past 10²⁵ read '3.9952204989927646e+27 % above' its lowest: review39).
 */
export const amountAbove = (loss: number, lowest: number) =>
  lowest > 0 && loss / lowest >= RISE_AS_FACTOR ? `${multipleText(loss / lowest)} times` : `${shareOf(loss - lowest, lowest)} above`;

/** The rise, as a loss over the one it is read from, from which amountAbove says it as a factor: 10⁴ (a rise of about 10⁶ %). */
const RISE_AS_FACTOR = 1e4;

/** A lowest epoch's or window's loss as a sentence says it: '0.107 after 39 epochs', 'mean 0.127 over epochs 81–120'. */
export function lowestWords(low: EpochLoss): { loss: number; words: string } {
  const words = low.from === undefined ? `${lossText(low.loss)} after ${counted(low.epoch + 1, 'epoch')}` : `mean ${lossText(low.loss)} over epochs ${grouped(low.from + 1)}–${grouped(low.epoch + 1)}`;
  return { loss: low.loss, words };
}

/** When a lowest epoch's or window's loss was, as a remedy's reason says it: 'after 39 epochs (0.107)', 'over epochs 81–120 (mean 0.127)'. */
export const lowestWhen = (low: EpochLoss) =>
  low.from === undefined ? `after ${counted(low.epoch + 1, 'epoch')} (${lossText(low.loss)})` : `over epochs ${grouped(low.from + 1)}–${grouped(low.epoch + 1)} (mean ${lossText(low.loss)})`;

/**
 * What a rising loss rose from, with its words: read 'epochs', the lower of the lowest before the
 * last window (TrainingProgress.lowest, or the last window's own epoch below it, windowLow) and the first record's batch loss (the loss at the weights
 * the run started from), the latter only where the loss rose above it beyond its batch's noise
 * (risenAboveStart); read 'batches', the window of records before the last.
 */
export function riseFrom(p: TrainingProgress): { loss: number; words: string } {
  if (!p.lowest) return { loss: p.lossBefore, words: `the ${counted(p.window, 'record')} before (${lossText(p.lossBefore)})` };
  // An epoch of the last window below the lowest before it is the run's lowest: what the window rose from, which 'its lowest' must name.
  const lowest = p.windowLow ?? p.lowest;
  return p.lossStart < lowest.loss && risenAboveStart(p) ? { loss: p.lossStart, words: `${lossText(p.lossStart)} at the first step (its batch)` } : lowestWords(lowest);
}

/**
 * Where the last window's loss lies STILL_FALLING or more above the first step's batch loss but within
 * that batch's noise (startNoise), so that the start did not decide the state: a sentence that says
 * so; '' elsewhere (a rising loss says what it rose from; read 'batches', no rise from the start is read).
 */
export function startNoiseSentence(p: TrainingProgress, trace: Trace): string {
  if (p.read !== 'epochs' || p.state === 'rising' || risenAboveStart(p) || p.lossEnd < (1 + STILL_FALLING) * p.lossStart) return '';
  // Named and printed: beside the held-out rows' loss, 'the loss at the end' read as theirs, and its value was not said.
  return (
    ` The training loss at the end (${epochLossName(p)}, ${atLastEpochs(p.lossEnd, p, runEpochs(p, trace))}) lies ${percent(p.lossEnd / p.lossStart - 1)} above the first step's batch loss (${lossText(p.lossStart)}, one batch), ` +
    `within that batch's noise (one batch's loss varies by ${lossText(p.startNoise)} about the loss's level: two standard deviations, from the differences between the first records' batch losses), so no rise from the start is read.`
  );
}

/** Which training loss an epoch's is (TrainingProgress.epochLoss), in a few words: 'the loss on the same 500 training rows after each epoch'. */
export function epochLossName(p: TrainingProgress): string {
  if (p.epochLoss === 'training subset at the end') return `the loss on the same ${counted(p.subsetRows!, 'training row')} after each epoch`;
  return p.epochLoss === 'all rows at the end' ? "the loss on every training row at each epoch's end" : "each epoch's mean batch loss";
}

/** Read 'epochs' from windows too short to read the epochs' noise (fewer than NOISE_WINDOW_MIN epochs each, ComparedLosses.noise 0): each loss read as measured. */
export const noiseUnread = (p: TrainingProgress) => p.read === 'epochs' && p.lossNoise.rise === 0 && p.lossNoise.fall === 0 && p.window < NOISE_WINDOW_MIN;

/**
 * The held-out loss's lowest as the sentences and early stopping name it: the lowest before the last window
 * (ComparedLosses.lowest, from which a rise is read), or an epoch of that window below it (windowLow), the run's lowest.
 */
export const heldOutLowest = (p: TrainingProgress): EpochLoss => p.heldOut!.windowLow ?? p.heldOut!.lowest;

/** Whether the held-out loss before the first epoch (ComparedLosses.start, where given) lay at or below every epoch's lowest: no epoch of the run lowered it. */
export const heldOutLowestAtStart = (p: TrainingProgress) => p.heldOut?.start !== undefined && p.heldOut.start <= heldOutLowest(p).loss;

/**
 * An unclear run whose training loss's windows rose while its last epoch is a new low, beside a held-out
 * loss that rose at the same weights (the training subset's loss at each epoch's end): overfitting or an
 * unstable end, which the epochs cannot tell apart (progress-sentences' heldOutNewLowSentence).
 */
export const heldOutNewLow = (p: TrainingProgress) =>
  p.state === 'unclear' && p.newLow !== undefined && windowsRose(p) && p.heldOutRose === true && p.epochLoss === 'training subset at the end';

/**
 * How the sentences name the run's validation rows and their loss: held out, or, where some of them
 * trained the model before the run (ComparedLosses.seen, DiagnoseOptions.validationSeen), the
 * validation rows: study --model called digits that trained the model 'the held-out rows'.
 */
export function heldOutNames(p: TrainingProgress): { rows: string; loss: string } {
  return p.heldOut?.seen ? { rows: 'validation rows', loss: 'validation loss' } : { rows: 'held-out rows', loss: 'held-out loss' };
}

/**
 * Where the held-out loss was lowest before the first epoch (heldOutLowestAtStart), a sentence that
 * says so and why no epoch to stop at is offered; '' elsewhere.
 */
export function heldOutStartSentence(p: TrainingProgress): string {
  if (!heldOutLowestAtStart(p)) return '';
  return ` The ${heldOutNames(p).rows}' loss was lower still before the first epoch (${lossText(p.heldOut!.start!)}, at the weights the run started from): no epoch of this run lowered it, so no epoch to stop at is offered; the weights it started from are the ones to keep.`;
}

/** A loss of the last window of `epochs` epochs as a sentence says it: '0.0905 at the last of 8 epochs', 'mean 3.24 over the last 20 of 100 epochs'. */
export const atLastEpochs = (loss: number, p: TrainingProgress, epochs: number) =>
  p.window === 1 ? `${lossText(loss)} at the last of ${counted(epochs, 'epoch')}` : `mean ${lossText(loss)} over the last ${grouped(p.window)} of ${counted(epochs, 'epoch')}`;

/** How far the loss fell between the two windows a plateau was read from, as a clause: 'fell only 0.186 % over the last epoch', 'did not fall over …'. */
export function plateauFall(p: TrainingProgress): string {
  const fall = 1 - p.lossEnd / p.lossBefore;
  const over = p.read === 'batches' ? `between the last two windows of ${counted(p.window, 'record')}` : p.window === 1 ? 'over the last epoch' : `between the last two windows of ${counted(p.window, 'epoch')}`;
  return fall > 0 ? `fell only ${numberText(100 * fall)} % ${over}` : `did not fall ${over}`;
}

/**
 * How far a plateau's loss moved between the two windows it was read from, against the fall still learning asks (STILL_FALLING),
 * as the plateau sentence says it before its figures: 'fell only 1.04 %, under the 5 % still learning asks', or 'did not fall'.
 * It said 'stopped falling' of a loss that fell 1.04 % (2.332 → 2.307) in the last of 5 epochs, read as one still falling 1 % an
 * epoch (newuser48 #11: its epochs' losses 2.320, 2.313, 2.312, 2.332, 2.307 at the loss of a guess, ln 10 = 2.303).
 */
export function plateauMoved(p: TrainingProgress): string {
  const fall = 1 - p.lossEnd / p.lossBefore;
  return fall > 0 ? `fell only ${numberText(100 * fall)} %, under the ${percent(STILL_FALLING)} still learning asks` : 'did not fall';
}

/**
 * The window before the last with its loss, as a plateau's figures say it before the last window's: '2.332 after the epoch
 * before' (a loss measured at the epoch's end), '2.332 over the epoch before' (its batches' mean), 'mean 3.236 over the 100
 * epochs before', '2.301 over the 20 records before' (their median: said so with the last window's).
 */
export function lossBeforeWords(p: TrainingProgress): string {
  const before = beforeWords(p);
  if (p.read === 'batches') return `${lossText(p.lossBefore)} over ${before}`;
  if (p.window > 1) return `mean ${lossText(p.lossBefore)} over ${before}`;
  return `${lossText(p.lossBefore)} ${p.epochLoss === 'batch mean' ? 'over' : 'after'} ${before}`;
}

/**
 * What a steady pace (LossPace) would do to the loss over its horizon were it kept, as words after 'would': 'fall 13 % over 4
 * epochs more', 'rise 6 % over 4 epochs more' (an extrapolation, said as one: 'at its pace it falls …' read as a fact, newuser49
 * #11); a fall past half said as the share of the loss it leaves, 'fall to 1/4.96 of its level over 5 epochs more' (a percentage of a fall near all of it
 * would round to 100 %, a loss of 0), a rise past double as a multiple; a factor (or, for a fall,
 * its inverse) past float64's range, beyond e^±709.78 (e^(logSlope·horizon) or 1/it rounded to
 * Infinity), as the bound it lies beyond (multipleText, shareText).
 */
export function paceWords(pace: LossPace): string {
  const left = Math.exp(pace.logSlope * pace.horizon);
  const change =
    left >= 2
      ? `rise to ${multipleText(left)}× its level`
      : left > 1
        ? `rise ${percent(left - 1)}`
        : left >= 0.5
          ? `fall ${percent(1 - left)}`
          : `fall to ${shareText(left)} of its level`;
  return `${change} over ${counted(pace.horizon, 'epoch')} more`;
}

/**
 * The last window's loss against the window before (beforeWords names it), as words: '3 % below the
 * epoch before'; a fall past half as the share left, '1/16.0 of the epoch before' (a percentage near
 * all of it would round to 100 %, a loss of 0); and, where a steady pace read the run as learning
 * while the two windows barely moved or rose, 'less than 1 % below', 'level with' or '2 % above'
 * (a percentage of that would read '0 %' or '-2 %' below).
 */
export function againstBefore(p: TrainingProgress): string {
  const before = beforeWords(p);
  const ratio = p.lossEnd / p.lossBefore;
  if (ratio === 0) return `down to 0 from ${before}`;
  if (ratio < 0.5) return `${shareText(ratio)} of ${before}`;
  if (Math.round(100 * (1 - ratio)) >= 1) return `${percent(1 - ratio)} below ${before}`;
  if (ratio < 1) return `less than 1 % below ${before}`;
  if (ratio === 1) return `level with ${before}`;
  return Math.round(100 * (ratio - 1)) >= 1 ? `${percent(ratio - 1)} above ${before}` : `less than 1 % above ${before}`;
}

/** How a still-falling loss falls, as the more-epochs remedy's reason says it: ' (3 % below the epoch before; if it kept this pace it would fall 13 % over 4 epochs more)'. */
export function stillFalling(p: TrainingProgress): string {
  const pace = p.pace?.steady && p.pace.projected <= -STILL_FALLING ? `; if it kept this pace it would ${paceWords(p.pace)}` : '';
  return ` (${againstBefore(p)}${pace})`;
}

/** The window before the last, as the sentences name it: 'the epoch before', 'the 5 epochs before', 'the 20 records before'. */
export function beforeWords(p: TrainingProgress): string {
  return p.read === 'batches' ? `the ${counted(p.window, 'record')} before` : p.window === 1 ? 'the epoch before' : `the ${counted(p.window, 'epoch')} before`;
}

/**
 * The losses a study table's verdict cell (verdictCell) says its verdict was read from, where the verdict
 * is on the loss or, healthy, has no gap to give. loss-rising: the training loss from what it rose from
 * (riseFrom) to the last window ('training loss 0.107 after 39 epochs → mean 0.135 over the last 20 of
 * 100 epochs'); overfitting: the held-out loss so, from its lowest; otherwise the training loss from the
 * first step's batch to the last window ('training loss 7.04 at the first step (its batch) → mean 1.49
 * over the last 100 of 500 epochs': study (a)'s [784,30,10] in docs/gradient-flow.md, which
 * test/docs/depth-training-table checks against the study). Read from the batches, their medians ('batch loss 2.30 → 0.452,
 * medians over the last two windows of 5 records' for a rise; 'batch loss 2.30 at the first step →
 * 0.452, median over the last 5 records' otherwise).
 */
export function lossFigure(p: TrainingProgress, onLoss: 'rising' | 'overfitting' | 'neither'): string {
  if (p.read === 'batches') {
    return onLoss === 'rising'
      ? `batch loss ${lossChangeText(p.lossBefore, p.lossEnd)}, medians over the last two windows of ${counted(p.window, 'record')}`
      : `batch loss ${lossText(p.lossStart)} at the first step → ${lossText(p.lossEnd)}, median over the last ${counted(p.window, 'record')}`;
  }
  if (onLoss === 'overfitting') return `${heldOutNames(p).loss} ${lowestWords(heldOutLowest(p)).words} → ${atLastEpochs(p.heldOut!.lossEnd, p, p.epochs!)}`;
  const from = onLoss === 'rising' ? riseFrom(p).words : `${lossText(p.lossStart)} at the first step (its batch)`;
  return `training loss ${from} → ${atLastEpochs(p.lossEnd, p, p.epochs!)}`;
}
