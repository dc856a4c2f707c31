// The visualizer's downloads: the data file holds the rows it trains on as the CLI's --data reads them, and each file
// is named after the settings that made it (test/browser/visualizer reads the files back through the CLI).
import { describe, expect, it } from 'vitest';
import { dataFileJson, downloadName } from '../../demo/src/downloads.js';
import { planarDataset, splitDataset } from '../../demo/src/datasets.js';
import { DEFAULTS } from '../../demo/src/settings.js';
import { dataFromJSON } from '../../src/io/data-file.js';

describe('the visualizer’s downloads', () => {
  it('writes the training rows as a data file the CLI reads, value for value', () => {
    const { train } = splitDataset(planarDataset('spirals', DEFAULTS.seed, DEFAULTS.noise), DEFAULTS.trainPercent);
    const file = dataFromJSON(JSON.parse(dataFileJson(train.x, train.y)));
    expect([file.inputs.length, file.targets.length]).toEqual([train.x.rows, train.y.rows]);
    expect(file.inputs.flat()).toEqual(Array.from(train.x.data));
    expect(file.targets.flat()).toEqual(Array.from(train.y.data));
    expect(file.inputs.every((row) => row.length === train.x.cols) && file.targets.every((row) => row.length === train.y.cols)).toBe(true);
  });

  it('names each file after the settings that made it: the network for the trace and the model, the data set for the data', () => {
    const s = { ...DEFAULTS, depth: 2, width: 4, widths: '', activation: 'relu', init: 'he-normal', norm: 'batch-norm', residual: 'rezero', optimizer: 'adam' } as typeof DEFAULTS;
    expect(downloadName('trace', s)).toBe('gradscope-trace-4-4-relu-he-normal-batch-norm-rezero-residual-adam.json');
    expect(downloadName('model', s)).toBe('gradscope-model-4-4-relu-he-normal-batch-norm-rezero-residual-adam.json');
    expect(downloadName('data', s)).toBe(`gradscope-data-${s.dataset}-noise-${s.noise}-train-${s.trainPercent}.json`);
    // The digits have no noise to name.
    expect(downloadName('data', { ...s, dataset: 'mnist' })).toBe(`gradscope-data-mnist-train-${s.trainPercent}.json`);
  });
});
