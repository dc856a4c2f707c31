/**
 * How evenly measureCurvature's progress moves in time: runs the run `gradscope curvature --help`
 * quotes (CURVATURE_COST_RUN) in this process, records the CPU time at every onProgress call, and
 * prints, at each tenth of the run's CPU time, the progress fraction (what the command's bar shows)
 * beside the share of products done (what it showed before the fraction weighed Lanczos'
 * reorthogonalisation), and the farthest the fraction stood ahead of and behind the share of the CPU
 * time at any call. An even bar reads 10 %, 20 %, … in the fraction column.
 *
 *   nice -n 19 npx tsx scripts/curvature-progress-timing.ts [--no-layers]
 *
 * About as long as the command's own run (--help, Cost).
 */
import { loadavg } from 'node:os';
import { createNetwork, measureCurvature } from '../src/node.js';
import { CURVATURE_COST_RUN, curvatureCostRows } from './curvature-cost-runs.js';

const { sizes, activation, seed, rows, k } = CURVATURE_COST_RUN;
const layers = !process.argv.includes('--no-layers');
const net = await createNetwork({ sizes: [...sizes], activation, loss: 'cross-entropy', seed });
const { x, y } = curvatureCostRows(CURVATURE_COST_RUN);

/** Seconds of CPU this process has used. */
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const started = new Date().toISOString();
const load = loadavg()[0];
const start = cpu();
const points: { seconds: number; fraction: number; products: number }[] = [];
measureCurvature(net, x, y, { k, layers, onProgress: (p) => points.push({ seconds: cpu() - start, fraction: p.fraction, products: p.done / p.total }) });
net.dispose();
const all = points[points.length - 1].seconds;
console.log(`[${sizes.join(',')}] ${activation}, ${rows} rows, --k ${k}${layers ? '' : ' --no-layers'}: ${all.toFixed(1)} s CPU; ${started} → ${new Date().toISOString()}, load ${load.toFixed(2)} → ${loadavg()[0].toFixed(2)}`);
console.log('CPU time   fraction   products done / planned');
for (let tenth = 1; tenth <= 10; tenth++) {
  const point = points.find((p) => p.seconds >= (all * tenth) / 10)!;
  console.log(`${String(tenth * 10).padStart(5)} %    ${(100 * point.fraction).toFixed(1).padStart(5)} %    ${(100 * point.products).toFixed(1).padStart(5)} %`);
}
const share = (p: (typeof points)[number]) => p.seconds / all;
const ahead = Math.max(...points.map((p) => p.fraction - share(p)));
const behind = Math.max(...points.map((p) => share(p) - p.fraction));
console.log(`fraction at most ${(100 * ahead).toFixed(1)} points ahead of the CPU time's share, ${(100 * behind).toFixed(1)} behind`);
