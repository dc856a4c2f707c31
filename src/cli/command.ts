/**
 * A CLI command and its command line: one file per command under cli/commands, listed once in
 * cli/cli.ts. A command's flag table is its grammar and its help: the flags it lists are the only
 * ones it accepts (one with a `value` takes one, one without is a switch), their rules and defaults
 * are what the readers below apply, and its usage line and `--help` text are printed from it.
 */
import { float32Problem, MAX_SEED, MAX_UNITS } from '../checks.js';
import { digitSplitProblem, MNIST_SOURCE } from '../data/mnist.js';
import { GradscopeError, shorten, typedWord } from '../errors.js';
import { DATA_FILE_SHAPE, dataFromJSON, type DataFile } from '../io/data-file.js';
import { checkWritable, parseJsonBytes, readFileBytes, sameFile } from '../io/file-access.js';
import { checkModelLimits, FILE_LIMITS } from '../model-limits.js';
import { didYouMean } from '../suggest.js';
import { oneOf } from '../list-text.js';
import { grouped } from '../counted.js';
import { shellWord } from '../shell-word.js';
import { wrap, wrapTokens } from './prose.js';
import type { AdviceTerms } from '../training/advice.js';
import { STUDY_SEED } from '../studies/study-defaults.js';
import type { Terminal } from './terminal.js';
import { gradscopeLine } from './invocation.js';

/** What a numeric flag accepts: whole numbers only, a least value and a greatest. */
export interface NumberRule {
  integer?: boolean;
  min?: number;
  /** The least value is itself refused (e.g. a learning rate must be > 0). */
  exclusive?: boolean;
  /** The greatest value taken (inclusive). */
  max?: number;
  /** Every value must be below it (an exclusive greatest: a momentum's 1, since a momentum of 1 never forgets); --help says so. */
  below?: number;
  /** Why `max` is what it is (what more would cost): shown by --help and in the refusal. A study's Bound (`{ ...COUNT, ...SECONDS_BOUND }`) gives both. */
  why?: string;
  /**
   * A positive value that is 0, subnormal or Infinity as float32 is refused, by the library's rule (float32Problem): the core holds
   * it as float32 (a learning rate, a momentum), or holds it as float64 where it reaches float32 (a clip norm: the scale it gives
   * enters the float32 kernels). The refusal names the least or greatest usable value; --help does not: float32's bounds beside
   * every learning rate were noise to a user choosing 0.01 (newuser43 #10).
   */
  float32?: true;
}

/** One flag of a command: its grammar, its rule and default, and its line of help. */
export interface Flag {
  name: string;
  /** The value's placeholder (N, FILE, A,B) or choices (bce|mse); absent for a switch, which takes none. */
  value?: string;
  /** The value when the flag is absent, as the reader uses it (numberFlag reads it here); absent: none, `about` says what absence means. */
  default?: string | number;
  /** A numeric flag's rule (numberFlag applies it; wholeListFlag applies its max to each entry). */
  rule?: NumberRule;
  /** The flag must be given. */
  required?: boolean;
  /** What it sets, in a few words. */
  about: string;
}

/** What a command declares; `command()` makes a Command of it. */
export interface CommandSpec {
  /** Words that select it, e.g. ['gradients'] or ['study', 'depth']. */
  words: string[];
  summary: string;
  /** Positional words after the command's own, in order, e.g. [{ name: 'IN', … }, { name: 'OUT', … }]. */
  positionals?: readonly { name: string; about: string }[];
  /** Every flag it accepts. */
  flags: Flag[];
  /** One command line that runs it, its words after the prefix (`study depth --seeds 5`): its --help prints it as the user runs gradscope (gradscopeLine; test/cli/command-line.test.ts parses it). */
  example: string;
  /** Paragraphs its --help prints after the flags (what a run costs, for a command that can run long). Default: none. */
  notes?: string[];
  run(args: ParsedArgs, terminal: Terminal): Promise<void>;
}

