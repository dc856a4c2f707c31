/**
 * The warning `gradscope train` and `gradscope study --model` give when a run ends worse on its
 * checked rows than its initial weights: 'halve' and the step guard keep every step finite, not the
 * network better than its start, so a run can end finite, with exit 0, and worse. One wording for
 * both commands.
 */
import type { Evaluation } from '../network/rows.js';
import type { TrainResult } from '../training/train-options.js';
import { atChance, STILL_FALLING } from '../flow/training-progress.js';
import { chanceWords } from '../flow/chance-words.js';
import { percentText } from '../percent-text.js';
import { apart, givenFloat32Text } from '../number-text.js';
import { counted } from '../counted.js';
import { LOSS_DIGITS } from './table.js';
import type { Diagnosis } from '../flow/diagnose.js';
import { earlyStopOffered } from '../flow/diagnosis/progress-remedies.js';

/** What the warning reads: the checked rows' loss and accuracy before and after, and what the run did. */
export interface FinishedRun {
  /** What the checked rows are ('test' or 'training', TrainingRows.checked). */
  checked: string;
  /** evaluate() on the checked rows before training. */
  initial: Evaluation;
  /** The same after the last epoch. */
  final: Evaluation;
  /** train()'s result: its halvings and the learning rate it ended at (none: the optimiser chooses its own steps). */
  trained: Pick<TrainResult, 'halvings' | 'learningRate'>;
  /** The optimiser's name, as --optimizer gives it. */
  optimizer: string;
  /** The flag that saves the trained network ('--out', '--save') when it was given: it still saves, as asked. */
  saved?: string;
  /** The classes the network tells apart (classesOf); absent for a regression, whose accuracy has no chance level. */
  classes?: number;
  /** Where to read what holds a network that learnt nothing ("the run's diagnosis says what holds it"). */
  diagnosis: string;
  /**
   * Only where the run's diagnosis read overfitting (study --model: overfittingOf): the checked
   * rows' loss rose while the training rows' at the same weights did not, which no lower rate cures;
   * `stopAfter`, the epochs its early-stopping remedy names, only where the diagnosis offers that
   * remedy (beside a verdict of the gradient flow, whose remedies come first, it does not). Absent
   * where no diagnosis was read (train) or it read no overfitting.
   */
  overfitting?: { stopAfter?: number };
  /** study --model: the checked rows that trained the loaded model too ('1,000–1,199': seenTestRows), where its file records them. Its before and after are then not of held-out rows, and no cause of the rise is named. */
  seen?: string;
  /**
   * study --model: the optimiser state the loaded file holds, which the run did not resume (it started a fresh optimiser on trained
   * weights): no rate is blamed. `steps` are the state's own, or where it counts none (lbfgs) the network's (stepsOf 'network').
   */
  restarted?: { file: string; name: string; steps: number; stepsOf: 'state' | 'network' };
  /**
   * study --model: the learning rate the run's diagnosis offers (rateOffered), read from this run's own steps: the warning
   * says the same, never a rate the other way.
   */
  rateOffered?: RateOffer;
}

/** A learning rate a diagnosis offers: smaller or larger than the run's, and the --learning-rate value it names. */
export interface RateOffer {
  direction: 'smaller' | 'larger';
  flagValue: string;
}

/**
 * The learning rate the diagnosis's first remedy that changes the rate alone offers (a smaller one for a rising
 * loss, saturated or dead units, or a larger one on a plateau: 'below R' or 'above R' with a flag value), or
 * undefined where none does. A remedy that switches the optimiser too carries that optimiser's rate, no
 * judgement of this one.
 */
export function rateOffered(d: Pick<Diagnosis, 'remedies'>): RateOffer | undefined {
  for (const { settings } of d.remedies) {
    const [only] = settings;
    if (settings.length !== 1 || only.option !== 'learningRate' || only.flagValue === undefined) continue;
    if (only.value.startsWith('below ')) return { direction: 'smaller', flagValue: only.flagValue };
    if (only.value.startsWith('above ')) return { direction: 'larger', flagValue: only.flagValue };
  }
  return undefined;
}

