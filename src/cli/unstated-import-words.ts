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
import { shellLine } from './shell-word.js';

/** `options` as convert's flags, each with the value the file gives (`values`: its layers' names) or its placeholder: `--layers encoder,decoder --output A --loss L`. */
function convertFlags(options: readonly ImportOptionName[], values: UnstatedImportOptions['values'] = {}): string[] {
  return options.flatMap((option) => [`--${option}`, values[option] === undefined ? convertCommand.flags.find((flag) => flag.name === option)!.value! : shellLine([values[option]!])]);
}

/** Where the convert command writes gradscope's JSON model: beside `path`, its extension .json (not `path` itself: a tfjs model.json). */
function convertedPath(path: string): string {
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
  const convert = (options: readonly ImportOptionName[]) => gradscopeLine(invoked, shellLine(['convert', path, out])) + ` ${convertFlags(options, error.values).join(' ')}`;
  const route = error.byModule === undefined ? '' : ` (or, to ${BY_MODULE}, ${convert(error.byModule)})`;
  const where = error.path === undefined ? '' : `${error.path}: `;
  return {
    lacks: `${where}${error.where}: ${error.lacks}`,
    run: `, and ${commandName(command, invoked)} takes no flag ${error.purpose}: convert the file first: ${convert(error.options)}${route} (${gradscopeLine(invoked, 'convert --help')} lists each flag's values), then give --model ${shellLine([out])}`,
  };
}
