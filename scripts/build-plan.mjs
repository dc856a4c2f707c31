// What `npm run build` builds: the WASM core's binaries and the compiled TypeScript, each step
// with what it reads and writes (scripts/build-once.mjs decides which need running).
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

/** Each step: what it reads, what it writes, how. */
export const STEPS = [
  ...CORE_STEPS,
  {
    name: 'TypeScript (dist/)',
    inputs: ['src', 'tsconfig.json', 'tsconfig.build.json'],
    tool: 'typescript',
    outputs: ['dist'],
    command: [toolBin('tsc'), '-p', 'tsconfig.build.json'],
  },
];
