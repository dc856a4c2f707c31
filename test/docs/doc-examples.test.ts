// The docs' code imports gradscope as a user can: every specifier a fenced block of README.md or
// docs/*.md imports is one package.json exports ('gradscope', 'gradscope/node', …), never a path
// into src/ (ERR_PACKAGE_PATH_NOT_EXPORTED). Every ```ts block of docs/*.md runs (tsx, 'gradscope' mapped
// to this checkout), as README.md's do in test/readme-examples.test.ts: as written, but for what SETUPS
// gives a few (the files they read, a stand-in page, fewer rows where the run takes minutes).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fencedBlocks, runBlock, typescriptBlocks, type CodeBlock } from '../util/markdown-examples.js';
import { flat } from '../util/printed-text.js';

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

/**
 * What a block needs to run in a test that a reader supplies, each with why: the files it reads (made here as
 * the doc's own earlier step makes them), a stand-in for the page of a browser-only line, and a
 * shortened form of a block that takes minutes, by replacing text of the block (which must be there):
 * the same calls on fewer rows or seconds. The one place a doc example is run otherwise than as written.
 */
interface Setup {
  doc: string;
  /** Text that picks the block out (its first occurrence in `doc` must be in it). */
  block: string;
  why: string;
  files?: () => Record<string, Uint8Array>;
  prefix?: string;
  replace?: [string, string][];
}

/** A safetensors file as `save_file` writes it: F32 tensors and I64 scalars by name, `metadata` in `__metadata__`. */
function safetensors(tensors: Record<string, { shape: number[]; fill: number } | { i64: number }>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const bytes = 'i64' in t ? new Uint8Array(new BigInt64Array([BigInt(t.i64)]).buffer) : new Uint8Array(new Float32Array(t.shape.reduce((a, b) => a * b, 1)).fill(t.fill).buffer);
    header[name] = { dtype: 'i64' in t ? 'I64' : 'F32', shape: 'i64' in t ? [] : t.shape, data_offsets: [offset, offset + bytes.length] };
    parts.push(bytes);
    offset += bytes.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const part of parts) (out.set(part, at), (at += part.length));
  return out;
}

const SETUPS: Setup[] = [
  {
    doc: 'docs/interop.md',
    block: "fromSafetensors(await readFile('mlp.safetensors'))",
    why: "reads the file the Python block before it saves: made here with the same tensors' names, shapes and metadata",
    files: () => ({
      'mlp.safetensors': safetensors(
        { '0.weight': { shape: [30, 784], fill: 0.01 }, '0.bias': { shape: [30], fill: 0 }, '2.weight': { shape: [10, 30], fill: 0.01 }, '2.bias': { shape: [10], fill: 0 } },
        { activations: 'sigmoid,softmax', loss: 'cross-entropy' },
      ),
    }),
  },
  {
    doc: 'docs/interop.md',
    block: "readFile('model.safetensors')",
    why: "reads a PyTorch state_dict of the module it names (save_file(model.state_dict(), …)): made here with that module's tensors",
    files: () => ({
      'model.safetensors': safetensors({
        '0.weight': { shape: [100, 784], fill: 0.01 },
        '0.bias': { shape: [100], fill: 0 },
        '1.weight': { shape: [100], fill: 1 },
        '1.bias': { shape: [100], fill: 0 },
        '1.running_mean': { shape: [100], fill: 0 },
        '1.running_var': { shape: [100], fill: 1 },
        '1.num_batches_tracked': { i64: 0 },
        '3.weight': { shape: [10, 100], fill: 0.01 },
        '3.bias': { shape: [10], fill: 0 },
      }),
    }),
  },
  {
    doc: 'docs/browser.md',
    block: "document.querySelector('iframe')",
    why: 'browser-only in its last lines (the page\'s iframe): Node runs it with a stand-in iframe, which must receive the report',
    prefix: "const iframe = { srcdoc: '' };\n(globalThis as any).document = { querySelector: () => iframe };\nprocess.on('exit', () => { if (!iframe.srcdoc.startsWith('<!doctype html>')) throw new Error('no report reached the iframe'); });\n",
  },
  {
    doc: 'docs/remedies.md',
    block: 'maxSeconds: 10',
    why: 'five train() calls on the 9,000 digits take about a minute: 1,000 digits and a 1 s budget',
    replace: [['await loadMnist()', 'await loadMnist({ train: 1000, test: 0 })'], ['maxSeconds: 10', 'maxSeconds: 1']],
  },
  {
    doc: 'docs/second-order.md',
    block: "optimizer: 'hessian-free'",
    why: 'Hessian-free over the 9,000 digits takes minutes: 1,000 digits',
    replace: [['await loadMnist()', 'await loadMnist({ train: 1000, test: 0 })']],
  },
  {
    doc: 'docs/second-order.md',
    block: "optimizer: 'kfac'",
    why: 'five K-FAC runs over the 9,000 digits take half a minute: 1,000 digits',
    replace: [['await loadMnist()', 'await loadMnist({ train: 1000, test: 0 })']],
  },
];

