/**
 * A dense network's trace is the same, bit for bit, as before block networks could be traced: the
 * SHA-256 of toJSON() and toCSV() of three traced runs (every option of TraceOptions, three
 * activations, two optimisers) on three backends, first recorded with main at bcadc12, the commit before
 * the block trace (in aa451791; re-recorded since in 941904eb and d6fe9afe, below) (the run's learningRate, batchSize and targets, added later, are checked beside the hash;
 * the CSV's epoch column, epoch rows and epoch cells, added later too, are left out of it: csvWithoutEpochs; so are
 * the records' batchRows, in the JSON and the CSV's batchRows column, and the run's rows, checked beside it).
 * A change to a dense trace must be deliberate: record the hashes again and say why. The three wasm ones
 * were recorded again in 941904eb, when forward products of at most 12 outputs became dot products of rows
 * (assembly/row-dots.simd.ts: another order of sums, so other f32 bits; ref's are unchanged).
 * The ref and wasm 'relu every 3 hist noise' (Adam) were recorded again in d6fe9afe, when the adaptive
 * steps came to divide before they scale, lr·(g / (√s + ε)) (8c6be8e9 in wasm, d6fe9afe in ref): other
 * last bits in ref's f64 and wasm's f32; ref-f32's and the other cases' are unchanged. All nine were
 * recorded again when chainBound came to multiply a proved bound on ‖W‖₂ (src/flow/spectral-bound.ts) instead of
 * spectralNorm, the power iteration's estimate from below: only the chainBound values moved (up by 1.00e-4 to
 * 1.02e-4 relative; every other value of the JSON and every other CSV column compared equal to the traces before, 2026-12-05).
 * All nine again when that bound's tries came to start from Lanczos' estimate (src/flow/gram-lanczos.ts): only the
 * chainBound values moved (by 5e-9 to 1.28e-6 relative; every other value and column compared equal to c669286d's, 2026-12-05).
 * (git log -p of this file lists every hash that changed, and where.)
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import type { NetworkOptions } from '../../src/network/config.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import type { TrainOptions } from '../../src/training/train-options.js';
import { EPOCH_CELLS } from '../util/trace-csv.js';
import { traceCsv } from '../../src/flow/trace-csv.js';

function rows(count: number, inputs: number, classes: number, seed: number): { x: number[][]; y: number[][] } {
  const rng = new Rng(seed);
  const x = Array.from({ length: count }, () => Array.from({ length: inputs }, () => rng.normal()));
  const y = Array.from({ length: count }, (_, r) => Array.from({ length: classes }, (_, j) => (j === r % classes ? 1 : 0)));
  return { x, y };
}

const CASES: { name: string; net: NetworkOptions; train: TrainOptions }[] = [
  { name: 'sigmoid every 1', net: { sizes: [6, 8, 8, 8, 3], activation: 'sigmoid', output: 'softmax', loss: 'cross-entropy' }, train: { epochs: 3, batchSize: 8, trace: { every: 1 } } },
  {
    name: 'relu every 3 hist noise',
    net: { sizes: [6, 10, 7, 3], activation: 'relu', output: 'softmax', loss: 'cross-entropy', init: 'he-normal' },
    train: { epochs: 4, batchSize: 5, optimizer: 'adam', trace: { every: 3, histogramSteps: [1, 4], gradientNoise: true } },
  },
  { name: 'tanh mse refresh', net: { sizes: [6, 9, 9, 2], activation: 'tanh', output: 'linear', loss: 'mse' }, train: { epochs: 2, batchSize: 6, trace: { every: 2, refreshEvery: 3 } } },
];

/**
 * The CSV as it was at bcadc12, before it had epochs: without its epoch rows (those with an empty
 * layer cell), its epoch column (the second) and its epoch columns (the last three). Their values
 * are checked against the JSON in test/flow/trace-csv.test.ts.
 */
function csvWithoutEpochs(csv: string): string {
  const lines = csv.trimEnd().split('\n').map((line) => line.split(','));
  const kept = [lines[0], ...lines.slice(1).filter((cells) => cells[2] !== '')];
  // The batchRows column came later too (checked beside the hash, in the JSON): left out as the epoch column is.
  const batchRows = lines[0].indexOf('batchRows');
  return kept.map((cells) => [cells[0], ...cells.slice(2, -EPOCH_CELLS.length).filter((_, i) => i + 2 !== batchRows)].join(',')).join('\n') + '\n';
}

