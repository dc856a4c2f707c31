/**
 * The command a printed command line starts with: the way the user can run gradscope where they are.
 * The CLI prints commands to run next (train's closing `gradscope study --model …`, the main job's
 * closing `gradscope study depth` and others); in a project or a checkout that installed gradscope locally,
 * `gradscope` is not on the shell's PATH, and the line copied from the output failed with "command
 * not found" where `npx gradscope` runs it.
 *
 * The rule (one, here): `npx gradscope` when npm started this process — `npx gradscope …` and
 * `npm exec` set npm_command, `npm start` and any `npm run` script set npm_lifecycle_event too — or
 * when the script run is a project's own link (`./node_modules/.bin/gradscope …`, process.argv[1]
 * under node_modules/.bin) or the bin file of the working directory's project's installed copy
 * (`<project>/node_modules/gradscope/bin/gradscope.js`, the working directory in `<project>`); else
 * `gradscope` for any other installed copy's bin file: a global install's (Windows' .cmd shim runs
 * `node …\node_modules\gradscope\bin\gradscope.js`, and `gradscope` is on PATH there, where a quoted
 * path means nothing to cmd.exe); else `node SCRIPT` when node ran a checkout's own bin file
 * (`node bin/gradscope.js …`: process.argv[1] is a bin/gradscope.js), SCRIPT that
 * path as the user can type it where they are (relative to the working directory when under it, else
 * absolute; one shell word); else `gradscope`, the name a global install puts on PATH (its link is
 * `gradscope`, not a .js file). From a project's npm script the command is on PATH only inside the
 * script, not in the shell the user copies the line into, so any npm start says npx.
 */

import { isAbsolute, relative } from 'node:path';
import { shellWord } from '../shell-word.js';

/** The prefix under a global install (or anything this rule does not recognise as local). */
export const GLOBAL_COMMAND = 'gradscope';
/** The prefix where gradscope is installed in the project, not on PATH. */
export const LOCAL_COMMAND = 'npx gradscope';

/** The package's own bin file (bin/gradscope.js), as process.argv[1] names it when node runs it directly. */
const OWN_BIN = /(^|[\\/])bin[\\/]gradscope\.js$/;
/** An installed copy's bin file: what precedes it is the project (or global prefix) that installed it. */
const INSTALLED_BIN = /[\\/]node_modules[\\/]gradscope[\\/]bin[\\/]gradscope\.js$/;

/**
 * How the user invoked gradscope (see the module comment): `env` the process's environment, `script`
 * its process.argv[1] (absolute, as node gives it), `cwd` the working directory the user typed in.
 */
export function invokedAs(env: Readonly<Record<string, string | undefined>>, script: string | undefined, cwd: string): string {
  const viaNpm = Boolean(env.npm_command || env.npm_lifecycle_event);
  const localLink = script !== undefined && /(^|[\\/])node_modules[\\/]\.bin[\\/]/.test(script);
  if (viaNpm || localLink) return LOCAL_COMMAND;
  if (script === undefined) return GLOBAL_COMMAND;
  const installed = INSTALLED_BIN.exec(script);
  if (installed) return within(cwd, script.slice(0, installed.index)) ? LOCAL_COMMAND : GLOBAL_COMMAND;
  return OWN_BIN.test(script) ? `node ${shellWord(typedPath(script, cwd))}` : GLOBAL_COMMAND;
}

/** A Windows path: a drive letter (`C:\`) or a network share (`\\server`). */
const WINDOWS_PATH = /^([A-Za-z]:|\\\\)/;

/**
 * Whether `folder` is `root` or under it, either separator (a Windows path on any platform). Windows'
 * file systems ignore case, and so does the comparison of a Windows path: a working directory typed
 * `c:\p\src` is in the project `C:\P` (compared as written, it printed `gradscope` where only
 * `npx gradscope` runs).
 */
function within(folder: string, root: string): boolean {
  const caseless = WINDOWS_PATH.test(root);
  const [f, r] = [folder, root].map((path) => {
    const slashed = path.replace(/\\/g, '/').replace(/\/$/, '');
    return caseless ? slashed.toLowerCase() : slashed;
  });
  return f === r || f.startsWith(`${r}/`);
}

/** `file` as the user can type it in `cwd`: relative when under it, else absolute. */
function typedPath(file: string, cwd: string): string {
  const relativePath = relative(cwd, file);
  return relativePath !== '' && !relativePath.startsWith('..') && !isAbsolute(relativePath) ? relativePath : file;
}

/**
 * A gradscope command line the user may run, or a command's name, `words` after the prefix they invoked
 * us by (Terminal.invokedAs; `gradscope` where none is given); no words: the prefix alone (the main job).
 * Every command line the CLI prints is built here (test/cli/printed-commands greps src/ for others).
 */
export function gradscopeLine(invoked: string | undefined, words: string): string {
  const prefix = invoked ?? GLOBAL_COMMAND;
  return words === '' ? prefix : `${prefix} ${words}`;
}
