#!/usr/bin/env node
// Builds the WASM core and the compiled TypeScript, each only when its sources changed since the
// last build: a fresh clone spends half a minute in asc and tsc, and npm start / test / demo
// would otherwise spend it again every time. A step is skipped when a fingerprint of its inputs
// (file names and contents, plus the compiler's version) matches the one stored with its outputs.
//
//   node scripts/build.mjs           build what changed, saying what and why
//   node scripts/build.mjs --force   build everything
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(root, 'build', 'fingerprints.json');
const force = process.argv.includes('--force');

/** Each step: what it reads, what it writes, how. `asc` targets are asconfig.json's. */
const steps = [
  ...[
    ['release', 'assembly/index.ts', 'build/gradscope.simd.wasm'],
    ['relaxed', 'assembly/index.ts', 'build/gradscope.simd-relaxed.wasm'],
    ['scalar', 'assembly/index.scalar.ts', 'build/gradscope.scalar.wasm'],
    ['threads', 'assembly/index.ts', 'build/gradscope.simd-shared.wasm'],
    ['probe', 'assembly/probe.ts', 'build/gradscope.probe.wasm'],
    ['probe-relaxed', 'assembly/probe.ts', 'build/gradscope.probe-relaxed.wasm'],
  ].map(([target, entry, output]) => ({
    name: `WASM core (${target})`,
    inputs: ['assembly', 'asconfig.json'],
    tool: 'assemblyscript',
    outputs: [output],
    command: [toolBin('asc'), entry, '--target', target],
  })),
  {
    name: 'TypeScript (dist/)',
    inputs: ['src', 'tsconfig.json', 'tsconfig.build.json'],
    tool: 'typescript',
    outputs: ['dist/index.js', 'dist/node.js', 'dist/cli/main.js'],
    command: [toolBin('tsc'), '-p', 'tsconfig.build.json'],
  },
];

function toolBin(name) {
  return join(root, 'node_modules', '.bin', name);
}

function filesUnder(path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { withFileTypes: true })
    .flatMap((entry) => filesUnder(join(path, entry.name)))
    .sort();
}

function fingerprint(step) {
  const hash = createHash('sha256');
  const toolVersion = JSON.parse(readFileSync(join(root, 'node_modules', step.tool, 'package.json'), 'utf8')).version;
  hash.update(`${step.command.map((part) => relative(root, part) || part).join(' ')}\0${toolVersion}\0`);
  for (const file of step.inputs.flatMap(filesUnder)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function readStamps() {
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return {};
  }
}

function writeStamps(stamps) {
  mkdirSync(dirname(stampFile), { recursive: true });
  const temporary = `${stampFile}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(stamps, null, 2)}\n`);
  renameSync(temporary, stampFile);
}

const stamps = readStamps();
for (const step of steps) {
  const print = fingerprint(step);
  const built = step.outputs.every((output) => existsSync(join(root, output)));
  if (!force && built && stamps[step.name] === print) continue;
  const why = force ? 'forced' : !built ? 'not built yet' : 'sources changed';
  process.stderr.write(`gradscope: building ${step.name} (${why})…\n`);
  const started = Date.now();
  const run = spawnSync(step.command[0], step.command.slice(1), { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    process.stderr.write(`gradscope: building ${step.name} failed\n`);
    process.exit(run.status ?? 1);
  }
  process.stderr.write(`gradscope: built ${step.name} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  stamps[step.name] = print;
  writeStamps(stamps);
}
