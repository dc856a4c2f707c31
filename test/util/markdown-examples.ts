/**
 * Runs the TypeScript examples of a markdown file as a reader would: each ```ts block becomes a
 * module of its own, with `'gradscope'` mapped to this checkout's src/index.ts, run by tsx in
 * a child process (so top-level await, console output and process exit behave as for a user): node
 * with tsx as its loader (`node --import tsx`), not the tsx command, which starts a node process of
 * its own to run the file (a second startup per block; and a timeout's kill would reach the command,
 * not the process running the block).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const INDEX = pathToFileURL(fileURLToPath(new URL('../../src/index.ts', import.meta.url))).href;
const NODE_ENTRY = pathToFileURL(fileURLToPath(new URL('../../src/node.ts', import.meta.url))).href;
/** Put on the line before a block that is not meant to run on its own (a browser-only snippet). */
export const SKIP_MARKER = '<!-- readme-test: skip -->';

export interface CodeBlock {
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
}

/** A fenced block of a markdown file, with its language and whether SKIP_MARKER precedes it. */
export interface FencedBlock extends CodeBlock {
  language: string;
  skipped: boolean;
}

/** Every fenced block (``` or ~~~) of `markdown`, in order. */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*(\S*)/.exec(lines[i]);
    if (!open) continue;
    const fence = open[1];
    let end = i + 1;
    while (end < lines.length && !new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(lines[end])) end++;
    blocks.push({ line: i + 1, code: lines.slice(i + 1, end).join('\n'), language: open[2].toLowerCase(), skipped: lines[i - 1]?.trim() === SKIP_MARKER });
    i = end;
  }
  return blocks;
}

/** The ```ts / ```typescript blocks of `markdown`, except those marked with SKIP_MARKER. */
export function typescriptBlocks(markdown: string): CodeBlock[] {
  return fencedBlocks(markdown)
    .filter((b) => (b.language === 'ts' || b.language === 'typescript') && !b.skipped)
    .map(({ line, code }) => ({ line, code }));
}

/** The block with `'gradscope'` and `'gradscope/node'` (import, export or dynamic import) pointing at this checkout's entries. */
export function withLocalGradscope(code: string): string {
  return code.replace(
    /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])gradscope(\/node)?\2/g,
    (_m, before: string, quote: string, node: string | undefined) => `${before}${quote}${node ? NODE_ENTRY : INDEX}${quote}`,
  );
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Inside the checkout (test-artifacts/ is not committed), so that a block importing a devDependency (onnxruntime-node, @tensorflow/tfjs) finds it as a user's project would. */
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/**
 * Runs one block in a folder of its own (files an example writes land there, not in the checkout),
 * after writing the `files` it reads (name → bytes) into that folder; `prefix` is code run before the
 * block's own. The folder is removed when the block's process has ended, passed or failed: a failure
 * is told by the result (the tests print its stderr beside the block's line), and folders kept piled
 * up in test-artifacts/, one per block for every local run.
 */
export async function runBlock(block: CodeBlock, timeoutMs: number, setup: { files?: Record<string, Uint8Array>; prefix?: string; name?: string } = {}): Promise<RunResult> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const folder = mkdtempSync(join(ARTIFACTS, `examples-${setup.name ?? 'block'}-line-${block.line}-`));
  try {
    for (const [name, bytes] of Object.entries(setup.files ?? {})) writeFileSync(join(folder, name), bytes);
    const file = join(folder, 'example.mts');
    writeFileSync(file, (setup.prefix ?? '') + withLocalGradscope(block.code) + '\n');
    return await new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: folder, timeout: timeoutMs }); // tsx: found from the folder, inside the checkout
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
