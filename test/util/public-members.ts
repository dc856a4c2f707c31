/**
 * The public instance members of a class as its TypeScript declaration gives them (inherited ones
 * included; private, protected and #private ones left out), read with the compiler from the sources:
 * a test that walks them covers a member added later without a line of its own, where a hand list
 * would drift.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const SRC = resolve(import.meta.dirname, '../../src');

/** A public member: its name (a symbol-keyed one as `[NAME]`, NAME the constant holding the symbol) and how it is used. */
export interface PublicMember {
  name: string;
  /** 'method' is called, 'getter' and 'property' read, 'setter' assigned; a member with a getter and a setter has both kinds. */
  kinds: ('method' | 'getter' | 'setter' | 'property')[];
}

/** Every .ts file under src/, so that a class no entry point exports (Kfac) is found too. */
function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(folder, entry.name)) : entry.name.endsWith('.ts') ? [join(folder, entry.name)] : [],
  );
}

/** The public members of every class declared in src/, by class name (names are unique there: a duplicate throws). */
export function publicMembersOfClasses(): Map<string, PublicMember[]> {
  const program = ts.createProgram(sourceFiles(SRC), { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const classes = new Map<string, PublicMember[]>();
  for (const source of program.getSourceFiles()) {
    if (!source.fileName.startsWith(SRC)) continue;
    ts.forEachChild(source, (node) => {
      if (!ts.isClassDeclaration(node) || node.name === undefined) return;
      const name = node.name.text;
      if (classes.has(name)) throw new Error(`two classes named ${name} in src/: publicMembersOfClasses tells classes apart by name`);
      const type = checker.getDeclaredTypeOfSymbol(checker.getSymbolAtLocation(node.name)!);
      classes.set(name, checker.getPropertiesOfType(type).flatMap((p) => memberOf(p)));
    });
  }
  return classes;
}

function memberOf(p: ts.Symbol): PublicMember[] {
  const declarations = p.declarations ?? [];
  if (declarations.some((d) => ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected))) return [];
  // An ES #private member is named '__#…' by the checker, or its declaration's name is a PrivateIdentifier.
  if (p.name.startsWith('__#') || declarations.some((d) => (d as ts.NamedDeclaration).name !== undefined && ts.isPrivateIdentifier((d as ts.NamedDeclaration).name!))) return [];
  const kinds = new Set<PublicMember['kinds'][number]>();
  for (const d of declarations) {
    if (ts.isMethodDeclaration(d) || ts.isMethodSignature(d)) kinds.add('method');
    else if (ts.isGetAccessorDeclaration(d)) kinds.add('getter');
    else if (ts.isSetAccessorDeclaration(d)) kinds.add('setter');
    else kinds.add('property'); // a field, or a constructor parameter property
  }
  // A symbol-keyed member ('__@MODEL@20'): named by the constant that holds the symbol.
  const name = p.name.startsWith('__@') ? `[${p.name.slice(3, p.name.lastIndexOf('@'))}]` : p.name;
  return [{ name, kinds: [...kinds] }];
}
