/**
 * A trace's CSV read back as docs/gradient-flow.md says to read it, independently of the code that
 * writes it (src/flow/trace-csv.ts), and compared with the trace's JSON: one header line; a row
 * with a layer is a step row, one with an empty layer an epoch row; an empty cell is NaN (or, for
 * the epoch of a step row, no epoch). No cell is quoted.
 */
import { expect } from 'vitest';
import type { TraceJSON } from '../../src/flow/trace.js';
import { blockPaths } from '../../src/layer-names.js';

/** The columns of an epoch row's own cells, as docs/gradient-flow.md lists them: empty on a step row. */
export const EPOCH_CELLS = ['epochLoss', 'validationLoss', 'validationAccuracy', 'trainingSubsetLoss', 'trainingSubsetAccuracy', 'trainingSubsetRows', 'learningRate', 'skippedBatches', 'appliedBatches'];

/** A CSV cell as a number: NaN when empty. */
const numberCell = (cell: string) => (cell === '' ? NaN : Number(cell));

/** The CSV's step rows and epoch rows, each as { column: cell } in file order, and its header. */
export function readTraceCsv(text: string): { header: string[]; steps: Record<string, string>[]; epochs: Record<string, string>[]; kinds: ('step' | 'epoch')[] } {
  expect(text.endsWith('\n')).toBe(true);
  const [header, ...lines] = text.slice(0, -1).split('\n').map((line) => line.split(','));
  const rows = lines.map((cells) => {
    expect(cells.length, cells.join(',')).toBe(header.length);
    return Object.fromEntries(header.map((name, i) => [name, cells[i]]));
  });
  return { header, steps: rows.filter((row) => row.layer !== ''), epochs: rows.filter((row) => row.layer === ''), kinds: rows.map((row) => (row.layer === '' ? 'epoch' : 'step')) };
}

/**
 * Checks a trace's CSV against its JSON, value for value: every step row (step, layer, loss,
 * accuracy, batch rows, each metric, name and type), the epoch each step was taken in (the first epoch ending at
 * or after it, counted from 1; none after the last), every epoch row (step, epoch from 1, its loss,
 * validation, training subset, learning rate in force, batches 'skip' left out and batches applied), the header's last columns (EPOCH_CELLS),
 * and the order: each epoch row after the step rows of its steps, before the next's.
 */
export function expectCsvMatchesJson(text: string, json: TraceJSON): void {
  const { header, steps, epochs, kinds } = readTraceCsv(text);
  expect(header.slice(-EPOCH_CELLS.length)).toEqual(EPOCH_CELLS);
  const metrics = Object.keys(json.metrics) as (keyof TraceJSON['metrics'])[];
  const same = (cell: string, value: number | null | undefined, what: string) => expect(numberCell(cell), what).toStrictEqual(value === null || value === undefined ? NaN : value);
  const layers = json.sizes.length - 1;
  const jsonEpochs = json.epochs ?? [];
  expect(steps.length).toBe(json.steps.length * layers);
  json.steps.forEach((step, r) => {
    const epoch = jsonEpochs.find((e) => e.step >= step);
    for (let l = 0; l < layers; l++) {
      const row = steps[r * layers + l];
      const what = `record ${r} layer ${l}`;
      expect([row.step, row.layer, row.epoch], what).toEqual([String(step), String(l), epoch ? String(epoch.epoch + 1) : '']);
      same(row.loss, json.losses[r], `${what} loss`);
      same(row.accuracy, json.accuracy[r], `${what} accuracy`);
      same(row.batchRows, json.batchRows?.[r], `${what} batchRows`);
      for (const name of metrics) same(row[name], json.metrics[name]![r][l], `${what} ${name}`);
      if (json.blocks) expect([row.path, row.name, row.type]).toEqual([blockPaths(json.blocks).layers[l], json.blocks.layers[l].name, json.blocks.layers[l].type]);
      for (const name of EPOCH_CELLS) expect(row[name], `${what} ${name}`).toBe('');
    }
  });
  expect(epochs.length).toBe(jsonEpochs.length);
  jsonEpochs.forEach((e, i) => {
    const row = epochs[i];
    expect([row.step, row.epoch], `epoch ${i}`).toEqual([String(e.step), String(e.epoch + 1)]);
    same(row.epochLoss, e.loss, `epoch ${i} loss`);
    same(row.validationLoss, e.validation?.loss, `epoch ${i} validation loss`);
    same(row.validationAccuracy, e.validation?.accuracy, `epoch ${i} validation accuracy`);
    same(row.trainingSubsetLoss, e.training?.loss, `epoch ${i} training subset loss`);
    same(row.trainingSubsetAccuracy, e.training?.accuracy, `epoch ${i} training subset accuracy`);
    same(row.trainingSubsetRows, e.training?.rows, `epoch ${i} training subset rows`);
    // The rate in force: the epoch's own where 'halve' lowered it, else the run's starting one.
    same(row.learningRate, e.learningRate ?? json.run.learningRate, `epoch ${i} learning rate`);
    // The batches 'skip' left out: the JSON records a count only where there was one.
    same(row.skippedBatches, e.skipped ?? 0, `epoch ${i} skipped batches`);
    // The batches it applied: empty where the JSON does not record them (a trace saved before they were).
    same(row.appliedBatches, e.batches, `epoch ${i} applied batches`);
    // Its step cells are empty.
    for (const name of header.slice(2, header.indexOf('epochLoss'))) expect(row[name], `epoch ${i} ${name}`).toBe('');
  });
  // In step order: an epoch's row comes after the rows of the steps up to its last, before any later step's.
  const seen = { step: 0, epoch: 0 };
  const order = kinds.map((kind) => Number((kind === 'step' ? steps : epochs)[seen[kind]++].step));
  expect(order).toEqual([...order].sort((a, b) => a - b));
  kinds.forEach((kind, i) => {
    if (kind === 'epoch' && i + 1 < kinds.length && kinds[i + 1] === 'step') expect(order[i + 1]).toBeGreaterThan(order[i]);
  });
}
