/**
 * What an epoch of each second-order choice costs beside the run's own SGD on the visualizer's default run (6 × 16 sigmoid
 * units, the spirals' 280 training rows, seed 1): plain SGD at the page's batch of 32 and rate 0.1, K-FAC at batch 32 as the
 * remedy's first choice runs, Hessian-free with its batch (HESSIAN_FREE_BATCH: all 280 rows, one step an epoch). Each from
 * the start, trained `warm` epochs first (off the first steps' plateau, where K-FAC's and Hessian-free's work per step
 * differs from later), then timed one epoch at a time in interleaved rounds (SGD, K-FAC, Hessian-free, each round), so a
 * busy host's drift hits all three alike. Prints each choice's median epoch, the median of its rounds' ratios to SGD's epoch
 * and their middle half (25th–75th percentile).
 *
 *   /tmp/t npx tsx scripts/second-order-cost.ts [rounds=101] [warm=20]
 */
import { createNetwork } from '../src/api/network.js';
import { createOptimizer } from '../src/optim/index.js';
import { HESSIAN_FREE_BATCH } from '../src/optimizer-defaults.js';
import { median } from '../src/median.js';
import { planarDataset, splitDataset } from '../demo/src/datasets.js';
import { networkOptions } from '../demo/src/architecture.js';
import { DEFAULTS } from '../demo/src/settings.js';

const rounds = Number(process.argv[2] ?? 101);
const warm = Number(process.argv[3] ?? 20);
const { train } = splitDataset(planarDataset('spirals', DEFAULTS.seed, DEFAULTS.noise), DEFAULTS.trainPercent);
const rows = (m: { data: Float32Array; rows: number; cols: number }) => Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
const [x, y] = [rows(train.x), rows(train.y)];

const choices = [
  { label: 'sgd, batch 32, lr 0.1', name: 'sgd', batchSize: DEFAULTS.batchSize, learningRate: DEFAULTS.learningRate as number | undefined },
  { label: 'kfac, batch 32, lr 1', name: 'kfac', batchSize: DEFAULTS.batchSize, learningRate: 1 as number | undefined },
  { label: `hessian-free, batch ${HESSIAN_FREE_BATCH} (all ${x.length} rows)`, name: 'hessian-free', batchSize: HESSIAN_FREE_BATCH, learningRate: undefined },
];
const runs = await Promise.all(
  choices.map(async (choice) => {
    const net = await createNetwork(networkOptions(DEFAULTS, 2, 2));
    const optimizer = createOptimizer(net, { name: choice.name });
    const options = { epochs: 1, batchSize: choice.batchSize, optimizer, ...(choice.learningRate !== undefined && { learningRate: choice.learningRate }) };
    net.train(x, y, { ...options, epochs: warm });
    return { choice, epoch: () => net.train(x, y, options), times: [] as number[] };
  }),
);
for (let round = 0; round < rounds; round++) {
  for (const run of runs) {
    const started = performance.now();
    run.epoch();
    run.times.push(performance.now() - started);
  }
}
const sgd = runs[0].times;
for (const run of runs) {
  const ratios = run.times.map((t, i) => t / sgd[i]);
  const sorted = [...ratios].sort((a, b) => a - b);
  const quartile = (q: number) => sorted[Math.round(q * (sorted.length - 1))];
  console.log(`${run.choice.label}: median epoch ${median(run.times).toFixed(2)} ms; × SGD's epoch: median ${median(ratios).toFixed(1)} (middle half ${quartile(0.25).toFixed(1)}–${quartile(0.75).toFixed(1)})`);
}
