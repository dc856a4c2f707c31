/**
 * The warning `gradscope train` and `gradscope study --model` give when a run ends worse on its
 * checked rows than its initial weights: 'halve' and the step guard keep every step finite, not the
 * network better than its start, so a run can end finite, with exit 0, and worse. One wording for
 * both commands.
 */
import { freshOptimizerText } from './fresh-optimizer.js';
import type { SaidEvaluation } from './accuracy-said.js';
import type { TrainResult } from '../training/train-options.js';
import { STILL_FALLING } from '../flow/training-progress.js';
import { accuracyAtChance, chanceWords, type ChanceLevel } from '../flow/chance.js';
import { percentText } from '../percent-text.js';
import { givenFloat32Text } from '../number-text.js';
import { counted } from '../counted.js';
import { lossTexts } from '../loss-text.js';
import type { Diagnosis } from '../flow/diagnose.js';
import type { RemedyDirection } from '../flow/remedy.js';
import { earlyStopOffered } from '../flow/diagnosis/progress-remedies.js';

/** What the warning reads: the checked rows' loss and accuracy (none where the network has no classes: accuracy-said.ts) before and after, and what the run did. */
export interface FinishedRun {
  /** What the checked rows are ('test' or 'training', TrainingRows.checked). */
  checked: string;
  /** Their name in a sentence (TrainingRows.checkedName: 'test rows' for --test-data's); default: 'test digits' for 'test', else '<checked> rows'. */
  checkedName?: string;
  /** evaluate() on the checked rows before training, its accuracy absent where the network has no classes (said()). */
  initial: SaidEvaluation;
  /** The same after the last epoch. */
  final: SaidEvaluation;
  /** train()'s result: its halvings and the learning rate it ended at (none: the optimiser chooses its own steps). */
  trained: Pick<TrainResult, 'halvings' | 'learningRate'>;
  /** The optimiser's name, as --optimizer gives it. */
  optimizer: string;
  /** The flag that saves the trained network ('--out', '--save') when it was given: it still saves, as asked. */
  saved?: string;
  /** Chance on the checked rows (flow/chance.ts chanceOf: the classes the network tells apart, classesOf, and the checked rows of each); absent for a regression, whose accuracy has no chance level. */
  chance?: ChanceLevel;
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
  direction: RemedyDirection;
  flagValue: string;
}

/**
 * The learning rate the diagnosis's first remedy that changes the rate alone offers (a smaller one for a rising
 * loss, saturated or dead units, or a larger one on a plateau: a setting with a direction and a flag value), or
 * undefined where none does. A remedy that switches the optimiser too carries that optimiser's rate, no
 * judgement of this one. The direction is the setting's own (RemedySetting.direction), never read from its words.
 */
