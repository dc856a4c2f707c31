/**
 * The command a printed command line starts with: the way the user can run gradscope where they are.
 * The CLI prints commands to run next (train's closing `gradscope study --model …`, the main job's
 * "More: gradscope study depth | …"); in a project or a checkout that installed gradscope locally,
 * `gradscope` is not on the shell's PATH, and the line copied from the output failed with "command
 * not found" where `npx gradscope` runs it.
 *
 * The rule (one, here): `npx gradscope` when npm started this process — `npx gradscope …` and
 * `npm exec` set npm_command, `npm start` and any `npm run` script set npm_lifecycle_event too — or
 * when the script run is a project's own link (`./node_modules/.bin/gradscope …`, process.argv[1]
 * under node_modules/.bin); else `gradscope`, the name a global install puts on PATH. From a
 * project's npm script the command is on PATH only inside the script, not in the shell the user
 * copies the line into, so any npm start says npx.
 */

/** The prefix under a global install (or anything this rule does not recognise as local). */
export const GLOBAL_COMMAND = 'gradscope';
/** The prefix where gradscope is installed in the project, not on PATH. */
export const LOCAL_COMMAND = 'npx gradscope';

/** How the user invoked gradscope (see the module comment): `env` the process's environment, `script` its process.argv[1]. */
export function invokedAs(env: Readonly<Record<string, string | undefined>>, script: string | undefined): string {
  const viaNpm = Boolean(env.npm_command || env.npm_lifecycle_event);
  const localLink = script !== undefined && /(^|[\\/])node_modules[\\/]\.bin[\\/]/.test(script);
  return viaNpm || localLink ? LOCAL_COMMAND : GLOBAL_COMMAND;
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
