/**
 * The gradscope command line: `gradscope <command> [--flags]`; no command runs the main job.
 * Exit codes: 0 done; 1 the work failed (a bad file, bad data, a diverged run: one line naming
 * the file and the problem); 2 the command line is wrong (unknown command or flag, a bad value:
 * one line, before any work starts). Nothing ever prints a stack trace.
 */
import { GradscopeError, shorten } from '../errors.js';
import { adviceTerms, commandHelp, flagLines, parseArgs, UsageError, type Command } from './command.js';
import { DivergedError } from '../training/advice.js';
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
import { editDistance } from '../suggest.js';
import { print, processTerminal, type Terminal } from './terminal.js';
import { gradscopeVersion } from './version.js';

export const COMMANDS: Command[] = [mainJobCommand, gradientsCommand, curvatureCommand, convertCommand, studyAutoencoderCommand, studyRemediesCommand, studyTrainableDepthCommand, studyPlateauCommand, studyDepthCommand, studyActivationsCommand, studyModelCommand];

/** Exit codes of main(). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function help(): string {
  // Usage on its own line and the summary indented under it: usages are too long for columns.
  return [
    'gradscope: see, explain and fix vanishing gradients in feed-forward networks',
    '',
    'Usage:',
    ...COMMANDS.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
    '  gradscope --help',
    '      this text; gradscope COMMAND --help: that command\'s flags, defaults and an example',
    '  gradscope --version',
    '      the version of gradscope',
    '',
    `The main job's flags (e.g. ${mainJobCommand.example}):`,
    ...flagLines(mainJobCommand),
  ].join('\n');
}

/** The command `argv` names (its words first, longest match wins), or a UsageError saying what is closest. */
function findCommand(argv: string[]): { command: Command; rest: string[] } {
  const firstFlag = argv.findIndex((word) => word.startsWith('-'));
  const leading = firstFlag < 0 ? argv : argv.slice(0, firstFlag);
  const matches = COMMANDS.filter((c) => c.words.every((word, i) => leading[i] === word));
  const command = matches.reduce((best, c) => (c.words.length > best.words.length ? c : best));
  // Extra words go to a command that takes them (convert IN OUT), which checks their number.
  if (leading.length === command.words.length || (command.positionals ?? []).length > 0) return { command, rest: argv.slice(command.words.length) };
  // Words that no command takes: a mistyped command, never the main job's 30 s of work.
  const typed = leading.slice(0, Math.max(...COMMANDS.map((c) => c.words.length))).join(' ');
  let guess: string | undefined;
  let distance = Infinity;
  for (const c of COMMANDS.filter((c) => c.words.length)) {
    const name = c.words.join(' ');
    const d = editDistance(typed.slice(0, 64), name);
    if (d < distance && d <= Math.max(1, Math.floor(name.length / 3))) [guess, distance] = [name, d];
  }
  throw new UsageError(`unknown command '${shorten(leading.join(' '))}'${guess ? `; did you mean 'gradscope ${guess}'?` : ' (see gradscope --help)'}`);
}

/** One line, whatever the message holds. */
function oneLine(text: string): string {
  const line = text.replace(/\s*[\r\n]+\s*/g, ' ');
  return line.length > 1000 ? `${line.slice(0, 1000)}…` : line;
}

/**
 * Runs the command line `argv`, writing to `terminal`; returns the exit code (see the module
 * comment). Never exits the process and never throws.
 */
export async function main(argv: string[], terminal: Terminal = processTerminal()): Promise<number> {
  let running: Command | undefined;
  try {
    if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
      // The words before the first flag name the command whose help is asked for (none: the general help).
      const words = (argv[0] === 'help' ? argv.slice(1) : argv).filter((word) => word !== '--help' && word !== '-h');
      const named = words.findIndex((word) => word.startsWith('-')) === 0 || words.length === 0 ? undefined : findCommand(words).command;
      print(terminal, named && named.words.length > 0 ? commandHelp(named) : help());
      return EXIT.ok;
    }
    if (argv.includes('--version')) {
      print(terminal, gradscopeVersion());
      return EXIT.ok;
    }
    const { command, rest } = findCommand(argv);
    running = command;
    await command.run(parseArgs(command, rest), terminal);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      terminal.err(`gradscope: ${oneLine(error.message)}\n`);
      return EXIT.usage;
    }
    // A DIVERGED's advice names the command's flags (--learning-rate), not the API's options (learningRate).
    if (error instanceof GradscopeError) terminal.err(`gradscope: ${error.code}: ${oneLine(error instanceof DivergedError && running ? error.messageFor(adviceTerms(running)) : error.message)}\n`);
    else terminal.err(`gradscope: internal error (a bug; please report it): ${oneLine(String(error))}\n`);
    return EXIT.failed;
  }
}