export function rateOffered(d: Pick<Diagnosis, 'remedies'>): RateOffer | undefined {
  for (const { settings } of d.remedies) {
    const [only] = settings;
    if (settings.length !== 1 || only.option !== 'learningRate' || only.flagValue === undefined || only.direction === undefined) continue;
    return { direction: only.direction, flagValue: only.flagValue };
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
 * (or not a number), with both losses and accuracies and what the run shows of why; undefined when
 * the run ended no worse. One rule for what counts as a rise, the diagnosis's STILL_FALLING (5 %):
 * a loss up less than that (after / before − 1, both evaluate() on the same checked rows at fixed
 * weights) opens 'the trained network's loss … is up only X %', never 'worse', which the rule
 * denies, says it is under what counts as a rise, and names no cause of it (a kfac run at batches of
 * 1, up 1.4 %, was told a learning rate too large, newuser27; a restarted, overfitting, self-stepping
 * or seen-rows run up 2 % still said 'worse', session 28); what it says beside it is each case's own.
 * Each case, small rise or not:
 * - the checked rows trained the loaded model too (FinishedRun.seen): not held-out figures, no cause;
 * - at chance before and after with a small rise (no overfitting read, rows not seen): 'learnt nothing',
 *   as on a plateau (`train --depth 5 --width 30 --epochs 3` on the digits, studied on for 3 epochs, stayed at
 *   10.5 % at rates 0.1, 0.01 and 0.001, its test loss up 0.26 % at 0.1, 2026-12-02), pointing to the
 *   diagnosis, which reads the run's gradients, or to the rate it offers: no rule that a lower rate never
 *   leaves it (auditor54: a 0-epoch [784, 5×30, 10] model on with adam at 0.1 stayed at chance, and the
 *   diagnosis's --learning-rate 0.0029, read from its saturated units, took it to 50.6 % in 2 epochs);
 * - the run restarted a saved optimiser afresh (FinishedRun.restarted): no rate blamed, and overfitting the diagnosis reads beside it
 *   said as what the restart may explain as well, not as the cause (newuser30: `train --optimizer adam --out m`, then study --model m
 *   with adam, was told overfitting and not the restart: the training rows' loss is first measured after the first epoch, the one the
 *   fresh optimiser starts in, and the test loss rose in it);
 * - the run's diagnosis read overfitting (FinishedRun.overfitting): overfitting, not the learning rate;
 * - an optimiser that chooses its own steps: the optimiser, not a rate;
 * - else a learning rate too large (the rate the run ended at, after any halving).
 * A rate the run's diagnosis offers (FinishedRun.rateOffered) is named as its offer, and no rate the
 * other way is ever named; under what counts as a rise it is the offer alone, never the cause.
 */
export function worseWarning({ checked, checkedName = checkedRowsName(checked), initial, final, trained, optimizer, saved, chance, diagnosis, overfitting, seen, restarted, rateOffered: offer }: FinishedRun): string | undefined {
  if (final.loss <= initial.loss) return undefined;
  // As train's and study's lines print them, to as many more digits as tell them apart: a rise of 0.0001 % printed '0.2500 → 0.2500' beside 'worse'.
  const [before, finite] = lossTexts([initial.loss, final.loss]);
  // lossText prints no loss as '—': here the warning is about it, so it is said.
  const after = Number.isNaN(final.loss) ? 'not a number' : finite;
  const accuracies = initial.accuracy === undefined || final.accuracy === undefined ? '' : `, ${checked} accuracy ${percentText(initial.accuracy)} → ${percentText(final.accuracy)}`;
  const numbers = `${checked} loss ${before} → ${after}${accuracies}`;
  const why = trained.halvings > 0 ? '; halving kept the steps finite, not the network better than its start' : '';
  const kept = saved ? `; ${saved} saves it as asked` : '';
  const atChanceThroughout = chance !== undefined && initial.accuracy !== undefined && final.accuracy !== undefined && accuracyAtChance(initial.accuracy, chance) && accuracyAtChance(final.accuracy, chance);
  const rise = final.loss / initial.loss - 1;
  // The one rule of every case: a rise under what counts as one (NaN, a loss that is no number, is no small rise).
  const small = rise < STILL_FALLING;
  // A rise that one decimal rounds to '0.0 %' is still one: the warning is given for it.
  const riseText = percentText(rise) === percentText(0) ? `by less than ${percentText(0.001)}` : `only ${percentText(rise)}`;
  const under = `under the ${percentText(STILL_FALLING)} that counts as a rise`;
  // Rows the model trained on come first, as every case: a plateau read from them would be a cause named on figures that are not held out.
  if (!seen && !overfitting && atChanceThroughout && small) {
    return (
      `Warning: the trained network learnt nothing on the ${checkedName} (${numbers})${why}${kept}; at chance before and after, no better than ${chanceWords(chance!)}; ` +
      `its loss up ${riseText} (${under}), too little to blame on the steps' size: ${plateauWords(diagnosis, offer)}.`
    );
  }
  const opening = small ? `the trained network's loss on the ${checkedName} is up ${riseText}` : worseWords(checkedName, initial, final);
  const cause = (small ? smallRiseCause : riseCause)({ checkedName, optimizer, diagnosis, overfitting, seen, restarted, offer, learningRate: trained.learningRate, under });
  return `Warning: ${opening} (${numbers})${why}${kept}; ${cause}.`;
}

/** What the warning's causes read: the run's case (FinishedRun), the diagnosis's offer, the rate the run ended at, and the rule's words ('under the 5.0 % …'). */
interface CauseCase extends Pick<FinishedRun, 'optimizer' | 'diagnosis' | 'overfitting' | 'seen' | 'restarted'> {
  /** The checked rows' name (FinishedRun.checkedName). */
  checkedName: string;
  offer: RateOffer | undefined;
  learningRate: number | undefined;
  under: string;
}

/**
 * The rate the run's diagnosis offers, as its offer: read from this run's own steps, where the rise is read from the loaded weights to
 * the end, the two say one thing (newuser27: 'does not show that the learning rate is too large' above a diagnosis offering a smaller
 * one, and 'below R' above 'above R'). Undefined where it offers none.
 */
const offerWords = ({ offer }: CauseCase) => offer && `the run's diagnosis, which reads this run's own steps, offers a ${offer.direction} one: --learning-rate ${offer.flagValue}`;

/**
 * Beside a run at chance throughout: a plateau looks like this, and the diagnosis says what holds it; where the diagnosis offers a
 * rate read from this run's steps (saturation under them, say), that offer, which may leave it.
 */
const plateauWords = (diagnosis: string, offer: RateOffer | undefined) =>
  offer
    ? `a plateau looks like this, but the run's diagnosis, which reads this run's own steps, offers a ${offer.direction} learning rate: --learning-rate ${offer.flagValue}`
    : `a plateau looks like this; ${diagnosis}`;

/** The checked rows by the name train and study --model give them: 'test digits' (it said 'the test rows' beside their 'test digits'), else the training rows. */
const checkedRowsName = (checked: string): string => (checked === 'test' ? 'test digits' : `${checked} rows`);

/** Rows the model trained on (FinishedRun.seen): the run's figures are not held-out ones, and it names no cause. */
const seenWords = ({ checkedName, seen }: CauseCase) =>
  `the ${checkedName} ${seen} trained the model too, so these are not held-out figures and the run names no cause: measure it on rows it has not seen`;

/** A saved optimiser state the run did not resume (FinishedRun.restarted). */
const restartWords = ({ optimizer, restarted }: CauseCase) =>
  `this run started ${freshOptimizerText(optimizer)} on weights ${restarted!.file} had trained, without the ${restarted!.name} state saved with them after ` +
  `${restarted!.stepsOf === 'network' ? "the network's" : 'its'} ${counted(restarted!.steps, 'step')}`;

/** Overfitting the diagnosis reads beside a restart: its training rows' loss is first measured after the first epoch, where a fresh optimiser's rise falls too. */
const alsoOverfittingWords = (c: CauseCase) =>
  `the run's diagnosis reads overfitting too (the ${c.checkedName}' loss rose while the training rows' did not, those measured from the first epoch's end), which the restart may explain as well: ${stopWords(c)}`;

/** The diagnosis's early-stopping offer, where it makes one (beside a vanishing verdict, say, the remedies are the gradient flow's), else the pointer to it. */
const stopWords = ({ overfitting, diagnosis }: CauseCase) =>
  overfitting?.stopAfter === undefined ? diagnosis : `the run's diagnosis offers stopping after ${counted(overfitting.stopAfter, 'epoch')} (early stopping)`;

/**
 * After a rise under what counts as one: that it is, and what the case says beside it, no cause. The diagnosis reads
 * overfitting from the checked rows' lowest loss, not from the start, so it may read it beside a small rise from the start.
 */
function smallRiseCause(c: CauseCase): string {
  if (c.seen) return `${c.under}; ${seenWords(c)}`;
  const steps = c.learningRate === undefined ? `the steps '${c.optimizer}' chooses` : 'the learning rate';
  const beside = c.restarted
    ? `${restartWords(c)}; ${c.overfitting ? alsoOverfittingWords(c) : (offerWords(c) ?? c.diagnosis)}`
    : c.overfitting
      ? `the run's diagnosis reads overfitting from the ${c.checkedName}' lowest loss: the training rows' loss did not rise while the ${c.checkedName}' did; ${stopWords(c)}`
      : (offerWords(c) ?? c.diagnosis);
  return `${c.under}, too little to blame on ${steps}; ${beside}`;
}

/** After a rise of what counts as one (or a loss that is no number): the likely cause the case shows, or none. */
function riseCause(c: CauseCase): string {
  // newuser26: a model trained on the test digits, or a fresh adam on weights another adam trained, was told 'a learning rate too large', which the run does not show.
  if (c.seen) return seenWords(c);
  // An overfitting run said 'a learning rate too large' above a diagnosis that reads overfitting and offers early stopping.
  const offered = offerWords(c);
  if (c.restarted) {
    const beside = [c.overfitting && alsoOverfittingWords(c), offered].filter((words) => words).map((words) => `; ${words}`);
    return `${restartWords(c)}, so its rise from those weights does not show that the learning rate is too large${beside.join('')}`;
  }
  if (c.overfitting) return `the likely cause is overfitting, not the learning rate: the training rows' loss did not rise while the ${c.checkedName}' did; ${stopWords(c)}`;
  if (c.learningRate === undefined) return `'${c.optimizer}' chooses its own steps (there is no --learning-rate to lower): try another --optimizer`;
  if (offered === undefined) return `the likely cause is a learning rate too large: try a --learning-rate below ${givenFloat32Text(c.learningRate)}`;
  return c.offer!.direction === 'larger'
    ? `the rise does not show that the learning rate is too large: ${offered}`
    : `the likely cause is a learning rate too large (${givenFloat32Text(c.learningRate)}): ${offered}`;
}

/**
 * What the warning says is worse: the network, or where its accuracy rose (as printed), its loss alone. The relu remedy a deep
 * sigmoid network's diagnosis offered, run as printed, ended at test loss 2.351 → 6.245 and test accuracy 10.3 % → 41.6 %, and
 * the warning called the network worse (newuser25).
 */
function worseWords(checkedName: string, initial: SaidEvaluation, final: SaidEvaluation): string {
  const accuracyRose = initial.accuracy !== undefined && final.accuracy !== undefined && final.accuracy > initial.accuracy && percentText(final.accuracy) !== percentText(initial.accuracy);
  return accuracyRose
    ? `the trained network's loss on the ${checkedName} is worse than the initial weights', though its accuracy rose`
    : `the trained network is worse than the initial weights on the ${checkedName}`;
}
