// Every public entry point refuses bad input with the right GradscopeError code, a message naming
// what and where, and leaves the network, its optimiser and its RNG exactly as they were (hash).
import { describe, expect, it } from 'vitest';
import { describeValue, shorten, shown, SHOWN_CHARACTERS, type ErrorCode } from '../../src/errors.js';
import { createOptimizer } from '../../src/optim/index.js';
import { createNetwork, Network } from '../../src/api/network.js';
import { createDataset } from '../../src/api/dataset.js';
import { uploadDataset } from '../../src/training/dataset.js';
import { toMatrix } from '../../src/data/matrix.js';
import { blockModelOf, networkFromModel } from '../../src/io/model-data.js';
import { RUNAWAY_PARAMETER } from '../../src/model-limits.js';
import { Sgd } from '../../src/optim/sgd.js';
import { kernelBackends } from '../util/backends.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';
import { MODEL } from '../../src/model.js';

const X = [[0.1, -0.2, 0.3], [1, 0.5, -1], [0, 0, 1], [-1, 2, 0.5]];
const Y = [[1, 0], [0, 1], [1, 0], [0, 1]];

describe.each(await kernelBackends())('errors on $name', ({ kernels }) => {
  const trained = async () => {
    const net = await createNetwork({ sizes: [3, 5, 2], activation: 'tanh', loss: 'cross-entropy', seed: 9, backend: kernels });
    const sgd = new Sgd(net, { momentum: 0.9 });
    net.train(X, Y, { epochs: 2, batchSize: 2, optimizer: sgd });
    return { net, sgd };
  };

  const cases: [string, ErrorCode, RegExp, (net: Network, sgd: Sgd) => unknown][] = [
    ['predict: short row', 'SHAPE_MISMATCH', /inputs: row 1 has 2 values, expected 3/, (n) => n.predict([[1, 2, 3], [1, 2]])],
    ['predict: rows a string', 'SHAPE_MISMATCH', /^inputs: rows: expected a whole number, got the string "2"$/, (n) => n.predict({ data: new Float32Array(6), rows: '2' as never, cols: 3 })],
    ['predict: cols a string', 'SHAPE_MISMATCH', /^inputs: cols: expected a whole number, got the string "3"$/, (n) => n.predict({ data: new Float32Array(6), rows: 2, cols: '3' as never })],
    ['predict: NaN', 'NON_FINITE_INPUT', /inputs: row 1, column 2 is NaN/, (n) => n.predict([[1, 2, 3], [1, 2, NaN]])],
    ['predict: beyond float32', 'NON_FINITE_INPUT', /row 0, column 0 is 1e\+39, beyond the float32 range/, (n) => n.predict([[1e39, 0, 0]])],
    ['predict: a string', 'SHAPE_MISMATCH', /row 0, column 1/, (n) => n.predict([[1, '2' as unknown as number, 3]])],
    ['predict: not rows', 'SHAPE_MISMATCH', /inputs: expected an array of rows/, (n) => n.predict(42 as never)],
    ['predict: flat, null data', 'SHAPE_MISMATCH', /inputs: data is null, not an array of numbers/, (n) => n.predict({ data: null as never, rows: 1, cols: 3 })],
    ['predict: flat, wrong cols', 'SHAPE_MISMATCH', /has 4 columns, expected 3/, (n) => n.predict({ data: new Float32Array(8), rows: 2, cols: 4 })],
    ['predict: flat, Inf', 'NON_FINITE_INPUT', /row 1, column 0 is Infinity/, (n) => n.predict({ data: [0, 0, 0, Infinity, 0, 0], rows: 2, cols: 3 })],
    ['gradients: rows differ', 'SHAPE_MISMATCH', /inputs \(4 rows\) and targets \(3 rows\) do not pair up row for row/, (n) => n.gradients(X, Y.slice(0, 3))],
    ['gradients: target NaN', 'NON_FINITE_INPUT', /targets: row 2, column 1 is NaN/, (n) => n.gradients(X, [[1, 0], [0, 1], [1, NaN], [0, 1]])],
    ['evaluate: no rows', 'SHAPE_MISMATCH', /no rows/, (n) => n.evaluate([], [])],
    ['evaluate: wide target', 'SHAPE_MISMATCH', /targets: row 0 has 3 values, expected 2/, (n) => n.evaluate([X[0]], [[1, 0, 0]])],
    ['train: options null', 'INVALID_OPTION', /^train: expected an options object, got null$/, (n) => n.train(X, Y, null as never)],
    ['train: options an array', 'INVALID_OPTION', /^train: expected an options object, got \[1\]$/, (n) => n.train(X, Y, [1] as never)],
    // The options are checked first, so a typo is named before the rows are read (it came after them).
    ['train: misspelt option, bad rows', 'INVALID_OPTION', /^train: unknown option 'epoch'; did you mean 'epochs'\?/, (n) => n.train(X, Y.slice(0, 3), { epoch: 2 } as never)],
    ['train: epochs 0', 'INVALID_OPTION', /epochs: expected a whole number ≥ 1, got 0/, (n) => n.train(X, Y, { epochs: 0 })],
    ['train: batchSize 1.5', 'INVALID_OPTION', /batchSize/, (n) => n.train(X, Y, { batchSize: 1.5 })],
    ['train: learningRate NaN', 'INVALID_OPTION', /learningRate/, (n) => n.train(X, Y, { learningRate: NaN })],
    ['train: learningRate −1', 'INVALID_OPTION', /learningRate/, (n) => n.train(X, Y, { learningRate: -1 })],
    ['train: momentum 1', 'INVALID_OPTION', /momentum.*got 1/, (n) => n.train(X, Y, { momentum: 1 })],
    ['train: weightDecay −1', 'INVALID_OPTION', /weightDecay/, (n) => n.train(X, Y, { weightDecay: -1 })],
    ['train: shuffle "yes"', 'INVALID_OPTION', /shuffle/, (n) => n.train(X, Y, { shuffle: 'yes' as never })],
    ['train: onBatch 5', 'INVALID_OPTION', /onBatch: expected a function/, (n) => n.train(X, Y, { onBatch: 5 as never })],
    ['train: optimizer {}', 'INVALID_OPTION', /optimizer/, (n) => n.train(X, Y, { optimizer: {} as never })],
    ['train: optimizer lacks restore', 'INVALID_OPTION', /missing restore\(\)/, (n) => n.train(X, Y, { optimizer: { name: 'x', step() {}, state() {}, dispose() {} } as never })],
    ['train: onNonFinite', 'INVALID_OPTION', /onNonFinite: expected one of throw, skip, halve/, (n) => n.train(X, Y, { onNonFinite: 'retry' as never })],
    ['train: maxHalvings −1', 'INVALID_OPTION', /maxHalvings/, (n) => n.train(X, Y, { onNonFinite: 'halve', maxHalvings: -1 })],
    ['train: bad validation', 'SHAPE_MISMATCH', /^validation\.x: row 0 has 1 value, expected 3$/, (n) => n.train(X, Y, { validation: { x: [[1]], y: [[1, 0]] } })],
    ['train: NaN target', 'NON_FINITE_INPUT', /targets: row 3, column 0/, (n) => n.train(X, [...Y.slice(0, 3), [NaN, 1]])],
    ['train: target −1 (cross-entropy)', 'INVALID_TARGET', /^targets: row 0, column 0 is -1, outside \[0, 1\]: the cross-entropy loss takes probabilities as targets/, (n) => n.train(X, [[-1, 2], ...Y.slice(1)])],
    ['train: one batch in order, target 2', 'INVALID_TARGET', /^targets: row 1, column 1 is 2, outside \[0, 1\]/, (n) => n.train(X, [Y[0], [0, 2], ...Y.slice(2)], { batchSize: 4, shuffle: false })],
    ['train: validation target 1.5', 'INVALID_TARGET', /^validation\.y: row 0, column 0 is 1\.5, outside \[0, 1\]/, (n) => n.train(X, Y, { validation: { x: X, y: [[1.5, 0], ...Y.slice(1)] } })],
    ['evaluate: target 1.5', 'INVALID_TARGET', /^targets: row 0, column 0 is 1\.5, outside \[0, 1\]: the cross-entropy loss/, (n) => n.evaluate(X, [[1.5, 0], ...Y.slice(1)])],
    ['gradients: target −0.5', 'INVALID_TARGET', /^targets: row 3, column 1 is -0\.5, outside \[0, 1\]/, (n) => n.gradients(X, [...Y.slice(0, 3), [0, -0.5]])],
    ['train(dataset): target 2', 'INVALID_TARGET', /^targets: row 2, column 0 is 2, outside \[0, 1\]/, (n) => n.train(n.dataset(X, [...Y.slice(0, 2), [2, 0], Y[3]]))],
    // Cross-entropy takes each target row as a distribution: in [0, 1] and summing to 1 (src/training/target-rules.ts).
    ['train: a target row of zeros', 'INVALID_TARGET', /^targets: row 1 sums to 0, not 1 \(\[0,0\]\): the cross-entropy loss takes each row as a probability distribution over the classes \(one-hot, or soft labels summing to 1 within 2\.4e-7\); binary-cross-entropy takes independent probabilities, mse any value$/, (n) => n.train(X, [Y[0], [0, 0], ...Y.slice(2)])],
    ['train: one batch in order, a row summing to 2', 'INVALID_TARGET', /^targets: row 2 sums to 2, not 1 \(\[1,1\]\)/, (n) => n.train(X, [Y[0], Y[1], [1, 1], Y[3]], { batchSize: 4, shuffle: false })],
    ['train: validation row summing to 0.6', 'INVALID_TARGET', /^validation\.y: row 3 sums to 0\.6, not 1/, (n) => n.train(X, Y, { validation: { x: X, y: [...Y.slice(0, 3), [0.3, 0.3]] } })],
    ['evaluate: target rows of zeros', 'INVALID_TARGET', /^targets: row 0 sums to 0, not 1/, (n) => n.evaluate(X, X.map(() => [0, 0]))],
    ['gradients: a row summing to 1.5', 'INVALID_TARGET', /^targets: row 3 sums to 1\.5, not 1 \(\[0\.5,1\]\)/, (n) => n.gradients(X, [...Y.slice(0, 3), [0.5, 1]])],
    ['train(dataset): a row of zeros', 'INVALID_TARGET', /^targets: row 2 sums to 0, not 1/, (n) => n.train(n.dataset(X, [...Y.slice(0, 2), [0, 0], Y[3]]))],
    ['train: misspelt learningRate', 'INVALID_OPTION', /^train: unknown option 'learningrate'; did you mean 'learningRate'\? \(known: epochs, batchSize, dropLast, learningRate/, (n) => n.train(X, Y, { learningrate: 0.1 } as never)],
    ['train: epoch for epochs', 'INVALID_OPTION', /^train: unknown option 'epoch'; did you mean 'epochs'\?/, (n) => n.train(X, Y, { epoch: 3 } as never)],
    ['train: trace evry', 'INVALID_OPTION', /^trace: unknown option 'evry'; did you mean 'every'\?/, (n) => n.train(X, Y, { trace: { evry: 5 } as never })],
    ['train: gradientNoise gama', 'INVALID_OPTION', /^gradientNoise: unknown option 'gama'; did you mean 'gamma'\?/, (n) => n.train(X, Y, { gradientNoise: { eta: 0.1, gama: 0.5 } as never })],
    ['train: validation { X, Y }', 'INVALID_OPTION', /^validation: unknown option 'X'; did you mean 'x'\? \(known: x, y, labels\)$/, (n) => n.train(X, Y, { validation: { X, Y } as never })],
    ['train: validation label', 'INVALID_OPTION', /^validation: unknown option 'label'; did you mean 'labels'\?/, (n) => n.train(X, Y, { validation: { x: X, y: Y, label: [0, 1, 0, 1] } as never })],
    ['train: validation { inputs, targets }', 'INVALID_OPTION', /^validation: unknown option 'inputs' \(known: x, y, labels\)$/, (n) => n.train(X, Y, { validation: { inputs: X, targets: Y } as never })],
    ['train: validation without y', 'INVALID_OPTION', /^validation: y is missing \(expected \{ x, y \} or a Dataset\)$/, (n) => n.train(X, Y, { validation: { x: X } as never })],
    ['train: validation null', 'INVALID_OPTION', /^validation: expected \{ x, y \} or a Dataset, got null$/, (n) => n.train(X, Y, { validation: null as never })],
    ['train: validation [x, y]', 'INVALID_OPTION', /^validation: expected \{ x, y \} or a Dataset, got \[\[\[/, (n) => n.train(X, Y, { validation: [X, Y] as never })],
    ['train: validation short row', 'SHAPE_MISMATCH', /^validation\.x: row 0 has 2 values, expected 3$/, (n) => n.train(X, Y, { validation: { x: [[1, 2]], y: [[1, 0]] } })],
    ['train: validation NaN', 'NON_FINITE_INPUT', /^validation\.x: row 1, column 2 is NaN/, (n) => n.train(X, Y, { validation: { x: [X[0], [1, 2, NaN]], y: Y.slice(0, 2) } })],
    ['train: validation rows differ', 'SHAPE_MISMATCH', /^validation\.x \(4 rows\) and validation\.y \(1 row\) do not pair up row for row$/, (n) => n.train(X, Y, { validation: { x: X, y: [Y[0]] } })],
    ['train: validation dataset of other sizes', 'SHAPE_MISMATCH', /^validation: rows of 2 inputs and 2 targets, but the network takes 3 and gives 2$/, (n) => n.train(X, Y, { validation: uploadDataset(n.kernels, [[1, 2]], [[1, 0]], { inputSize: 2, targetSize: 2 }) })],
    ['layerOutputs: int', 'INVALID_OPTION', /^layerOutputs: unknown option 'int'; did you mean 'into'\?/, (n) => n.layerOutputs(X, { int: 1 } as never)],
    ['train: with optimiser, bad lr', 'INVALID_OPTION', /learningRate/, (n, sgd) => n.train(X, Y, { optimizer: sgd, learningRate: Infinity })],
  ];

  it("train's validation takes a loadMnist-shaped { x, y, labels } (labels unread) as it takes { x, y }", async () => {
    const run = async (validation: { x: number[][]; y: number[][]; labels?: Uint8Array }) => {
      const net = await createNetwork({ sizes: [3, 5, 2], activation: 'tanh', loss: 'cross-entropy', seed: 9, backend: kernels });
      const result = net.train(X, Y, { epochs: 2, batchSize: 2, validation });
      net.dispose();
      return result.epochs.map((e) => e.validation);
    };
    const plain = await run({ x: X, y: Y });
    expect(plain.every((v) => v !== undefined)).toBe(true);
    expect(await run({ x: X, y: Y, labels: Uint8Array.from([0, 1, 0, 1]) })).toEqual(plain);
  });

  it('createNetwork, createDataset and initLsuv refuse a misspelt option, naming the nearest known one', async () => {
    await expectError(() => createNetwork({ sizes: [2, 3, 2], activaton: 'relu', backend: kernels } as never), 'INVALID_OPTION', /^createNetwork: unknown option 'activaton'; did you mean 'activation'\? \(known: sizes, inputs, layers, activation, output, loss, init, biasInit, seed, backend, threads\)$/);
    await expectError(() => createDataset(X, Y, { thread: 2 } as never), 'INVALID_OPTION', /^createDataset: unknown option 'thread'; did you mean 'threads'\?/);
    // null read .threads (a TypeError) and a string was taken as no options.
    await expectError(() => createDataset(X, Y, null as never), 'INVALID_OPTION', /^createDataset: expected an options object, got null$/);
    await expectError(() => createDataset(X, Y, 'wasm' as never), 'INVALID_OPTION', /^createDataset: expected an options object, got "wasm"$/);
    const lsuv = await createNetwork({ sizes: [3, 4, 2], init: 'lsuv', seed: 1, backend: kernels });
    await expectError(() => lsuv.initLsuv(X, { tolerence: 0.1 } as never), 'INVALID_OPTION', /^lsuv: unknown option 'tolerence'; did you mean 'tolerance'\?/);
    lsuv.dispose();
  });

  it('a value in a message is cut, whatever was passed: a network given as the optimiser spec, a transposed tensor shape shown as it is', async () => {
    const { net } = await trained();
    const byNetwork = await expectError(() => createOptimizer({ name: 'adam' } as never, net as never), 'INVALID_OPTION', /; a Network has no name and is missing step\(\) \(a network: createOptimizer takes the network first, then the spec\)$/);
    expect(byNetwork.message.length).toBeLessThan(200);
    const blocks = await createNetwork({ inputs: 4, loss: 'cross-entropy', seed: 1, backend: kernels, layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'batch-norm' }, { type: 'dense', units: 3, activation: 'softmax' }] });
    const file = blocks.toJSON() as { tensors: Record<string, { shape: number[] }> };
    file.tensors['0.weight'].shape = [4, 8];
    await expectError(() => Network.fromJSON(file as never, { backend: kernels }), 'BAD_MODEL_FILE', /^model\.tensors\["0\.weight"\]\.shape: expected \[8, 4\], got \[4, 8\]$/);
    expect(shown({ a: 'x'.repeat(10_000), b: Array(100).fill(1) }).length).toBeLessThanOrEqual(SHOWN_CHARACTERS);
    expect([shown(NaN), shown([1, 'a', null]), shown(new Float32Array(3)), shown(10n)]).toEqual(['NaN', '[1,"a",null]', 'a Float32Array', '10n']);
    blocks.dispose();
    net.dispose();
  });

  it('init lsuv: saving before LSUV ran is refused; a batch LSUV cannot rescale (variance 0) is refused, weights as before', async () => {
    const net = await createNetwork({ inputs: 4, loss: 'cross-entropy', seed: 1, init: 'lsuv', backend: kernels, layers: [{ type: 'dense', units: 8, activation: 'tanh' }, { type: 'dense', units: 3, activation: 'softmax' }] });
    expect(net.awaitingLsuv).toBe(true);
    await expectError(() => net.toJSON(), 'INVALID_OPTION', /^toJSON: this network was created with init 'lsuv' and waits for it .*run net\.initLsuv\(x\) or train with \{ lsuv: true \} before saving it$/);
    await expectError(() => blockModelOf(net), 'INVALID_OPTION', /^save or export: this network was created with init 'lsuv'/);
    const before = stateHash(net);
    await expectError(() => net.initLsuv([[0, 0, 0, 0], [0, 0, 0, 0]]), 'INVALID_OPTION', /^lsuv: the output of layer 0 has variance 0 on this batch .*nothing was changed$/);
    expect(stateHash(net)).toBe(before);
    expect(net.awaitingLsuv).toBe(true);
    net.initLsuv([[0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1], [0.9, 0.1, 0.5, 0.2]]);
    expect(net.awaitingLsuv).toBe(false);
    const copy = await Network.fromJSON(net.toJSON(), { backend: kernels });
    expect(copy.awaitingLsuv).toBe(false);
    copy.dispose();
    net.dispose();
  });

  it('binary cross-entropy refuses targets outside [0, 1]; mse takes them; a dataset is checked once, when it is used with such a loss', async () => {
    const bce = await createNetwork({ sizes: [3, 4, 2], output: 'sigmoid', loss: 'binary-cross-entropy', seed: 1, backend: kernels });
    const before = stateHash(bce);
    const wide = [[2, 0], ...Y.slice(1)];
    await expectError(() => bce.train(X, wide), 'INVALID_TARGET', /^targets: row 0, column 0 is 2, outside \[0, 1\]: the binary-cross-entropy loss takes probabilities/);
    expect(stateHash(bce)).toBe(before);
    const mse = await createNetwork({ sizes: [3, 4, 2], output: 'linear', loss: 'mse', seed: 1, backend: kernels });
    const data = mse.dataset(X, wide);
    expect(Number.isFinite(mse.train(data).epochs[0].loss)).toBe(true);
    expect(data.targetFaultFor('mse')).toBe(null);
    expect(data.targetFaultFor('binary-cross-entropy')).toEqual({ kind: 'outside-unit', row: 0, col: 0, value: 2 });
    bce.dispose();
    mse.dispose();
  });

  it('cross-entropy takes soft labels and rows built in float32; binary cross-entropy takes rows that do not sum to 1', async () => {
    const xent = await createNetwork({ sizes: [3, 10], output: 'softmax', seed: 1, backend: kernels });
    const x = [X[0], X[1]];
    // Label smoothing (0.1 over 10 classes) in float32, the last entry 1 − Σ the others as float32 sums it.
    const smoothed = new Float32Array(10).fill(0.01);
    smoothed[3] = 1 - Math.fround(Array.from(smoothed).reduce((sum, v, i) => (i === 3 ? sum : Math.fround(sum + v)), 0));
    expect(Number.isFinite(xent.gradients(x, [smoothed, [0.25, 0.75, 0, 0, 0, 0, 0, 0, 0, 0]]).loss)).toBe(true);
    const off = [0.5, 0.5 - 2e-5, 0, 0, 0, 0, 0, 0, 0, 0]; // off by 2e-5, over 10 classes' 1.2e-6
    await expectError(() => xent.gradients(x, [smoothed, off]), 'INVALID_TARGET', /^targets: row 1 sums to 0\.99998, not 1 .*within 1\.2e-6\)/);
    const bce = await createNetwork({ sizes: [3, 2], output: 'sigmoid', loss: 'binary-cross-entropy', seed: 1, backend: kernels });
    expect(Number.isFinite(bce.gradients(X, [[1, 1], [0, 0], [1, 0], [0.5, 0.5]]).loss)).toBe(true);
    xent.dispose();
    bce.dispose();
  });

  it.each(cases)('%s → %s, nothing changed', async (_name, code, where, call) => {
    const { net, sgd } = await trained();
    const before = stateHash(net, sgd);
    await expectError(() => call(net, sgd), code, where);
    expect(stateHash(net, sgd)).toBe(before);
    // Still usable afterwards.
    expect(net.predict(X).every((row) => row.every(Number.isFinite))).toBe(true);
    net.dispose();
    sgd.dispose();
  });

  it('createNetwork refuses bad options, naming the option', async () => {
    const bad: [object, RegExp][] = [
      [{ sizes: [3] }, /sizes: expected an array of at least an input and an output size \(e\.g\. \[784, 30, 10\]\), got \[3\]$/],
      [{ sizes: Float64Array.of(3, 2) }, /sizes: expected an array of .*, got a Float64Array$/],
      [{ sizes: [3, 0, 2] }, /sizes\[1\]: expected a whole number of units/],
      [{ sizes: [3, 2.5] }, /sizes\[1\]/],
      [{ inputs: 3, layers: [{ units: 4, activation: 'swish' }] }, /layers\[0\]\.activation/],
      [{ sizes: [3, 2], loss: 'hinge' }, /loss: expected one of/],
      [{ sizes: [3, 2], output: 'relu', loss: 'cross-entropy' }, /needs a 'softmax' output/],
      [{ sizes: [3, 2], seed: 1.5 }, /seed/],
      // The RNG takes 32 bits: -1 and 2^60 would silently be the seeds 2^32 - 1 and 0.
      [{ sizes: [3, 2], seed: -1 }, /^seed: expected an integer from 0 to 4,294,967,295 \(the random number generator's seed is 32 bits\), got -1$/],
      [{ sizes: [3, 2], seed: 2 ** 60 }, /^seed: expected an integer from 0 to 4,294,967,295 .*, got 1152921504606847000$/],
      [{ sizes: [3, 2], init: 'zeros' }, /init/],
      // More sparse connections than a layer has inputs would connect every input: a dense N(0, 1) init, not the sparse one asked for.
      [{ sizes: [4, 30, 2], init: { name: 'sparse', connections: 15 } }, /^init: \{ name: 'sparse', connections: 15 \} needs at most as many connections as each dense layer has inputs, but layer 0 \(4 → 30\) has 4: .*give connections ≤ 4$/],
      // The layer named is the narrowest, whose inputs are the bound given, not the first too narrow (layer 0's 10 here).
      [{ sizes: [10, 4, 2], init: { name: 'sparse', connections: 12 } }, /but layer 1 \(4 → 2\) has 4: .*give connections ≤ 4$/],
      [{ inputs: 20, layers: [{ type: 'dense', units: 8 }, { type: 'residual', layers: [{ type: 'dense', units: 8 }] }, { type: 'dense', units: 2 }], init: { name: 'sparse', connections: 10 } }, /but dense layer 1 has 8: .*give connections ≤ 8$/],
      [{ sizes: [3, 2], backend: 'gpu' }, /backend/],
    ];
    for (const [options, where] of bad) {
      await expectError(() => createNetwork({ ...options, backend: (options as { backend?: never }).backend ?? kernels }), 'INVALID_OPTION', where);
    }
    await expectError(() => createNetwork(null as never), 'INVALID_OPTION', /options object/);
  });

  it('fromJSON refuses bad models with BAD_MODEL_FILE, naming the field', async () => {
    const good = (await trained()).net.toJSON();
    const bad: [unknown, RegExp][] = [
      ['{not json', /not valid JSON/],
      [[], /expected a JSON object/],
      [{ ...good, format: 'x' }, /format/],
      [{ ...good, version: 3 }, /version/],
      [{ ...good, layers: [{ ...good.layers[0], inputs: 4 }, good.layers[1]] }, /layers\[0\]\.weights\[0\]: expected 4 numbers/],
      [{ ...good, layers: [good.layers[0], { ...good.layers[1], biases: [0, NaN] }] }, /layers\[1\]\.biases\[1\]/],
      [{ ...good, layers: [good.layers[0], { ...good.layers[1], biases: [0, 1e39] }] }, /layers\[1\]\.biases\[1\]: 1e\+39 is beyond the float32 range/],
      // Each field is named once (was 'layers[0].activation: activation: …', 'loss: loss: …'), and a hidden softmax at its own activation (was 'loss: layer 0: …').
      [{ ...good, layers: [{ ...good.layers[0], activation: 'sigmod' }, good.layers[1]] }, /^layers\[0\]\.activation: expected one of sigmoid, .*got "sigmod"; did you mean "sigmoid"\?$/],
      [{ ...good, layers: [{ ...good.layers[0], units: 0 }, good.layers[1]] }, /^layers\[0\]\.units: expected a whole number of units/],
      [{ ...good, loss: 'hinge' }, /^loss: expected one of mse, /],
      [{ ...good, layers: [{ ...good.layers[0], activation: 'softmax' }, good.layers[1]] }, /^layers\[0\]\.activation: softmax is only allowed on the output layer$/],
    ];
    for (const [json, where] of bad) await expectError(() => Network.fromJSON(json, { backend: kernels }), 'BAD_MODEL_FILE', where);
    await expectError(() => Network.fromJSON(good, { backend: kernels, seed: 0.5 }), 'INVALID_OPTION', /seed/);
  });

  it('refuses parameters beyond RUNAWAY_PARAMETER on load and on save, naming the layer and the value', async () => {
    // 3e38 is finite in float32 but its products overflow: loaded, the layer saturated and its gradients read 0.
    const { net } = await trained();
    const good = net.toJSON() as { layers: { weights: number[][]; biases: number[] }[] };
    const runaway = { ...good, layers: [good.layers[0], { ...good.layers[1], weights: good.layers[1].weights.map((row) => row.map(() => 3e38)) }] };
    const beyond = /^layers\[1\]\.weights\[0\]\[0\]: 3e\+38 is beyond ±1\.80e\+16, the largest parameter training allows/;
    await expectError(() => Network.fromJSON(runaway, { backend: kernels }), 'BAD_MODEL_FILE', beyond);
    await expectError(() => Network.fromJSON({ ...good, layers: [good.layers[0], { ...good.layers[1], biases: [0, -RUNAWAY_PARAMETER * 2] }] }, { backend: kernels }), 'BAD_MODEL_FILE', /^layers\[1\]\.biases\[1\]: -3602879\d+ is beyond/);
    // At the bound itself it loads (training keeps parameters within it).
    const edge = await Network.fromJSON({ ...good, layers: [good.layers[0], { ...good.layers[1], biases: [0, Math.fround(RUNAWAY_PARAMETER) > RUNAWAY_PARAMETER ? 1e16 : Math.fround(RUNAWAY_PARAMETER)] }] }, { backend: kernels });
    edge.dispose();
    // loadState sets what the caller holds in memory, as a direct write would: not a file, and the step guard names such a parameter before the next step.
    // A block network's tensors: by name and index.
    const blocks = await createNetwork({ inputs: 3, layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'batch-norm' }, { type: 'dense', units: 2, activation: 'softmax' }], backend: kernels });
    const model = blockModelOf(blocks);
    blocks.dispose();
    model.tensors[2].values[1] = -3e38;
    await expectError(() => networkFromModel(model, { backend: kernels }), 'BAD_MODEL_FILE', /2\.weight\[1\]: -3\.\d+e\+38 is beyond ±1\.80e\+16/);
  });

  it('every call after dispose throws DISPOSED; dispose twice is harmless', async () => {
    const { net, sgd } = await trained();
    net.dispose();
    net.dispose();
    const calls: (() => unknown)[] = [
      () => net.predict(X),
      () => net.gradients(X, Y),
      () => net.evaluate(X, Y),
      () => net.train(X, Y),
      () => net.train(X, Y, { optimizer: sgd }),
      () => net.toJSON(),
      () => net.parameters(),
    ];
    for (const call of calls) await expectError(call, 'DISPOSED', /disposed/);
  });
});

describe('OUT_OF_MEMORY up front', () => {
  it.each(['ref', 'wasm'] as const)('a network too large for memory (%s) is refused before anything is allocated', async (backend) => {
    const { createWasmKernels } = await import('../../src/wasm/wasm-kernels.js');
    const { createRefKernels } = await import('../../src/ref/ref-kernels.js');
    const kernels = backend === 'wasm' ? await createWasmKernels() : createRefKernels();
    const inUse = () => ('bytesInUse' in kernels ? (kernels.bytesInUse as number) : 0);
    const before = inUse();
    // Beyond what the model formats store (2^31 weights): refused as an option before memory is asked.
    await expectError(() => createNetwork({ sizes: [1 << 20, 1 << 11], backend: kernels }), 'INVALID_OPTION', /sizes: 2,147,485,696 parameters exceeds the limit of 268,435,456/);
    // Within it, but beyond what the backend has left (16 MiB here): OUT_OF_MEMORY, nothing allocated.
    const small = Object.create(kernels, { bytesAvailable: { value: () => 1 << 24 } }) as typeof kernels;
    await expectError(() => createNetwork({ sizes: [1 << 12, 1 << 12], backend: small }), 'OUT_OF_MEMORY', /sizes \[4096,4096\]: \d+\.\d MiB needed, but the [\w-]+ backend has 16\.0 MiB left/);
    expect(inUse()).toBe(before);
    const kernels2 = kernels;
    if (backend === 'wasm') {
      const kernels = kernels2 as Awaited<ReturnType<typeof createWasmKernels>>;
      // A network that fits, then a batch that does not: refused, and the network still works.
      const net = await createNetwork({ sizes: [1 << 12, 1 << 12], backend: kernels });
      const inUseNet = kernels.bytesInUse;
      await expectError(() => net[MODEL].ensureCapacity(1 << 18), 'OUT_OF_MEMORY', /batch of 262,144 rows/);
      expect(kernels.bytesInUse).toBe(inUseNet);
      expect(net.predict([new Array(1 << 12).fill(0.5)])[0].every(Number.isFinite)).toBe(true);
      net.dispose();
      // All that stays is the dense kernels' scratch, sized by the largest layer seen: a second
      // network of the same sizes leaves exactly the same bytes in use.
      const afterOne = kernels.bytesInUse;
      const again = await createNetwork({ sizes: [1 << 12, 1 << 12], backend: kernels });
      again.predict([new Array(1 << 12).fill(0.5)]);
      again.dispose();
      expect(kernels.bytesInUse).toBe(afterOne);
    }
  });

  // asOutOfMemory relabelled every RangeError an engine threw while building as OUT_OF_MEMORY: a
  // bug's RangeError (a bad length, a digits argument) read as "not enough memory" and was never reported.
  it.each(['ref', 'wasm'] as const)('only a failed allocation becomes OUT_OF_MEMORY; any other RangeError is passed on as the bug it is (%s)', async (backend) => {
    const { createWasmKernels } = await import('../../src/wasm/wasm-kernels.js');
    const { createRefKernels } = await import('../../src/ref/ref-kernels.js');
    const kernels = backend === 'wasm' ? await createWasmKernels() : createRefKernels();
    const inUse = () => ('bytesInUse' in kernels ? (kernels.bytesInUse as number) : 0);
    const before = inUse();
    // The third tensor asked for fails as `failure`.
    const failingAt = (failure: RangeError) => {
      let calls = 0;
      const alloc = (length: number) => {
        if (++calls === 3) throw failure;
        return kernels.alloc(length);
      };
      return Object.create(kernels, { alloc: { value: alloc } }) as typeof kernels;
    };
    // Either engine gives back what it was given (a block network: test/reliability/failed-builds.test.ts).
    const builds = [
      { build: (k: typeof kernels) => createNetwork({ sizes: [3, 4, 2], backend: k }), givesBack: true },
      { build: (k: typeof kernels) => createNetwork({ inputs: 3, layers: [{ type: 'dense', units: 4 }, { type: 'layer-norm' }, { type: 'dense', units: 2, activation: 'softmax' }], backend: k }), givesBack: true },
    ];
    for (const { build, givesBack } of builds) {
      // V8's words when an ArrayBuffer's storage cannot be had.
      await expectError(() => build(failingAt(new RangeError('Array buffer allocation failed'))), 'OUT_OF_MEMORY', /: the engine could not allocate \(Array buffer allocation failed\)$/);
      if (givesBack) expect(inUse()).toBe(before);
      for (const bug of [new RangeError('Invalid typed array length: -4'), new RangeError('toFixed() digits argument must be between 0 and 100')]) {
        let caught: unknown;
        await Promise.resolve(build(failingAt(bug))).catch((error: unknown) => (caught = error));
        expect(caught).toBe(bug);
        if (givesBack) expect(inUse()).toBe(before);
      }
    }
  });

  // A batch's buffers are freed and allocated anew, larger. The check counted only what they added to
  // the old ones, whose room, below other tensors, is a hole the larger new ones do not fit: it said
  // yes, the old buffers were freed, and the new ones failed halfway (OUT_OF_MEMORY from the allocator,
  // the network left with no buffers). It counts all of the new ones: refused before anything changes.
  it('a larger batch near the end of memory is refused before its old buffers are freed, and the network still works', async () => {
    const { createWasmKernels } = await import('../../src/wasm/wasm-kernels.js');
    const kernels = await createWasmKernels();
    const net = await createNetwork({ sizes: [64, 64], backend: kernels });
    const rows = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: 64 }, (_, j) => Math.sin(i + j)));
    net[MODEL].ensureCapacity(100);
    const blocker = kernels.alloc(4); // above the buffers: freed, they leave a hole
    // 300 rows' worth above the top: what growing from 100 to 400 rows adds, not all 400.
    const perRow = 64 + 64 + 64 + 3 * 64;
    const filler = kernels.alloc((kernels.bytesAvailable!() - 300 * perRow * 4 - 4096) / 4);
    const inUse = kernels.bytesInUse;
    await expectError(() => net[MODEL].ensureCapacity(400), 'OUT_OF_MEMORY', /^buffers for a batch of 400 rows: \d+\.\d MiB needed, but the [\w-]+ backend has \d+\.\d MiB left .*nothing was allocated$/);
    expect(kernels.bytesInUse).toBe(inUse);
    expect(net.predict(rows(100)).every((row) => row.every(Number.isFinite))).toBe(true);
    kernels.free(filler);
    kernels.free(blocker);
    net.dispose();
  });
});