export interface Command extends CommandSpec {
  /** `<words> POSITIONAL… [--flag DEFAULT] [--switch]`, printed from the flag table after the prefix the user runs gradscope by (usageLines): usageParts joined by spaces. */
  usage: string;
  /** The usage's parts, each kept whole on a line: the command's words with its positional words (none for the main job), then each flag (`[--epochs 10]`). */
  usageParts: string[];
}

/** A Command of `spec`, its usage line printed from its flag table. */
export function command(spec: CommandSpec): Command {
  // A value flag shows its default, or its choices (bce|mse) when it has some, else its placeholder.
  const flag = (f: Flag) => `--${f.name}${f.value === undefined ? '' : ` ${f.value.includes('|') ? f.value : (f.default ?? f.value)}`}`;
  const usageParts = [[...spec.words, ...(spec.positionals ?? []).map((p) => p.name)].join(' '), ...spec.flags.map((f) => (f.required ? flag(f) : `[${flag(f)}]`))];
  return { ...spec, usage: usageParts.filter((part) => part !== '').join(' '), usageParts };
}

/** `command`'s name as the user runs it (`npx gradscope study depth`; the main job's: the prefix alone), `invoked` the prefix they ran gradscope by (Terminal.invokedAs). */
export function commandName(command: Pick<CommandSpec, 'words'>, invoked: string | undefined): string {
  return gradscopeLine(invoked, command.words.join(' '));
}

/** `command`'s usage after `lead` and the prefix the user runs gradscope by (`invoked`), wrapped to `width` between its flags, each line after the first under its first flag. */
export function usageLines(command: Command, width: number, lead: string, invoked: string | undefined): string {
  const [words, ...flags] = command.usageParts;
  const name = gradscopeLine(invoked, words);
  return wrapTokens([`${lead}${name}`, ...flags], width, ' '.repeat(lead.length + name.length + 1), '');
}

/** The least room --help leaves a flag's text beside its name on a narrow terminal (below it the text runs past the width rather than one word a line). */
const HELP_TEXT_LEAST = 30;

/**
 * Each positional word and flag of `command` with what it is and its default, one per line, aligned;
 * a text wider than `width` (the terminal's) wraps at spaces under itself, after the names' column.
 */
export function flagLines(command: Command, width = Infinity): string[] {
  const rows = [
    ...(command.positionals ?? []).map((p) => [p.name, p.about]),
    ...command.flags.map((f) => [
      `--${f.name}${f.value === undefined ? '' : ` ${f.value}`}`,
      `${f.about}${f.rule?.why === undefined ? '' : ` (at most ${f.rule.max}: ${f.rule.why})`}${f.rule?.below === undefined ? '' : ` (below ${f.rule.below})`}${f.required ? ' (required)' : f.default === undefined ? '' : ` (default: ${f.default})`}`,
    ]),
  ];
  const names = Math.max(...rows.map(([left]) => left.length));
  const room = Math.max(HELP_TEXT_LEAST, width - names - 4);
  return rows.map(([left, right]) => `  ${left.padEnd(names)}  ${wrap(right, room, '').split('\n').join(`\n${' '.repeat(names + 4)}`)}`);
}

/** A command's own help: its usage, each positional word and flag with its default, its notes, and an example, its command lines as the user runs gradscope (`invoked`, Terminal.invokedAs); its text and its usage (between flags) wrapped to `width` (the terminal's), its example never (a command line is copied whole). */
export function commandHelp(command: Command, invoked: string | undefined, width = Infinity): string {
  // A note's own line breaks are its source's, not paragraphs (each note is one): at a width it is wrapped as one paragraph.
  const notes = (command.notes ?? []).flatMap((note) => ['', width === Infinity ? note : wrap(note.replace(/\n/g, ' '), width, '')]);
  const title = wrap(`${commandName(command, invoked)}: ${command.summary}`, width, '');
  return [title, '', usageLines(command, width, 'Usage: ', invoked), '', ...flagLines(command, width), ...notes, '', 'Example:', `  ${gradscopeLine(invoked, command.example)}`].join('\n');
}

export interface ParsedArgs {
  /** Positional words after the command's own. */
  positional: string[];
  /** --name value and --switch (true). */
  flags: Map<string, string | true>;
  /** The command's flag table, by name: the readers take rules and defaults from it. */
  table: ReadonlyMap<string, Flag>;
}

