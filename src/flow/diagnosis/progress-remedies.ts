/**
 * The remedies of where the run stands: a smaller rate for a rising loss, early stopping for
 * overfitting or an unstable end, more epochs for a loss still falling or for a run its epochs cannot read, and those of a plateau
 * beside a healthy flow. Part of diagnose() (diagnose.ts).
 */
import type { RunAtEnd, Trace } from '../trace.js';
import { counted, grouped } from '../../counted.js';
import { LARGER_LEARNING_RATE, MORE_EPOCHS, type RemedySetting } from '../remedy.js';
import { atChance, NOISE_WINDOW_MIN, RUN_FIFTHS, SHORT_RUN_EPOCHS, type TrainingProgress, unstableEnd } from '../training-progress.js';
import { givenFloat32Text } from '../../number-text.js';
import { ADAM_DEFAULTS, CHOICE_MOMENTUM, OWN_STEP_LENGTH, STEP_SIZE_OF_THEIR_OWN } from '../../optimizer-defaults.js';
import type { Diagnosis, Evidence } from './diagnosis-types.js';
import { amountAbove, heldOutLowest, heldOutNames, heldOutLowestAtStart, heldOutNewLow, lowestWhen, noiseUnread, plateauFall, riseFrom, runEpochs, shortRunEpochs } from './progress-readings.js';
import { type AddRemedy, addSmallerRate, inForceWords, numberSetting, optimizerSwitch, type RateRun, runRateText } from './remedy-settings.js';

/**
 * The remedies of the verdicts of where the run stands by its epochs: a training loss that rose
 * gets a smaller learning rate (where the run takes one: an optimiser that chooses its own steps has
 * none to lower); a held-out loss that rose while the training loss did not, the number of epochs
 * after which it was lowest (early stopping, from this run's own measure). `run` is the run at its
 * end (runAtEnd): remedies derived from the learning rate start from the one in force then (after any halving),
 * and a smaller one is sized from its first traced step where a third would still overshoot (RateRun, addSmallerRate).
 */
export function progressRemedies(run: RateRun, e: Evidence, add: AddRemedy): void {
  const p = e.training;
  // Beside flat batch norms the modes part by their running variance, which falls toward 0 whatever the rate (train-mode-held.test.ts).
  const flatModes = p?.trainModeHeld !== undefined && e.flatNorms !== undefined;
  if (p?.state === 'rising' && !flatModes && (run.learningRate !== undefined || run.optimizer === undefined)) {
    const from = riseFrom(p);
    const above = !p.lowest ? from.words : `${from.loss === p.lossStart ? 'its start' : 'its lowest'} (${from.words})`;
    // Between the modes (trainModeHeld) the steps' size still sets how far the running statistics lag the weights.
    const why = p.trainModeHeld
      ? "the loss in evaluation mode rose while the batches' own did not: smaller steps move the weights less from batch to batch, so the batch norms' running statistics lag them less."
      : `the training loss rose ${amountAbove(p.lossEnd, from.loss)} ${above}: smaller steps overshoot less.`;
    addSmallerRate(run, why, add);
  }
  // Where the held-out loss was lowest before the first epoch no epoch count stops at it (heldOutStartSentence says so).
  if (p && unstableEnd(p) && !heldOutLowestAtStart(p)) {
    add(
      [earlyStop(p)],
      p.trainModeHeld
        ? `the ${heldOutNames(p).rows}' loss was lowest ${lowestWhen(heldOutLowest(p))} and rose after it, in evaluation mode as the training rows' did: stopping there keeps the weights the network as evaluated did best with.`
        : `the ${heldOutNames(p).rows}' loss was lowest ${lowestWhen(heldOutLowest(p))} and rose after it with the training loss: stopping there keeps the weights from before training became unstable.`,
    );
  }
  if (p?.state === 'overfitting' && !heldOutLowestAtStart(p)) {
    const best = heldOutLowest(p).epoch + 1;
    add(
      [earlyStop(p)],
      `the ${heldOutNames(p).rows}' loss was lowest ${lowestWhen(heldOutLowest(p))} and rose after it while the training loss did not: training from the same start for ${counted(best, 'epoch')} stops before the network fits its training rows at the others' cost (early stopping).`,
    );
  }
}

