/**
 * How gradscope's prose lists things: "a, b and c", "a, b or c". Below every folder that says a list
 * (the diagnosis, the optimisers' restore advice, the training loop's and the CLI's refusals), so
 * each list reads the same. advice.ts' Oxford-comma "a, b, or c" is a sentence of its own.
 */

/** "a", "a and b", "a, b and c" ('' for none). */
export const andList = (items: readonly string[]): string => listed(items, 'and');

/** "a", "a or b", "a, b or c" ('' for none). */
export const orList = (items: readonly string[]): string => listed(items, 'or');

/**
 * The choices a refusal or usage error offers, "one of a, b, c": each a word the reader can paste
 * alone (never "a | b | c", which a shell reads as pipes when pasted).
 */
export const oneOf = (choices: readonly string[]): string => `one of ${choices.join(', ')}`;

function listed(items: readonly string[], word: string): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1]}`;
}
