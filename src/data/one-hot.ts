/**
 * The one rule for whether targets name classes (one-hot rows): the trace records it of the batches
 * it traced (TraceRun.targets, flow/layer-statistics.ts), and `gradscope train` reads it of a --data
 * file, so that under mse a data file of one-hot targets has the classes (and the chance level) its
 * trace would.
 */

/** Whether `row` is one-hot: 2 or more values, a single 1 and 0 elsewhere. */
export function isOneHotRow(row: ArrayLike<number>): boolean {
  if (row.length < 2) return false;
  let ones = 0;
  for (let j = 0; j < row.length; j++) {
    if (row[j] === 1) ones++;
    else if (row[j] !== 0) return false;
  }
  return ones === 1;
}
