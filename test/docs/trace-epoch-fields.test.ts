// docs/gradient-flow.md lists what each of trace.epochs holds ("per epoch: { epoch, step, … }"):
// the fields of TraceEpoch (src/flow/trace.ts), read from the interface itself, each optional one
// marked '?' as the type marks it. TraceEpoch.batches (177a826) was added without the list.
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** TraceEpoch's fields as the docs would write them: `name` or `name?`, in the interface's order. */
function traceEpochFields(): string[] {
  const source = ts.createSourceFile('trace.ts', read('src/flow/trace.ts'), ts.ScriptTarget.Latest);
  const declaration = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'TraceEpoch');
  if (!declaration) throw new Error('src/flow/trace.ts declares no interface TraceEpoch');
  return declaration.members.filter(ts.isPropertySignature).map((m) => `${m.name.getText(source)}${m.questionToken ? '?' : ''}`);
}

/** The docs' list, each field without its words in brackets ('loss (mean batch loss)' is 'loss'). */
function documentedFields(): string[] {
  const line = read('docs/gradient-flow.md')
    .split('\n')
    .find((l) => l.startsWith('trace.epochs;'));
  const list = line && /per epoch: \{ (.*) \}/.exec(line);
  if (!list) throw new Error("docs/gradient-flow.md has no 'trace.epochs; // per epoch: { … }' line");
  return list[1].split(', ').map((field) => field.replace(/ \(.*\)$/, ''));
}

describe("docs/gradient-flow.md's trace.epochs", () => {
  it('lists every field of TraceEpoch, optional ones marked, in its order', () => {
    expect(documentedFields()).toEqual(traceEpochFields());
  });
});
