// Runs build steps only when needed: a step runs when its outputs are not exactly those its last
// successful run left (one missing, or a different size: an edit, or a write cut short; or one
// named since, of which that run recorded nothing) or when the
// fingerprint of its inputs (the command, the compiler's version, every input file's name and
// contents) differs from the one stored with them. A step's record is removed before it runs and
// written back only when it succeeds, so a build killed halfway is never taken for a finished one.
//
// Steps run side by side, up to one per CPU: a fresh clone's six asc targets and tsc are
// independent processes.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';

/**
 * @typedef {object} Step
 * @property {string} name what the build prints while it runs the step
 * @property {string[]} inputs files or folders (relative to the root) whose contents decide the outputs
 * @property {string} tool the package under node_modules whose version is part of the fingerprint
 * @property {string[]} outputs files or folders (relative to the root) the command writes, removed before it runs
 * @property {string[]} command the program and its arguments, run in the root
 * @property {string[]} [after] the steps whose outputs the command reads (by name): it starts once none of them is still to run
 * @property {string} [staged] where the command writes the step's one output, a folder, in place of it: the output is then
 *   removed only once the command has succeeded, and the staged folder renamed to it, so that until then the output is the
 *   last build's (see replaceFolder); a failed or killed run leaves it so, with no record (built again next time)
 */

/** Where each step's fingerprint and outputs are recorded, relative to the root. */
export const STAMP_FILE = 'build/fingerprints.json';

/** Every file under `path` (a file or a folder, relative to `root`), sorted; none when it does not exist. */
function filesUnder(root, path) {
  const stat = statSync(join(root, path), { throwIfNoEntry: false });
  if (!stat) return [];
  if (!stat.isDirectory()) return [path];
  const files = [];
  const folders = [path];
  while (folders.length > 0) {
    const folder = folders.pop();
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      const file = `${folder}/${entry.name}`;
      if (entry.isDirectory()) folders.push(file);
      else files.push(file);
    }
  }
  return files.sort();
}

/** Read into one buffer, not one per file: a no-op build reads every source (~2.3 MB), and allocating each was a third of its work. */
const readBuffer = Buffer.allocUnsafe(1 << 20);

