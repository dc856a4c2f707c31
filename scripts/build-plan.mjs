// What `npm run build` builds: the WASM core's binaries, the HTML report's script and the compiled
// TypeScript, each step with what it reads and writes (scripts/build-once.mjs decides which need running).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const toolBin = (name) => join(ROOT, 'node_modules', '.bin', name);

/**
 * The WASM core's steps, one per `asc` target (the targets and the files they write are asconfig.json's): what
 * decides a binary is assembly/, asconfig.json, asc's version and the command.
 */
export const CORE_STEPS = [
  ['release', 'assembly/index.ts', ['build/gradscope.simd.wasm', 'build/gradscope.simd.wat']],
  ['relaxed', 'assembly/index.ts', ['build/gradscope.simd-relaxed.wasm']],
  ['scalar', 'assembly/index.scalar.ts', ['build/gradscope.scalar.wasm']],
  ['threads', 'assembly/index.ts', ['build/gradscope.simd-shared.wasm']],
  ['probe', 'assembly/probe.ts', ['build/gradscope.probe.wasm']],
  ['probe-relaxed', 'assembly/probe.ts', ['build/gradscope.probe-relaxed.wasm']],
].map(([target, entry, outputs]) => ({
  name: `WASM core (${target})`,
  inputs: ['assembly', 'asconfig.json'],
  tool: 'assemblyscript',
  outputs,
  command: [toolBin('asc'), entry, '--target', target],
}));

/**
 * The HTML report's inline script (scripts/report-script.mjs): its source, src/flow/report-page.ts, and the library
 * functions it imports, bundled and minified (what esbuild leaves out depends on package.json's "sideEffects").
 * src/flow/report-script.ts imports the module it writes, so tsc waits for it.
 */
export const REPORT_SCRIPT_STEP = {
  name: "the report's script (build/report-script.js)",
  inputs: ['src', 'scripts/report-script.mjs', 'package.json'],
  tool: 'esbuild',
  outputs: ['build/report-script.js', 'build/report-script.d.ts'],
  command: ['node', 'scripts/report-script.mjs'],
};

/** Each step: what it reads, what it writes, how. */
export const STEPS = [
  ...CORE_STEPS,
  {
    after: [REPORT_SCRIPT_STEP.name],
    name: 'TypeScript (dist/)',
    inputs: ['src', 'tsconfig.json', 'tsconfig.build.json'],
    tool: 'typescript',
    outputs: ['dist'],
    // Written beside dist/ and renamed to it when tsc succeeds (the source maps' relative paths hold there): dist/ is never
    // missing while tsc runs, where `tsc --noEmit` run beside the build would fail on examples/browser-vite's import.
    staged: 'dist.partial',
    command: [toolBin('tsc'), '-p', 'tsconfig.build.json', '--outDir', 'dist.partial'],
  },
  REPORT_SCRIPT_STEP,
];
