/**
 * Why the loss of the last forward is not finite though every output is (an output that overflowed,
 * the likelier cause, is named before this is asked: checkOutputs, findOverflow): which row, and what
 * in it. The one account evaluate(), gradients(), validation and a training step give.
 */
import type { Trainable } from '../model.js';
import { FLOAT32_MAX, lossWithinFloat32 } from '../model-limits.js';
import { apart } from '../number-text.js';

/** A row whose loss is not finite, by its place in the loaded batch, and why, said after "row N's". */
export interface LossFault {
  /** The row's place in the batch (0-based): the caller names it by its own number. */
  row: number;
  /** What in the row: "output … and target … differ by more than float32 holds (…)". */
  cause: string;
}

/**
 * A row of the last forward's `count` rows whose loss is beyond float32's range (not finite, or
 * finite where float32 holds Infinity: lossWithinFloat32), and why: rare path, run only when the batch's mean
 * loss is beyond with every output finite. The row is found by halving an interval whose rows' mean
 * loss is beyond (the whole batch, at first): the mean over its first half is, or else over its
 * second, since the rows' losses are ≥ 0 and a mean is at most its largest term. The sums come
 * from lossOfLastForward over the first k rows (log₂ count passes, nothing allocated in the
 * backend, nothing held changed); a sum that is not finite is beyond, so a row whose loss is Infinity
 * or NaN is found the same way. In it, per loss, as the kernels compute it (assembly/loss.*.ts):
 * - an output and its target too far apart for the backend's floats: ŷ − y is taken in them, as the
 *   gradient takes it;
 * - mean squared error: ½Σ(ŷ − y)² beyond float32's largest (ŷ − y within it, each term squared in float64);
 * - cross-entropy: −Σ y·log softmax(z) takes each class's log-probability as z − max z, which
 *   overflows where a logit lies farther below the row's largest than the backend's floats hold;
 *   its softmax output is then 0, and a target that gives that class any weight makes the loss
 *   infinite with every output and target finite;
 * - else the row's loss is beyond the loss's arithmetic or float32's range.
 */
export function lossFault(net: Trainable, count: number): LossFault {
  const sumOver = (rows: number) => (rows === 0 ? 0 : rows * net.lossOfLastForward(rows));
  let [low, high] = [0, count];
  let lowSum = 0;
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    const middleSum = sumOver(middle);
    // `!(… <= …)`: a sum that is NaN or Infinity is beyond, and its half is the one kept.
    if (!lossWithinFloat32((middleSum - lowSum) / (middle - low))) high = middle;
    else [low, lowSum] = [middle, middleSum];
  }
  return { row: low, cause: rowCause(net, low) };
}

/** The loss `loss` (a batch's or a row's, beyond float32's range) as messages say it: 'Infinity', 'NaN' or '4.50e+76, beyond float32's largest (3.40e+38)'. */
export function lossSaid(loss: number): string {
  if (!Number.isFinite(loss)) return `${loss}`;
  const [lossText, limitText] = apart([loss, FLOAT32_MAX], { bound: 1 });
  return `${lossText}, beyond float32's largest (${limitText})`;
}

/** Why row `row`'s loss is beyond float32's range (see lossFault), said after "row N's". */
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
  if (net.loss === 'mse') {
    let halfSquares = 0;
    for (let i = row * n; i < (row + 1) * n; i++) halfSquares += 0.5 * (a[i] - t[i]) ** 2;
    if (!lossWithinFloat32(halfSquares)) {
      const [i, difference] = largestDifference(a, t, row * n, n);
      return (
        `loss ½Σ(ŷ − y)² is ${lossSaid(halfSquares)}: output ${a[i].toExponential(2)} and target ${t[i].toExponential(2)} differ by ${difference.toExponential(2)}; ${Math.abs(t[i]) > Math.abs(a[i]) ? 'scale the targets down' : 'scale the inputs or the weights down'}`
      );
    }
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
  return `loss is beyond float32's range with every output finite: the outputs, then the targets, are too large for the loss's arithmetic; scale the inputs or the weights down, or the targets`;
}

/** Where in a[from..from+n) and t the difference |a − t| is largest: its index and that difference. */
function largestDifference(a: ArrayLike<number>, t: ArrayLike<number>, from: number, n: number): [number, number] {
  let [at, largest] = [from, -1];
  for (let i = from; i < from + n; i++) {
    const d = Math.abs(a[i] - t[i]);
    if (d > largest) [at, largest] = [i, d];
  }
  return [at, largest];
}