/** An error in the user's command line: printed as one line, exit 2, before any work. */
export class UsageError extends Error {}

/** The command line after the command's words, checked against its flag table (UsageError otherwise, naming the command as the user runs gradscope: `invoked`, Terminal.invokedAs; `gradscope` where none is given). */
export function parseArgs(command: Command, argv: string[], invoked?: string): ParsedArgs {
  const table = new Map(command.flags.map((f) => [f.name, f]));
  const name = commandName(command, invoked);
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (!word.startsWith('-') || word === '-') {
      positional.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const flag = word.slice(word.startsWith('--') ? 2 : 1, eq > 0 ? eq : undefined);
    const spec = table.get(flag);
    if (spec === undefined || !word.startsWith('--')) {
      // None near: the flags it takes, so the refusal says what is accepted (a list, not their values: --help has those).
      const accepted = ` (it takes ${[...table.keys()].map((f) => `--${f}`).join(', ')}; see ${name} --help)`;
      throw new UsageError(`unknown flag ${shellWord(shorten(word.slice(0, eq > 0 ? eq : undefined)))} for '${name}'${didYouMean(flag, [...table.keys()], (f) => `--${f}`) || accepted}`);
    }
    if (flags.has(flag)) throw new UsageError(`--${flag} is given twice`);
    if (spec.value === undefined) {
      if (eq > 0) throw new UsageError(`--${flag} takes no value`);
      flags.set(flag, true);
      continue;
    }
    const value = eq > 0 ? word.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${flag} needs a value`);
    // No flag takes an empty value: a file flag given '' wrote nothing, in silence (--html '' ran the study and no report).
    if (value.trim() === '') throw new UsageError(`--${flag} needs a value, got an empty one`);
    flags.set(flag, value);
  }
  const expected = (command.positionals ?? []).map((p) => p.name);
  if (positional.length !== expected.length) throw new UsageError(wrongWordCount(command, positional, invoked));
  const blank = positional.findIndex((word) => word.trim() === '');
  if (blank >= 0) throw new UsageError(`'${name}' needs ${expected[blank]}, got an empty word`);
  return { positional, flags, table };
}

/** The refusal of `positional`, words after `command`'s own that are not the ones it takes, naming it as the user runs it (`invoked`): `'gradscope train' takes no words besides its flags, got 'extra'`. */
export function wrongWordCount(command: Command, positional: string[], invoked: string | undefined): string {
  const expected = (command.positionals ?? []).map((p) => p.name);
  const wanted = expected.length ? `${expected.join(' ')} (${expected.length} words)` : 'no words besides its flags';
  return `'${commandName(command, invoked)}' takes ${wanted}, got ${positional.length ? positional.map(typedWord).join(' ') : 'none'}`;
}

export function stringFlag(args: ParsedArgs, name: string, required: true): string;
export function stringFlag(args: ParsedArgs, name: string, required?: false): string | undefined;
export function stringFlag(args: ParsedArgs, name: string, required = false): string | undefined {
  const flag = flagOf(args, name);
  const value = args.flags.get(name);
  if (value === true) throw new UsageError(`--${name} needs a value`);
  if (value === undefined && required) throw new UsageError(missingFlag(flag));
  return value;
}

/**
 * `value` as the one line every --json prints. JSON has no infinity and JSON.stringify writes it as
 * null, which reads as "not measured": ±Infinity is written as the string "Infinity" / "-Infinity"
 * (a ratio over a gradient of exactly 0, e.g. ReZero's first ÷ last at initialisation), and null
 * stays for what was not measured or is not defined (NaN).
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && Math.abs(v) === Infinity ? String(v) : v)) + '\n';
}

/** What jsonLine wrote, read back: the strings "Infinity" and "-Infinity" as the numbers they stand for (SyntaxError: not JSON). */
export function parseJsonLine(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v));
}

/** Flags several commands share, each with its one meaning. */
export const JSON_FLAG: Flag = { name: 'json', about: 'print the result as one JSON object on stdout instead of tables (±Infinity as "Infinity", "-Infinity")' };
export const HTML_FLAG: Flag = { name: 'html', value: 'FILE', about: 'also write an HTML report with the charts to FILE (its folder must exist), with --json too' };
export const TRAIN_FLAG = (rows: number): Flag => ({ name: 'train', value: 'N', default: rows, rule: { integer: true, min: 1 }, about: `training digits (with --test, at most ${MNIST_SOURCE})` });
export const TEST_FLAG = (rows: number): Flag => ({ name: 'test', value: 'N', default: rows, rule: { integer: true, min: 1 }, about: 'held-out digits, the ones after the training digits' });
export const MODEL_FLAG: Flag = { name: 'model', value: 'M', required: true, about: 'the model file: gradscope .json or binary, .safetensors or a tfjs model.json' };
export const BACKEND_FLAG: Flag = { name: 'backend', value: 'wasm|ref', default: 'wasm', about: 'the kernels: wasm (SIMD where supported) or ref (plain TypeScript, float64)' };

/** A required flag's absence, said with what it is (`missing --model M (the model file: …)`): its name alone left a new user guessing. */
export function missingFlag(flag: Flag): string {
  return `missing --${flag.name}${flag.value === undefined ? '' : ` ${flag.value}`} (${flag.about})`;
}

/** The entry of flag `name` in the command's table (a bug when missing: every reader names a flag of its own command). */
function flagOf(args: ParsedArgs, name: string): Flag {
  const flag = args.table.get(name);
  if (flag === undefined) throw new Error(`--${name} is read but not in the command's flag table`);
  return flag;
}

/** Counts: whole numbers ≥ 1. */
export const COUNT: NumberRule = { integer: true, min: 1 };
/** Seeds: whole numbers from 0 to MAX_SEED, as the library's checkSeed. */
export const SEED: NumberRule = { integer: true, min: 0, max: MAX_SEED, why: `the random number generator's seed is ${Math.log2(MAX_SEED + 1)} bits` };
/** --seed of the studies: its default is the studies' own (STUDY_SEED). */
export const SEED_FLAG: Flag = { name: 'seed', value: 'N', default: STUDY_SEED, rule: SEED, about: 'the random seed (initial weights, batch order)' };
/** Rates and durations: > 0. */
export const POSITIVE: NumberRule = { min: 0, exclusive: true };
/** Widths of hidden layers: whole numbers from 1 to MAX_UNITS (widthFlag also checks the network's size). */
export const WIDTH: NumberRule = { integer: true, min: 1, max: MAX_UNITS };

/**
 * Whether `text` is a whole number written in decimal digits (an optional sign): what integer flags
 * take. Number() alone also reads 0x10 as 16, 1e3 as 1000 and 0b11 as 3: --seeds 0x10 would run 16.
 */
function isDecimalInteger(text: string): boolean {
  return /^\s*[+-]?\d+\s*$/.test(text);
}

/** Whether `text` is a number in decimal notation (0.01, .5, 1e-3): what other numeric flags (and --init's NAME:NUMBER) take; Number() reads --learning-rate 0x10 as 16. */
export function isDecimalNumber(text: string): boolean {
  return /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text);
}

