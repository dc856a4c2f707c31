/**
 * A CLI command and its command line: one file per command under cli/commands, listed once in
 * cli/cli.ts. A command's usage line is also its grammar: the flags and positional words it
 * names are the only ones it accepts (`--name VALUE` takes a value, `[--name]` stands alone).
 */
import { MAX_UNITS } from '../checks.js';
import { digitSplitProblem } from '../data/mnist.js';
import { GradscopeError, shorten } from '../errors.js';
import { dataFromJSON, type DataFile } from '../io/data-file.js';
import { checkWritable, parseJsonBytes, readFileBytes } from '../io/file-access.js';
import { FILE_LIMITS } from '../io/files.js';
import { checkModelLimits } from '../model-limits.js';
import { didYouMean } from '../suggest.js';
import type { Terminal } from './terminal.js';

export interface Command {
  /** Words that select it, e.g. ['gradients'] or ['study', 'depth']. */
  words: string[];
  summary: string;
  /** `gradscope <words> POSITIONAL… [--flag VALUE] [--switch]`: shown by --help and parsed for the flags. */
  usage: string;
  run(args: ParsedArgs, terminal: Terminal): Promise<void>;
}

export interface ParsedArgs {
  /** Positional words after the command's own. */
  positional: string[];
  /** --name value and --switch (true). */
  flags: Map<string, string | true>;
}

/** An error in the user's command line: printed as one line, exit 2, before any work. */
export class UsageError extends Error {}

/** The flags a usage line names, and whether each takes a value. */
export function flagsOf(usage: string): Map<string, 'value' | 'switch'> {
  const flags = new Map<string, 'value' | 'switch'>();
  for (const [, name, value] of usage.matchAll(/--([a-z][a-z-]*)(?: ([^\s[\]]+))?/g)) {
    flags.set(name, value === undefined || value.startsWith('--') ? 'switch' : 'value');
  }
  return flags;
}

/** The positional words a usage line names after the command's words (e.g. IN OUT). */
export function positionalsOf(command: Command): string[] {
  const words = command.usage.split(' ').slice(1 + command.words.length);
  const end = words.findIndex((word) => word.startsWith('[') || word.startsWith('-'));
  return end < 0 ? words : words.slice(0, end);
}

/** The command line after the command's words, checked against its usage line (UsageError otherwise). */
export function parseArgs(command: Command, argv: string[]): ParsedArgs {
  const known = flagsOf(command.usage);
  const name = ['gradscope', ...command.words].join(' ');
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
    const kind = known.get(flag);
    if (kind === undefined || !word.startsWith('--')) {
      throw new UsageError(`unknown flag ${shorten(word.slice(0, eq > 0 ? eq : undefined))} for '${name}'${didYouMean(flag, [...known.keys()], (f) => `--${f}`) || ' (see gradscope --help)'}`);
    }
    if (flags.has(flag)) throw new UsageError(`--${flag} is given twice`);
    if (kind === 'switch') {
      if (eq > 0) throw new UsageError(`--${flag} takes no value`);
      flags.set(flag, true);
      continue;
    }
    const value = eq > 0 ? word.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${flag} needs a value`);
    flags.set(flag, value);
  }
  const expected = positionalsOf(command);
  if (positional.length !== expected.length) {
    const wanted = expected.length ? `${expected.join(' ')} (${expected.length} words)` : 'no words besides its flags';
    throw new UsageError(`'${name}' takes ${wanted}, got ${positional.length ? positional.map((w) => `'${shorten(w)}'`).join(' ') : 'none'}`);
  }
  return { positional, flags };
}

export function stringFlag(args: ParsedArgs, name: string, required: true): string;
export function stringFlag(args: ParsedArgs, name: string, required?: false): string | undefined;
export function stringFlag(args: ParsedArgs, name: string, required = false): string | undefined {
  const value = args.flags.get(name);
  if (value === true) throw new UsageError(`--${name} needs a value`);
  if (value === undefined && required) throw new UsageError(`missing --${name}`);
  return value;
}

/** What a numeric flag accepts: whole numbers only, a least value and a greatest. */
export interface NumberRule {
  integer?: boolean;
  min?: number;
  /** The least value is itself refused (e.g. a learning rate must be > 0). */
  exclusive?: boolean;
  /** The greatest value taken (inclusive). */
  max?: number;
}

/** Counts: whole numbers ≥ 1. */
export const COUNT: NumberRule = { integer: true, min: 1 };
/** Seeds: any whole number. */
export const WHOLE: NumberRule = { integer: true };
/** Rates and durations: > 0. */
export const POSITIVE: NumberRule = { min: 0, exclusive: true };

export function numberFlag(args: ParsedArgs, name: string, fallback: number, rule: NumberRule = {}): number {
  const text = stringFlag(args, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${name} needs a number, got '${shorten(text)}'`);
  if (rule.integer && !Number.isInteger(value)) throw new UsageError(`--${name} needs a whole number, got '${shorten(text)}'`);
  if (rule.min !== undefined && (value < rule.min || (rule.exclusive && value === rule.min))) {
    throw new UsageError(`--${name} must be ${rule.exclusive ? '>' : '≥'} ${rule.min}, got '${shorten(text)}'`);
  }
  if (rule.max !== undefined && value > rule.max) throw new UsageError(`--${name} must be ≤ ${rule.max}, got '${shorten(text)}'`);
  return value;
}

