/**
 * Build once (issue #16): the build check (node scripts/build.mjs) run with nothing changed, as
 * `npm start`, `npm test`, `npm run demo` and `npm run bench` each run it first. It should rebuild
 * nothing and so print nothing; this times it, alternated with Node's own start (`node -e 0`, what
 * no script can save), and keeps what it printed.
 *
 * run.ts times it before any suite: spawned once at the end of the run, as it was, one sample read
 * 124–545 ms across runs of an unchanged script, whatever state the suites left the machine in.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './median.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Times each of the build check and Node's own start is spawned, alternated. */
export const NO_OP_BUILD_ROUNDS = 9;

export interface NoOpBuild {
  /** Median wall-clock time of the build check, spawned from this process. */
  ms: number;
  /** Median wall-clock time of `node -e 0` spawned beside it: the part of `ms` that is Node starting. */
  nodeMs: number;
  /** What the build printed (empty when it rebuilt nothing). */
  output: string;
}

function timed(args: string[]): { ms: number; output: string } {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${run.stderr}`);
  return { ms, output: `${run.stdout}${run.stderr}`.trim() };
}

export function runNoOpBuild(rounds = NO_OP_BUILD_ROUNDS): NoOpBuild {
  // Untimed first: it builds whatever is not built yet (bench/run.ts run without npm run bench), so
  // that the timed runs are the check alone, and each of them must print nothing.
  timed(['scripts/build.mjs']);
  const build: number[] = [];
  const node: number[] = [];
  let output = '';
  for (let round = 0; round < rounds; round++) {
    const check = timed(['scripts/build.mjs']);
    build.push(check.ms);
    output ||= check.output;
    node.push(timed(['-e', '0']).ms);
  }
  return { ms: median(build), nodeMs: median(node), output };
}
