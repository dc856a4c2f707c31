/** "Did you mean …": the known word closest to a mistyped one, when it is close enough to be a typo. */

/** Edit distance counting an insertion, deletion, substitution or swap of two neighbours as one. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** A name's words, lower case: 'learning-rate' and 'learningRate' are ['learning', 'rate']. */
const wordsOf = (name: string): string[] =>
  name
    .split(/-|(?=[A-Z])/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());

/** The first letters of a name's words ('learning-rate' and 'learningRate': 'lr'); '' for a one-word name. */
function initials(name: string): string {
  const words = wordsOf(name);
  return words.length < 2 ? '' : words.map((word) => word[0]).join('');
}

/**
 * The one candidate whose first word `word` is, where the rest of its name is a variant other candidates share: `he` for
 * 'he-normal' beside 'glorot-normal' and 'lecun-normal' (a family named without its variant; too short for the cut-short rule).
 * Where no other name shares the rest, the first word is no family's name but part of one name's ('lr-schedule': `--lr` is a
 * learning rate, not a schedule), and where two names begin with it ('glorot-uniform', 'glorot-normal') it names neither,
 * unless every other one is that member's name made longer ('he-normal-fan-out' and 'he-normal-truncated', itself a member
 * beside 'glorot-normal-truncated', beside 'he-normal': `he` is still he-normal, the family's plain member, as PyTorch's
 * kaiming_normal_ is fan-in unless told).
 */
function familyMember(word: string, candidates: readonly string[]): string | undefined {
  const named = candidates.map((candidate) => ({ candidate, words: wordsOf(candidate) }));
  const variant = (words: string[]) => words.slice(1).join('-');
  const begun = named.filter(({ words }) => words.length > 1 && words[0] === word);
  const members = begun.filter((member) => named.some(({ words }) => words.length > 1 && words[0] !== word && variant(words) === variant(member.words)));
  // The member every name begun by `word` extends (he-normal, beside he-normal-truncated, a member too).
  const member = members.find((m) => begun.every(({ candidate }) => candidate === m.candidate || candidate.startsWith(`${m.candidate}-`)));
  return member?.candidate;
}

/**
 * The candidate nearest to `word` within a third of its length (at least 1, at most 3 edits), else the one candidate
 * that begins with it, else the one family member it names (`he` for `he-normal`: familyMember), else the one whose words'
 * initials it is (`lr` for `learning-rate`), if any.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 64) return undefined; // no one mistypes 64 characters; the distance table would be large
  // A word that differs only in case is the typo (`Y` for `y`), before any other at the same distance.
  const lower = word.toLowerCase();
  const sameLetters = candidates.find((candidate) => candidate.toLowerCase() === lower);
  if (sameLetters !== undefined) return sameLetters;
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  if (best !== undefined) return best;
  // A word cut short (`--batch` for `--batch-size`) is the one candidate it begins, when only one does.
  const extended = word.length < 3 ? [] : candidates.filter((candidate) => candidate.startsWith(word));
  if (extended.length === 1) return extended[0];
  // A family's name without its variant (`--init he` for he-normal), two letters and up.
  const member = word.length < 2 ? undefined : familyMember(lower, candidates);
  if (member !== undefined) return member;
  // An abbreviation by initials (`--lr`, PyTorch scripts' name for the learning rate; `bs`), when only one name has them.
  const abbreviated = word.length < 2 ? [] : candidates.filter((candidate) => initials(candidate) === lower);
  return abbreviated.length === 1 ? abbreviated[0] : undefined;
}

/** `; did you mean X?` when a candidate is close, else ''. */
export function didYouMean(word: string, candidates: readonly string[], show: (candidate: string) => string = (c) => c): string {
  const match = closest(word, candidates);
  return match === undefined ? '' : `; did you mean ${show(match)}?`;
}

/** didYouMean for a value an API caller passed, of any type: only a string can be a mistyped name ('' for anything else). */
export function didYouMeanValue(value: unknown, candidates: readonly string[], show: (candidate: string) => string): string {
  return typeof value === 'string' ? didYouMean(value, candidates, show) : '';
}
