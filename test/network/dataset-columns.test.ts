// createDataset refuses rows no network can take: 0 values (a network has 1 to MAX_UNITS inputs and
// outputs), or more than MAX_UNITS. It uploaded rows of 0 values, a Dataset nothing could train on,
// where train(x, y) refuses them; now SHAPE_MISMATCH naming the side, before any memory is taken.
import { describe, expect, it } from 'vitest';
import { createDataset } from '../../src/api/dataset.js';
import { MAX_UNITS } from '../../src/checks.js';
import type { Rows } from '../../src/data/matrix.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { expectError } from '../util/expect-error.js';

const two = [[1], [0]];
const inputsOf0 = /^inputs: rows of 0 values; a network takes from 1 to 1,048,576 inputs, so nothing could train on them$/;
const targetsOf0 = /^targets: rows of 0 values; a network takes from 1 to 1,048,576 outputs, so nothing could train on them$/;

describe('createDataset: rows a network can take', () => {
  it.each<[string, Rows, Rows, RegExp]>([
    ['inputs of empty arrays', [[], []], two, inputsOf0],
    ['inputs of empty Float32Arrays', [new Float32Array(0), new Float32Array(0)], two, inputsOf0],
    ['inputs { data, rows: 2, cols: 0 }', { data: new Float32Array(0), rows: 2, cols: 0 }, two, inputsOf0],
    ['targets of empty arrays', two, [[], []], targetsOf0],
    ['targets { data, rows: 2, cols: 0 }', two, { data: [], rows: 2, cols: 0 }, targetsOf0],
    [`inputs of ${MAX_UNITS + 1} values`, { data: new Float32Array(MAX_UNITS + 1), rows: 1, cols: MAX_UNITS + 1 }, [[1]], /^inputs: rows of 1,048,577 values; a network takes from 1 to 1,048,576 inputs/],
  ])('%s: SHAPE_MISMATCH, no memory taken', async (_case, x, y, message) => {
    const kernels = await createWasmKernels();
    const before = kernels.bytesInUse;
    await expectError(() => createDataset(x, y, { backend: kernels }), 'SHAPE_MISMATCH', message);
    expect(kernels.bytesInUse).toBe(before);
  });

  it('takes rows of 1 value and of MAX_UNITS values', async () => {
    const narrow = await createDataset([[1], [2]], two, { backend: 'ref' });
    expect([narrow.rows, narrow.inputSize, narrow.targetSize]).toEqual([2, 1, 1]);
    narrow.dispose();
    const wide = await createDataset({ data: new Float32Array(MAX_UNITS), rows: 1, cols: MAX_UNITS }, [[1]], { backend: 'ref' });
    expect(wide.inputSize).toBe(MAX_UNITS);
    wide.dispose();
  });
});
