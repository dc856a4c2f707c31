/**
 * The visualizer's default run (its network, the spirals, its batch and rate: demo/src/settings.ts' DEFAULTS) trained in Node for
 * 144,000 steps, seeds 1 and 2, traced every `every` steps: how far the last hidden layer's ‖∂C/∂b‖ of the mean loss
 * over the page's probe rows (its first 256 training rows) fell from step 0 to the end, beside what diagnose() reads from
 * the trace, the batch medians' fall, each example's δ's and the noise ratio R. docs/gradient-flow.md and
 * docs/browser.md quote what it printed (every 256: 1.05e+4× and 796× against the batch medians' 11.6× and 23.6×; at 1,
 * 50 and 128 the batch medians read 7.1× to 35.4×); test/flow/batch-gradient-noise checks the same at 18,000 steps.
 * Traced every 256th step, seeds 1 and 2 took 61 s and 42 s (2026-12-06, Intel Xeon, load 23, nice 10) and printed
 * those figures again.
 *
 *   nice -n 19 npx tsx scripts/page-fade-144k.ts [every=256] [seeds=1,2] [steps=144000]
 */
import { createNetwork } from '../src/api/network.js';
import { diagnose } from '../src/flow/diagnose.js';
import { networkOptions } from '../demo/src/architecture.js';
import { planarDataset, probeOf, splitDataset } from '../demo/src/datasets.js';
import { DEFAULTS } from '../demo/src/settings.js';
import { batchesPerEpoch } from '../src/epoch-batches.js';

const every = Number(process.argv[2] ?? 256);
const seeds = (process.argv[3] ?? '1,2').split(',').map(Number);
const steps = Number(process.argv[4] ?? 144_000);

for (const seed of seeds) {
  const settings = { ...DEFAULTS, seed };
  const { train } = splitDataset(planarDataset('spirals', seed, settings.noise), settings.trainPercent);
  const net = await createNetwork(networkOptions(settings, train.x.cols, train.classes));
  const probe = probeOf(train);
  const meanLoss = () => net.gradients(probe.x, probe.y).layers.map((layer) => layer.biasNorm);
  const start = meanLoss();
  const epochs = Math.ceil(steps / batchesPerEpoch(train.x.rows, settings.batchSize));
  const began = performance.now();
  const { trace } = net.train(train.x, train.y, { epochs, batchSize: settings.batchSize, learningRate: settings.learningRate, trace: { every } });
  const end = meanLoss();
  const { evidence } = diagnose(trace);
  const last = trace.layers - 2;
  const fell = (change: number | undefined) => (change === undefined ? 'unmeasured' : `${(1 / change).toPrecision(3)}×`);
  console.log(
    `seed ${seed}, traced every ${every}: ${net.step} steps in ${((performance.now() - began) / 1000).toFixed(0)} s; the last hidden layer's ‖∂C/∂b‖ of the mean loss over the first ${probe.x.rows} training rows fell ${(start[last] / end[last]).toPrecision(3)}×; ` +
      `the batch medians fell ${fell(evidence.lastHiddenChange)}, each example's δ ${fell(evidence.lastHiddenDeltaChange)}; R ${evidence.endNoise?.ratio.toFixed(2) ?? 'unmeasured'}; training accuracy ${net.evaluate(train.x, train.y).accuracy}`,
  );
  net.dispose();
}
