/** A CLI command: one file per command under cli/commands, listed once in cli/main.ts. */
import { GradscopeError } from '../errors.js';

export interface Command {
  /** Words that select it, e.g. ['gradients'] or ['study', 'depth']. */
  words: string[];
  summary: string;
  usage: string;
  run(args: ParsedArgs): Promise<void>;
}

export interface ParsedArgs {
  /** Positional words after the command's own. */
  positional: string[];
  /** --name value and --flag (true). */
  flags: Map<string, string | true>;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      if (eq > 0) flags.set(word.slice(2, eq), word.slice(eq + 1));
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags.set(word.slice(2), argv[++i]);
      else flags.set(word.slice(2), true);
    } else positional.push(word);
  }
  return { positional, flags };
}

/** An error for the user's command line: printed as one line, exit 1. */
export class UsageError extends Error {}

export function stringFlag(args: ParsedArgs, name: string, required: true): string;
export function stringFlag(args: ParsedArgs, name: string, required?: false): string | undefined;
export function stringFlag(args: ParsedArgs, name: string, required = false): string | undefined {
  const value = args.flags.get(name);
  if (value === true) throw new UsageError(`--${name} needs a value`);
  if (value === undefined && required) throw new UsageError(`missing --${name}`);
  return value;
}

/** What a numeric flag accepts: whole numbers only, and a least value. */
export interface NumberRule {
  integer?: boolean;
  min?: number;
  /** The least value is itself refused (e.g. a learning rate must be > 0). */
  exclusive?: boolean;
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
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${name} needs a number, got '${text}'`);
  if (rule.integer && !Number.isInteger(value)) throw new UsageError(`--${name} needs a whole number, got '${text}'`);
  if (rule.min !== undefined && (value < rule.min || (rule.exclusive && value === rule.min))) {
    throw new UsageError(`--${name} must be ${rule.exclusive ? '>' : '≥'} ${rule.min}, got '${text}'`);
  }
  return value;
}

export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.flags.get(name) === true;
}

/** Reads and parses a JSON file, naming the file in any error. */
export async function readJsonFile(path: string, code: 'BAD_MODEL_FILE' | 'BAD_DATA_FILE'): Promise<unknown> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new GradscopeError(code, `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GradscopeError(code, `${path}: not valid JSON (${(error as Error).message})`);
  }
}
