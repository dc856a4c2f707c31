/** Counts in words, for everything gradscope prints or writes (the CLI, the studies, the reports, errors). */

/** A count with its noun, singular for exactly 1: "1 epoch", "3 epochs", "0 epochs" (`plural` for nouns that take no 's'). */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** How many times, in words: "once" for exactly 1, else "0 times", "2 times". */
export function times(n: number): string {
  return n === 1 ? 'once' : `${n} times`;
}

/** A list of counts with their noun, singular only for the list [1]: "1 hidden layer", "1, 2 hidden layers". */
export function countedList(values: readonly number[], noun: string, plural = `${noun}s`): string {
  return values.length === 1 ? counted(values[0], noun, plural) : `${values.join(', ')} ${plural}`;
}
