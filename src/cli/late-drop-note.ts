/**
 * The note `gradscope train` gives after its epochs when the last one's accuracy on the checked rows ended more than
 * RELU_LATE_DROP_MARGIN below the best epoch's: the network it keeps is the last epoch's, and the epoch lines alone left that fall
 * to the reader (newuser49 #10: the tanh and layer-norm remedy lines of a deep sigmoid network's diagnosis, run as printed, at
 * sgd's 0.1 for 10 epochs, ended at 81.2 % after 93.4 % and at 83.2 % after 91.4 %, and train said nothing). The margin is the
 * one the relu remedy's rates were held to (reluRunHeld): runs that held moved less, a late step that threw a run back more.
 */
import { RELU_LATE_DROP_MARGIN } from '../flow/relu-remedy-rates.js';
import { percentText } from '../percent-text.js';
import { givenFloat32Text } from '../number-text.js';
import { grouped } from '../counted.js';

/** What the note reads of a finished run. */
export interface EpochAccuracies {
  /** The checked rows' accuracy after each epoch, the first epoch's first (the epoch lines' figures). */
  accuracies: readonly number[];
  /** What the checked rows are ('test' or 'training', TrainingRows.checked). */
  checked: string;
  /** Their name in a sentence (TrainingRows.checkedName: 'test digits', 'test rows', 'training rows'). */
  checkedName: string;
  /** The learning rate the run ended at (TrainResult.learningRate); undefined where the optimiser chooses its own steps. */
  learningRate?: number;
  /** The flag that saves the network ('--out'), where it was given. */
  saved?: string;
}

/** The fall of the last epoch's accuracy from the best epoch's, in points, as the epoch lines print both (one decimal each). */
const pointsBetween = (best: number, last: number) => (Number.parseFloat(percentText(best)) - Number.parseFloat(percentText(last))).toFixed(1);

/**
 * The note, or undefined where the last epoch's accuracy is within RELU_LATE_DROP_MARGIN of the best (or there is none). It
 * names the best epoch (the first to reach the best accuracy) and how to end there: the same command with that many epochs
 * takes the same steps (the seed fixes the weights and the batches' order, on every backend and thread count), though an epoch
 * picked on test rows leaves them no longer held out; and, where the run has a learning rate, a smaller one.
 */
export function lateDropNote({ accuracies, checked, checkedName, learningRate, saved }: EpochAccuracies): string | undefined {
  const last = accuracies.at(-1);
  if (last === undefined || !accuracies.every(Number.isFinite)) return undefined;
  const best = Math.max(...accuracies);
  if (!(last < best - RELU_LATE_DROP_MARGIN)) return undefined;
  const epoch = accuracies.indexOf(best) + 1;
  const keeps = saved ? `; ${saved} saves the last epoch's network` : '';
  const heldOut = checked === 'test' ? `, though an epoch picked on the ${checkedName} leaves them no longer held out` : '';
  const smaller = learningRate === undefined ? '' : `; a --learning-rate below ${givenFloat32Text(learningRate)} takes smaller steps, which may keep the run from falling back`;
  return (
    `Note: the last epoch's ${checked} accuracy, ${percentText(last)}, is ${pointsBetween(best, last)} points below the best epoch's, ${percentText(best)} after epoch ${grouped(epoch)} ` +
    `(more than ${100 * RELU_LATE_DROP_MARGIN} points)${keeps}. The same command with --epochs ${epoch} ends at that epoch's weights (the same seed takes the same steps)${heldOut}${smaller}.`
  );
}