/**
 * What a numeric flag of `rule` takes, as its refusal of a value that is none says it: one message
 * per kind of flag, whatever was typed ('abc' and '1.5' to --epochs said 'a number' and 'a whole number').
 */
const numberKind = (rule: NumberRule) => (rule.integer ? 'a whole number in decimal digits' : 'a decimal number');

/** A numeric flag, checked by its table rule; absent: `fallback` when given (a default that depends on another flag), else its table default. */
export function numberFlag(args: ParsedArgs, name: string, fallback?: number): number {
  const flag = flagOf(args, name);
  const rule = flag.rule ?? {};
  const text = stringFlag(args, name);
  if (text === undefined) {
    if (fallback !== undefined) return fallback;
    if (typeof flag.default !== 'number') throw new Error(`--${name} has no numeric default in the command's flag table`);
    return flag.default;
  }
  const value = Number(text);
  if (!Number.isFinite(value) || !(rule.integer ? isDecimalInteger(text) : isDecimalNumber(text))) throw new UsageError(`--${name} needs ${numberKind(rule)}, got ${typedWord(text)}`);
  if (rule.min !== undefined && (value < rule.min || (rule.exclusive && value === rule.min))) {
    throw new UsageError(`--${name} must be ${rule.exclusive ? '>' : '≥'} ${grouped(rule.min)}, got ${typedWord(text)}`);
  }
  if (rule.below !== undefined && !(value < rule.below)) throw new UsageError(`--${name} must be < ${grouped(rule.below)}, got ${typedWord(text)}`);
  if (rule.max !== undefined && value > rule.max) throw new UsageError(`--${name} must be ≤ ${grouped(rule.max)}${rule.why === undefined ? '' : ` (${rule.why})`}, got ${typedWord(text)}`);
  // After the flag's own bounds, which name its rule (a seed's ≤ 4294967295): past 2⁵³ − 1 a double holds no longer every whole number: --epochs 99999999999999999999 was read, and printed, as 1e20.
  if (rule.integer && !Number.isSafeInteger(value)) throw new UsageError(`--${name} must be ≤ ${grouped(Number.MAX_SAFE_INTEGER)} (2⁵³ − 1, the largest whole number held exactly), got ${typedWord(text)}`);
  const float32 = rule.float32 ? float32Problem(value, `--${name}`) : undefined;
  if (float32 !== undefined) throw new UsageError(float32);
  return value;
}

