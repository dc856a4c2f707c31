/**
 * Where a traced run stands: converged (the errors are small, so the gradients are), on a plateau
 * (the loss stopped moving short of that), still learning (its loss still falling, by enough or
 * steadily), its training loss rising (steps too large), overfitting (the training loss holds or falls while the loss on held-out rows rises), or
 * unclear. Read from the losses the training loop measured each epoch (Trace.epochs) where the trace
 * holds two epochs or more; from its records' batch losses only where it does not (a trace of one
 * epoch, of a single batch, or saved before epochs were recorded) or where an epoch's loss is not a
 * number (TrainingProgress.epochsUnread says which), where each record is one batch. Either way a
 * change is read only beyond the losses' noise, and they may vary too much to tell (unclear). diagnose() says which beside the gradient
 * flow, so that gradients that shrank because the loss neared its floor are not called a plateau,
 * and a flow that is healthy while the loss rises is not called healthy.
 */
import { median } from '../median.js';
import { MORE_EPOCHS } from './remedy.js';
import type { Trace, TraceEpoch } from './trace.js';
import { accuracyAtChance, chanceOf, type ChanceLevel } from './chance.js';

/**
 * converged: fits its training batches; plateau: the loss stopped moving short of that (it changed
 * less than STILL_FALLING between the last two windows, and its pace would not change it that much
 * over as long again); learning: the loss is still falling (by STILL_FALLING between the windows, or
 * at a steady pace that would lower it that much over as long again); rising: the training loss rose
 * above its lowest or its start, or rises at such a pace, and its last epoch is no new low
 * (TrainingProgress.newLow) (where the held-out loss rose with it at the same weights, an unstable
 * end: see unstableEnd); overfitting: the training loss at the epochs' ends
 * did not rise above its lowest while the held-out rows' loss did, both at the same weights (epochs
 * only, with validation on other rows and the training rows' loss recorded beside it:
 * TraceEpoch.training), beyond the epochs' noise, or, in a run too short to read it, for
 * 3 epochs in a row, early stopping's patience (a briefer rise is unclear: TrainingProgress.heldOutRiseEpochs); unclear: the batches' or epochs' losses vary more than the change to be read
 * (TrainingProgress.noise above STILL_FALLING) and showed none beyond it, or the last window's mean
 * rose (windowsRose) while its last epoch is a new low (TrainingProgress.newLow), and it fell less
 * than 'learning' asks from the window before: the windows say it rose, the last epoch that it did not;
 * or so beside a held-out loss that rose (heldOutRose) at the same weights, however far the windows'
 * means fell: whether the training loss held (overfitting) or rose with it (an unstable end) the
 * windows and the last epoch disagree on (in runs of fewer than 25 epochs, whose windows read no
 * noise, one epoch that jumped and came back can decide a window's mean).
 */
export type TrainingState = 'converged' | 'plateau' | 'learning' | 'rising' | 'overfitting' | 'unclear';

/** An epoch's loss and which epoch it was, or a window's mean loss and its epochs. */
export interface EpochLoss {
  /** Epoch number within the traced train() call, from 0 (of a window: its last epoch). */
  epoch: number;
  /** The loss (of a window: the mean of its epochs' losses). */
  loss: number;
  /** Only of a window of more than one epoch: its first epoch's number. */
  from?: number;
}

/**
 * The pace of the loss read from the epochs: a least-squares line through the logarithms of the
 * training losses of the epochs of the last two windows (at least the last 3), a loss that
 * changes by the same fraction of itself each epoch, carried forward as long again as the run
 * (as many epochs again as the run's: the more-epochs remedy asks for twice them). A loss falls toward its
 * floor of 0, never past it: a line through the losses themselves carried a steep fall below 0
 * (Adam at 0.01 on 700 digits, seed 3: "159 % over 5 epochs more"). Not read where one of those
 * losses is 0, which has no logarithm.
 */
export interface LossPace {
  /** Epochs the line was fitted through: at least 3. */
  points: number;
  /** Epochs the line is carried forward over. */
  horizon: number;
  /** The line's slope: the change of the loss's natural logarithm per epoch (negative where it falls). */
  logSlope: number;
  /** The line's change over `horizon` as a fraction of the loss, e^(logSlope·horizon) − 1: negative where the loss falls, and never below −1 (a loss falls by a fraction of itself, never by all of it; −1 itself only where float64 rounds a factor beyond e^37 to all of it). */
  projected: number;
  /** The slope lies further from 0 than steadyT(points − 2) standard errors: a trend, not noise about a level. */
  steady: boolean;
}

/** Why trainingProgress() read a trace's batches and not its epochs (TrainingProgress.epochsUnread). */
export type EpochsUnread = 'fewer than two' | 'not a number' | 'too sparse';

/**
 * The least rise and fall of the last window's loss that its variation does not explain, in the
 * loss's units: from epoch to epoch (ComparedLosses.noise), or from batch to batch where the batches
 * were read (TrainingProgress.lossNoise).
 */
export interface LossNoise {
  /** Against the lowest (ComparedLosses.lowest): the least rise that is read as one. */
  rise: number;
  /** Against the window before: the least fall that is read as one. */
  fall: number;
}

/**
 * One loss per epoch compared over the last two windows of epochs: the training loss (epochLoss) and,
 * with validation on other rows (TraceRun.validation), the held-out rows' loss (TrainingProgress.heldOut).
 */
