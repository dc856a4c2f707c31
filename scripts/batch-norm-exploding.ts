/**
 * What cures an exploding gradient across batch norm (diagnose()'s remedies for it, src/flow/diagnose.ts):
 * the visualizer's batch-normalised network (6 hidden layers of 16, dense → batch norm → activation,
 * the spirals' 280 training points, SGD at 0.1 in batches of 32 for 20 epochs) with Glorot's init or
 * the default, each remedy diagnose() offered or could offer applied on its own, seeds 1–3. Prints the
 * verdict and the decisive gap (relative gradient ‖∂C/∂W‖/‖W‖, first hidden dense layer over the last,
 * at the first record / median over the records) per seed, then, over seeds 1–8, how often each init
 * explodes and the mean |log10| of its gap.
 *
 *   nice -n 19 npx tsx scripts/batch-norm-exploding.ts
 *
 * The gap it prints is the relative gradient's, which diagnose() read across norms until ae77fa8; the
 * verdict now reads evidence.normalisedGap (the one of δ's and the relative gradient's nearer 1).
 * 3 min 17 s at load 6–9 on the shared 2-core AMD EPYC (2026-12-01, ref backend); it printed the numbers quoted in
 * docs/gradient-flow.md ("Exploding across batch norm") and in explodingAcrossNorms (src/flow/diagnosis/init-remedies.ts).
 */
import { createNetwork } from '../src/index.js';
import { diagnose, verdictLabel, type Diagnosis } from '../src/flow/diagnose.js';
import { planarDataset, splitDataset } from '../demo/src/datasets.js';
import { networkOptions } from '../demo/src/architecture.js';
import { DEFAULTS, type Settings } from '../demo/src/settings.js';

const data = splitDataset(planarDataset('spirals', 1, DEFAULTS.noise), DEFAULTS.trainPercent).train;
const rows = (m: { data: Float32Array; rows: number; cols: number }) => Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
const [x, y] = [rows(data.x), rows(data.y)];

/** A remedy as a change to the visualizer's settings and to train()'s options. */
type Change = [Partial<Settings>, Record<string, unknown>];

/** The network of `settings` trained as above (with `train` added), diagnosed. */
async function diagnosed(settings: Settings, train: Record<string, unknown> = {}): Promise<Diagnosis> {
  const net = await createNetwork({ ...networkOptions(settings, 2, 2), backend: 'ref' });
  try {
    net.train(x, y, { epochs: 20, batchSize: settings.batchSize, learningRate: settings.learningRate, ...train, trace: { every: 4 } });
    return diagnose(net.trace!);
  } finally {
    net.dispose();
  }
}

/** The gap the verdict reads: of the first record's and the median, the one further from 1. */
function decisiveGap(d: Diagnosis): number {
  const g = d.evidence.relativeGradientFirstToLast ?? d.evidence.deltaFirstToLast;
  return Math.abs(Math.log(g.first)) >= Math.abs(Math.log(g.median)) ? g.first : g.median;
}

const networks: [string, Partial<Settings>][] = [
  ['sigmoid, glorot-uniform', { activation: 'sigmoid', init: 'glorot-uniform' }],
  ['tanh, glorot-uniform', { activation: 'tanh', init: 'glorot-uniform' }],
  ['relu, standard', { activation: 'relu', init: 'standard' }],
  ['relu, glorot-uniform', { activation: 'relu', init: 'glorot-uniform' }],
];
const remedies: [string, (s: Settings) => Change][] = [
  ['none', () => [{}, {}]],
  ["init 'standard'", () => [{ init: 'standard' }, {}]],
  ["init 'he-normal'", () => [{ init: 'he-normal' }, {}]],
  ["init 'lecun-normal'", () => [{ init: 'lecun-normal' }, {}]],
  ["init 'glorot-uniform'", () => [{ init: 'glorot-uniform' }, {}]],
  ['learning rate ÷ 3', (s) => [{}, { learningRate: s.learningRate / 3 }]],
  ['clipNorm 1', () => [{}, { clipNorm: 1 }]],
  ["optimizer 'lars'", () => [{}, { optimizer: 'lars' }]],
  ['ReZero blocks', () => [{ residual: 'rezero' }, {}]],
  ["selu, 'lecun-normal'", () => [{ activation: 'selu', init: 'lecun-normal' }, {}]],
  ['LSUV', () => [{ init: 'lsuv' }, { lsuv: true }]],
];

console.log('network                  remedy                 per seed 1, 2, 3: verdict, gap at the first record / median');
for (const [name, network] of networks) {
  for (const [remedy, change] of remedies) {
    const cells: string[] = [];
    for (const seed of [1, 2, 3]) {
      const settings = { ...DEFAULTS, norm: 'batch-norm', ...network, seed } as Settings;
      const [settingsChange, train] = change(settings);
      const d = await diagnosed({ ...settings, ...settingsChange }, train);
      const g = d.evidence.relativeGradientFirstToLast ?? d.evidence.deltaFirstToLast;
      cells.push(`${verdictLabel(d)} ${g.first.toPrecision(3)} / ${g.median.toPrecision(3)}`);
    }
    console.log(`${name.padEnd(24)} ${remedy.padEnd(22)} ${cells.join(' | ')}`);
  }
}

console.log('\nactivation  init            exploding of 8   mean |log10 gap|   gaps, seeds 1–8');
for (const activation of ['sigmoid', 'tanh', 'relu'] as const) {
  for (const init of ['glorot-uniform', 'glorot-normal', 'standard', 'lecun-normal', 'he-normal'] as const) {
    const gaps: number[] = [];
    let exploding = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const d = await diagnosed({ ...DEFAULTS, norm: 'batch-norm', activation, init, seed });
      if (d.verdict === 'exploding') exploding++;
      gaps.push(decisiveGap(d));
    }
    const spread = gaps.reduce((sum, g) => sum + Math.abs(Math.log10(g)), 0) / gaps.length;
    console.log(`${activation.padEnd(11)} ${init.padEnd(15)} ${String(exploding).padStart(14)}   ${spread.toFixed(2).padStart(16)}   ${gaps.map((g) => g.toPrecision(2)).join(' ')}`);
  }
}
