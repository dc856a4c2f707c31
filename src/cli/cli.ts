/** The gradscope command line: `gradscope <command> [--flags]`; no command runs the main job. */
import { GradscopeError } from '../errors.js';
import { parseArgs, UsageError, type Command } from './command.js';
import { gradientsCommand } from './commands/gradients.js';
import { mainJobCommand } from './commands/main-job.js';
import { studyDepthCommand } from './commands/study-depth.js';
import { studyActivationsCommand } from './commands/study-activations.js';
import { studyModelCommand } from './commands/study-model.js';
import { convertCommand } from './commands/convert.js';
import { studyAutoencoderCommand } from './commands/study-autoencoder.js';
import { studyRemediesCommand } from './commands/study-remedies.js';
import { curvatureCommand } from './commands/curvature.js';
import { studyPlateauCommand } from './commands/study-plateau.js';

export const COMMANDS: Command[] = [mainJobCommand, gradientsCommand, curvatureCommand, convertCommand, studyAutoencoderCommand, studyRemediesCommand, studyPlateauCommand, studyDepthCommand, studyActivationsCommand, studyModelCommand];

function help(): string {
  // Usage on its own line and the summary indented under it: usages are too long for columns.
  return [
    'gradscope: see, explain and fix vanishing gradients in feed-forward networks',
    '',
    'Usage:',
    ...COMMANDS.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
    '  gradscope --help',
    '      this text',
  ].join('\n');
}

/** The command whose words start argv, longest match first. */
function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  const sorted = [...COMMANDS].sort((a, b) => b.words.length - a.words.length);
  for (const command of sorted) {
    if (command.words.every((word, i) => argv[i] === word)) return { command, rest: argv.slice(command.words.length) };
  }
  return undefined;
}

/** Runs the command line `argv`; returns the exit code (errors the user can fix print one line and give 1). */
export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
    process.stdout.write(help() + '\n');
    return 0;
  }
  const found = argv.length === 0 || argv[0].startsWith('--') ? { command: mainJobCommand, rest: argv } : findCommand(argv);
  try {
    if (!found) throw new UsageError(`unknown command '${argv.join(' ')}' (see gradscope --help)`);
    await found.command.run(parseArgs(found.rest));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) process.stderr.write(`gradscope: ${error.message}\nusage: ${found?.command.usage ?? 'gradscope --help'}\n`);
    else if (error instanceof GradscopeError) process.stderr.write(`gradscope: ${error.code}: ${error.message}\n`);
    else throw error;
    return 1;
  }
}
