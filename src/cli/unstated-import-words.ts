/**
 * How a command says UnstatedImportOptions (a model file that does not record what it computes): a command that takes the
 * options as flags (convert) says the library's words, which name its flags; one that takes none of them (study --model,
 * gradients, curvature) gives the convert command that does, to run first, never flags it would refuse as unknown.
 */
import { basename, dirname, extname, join } from 'node:path';
import { BY_MODULE, type ImportOptionName, type UnstatedImportOptions } from '../io/import-options.js';
import { commandName, type Command } from './command.js';
import { convertCommand } from './commands/convert.js';
import { gradscopeLine } from './invocation.js';
import { shellLine, shellWord } from '../shell-word.js';

/** Values for some of `options`, one each (the file's, else convert's placeholder stands). */
type ChosenValues = Partial<Record<ImportOptionName, string>>;

/** `options` as convert's flags, each with its value in `chosen` or its placeholder: `--layers encoder,decoder --output A --loss L`. */
function convertFlags(options: readonly ImportOptionName[], chosen: ChosenValues): string {
  return options.map((option) => `--${option} ${chosen[option] === undefined ? convertCommand.flags.find((flag) => flag.name === option)!.value! : shellLine([chosen[option]!])}`).join(' ');
}

/**
 * Each choice among the values the file allows (`values`: its layers' names in each order they chain in), one command each:
 * every option's first value, then each other value in place of its option's first. None: one command, all placeholders.
 */
function choices(values: UnstatedImportOptions['values'] = {}): ChosenValues[] {
  const allowed = Object.entries(values) as [ImportOptionName, readonly string[]][];
  const first: ChosenValues = Object.fromEntries(allowed.map(([option, each]) => [option, each[0]]));
  return [first, ...allowed.flatMap(([option, each]) => each.slice(1).map((value) => ({ ...first, [option]: value })))];
}

/** Where a printed convert command writes gradscope's JSON model: beside `path`, its extension .json (not `path` itself: a tfjs model.json, a JSON checkpoint). */
export function convertedPath(path: string): string {
  const stem = join(dirname(path), basename(path, extname(path)));
  return `${stem}.json` === path ? `${stem}-gradscope.json` : `${stem}.json`;
}

/**
 * `error`'s message as `command` says it: what the file `lacks` (the error's words), then what to `run` ('' where the command
 * takes the flags: the library's message names them), which a line prints whole (error-line.ts); its command lines as the
 * user runs gradscope (`invoked`, Terminal.invokedAs).
 */
export function unstatedImportMessage(error: UnstatedImportOptions, command: Command, invoked: string | undefined): { lacks: string; run: string } {
  const asked = [...error.options, ...(error.byModule ?? [])];
  if (asked.every((option) => command.flags.some((flag) => flag.name === option))) return { lacks: error.message, run: '' };
  const path = error.path ?? 'FILE';
  const out = convertedPath(path);
  const convert = (options: readonly ImportOptionName[], chosen: ChosenValues = {}) => `${gradscopeLine(invoked, shellLine(['convert', path, out]))} ${convertFlags(options, chosen)}`;
  // The file allows more than one value (its layers chain in two orders): a whole command for each, the file's to offer, not to choose.
  const [first, ...others] = choices(error.values).map((chosen) => convert(error.options, chosen));
  const alike = others.map((line) => ` (or ${line})`).join('');
  const route = error.byModule === undefined ? '' : ` (or, to ${BY_MODULE}, ${convert(error.byModule)})`;
  const where = error.path === undefined ? '' : `${shellWord(error.path)}: `;
  return {
    lacks: `${where}${error.where}: ${error.lacks}`,
    run: `, and ${commandName(command, invoked)} takes no flag ${error.purpose}: convert the file first: ${first}${alike}${route} (${gradscopeLine(invoked, 'convert --help')} lists each flag's values), then give --model ${shellLine([out])}`,
  };
}
