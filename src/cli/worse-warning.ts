/**
 * The warning `gradscope train` and `gradscope study --model` give when a run ends worse on its
 * checked rows than its initial weights: 'halve' and the step guard keep every step finite, not the
 * network better than its start, so a run can end finite, with exit 0, and worse. One wording for
 * both commands.
 */
import type { Evaluation } from '../network/rows.js';
import type { TrainResult } from '../training/train-options.js';
import { percentText } from '../percent-text.js';

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
}

/**
 * The one-line warning when the checked loss after training is not below the initial weights'
 * (or not a number), with both losses and accuracies and the likely cause: a learning rate too
 * large (the rate the run ended at, after any halving), or for an optimiser that chooses its own
 * steps, the optimiser; undefined when the run ended no worse.
 */
export function worseWarning({ checked, initial, final, trained, optimizer, saved }: FinishedRun): string | undefined {
  if (final.loss <= initial.loss) return undefined;
  const numbers = `${checked} loss ${initial.loss.toPrecision(4)} → ${final.loss.toPrecision(4)}, ${checked} accuracy ${percentText(initial.accuracy)} → ${percentText(final.accuracy)}`;
  const why = trained.halvings > 0 ? '; halving kept the steps finite, not the network better than its start' : '';
  const kept = saved ? `; ${saved} saves it as asked` : '';
  const remedy =
    trained.learningRate === undefined
      ? `'${optimizer}' chooses its own steps (there is no --learning-rate to lower): try another --optimizer`
      : `the likely cause is a learning rate too large: try a --learning-rate below ${trained.learningRate}`;
  return `Warning: the trained network is worse than the initial weights on the ${checked} rows (${numbers})${why}${kept}; ${remedy}.`;
}
