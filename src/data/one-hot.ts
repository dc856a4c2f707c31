/**
 * The one rule for whether targets name classes (one-hot rows): the trace records it of the batches
 * it traced (TraceRun.targets, flow/layer-statistics.ts), and `gradscope train` reads it of a --data
 * file, so that under mse a data file of one-hot targets has the classes (and the chance level) its
 * trace would.
 */

/**
 * Whether values[from, to) (the whole of `values` unless given) is one-hot: 2 or more values, a
 * single 1 and 0 elsewhere. A range rather than a view, so that the recorder, which asks it of
 * every row of every traced batch, makes no subarray per row (64 a step at batch 64).
 */
export function isOneHotRow(values: ArrayLike<number>, from = 0, to = values.length): boolean {
  if (to - from < 2) return false;
  let ones = 0;
  for (let j = from; j < to; j++) {
    if (values[j] === 1) ones++;
    else if (values[j] !== 0) return false;
  }
  return ones === 1;
}
