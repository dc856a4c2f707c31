// The front door never lies: every ```ts block of README.md runs (tsx, 'gradscope' mapped to this
// checkout) and exits 0. A failure names the block's line in README.md and shows its stderr.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runBlock, typescriptBlocks, withLocalGradscope, type CodeBlock } from './util/markdown-examples.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const BLOCK_TIMEOUT_MS = 120_000;

async function expectRuns(block: CodeBlock, source: string): Promise<void> {
  const result = await runBlock(block, BLOCK_TIMEOUT_MS);
  if (result.code !== 0) {
    expect.fail(`${source} line ${block.line}: the example exited with ${result.code ?? 'a timeout'}\n${result.stderr.trim().split('\n').slice(-15).join('\n')}`);
  }
}

describe('the example harness', () => {
  it('finds ts blocks with their lines, skips marked and other-language blocks, maps the import', () => {
    const markdown = ['# t', '```ts', "import { createNetwork } from 'gradscope';", '```', '```sh', 'npm i', '```', '<!-- readme-test: skip -->', '```ts', 'window.x', '```', '````typescript', 'const a = 1;', '````'].join('\n');
    const blocks = typescriptBlocks(markdown);
    expect(blocks.map((b) => b.line)).toEqual([2, 12]);
    expect(withLocalGradscope(blocks[0].code)).toMatch(/from 'file:\/\/.*\/src\/index\.ts'/);
    expect(withLocalGradscope('await import("gradscope")')).toMatch(/import\("file:\/\/.*\/src\/index\.ts"\)/);
  });

  it('reports a block that throws, with its line', async () => {
    const result = await runBlock({ line: 7, code: "import { createNetwork } from 'gradscope';\nawait createNetwork({ sizes: [0] });" }, BLOCK_TIMEOUT_MS);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('INVALID_OPTION');
    await expect(expectRuns({ line: 7, code: 'throw new Error("boom")' }, 'X.md')).rejects.toThrow(/X\.md line 7: the example exited with 1[\s\S]*boom/);
  }, 2 * BLOCK_TIMEOUT_MS);
});

const blocks = existsSync(README) ? typescriptBlocks(readFileSync(README, 'utf8')) : [];

describe('README.md examples', () => {
  it('README.md exists and shows code', () => expect(blocks.length).toBeGreaterThan(0));
  it.each(blocks)('the example at line $line runs', (block) => expectRuns(block, 'README.md'), BLOCK_TIMEOUT_MS + 10_000);
});
