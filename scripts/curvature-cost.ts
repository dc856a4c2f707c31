/**
 * Measures CURVATURE_COST_RUN (src/cli/commands/curvature-cost.ts), the run `gradscope curvature
 * --help` quotes under Cost: writes its model and data files, then runs the installed command
 * (bin/gradscope.js, so `npm run build` first) with --no-layers and then without, each under
 * /usr/bin/time, and prints each run's CPU (user + system) and wall seconds with the load average
 * before and after, the date, the CPU model and the commit. CPU time is what the help quotes: on a
 * shared machine the load stretches the wall time far more than the CPU time.
 *
 *   npm run build && nice -n 19 npx tsx scripts/curvature-cost.ts
 *
 * About 3 minutes of CPU on a 2-core AMD EPYC (Zen 3), 2026-12-02.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNetwork } from '../src/node.js';
import { Rng } from '../src/init/rng.js';
import { CURVATURE_COST_RUN } from '../src/cli/commands/curvature-cost.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { sizes, activation, seed, rows, k } = CURVATURE_COST_RUN;
const folder = mkdtempSync(join(tmpdir(), 'gradscope-curvature-cost-'));
const modelPath = join(folder, 'model.json');
const dataPath = join(folder, 'data.json');

const net = await createNetwork({ sizes: [...sizes], activation, loss: 'cross-entropy', seed });
writeFileSync(modelPath, JSON.stringify(net.toJSON()));
console.log(`${sizes.join(',')} ${activation}: ${net.parameterCount} parameters; ${rows} rows; --k ${k}`);
net.dispose();
const rng = new Rng(seed);
const outputs = sizes[sizes.length - 1];
const inputs = Array.from({ length: rows }, () => Array.from({ length: sizes[0] }, () => rng.normal()));
const targets = Array.from({ length: rows }, (_, r) => Array.from({ length: outputs }, (_, c) => (c === r % outputs ? 1 : 0)));
writeFileSync(dataPath, JSON.stringify({ inputs, targets }));

const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
const family = /cpu family\s*:\s*(\d+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1];
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
console.log(`${cpuModel} (family 0x${Number(family).toString(16)}), commit ${commit}`);

for (const flags of [['--no-layers'], []]) {
  const load = loadavg()[0];
  const started = new Date().toISOString();
  const run = spawnSync('/usr/bin/time', ['-f', '%U %S %e', process.execPath, 'bin/gradscope.js', 'curvature', '--model', modelPath, '--data', dataPath, '--k', String(k), '--json', ...flags], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`curvature ${flags.join(' ')} failed: ${run.stderr}`);
  const [user, system, wall] = run.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  const report = JSON.parse(run.stdout);
  console.log(
    `curvature ${flags.join(' ') || '(with layers)'}: ${(user + system).toFixed(1)} s CPU (user ${user}, system ${system}), ${wall} s wall; ` +
      `${started} → ${new Date().toISOString()}, load ${load.toFixed(2)} → ${loadavg()[0].toFixed(2)}; λ_max(H) ${report.hessian.largest[0]}`,
  );
}
