// A dataset holds its targets: every call that takes one where it takes rows x, y refuses targets given
// beside it (SHAPE_MISMATCH, optionsBesideDataset's one rule), in each form rows take, before anything
// changes. train(data, rows) read the rows as its options and refused them as such ('expected an options
// object', 'unknown option 0', 'unknown option data'), and dropped a third argument; measureCurvature
// refused them as targets. Options with a `data` key ({ data: 1 }) are options, refused by their unknown key: only a
// flat block's keys make rows.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { measureCurvature } from '../../src/curvature/curvature.js';
import { kernelBackends } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

const X = [[0.1, -0.2, 0.3], [1, 0.5, -1], [0, 0, 1], [-1, 2, 0.5], [0.3, 0.3, -0.3], [2, -1, 0]];
const Y = [[1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1]];
const BESIDE = /^targets: given beside a Dataset, which holds its own; pass the dataset alone \(evaluate\(data\), gradients\(data\)\), with its options after it \(train\(data, options\), measureCurvature\(net, data, options\)\), or the rows x and y$/;
/** Other targets in each form rows take: an array of rows, { data, rows, cols }, and a typed array (a row's values). */
const OTHER = Y.map(([a, b]) => [b, a]);
const TARGET_FORMS: [string, unknown][] = [
  ['an array of rows', OTHER],
  ['{ data, rows, cols }', { data: Float32Array.from(OTHER.flat()), rows: OTHER.length, cols: 2 }],
  ['a typed array', Float32Array.from(OTHER.flat())],
];
type AnyCall = (...args: unknown[]) => unknown;

describe.each(await kernelBackends())('targets beside a dataset on $name', ({ kernels }) => {
  it.each(TARGET_FORMS)('evaluate, gradients, train and measureCurvature refuse %s by one rule, nothing changed', async (_form, targets) => {
    const net = await createNetwork({ sizes: [3, 5, 2], activation: 'tanh', output: 'softmax', seed: 4, backend: kernels });
    const data = net.dataset(X, Y);
    const before = stateHash(net);
    await expectError(() => (net.evaluate as AnyCall)(data, targets), 'SHAPE_MISMATCH', BESIDE);
    await expectError(() => (net.gradients as AnyCall)(data, targets), 'SHAPE_MISMATCH', BESIDE);
    await expectError(() => (net.train as AnyCall)(data, targets), 'SHAPE_MISMATCH', BESIDE);
    await expectError(() => (net.train as AnyCall)(data, targets, { epochs: 2 }), 'SHAPE_MISMATCH', BESIDE);
    await expectError(() => (measureCurvature as AnyCall)(net, data, targets), 'SHAPE_MISMATCH', BESIDE);
    await expectError(() => (measureCurvature as AnyCall)(net, data, targets, { k: 1 }), 'SHAPE_MISMATCH', BESIDE);
    expect(stateHash(net)).toBe(before);
    data.dispose();
    net.dispose();
  });

  it('an argument after the options is refused alike (train dropped it), and the options alone still work', async () => {
    const net = await createNetwork({ sizes: [3, 5, 2], activation: 'tanh', output: 'softmax', seed: 4, backend: kernels });
    const data = net.dataset(X, Y);
    const before = stateHash(net);
    await expectError(() => (net.train as AnyCall)(data, undefined, { epochs: 2 }), 'SHAPE_MISMATCH', BESIDE);
    await expectError(() => (net.train as AnyCall)(data, { epochs: 2 }, { epochs: 2 }), 'SHAPE_MISMATCH', BESIDE);
    await expectError(() => (measureCurvature as AnyCall)(net, data, { k: 1 }, { k: 1 }), 'SHAPE_MISMATCH', BESIDE);
    expect(stateHash(net)).toBe(before);
    // Options that are no object are still refused as options, and a misspelt key by name.
    await expectError(() => (net.train as AnyCall)(data, 5), 'INVALID_OPTION', /^train: expected an options object, got 5$/);
    await expectError(() => (net.train as AnyCall)(data, { epoch: 2 }), 'INVALID_OPTION', /^train: unknown option 'epoch'; did you mean 'epochs'\?/);
    // Options holding a `data` key are options with an unknown key, not rows: only a flat block (no key but data, rows and
    // cols; rows or cols beside data, or an array as data) is read as rows (isRowsShaped read any object with a data key as rows).
    for (const options of [{ data: 1 }, { data: [1, 0], epochs: 2 }, { data: null }, { data: new ArrayBuffer(8) }]) {
      await expectError(() => (net.train as AnyCall)(data, options), 'INVALID_OPTION', /^train: unknown option 'data'/);
      await expectError(() => (measureCurvature as AnyCall)(net, data, options), 'INVALID_OPTION', /unknown option 'data'/);
    }
    // A flat block short of a key, of the wrong length or with a wrong data (an ArrayBuffer, a string, none) is still rows:
    // targets beside the dataset, as optionsBesideDataset promises.
    const flatBlocks = [{ data: [1, 0] }, { data: [1, 0, 0], rows: 1, cols: 2 }, { data: new Float64Array(4), rows: 2 }, { data: new ArrayBuffer(8), rows: 2, cols: 1 }, { data: 'x', rows: 1, cols: 2 }, { rows: 6, cols: 2, data: undefined }];
    for (const targets of flatBlocks) {
      await expectError(() => (net.train as AnyCall)(data, targets), 'SHAPE_MISMATCH', BESIDE);
    }
    expect(net.train(data, { epochs: 2, batchSize: 3 }).epochs).toHaveLength(2);
    expect(measureCurvature(net, data, { k: 1, layers: false, maxSteps: 20 }).rows).toBe(X.length);
    expect(net.evaluate(data)).toEqual(net.evaluate(X, Y));
    data.dispose();
    net.dispose();
  });
});
