/**
 * Prose fitted to the terminal's width (Terminal.columns), as formatTable fits tables: broken at
 * spaces, never inside a word, a number and its unit ('84 %') or a gradscope command line a reader
 * copies. Every command prints at READING_WIDTH in a file or a pipe too (main() runs it on atReadingWidth); with no
 * width at all (--help written to a file) every line is printed whole.
 */
import { COMMAND_NAMES, COMMAND_POSITIONALS } from './command-positionals.js';
import { displayWidth } from '../display-width.js';

/**
 * The widest every line of a command's output runs (main() runs each on atReadingWidth), on a terminal as wide or
 * wider and in a file or a pipe: lines a reader's eye can follow. Only a single word wider than it (a path, a command
 * line to copy) runs past.
 */
export const READING_WIDTH = 100;

/** The width printed text fits: a terminal's `columns` where narrower than READING_WIDTH, else (a wider terminal, a file, a pipe: undefined) READING_WIDTH. */
export function readingRoom(columns: number | undefined): number {
  return Math.min(READING_WIDTH, columns ?? Infinity);
}

/**
 * `tokens` (words, kept whole) in lines of at most `width` terminal columns (displayWidth) where they allow, `gap` between
 * two on a line (default a space): the first line after `first`, the others after `indent`.
 */
export function wrapTokens(tokens: readonly string[], width: number, indent: string, first = indent, gap = ' '): string {
  const lines: string[] = [];
  let line = '';
  const lead = () => (lines.length === 0 ? first : indent);
  for (const token of tokens) {
    if (line && displayWidth(lead() + line + gap + token) > width) {
      lines.push(lead() + line);
      line = token;
    } else line = line ? `${line}${gap}${token}` : token;
  }
  if (line) lines.push(lead() + line);
  return lines.join('\n');
}

/** Where proseWords is in a command line: outside one, in its command words after `gradscope`, its positional words, after a flag, after a flag's value. */
type CommandPlace = 'prose' | 'words' | 'positional' | 'flag' | 'value';

/**
 * The marks prose opens a command line with, before its first word, one or several together: a bracket, a backquote or a
 * quote ("(`gradscope study plateau`", "('gradscope train')"). Read as one run, so that no pair of them hides the command.
 */
const OPENING = String.raw`[(\[{\`'"]*`;

/**
 * The word a command line's command words follow, after its opening marks (OPENING): `gradscope`, or the bin file
 * node runs (`bin/gradscope.js`, invocation.ts), a shell word as invocation.ts prints it: plain, '…'-quoted (a space in
 * its path) or $'…'-quoted (a control character).
 */
const OPENS_COMMAND = new RegExp(String.raw`^${OPENING}(gradscope|[^\s'\`]*[\\/]gradscope\.js|\$?'.*[\\/]gradscope\.js')$`);

/** The word before a command line's opening word: npx or node (invocation.ts' prefixes), after its opening marks (OPENING). */
const PREFIX = new RegExp(`^${OPENING}(npx|node)$`);

/** A command line quoted in a sentence ('gradscope train'?, 'npx gradscope study depth' does that job, ('gradscope train')): its first word. */
const QUOTED_COMMAND = new RegExp(`^${OPENING}'(npx|node|gradscope)\\b`);

/** The end of a quoted command line's last word: its closing quote, and the sentence's marks after it. */
const CLOSES_QUOTE = /'[?!.,;:)\]}`"]*$/;

/**
 * The end of a command line's last word: its closing marks (OPENING's but the quote, which a quoted shell word ends with
 * too) and the sentence's ("plateau`", "train)."), not part of the word.
 */
