/**
 * The visualizer is written against gradscope's public API only: every import of library code in
 * demo/src is from src/index.ts (what `import … from 'gradscope'` gives a user), so anything it needs
 * is exported and documented there; but for PROSE_MODULES.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DEMO = 'demo/src';

/**
 * Library modules the page may import beside the entry point: how gradscope's prose is written (src/list-text.ts' "a, b
 * and c"; how it writes a number, src/number-text.ts and src/sci-text.ts, which the page's chain table writes as the CLI's
 * table and the diagnosis do; which paragraphs a diagnosis is shown in, src/flow/shown-paragraphs.ts, the report's rule),
 * which the page's sentences share with the library's own and which a user of the library has no use for. Each imports
 * nothing (below), so the page pulls in nothing else through it.
 */
const PROSE_MODULES = ['src/list-text.js', 'src/number-text.js', 'src/sci-text.js', 'src/flow/shown-paragraphs.js'];

describe('the visualizer', () => {
  it('imports the library only through its public entry point and PROSE_MODULES', async () => {
    const deep: string[] = [];
    const files = (await readdir(DEMO, { recursive: true })).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = await readFile(join(DEMO, file), 'utf8');
      for (const [, from] of text.matchAll(/\bfrom\s+'([^']+)'/g)) {
        // Within the demo (no '/src/' in the path), the library's entry point, or one of PROSE_MODULES.
        if (!from.includes('/src/') || /^(\.\.\/)+src\/index\.js$/.test(from) || PROSE_MODULES.some((m) => from === `../../${m}`)) continue;
        deep.push(`${file}: ${from}`);
      }
    }
    expect(deep).toEqual([]);
  });

  it.each(PROSE_MODULES)('may import %s, which imports nothing', async (module) => {
    const text = await readFile(module.replace(/\.js$/, '.ts'), 'utf8');
    expect([...text.matchAll(/\b(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1])).toEqual([]);
  });
});