/**
 * A library check of a flag's value (one that throws INVALID_OPTION, e.g. a network's size limits),
 * run before any work: its refusal becomes a UsageError naming the flag (exit 2).
 */
export function checkFlag<R>(name: string, value: string | number, check: () => R): R {
  return checkAsUsage(`--${name} ${shorten(String(value))}`, check);
}

/** Runs a library check of what some flags give: its INVALID_OPTION becomes a UsageError (exit 2) starting with `flags` (usageRefusal). */
export function checkAsUsage<R>(flags: string, check: () => R): R {
  try {
    return check();
  } catch (error) {
    if (error instanceof GradscopeError && error.code === 'INVALID_OPTION') throw new UsageError(usageRefusal(flags, error.message));
    throw error;
  }
}

/** A leading label of a library refusal, `k: ` or `levenberg-marquardt: `. */
const LEADING_LABEL = /^([\w.-]+): /;
/** A leading quoted subject, `'kfac' ` of "'kfac' trains networks of dense layers only". */
const LEADING_SUBJECT = /^'([^']+)' /;

/**
 * A library refusal `message` after the `flags` it blames (`--optimizer kfac`), each thing named
 * once: the library names what it refuses by its option and value ("optimizer: 'kfac' trains…",
 * "levenberg-marquardt: needs…", "k: expected…"), which the flags already say. Leading labels that
 * are a value given, or the one flag's name or API option (OPTION_FLAGS), are dropped, and a quoted subject
 * that is a value given becomes the flags themselves: "--optimizer kfac trains networks…",
 * "--optimizer levenberg-marquardt: needs…", not "--optimizer levenberg-marquardt: levenberg-marquardt: needs…".
 */
export function usageRefusal(flags: string, message: string): string {
  const words = flags.split(/\s+/);
  const flagNames = words.filter((word) => word.startsWith('--')).map((word) => word.slice(2));
  const named = new Set(words.filter((word) => !word.startsWith('--')));
  // An option's name says which of several flags is wrong ("momentum: expected…"): dropped only where one flag is given.
  if (flagNames.length === 1) {
    named.add(flagNames[0]);
    for (const [option, flag] of Object.entries(OPTION_FLAGS)) if (flag === flagNames[0]) named.add(option);
  }
  let rest = message;
  for (let label = LEADING_LABEL.exec(rest); label !== null && named.has(label[1]); label = LEADING_LABEL.exec(rest)) rest = rest.slice(label[0].length);
  const subject = LEADING_SUBJECT.exec(rest);
  return subject !== null && named.has(subject[1]) ? `${flags} ${rest.slice(subject[0].length)}` : `${flags}: ${rest}`;
}

