// Every option src/io takes says its default where it is declared (CONTRIBUTING: public types
// documented with their defaults): each optional member of an exported *Options interface has a TSDoc
// comment with "Default", and no exported function takes its options as an inline object type, which
// would hold members no such comment reaches. Read with the TypeScript compiler from the sources.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const IO = resolve(import.meta.dirname, '../../src/io');
const files = readdirSync(IO).filter((name) => name.endsWith('.ts'));

const exported = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
const docOf = (node: ts.Node, source: ts.SourceFile) => ts.getJSDocCommentsAndTags(node).map((doc) => doc.getText(source)).join('\n');

/** Every exported *Options interface of src/io: its optional members and their TSDoc; and every exported function's parameters typed inline. */
function survey() {
  const members: { where: string; doc: string }[] = [];
  const inline: string[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(join(IO, file), 'utf8'), ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      if (!exported(statement)) continue;
      if (ts.isInterfaceDeclaration(statement) && statement.name.text.endsWith('Options')) {
        for (const member of statement.members) {
          if (ts.isPropertySignature(member) && member.questionToken) members.push({ where: `${file}: ${statement.name.text}.${member.name.getText(source)}`, doc: docOf(member, source) });
        }
      }
      if (ts.isFunctionDeclaration(statement)) {
        for (const parameter of statement.parameters) {
          const type = parameter.type;
          const literal = (t: ts.TypeNode | undefined): boolean => !!t && (ts.isTypeLiteralNode(t) || (ts.isIntersectionTypeNode(t) && t.types.some(literal)));
          if (parameter.name.getText(source) === 'options' && literal(type)) inline.push(`${file}: ${statement.name?.text}(options: ${type!.getText(source)})`);
        }
      }
    }
  }
  return { members, inline };
}

describe('src/io options say their defaults', () => {
  const { members, inline } = survey();

  it('finds the options it checks (the survey itself works)', () => {
    expect(members.map((m) => m.where)).toEqual(expect.arrayContaining(['safetensors.ts: SafetensorsImportOptions.activation', 'model-formats.ts: ImportOptions.loss', 'files.ts: SaveOptions.format']));
  });

  it('documents every optional member of an exported *Options interface with its default', () => {
    expect(members.filter((m) => !/\bDefault\b/.test(m.doc)).map((m) => m.where)).toEqual([]);
  });

  it('takes no options as an inline object type, which no default could be documented on', () => {
    expect(inline).toEqual([]);
  });
});
