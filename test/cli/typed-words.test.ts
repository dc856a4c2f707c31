// A word the user typed (a flag's value, a command, a flag, a word after the command) is quoted in
// the refusal that names it, `got '…'`: a word holding an escape, a line break, a C1 CSI or a bidi
// override was printed raw, so the refusal cleared the screen, split over lines or reordered itself.
// Such a word is printed as its $'…' shell word (src/shell-word.ts' quotedWord): no raw control
// character reaches stderr, and bash reads the word back as typed. Checked in process (src/) and
// through the installed command (bin/gradscope.js → dist/).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bashWords } from '../util/bash-words.js';
import { runCliInProcess, userShellEnv } from '../util/cli.js';
import { RAW_UNSAFE, UNSAFE_WORDS } from '../util/unsafe-words.js';

/** Command lines refusing `word`, with what the refusal says just before the quoted word. */
const REFUSALS: [string, (word: string) => string[], string][] = [
  ['a numeric flag', (word) => ['train', '--epochs', word], '--epochs needs a whole number in decimal digits, got '],
  ['a list flag of numbers', (word) => ['train', '--layers', word], '--layers needs whole numbers ≥ 1 separated by commas, got '],
  ['a choice flag', (word) => ['train', '--optimizer', word], 'kfac, got '],
  ['an --init form', (word) => ['train', '--init', word], 'decimal numbers), got '],
  ['a list flag of names', (word) => ['study', 'remedies', '--optimizers', word], '--optimizers: unknown '],
  ['an unknown command', (word) => [word], 'unknown command '],
  ['a word after --version', (word) => ['--version', word], '--version takes no other words, got '],
  ['a word a command does not take', (word) => ['gradients', word], 'takes no words besides its flags, got '],
  ['an unknown flag', (word) => ['train', `--x${word}`], 'unknown flag '],
];

/** A quoted word at the start of a text: $'…' (its escaped quotes inside), '…', or a bare word. */
const LEADING_WORD = /^(\$'(?:[^'\\]|\\.)*'|'[^']*'|\S+)/;

/** The word in `stderr` just after `before`, as bash reads it. */
function wordAfter(stderr: string, before: string): string {
  const start = stderr.indexOf(before);
  expect(start, stderr).toBeGreaterThanOrEqual(0);
  const word = LEADING_WORD.exec(stderr.slice(start + before.length));
  expect(word, stderr).not.toBeNull();
  const words = bashWords(word![1]);
  expect(words, word![1]).toHaveLength(1);
  return words[0];
}

/** `stderr` is one line, its newline last, holding no raw control character. */
function expectOneSafeLine(stderr: string): void {
  expect(stderr.endsWith('\n'), JSON.stringify(stderr)).toBe(true);
  expect(stderr.slice(0, -1), JSON.stringify(stderr)).not.toMatch(RAW_UNSAFE);
}

describe('a word the user typed, in a refusal', () => {
  it.each(REFUSALS)('%s: printed with no raw control character, and bash reads the word back', async (_, argv, before) => {
    for (const word of UNSAFE_WORDS) {
      const typed = argv(word);
      const run = await runCliInProcess(typed);
      expect(run.code, run.stderr).toBe(2);
      expectOneSafeLine(run.stderr);
      const expected = typed.includes(word) ? word : `--x${word}`;
      expect(wordAfter(run.stderr, before), run.stderr).toBe(expected);
    }
  });

  it('a plain word is quoted as before', async () => {
    const run = await runCliInProcess(['train', '--epochs', 'ten']);
    expect(run.stderr).toBe("gradscope: --epochs needs a whole number in decimal digits, got 'ten'\n");
  });

  it('through the installed command (bin/gradscope.js → dist/): the same bytes', () => {
    const bin = fileURLToPath(new URL('../../bin/gradscope.js', import.meta.url));
    for (const word of UNSAFE_WORDS) {
      const built = spawnSync(process.execPath, [bin, 'train', '--epochs', word], { encoding: 'utf8', timeout: 60_000, env: userShellEnv() });
      expect(built.status, built.stderr).toBe(2);
      expectOneSafeLine(built.stderr);
      expect(wordAfter(built.stderr, 'got ')).toBe(word);
    }
  }, 60_000);
});