export interface ComparedLosses {
  /** Mean loss over the window of epochs before the last. */
  lossBefore: number;
  /** Mean loss over the last window of epochs. */
  lossEnd: number;
  /** The lowest loss of an epoch (of a batch-mean loss: of a window of epochs) before the last window: what a rise is measured from. */
  lowest: EpochLoss;
  /**
   * How far the last window's mean must lie from the lowest's and the window before's to be read as
   * a change (LossNoise): steadyT(n − 2) standard errors of the difference, a t-test at 95 % as the
   * pace's, from the spread σ of the n epochs' losses about the least-squares line through the last
   * two windows (σ·√(1/n₁ + 1/n₂) for means of n₁ and n₂ epochs). 0 where either window holds fewer
   * than 5 (kept) epochs: each loss is then read as measured.
   */
  noise: LossNoise;
  /**
   * Only where the last (kept) epoch's loss lies below every earlier one's: that epoch and its loss.
   * Such a loss did not rise, whatever its last window's mean says: the mean carries an epoch before
   * it that jumped and came back (no rise is read beside it: windowsRose, TrainingProgress.heldOutRose).
   */
  newLow?: EpochLoss;
  /**
   * Only of one loss per epoch (not batch means' windows) and without newLow: the last window's lowest
   * epoch, where it lies below `lowest` (so it is the lowest of any epoch): a rise of the last window's
   * mean above `lowest` is then another of its epochs', and the sentences say it rose above this one,
   * not above `lowest`, which it undercuts (gradscope study --model of a relu/he network trained by Adam,
   * Adam 0.001, 10 epochs: the training subset's losses 0.0137, 0.0156, 0.00395, 0.0377 at epochs 7–10
   * read 'rose … above its lowest, 0.0137 after 7 epochs', newuser25).
   */
  windowLow?: EpochLoss;
  /**
   * Only of the held-out loss (TrainingProgress.heldOut), where diagnose() was given it
   * (DiagnoseOptions.heldOutAtStart): that loss at the weights the run started from, before its
   * first epoch, which the trace does not hold.
   */
  start?: number;
  /**
   * Only of the held-out loss, where diagnose() was told that some of its rows trained the model
   * before this run (DiagnoseOptions.validationSeen): the sentences call them the validation rows,
   * never held out (heldOutNames).
   */
  seen?: true;
}

/** What trainingProgress() read: the losses and accuracy it compared, and the state they give. */
export interface TrainingProgress {
  /** The state (see TrainingState). */
  state: TrainingState;
  /** 'epochs': the per-epoch losses (Trace.epochs, at least 2 of them); 'batches': the records' batch losses, read only where the epochs cannot be (epochsUnread). */
  read: 'epochs' | 'batches';
  /**
   * Only when read 'epochs': which training loss each epoch gives. 'all rows at the end': the loss on
   * every training row at the epoch's end (its validation, given the training rows themselves);
   * 'training subset at the end': the loss on a fixed subset of the training rows at the epoch's end,
   * at the weights the validation rows were evaluated at (TraceEpoch.training, recorded where those were other rows);
   * 'batch mean': the mean of the epoch's batch losses, each before its update (EpochInfo.loss).
   */
  epochLoss?: 'all rows at the end' | 'training subset at the end' | 'batch mean';
  /** Only with epochLoss 'training subset at the end': the training rows in the subset. */
  subsetRows?: number;
  /**
   * Only when read 'batches': why the epochs were not read. 'fewer than two': the trace holds fewer
   * (one epoch, a single batch, a trace saved before epochs were recorded); 'not a number': an
   * epoch's training loss (see epochLoss) is not a finite number (a saved trace's null); 'too
   * sparse': a thinned trace (Trace.keepEpochs) kept no epoch in the window before the last.
   */
  epochsUnread?: EpochsUnread;
  /** Records (read 'batches': a fifth of them, at least 2) or the run's epochs (read 'epochs': a fifth of them, at least 1) in each of the two windows compared. */
  window: number;
  /** Only when read 'epochs': the run's epochs, counted by their numbers (the last one's − the first one's + 1). */
  epochs?: number;
  /**
   * Only when read 'epochs' from a thinned trace (Trace.keepEpochs: fewer epochs than the run's):
   * how many it holds. The windows' means and the lowest are then of the kept epochs in them.
   */
  epochsKept?: number;
  /**
   * Batch loss at the first record: the first step's, at the weights the run started from, the only
   * loss the trace holds of them. One batch's: read beside its noise (startNoise) where a rise from it
   * or a fall below it decides.
   */
  lossStart: number;
  /**
   * How far one batch's loss varies about the loss's level, as the least difference from lossStart that its
   * batch does not explain, in the loss's units (see startNoiseOf): a rise above lossStart is read
   * only beyond it, and a loss said to have fallen to a fraction of it falls to that fraction of
   * lossStart less it. 0 where the trace holds fewer than 6 records.
   */
  startNoise: number;
  /** Read 'batches': median batch loss over the window of records before the last; read 'epochs': mean training loss (epochLoss) over the window of epochs before the last. */
  lossBefore: number;
  /** The same over the last window. */
  lossEnd: number;
  /** Only when read 'epochs': the lowest training loss of a window (of `window` epochs) before the last window, one of what a rise is measured from (lossStart is the other). */
  lowest?: EpochLoss;
  /**
   * The training loss's noise in its own units: the least rise and the least fall of the last window
   * that the losses' spread does not hide. Read 'epochs': ComparedLosses.noise, as heldOut.noise is the
   * held-out loss's (a rise above `lowest`, larger than the fall from lossBefore: one epoch's loss
   * carries its own spread; both 0 in runs of fewer than 25 epochs, whose windows of a fifth hold fewer than 5). Read
   * 'batches': both two standard errors of the difference of the windows' medians (a rise and a fall
   * are both read from the window before). In the loss's units, not over the loss it is read from:
   * a lowest loss of exactly 0 (a fit whose softmax rounds to 1) has no share, and the summary then
   * says the rise and its noise in the loss's units.
   */
  lossNoise: LossNoise;
  /** Only when read 'epochs' from 3 epochs or more: the loss's pace over the last two windows (see LossPace). */
  pace?: LossPace;
  /**
   * Only when read 'epochs', where the last epoch's training loss lies below every earlier epoch's and
   * not above the first step's batch loss by what would read as a rise from it (risenAboveStart): that
   * epoch and its loss, a new low of the run. No rise is read beside it: a window's mean that rose
   * above its lowest carries an epoch that jumped and came back (gradscope study --model of a relu/he
   * network trained by Adam, SGD 0.1, 10 epochs: the training subset's losses 0.0142, 0.0493,
   * 0.00875 at epochs 8–10, a last window's mean 104 % above its lowest, read as rising before).
   */
  newLow?: EpochLoss;
  /** Only when read 'epochs': the training loss's ComparedLosses.windowLow, the last window's epoch below `lowest` where the last epoch is no new low. */
  windowLow?: EpochLoss;
  /** Only when read 'epochs' with validation on other rows (TraceRun.validation): their losses, compared as the training loss's are. */
  heldOut?: ComparedLosses;
  /**
   * Only where the state is 'rising' read from losses measured at the epochs' ends (epochLoss 'all rows at the end' or 'training
   * subset at the end'), which run in 'eval' mode, of a network with batch-norm layers, while the same epochs' batch means
   * (TraceEpoch.loss), which ran in 'train' mode, did not rise (windowsRose, read as of the training loss): those means over the last
   * two windows. Each batch norm normalises by its batch's own mean and variance in 'train' mode and by its running ones in 'eval'
   * mode, so the rise is between the modes, not the steps' (batch norms over rows all alike: test/flow/train-mode-held.test.ts).
   */
  trainModeHeld?: {
    /** The mean of the batch means over the window of epochs before the last. */
    lossBefore: number;
    /** The same over the last window. */
    lossEnd: number;
  };
  /**
   * Only with heldOut: whether its last window rose at least STILL_FALLING above its lowest (beyond
   * its noise), its last epoch no new low of it (ComparedLosses.newLow). Read as
   * overfitting only beside a training loss at the same weights (epochLoss 'training subset at the
   * end') that did not rise; a trace saved before that was recorded compares the held-out loss with
   * batch means over weights that moved, which cannot tell overfitting from an unstable end; and, in a
   * run too short to read the epochs' noise, only where it held that rise 3 epochs in a row, early
   * stopping's patience (heldOutRiseEpochs).
   */
  heldOutRose?: boolean;
  /**
   * Only where the held-out loss rose (heldOutRose) beside a training loss at the same weights that did
   * not, in a run whose windows are too short to read the epochs' noise (runs of fewer than 25 epochs),
   * and lay at least 5 % above its lowest for fewer than 3 epochs in a row (early stopping's patience):
   * for how many, at the run's end (0 to 2). The state is then 'unclear', not 'overfitting': one
   * epoch's rise in a short run can be noise.
   */
  heldOutRiseEpochs?: number;
  /**
   * Only in state 'rising' beside a held-out loss that rose with the training loss at the same weights (epochLoss 'training subset
   * at the end'), in a run whose windows are too short to read the epochs' noise (runs of fewer than 25 epochs), where the two lay
   * at least 5 % above their lowest together for fewer than 3 epochs in a row (early stopping's patience): for how many, at the
   * run's end (0 to 2). No unstable end is then read (unstableEnd): the training loss rose, as it is read without held-out rows,
   * but one epoch's jump of each in a short run can be noise, and no epoch to stop at is offered.
   */
  unstableRiseEpochs?: number;
  /**
   * Fraction of rows classified right at the end: read 'batches', of the rows of the last window of
   * records' batches; read 'epochs', the mean over the last window of epochs of the accuracy on
   * every training row (epochLoss 'all rows at the end') or the training subset (epochLoss 'training
   * subset at the end') at the epoch's end, else of the rows of the records taken in those epochs'
   * batches (NaN where none was). Of the batches' rows: each batch's accuracy weighted by its rows
   * (rowsRight); the median batch accuracy in a trace saved without its batches' rows (accuracyEndMedian). NaN for a network
   * with no classes (classesOf: a regression, soft or multi-label targets under mse), whose recorded 'accuracy' (prediction and
   * target on the same side of ½, or their largest values at one index) classifies nothing: converged then asks of the loss
   * alone, and the summary states no accuracy (newuser43: a regression's targets in [−8.3, 7.9] read '56 % right').
   */
  accuracyEnd: number;
  /**
   * Present (true) where accuracyEnd is the median of the batches' accuracies, not the share of their rows: a trace saved
   * without its batches' rows (TraceJSON.batchRows), which has none to weigh them by; the summary says which it gives.
   */
  accuracyEndMedian?: true;
  /**
   * The smallest fall of the loss between the windows that its noise does not hide, over lossBefore
   * (lossNoise.fall ÷ lossBefore; Infinity where lossBefore is 0 and the losses vary: a loss of 0 has
   * no share, and the state is then unclear unless a change beyond lossNoise shows). Read 'batches': two standard errors of the difference of the windows' medians, from the
   * batch-to-batch spread (0 for a steady fall of a full-batch run; see noiseOf). Read 'epochs':
   * steadyT standard errors of the difference of the windows' means, from the epoch-to-epoch spread about the
   * loss's trend (ComparedLosses.noise's fall, for the training loss; 0 in runs of fewer than
   * 25 epochs): with steps large enough to throw the loss up for an epoch or two
   * and back, a window's mean moves by more than STILL_FALLING (2026-12-02, relu/he on the spirals
   * at learning rate 0.1, seeds 2 and 3: 44 % and 30 % of the batch means, 116 % and 85 % of the training subset's).
   */
  noise: number;
  /**
   * Only where the network classifies (cross-entropy over 2 outputs or more, one-hot targets over 2
   * or more under any loss, binary cross-entropy over one: classesOf): the share of the training rows
   * in their most frequent class (TraceRun.classRows), what always guessing that class gets right, the
   * best a guess that ignores the input does (flow/chance.ts); 1/classes where the trace records no
   * class rows (soft targets, or a trace saved before gradscope recorded them). atChance compares
   * accuracyEnd with it and chanceLeast. Absent for a regression loss (mse), which has no classes.
   */
  chance?: number;
  /** Present with chance: the least frequent class's share of the training rows (1/classes where chance is), what always guessing that class gets right. */
  chanceLeast?: number;
}

