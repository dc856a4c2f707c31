// Every page that says from how many batch rows per thread a product is split says the code's number. docs/browser.md
// said 64 ("so threads help from batch 128 on two threads") long after DEFAULT_MIN_ROWS became 20, which docs/api.md
// and docs/benchmarks.md say: a newcomer reading both pages could not tell whether batch 64 runs on two threads (newuser37).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIN_ROWS } from '../../src/wasm/threads/threaded-kernels.js';
import { flat } from '../util/printed-text.js';

const root = new URL('../../', import.meta.url);
const PAGES = ['README.md', ...readdirSync(fileURLToPath(new URL('docs/', root))).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** Each "at least N batch rows" of `text` (line breaks read as spaces), with the page and the number. */
function leastRows(page: string, text: string): { page: string; rows: number }[] {
  return [...flat(text).matchAll(/at least (\d+) batch rows/g)].map((m) => ({ page, rows: Number(m[1]) }));
}

describe("the batch rows each thread needs for a split, as the pages say it", () => {
  it('reads a number from a sentence broken over lines', () => {
    expect(leastRows('x.md', 'split only when every thread gets at least 64\nbatch rows, so')).toEqual([{ page: 'x.md', rows: 64 }]);
  });

  it('is DEFAULT_MIN_ROWS on every page that says it', () => {
    const said = PAGES.flatMap((page) => leastRows(page, readFileSync(new URL(page, root), 'utf8')));
    expect(new Set(said.map((s) => s.page))).toEqual(new Set(['docs/api.md', 'docs/benchmarks.md', 'docs/browser.md']));
    expect(said.filter((s) => s.rows !== DEFAULT_MIN_ROWS)).toEqual([]);
  });
});