describe('values and names in messages', () => {
  it("an object is named by its kind with its article ('an object', not 'a Object'), in a message too", async () => {
    class Anonymous {}
    expect([describeValue({ a: 1 }), describeValue(Object.create(null)), describeValue(new Int32Array(2)), describeValue(new Map()), describeValue(new (class {})()), describeValue(new Anonymous())]).toEqual([
      'an object',
      'an object',
      'an Int32Array',
      'a Map',
      'an object',
      'an Anonymous',
    ]);
    // A U said as "you" takes 'a' (class labels given as a Uint8Array were 'an Uint8Array'), another U 'an'.
    class Umbrella {}
    expect([describeValue(new Uint8Array(2)), describeValue(new Uint32Array(2)), describeValue(new URL('https://example.org/')), describeValue(new Umbrella())]).toEqual([
      'a Uint8Array',
      'a Uint32Array',
      'a URL',
      'an Umbrella',
    ]);
    const net = await createNetwork({ sizes: [2, 2], seed: 1, backend: 'ref' });
    await expectError(() => net.predict([{ a: 1 }] as never), 'SHAPE_MISMATCH', /^inputs: row 0 is an object, not an array of numbers$/);
    net.dispose();
  });

  it('targets given as class labels, as PyTorch and Keras take them, are refused with the one-hot rows the network wants', async () => {
    const net = await createNetwork({ sizes: [2, 3], output: 'softmax', seed: 1, backend: 'ref' });
    const before = stateHash(net);
    const x = [[0, 1], [1, 0], [1, 1]];
    const wanted = (r: number, value: number) => new RegExp(`^targets: row ${r} is ${value}, not an array of numbers; class labels\\? give each target as a one-hot row of 3 values \\(class 1 of 3: \\[0, 1, 0\\]\\)$`);
    await expectError(() => net.train(x, [0, 1, 2] as never), 'SHAPE_MISMATCH', wanted(0, 0));
    await expectError(() => net.evaluate(x, [[1, 0, 0], 1, [0, 0, 1]] as never), 'SHAPE_MISMATCH', wanted(1, 1));
    expect(stateHash(net)).toBe(before);
    // Inputs given as numbers are not labels: no such hint.
    await expectError(() => net.predict([0, 1] as never), 'SHAPE_MISMATCH', /^inputs: row 0 is 0, not an array of numbers$/);
    net.dispose();
    // Ten classes: the one-hot row cut after its first values, its length said.
    const ten = await createNetwork({ sizes: [2, 10], output: 'softmax', seed: 1, backend: 'ref' });
    await expectError(() => ten.train(x, [3, 1, 4] as never), 'SHAPE_MISMATCH', /^targets: row 0 is 3, not an array of numbers; class labels\? give each target as a one-hot row of 10 values \(class 1 of 10: \[0, 1, 0, …, 0\]\)$/);
    ten.dispose();
  });

  it('targets given as plain numbers to a network of one output (mse, binary cross-entropy) are refused with rows of one value', async () => {
    const x = [[0, 1], [1, 0]];
    const wanted = (r: number, value: number) => new RegExp(`^targets: row ${r} is ${value}, not an array of numbers; give each target as a row of one value: \\[\\[0\\], \\[1\\]\\], not \\[0, 1\\]$`);
    for (const options of [{ loss: 'mse' }, { output: 'sigmoid', loss: 'binary-cross-entropy' }] as const) {
      const net = await createNetwork({ sizes: [2, 1], ...options, seed: 1, backend: 'ref' });
      const before = stateHash(net);
      await expectError(() => net.train(x, [1.5, 2.3] as never), 'SHAPE_MISMATCH', wanted(0, 1.5));
      await expectError(() => net.evaluate(x, [[1], 0] as never), 'SHAPE_MISMATCH', wanted(1, 0));
      expect(stateHash(net)).toBe(before);
      net.dispose();
    }
  });

  it('targets given as plain numbers where no network or row says their width: both hints, rows of one value and one-hot rows', async () => {
    const x = [[0, 1], [1, 0], [1, 1]];
    const both = (r: number, value: number) =>
      new RegExp(`^targets: row ${r} is ${value}, not an array of numbers; give each target as a row: \\[\\[0\\], \\[1\\]\\] for a network of one output, a one-hot row per class label for several outputs \\(class 1 of 3: \\[0, 1, 0\\]\\)$`);
    await expectError(() => createDataset(x, [2, 0, 1] as never, { backend: 'ref' }), 'SHAPE_MISMATCH', both(0, 2));
    await expectError(() => toMatrix([2, 0, 1] as never, undefined, 'targets'), 'SHAPE_MISMATCH', both(0, 2));
    // A later row is held to the first row's width, as the network's.
    await expectError(() => createDataset(x, [[0, 1, 0], 2, [1, 0, 0]] as never, { backend: 'ref' }), 'SHAPE_MISMATCH', /^targets: row 1 is 2, not an array of numbers; class labels\? give each target as a one-hot row of 3 values/);
    await expectError(() => createDataset(x, [[0.5], 2, [1]] as never, { backend: 'ref' }), 'SHAPE_MISMATCH', /^targets: row 1 is 2, not an array of numbers; give each target as a row of one value: /);
  });

  it('a word of the caller (an option, a flag) is cut at 40 characters, the same way everywhere', async () => {
    expect(shorten('a'.repeat(40))).toBe('a'.repeat(40));
    expect(shorten('a'.repeat(41))).toBe(`${'a'.repeat(40)}…`);
    // Cut by code point: a character beyond U+FFFF (two UTF-16 units) is kept whole or left out whole, and counts as one.
    expect(shorten(`${'a'.repeat(39)}😀😀`)).toBe(`${'a'.repeat(39)}😀…`);
    expect(shorten('😀'.repeat(40))).toBe('😀'.repeat(40));
    expect(describeValue(`${'a'.repeat(19)}😀😀`)).toBe(`the string "${'a'.repeat(19)}😀…"`);
    expect(shown('😀'.repeat(100))).toBe(`"${'😀'.repeat(78)}…`);
    expect(shown('😀'.repeat(78))).toBe(`"${'😀'.repeat(78)}"`);
    // At the limit: 80 code points (quotes included) are shown whole, 81 cut to 79 and the …, whatever their UTF-16 length.
    expect(shown(`${'😀'.repeat(77)}a`)).toBe(`"${'😀'.repeat(77)}a"`);
    expect(shown(`${'😀'.repeat(77)}ab`)).toBe(`"${'😀'.repeat(77)}a…`);
    expect(shown(`${'a'.repeat(77)}😀`)).toBe(`"${'a'.repeat(77)}😀"`);
    expect(shown(`${'a'.repeat(77)}😀😀`)).toBe(`"${'a'.repeat(77)}😀…`);
    const net = await createNetwork({ sizes: [2, 2], seed: 1, backend: 'ref' });
    await expectError(() => net.train([[0, 1]], [[1, 0]], { ['b'.repeat(100)]: 1 } as never), 'INVALID_OPTION', new RegExp(`^train: unknown option '${'b'.repeat(40)}…'`));
    net.dispose();
  });

  it('lsuv options show the value given as every other option does', async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], init: 'lsuv', seed: 1, backend: 'ref' });
    await expectError(() => net.initLsuv([[0, 1], [1, 0]], { tolerance: 'tight' as never }), 'INVALID_OPTION', /^lsuv: tolerance: expected a finite number > 0, got "tight"$/);
    await expectError(() => net.initLsuv([[0, 1], [1, 0]], 'fast' as never), 'INVALID_OPTION', /^lsuv: expected an options object, got "fast"$/);
    net.dispose();
  });
});