/**
 * An unstable end: the training loss rose (state 'rising') and the held-out loss with it (heldOutRose),
 * both measured at the same weights (epochLoss 'training subset at the end'), in a short run for at
 * least 3 epochs in a row (unstableRiseEpochs absent). Beside batch means
 * over weights that moved the trace cannot tell it from overfitting, and does not call it either.
 */
export const unstableEnd = (p: Pick<TrainingProgress, 'state' | 'heldOutRose' | 'epochLoss' | 'unstableRiseEpochs'>) =>
  p.state === 'rising' && p.heldOutRose === true && p.epochLoss === 'training subset at the end' && p.unstableRiseEpochs === undefined;

/** Converged: at most one row in a hundred of the last batches wrong (accuracyEnd; asked only of a network with classes, classesOf)… */
export const CONVERGED_ACCURACY = 0.99;
/**
 * …and the loss at most this fraction of its start: near its floor of 0, so the output errors, and
 * with them every gradient, are small. Measured on the digits (test/flow/training-progress.test.ts):
 * runs that fit their 256 digits ended at 5e-5 and 2e-3 of their start, one still learning at 0.07.
 */
export const CONVERGED_LOSS_FRACTION = 0.01;
/**
 * Whether `p`'s last window's loss is near its floor (at most CONVERGED_LOSS_FRACTION of the first
 * record's): what converged asks of the loss, beside its accuracy. The first record's loss is read as
 * measured, without its batch's noise (startNoise): the runs that fitted their digits ended at 5e-5
 * and 2e-3 of their start (CONVERGED_LOSS_FRACTION), 5× and more below the bound, where a batch's noise
 * moves the bound by a fraction of it.
 */