/** The hash of the names and contents of every file under `inputs`: read once for all the steps that share them. */
function contentsHash(root, inputs) {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap((input) => filesUnder(root, input))) {
    hash.update(`${file}\0`);
    const fd = openSync(join(root, file), 'r');
    try {
      for (let read; (read = readSync(fd, readBuffer, 0, readBuffer.length, null)) > 0; ) hash.update(readBuffer.subarray(0, read));
    } finally {
      closeSync(fd);
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}

function toolVersion(root, tool) {
  return JSON.parse(readFileSync(join(root, 'node_modules', tool, 'package.json'), 'utf8')).version;
}

/**
 * Each step's fingerprint: its command (absolute paths made relative to the root, so that neither where the checkout lies nor the shell's folder counts), its tool's version and a hash
 * of its inputs' names and contents, kept apart so that the build can say which changed.
 */
function fingerprints(root, steps) {
  const contents = new Map();
  return steps.map((step) => {
    const key = JSON.stringify(step.inputs);
    if (!contents.has(key)) contents.set(key, contentsHash(root, step.inputs));
    return {
      command: step.command.map((part) => (isAbsolute(part) ? relative(root, part) : part)).join(' '),
      tool: `${step.tool} ${toolVersion(root, step.tool)}`,
      inputs: contents.get(key),
    };
  });
}

/** The size of every file under the step's outputs, by path. */
function outputSizes(root, step) {
  const sizes = {};
  for (const file of step.outputs.flatMap((output) => filesUnder(root, output))) sizes[file] = statSync(join(root, file)).size;
  return sizes;
}

/**
 * The first of the step's outputs its last run recorded nothing of (neither the file nor a file under the folder):
 * one added to the step since, such as a new map file. The recorded files alone would never show it missing.
 */
function unrecordedOutput(step, recordedFiles) {
  return step.outputs.find((output) => !recordedFiles.some((file) => file === output || file.startsWith(`${output}/`)));
}

/** Why the step must run, or undefined when its outputs are those its last run left from the same inputs. */
function reasonToRun(root, step, print, stamp) {
  if (!stamp?.outputs) return existsSync(join(root, step.outputs[0])) ? 'no finished build recorded' : 'not built yet';
  if (stamp.tool !== print.tool) return `compiler changed: ${stamp.tool} → ${print.tool}`;
  if (stamp.command !== print.command) return 'command changed';
  if (stamp.inputs !== print.inputs) return 'sources changed';
  const recorded = Object.entries(stamp.outputs);
  if (recorded.length === 0) return 'no output recorded';
  const added = unrecordedOutput(step, Object.keys(stamp.outputs));
  if (added !== undefined) return `${added} is a new output`;
  for (const [file, size] of recorded) {
    const now = statSync(join(root, file), { throwIfNoEntry: false });
    if (!now) return `${file} is missing`;
    if (now.size !== size) return `${file} is not as built`;
  }
  return undefined;
}

function readStamps(root) {
  try {
    return JSON.parse(readFileSync(join(root, STAMP_FILE), 'utf8'));
  } catch {
    return {};
  }
}

/** Writes the records whole or not at all (a rename), so a killed build never leaves half a file. */
function writeStamps(root, stamps) {
  const file = join(root, STAMP_FILE);
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(stamps, null, 2)}\n`);
  renameSync(temporary, file);
}

/**
 * Puts the folder `staged` where `output` is (both relative to `root`), `output`'s old contents removed: two renames, so that
 * `output` is missing only between them (a directory cannot be renamed onto one that holds files), not while the command
 * wrote it. tsc --noEmit reads dist/ through the package's own name (examples/browser-vite imports 'gradscope'): when the
 * build removed dist/ before tsc wrote it again, a type check run beside the build failed on that import (TS2307).
 */
function replaceFolder(root, staged, output) {
  const old = join(root, `${output}.replaced`);
  rmSync(old, { recursive: true, force: true });
  if (existsSync(join(root, output))) renameSync(join(root, output), old);
  renameSync(join(root, staged), join(root, output));
  rmSync(old, { recursive: true, force: true });
}

/** Runs one step's command; node:child_process is loaded only when something is built. */
async function runCommand(root, command) {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { cwd: root, stdio: 'inherit' });
    child.on('error', (error) => resolve({ code: 1, error }));
    child.on('close', (code, signal) => resolve({ code: code ?? 1, signal }));
  });
}

/** The steps that must run, each with its fingerprint and why, against the records `stamps`. */
function pendingRuns(root, steps, stamps, force) {
  const prints = fingerprints(root, steps);
  return steps
    .map((step, i) => ({ step, print: prints[i], why: force ? 'forced' : reasonToRun(root, step, prints[i], stamps[step.name]) }))
    .filter((run) => run.why !== undefined);
}

/**
 * The steps a build would run, each with why, building nothing: the check vitest's globalSetup makes
 * (test/util/current-build.ts), so that a test run never loads a core built from other sources.
 *
 * @param {{ root: string, steps: Step[] }} options
 * @returns {{ name: string, why: string }[]}
 */
export function staleSteps({ root, steps }) {
  return pendingRuns(root, steps, readStamps(root), false).map(({ step, why }) => ({ name: step.name, why }));
}

/**
 * Runs the steps that need it, saying on stderr which, why, and how long each took; prints
 * nothing when none does. Returns the exit code: 0, or the first failing step's.
 *
 * @param {{ root: string, steps: Step[], force?: boolean, parallel?: number, log?: (line: string) => void }} options
 */
export async function buildOnce({ root, steps, force = false, parallel = availableParallelism(), log = (line) => process.stderr.write(`${line}\n`) }) {
  const stamps = readStamps(root);
  const pending = pendingRuns(root, steps, stamps, force);
  if (pending.length === 0) return 0;

  for (const { step } of pending) delete stamps[step.name];
  writeStamps(root, stamps);
  const total = pending.length;
  let started = 0;
  let failed = 0;
  const running = new Set();
  // Workers waiting for a step they need to finish, woken when any does.
  const waiting = [];
  const unfinished = (name) => running.has(name) || pending.some((run) => run.step.name === name);
  const worker = async () => {
    while (pending.length > 0 && failed === 0) {
      const next = pending.findIndex(({ step }) => !(step.after ?? []).some(unfinished));
      if (next < 0) {
        await new Promise((resolve) => waiting.push(resolve));
        continue;
      }
      const [{ step, print, why }] = pending.splice(next, 1);
      const number = ++started;
      running.add(step.name);
      log(`gradscope: building ${step.name}, ${number} of ${total} (${why})…`);
      for (const output of step.staged === undefined ? step.outputs : [step.staged]) rmSync(join(root, output), { recursive: true, force: true });
      const began = performance.now();
      const { code, signal, error } = await runCommand(root, step.command);
      running.delete(step.name);
      for (const wake of waiting.splice(0)) wake();
      if (code !== 0) {
        log(`gradscope: building ${step.name} failed (${error ? error.message : signal ? `killed by ${signal}` : `exit code ${code}`})`);
        if (step.staged !== undefined) rmSync(join(root, step.staged), { recursive: true, force: true });
        failed ||= code;
        continue;
      }
      if (step.staged !== undefined) replaceFolder(root, step.staged, step.outputs[0]);
      log(`gradscope: built ${step.name} in ${((performance.now() - began) / 1000).toFixed(1)} s`);
      stamps[step.name] = { ...print, outputs: outputSizes(root, step) };
      writeStamps(root, stamps);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, total)) }, worker));
  return failed;
}
