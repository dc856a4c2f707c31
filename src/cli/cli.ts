/**
 * The gradscope command line: `gradscope <command> [--flags]`; no command runs the main job.
 * Exit codes: 0 done; 1 the work failed (a bad file, bad data, a diverged run: one line naming
 * the file and the problem); 2 the command line is wrong (unknown command or flag, a bad value:
 * one line, before any work starts; or what its words and flags ask cannot be done with the files
 * they name, an INVALID_OPTION: `convert FOLDER OUT --from safetensors`). Nothing ever prints a
 * stack trace. The one line is one in a file or a pipe; on a terminal it wraps at its words (printErr).
 */
import { GradscopeError, typedWord } from '../errors.js';
import { commandHelp, commandName, flagLines, missingFlag, parseArgs, usageLines, UsageError, wrongWordCount, type Command } from './command.js';
import { gradscopeLine } from './invocation.js';
import { errorLine, oneLine, SaidError } from './error-line.js';
import { convertCommand } from './commands/convert.js';
import { gradientsCommand } from './commands/gradients.js';
import { mainJobCommand } from './commands/main-job.js';
import { studyActivationsCommand } from './commands/study-activations.js';
import { studyAutoencoderCommand } from './commands/study-autoencoder.js';
import { studyDepthCommand } from './commands/study-depth.js';
import { studyModelCommand } from './commands/study-model.js';
import { studyRemediesCommand } from './commands/study-remedies.js';
import { studyTrainableDepthCommand } from './commands/study-trainable-depth.js';
import { curvatureCommand } from './commands/curvature.js';
import { studyPlateauCommand } from './commands/study-plateau.js';
import { trainCommand } from './commands/train.js';
import { closest, editDistance } from '../suggest.js';
import { atReadingWidth, print, printErr, processTerminal, type Terminal } from './terminal.js';
import { wrap } from './prose.js';
import { oneOf } from '../list-text.js';
import { gradscopeVersion } from './version.js';

export const COMMANDS: Command[] = [mainJobCommand, trainCommand, gradientsCommand, curvatureCommand, convertCommand, studyAutoencoderCommand, studyRemediesCommand, studyTrainableDepthCommand, studyPlateauCommand, studyDepthCommand, studyActivationsCommand, studyModelCommand];

/** Exit codes of main(). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** gradscope --help, each command's summary and the main job's flags wrapped to `width` (the terminal's), its command lines as the user runs gradscope (`invoked`, Terminal.invokedAs). */
function help(invoked: string | undefined, width = Infinity): string {
  const line = (words: string) => gradscopeLine(invoked, words);
  // Each usage on lines of its own and the summary indented under it: usages are too long for columns.
  return [
    'gradscope: see, explain and fix vanishing gradients in feed-forward networks',
    '',
    'Usage:',
    ...COMMANDS.flatMap((c) => [usageLines(c, width, '  ', invoked), wrap(c.summary, width, '      ')]),
    `  ${line('--help')}`,
    wrap(`this text; ${line('COMMAND --help')}: that command's flags, defaults and an example`, width, '      '),
    `  ${line('--version')}`,
    '      the version of gradscope',
    '',
    `The main job's flags (e.g. ${line(mainJobCommand.example)}):`,
    ...flagLines(mainJobCommand, width),
  ].join('\n');
}

