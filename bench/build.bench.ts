/**
 * Build once (issue #16): `npm run build` (scripts/build.mjs) run again with nothing changed, as
 * `npm start`, `npm test`, `npm run demo` and `npm run bench` each run it first. It should rebuild
 * nothing and so print nothing; this times it and keeps what it printed.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface NoOpBuild {
  ms: number;
  /** What the build printed (empty when it rebuilt nothing). */
  output: string;
}

export function runNoOpBuild(): NoOpBuild {
  const started = performance.now();
  const run = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`scripts/build.mjs failed: ${run.stderr}`);
  return { ms, output: `${run.stdout}${run.stderr}`.trim() };
}
