/**
 * The trace's CSV holds its epochs, as its JSON does: read back as docs/gradient-flow.md says
 * (test/util/trace-csv.ts), every step row and epoch row equals the JSON's values, each step row
 * names the epoch it was taken in, and each epoch row comes after its steps.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { Trace } from '../../src/flow/trace.js';
import { Rng } from '../../src/init/rng.js';
import { EPOCH_CELLS, expectCsvMatchesJson, readTraceCsv } from '../util/trace-csv.js';
import { sabotaged } from '../util/sabotaged-optimizer.js';

const rng = new Rng(8);
const rows = (count: number) => {
  const x = Array.from({ length: count }, () => Array.from({ length: 4 }, () => rng.normal()));
  return { x, y: x.map((row) => (row[0] + row[1] > 0 ? [1, 0, 0] : row[2] > 0 ? [0, 1, 0] : [0, 0, 1])) };
};
const train = rows(30);
const held = rows(12);

describe('the trace CSV', () => {
  it('holds every epoch, traced or not at its end, with its loss and validation, and each step the epoch it is in', async () => {
    const net = await createNetwork({ sizes: [4, 6, 6, 3], activation: 'sigmoid', seed: 3, backend: 'ref' });
    // 4 batches an epoch (steps 1–16), a record every 3rd step (1, 4, 7, 10, 13, 16): epochs 2 and 3 end on untraced steps (8, 12).
    net.train(train.x, train.y, { epochs: 4, batchSize: 8, trace: { every: 3 }, validation: held });
    const trace = net.trace!;
    const csv = trace.toCSV();
    expectCsvMatchesJson(csv, trace.toJSON());
    const { steps, epochs, kinds } = readTraceCsv(csv);
    expect(epochs.map((e) => [e.step, e.epoch])).toEqual([['4', '1'], ['8', '2'], ['12', '3'], ['16', '4']]);
    expect(epochs.map((e) => Number(e.validationLoss))).toEqual(trace.epochs.map((e) => e.validation!.loss));
    expect([...new Set(steps.map((s) => `${s.step}:${s.epoch}`))]).toEqual(['1:1', '4:1', '7:2', '10:3', '13:4', '16:4']);
    // 30 rows in batches of 8: each epoch's 4th step (4, 16) is its short last batch of 6 rows.
    expect([...new Set(steps.map((s) => `${s.step}:${s.batchRows}`))]).toEqual(['1:8', '4:6', '7:8', '10:8', '13:8', '16:6']);
    expect(epochs.every((e) => e.batchRows === '')).toBe(true);
    // Each step row per layer (3), an epoch row after step 4's, after step 7's (epoch 2 ended at 8), after step 10's, at the end.
    const S = Array(3).fill('step');
    expect(kinds).toEqual([...S, ...S, 'epoch', ...S, 'epoch', ...S, 'epoch', ...S, ...S, 'epoch']);
    // Read back from its JSON file, the trace writes the same CSV.
    expect(Trace.fromJSON(JSON.parse(JSON.stringify(trace))).toCSV()).toBe(csv);
    net.dispose();
  });

  it('leaves the validation cells empty without validation rows, and names a block network\'s layers on its step rows by the three parts of layerLabel', async () => {
    const net = await createNetwork({ inputs: 4, layers: [{ type: 'dense', units: 5, activation: 'relu' }, { type: 'layer-norm' }, { type: 'dense', units: 3, activation: 'softmax' }], seed: 4, backend: 'ref' });
    net.train(train.x, train.y, { epochs: 2, batchSize: 10, trace: { every: 1 } });
    const trace = net.trace!;
    expectCsvMatchesJson(trace.toCSV(), trace.toJSON());
    const { header, steps, epochs } = readTraceCsv(trace.toCSV());
    expect(header.slice(-3 - EPOCH_CELLS.length)).toEqual(['path', 'name', 'type', ...EPOCH_CELLS]);
    expect(steps.slice(0, 3).map((s) => [s.path, s.name, s.type])).toEqual([['layers[0]', '0', 'dense'], ['layers[1]', '2', 'layer-norm'], ['layers[2]', '3', 'dense']]);
    expect(epochs.map((e) => [e.epoch, e.validationLoss, e.validationAccuracy, e.path, e.name, e.type])).toEqual([['1', '', '', '', '', ''], ['2', '', '', '', '', '']]);
    expect(epochs.map((e) => Number(e.epochLoss))).toEqual(trace.epochs.map((e) => e.loss));
    net.dispose();
  });

  it('gives no epoch to steps after the last recorded epoch, and none at all to a trace saved before epochs were recorded', async () => {
    const net = await createNetwork({ sizes: [4, 5, 3], activation: 'tanh', seed: 5, backend: 'ref' });
    net.train(train.x, train.y, { epochs: 2, batchSize: 15, trace: { every: 1 } });
    const json = net.trace!.toJSON();
    net.dispose();
    // As if the run had stopped within its second epoch: steps 3 and 4 belong to no recorded epoch.
    const cut = { ...json, epochs: json.epochs!.slice(0, 1) };
    const cutCsv = Trace.fromJSON(cut).toCSV();
    expectCsvMatchesJson(cutCsv, cut);
    expect(readTraceCsv(cutCsv).steps.map((s) => s.epoch)).toEqual(['1', '1', '1', '1', '', '', '', '']);
    const { epochs: _, ...older } = json;
    const olderCsv = Trace.fromJSON(older).toCSV();
    expectCsvMatchesJson(olderCsv, { ...older, epochs: [] });
    expect(readTraceCsv(olderCsv).epochs).toEqual([]);
    expect(readTraceCsv(olderCsv).steps.every((s) => s.epoch === '')).toBe(true);
    // A trace saved before gradscope recorded its batches' rows: the column is there, its cells empty.
    const { batchRows: __, ...unsized } = json;
    expect(readTraceCsv(Trace.fromJSON(unsized).toCSV()).steps.every((s) => s.batchRows === '')).toBe(true);
  });

  it("carries the training subset the epochs measured beside held-out rows, and the rate in force, which 'halve' lowered", async () => {
    const net = await createNetwork({ sizes: [4, 6, 3], activation: 'tanh', seed: 6, backend: 'ref' });
    // 3 batches an epoch; attempt 5 (epoch 2's second batch) is refused: epoch 2 runs again at 0.05.
    const optimizer = sabotaged(net, new Set([5]));
    net.train(train.x, train.y, { optimizer, epochs: 3, batchSize: 10, shuffle: false, learningRate: 0.1, onNonFinite: 'halve', trace: { every: 2 }, validation: held });
    const trace = net.trace!;
    optimizer.dispose();
    net.dispose();
    const csv = trace.toCSV();
    expectCsvMatchesJson(csv, trace.toJSON());
    const { steps, epochs } = readTraceCsv(csv);
    // As many training rows as held-out rows (12), at each epoch's end, at the held-out loss's weights.
    expect(epochs.map((e) => e.trainingSubsetRows)).toEqual(['12', '12', '12']);
    expect(epochs.map((e) => Number(e.trainingSubsetLoss))).toEqual(trace.epochs.map((e) => e.training!.loss));
    expect(epochs.map((e) => Number(e.trainingSubsetAccuracy))).toEqual(trace.epochs.map((e) => e.training!.accuracy));
    expect(epochs.map((e) => e.learningRate)).toEqual(['0.1', '0.05', '0.05']);
    // A step row has none of an epoch's cells.
    expect(steps.every((s) => EPOCH_CELLS.every((c) => s[c] === ''))).toBe(true);
    // Saved and read back, the same CSV.
    expect(Trace.fromJSON(JSON.parse(JSON.stringify(trace))).toCSV()).toBe(csv);
  });

  it('leaves the training-subset cells empty in a trace saved before they were recorded, and the rate empty where the run had none', async () => {
    const net = await createNetwork({ sizes: [4, 5, 3], activation: 'tanh', seed: 7, backend: 'ref' });
    net.train(train.x, train.y, { epochs: 2, batchSize: 15, learningRate: 0.2, trace: { every: 1 }, validation: held });
    const json = net.trace!.toJSON();
    net.dispose();
    const older = { ...json, epochs: json.epochs!.map(({ training: _, ...e }) => e) };
    const olderCsv = Trace.fromJSON(older).toCSV();
    expectCsvMatchesJson(olderCsv, older);
    const read = readTraceCsv(olderCsv).epochs;
    expect(read.map((e) => [e.trainingSubsetLoss, e.trainingSubsetAccuracy, e.trainingSubsetRows, e.learningRate])).toEqual([['', '', '', '0.2'], ['', '', '', '0.2']]);
    expect(read.map((e) => Number(e.validationLoss))).toEqual(json.epochs!.map((e) => e.validation!.loss));
    // An optimiser that chooses its own steps records no rate: the cell is empty, not the starting rate of another run.
    const { learningRate: _, ...noRate } = json.run;
    const ownSteps = { ...older, run: noRate };
    expect(readTraceCsv(Trace.fromJSON(ownSteps).toCSV()).epochs.map((e) => e.learningRate)).toEqual(['', '']);
  });

  it("says how many batches 'skip' left out of each epoch, whose loss is over the rest alone; 0 where none was", async () => {
    const net = await createNetwork({ sizes: [4, 5, 3], output: 'linear', loss: 'mse', seed: 9, backend: 'ref' });
    // Row 2's targets are beyond float32's squares: its batch (batchSize 1) faults in every epoch, whatever the weights.
    const y = train.y.slice(0, 4).map((row, i) => (i === 2 ? [1e30, 1e30, 1e30] : row));
    net.train(train.x.slice(0, 4), y, { epochs: 2, batchSize: 1, shuffle: false, onNonFinite: 'skip', trace: { every: 1 } });
    const trace = net.trace!;
    net.dispose();
    expect(trace.epochs.map((e) => e.skipped)).toEqual([1, 1]);
    const csv = trace.toCSV();
    expectCsvMatchesJson(csv, trace.toJSON());
    expect(readTraceCsv(csv).epochs.map((e) => e.skippedBatches)).toEqual(['1', '1']);
    // A run that left none out, and a trace saved before the count was recorded, read as none.
    const { epochs: [first, second] } = trace.toJSON() as { epochs: { skipped?: number }[] };
    const none = { ...trace.toJSON(), epochs: [first, second].map(({ skipped: _, ...e }) => e) };
    expect(readTraceCsv(Trace.fromJSON(none).toCSV()).epochs.map((e) => e.skippedBatches)).toEqual(['0', '0']);
  });
});