/**
 * Runs a library check whose INVALID_OPTION starts with the options it blames ("depths, width: …"):
 * the UsageError (exit 2) names their flags instead, by `flags` (option → flag name), and of those
 * only the ones the command line gave (all of them if it gave none): "--depths: …" for `--depths 1000`,
 * not "--depths, --width". A refusal naming an option `flags` does not map is passed on as it is.
 */
export function checkOptionsAsUsage<R>(args: ParsedArgs, flags: Record<string, string>, check: () => R): R {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof GradscopeError) || error.code !== 'INVALID_OPTION') throw error;
    const [, names, rest] = /^([\w, ]+): (.*)$/s.exec(error.message) ?? [];
    const named = names?.split(', ').map((name) => flags[name]);
    if (!named || named.some((flag) => flag === undefined)) throw new UsageError(error.message);
    const given = named.filter((flag) => args.flags.has(flag));
    throw new UsageError(`${(given.length ? given : named).map((flag) => `--${flag}`).join(', ')}: ${rest}`);
  }
}

/** Why a study's list flag names each entry once: a repeat would run twice. */
const EACH_RUNS_ONCE = 'each runs once';
/** A known choice as the hints show it, 'adam': only the flag's own choices, never a typed word (that is typedWord's). */
const inQuotes = (choice: string) => `'${choice}'`;

/** The words of a list flag's `text` (comma-separated), each given once (`once` says why, e.g. 'each runs once'; `same` says when two words are the same entry). */
function listWords(name: string, text: string, once: string, same: (a: string, b: string) => boolean = (a, b) => a === b): string[] {
  const words = text.split(',');
  if (words.some((word) => word.trim() === '')) throw new UsageError(`--${name} has an empty entry, got ${typedWord(text)}`);
  words.forEach((word, i) => {
    if (words.findIndex((other) => same(other, word)) !== i) throw new UsageError(`--${name} lists ${shellWord(shorten(word))} twice (${once}), got ${typedWord(text)}`);
  });
  return words;
}

/**
 * A comma-separated list flag (`--optimizers adam,sgd`), or undefined when absent: no empty entry,
 * each entry once (`once` says why: by default, a repeat would run twice), and, given `known`, each one
 * of them (with a "did you mean"). Every list flag reads through here (or wholeListFlag), so all
 * refuse the same things the same way.
 */
export function listFlag(args: ParsedArgs, name: string, known?: readonly string[], once = EACH_RUNS_ONCE): string[] | undefined {
  const text = stringFlag(args, name);
  if (text === undefined) return undefined;
  const words = listWords(name, text, once);
  const unknown = known && words.find((word) => !known.includes(word));
  if (unknown !== undefined) {
    throw new UsageError(`--${name}: unknown ${typedWord(unknown)}${didYouMean(unknown, known!, inQuotes)} (${oneOf(known!)})`);
  }
  return words;
}

/**
 * A list flag of whole numbers ≥ `min` (`--depths 2,5,10`) and ≤ its table rule's max, if any, or
 * undefined when absent; `also` names another accepted value in the error. Each entry once unless
 * `repeats` (a network's units per layer, `--layers 784,64,64,10`, repeat by design).
 */
export function wholeListFlag(args: ParsedArgs, name: string, min: number, also = '', repeats = false): number[] | undefined {
  const text = stringFlag(args, name);
  if (text === undefined) return undefined;
  const numbers = text.split(',').map(Number);
  if (numbers.some((value, i) => !isDecimalInteger(text.split(',')[i]) || value < min)) {
    throw new UsageError(`--${name} needs whole numbers ≥ ${min} separated by commas${also}, got ${typedWord(text)}`);
  }
  const { max, why } = flagOf(args, name).rule ?? {};
  if (max !== undefined && numbers.some((value) => value > max)) throw new UsageError(`--${name} takes numbers ≤ ${max}${why === undefined ? '' : ` (${why})`}, got ${typedWord(text)}`);
  return repeats ? numbers : listWords(name, text, EACH_RUNS_ONCE, (a, b) => Number(a) === Number(b)).map(Number);
}

