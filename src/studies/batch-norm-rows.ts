/**
 * Batch norm cannot normalise a batch of one row (its variance is 0), and train() refuses one. A
 * study's training digits in batches of a fixed size leave a last batch of one row when their count
 * is one more than a multiple of it: this names such a count before any training, as the caller
 * names the count (trainRows, --train), with the nearest counts that work.
 */

/** A run of a study that normalises over its batches in training, and their size. */
export interface BatchNormRun {
  /** The run as the study names it (a remedy's key, a paper experiment's). */
  run: string;
  /** Rows per batch. */
  batchSize: number;
}

/** Whether `rows` rows in batches of `batchSize` end with a batch of one row. */
const endsWithOneRow = (rows: number, batchSize: number) => rows % batchSize === 1;

/** Why `rows` training digits cannot train every run of `runs` (undefined when they can), the count named `name`. */
export function oneRowBatchProblem(rows: number, runs: readonly BatchNormRun[], name: string): string | undefined {
  const failing = runs.filter((r) => endsWithOneRow(rows, r.batchSize));
  if (failing.length === 0) return undefined;
  const fits = (n: number) => n >= 2 && runs.every((r) => !endsWithOneRow(n, r.batchSize));
  const nearest = [rows - 1, rows + 1, rows - 2, rows + 2].filter(fits);
  return (
    `${name} ${rows} leaves a last batch of 1 digit for ${failing.map((r) => `${r.run} (batches of ${r.batchSize})`).join(', ')}, ` +
    `and batch norm cannot normalise one row: choose a ${name} that leaves 0 or at least 2 digits over a multiple of the batch size` +
    (nearest.length ? ` (e.g. ${name} ${nearest.slice(0, 2).join(' or ')})` : '')
  );
}