/** The command `argv` names (its words first, longest match wins), or a UsageError saying what is closest, its commands as the user runs gradscope (`invoked`). */
function findCommand(argv: string[], invoked: string | undefined): { command: Command; rest: string[] } {
  const firstFlag = argv.findIndex((word) => word.startsWith('-'));
  const leading = firstFlag < 0 ? argv : argv.slice(0, firstFlag);
  const matches = COMMANDS.filter((c) => c.words.every((word, i) => leading[i] === word));
  const command = matches.reduce((best, c) => (c.words.length > best.words.length ? c : best));
  // Extra words go to a command that takes them (convert IN OUT), which checks their number.
  if (leading.length === command.words.length || (command.positionals ?? []).length > 0) return { command, rest: argv.slice(command.words.length) };
  // Words that no command takes: a mistyped command, never the main job's 30 s of work.
  const typed = leading.slice(0, Math.max(...COMMANDS.map((c) => c.words.length))).join(' ');
  const job = JOB_WORDS[leading[0]];
  // Its words after it too (`gradscope trace out.json`): the job is what the user asks for, whatever it is given.
  if (job) throw new UsageError(`unknown command ${typedWord(leading.join(' '))}; '${gradscopeLine(invoked, job.command.usage.split(' [')[0])}' does that job: it ${job.does((words) => gradscopeLine(invoked, words))} (see ${commandName(job.command, invoked)} --help)`);
  // The main job (no words) is no command's first word: a word no command has is an unknown command.
  const longer = command.words.length ? longerCommands(command) : [];
  // A whole command and a word more (`study depth extra`): refused as parseArgs refuses it after a flag.
  if (command.words.length > 0 && longer.length === 0) throw new UsageError(wrongWordCount(command, leading.slice(command.words.length), invoked));
  const guesses = nearestCommands(typed);
  // A word of its own after a command that others go on from (`study act`): the one of theirs it begins, or is nearest to.
  const next = longer.length && guesses.length === 0 ? closest(leading[command.words.length], longer.map((c) => c.words[command.words.length])) : undefined;
  if (next !== undefined) guesses.push([...command.words, next].join(' '));
  const guessed = guesses.map((name) => `'${gradscopeLine(invoked, name)}'`).join(' or ');
  const accepted = longer.length ? wordsAfter(command, invoked) : `a command is ${oneOf(commandWords())}`;
  throw new UsageError(`unknown command ${typedWord(leading.join(' '))}${guesses.length ? `; did you mean ${guessed}?` : ''} (${accepted}; see ${gradscopeLine(invoked, '--help')})`);
}

/** Commands whose words go on from `command`'s (`study depth` from `study`). */
function longerCommands(command: Command): Command[] {
  return COMMANDS.filter((c) => c.words.length > command.words.length && command.words.every((word, i) => c.words[i] === word));
}

/** What may follow `command`'s words, which longer commands go on from, named as the user runs it (`invoked`): `'gradscope study' goes on with --model M or with one of autoencoder, …, activations`. */
function wordsAfter(command: Command, invoked: string | undefined): string {
  const needed = command.flags.filter((flag) => flag.required).map((flag) => `--${flag.name}${flag.value === undefined ? '' : ` ${flag.value}`}`);
  return `'${commandName(command, invoked)}' goes on with ${needed.length ? `${needed.join(' ')} or with ` : ''}${oneOf(nextWords(command))}`;
}

/** The words longer commands add to `command`'s: `autoencoder`, `remedies`, …, `activations` after `study`. */
function nextWords(command: Command): string[] {
  return longerCommands(command).map((c) => c.words.slice(command.words.length).join(' '));
}

/** Every command by its first word, once: `train`, `gradients`, `curvature`, `convert`, `study`. */
function commandWords(): string[] {
  return [...new Set(COMMANDS.filter((c) => c.words.length).map((c) => c.words[0]))];
}

/**
 * `gradscope study` alone: a new user asking for the studies, which are commands of their own
 * (`gradscope study depth`), got "missing --model". A command that needs a flag and that longer
 * commands go on from says both ways on.
 */
function checkNotBare(command: Command, invoked: string | undefined): void {
  const needed = command.flags.filter((flag) => flag.required);
  if (needed.length === 0 || longerCommands(command).length === 0) return;
  const name = commandName(command, invoked);
  throw new UsageError(`'${name}' needs ${needed.map(missingFlag).map((text) => text.replace(/^missing /, '')).join(', ')}, or a word after it, ${oneOf(nextWords(command))} (see ${gradscopeLine(invoked, '--help')})`);
}

/**
 * Words a user may try for a job another command does (the names other tools give it), each with
 * the command that does it and what that command does for it: `gradscope diagnose` says to run
 * `gradscope study --model M` rather than only "unknown command".
 */
