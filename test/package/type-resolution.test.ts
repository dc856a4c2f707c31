// TypeScript finds the package's declarations under every module resolution a Node project uses:
// node16/nodenext and bundler read package.json's `exports`, while node10 (the default of
// `"module": "commonjs"`, the tsconfig of many Node services, which can require() this ES module
// on Node ≥ 20.19) ignores `exports` and needs `types` and `typesVersions`. Without them such a
// project's `import … from 'gradscope/node'` failed with TS2307 though it ran.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve('.');
const project = mkdtempSync(join(tmpdir(), 'gradscope-types-'));
mkdirSync(join(project, 'node_modules'));
symlinkSync(ROOT, join(project, 'node_modules', 'gradscope'), 'dir');
const consumer = join(project, 'service.ts');
writeFileSync(consumer, '');
afterAll(() => rmSync(project, { recursive: true, force: true }));

const RESOLUTIONS: [string, ts.CompilerOptions][] = [
  ['node10 (module commonjs)', { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 }],
  ['node16', { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 }],
  ['nodenext', { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext }],
  ['bundler', { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }],
];

describe.each(RESOLUTIONS)('moduleResolution %s', (_, options) => {
  it.each([
    ['gradscope', 'dist/index.d.ts'],
    ['gradscope/node', 'dist/node.d.ts'],
  ])('%s resolves to %s', (specifier, declarations) => {
    const resolved = ts.resolveModuleName(specifier, consumer, options, ts.sys).resolvedModule;
    expect(resolved?.resolvedFileName && ts.sys.realpath!(resolved.resolvedFileName)).toBe(join(ROOT, declarations));
  });
});

// A `.ts` file of a CommonJS project (no `"type": "module"`, as `npm init` makes) compiles its imports to
// require(): TypeScript's node16 and node18 refuse that of an ES module (TS1479: those Node versions could
// not), while node20 and nodenext, like commonjs, take it (docs/api.md, Entry points).
describe('a CommonJS project importing the package', () => {
  const service = join(project, 'cjs-service.ts');
  writeFileSync(service, "import { createNetwork } from 'gradscope';\nimport { saveModel } from 'gradscope/node';\nexport const made = [createNetwork, saveModel];\n");
  const codes = (options: ts.CompilerOptions) =>
    ts.getPreEmitDiagnostics(ts.createProgram([service], { ...options, strict: true, noEmit: true, skipLibCheck: true, types: [] })).map((d) => d.code);

  it.each([
    ['node16', ts.ModuleKind.Node16, [1479, 1479]],
    ['node18', ts.ModuleKind.Node18, [1479, 1479]],
    ['node20', ts.ModuleKind.Node20, []],
    ['nodenext', ts.ModuleKind.NodeNext, []],
    ['commonjs', ts.ModuleKind.CommonJS, []],
  ])('module %s', (_, module, expected) => {
    expect(codes({ module, ...(module === ts.ModuleKind.CommonJS && { moduleResolution: ts.ModuleResolutionKind.Node10 }) })).toEqual(expected);
  });

  it('docs/api.md names the TypeScript these cases ran on', () => {
    expect(readFileSync('docs/api.md', 'utf8')).toContain(`There TypeScript ${ts.versionMajorMinor}'s\n\`"module": "node20"\``);
  });
});
