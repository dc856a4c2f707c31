/**
 * Hessian-free on the visualizer's default network and data (6 × 16 sigmoid units, the spirals' 280 training rows,
 * the page's seeds), from the start, at the batches it is given: the share of the training rows right every tenth of
 * the run, the best share and its step, and λ at the end. docs/second-order.md ("Hessian-free on the visualizer's
 * default run") quotes what it printed; the page's buttons as they apply the remedy (Hessian-free with its batch, all 280
 * rows) are scripts/second-order-page.ts', seed 1 of them test/flow/second-order-page's.
 *
 *   nice -n 19 npx tsx scripts/hessian-free-spirals.ts [steps=1800] [batches=32,280] [seeds=1,2,3] [options as JSON]
 */
import { createNetwork } from '../src/api/network.js';
import { HessianFree, type HessianFreeOptions } from '../src/optim/hessian-free.js';
import { planarDataset, splitDataset } from '../demo/src/datasets.js';
import { networkOptions } from '../demo/src/architecture.js';
import { DEFAULTS } from '../demo/src/settings.js';
import { batchesPerEpoch } from '../src/epoch-batches.js';

const steps = Number(process.argv[2] ?? 1800);
const batches = (process.argv[3] ?? '32,280').split(',').map(Number);
const seeds = (process.argv[4] ?? '1,2,3').split(',').map(Number);
const options = JSON.parse(process.argv[5] ?? '{}') as HessianFreeOptions;
const rows = (m: { data: Float32Array; rows: number; cols: number }) => Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));

for (const batchSize of batches) {
  for (const seed of seeds) {
    const { train } = splitDataset(planarDataset('spirals', seed, DEFAULTS.noise), DEFAULTS.trainPercent);
    const [x, y] = [rows(train.x), rows(train.y)];
    const net = await createNetwork(networkOptions({ ...DEFAULTS, seed }, 2, 2));
    const hf = new HessianFree(net, options);
    const perEpoch = batchesPerEpoch(x.length, batchSize);
    const every = Math.max(1, Math.round(steps / 10 / perEpoch)) * perEpoch;
    const shares: string[] = [];
    let best = { share: 0, step: 0 };
    while (net.step < steps) {
      net.train(x, y, { epochs: every / perEpoch, batchSize, optimizer: hf });
      const share = net.evaluate(x, y).accuracy!;
      if (share > best.share) best = { share, step: net.step };
      shares.push(`${net.step}: ${(100 * share).toFixed(0)} %`);
    }
    console.log(`batch ${batchSize}, seed ${seed}: ${shares.join(', ')}; best ${(100 * best.share).toFixed(1)} % at step ${best.step}; λ ${hf.lambda.toExponential(1)}`);
    hf.dispose();
    net.dispose();
  }
}
