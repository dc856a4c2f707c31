// The docs' lists of options name every documented field of the types they describe: docs/api.md's
// `train` options table every field of TrainOptions and no other, each with a default (the
// paragraph before it left out maxHalvings, 'halve''s limit), README's API example's createNetwork
// call every field of NetworkOptions and BackendOptions. The fields are read from the types' sources
// (each with its TSDoc), so a new option cannot be missing from either.
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/cli.js';
import { DEFAULT_MAX_HALVINGS } from '../../src/training/numeric-faults.js';
import { fencedBlocks } from '../util/markdown-examples.js';
import { tableUnder } from '../util/markdown-tables.js';

const ROOT = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');
const README = read('README.md');
const API_DOC = read('docs/api.md');

/** The fields of interface `name` in the source file `path`, each with whether it has a TSDoc comment. */
function fieldsOf(path: string, name: string): { name: string; documented: boolean }[] {
  const source = ts.createSourceFile(path, read(path), ts.ScriptTarget.Latest, true);
  const declaration = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  if (declaration === undefined) throw new Error(`${path} declares no interface ${name}`);
  return declaration.members.filter(ts.isPropertySignature).map((member) => ({
    name: member.name.getText(source),
    documented: ts.getJSDocCommentsAndTags(member).length > 0,
  }));
}

describe("the docs' option lists", () => {
  it('reads the types it checks against, every field documented', () => {
    const fields = [...fieldsOf('src/training/train-options.ts', 'TrainOptions'), ...fieldsOf('src/network/config.ts', 'NetworkOptions'), ...fieldsOf('src/backend.ts', 'BackendOptions')];
    expect(fields.length).toBeGreaterThan(25);
    expect(fields.filter((f) => !f.documented).map((f) => f.name)).toEqual([]);
  });

  it("docs/api.md's `train` options table has a row for every field of TrainOptions, each with its default", () => {
    const rows = tableUnder(API_DOC, '## `train` options');
    const named = rows.map((cells) => cells[0]);
    expect([...named].sort()).toEqual(fieldsOf('src/training/train-options.ts', 'TrainOptions').map((f) => `\`${f.name}\``).sort());
    expect(rows.filter((cells) => cells.length !== 3 || cells[1] === '').map((cells) => cells[0])).toEqual([]);
    // maxHalvings with its default, the one the library applies.
    expect(rows.find((cells) => cells[0] === '`maxHalvings`')![1]).toBe(`\`${DEFAULT_MAX_HALVINGS}\``);
  });

  it("README's API example's createNetwork call names every field of NetworkOptions and BackendOptions", () => {
    const api = README.slice(README.indexOf('\n## API\n'));
    const example = fencedBlocks(api)[0].code;
    const call = example.slice(example.indexOf('createNetwork({'), example.indexOf('});'));
    const fields = [...fieldsOf('src/network/config.ts', 'NetworkOptions'), ...fieldsOf('src/backend.ts', 'BackendOptions')];
    expect(fields.filter((f) => !new RegExp(`\\b${f.name}:`).test(call)).map((f) => f.name)).toEqual([]);
  });
});

describe('--help of the flags of train()', () => {
  it("--on-non-finite says how often 'halve' halves before it stops, train()'s maxHalvings default", async () => {
    for (const words of [['train'], ['study']]) {
      const flag = COMMANDS.find((c) => c.words.join(' ') === words.join(' '))!.flags.find((f) => f.name === 'on-non-finite')!;
      expect(flag.about).toContain(`at most ${DEFAULT_MAX_HALVINGS} times (train's maxHalvings), then DIVERGED`);
    }
  });
});
