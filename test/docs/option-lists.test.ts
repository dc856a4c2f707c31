// The docs' lists of options name every documented field of the types they describe: docs/api.md's
// `train` options paragraph every field of TrainOptions (it left out maxHalvings, 'halve''s limit),
// README's API example's createNetwork call every field of NetworkOptions and BackendOptions. The fields
// are read from the types' sources (each with its TSDoc), so a new option cannot be missing from either.
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/cli.js';
import { DEFAULT_MAX_HALVINGS } from '../../src/training/numeric-faults.js';
import { fencedBlocks } from '../util/markdown-examples.js';

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

  it("docs/api.md's `train` options name every field of TrainOptions", () => {
    const start = API_DOC.indexOf('`train` options:');
    const paragraph = API_DOC.slice(start, API_DOC.indexOf('\n\n', start));
    expect(start).toBeGreaterThan(0);
    const missing = fieldsOf('src/training/train-options.ts', 'TrainOptions').filter((f) => !paragraph.includes(`\`${f.name}\``));
    expect(missing.map((f) => f.name)).toEqual([]);
    // maxHalvings with its default, the one the library applies.
    expect(paragraph).toContain(`\`maxHalvings\` (default ${DEFAULT_MAX_HALVINGS}`);
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