/** What the run's diagnosis says of overfitting (FinishedRun.overfitting): where the run stands, and the epochs its early-stopping remedy offers (earlyStopOffered). */
export function overfittingOf(d: Pick<Diagnosis, 'evidence' | 'remedies'>): FinishedRun['overfitting'] {
  if (d.evidence.training?.state !== 'overfitting') return undefined;
  const stopAfter = earlyStopOffered(d);
  return stopAfter === undefined ? {} : { stopAfter };
}

/**
 * The one-line warning when the checked loss after training is not below the initial weights'
 * (or not a number), with both losses and accuracies and the likely cause: none where the checked
 * rows trained the loaded model too (FinishedRun.seen), overfitting where the run's diagnosis read it
 * (FinishedRun.overfitting), no rate where the run restarted a saved optimiser afresh
 * (FinishedRun.restarted), no rate where the loss rose by less than STILL_FALLING (what the
 * diagnosis counts as a rise: a kfac run at batches of 1, up 1.4 %, was told a learning rate too
 * large, newuser27), opening 'the trained network's loss … is up only X %', not 'worse', and naming
 * the rate the diagnosis offers, where it offers one, as its offer and not as the cause; the rate the
 * run's diagnosis offers where it offers one (FinishedRun.rateOffered: never a rate the other way),
 * else a learning rate too large (the rate the
 * run ended at, after any halving), or for an optimiser that chooses its own steps, the optimiser;
 * undefined when the run ended no worse. Not 'worse' where the network learnt nothing
 * and its loss barely moved: accuracy at chance before and after, the loss up by less than
 * STILL_FALLING (what the diagnosis counts as a rise). That is a plateau, which a lower rate does not
 * leave: `train --depth 5 --width 30 --epochs 3` on the digits, studied on with `study --model` for
 * 3 epochs, stayed at 10.5 % at rates 0.1, 0.01 and 0.001, its test loss up 0.26 % at 0.1 (2.305 →
 * 2.311, 2026-12-02), down a little at the others; the warning then says so and points to the
 * diagnosis, which reads the run's gradients, instead of to a lower rate, and opens 'learnt nothing'.
 */