export const lossNearFloor = (p: Pick<TrainingProgress, 'lossStart' | 'lossEnd'>) => p.lossEnd <= CONVERGED_LOSS_FRACTION * p.lossStart;

/**
 * Still learning: the last window's loss at least this fraction below the window's before (and by
 * more than the noise), or a steady pace (LossPace) that would lower it this fraction over as long
 * again. The same fraction is the least rise that counts as rising: above the lowest window's loss
 * (or, held out, as overfitting), above the first record's, or a steady pace that would raise it so
 * much. Measured on the digits (test/flow/training-progress.test.ts and the runs behind it,
 * 2026-12-01): runs stuck at a loss (Nielsen's plateau, deep sigmoid networks at the chance loss)
 * fell 0–1.4 % between the windows, runs still learning 12–44 %.
 */
export const STILL_FALLING = 0.05;
/**
 * Student's t at 97.5 % for 1–30 degrees of freedom: a pace is steady when its line's slope lies
 * further from 0 than this many standard errors (from the values' residuals about the line), so
 * that a slope as large arises by chance from a level loss in fewer than 5 runs in 100. Beyond 30
 * degrees of freedom, the value for 30 (above the true one: the call errs toward no trend).
 */
const STUDENT_T_975 = [12.71, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];
/** The t a slope needs over `dof` degrees of freedom (see STUDENT_T_975). */
const steadyT = (dof: number) => STUDENT_T_975[Math.min(dof, STUDENT_T_975.length) - 1];
/** The fewest values a pace is fitted through: a line through two has no residuals to judge it by. */
export const PACE_POINTS = 3;
/**
 * The fewest (kept) epochs in each of the two windows compared for their losses' spread to be read
 * (ComparedLosses.noise; runs of 25 epochs or more): a spread about a line through 10 epochs has 8
 * degrees of freedom (t 2.31); through 4 (windows of 2) it has 2 (t 4.30), and one epoch that jumped
 * would make the spread that hides it (a relu net at rate 0.5 whose loss on every row tripled in its
 * last of 10 epochs, test/flow/epoch-loss.test.ts).
 */
export const NOISE_WINDOW_MIN = 5;
/**
 * In a run too short to read the epochs' noise (windows of fewer than NOISE_WINDOW_MIN epochs: fewer than 25 epochs), the epochs
 * in a row, at its end, for which the held-out loss must lie at least STILL_FALLING above its lowest before them for overfitting to
 * be read: early stopping's patience, 3 as in Keras' EarlyStopping example ("no improvement in the loss for three consecutive
 * epochs") and PyTorch Lightning's default. One epoch's rise is not: a 5-epoch run of SGD 0.1 on the digits whose held-out loss
 * rose 19 % in its last epoch had jumped 19 % and come back two epochs before (newuser48 #5).
 */
export const OVERFIT_PATIENCE = 3;
/** An accuracy within this of chance is at chance (flow/chance.ts, its one source). */
export { AT_CHANCE_MARGIN } from './chance.js';
/**
 * Each of the two windows compared (the last and the one before) is a fifth of the run: its records
 * (at least PROGRESS_WINDOW_MIN), or its epochs (at least one); the first step's batch noise is read
 * from the first fifth of the records (startNoiseOf). A run of fewer epochs than this is short
 * (SHORT_RUN_EPOCHS), and its windows read the epochs' noise from RUN_FIFTHS × NOISE_WINDOW_MIN epochs.
 */
export const RUN_FIFTHS = 5;

/**
 * Fewer epochs than this make a short run: each of the two windows compared holds one epoch (a
 * fifth of the epochs, at least 1), so a plateau read from them rests on the last epoch against
 * the one before; the summary says so.
 */
export const SHORT_RUN_EPOCHS = RUN_FIFTHS;

/**
 * The classes the trace's network tells apart: its outputs (2 or more) under cross-entropy, or
 * under any loss where the traced batches' targets were one-hot (TraceRun.targets: Nielsen's sigmoid
 * outputs under binary cross-entropy or mse); 2 under binary cross-entropy over one output;
 * undefined otherwise (a regression, or soft or multi-label targets under another loss).
 */
export function classesOf(trace: Pick<Trace, 'loss' | 'sizes' | 'run'>): number | undefined {
  const outputs = trace.sizes[trace.sizes.length - 1];
  if (outputs >= 2 && (trace.loss === 'cross-entropy' || trace.run.targets === 'one-hot')) return outputs;
  if (trace.loss === 'binary-cross-entropy' && outputs === 1) return 2;
  return undefined;
}

/** The chance level of `p` (chance, chanceLeast) among `classes` classes, as flow/chance.ts reads it. */
export const chanceLevelOf = (p: Pick<TrainingProgress, 'chance' | 'chanceLeast'>, classes: number): ChanceLevel => ({ classes, best: p.chance!, worst: p.chanceLeast ?? p.chance! });

/**
 * Whether `p`'s accuracy at the end is at chance: from AT_CHANCE_MARGIN below chanceLeast to AT_CHANCE_MARGIN above chance (at most
 * halfway from it to 1), the bounds counted in (accuracyAtChance); false without classes or without an accuracy.
 */
export const atChance = (p: Pick<TrainingProgress, 'accuracyEnd' | 'chance' | 'chanceLeast'>) => p.chance !== undefined && accuracyAtChance(p.accuracyEnd, { best: p.chance, worst: p.chanceLeast ?? p.chance });

/**
 * The fewest records the first batch's noise is read from (startNoiseOf): a median of 5 differences.
 * Fewer would read the trend of a few records as noise (records 2.296, 2.4, 2.45 of a loss that rose
 * differ by 0.10 and 0.05, a 'noise' of 0.16 that hid the rise of 0.15).
 */
export const START_NOISE_RECORDS = 6;

/** The fewest records a window holds (a median over one batch would be that batch's noise). */
export const PROGRESS_WINDOW_MIN = 2;

