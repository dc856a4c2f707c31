// Every gradscope command in a shell block of README.md and docs/ runs as pasted: it starts `npx gradscope`, the way
// the docs say to run it in a checkout and in a project that installed the tarball (neither puts `gradscope` on the
// shell's PATH), and its words parse with that command's flag table. README's, docs/cli.md's and docs/interop.md's
// examples read `gradscope train …` and `gradscope convert …`: pasted, they failed with "gradscope: command not
// found", where every example the command line prints itself reads `npx gradscope …` (test/cli/printed-commands).
// Synopses (```text or unmarked blocks, `[--flag …]`) are test/docs/usage-lines'.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/cli.js';
import { parseArgs } from '../../src/cli/command.js';
import { fencedBlocks } from '../util/markdown-examples.js';

const root = new URL('../../', import.meta.url);
const DOCS = ['README.md', ...readdirSync(fileURLToPath(new URL('docs/', root))).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
const SHELLS = new Set(['sh', 'bash', 'shell', 'console']);
const RUNNABLE = 'npx gradscope ';

interface ShellCommand {
  where: string;
  line: string;
}

/** The lines of `markdown`'s shell blocks that run gradscope (by any prefix: `gradscope`, `npx gradscope`, `node bin/gradscope.js`), their comments cut off. */
function gradscopeCommands(markdown: string, doc: string): ShellCommand[] {
  return fencedBlocks(markdown)
    .filter((block) => SHELLS.has(block.language))
    .flatMap((block) => block.code.split('\n').map((text, i) => ({ where: `${doc}:${block.line + 1 + i}`, line: text.replace(/\s+#.*$/, '').trim() })))
    .filter((command) => /^(?:npx\s+|node\s+\S*)?gradscope(?:\.js)?(?:\s|$)/.test(command.line));
}

/** The command `words` (after the prefix) name, and the words after its own: the longest command words they start with. */
function commandOf(words: string[]) {
  const matching = COMMANDS.filter((c) => c.words.every((word, i) => words[i] === word));
  const found = matching.sort((a, b) => b.words.length - a.words.length)[0];
  return { command: found, rest: words.slice(found.words.length) };
}

const commands = DOCS.flatMap((doc) => gradscopeCommands(readFileSync(new URL(doc, root), 'utf8'), doc));

describe('gradscope commands in the docs\' shell blocks', () => {
  it('finds a command under each prefix, and none outside a shell block', () => {
    const markdown = ['```sh', 'gradscope train --epochs 1   # a comment', 'npx gradscope --help', 'node bin/gradscope.js study depth', 'npm start', '```', '```text', 'gradscope train', '```'].join('\n');
    expect(gradscopeCommands(markdown, 'x.md')).toEqual([
      { where: 'x.md:2', line: 'gradscope train --epochs 1' },
      { where: 'x.md:3', line: 'npx gradscope --help' },
      { where: 'x.md:4', line: 'node bin/gradscope.js study depth' },
    ]);
  });

  it('finds the examples of README, docs/cli.md, docs/interop.md and docs/remedies.md', () => {
    expect(new Set(commands.map((c) => c.where.split(':')[0]))).toEqual(new Set(['README.md', 'docs/cli.md', 'docs/interop.md', 'docs/remedies.md']));
  });

  it.each(commands.map((c) => [c.where, c] as const))('%s starts `npx gradscope` and parses', (_where, { line }) => {
    expect(line.startsWith(RUNNABLE), line).toBe(true);
    const { command, rest } = commandOf(line.slice(RUNNABLE.length).split(/\s+/));
    expect(() => parseArgs(command, rest)).not.toThrow();
  });
});