/**
 * A library check of a flag's value (one that throws INVALID_OPTION, e.g. a network's size limits),
 * run before any work: its refusal becomes a UsageError naming the flag (exit 2).
 */
export function checkFlag<R>(name: string, value: string | number, check: () => R): R {
  try {
    return check();
  } catch (error) {
    if (error instanceof GradscopeError && error.code === 'INVALID_OPTION') throw new UsageError(`--${name} ${shorten(String(value))}: ${error.message}`);
    throw error;
  }
}

/** The words of a list flag's `text` (comma-separated), each given once: a repeat would run twice (`same` says when two words are the same entry). */
function listWords(name: string, text: string, same: (a: string, b: string) => boolean = (a, b) => a === b): string[] {
  const words = text.split(',');
  if (words.some((word) => word.trim() === '')) throw new UsageError(`--${name} has an empty entry, got '${shorten(text)}'`);
  words.forEach((word, i) => {
    if (words.findIndex((other) => same(other, word)) !== i) throw new UsageError(`--${name} lists ${shorten(word)} twice (each runs once), got '${shorten(text)}'`);
  });
  return words;
}

/**
 * A comma-separated list flag (`--optimizers adam,sgd`), or undefined when absent: no empty entry,
 * each entry once, and, given `known`, each one of them (with a "did you mean"). Every list flag
 * reads through here (or wholeListFlag), so all refuse the same things the same way.
 */
export function listFlag(args: ParsedArgs, name: string, known?: readonly string[]): string[] | undefined {
  const text = stringFlag(args, name);
  if (text === undefined) return undefined;
  const words = listWords(name, text);
  const unknown = known && words.find((word) => !known.includes(word));
  if (unknown !== undefined) {
    throw new UsageError(`--${name}: unknown '${shorten(unknown)}'${didYouMean(unknown, known!)} (one of ${known!.join(', ')})`);
  }
  return words;
}

/** A list flag of whole numbers ≥ `min` (`--depths 2,5,10`), or undefined when absent; `also` names another accepted value in the error. */
export function wholeListFlag(args: ParsedArgs, name: string, min: number, also = ''): number[] | undefined {
  const text = stringFlag(args, name);
  if (text === undefined) return undefined;
  const numbers = text.split(',').map(Number);
  if (numbers.some((value, i) => text.split(',')[i].trim() === '' || !Number.isInteger(value) || value < min)) {
    throw new UsageError(`--${name} needs whole numbers ≥ ${min} separated by commas${also}, got '${shorten(text)}'`);
  }
  return listWords(name, text, (a, b) => Number(a) === Number(b)).map(Number);
}

/**
 * A flag naming a file the command writes (--html, --csv), or undefined when absent: checked before
 * any work (checkWritable: its folder exists, it is no folder, the folder takes a new file), so a
 * long run does not end unable to save. IO_ERROR naming the flag.
 */
export async function outputFileFlag(args: ParsedArgs, name: string): Promise<string | undefined> {
  const path = stringFlag(args, name);
  if (path === undefined) return undefined;
  try {
    await checkWritable(path);
  } catch (error) {
    if (error instanceof GradscopeError) throw new GradscopeError(error.code, `--${name} ${error.message}`);
    throw error;
  }
  return path;
}

/**
 * --`name`, the width of the hidden layers of the networks `sizesOf` builds (the largest the command
 * runs): at most MAX_UNITS, and the network within the model limits (a UsageError otherwise, before any work).
 */
export function widthFlag(args: ParsedArgs, name: string, fallback: number, sizesOf: (width: number) => number[]): number {
  const width = numberFlag(args, name, fallback, { ...COUNT, max: MAX_UNITS });
  return checkFlag(name, width, () => {
    checkModelLimits(sizesOf(width), 'its largest network');
    return width;
  });
}

/** --train and --test of a study on the bundled digits: together they must fit in them (UsageError naming both flags, before any work). */
export function checkDigitFlags(trainRows: number, testRows: number): void {
  const problem = digitSplitProblem(trainRows, testRows, { train: '--train', test: '--test' });
  if (problem) throw new UsageError(problem);
}

export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.flags.get(name) === true;
}

/** Reads a data file (`{ "inputs": [[…]], "targets": [[…]] }`), naming the file in any error. */
export async function readDataFile(path: string): Promise<DataFile> {
  const bytes = await readFileBytes(path, { maxBytes: FILE_LIMITS.maxJsonBytes, code: 'BAD_DATA_FILE' });
  let json: unknown;
  try {
    json = parseJsonBytes(bytes, 'BAD_DATA_FILE');
  } catch (error) {
    throw new GradscopeError('BAD_DATA_FILE', `${path}: ${(error as Error).message}`);
  }
  return dataFromJSON(json, path);
}
