// package.json's "sideEffects" tells a page's bundler which of the package's modules do something when loaded, so that one
// whose exports a page does not use is left out whole (Vite, webpack, esbuild, rolldown): its top-level constants' work
// (a RegExp built, Object.keys of a table, a text written) goes with it. A module that does something on load and is not
// listed would be dropped from a page that imports it only for that; a module listed that does nothing is kept for
// nothing. Here every module of src/ (dist/ is compiled from it, file for file) is read for what it runs when loaded, and
// the list must name exactly those that do something then.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = 'src';

/**
 * The method names whose call changes the object it is called on (or registers with it), and those of Object's and
 * Reflect's that change their first argument: a module calling one on load on a value it holds by name acts.
 */
const MUTATING = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'set', 'add', 'delete', 'clear', 'sort', 'reverse', 'fill', 'copyWithin', 'on', 'once', 'addEventListener', 'addListener', 'register', 'use']);
const MUTATING_STATIC = new Set(['assign', 'defineProperty', 'defineProperties', 'setPrototypeOf', 'freeze', 'seal', 'preventExtensions', 'set', 'deleteProperty']);

/** Whether `node` names a value held beyond the expression (a variable, a property of one), not one it makes anew (a literal, a call's result). */
function named(node: ts.Expression): boolean {
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node)) node = node.expression;
  return ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || node.kind === ts.SyntaxKind.ThisKeyword;
}

/** The value a call changes, when it is one that changes a value: a MUTATING method's object, or an Object or Reflect function's first argument. */
function changedBy(call: ts.CallExpression): ts.Expression | undefined {
  if (!ts.isPropertyAccessExpression(call.expression)) return undefined;
  const { expression: object, name } = call.expression;
  if (ts.isIdentifier(object) && (object.text === 'Object' || object.text === 'Reflect')) return MUTATING_STATIC.has(name.text) ? call.arguments[0] : undefined;
  return MUTATING.has(name.text) ? object : undefined;
}

/**
 * What `source` (a module's text) does when it is loaded, a line each, or none: a statement that is not a declaration (a
 * call, an assignment, a loop), a bare import (it loads a module for what that does), a class's static block, and, in
 * what its declarations evaluate at load (variable initialisers, static fields, computed keys; not function bodies), an
 * assignment, an increment, a delete or a call that changes a value held by name (changedBy: `REGISTRY.set(…)`, not
 * `LIST.slice(1).reverse()` nor `Object.freeze({})`, which change what they have just made). A call of a function of its
 * own or another module's is taken to compute, not to act: the modules those functions live in are read the same way.
 */
function loadEffects(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const effects: string[] = [];
  const say = (node: ts.Node, what: string): void => {
    effects.push(`${what}: ${node.getText(sf).replace(/\s+/g, ' ').slice(0, 80)}`);
  };
  const visit = (node: ts.Node): void => {
    // Run later, not on load.
    if (ts.isFunctionLike(node) && !ts.isClassStaticBlockDeclaration(node)) return;
    if (ts.isPropertyDeclaration(node) && !node.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) return;
    if (ts.isClassStaticBlockDeclaration(node)) return say(node, 'a static block');
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) say(node, 'an assignment');
    if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) say(node, 'an increment');
    if (ts.isDeleteExpression(node)) say(node, 'a delete');
    if (ts.isCallExpression(node)) {
      const changed = changedBy(node);
      if (changed && named(changed)) say(node, 'a call that changes a value held');
    }
    ts.forEachChild(node, visit);
  };
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement)) {
      if (!statement.importClause) say(statement, 'a bare import');
    } else if (ts.isExportDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isModuleDeclaration(statement) || ts.isFunctionDeclaration(statement) || ts.isEnumDeclaration(statement)) {
      // Declares; an enum's object is built from constants.
    } else if (ts.isVariableStatement(statement) || ts.isClassDeclaration(statement) || ts.isExportAssignment(statement)) {
      visit(statement);
    } else {
      say(statement, 'a statement');
    }
  }
  return effects;
}

/** Every .ts module of src/, relative to the root. */
function sourceModules(folder = SRC): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceModules(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The modules of src/ that do something on load, each as package.json names a file ('./src/…ts'), sorted. */
function actingModules(): string[] {
  return sourceModules()
    .filter((file) => loadEffects(file, readFileSync(file, 'utf8')).length > 0)
    .map((file) => `./${relative('.', file)}`)
    .sort();
}

describe('package.json "sideEffects"', () => {
  it('the reading finds what a module does on load, and takes declarations and what they compute for nothing', () => {
    const acting = `import './polyfill.js';
      process.on('exit', () => {});
      export const REGISTRY = new Map();
      const added = REGISTRY.set('a', 1);
      const frozen = Object.freeze(REGISTRY);
      export let count = 0;
      const counted = count++;
      class Plugin { static { globalThis.plugin = 1; } }`;
    expect(loadEffects('acting.ts', acting).map((line) => line.split(':')[0])).toEqual(['a bare import', 'a statement', 'a call that changes a value held', 'a call that changes a value held', 'an increment', 'a static block']);
    const computing = `import { x } from './x.js';
      import type { T } from './t.js';
      export const WORDS = Object.keys({ a: 1 }).map((k) => k.toUpperCase());
      const PATTERN = new RegExp('[a-z]', 'g');
      const BACKWARDS = WORDS.slice(1).reverse();
      const FROZEN = Object.freeze({ a: 1 });
      export function f(list: number[]) { list.push(1); list.sort(); return (globalThis.y = list.length); }
      export class C { field = [].push(1); static readonly NAME = 'c'; set value(v: number) { this.field = v; } }
      export const { a, b } = ((s: string) => ({ a: s, b: s }))('x');
      export type U = T;
      export { x };`;
    expect(loadEffects('computing.ts', computing)).toEqual([]);
  });

  it('names exactly the modules that do something on load, in src/ and as compiled in dist/ (but the page script, which dist/ leaves out)', () => {
    const { sideEffects } = JSON.parse(readFileSync('package.json', 'utf8')) as { sideEffects: string[] };
    const acting = actingModules();
    // The report's page script runs on load, as it must; the build bundles it, and tsconfig.build.json leaves it out of dist/.
    expect(acting).toContain('./src/flow/report-page.ts');
    const compiled = acting.filter((file) => file !== './src/flow/report-page.ts').map((file) => file.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '.js'));
    expect([...sideEffects].sort()).toEqual([...acting, ...compiled].sort());
  });
});