const CLOSES_COMMAND = /[)\]}`"?!.,;:]+$/;

/** Most command words after `gradscope`: `study trainable-depth`. */
const COMMAND_WORDS = Math.max(...COMMAND_NAMES.map((name) => name.split(' ').length));

/** Whether `words` after `gradscope` are a command's words, or the first of them (`study` of `study plateau`). */
const continuesCommand = (words: readonly string[]) => COMMAND_NAMES.some((name) => name === words.join(' ') || name.startsWith(`${words.join(' ')} `));

/**
 * `word` opens a quoted shell word that it does not close (shellWord's 'my model.json' or $'my\nmodel.json' split at its
 * space), read as a shell reads it: in '…' a backslash is itself, in $'…' it escapes the next character (\' or \\), outside
 * both it escapes one too ('it'\''s').
 */
function opensQuote(word: string): boolean {
  if (!/^\$?'/.test(word)) return false;
  let quote: "'" | "$'" | undefined;
  for (let i = 0; i < word.length; i++) {
    const c = word[i];
    if (quote === "'") quote = c === "'" ? undefined : quote;
    else if (c === '\\') i++;
    else if (c === "'") quote = quote === "$'" ? undefined : word[i - 1] === '$' ? "$'" : "'";
  }
  return quote !== undefined;
}

/**
 * The words of prose `text`, each kept whole on a line: a number and its unit are one ('84 %'), a number and
 * the plain word before it are (numbersKept: 'by 3'), and so is a command line within it, from `gradscope`
 * through its command words, its positional words (as many as COMMAND_POSITIONALS gives the command,
 * whatever their shape), its flags and their values, a
 * quoted word with its spaces (a reader copies it; a break would cut it in two), ending at a word that
 * is none of them or that closes the sentence or the brackets.
 */
export function proseWords(text: string): string[] {
  const words: string[] = [];
  let place: CommandPlace = 'prose';
  /** The command words read after `gradscope`, and how many of the command's positional words (COMMAND_POSITIONALS) are still to come. */
  let commandWords: string[] = [];
  let positionalsLeft = 0;
  /** Whether the command line being read opened with a quote, and so ends at the word that closes it. */
  let quoted = false;
  const split = text.split(/ (?!%)/);
  for (let i = 0; i < split.length; i++) {
    let word = split[i];
    // A quoted word is read whole in a command line, and after npx or node, where the bin file's path may be one.
    if (place !== 'prose' || PREFIX.test(words.at(-1) ?? '')) while (opensQuote(word) && i + 1 < split.length) word += ` ${split[++i]}`;
    const closing: RegExpExecArray | null = quoted && place !== 'prose' ? CLOSES_QUOTE.exec(word) : null;
    const closed: RegExpExecArray | null = closing ?? CLOSES_COMMAND.exec(word);
    const bare: string = closed ? word.slice(0, closed.index) : word;
    const flag: boolean = bare.startsWith('--');
    const next: CommandPlace =
      place === 'prose' ? 'prose'
      : flag ? 'flag'
      : place === 'flag' ? 'value'
      : positionalsLeft > 0 ? 'positional'
      // A command's words (not "gradscope is a"), or within a quoted command line any such word: the line is kept whole to its quote.
      : place === 'words' && commandWords.length < COMMAND_WORDS && /^[a-z][a-z-]*$/.test(bare) && (quoted || continuesCommand([...commandWords, bare])) ? 'words'
      : 'prose';
    // `npx gradscope …`, `node bin/gradscope.js …` (invocation.ts' prefixes): npx or node opens the command line it stays on.
    if (next === 'prose' && OPENS_COMMAND.test(word) && PREFIX.test(words.at(-1) ?? '')) words[words.length - 1] += ` ${word}`;
    else if (next === 'prose') words.push(word);
    else words[words.length - 1] += ` ${word}`;
    commandWords = next === 'words' ? [...commandWords, bare] : [];
    // Its positional words follow a command's words at once, as many as it takes, whatever their shape.
    positionalsLeft = next === 'words' ? (COMMAND_POSITIONALS[commandWords.join(' ')]?.length ?? 0) : next === 'positional' ? positionalsLeft - 1 : 0;
    place = next !== 'prose' && closed ? 'prose' : next === 'prose' && OPENS_COMMAND.test(word) ? 'words' : next;
    quoted = place !== 'prose' && (quoted || QUOTED_COMMAND.test(words.at(-1)!));
  }
  return numbersKept(words);
}

/**
 * A word that is a number, with its unit or sign where it carries one and the sentence's marks after it: '3', '1,000', '0.0099,',
 * '2.40×', '4 %' (proseWords' one word), '1/16', '-1e+39)'.
 */
const NUMBER_WORD = /^[-−+]?\d[\d,./]*(?:[eE][+-]?\d+)?(?: %|×)?[,.;:!?)\]}]*$/;

/**
 * `words` with each number that follows a plain word kept with it ('by 3', 'reach 0'), so that no line begins with a lone number
 * cut from the words it belongs to (edges47 #14: '… by' at a line's end and '3 epochs' at the next one's start read as a list's
 * or a table's number). A number after a number ('4.23, 18.4,' in a list) or after a command line or a unit's word (one with a
 * space) is left as it is: each word joins one neighbour at most, so no run of words grows past a line.
 */
function numbersKept(words: readonly string[]): string[] {
  const kept: string[] = [];
  for (const word of words) {
    const before = kept.at(-1);
    if (before !== undefined && NUMBER_WORD.test(word) && !/\s/.test(before) && !NUMBER_WORD.test(before)) kept[kept.length - 1] = `${before} ${word}`;
    else kept.push(word);
  }
  return kept;
}

/** `text` in lines of at most `width` terminal columns (where its words allow), each after `indent`, broken at spaces. */
export function wrap(text: string, width: number, indent: string): string {
  return wrapTokens(proseWords(text), width, indent);
}

/** A line that is not prose: a table's row or any columns two spaces apart, or a command line (usage, an example, a command to copy). */
const NOT_PROSE = /^\s*(\S+( \S+)*  +\S|(gradscope|npm|node|npx) )/;

/**
 * One line printed to a terminal `width` columns wide (displayWidth): prose wider than it wraps at its words,
 * each line after the first under its text (its indent, and a list marker's width); a table's row or
 * a command line is printed whole, as formatTable and --help's usage leave them. A command line a user copies (an
 * example, a remedy's, printed-commands' lines) stays one line however long, here and within prose (proseWords): a
 * shell line broken in two does not run as pasted.
 */
export function fitLine(line: string, width: number | undefined): string {
  if (width === undefined || displayWidth(line) <= width || NOT_PROSE.test(line)) return line;
  const [lead] = /^\s*([-•*] )?/.exec(line)!;
  return wrapTokens(proseWords(line.slice(lead.length)), width, ' '.repeat(lead.length), lead);
}
