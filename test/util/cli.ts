/** Runs the CLI as a user would (a child process) or in-process through main() (fast), and collects its output. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/cli.js';

/** The checkout: the CLI's process runs here. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/**
 * The CLI's own process: node with tsx as its loader (tsx's docs: `node --import tsx` from Node 20.6), `tsx` found
 * from ROOT, the child's working directory. Not the tsx command: a wrapper that starts a second node, relays SIGTERM
 * (spawnSync's timeout) to it but not SIGKILL, after which the CLI ran on as an orphan (checked, 2026-12-05).
 */
export const CLI = [process.execPath, '--import', 'tsx', 'src/cli/main.ts'];

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a user's shell that runs `gradscope` itself: this process's, without COLUMNS (tables
 * print whole, as into any file: Terminal.columns) and without the variables npm sets for the tests'
 * runner (`npx vitest`, `npm test`), which would make the CLI print `npx gradscope …` (invocation.ts).
 */
export function userShellEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['COLUMNS', 'npm_command', 'npm_lifecycle_event']) delete env[name];
  return env;
}

export function runCli(args: string[], stdinFile?: string): CliRun {
  const env = userShellEnv();
  // Given `stdinFile`, the child's stdin is a pipe that cat feeds it through, as in `cat file | gradscope …` (spawnSync's
  // own `input` is a socket). bash execs the CLI with its stdin on that pipe, so the child, and the timeout's kill, is
  // the CLI itself; `cat file | CLI` left sh as the child, and a kill of sh left the CLI running.
  const command = stdinFile === undefined ? [...CLI, ...args] : ['bash', '-c', 'exec "$@" < <(cat "$0")', stdinFile, ...CLI, ...args];
  const result = spawnSync(command[0], command.slice(1), { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** main(args) in this process, its output captured (stderr is not a terminal, as in a child process); `columns`: the terminal's width (Terminal.columns), none by default; `invokedAs`: Terminal.invokedAs. */
export async function runCliInProcess(args: string[], columns?: number, invokedAs?: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (text) => void (stdout += text), err: (text) => void (stderr += text), live: false, columns, invokedAs });
  return { code, stdout, stderr };
}
