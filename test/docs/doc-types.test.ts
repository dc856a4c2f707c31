// Every ```ts block of README.md and docs/*.md type-checks as a user compiles it: a module of its
// own importing the package by its name ('gradscope', 'gradscope/node'), under the package's own
// tsconfig.json (strict, noUnusedLocals, NodeNext). The examples that run (readme-examples,
// doc-examples) run under tsx, which strips types without checking them: `diagnose(net.trace)`
// ran, and failed `tsc --strict` (net.trace is Trace | undefined). Blocks marked to skip running
// (they need a file or a browser) are checked too. One compiler program holds every block, and
// only the blocks are checked, against the declarations they reach in src/ (what dist/*.d.ts is
// emitted from), so the test takes seconds rather than a full `tsc` per block.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { fencedBlocks } from '../util/markdown-examples.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
/** Inside the checkout, so that a block importing a devDependency (onnxruntime-node, @tensorflow/tfjs) finds it as a user's project would; test-artifacts/ is not committed. */
const FOLDER = join(ROOT, 'test-artifacts', 'doc-types');

interface Block {
  doc: string;
  /** The line of the opening fence in `doc`. */
  line: number;
  file: string;
}

/** A block that must fail: `net.trace` may be undefined, and an unused local is an error under the package's tsconfig. */
const CANARY = "import { createNetwork, diagnose } from 'gradscope';\nconst net = await createNetwork({ sizes: [2, 2] });\nconst unused = 1;\ndiagnose(net.trace);\n";

/** The package's compiler options, with 'gradscope' and 'gradscope/node' resolved to the sources of their entry points. */
function compilerOptions(): ts.CompilerOptions {
  const configPath = join(ROOT, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, configPath);
  return { ...options, paths: { gradscope: [join(ROOT, 'src/index.ts')], 'gradscope/node': [join(ROOT, 'src/node.ts')] } };
}

/** Writes every ts block (as .mts: an ES module with top-level await, as the docs' examples are) and the canary. */
function writeBlocks(): { blocks: Block[]; canary: string } {
  mkdirSync(FOLDER, { recursive: true });
  for (const name of readdirSync(FOLDER)) if (name.endsWith('.mts')) writeFileSync(join(FOLDER, name), ''); // a block since removed checks nothing
  const blocks = DOCS.flatMap((doc) =>
    fencedBlocks(readFileSync(join(ROOT, doc), 'utf8'))
      .filter((block) => block.language === 'ts' || block.language === 'typescript')
      .map((block) => {
        const file = join(FOLDER, `${doc.replace(/\W/g, '-')}-line-${block.line}.mts`);
        writeFileSync(file, block.code + '\n');
        return { doc, line: block.line, file };
      }),
  );
  const canary = join(FOLDER, 'canary.mts');
  writeFileSync(canary, CANARY);
  return { blocks, canary };
}

/** The errors of `file` in `program`, each as `where: TS1234 message`; `place` turns a 0-based line of the file into where it is in the docs. */
function errorsOf(program: ts.Program, file: string, place: (line: number) => string): string[] {
  const source = program.getSourceFile(file);
  if (source === undefined) return [`${place(0)}: not in the program`];
  return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => {
    const line = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line;
    return `${place(line)}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

describe('the docs\' TypeScript type-checks as users compile it', () => {
  const { blocks, canary } = writeBlocks();
  const program = ts.createProgram([...blocks.map((b) => b.file), canary], compilerOptions());

  it('finds the blocks of README.md and of docs/', () => {
    expect(blocks.filter((b) => b.doc === 'README.md').length).toBeGreaterThanOrEqual(3);
    expect(new Set(blocks.map((b) => b.doc)).size).toBeGreaterThanOrEqual(5);
  });

  it('fails a block that does not type-check (the canary: net.trace may be undefined; an unused local)', () => {
    const codes = errorsOf(program, canary, (line) => `canary line ${line + 1}`).map((e) => /TS(\d+)/.exec(e)![1]);
    expect(codes.sort()).toEqual(['2345', '6133']);
  });

  it('every block type-checks', () => {
    expect(program.getOptionsDiagnostics().map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '))).toEqual([]);
    // A block's line n (0-based) is line fence + 1 + n of its markdown file.
    const errors = blocks.flatMap((b) => errorsOf(program, b.file, (line) => `${b.doc}:${b.line + 1 + line}`));
    expect(errors).toEqual([]);
  });
});