/** Early stopping: as many epochs as those after which the held-out loss was lowest (TrainingProgress.heldOut, which it needs). */
const earlyStop = (p: TrainingProgress): RemedySetting => {
  const best = heldOutLowest(p).epoch + 1;
  return numberSetting('epochs', best);
};

/**
 * The epochs an overfitting run's diagnosis offers to stop after (its early-stopping remedy), or
 * undefined where it offers none: where the run stands is not overfitting, or a verdict of the
 * gradient flow (vanishing, dead units …) gave the remedies, which are the flow's.
 */
export function earlyStopOffered(d: Pick<Diagnosis, 'evidence' | 'remedies'>): number | undefined {
  const p = d.evidence.training;
  if (p?.state !== 'overfitting') return undefined;
  const stop = earlyStop(p);
  return d.remedies.some((r) => r.settings.length === 1 && r.settings[0].option === stop.option && r.settings[0].value === stop.value) ? Number(stop.value) : undefined;
}

/**
 * More epochs than the run's: MORE_EPOCHS times them as a flag; 'more' where the trace records none, or where the run is open-ended
 * (DiagnoseOptions.openEnded): it has no count of epochs to exceed, it trains on until stopped, and 'more than N' of the epochs it had
 * run grew with every epoch the page ran (page51's leftover).
 */
export function moreEpochs(trace: Trace, p: TrainingProgress, openEnded = false): RemedySetting {
  const epochs = runEpochs(p, trace);
  return epochs >= 1 && !openEnded ? { option: 'epochs', value: `more than ${grouped(epochs)}`, flagValue: `${MORE_EPOCHS * epochs}`, direction: 'larger' } : { option: 'epochs', value: 'more', direction: 'larger' };
}

/**
 * The remedy of a run whose epochs cannot tell where it stands (state 'unclear', read from its
 * epochs), whose summary ends 'more epochs would tell': the run again from the start for the epochs
 * that would. Where its windows were too short to read the epochs' noise (noiseUnread), the fewest
 * whose windows of a fifth read it, RUN_FIFTHS × NOISE_WINDOW_MIN; else MORE_EPOCHS times the run's,
 * whose windows as many times as long average out more of the epochs' noise. None read from batches
 * (their summary asks for more records, not epochs), where the run had that many already, or where the
 * held-out loss rose beside a new low of the training loss (heldOutNewLow) and lay lowest before the
 * first epoch (heldOutLowestAtStart): overfitting and an unstable end alike keep the start's weights.
 */
export function unclearRemedy(trace: Trace, p: TrainingProgress, add: AddRemedy, openEnded = false): void {
  if (p.state !== 'unclear' || p.read !== 'epochs') return;
  // Overfitting or an unstable end, whichever more epochs would read, keeps the weights the run started from where no epoch lowered the held-out loss.
  if (heldOutNewLow(p) && heldOutLowestAtStart(p)) return;
  const epochs = runEpochs(p, trace);
  const short = noiseUnread(p);
  const telling = short ? RUN_FIFTHS * NOISE_WINDOW_MIN : MORE_EPOCHS * epochs;
  if (telling <= epochs) return;
  const windows = `windows of ${counted(Math.floor(telling / RUN_FIFTHS), 'epoch')}`;
  const why = short
    ? `windows of ${counted(p.window, 'epoch')} are too short to read how far the loss varies from epoch to epoch, so its epochs cannot tell where the run stands: a run of ${grouped(telling)} epochs compares ${windows}, which read it`
    : `its last two windows of ${counted(p.window, 'epoch')} cannot tell where the run stands: a run of ${grouped(telling)} epochs compares ${windows}, whose means average out more of the epochs' noise`;
  // An open-ended run is asked to train on ('more', as moreEpochs says it): the count that would tell is MORE_EPOCHS times the epochs it has run, and grows with them.
  add([openEnded ? moreEpochs(trace, p, true) : numberSetting('epochs', telling)], `${why} (${counted(telling - epochs, 'epoch')} more than this run's ${grouped(epochs)}).`);
}