/**
 * Two standard errors of the difference of two medians of `window` losses each (`losses`: the two
 * windows, the earlier first), in the loss's units. A median's standard error is √(π/2)·σ/√window,
 * and two independent windows' difference √2 times that. The batch-to-batch spread σ is the larger
 * of two readings, each blind where the other sees: the losses' residuals about their least-squares
 * line, 1.4826 × their median absolute value (a steady fall is not noise, but a jump between the
 * windows is read as trend, so its noise low), and the second differences inside each window
 * (x[i+1] − 2·x[i] + x[i−1], spread √6·σ for independent batches; none taken across the windows'
 * boundary), 1.4826 × their median absolute value over √6, read where each window holds 3 records
 * or more. The line alone read study (b)'s tanh + glorot-uniform (npm start, 2026-12-02; batches of
 * 10) 'rising' 551 % from windows of 0.070, 0.132, 0.517, 0.065 and 0.190, 1.188, 0.584, 0.728,
 * whose bends hide a change of 843 %; since study (b) records its last step (21 records), 325 % against bends of 442 %, still
 * unclear (test/flow/batch-noise.test.ts).
 */
function noiseOf(losses: number[], window: number): number {
  const n = losses.length;
  const meanX = (n - 1) / 2;
  const meanY = losses.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  losses.forEach((y, x) => {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) ** 2;
  });
  const slope = sxy / sxx;
  const aboutLine = 1.4826 * median(losses.map((y, x) => Math.abs(y - meanY - slope * (x - meanX))));
  const bends = [losses.slice(0, window), losses.slice(window)].flatMap((w) => w.slice(1, -1).map((loss, i) => Math.abs(w[i + 2] - 2 * loss + w[i])));
  const ofBends = bends.length > 0 ? (1.4826 * median(bends)) / Math.sqrt(6) : 0;
  return (2 * Math.SQRT2 * Math.sqrt(Math.PI / 2) * Math.max(aboutLine, ofBends)) / Math.sqrt(window);
}

/**
 * A noise in the loss's units over the loss it is read against (TrainingProgress.noise): no spread is
 * no noise at any level (a loss of 0 that stayed 0 too), and a spread about a level of 0 is more than
 * any share of it (Infinity, not 0 ÷ 0).
 */
const shareOfLevel = (spread: number, level: number) => (spread > 0 ? (level > 0 ? spread / level : Infinity) : 0);

/**
 * The least difference from the first record's batch loss (TrainingProgress.startNoise) that its
 * batch's noise does not explain: two standard deviations (a 95 % reading, as noiseOf's) of one
 * batch's loss about the loss's level, σ from the records of the first window (a fifth of them, at
 * least START_NOISE_RECORDS) as 1.4826 × the median |difference| of consecutive records' losses over
 * √2: differences of neighbours leave out most of the loss's trend, and the median an outlier batch.
 * 0 with fewer than START_NOISE_RECORDS records (each loss is then read as measured).
 */
function startNoiseOf(losses: readonly number[]): number {
  const first = losses.slice(0, Math.max(START_NOISE_RECORDS, Math.floor(losses.length / RUN_FIFTHS)));
  if (first.length < START_NOISE_RECORDS || !first.every(Number.isFinite)) return 0;
  const steps = first.slice(1).map((loss, i) => Math.abs(loss - first[i]));
  return (2 * 1.4826 * median(steps)) / Math.SQRT2;
}

/** Whether `p`'s last window rose at least STILL_FALLING above the first record's batch loss, and by more than that batch's noise (startNoise). */
export const risenAboveStart = (p: Pick<TrainingProgress, 'lossStart' | 'lossEnd' | 'startNoise'>) =>
  risenAbove(p.lossEnd, p.lossStart) && p.lossEnd - p.lossStart > p.startNoise;

/**
 * Where the run stands (see the module comment): by its epochs where the trace holds two or more
 * with a finite training loss each, else by its batches; undefined where neither can be read.
 */
export function trainingProgress(trace: Trace): TrainingProgress | undefined {
  const unread = epochsUnread(trace);
  const classes = classesOf(trace);
  const progress = unread === undefined ? epochProgress(trace, classes !== undefined) : batchProgress(trace, unread, classes !== undefined);
  if (!progress || classes === undefined) return progress && withoutAccuracy(progress);
  const { best, worst } = chanceOf(classes, trace.run.classRows);
  return { ...progress, chance: best, chanceLeast: worst };
}

/** A network with no classes' progress: its accuracy NaN (TrainingProgress.accuracyEnd), which no rule or sentence then reads. */
function withoutAccuracy({ accuracyEndMedian, ...progress }: TrainingProgress): TrainingProgress {
  return { ...progress, accuracyEnd: NaN };
}

/** Which training loss the trace's epochs give (TrainingProgress.epochLoss): on every training row where they were the validation rows, on the training subset where every epoch recorded one (TraceEpoch.training), else the batch mean. */
function epochLossOf(trace: Trace): NonNullable<TrainingProgress['epochLoss']> {
  if (trace.run.validation === 'training rows') return 'all rows at the end';
  return trace.epochs.length > 0 && trace.epochs.every((e) => e.training !== undefined) ? 'training subset at the end' : 'batch mean';
}

/** The training loss of an epoch, as epochLossOf says which. */
function trainingLossOf(trace: Trace): (e: TraceEpoch) => number {
  const which = epochLossOf(trace);
  return which === 'all rows at the end' ? (e) => e.validation?.loss ?? NaN : which === 'training subset at the end' ? (e) => e.training!.loss : (e) => e.loss;
}

/** Why the trace's epochs cannot be read (fewer than two, a training loss that is not a finite number, none kept in a window); undefined where they can. */
function epochsUnread(trace: Trace): EpochsUnread | undefined {
  if (trace.epochs.length < 2) return 'fewer than two';
  if (!trace.epochs.every((e) => Number.isFinite(trainingLossOf(trace)(e)))) return 'not a number';
  return epochWindows(trace.epochs) ? undefined : 'too sparse';
}

/** The two windows of the run's epochs that are compared, as indexes into a trace's kept epochs (see epochWindows). */
interface EpochWindows {
  /** The run's epochs, from the first kept one's number to the last one's. */
  count: number;
  /** Epochs of the run in each window: a fifth of `count`, at least one. */
  window: number;
  /** The kept epochs [before, last) lie in the window before the last. */
  before: number;
  /** The kept epochs [last, end) lie in the last window. */
  last: number;
}

/**
 * The two windows of the run's epochs that are compared, each a fifth of them (at least one), by
 * the epochs' numbers, not their positions: a trace that keeps every epoch has them at those
 * positions; a thinned one (Trace.keepEpochs) the kept ones in each fifth. Undefined where the
 * window before the last holds no kept epoch.
 */
