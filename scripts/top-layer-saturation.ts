/**
 * Glorot & Bengio's (2010) Figure 2 on study (c)'s plateau: the budget sweep's 5-layer plain sigmoid
 * network ([784, 5 × 64, 10], standard init, SGD 0.5, batch 32, seed 1, 9,000 digits: the sweep's
 * settings, src/studies/trainable-depth-remedies.ts) trained with a trace, one record per epoch. Prints
 * each hidden layer's mean activation (their measure) and 98th percentile, and the held-out accuracy,
 * at a spread of epochs, then topLayerSaturation's reading and the first epoch at 90 %, which the
 * sweep's own run gives as step 80,088 (the same run: tracing changes no step). docs/studies.md
 * (study (c)) quotes it.
 *
 *   nice -n 19 npx tsx scripts/top-layer-saturation.ts [epochs = 300]
 *   (2026-12-06: 82 s on a shared 2-core Intel Xeon)
 */
import { createNetwork, loadMnist } from '../src/node.js';
import { topLayerSaturation } from '../src/studies/activations-saturation.js';
import { batchesPerEpoch } from '../src/epoch-batches.js';

const epochs = Number(process.argv[2] ?? 300);
const { train, test } = await loadMnist();
const net = await createNetwork({ sizes: [784, 64, 64, 64, 64, 64, 10], activation: 'sigmoid', init: 'standard', loss: 'cross-entropy', seed: 1 });
const perEpoch = batchesPerEpoch(train.x.rows, 32);
const accuracy: number[] = [];
const started = performance.now();
net.train(train.x, train.y, {
  optimizer: 'sgd',
  learningRate: 0.5,
  batchSize: 32,
  epochs,
  validation: { x: test.x, y: test.y },
  trace: { every: perEpoch, refreshEvery: 1 },
  onEpoch: (info) => accuracy.push(info.validation!.accuracy),
});
const trace = net.trace!;
console.log(`${epochs} epochs (${net.step} steps) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
const picks = [0, 1, 2, 5, 10, 20, 40, 64, 100, 150, 200, 240, 250, 255, 260, 270, 280, 290, trace.length - 1].filter((r, i, all) => r < trace.length && all.indexOf(r) === i);
const row = (label: string, cell: (r: number) => string) => console.log(label.padEnd(12) + picks.map((r) => cell(r).padStart(8)).join(''));
row('step', (r) => String(trace.steps[r]));
for (let l = 0; l < trace.layers - 1; l++) {
  row(`${trace.layerLabel(l)} mean`, (r) => trace.at('activationMean', r, l).toFixed(3));
  row('  p98', (r) => trace.at('activationP98', r, l).toFixed(3));
}
// The record at step 1 + e·perEpoch is the first batch of epoch e + 1: the accuracy beside it is after epoch e.
row('held-out', (r) => (r === 0 ? '—' : `${(100 * accuracy[r - 1]).toFixed(1)}%`));
const goal = accuracy.findIndex((a) => a >= 0.9);
console.log(`first epoch at 90 %: ${goal < 0 ? 'none' : `${goal + 1} (step ${(goal + 1) * perEpoch})`}`);
console.log(JSON.stringify(topLayerSaturation(trace)));
net.dispose();