/**
 * The remedies of a plateau beside a healthy gradient flow (or a gap that closed during training:
 * `flow` says which, as the larger rate's reason starts), each one the run does not use yet:
 * more epochs where the run is short (its plateau call rests on few epochs); a larger learning rate (not to an
 * optimiser that chooses its own step lengths);
 * momentum for plain SGD, with Adam as the alternative, or Adam for another optimiser that takes a
 * rate and does not scale its steps by the gradient's size already. Each reason is from the run;
 * `run` is the run at its end (runAtEnd): remedies derived from the learning rate start from the one
 * in force then (after any halving).
 */
export function plateauRemedies(trace: Trace, run: RunAtEnd, e: Evidence, add: AddRemedy, flow: string, openEnded = false): void {
  const p = e.training!;
  const optimizer = run.optimizer ?? 'sgd';
  const fell = p.lossEnd < p.lossBefore;
  const short = shortRunEpochs(p, trace);
  const chance = atChance(p) ? ' with the accuracy at chance' : '';
  // A longer run's plateau stands on its pace too (TrainingProgress.pace): as long again would not move the loss STILL_FALLING.
  if (short !== undefined) {
    add([moreEpochs(trace, p, openEnded)], `the loss ${plateauFall(p)} after only ${counted(short, 'epoch')} (fewer than ${SHORT_RUN_EPOCHS})${fell ? ': slowly, but it had not stopped' : ''}; training longer tells whether it leaves the plateau.`);
  }
  const ownSteps = OWN_STEP_LENGTH.includes(optimizer);
  if (run.learningRate !== undefined && !ownSteps) {
    add(
      [{ option: 'learningRate', value: `above ${givenFloat32Text(run.learningRate)}`, flagValue: `${+(run.learningRate * LARGER_LEARNING_RATE).toPrecision(3)}`, direction: 'larger' }],
      `${flow}, yet at learning rate ${runRateText(run, run.learningRate)} the loss ${plateauFall(p)}${chance}: a larger rate takes longer steps down the slope the gradient shows ` +
        `(should the training loss then rise from epoch to epoch, the rate is too large, and this diagnosis says so).${inForceWords(run)}`,
    );
  }
  const adam = optimizerSwitch(run, 'adam');
  const adamWhy = `divides each weight's step by the size of its recent gradients, so a shallow slope still gets a step of normal size, where its gradients are not far below Adam's ε (${ADAM_DEFAULTS.epsilon}; Kingma & Ba 2015; at its default rate ${ADAM_DEFAULTS.learningRate}).`;
  if (optimizer === 'sgd' && !(run.momentum !== undefined && run.momentum > 0)) {
    add(
      [numberSetting('momentum', CHOICE_MOMENTUM)],
      `the run's plain SGD steps go as the slope, which on a plateau is shallow; momentum ${CHOICE_MOMENTUM} adds up the steps along a slope that keeps its direction, up to 1/(1 − ${CHOICE_MOMENTUM}) = ${+(1 / (1 - CHOICE_MOMENTUM)).toPrecision(3)}× one step (Polyak 1964; Sutskever et al. 2013). Adam ${adamWhy}`,
      adam,
    );
  } else if (!STEP_SIZE_OF_THEIR_OWN.includes(optimizer) && !ownSteps) {
    add(adam, `Adam ${adamWhy}`);
  }
}
