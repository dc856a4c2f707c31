/** Counts in words, for everything gradscope prints or writes (the CLI, the studies, the reports, errors). */

/**
 * A number as a reader reads it: its whole part in groups of three digits split by commas, as
 * English prose and `toLocaleString('en-US')` write them ("9,000", "33,781", "1,000,000", "-1,234.5"),
 * its decimals as `String(n)` gives them (toLocaleString would cut them to three). A number String
 * writes in exponent form (1e+21 and above, below 1e-6), NaN and ±Infinity are as String writes them;
 * a bigint (a file's 64-bit length field) is grouped whole at any size.
 *
 * What a reader reads as an amount goes through it, wherever gradscope prints it (messages, CLI
 * tables and lines, the HTML report, the visualizer): counts, sizes, limits and byte counts, and the
 * training done, so a step or an epoch is grouped as a count of them ("step 10,050", "epoch 1,000",
 * "Paused: step 120,438" beside "epoch 13,382"; a table's steps column and its first step at the
 * goal read alike).
 *
 * What a reader types back or looks up stays as String writes it: a place in the user's data or
 * file (row 12345, column 1024, unit 1500, layers[3], tensors[2][1500], a byte offset, JSON's line
 * and column), a flag's or an option's value (--k 1000, batchSize 1000, 'give connections ≤ 784'),
 * code (nn.Linear(784, 100)), a shape in brackets ([100, 784]), a value echoed as given ('got 3001'),
 * a seed, a year, a commit id or a format's version. Axis ticks stay as the chart's ticks write them.
 */
export function grouped(n: number | bigint): string {
  const text = String(n);
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
  const [whole, decimals] = text.split('.');
  return whole.replace(/\B(?=(\d{3})+$)/g, ',') + (decimals === undefined ? '' : `.${decimals}`);
}

/** A count with its noun, singular for exactly 1: "1 epoch", "3 epochs", "0 epochs", "9,000 digits" (grouped; `plural` for nouns that take no 's'). */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${grouped(n)} ${n === 1 ? noun : plural}`;
}

/** How many times, in words: "once" for exactly 1, else "0 times", "2 times". */
export function times(n: number): string {
  return n === 1 ? 'once' : `${n} times`;
}

/** A list of counts with their noun, singular only for the list [1]: "1 hidden layer", "1, 2 hidden layers". */
export function countedList(values: readonly number[], noun: string, plural = `${noun}s`): string {
  return values.length === 1 ? counted(values[0], noun, plural) : `${values.map(grouped).join(', ')} ${plural}`;
}