function epochWindows(epochs: readonly TraceEpoch[]): EpochWindows | undefined {
  const first = epochs[0].epoch;
  const count = epochs[epochs.length - 1].epoch - first + 1;
  const window = Math.max(1, Math.floor(count / RUN_FIFTHS));
  const from = (windows: number) => epochs.findIndex((e) => e.epoch - first >= count - windows * window);
  const windows = { count, window, before: from(2), last: from(1) };
  return windows.before < windows.last ? windows : undefined;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * The lowest mean loss of `size` consecutive (kept) epochs of `epochs` (first first; all of them where
 * fewer) and its epochs: the last window's mean is compared with a mean over as many epochs, so that
 * the batch noise of single epochs does not make a low one to rise from.
 */
function lowestOf(epochs: readonly TraceEpoch[], loss: (e: TraceEpoch) => number, size: number): EpochLoss {
  const span = Math.max(1, Math.min(size, epochs.length));
  const values = epochs.map(loss);
  // A running sum over the window: one pass, whatever the span (a run of a million epochs has windows of 200,000).
  let sum = values.slice(0, span).reduce((a, b) => a + b, 0);
  let best = 0;
  let bestSum = sum;
  for (let i = 1; i + span <= values.length; i++) {
    sum += values[i + span - 1] - values[i - 1];
    if (sum < bestSum) [best, bestSum] = [i, sum];
  }
  // The lowest window's mean summed afresh: the running sum carries its additions' rounding.
  return { epoch: epochs[best + span - 1].epoch, loss: mean(values.slice(best, best + span)), ...(span > 1 && { from: epochs[best].epoch }) };
}

/**
 * The epochs a loss's trend and spread are read from: those of the last two windows, at least the
 * last PACE_POINTS (as [epoch, loss]).
 */
function trendPoints(epochs: readonly TraceEpoch[], w: EpochWindows, loss: (e: TraceEpoch) => number): [number, number][] {
  return epochs.slice(Math.max(0, Math.min(w.before, epochs.length - PACE_POINTS))).map((e) => [e.epoch, loss(e)]);
}

/**
 * The last window's mean loss against the window's before and the lowest of the epochs before the
 * last: of single epochs where each epoch's loss is measured on fixed rows at its end (held out, or
 * the training rows), of windows of as many epochs as the last where it is the mean of the epoch's
 * batch losses (`batchMean`), each carrying its batch's noise, so that a low one by chance is not
 * a lowest to rise from (a relu network at 97 % on the spirals 'rose' 8 % above one). Each
 * difference is read against its noise (ComparedLosses.noise), whichever loss it is: steps large
 * enough to throw the loss up for an epoch or two and back move a window's mean as much
 * (2026-12-02, relu/he on the spirals, 6 × 16, SGD 0.1, seeds 2 and 3 at 95 % of their test points:
 * their batch means' last 40 epochs 24 % and 14 % above their lowest 40, the training subset's at
 * the same weights 3.0× and 2.0× above its lowest epoch, each within the epochs' spread).
 */
function compared(epochs: readonly TraceEpoch[], w: EpochWindows, loss: (e: TraceEpoch) => number, batchMean: boolean): ComparedLosses {
  const last = epochs.slice(w.last);
  const before = epochs.slice(w.before, w.last);
  const span = batchMean ? Math.max(1, Math.min(last.length, w.last)) : 1;
  const points = trendPoints(epochs, w, loss);
  const read = Math.min(before.length, last.length) >= NOISE_WINDOW_MIN;
  const beyond = (n: number) => (read ? steadyT(points.length - 2) * lineThrough(points)!.spread * Math.sqrt(1 / last.length + 1 / n) : 0);
  const end = epochs[epochs.length - 1];
  const newLow = epochs.slice(0, -1).every((e) => loss(end) < loss(e));
  const lowest = lowestOf(epochs.slice(0, w.last), loss, span);
  const windowLowest = last.reduce((low, e) => (loss(e) < loss(low) ? e : low));
  const windowLow = span === 1 && !newLow && loss(windowLowest) < lowest.loss ? { epoch: windowLowest.epoch, loss: loss(windowLowest) } : undefined;
  return {
    lossBefore: mean(before.map(loss)),
    lossEnd: mean(last.map(loss)),
    lowest,
    noise: { rise: beyond(span), fall: beyond(before.length) },
    ...(newLow && { newLow: { epoch: end.epoch, loss: loss(end) } }),
    ...(windowLow && { windowLow }),
  };
}

/** Whether `loss` lies at least STILL_FALLING above `from` (a loss of 0 that stayed 0 did not rise). */
const risenAbove = (loss: number, from: number) => loss > from && loss >= (1 + STILL_FALLING) * from;
/** Whether a last window's mean `lossEnd` rose at least STILL_FALLING above its lowest window before, and by more than the noise of that difference (LossNoise.rise). */
const risenAboveLowest = (lossEnd: number, lowest: EpochLoss, noise: LossNoise) => risenAbove(lossEnd, lowest.loss) && lossEnd - lowest.loss > noise.rise;
/** Whether `pace` is steady and carries the loss at least STILL_FALLING up (`sign` 1) or down (−1) over its horizon. */
const paced = (pace: LossPace | undefined, sign: 1 | -1) => pace !== undefined && pace.steady && sign * pace.projected >= STILL_FALLING;

/**
 * Whether `p`'s last window's mean reads a rise of the training loss: above its lowest window before
 * (beyond the noise) or above the first step's batch loss (risenAboveStart). windowsRose without the
 * pace, so that a sentence can say which of the two read it.
 */
export const meanRose = (p: Pick<TrainingProgress, 'lossEnd' | 'lossStart' | 'startNoise' | 'lowest' | 'lossNoise'>) =>
  (p.lowest !== undefined && risenAboveLowest(p.lossEnd, p.lowest, p.lossNoise)) || risenAboveStart(p);

/**
 * Whether `p`'s last window of epochs reads a rise of the training loss, its last epoch aside: its
 * mean (meanRose), or a steady pace up. The state is 'rising' only where the last epoch is no new low
 * (TrainingProgress.newLow); beside one, the windows and the last epoch disagree.
 */
export const windowsRose = (p: Pick<TrainingProgress, 'lossEnd' | 'lossStart' | 'startNoise' | 'lowest' | 'lossNoise' | 'pace'>) => meanRose(p) || paced(p.pace, 1);

/** A least-squares line through [epoch, loss] points: its slope, the standard deviation of the losses about it (over n − 2 degrees of freedom), and Σ(x − x̄)². */
interface Line {
  slope: number;
  spread: number;
  sxx: number;
}

/** The least-squares line through `points` (see Line); undefined with fewer than PACE_POINTS points. */
function lineThrough(points: readonly (readonly [number, number])[]): Line | undefined {
  const n = points.length;
  if (n < PACE_POINTS) return undefined;
  const meanX = mean(points.map(([x]) => x));
  const meanY = mean(points.map(([, y]) => y));
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) ** 2;
  }
  const slope = sxy / sxx;
  const squares = points.reduce((sum, [x, y]) => sum + (y - meanY - slope * (x - meanX)) ** 2, 0);
  return { slope, spread: Math.sqrt(squares / (n - 2)), sxx };
}

