// The visualizer's downloads: the data file holds the rows it trains on as the CLI's --data reads them, and each file
// is named after the settings that made it (test/browser/visualizer reads the files back through the CLI).
import { describe, expect, it } from 'vitest';
import { dataFileJson, downloadName, traceDiagnosisCall, traceNote } from '../../demo/src/downloads.js';
import { DATASETS, planarDataset, splitDataset } from '../../demo/src/datasets.js';
import { pageDiagnosis } from '../../demo/src/remedies.js';
import { pageRow } from '../../src/index.js';
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

  it('names each file after the settings that made it: the network for the trace and the model (with the step it stands at), the data set for the data', () => {
    const s = { ...DEFAULTS, depth: 2, width: 4, widths: '', activation: 'relu', init: 'he-normal', norm: 'batch-norm', residual: 'rezero', optimizer: 'adam' } as typeof DEFAULTS;
    expect(downloadName('trace', s, 120)).toBe('gradscope-trace-4-4-relu-he-normal-batch-norm-rezero-residual-adam.json');
    // A model file holds no step count: its name does.
    expect(downloadName('model', s, 120)).toBe('gradscope-model-4-4-relu-he-normal-batch-norm-rezero-residual-adam-step-120.json');
    expect(downloadName('data', s, 120)).toBe(`gradscope-data-${s.dataset}-noise-${s.noise}-train-${s.trainPercent}.json`);
    // The digits have no noise to name.
    expect(downloadName('data', { ...s, dataset: 'mnist' }, 0)).toBe(`gradscope-data-mnist-train-${s.trainPercent}.json`);
  });

  // The note beside the trace's download names the call; the panel runs diagnose() with pageDiagnosis: the same options.
  it("names the options the panel diagnoses with, for each data set", () => {
    for (const dataset of DATASETS) {
      expect(traceDiagnosisCall(dataset)).toContain(`{ reluRates: pageRow('${dataset}'), openEnded: true }`);
      expect(pageDiagnosis(dataset)).toEqual({ reluRates: pageRow(dataset), openEnded: true });
    }
    // With the run's test loss before its first step (HeldOutRows.lossAtStart), written so that the call pasted reads the same double.
    const start = 0.6931471824645996;
    expect(pageDiagnosis('circles', start)).toEqual({ reluRates: pageRow('circles'), heldOutAtStart: start, openEnded: true });
    const call = traceDiagnosisCall('circles', start);
    expect(call).toBe("diagnose(Trace.fromJSON(json), { reluRates: pageRow('circles'), heldOutAtStart: 0.6931471824645996, openEnded: true })");
    expect(Number(/heldOutAtStart: ([\d.e+-]+)/.exec(call)![1])).toBe(start);
    expect(traceNote('circles', start)).toContain('and the test rows’ loss before the first step, which the trace does not hold');
    expect(traceNote('circles')).not.toContain('before the first step');
    // After the first step, the mean loss's ‖∂C/∂b‖ on the probe rows at step 0 and now: each number as JavaScript writes it (NaN for a row without a bias).
    const mean = { rows: 256, start: [0.1, 0.030000000000000002, NaN], end: [1e-7, 2.5e-5, NaN] };
    const withMean = traceDiagnosisCall('circles', start, mean);
    expect(withMean).toBe(
      "diagnose(Trace.fromJSON(json), { reluRates: pageRow('circles'), heldOutAtStart: 0.6931471824645996, meanLossGradient: { rows: 256, start: [0.1, 0.030000000000000002, NaN], end: [1e-7, 0.000025, NaN] }, openEnded: true })",
    );
    const parsed = /start: \[([^\]]*)\], end: \[([^\]]*)\]/.exec(withMean)!;
    expect([parsed[1], parsed[2]].map((list) => list.split(', ').map(Number))).toEqual([mean.start, mean.end]);
    expect(traceNote('circles', start, mean)).toContain(
      '(the options: the relu rates measured on this data, the test rows’ loss before the first step and each layer’s ‖∂C/∂b‖ of the mean loss over the first 256 training rows at step 0 and now, which the trace does not hold; `openEnded`: the run has no epochs set)',
    );
  });
});
