/**
 * The visualizer is written against gradscope's public API only: every import of library code in
 * demo/src is from src/index.ts (what `import … from 'gradscope'` gives a user), so anything it needs
 * is exported and documented there.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DEMO = 'demo/src';

describe('the visualizer', () => {
  it('imports the library only through its public entry point', async () => {
    const deep: string[] = [];
    const files = (await readdir(DEMO, { recursive: true })).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = await readFile(join(DEMO, file), 'utf8');
      for (const [, from] of text.matchAll(/\bfrom\s+'([^']+)'/g)) {
        // Within the demo (no '/src/' in the path), or the library's entry point.
        if (!from.includes('/src/') || /^(\.\.\/)+src\/index\.js$/.test(from)) continue;
        deep.push(`${file}: ${from}`);
      }
    }
    expect(deep).toEqual([]);
  });
});
