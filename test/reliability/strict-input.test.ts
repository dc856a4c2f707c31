// Strict input in every form: the flat { data, rows, cols } form refuses strings, null, booleans,
// arrays and holes as the rows form does (Float32Array.from would turn '123' into [1, 2, 3]), and
// sparse arrays anywhere in options, models and checkpoints are refused, never read as zeros.
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/errors.js';
import { checkpointFromJSON, checkpointOf, checkpointToJSON } from '../../src/io/checkpoint.js';
import { modelOf, networkFromModel } from '../../src/io/model-data.js';
import { createNetwork, Network } from '../../src/api/network.js';
import { Sgd } from '../../src/optim/sgd.js';
import { kernelBackends } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

const X = [[0.1, -0.2, 0.3], [1, 0.5, -1]];
const Y = [[1, 0], [0, 1]];
/** An array of `length` with nothing in it: `[, , ,]`. */
const holes = (length: number): number[] => new Array(length);

describe.each(await kernelBackends())('strict input on $name', ({ kernels }) => {
  const cases: [string, ErrorCode, RegExp, unknown][] = [
    ['data is a string', 'SHAPE_MISMATCH', /inputs: data is the string "123", not an array of numbers/, { data: '123', rows: 1, cols: 3 }],
    ['data is a DataView', 'SHAPE_MISMATCH', /inputs: data is a DataView, not an array of numbers/, { data: new DataView(new ArrayBuffer(12)), rows: 1, cols: 3 }],
    ['data is a BigInt64Array', 'SHAPE_MISMATCH', /inputs: data is a BigInt64Array/, { data: new BigInt64Array(3), rows: 1, cols: 3 }],
    ['data holds a string', 'SHAPE_MISMATCH', /inputs: row 0, column 1 is the string "2", not a number/, { data: [1, '2', 3], rows: 1, cols: 3 }],
    ['data holds null', 'SHAPE_MISMATCH', /inputs: row 1, column 0 is null, not a number/, { data: [1, 2, 3, null, 5, 6], rows: 2, cols: 3 }],
    ['data holds a boolean', 'SHAPE_MISMATCH', /inputs: row 0, column 2 is true, not a number/, { data: [1, 2, true], rows: 1, cols: 3 }],
    ['data holds an array', 'SHAPE_MISMATCH', /inputs: row 0, column 0 is an array, not a number/, { data: [[1], 2, 3], rows: 1, cols: 3 }],
    // A hole is named as one ('is undefined' named nothing the caller wrote, edges47 #7).
    ['data has a hole', 'SHAPE_MISMATCH', /inputs: row 0, column 1 is missing \(a hole in the array\), not a number/, { data: [1, , 3], rows: 1, cols: 3 }],
    ['a row has a hole', 'SHAPE_MISMATCH', /inputs: row 1, column 2 is missing \(a hole in the array\), not a number/, [[1, 2, 3], [1, 2, ,]]],
    // An explicit undefined is what it is.
    ['a row holds undefined', 'SHAPE_MISMATCH', /inputs: row 0, column 1 is undefined, not a number/, [[1, undefined, 3]]],
    // BigInt said as one: '1' read 'column 0 is 1, not a number' (edges47 #8).
    ['a row holds a BigInt', 'SHAPE_MISMATCH', /inputs: row 0, column 0 is the BigInt 1n, not a number/, [[1n, 2, 3]]],
    ['a row is a string', 'SHAPE_MISMATCH', /inputs: row 1 is the string "123", not an array of numbers/, [[1, 2, 3], '123']],
    ['a row is missing', 'SHAPE_MISMATCH', /inputs: row 0 is missing \(a hole in the array\), not an array of numbers/, [, [1, 2, 3]]],
    ['a later row is missing', 'SHAPE_MISMATCH', /inputs: row 1 is missing \(a hole in the array\), not an array of numbers/, [[1, 2, 3], , [1, 2, 3]]],
    ['a row is undefined', 'SHAPE_MISMATCH', /inputs: row 1 is undefined, not an array of numbers/, [[1, 2, 3], undefined]],
  ];

  it.each(cases)('%s: %s, and nothing changed', async (_name, code, where, x) => {
    const net = await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', loss: 'cross-entropy', seed: 2, backend: kernels });
    const before = stateHash(net);
    await expectError(() => net.predict(x as never), code, where);
    await expectError(() => net.train(x as never, { data: [1, 0], rows: 1, cols: 2 }), code, where);
    expect(stateHash(net)).toBe(before);
    net.dispose();
  });

  it('typed arrays of any number type are still taken in the flat form', async () => {
    const net = await createNetwork({ sizes: [3, 2], activation: 'tanh', loss: 'cross-entropy', seed: 2, backend: kernels });
    const expected = net.predict([[1, 2, 3]]);
    for (const data of [Float64Array.of(1, 2, 3), Int8Array.of(1, 2, 3), Uint16Array.of(1, 2, 3), [1, 2, 3]]) {
      expect(net.predict({ data, rows: 1, cols: 3 })).toEqual(expected);
    }
    net.dispose();
  });

  it('sparse arrays in options, models and checkpoints are refused, not read as zeros', async () => {
    await expectError(() => createNetwork({ sizes: [3, , 2] as number[], backend: kernels }), 'INVALID_OPTION', /sizes\[1\]: expected a whole number of units/);
    await expectError(() => createNetwork({ inputs: 3, layers: [, { units: 2 }] as never, backend: kernels }), 'INVALID_OPTION', /^layers\[0\]: expected a layer, .*got undefined$/);
    const net = await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', loss: 'cross-entropy', seed: 2, backend: kernels });
    const json = net.toJSON();
    const edited = (edit: (file: any) => void) => {
      const copy = structuredClone(json) as any;
      edit(copy);
      return copy;
    };
    const bad: [unknown, RegExp][] = [
      [edited((f) => (f.layers[0].weights = holes(4))), /layers\[0\]\.weights\[0\]: expected 3 numbers/],
      [edited((f) => (f.layers[1].weights[1] = holes(4))), /layers\[1\]\.weights\[1\]\[0\]: undefined is not a finite number/],
      [edited((f) => (f.layers[1].biases = holes(2))), /layers\[1\]\.biases\[0\]: undefined is not a finite number/],
      [edited((f) => (f.layers = [f.layers[0], ,])), /layers\[1\]: expected an object/],
    ];
    for (const [file, where] of bad) await expectError(() => Network.fromJSON(file, { backend: kernels }), 'BAD_MODEL_FILE', where);

    const model = modelOf(net);
    await expectError(() => networkFromModel({ ...model, weights: [holes(12) as never, model.weights[1]] }, { backend: kernels }), 'BAD_MODEL_FILE', /model\.weights\[0\]\[0\]: undefined is not a finite number/);
    await expectError(() => networkFromModel({ ...model, sizes: [3, , 2] as number[] }, { backend: kernels }), 'BAD_MODEL_FILE', /model\.sizes\[1\]/);

    const sgd = new Sgd(net, { momentum: 0.9 });
    net.train(X, Y, { optimizer: sgd });
    const checkpoint = checkpointToJSON(checkpointOf(net, sgd));
    const rng = [...checkpoint.training.rng];
    delete rng[1];
    await expectError(() => checkpointFromJSON({ ...checkpoint, training: { ...checkpoint.training, rng } }), 'BAD_MODEL_FILE', /training\.rng: expected four 32-bit state words/);
    const tensors = [...checkpoint.training.optimizer!.tensors];
    delete tensors[0];
    const optimizer = { ...checkpoint.training.optimizer!, tensors };
    await expectError(() => checkpointFromJSON({ ...checkpoint, training: { ...checkpoint.training, optimizer } }), 'BAD_MODEL_FILE', /training\.optimizer\.tensors\[0\]: expected an array of numbers/);
    sgd.dispose();
    net.dispose();
  });
});