/**
 * A flag naming a file the command writes (--html, --csv), or undefined when absent: checked before
 * any work (checkWritable: its folder exists, it is no folder, the folder takes a new file; and
 * `nameRule`, such as a checkpoint's name, where given), so a long run does not end unable to save.
 * The error names the flag.
 */
export async function outputFileFlag(args: ParsedArgs, name: string, nameRule?: (path: string) => void): Promise<string | undefined> {
  const path = stringFlag(args, name);
  if (path === undefined) return undefined;
  try {
    nameRule?.(path);
    await checkWritable(path);
  } catch (error) {
    if (error instanceof GradscopeError) throw new GradscopeError(error.code, `--${name} ${error.message}`);
    throw error;
  }
  return path;
}

/**
 * Refuses (UsageError, before any work) a command line whose files would overwrite each other: two of the flags in `writes`
 * naming one file (sameFile), where the later write would replace the earlier while both were said written, or one
 * naming the file a flag of `reads` names (`--csv data.json` beside `--data data.json`), which the run would replace after
 * reading it. `replaces` lists the pairs allowed, [write, read]: `study --model m.json --save m.json` trains on and saves
 * in its place, as the user asked.
 */
export async function checkDistinctFiles(args: ParsedArgs, writes: readonly string[], reads: readonly string[], replaces: readonly (readonly [write: string, read: string])[] = []): Promise<void> {
  const given = (names: readonly string[]) => names.filter((name) => args.flags.has(name)).map((name) => ({ name, path: stringFlag(args, name)! }));
  const written = given(writes);
  const read = given(reads);
  for (const [i, write] of written.entries()) {
    for (const other of written.slice(i + 1)) {
      if (await sameFile(write.path, other.path)) {
        throw new UsageError(`--${write.name} ${shellWord(write.path)} and --${other.name} ${shellWord(other.path)} name the same file: the second write would replace the first; give each its own file`);
      }
    }
    for (const input of read) {
      if (replaces.some(([w, r]) => w === write.name && r === input.name)) continue;
      if (await sameFile(write.path, input.path)) {
        throw new UsageError(`--${write.name} ${shellWord(write.path)} names the file --${input.name} ${shellWord(input.path)} reads: writing it would replace it; give --${write.name} another file`);
      }
    }
  }
}

/**
 * --`name`, the width of the hidden layers of the networks `sizesOf` builds (the largest the command
 * runs; its table rule is WIDTH): at most MAX_UNITS, and the network within the model limits (a UsageError otherwise, before any work).
 */
export function widthFlag(args: ParsedArgs, name: string, sizesOf: (width: number) => number[]): number {
  const width = numberFlag(args, name);
  return checkFlag(name, width, () => {
    checkModelLimits(sizesOf(width), 'its largest network');
    return width;
  });
}

/** --train and --test of a study on the digits (loadMnist's): together they must fit in them (UsageError naming both flags, before any work). */
export function checkDigitFlags(trainRows: number, testRows: number): void {
  const problem = digitSplitProblem(trainRows, testRows, { train: '--train', test: '--test' });
  if (problem) throw new UsageError(problem);
}

/**
 * A flag naming one of a few choices: those of its table value (`bce|mse`) unless `allowed` lists
 * them; absent: its table default (or undefined). A UsageError with a "did you mean" otherwise.
 */
