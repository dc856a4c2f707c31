// A command's synopsis quoted in the docs (a line `gradscope WORDS [--flag …] …` in a fenced block, its
// continuation lines included) names exactly the flags of that command's usage, as --help prints it:
// docs/gradient-flow.md's `study --model` line had lost --no-shuffle, --clip-norm and --on-non-finite, so a
// reader of that page did not learn the command takes them. Quoted example commands (```sh blocks, a value per
// flag) are not synopses: only lines with a bracketed flag are read.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/cli.js';
import { fencedBlocks } from '../util/markdown-examples.js';

const root = new URL('../../', import.meta.url);
const DOCS = ['README.md', ...readdirSync(fileURLToPath(new URL('docs/', root))).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

interface Synopsis {
  line: number;
  words: string;
  flags: string[];
}

/** The synopses of a markdown text: each line of a fenced block that starts `gradscope WORDS` and has a `[--flag`, joined with the `[--…` lines under it. */
function synopses(markdown: string): Synopsis[] {
  const found: Synopsis[] = [];
  for (const block of fencedBlocks(markdown)) {
    const lines = block.code.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const head = /^\s*gradscope((?: [a-z][a-z-]*)*)( .*)$/.exec(lines[i]);
      if (!head || !head[2].includes('[--')) continue;
      const first = i;
      let rest = head[2];
      while (i + 1 < lines.length && /^\s+\[--/.test(lines[i + 1])) rest += ` ${lines[++i].trim()}`;
      const flags = [...rest.replace(/#.*$/, '').matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((m) => m[1]);
      found.push({ line: block.line + 1 + first, words: head[1].trim(), flags });
    }
  }
  return found;
}

describe('synopses', () => {
  it('reads a synopsis with its continuation lines, and leaves out commands without a bracketed flag', () => {
    const text = '```\ngradscope study --model M [--data D.json | --train 9000]\n                [--every 1] # a comment --not-a-flag\ngradscope study depth --seeds 5\n```\n';
    expect(synopses(text)).toEqual([{ line: 2, words: 'study', flags: ['model', 'data', 'train', 'every'] }]);
  });
});

const FOUND = DOCS.flatMap((doc) => synopses(readFileSync(new URL(doc, root), 'utf8')).map((s) => ({ doc, ...s })));

describe('the docs\' synopses', () => {
  it('are found: README.md quotes gradscope --help, docs/gradient-flow.md three commands', () => {
    expect(FOUND.filter((s) => s.doc === 'README.md').length).toBe(COMMANDS.length);
    expect(FOUND.filter((s) => s.doc === 'docs/gradient-flow.md').map((s) => s.words)).toEqual(['study depth', 'study activations', 'study']);
  });

  it.each(FOUND)("$doc line $line (gradscope $words) names its command's flags", ({ words, flags }) => {
    const command = COMMANDS.find((c) => c.words.join(' ') === words);
    expect(command, `no command 'gradscope ${words}'`).toBeDefined();
    expect(flags.sort()).toEqual(command!.flags.map((f) => f.name).sort());
  });
});