const JOB_WORDS: Record<string, { command: Command; does: (line: (words: string) => string) => string }> = {
  diagnose: { command: studyModelCommand, does: () => 'trains your model on your data, traces its gradient flow and prints the diagnosis with its remedies' },
  trace: { command: studyModelCommand, does: (line) => `records the gradient-flow trace of your model as it trains (--csv FILE writes it; ${line('gradients')} gives the gradients at one point)` },
  report: { command: studyModelCommand, does: (line) => `writes the HTML report of your model with --html FILE (${line('')} with no command writes the studies' report)` },
  fit: { command: trainCommand, does: () => 'makes a network from flags and trains it' },
};

/** The named commands nearest to `typed` by edit distance (all those at the least distance), within a third of its name's length (at least 1). */
function nearestCommands(typed: string): string[] {
  const scored = COMMANDS.filter((c) => c.words.length)
    .map((c) => c.words.join(' '))
    .map((name) => ({ name, distance: editDistance(typed.slice(0, 64), name), limit: Math.max(1, Math.floor(name.length / 3)) }))
    .filter(({ distance, limit }) => distance <= limit);
  const least = Math.min(...scored.map(({ distance }) => distance));
  return scored.filter(({ distance }) => distance === least).map(({ name }) => name);
}

/**
 * --help (-h, or the word help first) and --version stand for the whole command line: --version
 * takes nothing else (`gradscope --version extra` printed the version and ignored the rest: refused,
 * UsageError); --help anywhere after a command's words shows that command's help, whatever flags
 * and operands stand beside it (`gradscope study --model --help`).
 */
function topLevelRequest(argv: string[], invoked: string | undefined): { help: Command | undefined } | 'version' | undefined {
  const isHelp = (word: string, i: number) => word === '--help' || word === '-h' || (i === 0 && word === 'help');
  const help = argv.some(isHelp);
  const version = argv.includes('--version');
  if (!help && !version) return undefined;
  if (help && version) throw new UsageError('--help and --version are asked for together; give one');
  const rest = argv.filter((word, i) => !isHelp(word, i) && word !== '--version');
  if (version) {
    if (rest.length > 0) throw new UsageError(`--version takes no other words, got ${quotedWords(rest)}`);
    return 'version';
  }
  if (rest.length === 0) return { help: undefined };
  const { command } = findCommand(rest, invoked);
  return { help: command.words.length === 0 ? undefined : command };
}

/** Words of the command line as a refusal quotes them. */
function quotedWords(words: string[]): string {
  return words.map(typedWord).join(' ');
}

/**
 * Runs the command line `argv`, writing to `terminal`; returns the exit code (see the module
 * comment). Never exits the process and never throws.
 */
export async function main(argv: string[], terminal: Terminal = processTerminal()): Promise<number> {
  let running: Command | undefined;
  try {
    const request = topLevelRequest(argv, terminal.invokedAs);
    if (request === 'version') {
      print(terminal, gradscopeVersion());
      return EXIT.ok;
    }
    if (request) {
      print(terminal, request.help ? commandHelp(request.help, terminal.invokedAs, terminal.columns) : help(terminal.invokedAs, terminal.columns));
      return EXIT.ok;
    }
    const { command, rest } = findCommand(argv, terminal.invokedAs);
    if (rest.length === 0) checkNotBare(command, terminal.invokedAs);
    running = command;
    // Every command's tables and prose fit READING_WIDTH in a file or a pipe too (its output is read; a program reads its --json).
    await command.run(parseArgs(command, rest, terminal.invokedAs), atReadingWidth(terminal));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      printErr(terminal, `gradscope: ${oneLine(error.message)}`);
      return EXIT.usage;
    }
    // The command printed it already, then what it could still show.
    if (error instanceof SaidError) return exitCode(error.error);
    if (error instanceof GradscopeError) printErr(terminal, errorLine(error, running, terminal.invokedAs));
    else printErr(terminal, `gradscope: internal error (a bug; please report it): ${oneLine(String(error))}`);
    return exitCode(error);
  }
}

/**
 * The exit code of a failed command. INVALID_OPTION says the caller asked for what cannot be done, and on
 * the command line all the caller asks is its words and flags: exit 2 whichever part found it, a flag's
 * reader or the library once the files were opened (--from safetensors on a folder exited 1).
 */
function exitCode(failure: unknown): number {
  return failure instanceof GradscopeError && failure.code === 'INVALID_OPTION' ? EXIT.usage : EXIT.failed;
}