export function worseWarning({ checked, initial, final, trained, optimizer, saved, classes, diagnosis, overfitting, seen, restarted, rateOffered: offer }: FinishedRun): string | undefined {
  if (final.loss <= initial.loss) return undefined;
  // To LOSS_DIGITS or as many more as tell them apart: a rise of 0.0001 % printed '0.2500 → 0.2500' beside 'worse'.
  const [before, after] = apart([initial.loss, final.loss], { from: LOSS_DIGITS });
  const numbers = `${checked} loss ${before} → ${after}, ${checked} accuracy ${percentText(initial.accuracy)} → ${percentText(final.accuracy)}`;
  const why = trained.halvings > 0 ? '; halving kept the steps finite, not the network better than its start' : '';
  const kept = saved ? `; ${saved} saves it as asked` : '';
  const chance = classes === undefined ? undefined : 1 / classes;
  const atChanceThroughout = chance !== undefined && atChance({ accuracyEnd: initial.accuracy, chance }) && atChance({ accuracyEnd: final.accuracy, chance });
  const rise = final.loss / initial.loss - 1;
  // A rise that one decimal rounds to '0.0 %' is still one: the warning is given for it.
  const riseText = percentText(rise) === percentText(0) ? `by less than ${percentText(0.001)}` : `only ${percentText(rise)}`;
  // A plateau's loss is up by less than what counts as a rise: its opening says it learnt nothing, never 'worse', which the rule denies.
  if (!overfitting && atChanceThroughout && rise < STILL_FALLING) {
    return (
      `Warning: the trained network learnt nothing on the ${checked} rows (${numbers})${why}${kept}; at chance before and after, no better than ${chanceWords(classes!)}; ` +
      `its loss up ${riseText} (under the ${percentText(STILL_FALLING)} that counts as a rise), too little to blame on the steps' size: a plateau looks like this, and a lower rate does not leave one; ${diagnosis}.`
    );
  }
  // An overfitting run said 'a learning rate too large' above a diagnosis that reads overfitting and offers early stopping.
  // It promises early stopping only where the diagnosis offers it: beside a vanishing verdict, say, the remedies are the gradient flow's.
  const stop = overfitting?.stopAfter === undefined ? diagnosis : `the run's diagnosis offers stopping after ${counted(overfitting.stopAfter, 'epoch')} (early stopping)`;
  // What the diagnosis offers is read from this run's own steps, where the rise is read from the loaded weights to the end: the two say one thing
  // (newuser27: 'does not show that the learning rate is too large' above a diagnosis offering a smaller one, and 'below R' above 'above R').
  const offered = offer && `the run's diagnosis, which reads this run's own steps, offers a ${offer.direction} one: --learning-rate ${offer.flagValue}`;
  // A rise under what counts as one is no rise to blame a rate for, not even where the diagnosis offers a smaller one: that offer rests on the run's
  // own steps, and is named as the diagnosis's, never as the cause. Its opening says what the numbers say, not 'worse', which the rule denies.
  if (rise < STILL_FALLING && !seen && !overfitting && !restarted && trained.learningRate !== undefined) {
    return (
      `Warning: the trained network's loss on the ${checked} rows is up ${riseText} (${numbers})${why}${kept}; ` +
      `under the ${percentText(STILL_FALLING)} that counts as a rise, too little to blame on the learning rate; ${offered ?? diagnosis}.`
    );
  }
  // newuser26: a model trained on the test digits, or a fresh adam on weights another adam trained, was told 'a learning rate too large', which the run does not show.
  const remedy = seen
    ? `the ${checked} digits ${seen} trained the model too, so these are not held-out figures and the run names no cause: measure it on rows it has not seen`
    : overfitting
      ? `the likely cause is overfitting, not the learning rate: the training rows' loss did not rise while the ${checked} rows' did; ${stop}`
      : restarted
        ? `this run started a fresh ${optimizer} on weights ${restarted.file} had trained, without the ${restarted.name} state saved with them after ${restarted.stepsOf === 'network' ? "the network's" : 'its'} ` +
          `${counted(restarted.steps, 'step')}, so its rise from those weights does not show that the learning rate is too large${offered ? `; ${offered}` : ''}`
        : trained.learningRate === undefined
          ? `'${optimizer}' chooses its own steps (there is no --learning-rate to lower): try another --optimizer`
          : offer?.direction === 'larger'
            ? `the rise does not show that the learning rate is too large: ${offered}`
            : offer
              ? `the likely cause is a learning rate too large (${givenFloat32Text(trained.learningRate)}): ${offered}`
              : `the likely cause is a learning rate too large: try a --learning-rate below ${givenFloat32Text(trained.learningRate)}`;
  return `Warning: ${worseWords(checked, initial, final)} (${numbers})${why}${kept}; ${remedy}.`;
}

/**
 * What the warning says is worse: the network, or where its accuracy rose (as printed), its loss alone. The relu remedy a deep
 * sigmoid network's diagnosis offered, run as printed, ended at test loss 2.351 → 6.245 and test accuracy 10.3 % → 41.6 %, and
 * the warning called the network worse (newuser25).
 */
function worseWords(checked: string, initial: Evaluation, final: Evaluation): string {
  const accuracyRose = final.accuracy > initial.accuracy && percentText(final.accuracy) !== percentText(initial.accuracy);
  return accuracyRose
    ? `the trained network's loss on the ${checked} rows is worse than the initial weights', though its accuracy rose`
    : `the trained network is worse than the initial weights on the ${checked} rows`;
}
