// The docs' code imports gradscope as a user can: every specifier a fenced block of README.md or
// docs/*.md imports is one package.json exports ('gradscope', 'gradscope/node', …), never a path
// into src/ (ERR_PACKAGE_PATH_NOT_EXPORTED). docs/reliability.md's and docs/api.md's examples run as
// written (tsx, 'gradscope' mapped to this checkout), as README.md's do in test/readme-examples.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fencedBlocks, runBlock, typescriptBlocks } from '../util/markdown-examples.js';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const exported = Object.keys((JSON.parse(read('package.json')) as { exports: Record<string, unknown> }).exports).map((key) => key.replace(/^\./, 'gradscope'));
const DOCS = ['README.md', ...readdirSync(fileURLToPath(new URL('docs/', root))).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** The gradscope specifiers `code` imports (static, dynamic or re-exported). */
function gradscopeImports(code: string): string[] {
  return [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(gradscope(?:\/[^'"]*)?)\1/g)].map((m) => m[2]);
}

const isExported = (specifier: string) => exported.some((key) => (key.endsWith('/*') ? specifier.startsWith(key.slice(0, -1)) : specifier === key));

describe('docs import gradscope by its exported entry points', () => {
  it('finds the specifiers of a block and tells exported ones from paths into the package', () => {
    expect(gradscopeImports("import { a } from 'gradscope/src/io/files.js';\nimport { b } from \"gradscope\";\nawait import('gradscope/node');")).toEqual([
      'gradscope/src/io/files.js',
      'gradscope',
      'gradscope/node',
    ]);
    expect(['gradscope', 'gradscope/node', 'gradscope/wasm/gradscope.wasm', 'gradscope/src/io/files.js'].map(isExported)).toEqual([true, true, true, false]);
  });

  it.each(DOCS)('%s', (path) => {
    const wrong = fencedBlocks(read(path)).flatMap((block) => gradscopeImports(block.code).filter((s) => !isExported(s)).map((s) => `line ${block.line}: '${s}'`));
    expect(wrong, `${path}: imports that package.json does not export (${exported.join(', ')})`).toEqual([]);
  });
});

describe('the classes docs construct are the package\'s', () => {
  /** `new X(` in the docs' code, comments included: X must be a JavaScript global or exported by 'gradscope/node' (which re-exports 'gradscope'). */
  it.each(DOCS)('%s', async (path) => {
    const exports = await import('../../src/node.js');
    const constructed = fencedBlocks(read(path)).flatMap((block) => [...block.code.matchAll(/\bnew ([A-Z]\w*)\s*\(/g)].map((m) => ({ name: m[1], line: block.line })));
    const unknown = constructed.filter(({ name }) => !(name in exports) && !(name in globalThis)).map(({ name, line }) => `the block at line ${line}: new ${name}(`);
    expect(unknown, `${path}: classes that neither 'gradscope' nor 'gradscope/node' exports`).toEqual([]);
  });
});

// docs/api.md's resuming example ran in README until README's API detail moved there.
describe.each(['docs/reliability.md', 'docs/api.md'])('%s examples run', (doc) => {
  const blocks = typescriptBlocks(read(doc));
  it('has examples', () => expect(blocks.length).toBeGreaterThan(0));
  it.each(blocks)('the block at line $line', async (block) => {
    const result = await runBlock(block, 120_000);
    expect(result.code, `${doc} line ${block.line}:\n${result.stderr.trim().split('\n').slice(-15).join('\n')}`).toBe(0);
  }, 120_000);
});