/** The least-squares line through `points` ([epoch, loss]) on the losses' logarithms, carried over `horizon` epochs (see LossPace); undefined with fewer than PACE_POINTS points or a loss of 0 among them. */
function paceOf(points: readonly (readonly [number, number])[], horizon: number): LossPace | undefined {
  if (!points.every(([, loss]) => loss > 0)) return undefined;
  const line = lineThrough(points.map(([epoch, loss]) => [epoch, Math.log(loss)] as const));
  if (!line) return undefined;
  const { slope, spread, sxx } = line;
  const standardError = spread / Math.sqrt(sxx);
  return { points: points.length, horizon, logSlope: slope, projected: Math.expm1(slope * horizon), steady: slope !== 0 && Math.abs(slope) > steadyT(points.length - 2) * standardError };
}

/**
 * The share of rows the batches of `records` classified right: each record's accuracy weighted by its batch's rows, so an epoch's
 * 1-row short last batch counts as one row, not as a full batch; the median batch accuracy where a record's rows are not known (a trace
 * saved without TraceJSON.batchRows reads as before), flagged `accuracyEndMedian`. Records whose accuracy is NaN are left out; NaN where
 * none is left.
 */
function rowsRight(trace: Trace, records: readonly number[]): Pick<TrainingProgress, 'accuracyEnd' | 'accuracyEndMedian'> {
  const measured = records.filter((r) => !Number.isNaN(trace.accuracy[r]));
  if (measured.some((r) => Number.isNaN(trace.batchRows[r]))) return { accuracyEnd: median(measured.map((r) => trace.accuracy[r])), accuracyEndMedian: true };
  let right = 0;
  let rows = 0;
  for (const r of measured) {
    right += trace.accuracy[r] * trace.batchRows[r];
    rows += trace.batchRows[r];
  }
  return { accuracyEnd: rows > 0 ? right / rows : NaN };
}

/** Where the run stands by its epochs, which epochsUnread() found readable; undefined without a record, or where the first record's loss is not a finite number. */
function epochProgress(trace: Trace, classifies: boolean): TrainingProgress | undefined {
  const epochs = trace.epochs;
  const n = epochs.length;
  const epochLoss = epochLossOf(trace);
  const trainingLoss = trainingLossOf(trace);
  if (trace.length === 0 || !Number.isFinite(trace.losses[0])) return undefined;
  // epochsUnread() found the windows.
  const windows = epochWindows(epochs)!;
  const { window, count } = windows;
  const training = compared(epochs, windows, trainingLoss, epochLoss === 'batch mean');
  const last = epochs.slice(windows.last);
  const heldOutLoss = (e: TraceEpoch) => e.validation?.loss ?? NaN;
  const heldOut = trace.run.validation === 'other rows' && epochs.every((e) => Number.isFinite(heldOutLoss(e))) ? compared(epochs, windows, heldOutLoss, false) : undefined;
  // The records taken in the last window's epochs: those after the step that ended the (kept) epoch before it.
  const after = epochs[windows.last - 1].step;
  const lastRecords = Array.from(trace.steps.keys()).filter((r) => trace.steps[r] > after);
  const accuracy =
    epochLoss === 'all rows at the end'
      ? { accuracyEnd: mean(last.map((e) => e.validation!.accuracy)) }
      : epochLoss === 'training subset at the end'
        ? { accuracyEnd: mean(last.map((e) => e.training!.accuracy)) }
        : rowsRight(trace, lastRecords);
  const { accuracyEnd } = accuracy;
  const lossStart = trace.losses[0];
  const startNoise = startNoiseOf(Array.from(trace.losses));
  const { lossBefore, lossEnd } = training;
  // A held-out loss whose last epoch is its lowest did not rise, as the training loss's (newLow).
  const heldOutRose = heldOut && heldOut.newLow === undefined && risenAboveLowest(heldOut.lossEnd, heldOut.lowest, heldOut.noise);
  const pace = paceOf(trendPoints(epochs, windows, trainingLoss), (MORE_EPOCHS - 1) * count);
  const noise = shareOfLevel(training.noise.fall, lossBefore);
  const fall = 1 - lossEnd / lossBefore;
  // A new low of the epochs is one of the run where it lies no higher than a rise from the first step's batch would be read.
  const newLow = training.newLow && !risenAboveStart({ lossStart, lossEnd: training.newLow.loss, startNoise }) ? training.newLow : undefined;
  const risen = windowsRose({ lossEnd, lossStart, startNoise, lowest: training.lowest, lossNoise: training.noise, pace });
  const rising = risen && newLow === undefined;
  const roseAboveLowest = newLow === undefined && risenAboveLowest(lossEnd, training.lowest, training.noise);
  // The windows rose while the last epoch is a new low: the training loss jumped and came back inside the windows compared, so whether it
  // held (overfitting) or rose with the held-out loss (an unstable end) they and that epoch disagree on.
  const cameBack = risen && newLow !== undefined;
  const sameWeights = heldOutRose && epochLoss === 'training subset at the end';
  // Where the windows read no noise, a held-out rise is read as overfitting only once it held OVERFIT_PATIENCE epochs (early stopping's patience).
  const noiseRead = Math.min(windows.last - windows.before, n - windows.last) >= NOISE_WINDOW_MIN;
  const heldOutRiseEpochs = sameWeights && !noiseRead ? heldOutRiseEpochsOf(epochs.map(heldOutLoss)) : undefined;
  const brief = heldOutRiseEpochs !== undefined && heldOutRiseEpochs < OVERFIT_PATIENCE;
  // An unstable end (both rose at the same weights) asks the same patience of both losses: an epoch's jump of each in a short run can be noise.
  const bothRiseEpochs = heldOutRiseEpochs === undefined ? undefined : Math.min(heldOutRiseEpochs, heldOutRiseEpochsOf(epochs.map(trainingLoss)));
  const trainModeHeld = rising && epochLoss !== 'batch mean' ? heldInTrainMode(trace, windows, lossStart, startNoise) : undefined;
  // Overfitting is read first: a run that fits its training rows (converged) while the held-out loss rises is the classic case.
  // Only against the training loss at the same weights: batch means over moving weights hide an unstable end (both rose);
  // in a short run, only from a rise held OVERFIT_PATIENCE epochs: a briefer one is unclear (heldOutRiseEpochs says how brief).
  // As from the batches, a change is read where the noise could not make it, a standstill where a change of STILL_FALLING would have shown through it.
  // Windows that rose beside a last epoch at the run's lowest are no standstill either: they and that epoch disagree (unclear);
  // beside a held-out loss that rose they cannot tell overfitting from an unstable end, whatever the windows' means did after (unclear).
  const state: TrainingState =
    sameWeights && cameBack
      ? 'unclear'
      : sameWeights && !roseAboveLowest
        ? brief
          ? 'unclear'
          : 'overfitting'
        : (!classifies || accuracyEnd >= CONVERGED_ACCURACY) && lossNearFloor({ lossStart, lossEnd })
        ? 'converged'
        : rising
          ? 'rising'
          : fall >= Math.max(STILL_FALLING, noise) || paced(pace, -1)
            ? 'learning'
            : noise <= STILL_FALLING && !risen
              ? 'plateau'
              : 'unclear';
  return {
    state,
    read: 'epochs',
    epochLoss,
    ...(epochLoss === 'training subset at the end' && { subsetRows: epochs[0].training!.rows }),
    window,
    epochs: count,
    ...(n < count && { epochsKept: n }),
    lossStart,
    startNoise,
    lossBefore,
    lossEnd,
    lowest: training.lowest,
    lossNoise: training.noise,
    ...(pace && { pace }),
    ...(newLow && { newLow }),
    ...(training.windowLow && { windowLow: training.windowLow }),
    ...(state === 'rising' && trainModeHeld && { trainModeHeld }),
    ...(heldOut && { heldOut, heldOutRose }),
    ...(state === 'unclear' && brief && !cameBack && { heldOutRiseEpochs }),
    ...(state === 'rising' && bothRiseEpochs !== undefined && bothRiseEpochs < OVERFIT_PATIENCE && { unstableRiseEpochs: bothRiseEpochs }),
    ...accuracy,
    noise,
  };
}

