/**
 * The visualizer's two second-order buttons on its default run (6 × 16 sigmoid units, standard weights, the spirals' 280
 * training rows), each as the page applies it: the default run of each seed trained for 20 epochs at the page's SGD
 * settings and diagnosed as the page diagnoses it, the second-order remedy's choice (K-FAC) and its alternative
 * (Hessian-free, with its batch: HESSIAN_FREE_BATCH) read as the page's settings (remedySetting), and each trained from step
 * 0 as the page trains it. Prints per seed and choice the share of the training rows right every tenth of the run, the
 * best share and its step, and the share at the end; then the range over the seeds at the end, as docs/second-order.md
 * ("The page's second-order buttons") quotes it and test/flow/second-order-page reads it back.
 *
 *   /tmp/q npx tsx scripts/second-order-page.ts [steps=1800] [seeds=1,2,3]
 */
import { createNetwork } from '../src/api/network.js';
import { diagnose } from '../src/flow/diagnose.js';
import { planarDataset, splitDataset } from '../demo/src/datasets.js';
import { networkOptions } from '../demo/src/architecture.js';
import { DEFAULTS, type Settings } from '../demo/src/settings.js';
import { pageDiagnosis, remedySetting } from '../demo/src/remedies.js';
import { optimizerFor } from '../demo/src/run-optimizer.js';
import { batchesPerEpoch } from '../src/epoch-batches.js';

const steps = Number(process.argv[2] ?? 1800);
const seeds = (process.argv[3] ?? '1,2,3').split(',').map(Number);
const SHAPE = { inputs: 2, classes: 2 };
const rows = (m: { data: Float32Array; rows: number; cols: number }) => Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));

/** The page's two second-order choices on seed `seed`'s default run, as its buttons apply them; undefined where the diagnosis offers them not. */
async function pageChoices(settings: Settings, x: number[][], y: number[][]): Promise<Partial<Settings>[] | undefined> {
  const net = await createNetwork(networkOptions(settings, SHAPE.inputs, SHAPE.classes));
  net.train(x, y, { epochs: 20, batchSize: settings.batchSize, learningRate: settings.learningRate, trace: { every: 10 } });
  const d = diagnose(net.trace!, pageDiagnosis(settings.dataset));
  net.dispose();
  const remedy = d.remedies.find((r) => r.settings.some((s) => s.option === 'optimizer' && s.setting === 'kfac'));
  if (!remedy?.alternative) return undefined;
  return [remedySetting(remedy, settings, SHAPE)!, remedySetting({ settings: remedy.alternative }, settings, SHAPE)!];
}

const ends = new Map<string, number[]>();
for (const seed of seeds) {
  const settings: Settings = { ...DEFAULTS, seed };
  const { train } = splitDataset(planarDataset('spirals', seed, settings.noise), settings.trainPercent);
  const [x, y] = [rows(train.x), rows(train.y)];
  const choices = await pageChoices(settings, x, y);
  if (!choices) {
    console.log(`seed ${seed}: the diagnosis offers no K-FAC / Hessian-free remedy`);
    process.exitCode = 1;
    continue;
  }
  for (const change of choices) {
    const run = { ...settings, ...change };
    const net = await createNetwork(networkOptions(run, SHAPE.inputs, SHAPE.classes));
    const { optimizer } = optimizerFor(net, run, { x: train.x, y: train.y });
    const learningRate = optimizer.choosesOwnSteps ? {} : { learningRate: run.learningRate };
    const perEpoch = batchesPerEpoch(x.length, run.batchSize);
    const every = Math.max(1, Math.round(steps / 10 / perEpoch)) * perEpoch;
    const shares: string[] = [];
    let best = { share: 0, step: 0 };
    let share = 0;
    const started = performance.now();
    while (net.step < steps) {
      net.train(x, y, { epochs: every / perEpoch, batchSize: run.batchSize, optimizer, ...learningRate });
      share = net.evaluate(x, y).accuracy!;
      if (share > best.share) best = { share, step: net.step };
      shares.push(`${net.step}: ${(100 * share).toFixed(0)} %`);
    }
    const label = `${run.optimizer}, batch ${run.batchSize}`;
    ends.set(label, [...(ends.get(label) ?? []), share]);
    console.log(`seed ${seed}, ${label}: ${shares.join(', ')}; best ${(100 * best.share).toFixed(1)} % at step ${best.step}; end ${(100 * share).toFixed(1)} % (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    optimizer.dispose();
    net.dispose();
  }
}
for (const [label, shares] of ends) {
  console.log(`${label}, seeds ${seeds.join(', ')} after ${steps} steps: ${Math.round(100 * Math.min(...shares))}–${Math.round(100 * Math.max(...shares))} %`);
}
