/**
 * The browser's entry (src/index.ts, the package's "."), and every module it loads, statically or as a chunk it imports later
 * (renderReport's report-html), imports no `node:` module statically: a browser cannot load one, and a bundler pulls Node's
 * built-ins in. A guarded `await import('node:…')` that only Node reaches (the loader, the thread pool, the bundled digits)
 * is allowed. ba06a652 broke this (io/export-notes.ts imported io/model-formats.ts, which imports node:fs/promises) and only
 * test/browser/package's Chromium pages caught it, minutes later (review49b #5): this reads the sources in milliseconds.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importGraph, SRC } from './import-graph.js';

/** A static `import … from 'node:x'`, `export … from 'node:x'` or `import 'node:x'` that is not type-only. */
const STATIC_NODE = /^\s*(?:(?:import|export)\s+(type\s+)?[^;]*?\bfrom\s*|import\s+)['"](node:[^'"]+)['"]/gms;

/** Each module reachable from `entry` (relative to `root`) that imports a node: module statically, as 'file → node:x'. */
function nodeOnBrowserPath(root: string, entry: string): string[] {
  const { runtime } = importGraph(root);
  const seen = new Set<string>();
  const todo = [entry];
  const found: string[] = [];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file) || !runtime.has(file)) continue;
    seen.add(file);
    for (const m of readFileSync(join(root, file), 'utf8').matchAll(STATIC_NODE)) if (m[1] === undefined) found.push(`${file} → ${m[2]}`);
    todo.push(...runtime.get(file)!);
  }
  return found;
}

describe("the browser's path", () => {
  it('reaches no static node: import from src/index.ts', () => {
    expect(nodeOnBrowserPath(SRC, 'index.ts')).toEqual([]);
  });

  it('catches one two modules down, and lets a type-only or a guarded dynamic one pass', () => {
    const root = mkdtempSync(join(tmpdir(), 'browser-path-'));
    try {
      mkdirSync(join(root, 'io'));
      writeFileSync(join(root, 'index.ts'), "export { notes } from './io/notes.js';\n");
      writeFileSync(join(root, 'io/notes.ts'), "import { formats } from './formats.js';\nexport const notes = formats;\n");
      writeFileSync(join(root, 'io/formats.ts'), "import type { Stats } from 'node:fs';\nexport const formats = async () => (await import('node:path')).sep;\n");
      expect(nodeOnBrowserPath(root, 'index.ts')).toEqual([]);
      writeFileSync(join(root, 'io/formats.ts'), "import { readFile } from 'node:fs/promises';\nexport const formats = readFile;\n");
      expect(nodeOnBrowserPath(root, 'index.ts')).toEqual(['io/formats.ts → node:fs/promises']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
