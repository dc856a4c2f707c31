/**
 * Measures CURVATURE_COST_RUN (scripts/curvature-cost-runs.ts), the run `gradscope curvature
 * --help` quotes under Cost: builds its network and rows as the help describes them, then runs
 * measureCurvature on them as the command does (its defaults, --k, with the layers' blocks or
 * without: --no-layers first), in this process, and prints each run's CPU time (process.cpuUsage:
 * user + system), its wall time, the products it took and planned (its progress counters), the load
 * average before and after, the date, the CPU and the commit: the fields of CURVATURE_COST_RUN. CPU
 * time is what the help quotes: on a shared machine the load stretches the wall time far more.
 *
 *   nice -n 19 npx tsx scripts/curvature-cost.ts
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createNetwork, measureCurvature } from '../src/node.js';
import { CURVATURE_COST_RUN, curvatureCostRows } from './curvature-cost-runs.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { sizes, activation, seed, rows, k } = CURVATURE_COST_RUN;
const { x, y } = curvatureCostRows(CURVATURE_COST_RUN);
const cpuInfo = readFileSync('/proc/cpuinfo', 'utf8');
const cpuModel = /model name\s*:\s*(.*)/.exec(cpuInfo)?.[1] ?? 'unknown CPU';
const family = /cpu family\s*:\s*(\d+)/.exec(cpuInfo)?.[1];
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
console.log(`[${sizes.join(',')}] ${activation}, ${rows} rows, --k ${k}; ${cpuModel} (family 0x${Number(family).toString(16)}), commit ${commit}`);

/** Seconds of CPU this process has used. */
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
for (const layers of [false, true]) {
  const net = await createNetwork({ sizes: [...sizes], activation, loss: 'cross-entropy', seed });
  const [load, started, wallStart, cpuStart] = [loadavg()[0], new Date().toISOString(), performance.now(), cpu()];
  let products = 0;
  let planned = 0;
  const report = measureCurvature(net, x, y, { k, layers, onProgress: (p) => ((products = p.done), (planned ||= p.total)) });
  const [cpuSeconds, wallSeconds] = [cpu() - cpuStart, (performance.now() - wallStart) / 1000];
  net.dispose();
  console.log(
    `${layers ? 'with layers' : '--no-layers'}: { cpuSeconds: ${cpuSeconds.toFixed(1)}, wallSeconds: ${wallSeconds.toFixed(0)}, products: ${products} } of ${planned} planned; ` +
      `${started} → ${new Date().toISOString()}, load ${load.toFixed(2)} → ${loadavg()[0].toFixed(2)}; λ_max(H) ${report.hessian.largest[0]}`,
  );
}