export function choiceFlag<T extends string>(args: ParsedArgs, name: string, allowed?: readonly T[]): T | undefined {
  const flag = flagOf(args, name);
  const choices = allowed ?? (flag.value!.split('|') as T[]);
  const value = stringFlag(args, name) ?? (flag.default as T | undefined);
  if (value !== undefined && !(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be ${oneOf(choices)}, got ${typedWord(value)}${didYouMean(value, choices, inQuotes)}`);
  }
  return value as T | undefined;
}

export function booleanFlag(args: ParsedArgs, name: string): boolean {
  flagOf(args, name);
  return args.flags.get(name) === true;
}

/** Reads a data file (`{ "inputs": [[…]], "targets": [[…]] }`), naming the file in any error. */
export async function readDataFile(path: string): Promise<DataFile> {
  const bytes = await readFileBytes(path, { maxBytes: FILE_LIMITS.maxJsonBytes, code: 'BAD_DATA_FILE' });
  let json: unknown;
  try {
    // Where the syntax is all it says, a user who gave a CSV (with a header) learns only that it is not JSON: say what --data takes.
    json = parseJsonBytes(bytes, 'BAD_DATA_FILE', `; --data takes a JSON file, ${DATA_FILE_SHAPE} (one list of numbers per row in each), and reads no CSV`);
  } catch (error) {
    throw new GradscopeError('BAD_DATA_FILE', `${shellWord(path)}: ${(error as Error).message}`);
  }
  // The text, decoded only to say where a refused value is written (dataFromJSON).
  return dataFromJSON(json, shellWord(path), () => new TextDecoder().decode(bytes));
}

/**
 * `work` on the file `path` that the flag `--name` gave, its IO_ERROR (the file cannot be read at all: no such file, a folder,
 * no permission, whose message opens with the path's shellWord) said with the flag first, as outputFileFlag's refusals are:
 * `--data nope.json: cannot read (ENOENT…)`. A command reads a model and one or two data files, and 'nope.json: cannot read'
 * named no flag to fix (newuser43 #10). A file read and refused for what it holds is named by its path and the place in it.
 */
export async function readingFlag<T>(name: string, path: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const named = shellWord(path);
    if (error instanceof GradscopeError && error.code === 'IO_ERROR' && error.message.startsWith(named) && /^[: ]/.test(error.message.slice(named.length))) {
      throw new GradscopeError(error.code, `--${name} ${error.message}`);
    }
    throw error;
  }
}

/** Prefixes a GradscopeError's message with the file it came from, `named` as messages name it (a path's shellWord, or training-rows' BUNDLED_DIGITS). */
export async function withFile<T>(named: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof GradscopeError && !error.message.startsWith(named)) {
      throw new GradscopeError(error.code, `${named}: ${error.message}`);
    }
    throw error;
  }
}

/**
 * The flag of each API option a command may take, by the option's key: the one table behind what a
 * DIVERGED's advice and diagnose()'s remedies name on the command line (adviceTerms, remedyTerms in
 * cli/remedy-terms.ts) and the names `gradscope train` and the training flags give them.
 */
export const OPTION_FLAGS = {
  learningRate: 'learning-rate',
  schedule: 'schedule',
  clipNorm: 'clip-norm',
  onNonFinite: 'on-non-finite',
  batchSize: 'batch-size',
  // train()'s shuffle is on by default: the flag turns it off.
  shuffle: 'no-shuffle',
  optimizer: 'optimizer',
  momentum: 'momentum',
  normConstraint: 'norm-constraint',
  damping: 'damping',
  epochs: 'epochs',
  dropLast: 'drop-last',
  activation: 'activation',
  init: 'init',
  biasInit: 'bias-init',
  // train()'s lsuv is not a flag of its own: `--init lsuv` asks for it (createNetwork's init 'lsuv' waits for it).
  lsuv: 'init',
} as const;

/** `--flag` of `option` where `command` has it, else undefined. */
export function optionFlag(command: Command, option: keyof typeof OPTION_FLAGS): string | undefined {
  const name = OPTION_FLAGS[option];
  return command.flags.some((f) => f.name === name) ? `--${name}` : undefined;
}

/**
 * How a DIVERGED's advice names train()'s options on `command`'s line: by its flags (--learning-rate,
 * --clip-norm, --on-non-finite), and not at all where it has none (a study's fixed recipe).
 */
export function adviceTerms(command: Command): AdviceTerms {
  const onNonFinite = optionFlag(command, 'onNonFinite');
  return {
    learningRate: optionFlag(command, 'learningRate'),
    clipNorm: optionFlag(command, 'clipNorm'),
    onNonFinite: onNonFinite === undefined ? undefined : (policy) => `${onNonFinite} ${policy}`,
    // An optimiser's option by its flag where the command has one (K-FAC's damping: --damping), else in words.
    optimizerOption: (option) => (Object.hasOwn(OPTION_FLAGS, option) ? optionFlag(command, option as keyof typeof OPTION_FLAGS) : undefined),
  };
}

