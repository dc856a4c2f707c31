/**
 * Why the loss of the last forward is not finite though every output is (an output that overflowed,
 * the likelier cause, is named before this is asked: checkOutputs, findOverflow): which row, and what
 * in it. The one account evaluate(), gradients(), validation and a training step give.
 */
import type { Trainable } from '../model.js';

/** A row whose loss is not finite, by its place in the loaded batch, and why, said after "row N's". */
export interface LossFault {
  /** The row's place in the batch (0-based): the caller names it by its own number. */
  row: number;
  /** What in the row: "output … and target … differ by more than float32 holds (…)". */
  cause: string;
}

/**
 * The first of the last forward's `count` rows whose loss is not finite, and why: rare path, run only
 * when the batch's loss is not finite with every output finite. The row is found by halving: the
 * loss over the first k rows is a sum of the rows' non-negative losses, not finite exactly when one
 * of theirs is (log₂ count passes of lossOfLastForward over fewer rows, nothing allocated in the
 * backend, nothing held changed). In it, per loss, as the kernels compute it (assembly/loss.*.ts):
 * - an output and its target too far apart for the backend's floats: ŷ − y is taken in them, as the
 *   gradient takes it (targets of 3e38 alone give a finite loss);
 * - cross-entropy: −Σ y·log softmax(z) takes each class's log-probability as z − max z, which
 *   overflows where a logit lies farther below the row's largest than the backend's floats hold;
 *   its softmax output is then 0, and a target that gives that class any weight makes the loss
 *   infinite with every output and target finite;
 * - else the row's loss overflows the loss's arithmetic.
 */
export function lossFault(net: Trainable, count: number): LossFault {
  let [finite, infinite] = [0, count];
  while (infinite - finite > 1) {
    const middle = (finite + infinite) >>> 1;
    if (Number.isFinite(net.lossOfLastForward(middle))) finite = middle;
    else infinite = middle;
  }
  const row = infinite - 1;
  return { row, cause: rowCause(net, row) };
}

/** Why row `row`'s loss is not finite (see lossFault), said after "row N's". */
function rowCause(net: Trainable, row: number): string {
  const k = net.kernels;
  const n = net.outputSize;
  const [a, t] = [k.view(net.output), k.view(net.targets)];
  const floats = k.precision === 'f32' ? 'float32' : 'float64';
  const float = k.precision === 'f32' ? Math.fround : (v: number) => v;
  for (let i = row * n; i < (row + 1) * n; i++) {
    if (Number.isFinite(float(a[i] - t[i]))) continue;
    return `output ${a[i].toExponential(2)} and target ${t[i].toExponential(2)} differ by more than ${floats} holds (ŷ − y is taken in it, as the gradient takes it); scale the targets down`;
  }
  if (net.loss === 'cross-entropy') {
    const classes: number[] = [];
    for (let j = 0; j < n; j++) if (t[row * n + j] !== 0 && a[row * n + j] === 0) classes.push(j);
    if (classes.length > 0) {
      const weights = classes.map((j) => `${t[row * n + j]}`).join(', ');
      const which = classes.length === 1 ? `class ${classes[0]} (target ${weights})` : `classes ${classes.join(', ')} (targets ${weights})`;
      const logit = classes.length === 1 ? 'its logit lies' : 'a logit of theirs lies';
      return (
        `target gives ${which} weight where its softmax output is 0: ${logit} farther below the row's largest logit than ${floats} holds, ` +
        `so its log-probability, which the cross-entropy loss takes, is −∞; the logits spread too far apart: scale the inputs or the weights down`
      );
    }
  }
  return `loss is not finite with every output finite: the outputs, then the targets, are too large for the loss's arithmetic; scale the inputs or the weights down, or the targets`;
}
