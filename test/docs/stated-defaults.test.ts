// Public option types are documented with their defaults: every optional field of a type the entry
// points export as …Options, …Spec or …Init says its default ("default …", "Default: none") or
// when it is required instead (NetworkOptions' sizes, or inputs with layers), so a newcomer reading
// the reference never has to find the default in the code. Read with the TypeScript compiler from
// the entry points, as typedoc reads them; test/docs/train-defaults and test/optim/option-docs check
// that stated values are the ones applied.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { flat } from '../util/printed-text.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const program = ts.createProgram([`${root}src/index.ts`, `${root}src/node.ts`], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true });
const checker = program.getTypeChecker();

/** The optional fields of the option types the entry points export, each with its doc as one line. */
function optionalFields(): { field: string; doc: string }[] {
  const fields = new Map<string, string>();
  for (const entry of ['src/index.ts', 'src/node.ts']) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(`${root}${entry}`)!)!;
    for (const exported of checker.getExportsOfModule(module)) {
      if (!/(Options|Spec|Init)$/.test(exported.name)) continue;
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const property of checker.getDeclaredTypeOfSymbol(symbol).getProperties()) {
        if (property.flags & ts.SymbolFlags.Optional) fields.set(`${exported.name}.${property.name}`, flat(ts.displayPartsToString(property.getDocumentationComment(checker))));
      }
    }
  }
  return [...fields].map(([field, doc]) => ({ field, doc }));
}

describe('option types state their defaults', () => {
  const fields = optionalFields();

  it('reads the option types of both entry points', () => {
    expect(fields.length).toBeGreaterThan(150);
    for (const field of ['TrainOptions.epochs', 'NetworkOptions.seed', 'CurvatureOptions.k', 'SaveOptions.format', 'TrainableDepthOptions.onRow']) expect(fields.map((f) => f.field)).toContain(field);
  });

  it('every optional field says its default, or when it is required', () => {
    expect(fields.filter(({ doc }) => !/\bdefault|\brequired\b/i.test(doc)).map(({ field }) => field)).toEqual([]);
  });
});
