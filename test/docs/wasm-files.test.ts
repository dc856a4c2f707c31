// docs/browser.md tells an engineer serving the core elsewhere (setWasmLocation) which .wasm files to
// copy and where the package holds them: the list must be every file the loader can fetch (the
// threads' shared core was missing from it), each must be built into build/ and shipped by
// package.json's "files", and the name it gives, 'gradscope/wasm/<file>', must resolve to it.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const WASM_NAME = /gradscope\.[a-z-]+\.wasm/g;

/** The .wasm names the loader can request, from its source: each is written out there, for bundlers to see. */
function loaderFiles(): string[] {
  const source = read('src/wasm/loader.ts');
  return [...new Set(source.match(WASM_NAME) ?? [])].sort();
}

/** The names docs/browser.md's section on serving the files lists. */
function documentedFiles(): string[] {
  const doc = read('docs/browser.md');
  const start = doc.indexOf('## Saying where the `.wasm` files are served from');
  const section = doc.slice(start, doc.indexOf('\n## ', start + 1));
  return [...new Set(section.match(WASM_NAME) ?? [])].sort();
}

describe("the .wasm files docs/browser.md says to serve", () => {
  it('are every file the loader fetches', () => {
    expect(loaderFiles().length).toBeGreaterThanOrEqual(6);
    expect(documentedFiles()).toEqual(loaderFiles());
  });

  it("are in build/ and in package.json's files", () => {
    const files = (JSON.parse(read('package.json')) as { files: string[] }).files;
    expect(files).toContain('build/*.wasm');
    for (const name of loaderFiles()) expect(existsSync(new URL(`build/${name}`, root)), name).toBe(true);
  });

  it("resolve by the name it gives, 'gradscope/wasm/<file>'", () => {
    const require = createRequire(new URL('docs/browser.md', root));
    for (const name of loaderFiles()) expect(require.resolve(`gradscope/wasm/${name}`)).toBe(fileURLToPath(new URL(`build/${name}`, root)));
  });
});
