/** How bash reads a printed line: the check that a word gradscope prints names the path it was. */
import { execFileSync } from 'node:child_process';

/**
 * The words bash reads in `line`, as `printf '%s\0'` prints them (a NUL after each: a word may hold a line break),
 * in a UTF-8 locale, a user's terminal's: there $'\u009b' is the character, in the C locale bash leaves it as text.
 */
export function bashWords(line: string): string[] {
  return execFileSync('bash', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } }).split('\0').slice(0, -1);
}