/**
 * The epochs in a row, at the end of `heldOut` (one loss per kept epoch), each at least STILL_FALLING above the lowest of the epochs
 * before them, counted up to OVERFIT_PATIENCE (TrainingProgress.heldOutRiseEpochs): 2 for 0.30, 0.28, 0.31, 0.33, 1 for 0.29, 0.34,
 * 0.29, 0.34 (its last epoch alone lies so far above 0.29). The training subset's losses are counted by it too (unstableRiseEpochs).
 */
function heldOutRiseEpochsOf(heldOut: readonly number[]): number {
  let held = 0;
  while (held < OVERFIT_PATIENCE && held + 1 < heldOut.length) {
    const lowest = Math.min(...heldOut.slice(0, heldOut.length - held - 1));
    if (!heldOut.slice(heldOut.length - held - 1).every((loss) => risenAbove(loss, lowest))) break;
    held++;
  }
  return held;
}

/**
 * The batch means of `windows` (TraceEpoch.loss: 'train' mode) where they did not rise (windowsRose) in a network with batch-norm
 * layers, whose epochs' losses at their ends ran in 'eval' mode; undefined elsewhere (see TrainingProgress.trainModeHeld).
 */
function heldInTrainMode(trace: Trace, windows: EpochWindows, lossStart: number, startNoise: number): TrainingProgress['trainModeHeld'] {
  const epochs = trace.epochs;
  const batchMean = (e: TraceEpoch) => e.loss;
  if (!trace.blocks?.layers.some((l) => l.type === 'batch-norm') || !epochs.every((e) => Number.isFinite(e.loss))) return undefined;
  const means = compared(epochs, windows, batchMean, true);
  const pace = paceOf(trendPoints(epochs, windows, batchMean), (MORE_EPOCHS - 1) * windows.count);
  if (windowsRose({ lossEnd: means.lossEnd, lossStart, startNoise, lowest: means.lowest, lossNoise: means.noise, pace })) return undefined;
  return { lossBefore: means.lossBefore, lossEnd: means.lossEnd };
}

/** Where the run stands by its records' batch losses (`unread`: why not by its epochs); undefined with fewer than two windows of records or a loss or accuracy that is not a number (a trace saved without them). */
function batchProgress(trace: Trace, unread: EpochsUnread, classifies: boolean): TrainingProgress | undefined {
  const records = trace.length;
  const window = Math.max(PROGRESS_WINDOW_MIN, Math.floor(records / RUN_FIFTHS));
  if (records < 2 * window) return undefined;
  const losses = Array.from(trace.losses);
  const accuracy = Array.from(trace.accuracy);
  const read = [losses[0], ...losses.slice(records - 2 * window), ...accuracy.slice(records - window)];
  if (!read.every(Number.isFinite)) return undefined;
  const lossStart = losses[0];
  const lossBefore = median(losses.slice(records - 2 * window, records - window));
  const lossEnd = median(losses.slice(records - window));
  const right = rowsRight(trace, Array.from({ length: window }, (_, i) => records - window + i));
  const { accuracyEnd } = right;
  const spread = noiseOf(losses.slice(records - 2 * window), window);
  const noise = shareOfLevel(spread, lossBefore);
  const fall = 1 - lossEnd / lossBefore;
  // From a loss of 0 a rise has no share (−fall and noise both Infinity, which compare equal): it is read in the loss's units, beyond the spread.
  const risen = lossBefore > 0 ? -fall >= Math.max(STILL_FALLING, noise) : lossEnd > spread;
  // A change is read where the noise could not make it (rising, learning), a standstill where a change of STILL_FALLING would have shown through the noise (plateau).
  // No pace is read from batches: a line through one epoch's noisy batch losses did not hold (test/flow/training-progress.test.ts).
  const state: TrainingState =
    (!classifies || accuracyEnd >= CONVERGED_ACCURACY) && lossNearFloor({ lossStart, lossEnd })
      ? 'converged'
      : risen
        ? 'rising'
        : fall >= Math.max(STILL_FALLING, noise)
          ? 'learning'
          : noise <= STILL_FALLING
            ? 'plateau'
            : 'unclear';
  return { state, read: 'batches', epochsUnread: unread, window, lossStart, startNoise: startNoiseOf(losses), lossBefore, lossEnd, lossNoise: { rise: spread, fall: spread }, ...right, noise };
}
