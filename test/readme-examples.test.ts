// The front door never lies: every ```ts block of README.md runs (tsx, 'gradscope' mapped to this
// checkout) and exits 0, and every number its comments promise (~50×, 9,000, 85 %, 2 s) is measured
// from what the block printed and checked within a stated tolerance. A failure names the block's
// line in README.md and shows its stderr.
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../src/data/mnist.js';
import { runBlock, typescriptBlocks, withLocalGradscope, type CodeBlock, type RunResult } from './util/markdown-examples.js';
import { flat } from './util/printed-text.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const BLOCK_TIMEOUT_MS = 120_000;

function expectExitedZero(result: RunResult, block: CodeBlock, source: string): void {
  if (result.code !== 0) {
    expect.fail(`${source} line ${block.line}: the example exited with ${result.code ?? 'a timeout'}\n${result.stderr.trim().split('\n').slice(-15).join('\n')}`);
  }
}

async function expectRuns(block: CodeBlock, source: string): Promise<void> {
  expectExitedZero(await runBlock(block, BLOCK_TIMEOUT_MS), block, source);
}

/**
 * A number a comment promises: one followed by × or %, a duration in s or ms, one written with a
 * thousands separator, or one marked approximate with ~. Option values in comments (`units: 16`)
 * are code, not promises.
 */
const PROMISE = /~\s*\d|\d\s*(?:×|%|m?s\b)|\d{1,3}(?:,\d{3})+/;

/** The comments of `code` that promise a number. */
function numericPromises(code: string): string[] {
  return code.split('\n').flatMap((line) => {
    const comment = /\/\/(.*)$/.exec(line)?.[1];
    return comment && PROMISE.test(comment) ? [comment.trim()] : [];
  });
}

describe('the example harness', () => {
  it('finds ts blocks with their lines, skips marked and other-language blocks, maps the import', () => {
    const markdown = ['# t', '```ts', "import { createNetwork } from 'gradscope';", '```', '```sh', 'npm i', '```', '<!-- readme-test: skip -->', '```ts', 'window.x', '```', '````typescript', 'const a = 1;', '````'].join('\n');
    const blocks = typescriptBlocks(markdown);
    expect(blocks.map((b) => b.line)).toEqual([2, 12]);
    expect(withLocalGradscope(blocks[0].code)).toMatch(/from 'file:\/\/.*\/src\/index\.ts'/);
    expect(withLocalGradscope('await import("gradscope")')).toMatch(/import\("file:\/\/.*\/src\/index\.ts"\)/);
  });

  it('finds the numbers comments promise, not option values', () => {
    const code = ['const a = 1; // ~50× slower', 'f(); // 9,000 + 1,000 digits', 'g(); // 85 % accurate', 'h(); // takes 2 s', "x({ units: 16 }); // or inputs: 4, layers: [{ units: 16 }]", '// 2+: split large products'].join('\n');
    expect(numericPromises(code)).toEqual(['~50× slower', '9,000 + 1,000 digits', '85 % accurate', 'takes 2 s']);
  });

  it('reports a block that throws, with its line', async () => {
    const result = await runBlock({ line: 7, code: "import { createNetwork } from 'gradscope';\nawait createNetwork({ sizes: [0] });" }, BLOCK_TIMEOUT_MS);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('INVALID_OPTION');
    await expect(expectRuns({ line: 7, code: 'throw new Error("boom")' }, 'X.md')).rejects.toThrow(/X\.md line 7: the example exited with 1[\s\S]*boom/);
  }, 2 * BLOCK_TIMEOUT_MS);

  it('runs a block in a folder of its own inside the checkout, and removes it once the block has run, passed or failed', async () => {
    const artifacts = fileURLToPath(new URL('../test-artifacts', import.meta.url));
    for (const [end, exit] of [['', 0], ['throw new Error("boom");', 1]] as const) {
      const code = `import { writeFileSync } from 'node:fs';\nwriteFileSync('written.txt', 'x');\nconsole.log(process.cwd());\n${end}`;
      const result = await runBlock({ line: 3, code }, BLOCK_TIMEOUT_MS);
      expect(result.code, result.stderr).toBe(exit);
      const folder = result.stdout.trim();
      expect(dirname(folder)).toBe(artifacts);
      expect(existsSync(folder)).toBe(false);
    }
  }, 2 * BLOCK_TIMEOUT_MS);
});

const blocks = existsSync(README) ? typescriptBlocks(readFileSync(README, 'utf8')) : [];

/** Each block runs once; the "runs" test and the promise checks share the result. */
const results = new Map<number, Promise<RunResult>>();
const resultOf = (block: CodeBlock) => {
  if (!results.has(block.line)) results.set(block.line, runBlock(block, BLOCK_TIMEOUT_MS));
  return results.get(block.line)!;
};

