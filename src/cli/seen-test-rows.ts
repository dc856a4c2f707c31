/**
 * Whether a loaded model's test rows are held out: `study --model` measures it on the test digits
 * after its own --train, which may be digits that trained the model (newuser26: a model trained on
 * digits 0–8,999, studied with --train 1000 --test 200, printed a test accuracy of 100.0 % on digits
 * 1,000–1,199 it had trained on). The file's record of its training rows (trainedOn) decides; a file
 * without one is said to be unchecked.
 */
import { MNIST_DIGITS } from '../data/mnist.js';
import { counted, grouped } from '../counted.js';
import { DIGITS_DATA, type TrainedOn } from '../trained-on.js';
import type { TrainingRows } from './training-rows.js';
import { shellWord } from '../shell-word.js';

/** What study --model says of its test rows against those that trained the model: a warning where they overlap, a notice where that cannot be checked. */
export interface SeenTestRows {
  /** The test digits that trained the model too, in words ('1,000–1,199'), where any did. */
  seen?: string;
  /** The warning that says so and how to choose others. */
  warning?: string;
  /** Where the file records no training rows: that the overlap cannot be checked. */
  notice?: string;
}

/** A range of digits in words: '1,000–1,199', or '1,000' for one. */
const digitRange = (first: number, last: number) => (first === last ? grouped(first) : `${grouped(first)}–${grouped(last)}`);

/**
 * The test rows of `rows` against `trainedOn`, what `modelPath` records (undefined: nothing). Rows
 * checked on the training rows themselves (a --data file) are not test rows: nothing to say.
 */
export function seenTestRows(modelPath: string, trainedOn: TrainedOn | undefined, rows: Pick<TrainingRows, 'checked' | 'digits' | 'train' | 'check'>): SeenTestRows {
  if (rows.checked !== 'test' || !rows.digits) return {};
  const first = rows.train.count;
  const last = first + rows.check.count - 1;
  const tested = `the test digits ${digitRange(first, last)}`;
  if (trainedOn === undefined) {
    return { notice: `${shellWord(modelPath)} does not record the rows that trained it, so whether ${tested} are among them cannot be checked (train --out records them).` };
  }
  // Digits train from the first one on: the model saw digits 0 to trainedOn.rows − 1. Another data set's rows are not these.
  if (trainedOn.data !== DIGITS_DATA || trainedOn.rows <= first) return {};
  const seen = digitRange(first, Math.min(last, trainedOn.rows - 1));
  const which = Math.min(last, trainedOn.rows - 1) === last ? `${tested} are` : `${seen} of ${tested} are`;
  const left = MNIST_DIGITS - trainedOn.rows;
  const choose =
    left === 0
      ? `every digit trained it, none is held out: give --data FILE with rows it has not seen`
      : `give --train ${trainedOn.rows} --test ${Math.min(rows.check.count, left)} to test it on digits after them (the test digits are the --test after the --train)`;
  return {
    seen,
    warning: `Warning: ${which} among the ${counted(trainedOn.rows, 'digit')} that trained ${shellWord(modelPath)} (${digitRange(0, trainedOn.rows - 1)}), so its test loss and accuracy are on rows it has seen, not held-out ones; ${choose}.`,
  };
}