/** `csv` with its three accuracy columns' cells emptied (the header kept), as trace-csv.ts writes a network's without classes. */
function withoutAccuracy(csv: string): string {
  const lines = csv.trimEnd().split('\n').map((line) => line.split(','));
  const columns = ['accuracy', 'validationAccuracy', 'trainingSubsetAccuracy'].map((name) => lines[0].indexOf(name));
  return [lines[0], ...lines.slice(1).map((cells) => cells.map((cell, i) => (columns.includes(i) ? '' : cell)))].map((cells) => cells.join(',')).join('\n') + '\n';
}

/** Recorded at bcadc12 (see the file comment). */
const BEFORE: Record<string, string> = {
  'ref sigmoid every 1': 'adcb7f9cc196c0d8512d05e80714f18a71db18a13e7ecca846fd4b2e87cf26bd',
  'ref relu every 3 hist noise': 'd9d981e2bab60373d059fba45269efa85d1ae4099e512078d0546b2f28310550',
  'ref tanh mse refresh': '2e4ca1f0fb4194a527e543b6528d339dffb8e9c0b771efae3baee65e08e8dbf8',
  'ref-f32 sigmoid every 1': 'a1ac27954362c21d2fc7696b01887b7b190bc3128fed86b4932693d8cf96b0aa',
  'ref-f32 relu every 3 hist noise': 'c8c0b8e08cd1a51bed38416f4d94bbf0ac688007999e97b40d4b7223c41f5aa2',
  'ref-f32 tanh mse refresh': '99714ea73d751a1aa6c098786b44dc061e282d2cb64c6242833dce221a1e0919',
  'wasm sigmoid every 1': '015c39f50f73b6e3fe020df9b32a8a556be4e9b7a81f41dce2f2f7e5ee6b6876',
  'wasm relu every 3 hist noise': 'c0ddbaffb49d06c303edb6b1fca26a264ab527b47b806e49ab58884eeed85900',
  'wasm tanh mse refresh': 'e2565d3cb52744f8b98fae7bca1451a1d793107ec0811280fbdbda1ff9491842',
};

describe('dense traces are unchanged by the block trace', () => {
  for (const backend of ['ref', 'ref-f32', 'wasm'] as const) {
    it.each(CASES)(`${backend}: $name`, async ({ name, net: options, train }) => {
      const net = await createNetwork({ seed: 7, backend: backend === 'ref-f32' ? createRefKernels({ precision: 'f32' }) : backend, ...options });
      const data = rows(30, 6, options.sizes!.at(-1)!, 11);
      if (options.loss === 'mse') data.y = data.y.map((r) => r.map((v) => v * 0.5));
      net.train(data.x, data.y, train);
      const trace = net.trace!;
      net.dispose();
      // The run's learning rate and batch size came later (diagnose names them), and so did the epochs' losses: hashed without them, checked here.
      // So did whether the targets were one-hot (classesOf reads it): one-hot rows here, halved for mse.
      // And the training rows of each class (TraceRun.classRows, which chance is read from): counted where every target is one-hot.
      // And the rows train() was given (TraceRun.rows, which tells whether every step saw them all).
      const { learningRate, batchSize, targets, classRows, rows: given, ...run } = trace.run;
      expect([learningRate, batchSize, targets, given]).toEqual([train.learningRate ?? (train.optimizer === 'adam' ? 0.001 : 0.1), train.batchSize, options.loss === 'mse' ? undefined : 'one-hot', 30]);
      expect(classRows?.reduce((a, b) => a + b)).toBe(options.loss === 'mse' ? undefined : 30);
      const { epochs, batchRows, ...json } = trace.toJSON();
      expect(epochs!.map((e) => e.epoch)).toEqual(Array.from({ length: train.epochs ?? 1 }, (_, i) => i));
      // Each record's batch rows came later too (diagnose reads the last full batch's record): 30 rows in batches of batchSize, the last the rows left.
      const perEpoch = Array.from({ length: Math.ceil(30 / train.batchSize!) }, (_, b) => Math.min(train.batchSize!, 30 - b * train.batchSize!));
      expect(batchRows).toEqual(Array.from(trace.steps, (step) => perEpoch[(step - 1) % perEpoch.length]));
      // And the CSV's accuracy cells are empty where the network has no classes (classesOf: the mse case's halved targets), as they were
      // not when hashed: hashed as written with them, toCSV checked to differ from it in those cells alone.
      const csv = traceCsv(trace.toJSON(), undefined, true);
      const classless = options.loss === 'mse';
      expect(trace.toCSV() === csv).toBe(!classless);
      if (classless) expect(trace.toCSV()).toBe(withoutAccuracy(csv));
      const hash = createHash('sha256').update(JSON.stringify({ ...json, run })).update(csvWithoutEpochs(csv)).digest('hex');
      expect(hash).toBe(BEFORE[`${backend} ${name}`]);
    });
  }
});