/** The numbers `console.log` printed as quoted strings on the line starting with `label`. */
function printedNumbers(stdout: string, label: string): number[] {
  const line = stdout.split('\n').find((l) => l.startsWith(label));
  if (!line) expect.fail(`the example printed no line starting with '${label}'`);
  return [...line.matchAll(/'([-+\d.e]+)'/g)].map((m) => Number(m[1]));
}

interface Promised {
  /** The comment, exactly as README.md writes it. */
  comment: string;
  /** Checks the promise against the block's output; throws (expect) if it is not kept. */
  check(stdout: string): Promise<void> | void;
}

/** Tolerance of a "~N×" promise: the measured value within ±20 % of N. */
const APPROXIMATE = 0.2;

const PROMISED: Promised[] = [
  {
    comment: '9,000 + 1,000 digits of the mnist package',
    async check() {
      const { train, test } = await loadMnist();
      expect([train.x.rows, test.x.rows]).toEqual([9000, 1000]);
    },
  },
  {
    comment: 'hidden 1, 2, 3, output: hidden 1 learns ~50× slower than hidden 3',
    check(stdout) {
      const before = printedNumbers(stdout, '‖∂C/∂b‖ per layer before:');
      const ratio = before[before.length - 2] / before[0];
      expect(Math.abs(ratio / 50 - 1), `last ÷ first hidden layer: ${ratio.toFixed(1)}×`).toBeLessThanOrEqual(APPROXIMATE);
    },
  },
];

describe('README.md examples', () => {
  it('README.md exists and shows code', () => expect(blocks.length).toBeGreaterThan(0));
  it.each(blocks)('the example at line $line runs', async (block) => expectExitedZero(await resultOf(block), block, 'README.md'), BLOCK_TIMEOUT_MS + 10_000);

  const promises = blocks.flatMap((block) => numericPromises(block.code).map((comment) => ({ line: block.line, comment, block })));
  it('every number a comment promises has a check, and every check a comment', () => {
    const checked = PROMISED.map((p) => p.comment);
    expect(promises.map((p) => p.comment).filter((c) => !checked.includes(c)), 'promises without a check').toEqual([]);
    expect(checked.filter((c) => !promises.some((p) => p.comment === c)), 'checks whose comment README.md no longer has').toEqual([]);
  });
  // Its comment says the diagnosis answers "what to change?": .summary holds no remedies (it printed only .summary), .remedies does.
  it('the ten-line example prints the diagnosis with its remedies, as its comment says', async () => {
    const block = blocks.find((b) => b.code.includes('diagnose(trace)'))!;
    expect(block.code.split('\n').filter((line) => line.trim() !== '')).toHaveLength(10);
    expect(block.code).toMatch(/const \{ summary, remedies \} = diagnose\(trace\);.*what to change\? \(remedies\)/);
    const result = await resultOf(block);
    expectExitedZero(result, block, 'README.md');
    expect(result.stdout).toMatch(/^(Vanishing|Saturated|Exploding|Dead)[^\n]*\[\n  "\w+: /m);
  }, BLOCK_TIMEOUT_MS + 10_000);

  // The paragraph after it quotes what it printed: each quoted piece (between … cuts) and each `[ … ]` array must be in the output.
  it('the ten-line example prints what README says it prints', async () => {
    const block = blocks.find((b) => b.code.includes('diagnose(trace)'))!;
    const after = readFileSync(README, 'utf8').split('\n').slice(block.line).join('\n');
    const paragraph = /\n\nIt prints ([\s\S]*?)\n\n/.exec(after)?.[1];
    expect(paragraph, 'the paragraph after the ten-line example').toBeDefined();
    const quoted = [...paragraph!.matchAll(/\*"([\s\S]*?)"\*|`(\[[^`]*\]|accuracy: [\d.]+)`/g)].flatMap((m) => (m[1] ?? m[2]).split('…'));
    expect(quoted.length).toBeGreaterThanOrEqual(6);
    const result = await resultOf(block);
    expectExitedZero(result, block, 'README.md');
    for (const piece of quoted) expect(flat(result.stdout), `README quotes: ${flat(piece).trim()}`).toContain(flat(piece).trim());
  }, BLOCK_TIMEOUT_MS + 10_000);

  it.each(promises)('line $line keeps its promise: $comment', async ({ block, comment }) => {
    const result = await resultOf(block);
    expectExitedZero(result, block, 'README.md');
    await PROMISED.find((p) => p.comment === comment)?.check(result.stdout);
  }, BLOCK_TIMEOUT_MS + 10_000);
});
