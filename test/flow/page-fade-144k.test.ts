// docs/gradient-flow.md quotes the visualizer's defaults trained in Node for 144,000 steps (scripts/page-fade-144k.ts, seeds 1
// and 2, traced every 256th step): R, the batch medians' fall, each example's δ's fall and the mean-loss gradient's fall over
// the page's first 256 training rows. Held by nothing at 144,000 steps before (auditor55 #19; test/flow/batch-gradient-noise
// runs 18,000): this runs them as the script does and compares every figure at the page's digits, so a kernel or trace change
// that moves them fails here. Two runs of 144,000 steps of the page's small network: 20 s (2026-12-07, AMD EPYC Zen 5, shared).
import { describe, expect, it } from 'vitest';
import { networkOptions } from '../../demo/src/architecture.js';
import { planarDataset, probeOf, splitDataset } from '../../demo/src/datasets.js';
import { DEFAULTS } from '../../demo/src/settings.js';
import { createNetwork } from '../../src/api/network.js';
import { batchesPerEpoch } from '../../src/epoch-batches.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { quotedOn } from '../util/page-numbers.js';

const STEPS = 144_000;
const EVERY = 256;
const [r1, r2, medians1, medians2, delta1, delta2, mean1, mean2] = quotedOn(
  'docs/gradient-flow.md',
  /The visualizer's defaults trained in Node for 144,000 steps, seeds 1 and 2, traced every 256th step, read R ([\d.]+) and ([\d.]+), the batch medians falling ([\d.]+)× and ([\d.]+)× and each example's δ ([\d.]+)× and ([\d.]+)× .*? while the gradient of the mean loss over the page's first 256 training rows fell ([\d.e+]+)× and ([\d.e+]+)×/,
);
const PAGE = [
  { seed: 1, r: r1, medians: medians1, delta: delta1, meanLoss: mean1 },
  { seed: 2, r: r2, medians: medians2, delta: delta2, meanLoss: mean2 },
];

/** A fall (1/change) as the script prints it: three significant digits. */
const fell = (change: number | undefined) => (change === undefined ? 'unmeasured' : (1 / change).toPrecision(3));

describe("the visualizer's defaults over 144,000 steps (docs/gradient-flow.md, scripts/page-fade-144k.ts)", () => {
  it.each(PAGE)('seed $seed: R $r, batch medians $medians×, δ $delta×, the mean loss’s gradient $meanLoss×', async ({ seed, r, medians, delta, meanLoss }) => {
    const settings = { ...DEFAULTS, seed };
    const { train } = splitDataset(planarDataset('spirals', seed, settings.noise), settings.trainPercent);
    const net = await createNetwork(networkOptions(settings, train.x.cols, train.classes));
    try {
      const probe = probeOf(train);
      const meanLossGradient = () => net.gradients(probe.x, probe.y).layers.map((layer) => layer.biasNorm);
      const start = meanLossGradient();
      const epochs = Math.ceil(STEPS / batchesPerEpoch(train.x.rows, settings.batchSize));
      const { trace } = net.train(train.x, train.y, { epochs, batchSize: settings.batchSize, learningRate: settings.learningRate, trace: { every: EVERY } });
      const end = meanLossGradient();
      const { evidence } = diagnose(trace);
      const last = trace.layers - 2;
      expect(probe.x.rows).toBe(256);
      expect({
        r: evidence.endNoise?.ratio.toFixed(2),
        medians: fell(evidence.lastHiddenChange),
        delta: fell(evidence.lastHiddenDeltaChange),
        meanLoss: (start[last] / end[last]).toPrecision(3),
      }).toEqual({ r, medians, delta, meanLoss });
    } finally {
      net.dispose();
    }
  }, 600_000);
});