/** What a block's comment says it prints (after `//` on its console.log line), which its output must hold (spaces aside). */
const PRINTED: { doc: string; block: string; prints: string }[] = [
  { doc: 'docs/api.md', block: "loadCheckpoint('xor.ckpt')", prints: 'true' },
  { doc: 'docs/reliability.md', block: "loadCheckpoint('run.gsc')", prints: '5 5' },
  { doc: 'docs/gradient-flow.md', block: 'const d = diagnose(trace);', prints: "Vanishing gradients (severe): one example's gradient δ at the first hidden layer is 1/361 of the last hidden layer's (median over 141 records, a factor of 0.140 per layer; the sigmoid's σ' is at most 1/4); by the batch gradient ‖∂C/∂b‖ (Nielsen's speed of learning), the first hidden layer learns 387× slower than the last, its weights 84.8× slower than the last's by their gradient relative to their size (‖∂C/∂W‖/‖W‖); a plateau, at chance, with 9 % of the last epochs' traced batches' rows classified right. Try activation: 'relu'," },
  { doc: 'docs/gradient-flow.md', block: 'const d = diagnose(trace);', prints: "vanishing Vanishing gradients (severe): one example's gradient δ at the first hidden layer is 1/361 of the last hidden layer's" },
  { doc: 'docs/gradient-flow.md', block: 'const d = diagnose(trace);', prints: "activation: 'relu', init: 'he-normal', learningRate: 0.002 (or activation: 'tanh') — σ' of the sigmoid is at most 1/4," },
  { doc: 'docs/interop.md', block: "readFile('model.safetensors')", prints: "blocks [ '0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias' ]" },
];

/**
 * A comment that goes on to list what the block prints next (`…; then lars, adam, …`): each word, and the start of the
 * line it stands for, which the lines after `prints`' line must begin with, in that order (review37 finding 10).
 */
const PRINTED_NEXT: { doc: string; block: string; prints: string; next: [word: string, lineStart: string][] }[] = [
  {
    doc: 'docs/gradient-flow.md',
    block: 'const d = diagnose(trace);',
    prints: "activation: 'relu', init: 'he-normal', learningRate: 0.002 (or activation: 'tanh')",
    next: [
      ['lars', "optimizer: 'lars'"],
      ['adam', "optimizer: 'adam'"],
      ['layer rates', "optimizer: { name: 'sgd', layerRates"],
      ['kfac', "optimizer: 'kfac'"],
      ['norms', "layers: { type: 'dense', units }, { type: 'batch-norm' }"],
      ['residual blocks', "layers: { type: 'residual'"],
    ],
  },
];

/** README.md's blocks run in test/readme-examples.test.ts, beside the checks of the numbers their comments promise. */
const RUN = DOCS.filter((doc) => doc !== 'README.md' && typescriptBlocks(read(doc)).length > 0);
const setupOf = (doc: string, block: CodeBlock) => SETUPS.filter((s) => s.doc === doc && block.code.includes(s.block));

/** The block as the test runs it: `replace` applied, each text required to be there (a shortening the doc no longer matches fails). */
function shortened(doc: string, block: CodeBlock): CodeBlock {
  let code = block.code;
  for (const [from, to] of setupOf(doc, block).flatMap((s) => s.replace ?? [])) {
    expect(code, `${doc} line ${block.line}: the text the test shortens`).toContain(from);
    code = code.replaceAll(from, to);
  }
  return { line: block.line, code };
}

describe('every setup and every printed line picks one block of its doc', () => {
  it.each([...SETUPS, ...PRINTED, ...PRINTED_NEXT])('$doc: $block', ({ doc, block }) => expect(typescriptBlocks(read(doc)).filter((b) => b.code.includes(block))).toHaveLength(1));
  it.each(PRINTED)('$doc: the comment says it prints $prints', ({ doc, block, prints }) => {
    const code = typescriptBlocks(read(doc)).find((b) => b.code.includes(block))!.code;
    expect(code.split('\n').some((line) => /console\.log\(/.test(line) && line.includes(`// ${prints}`))).toBe(true);
  });
  it.each(PRINTED_NEXT)('$doc: the comment goes on to list what follows $prints', ({ doc, block, prints, next }) => {
    const code = typescriptBlocks(read(doc)).find((b) => b.code.includes(block))!.code;
    const said = `then ${next.map(([word]) => word).join(', ')}`;
    expect(code.split('\n').some((line) => /console\.log\(/.test(line) && line.includes(`// ${prints}`) && line.trimEnd().endsWith(said))).toBe(true);
  });
});

// Every ```ts block of docs/*.md runs (README.md's in test/readme-examples.test.ts), as written but for SETUPS.
describe.each(RUN)('%s examples run', (doc) => {
  const blocks = typescriptBlocks(read(doc));
  it.each(blocks)('the block at line $line', async (block) => {
    const setups = setupOf(doc, block);
    const files = Object.assign({}, ...setups.map((s) => s.files?.() ?? {})) as Record<string, Uint8Array>;
    const prefix = setups.map((s) => s.prefix ?? '').join('');
    const result = await runBlock(shortened(doc, block), 120_000, { files, prefix, name: doc.replace(/\W/g, '-') });
    expect(result.code, `${doc} line ${block.line}:\n${result.stderr.trim().split('\n').slice(-15).join('\n')}`).toBe(0);
    for (const { prints } of PRINTED.filter((p) => p.doc === doc && block.code.includes(p.block))) expect(flat(result.stdout), `${doc} line ${block.line} prints`).toContain(flat(prints).trim());
    for (const { prints, next } of PRINTED_NEXT.filter((p) => p.doc === doc && block.code.includes(p.block))) {
      const lines = result.stdout.split('\n');
      const first = lines.findIndex((line) => line.startsWith(prints));
      expect(first, `${doc} line ${block.line} prints ${prints}`).toBeGreaterThanOrEqual(0);
      expect(lines.slice(first + 1, first + 1 + next.length).map((line, i) => line.slice(0, next[i][1].length)), `${doc} line ${block.line}: what follows, in order`).toEqual(next.map(([, start]) => start));
    }
  }, 120_000);
});
