// Data sets uploaded once (createDataset, net.dataset): the same results as passing rows, nothing
// copied per call, the same checks and errors as every other entry point, and clean ownership.
import { describe, expect, it } from 'vitest';
import { createDataset } from '../../src/api/dataset.js';
import { createNetwork, type Network } from '../../src/api/network.js';
import { jacobianSpectrum } from '../../src/curvature/jacobian.js';
import { Rng } from '../../src/init/rng.js';
import type { ErrorCode } from '../../src/errors.js';
import type { Kernels } from '../../src/kernels.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { CHECK_CHUNK, createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

const SIZES = [6, 5, 3];

function data(rows: number, seed = 4) {
  const rng = new Rng(seed);
  const x = Array.from({ length: rows }, () => Float32Array.from({ length: SIZES[0] }, () => rng.normal()));
  const y = Array.from({ length: rows }, (_, r) => Float32Array.from({ length: SIZES[2] }, (_, j) => (j === r % SIZES[2] ? 1 : 0)));
  return { x, y, flat: { x: { data: Float32Array.from(x.flatMap((row) => [...row])), rows, cols: SIZES[0] }, y: { data: Float32Array.from(y.flatMap((row) => [...row])), rows, cols: SIZES[2] } } };
}

const net = (backend: Kernels | 'wasm' | 'ref' = 'wasm') =>
  createNetwork({ sizes: SIZES, activation: 'tanh', output: 'softmax', loss: 'cross-entropy', init: 'glorot-uniform', seed: 9, backend });

const options = { epochs: 3, batchSize: 7, learningRate: 0.2 };

describe('datasets uploaded once', () => {
  for (const backend of ['wasm', 'ref'] as const) {
    it(`train, evaluate and gradients on a dataset equal the same calls on rows, bit for bit (${backend})`, async () => {
      const kernels = backend === 'ref' ? createRefKernels() : await createWasmKernels();
      const { x, y, flat } = data(40);
      const [a, b] = [await net(kernels), await net(kernels)];
      const set = b.dataset(flat.x, flat.y);
      const epochs = (result: { epochs: { seconds: number }[] }) => result.epochs.map(({ seconds: _, ...rest }) => rest);
      expect(epochs(b.train(set, { ...options, validation: set }))).toEqual(epochs(a.train(x, y, { ...options, validation: { x, y } })));
      expect(stateHash(b)).toBe(stateHash(a));
      expect(b.evaluate(set)).toEqual(a.evaluate(x, y));
      expect(b.gradients(set).layers).toEqual(a.gradients(x, y).layers);
      // predict takes a dataset as the others do: its inputs' outputs, in order, as from the rows (more rows than one inference chunk).
      expect(b.predict(set)).toEqual(a.predict(x));
      set.dispose();
      a.dispose();
      b.dispose();
    });
  }

  it('predicts a dataset of more rows than one inference chunk in order, and names what layerOutputs, initLsuv and jacobianSpectrum take instead', async () => {
    const { x, flat } = data(600);
    const n = await net();
    const set = n.dataset(flat.x, flat.y);
    expect(n.predict(set)).toEqual(n.predict(x));
    await expectError(() => n.layerOutputs(set as never), 'SHAPE_MISMATCH', /layerOutputs: takes rows .*, not a Dataset \(which predict, evaluate, gradients and train take\)/);
    await expectError(() => n.initLsuv(set as never), 'SHAPE_MISMATCH', /initLsuv: takes rows .*, not a Dataset/);
    await expectError(() => jacobianSpectrum(n, set as never), 'SHAPE_MISMATCH', /^jacobianSpectrum: takes rows .*, not a Dataset/);
    set.dispose();
    n.dispose();
  });

  it('copies nothing into backend memory per call: only batches move', async () => {
    const writes: number[] = [];
    const base = createRefKernels({ precision: 'f32' }) as Kernels;
    const counting: Kernels = { ...base, write: (t, src, offset) => (writes.push(src.length), base.write(t, src, offset)) };
    const { flat } = data(64);
    const n = await net(counting);
    const set = n.dataset(flat.x, flat.y);
    writes.length = 0;
    n.train(set, { epochs: 2, batchSize: 16 });
    n.evaluate(set);
    n.predict(set);
    expect(writes.filter((length) => length >= 64)).toEqual([]);
    set.dispose();
    n.dispose();
  });

  it('refuses what rows are refused for, naming the row and column, and leaves nothing allocated', async () => {
    const kernels = await createWasmKernels();
    const n = await net(kernels);
    const before = kernels.bytesInUse;
    const { flat } = data(8);
    for (const [value, why] of [[NaN, /row 5, column 2 is NaN, not a finite number/], [Infinity, /row 5, column 2 is Infinity/]] as const) {
      const bad = Float32Array.from(flat.x.data);
      bad[5 * SIZES[0] + 2] = value;
      await expectError(() => n.dataset({ ...flat.x, data: bad }, flat.y), 'NON_FINITE_INPUT', why);
    }
    const wide = Float64Array.from(flat.x.data);
    wide[3 * SIZES[0]] = 1e39;
    await expectError(() => n.dataset({ ...flat.x, data: wide }, flat.y), 'NON_FINITE_INPUT', /inputs: row 3, column 0 is 1e\+39, beyond the float32 range/);
    await expectError(() => n.dataset({ ...flat.x, rows: 7 }, flat.y), 'SHAPE_MISMATCH', /inputs: data has 48 values, not 7 rows × 6/);
    await expectError(() => n.dataset(flat.x, { ...flat.y, data: flat.y.data.subarray(0, 21), rows: 7 }), 'SHAPE_MISMATCH', /inputs \(8 rows\) and targets \(7 rows\) do not pair up row for row/);
    await expectError(() => n.dataset([new Float32Array(6), new Float32Array(5)], flat.y), 'SHAPE_MISMATCH', /inputs: row 1 has 5 values, expected 6/);
    await expectError(() => n.dataset({ data: ['1', 2, 3, 4, 5, 6] as unknown as number[], rows: 1, cols: 6 }, [[1, 0, 0]]), 'SHAPE_MISMATCH', /^inputs: row 0, column 0 is the string "1", not a number$/);
    expect(kernels.bytesInUse).toBe(before);
    n.dispose();
  });

  it('refuses a value past the first of the core\'s checks (CHECK_CHUNK floats), in rows or one block, inputs or targets, leaving nothing allocated; then uploads exactly', async () => {
    const kernels = await createWasmKernels();
    const n = await net(kernels);
    const before = kernels.bytesInUse;
    const rows = Math.ceil((2 * CHECK_CHUNK) / SIZES[0]) + 3;
    const { x, y, flat } = data(rows);
    const late = rows - 2; // its values lie in the upload's last check
    const cases: [string, () => unknown, RegExp][] = [
      ['rows', () => n.dataset(x.map((row, r) => (r === late ? Float32Array.from(row, (v, c) => (c === 4 ? NaN : v)) : row)), y), new RegExp(`inputs: row ${late}, column 4 is NaN`)],
      ['block', () => n.dataset({ ...flat.x, data: Float64Array.from(flat.x.data, (v, i) => (i === late * SIZES[0] + 1 ? -1e39 : v)) }, flat.y), new RegExp(`inputs: row ${late}, column 1 is -1e\\+39, beyond the float32 range`)],
      ['targets', () => n.dataset(flat.x, y.map((row, r) => (r === late ? Float32Array.of(0, Infinity, 0) : row))), new RegExp(`targets: row ${late}, column 1 is Infinity`)],
    ];
    for (const [form, call, why] of cases) {
      await expectError(call, 'NON_FINITE_INPUT', why);
      expect(kernels.bytesInUse, form).toBe(before);
    }
    // Into the memory the refused uploads left half written: every value as given.
    for (const set of [n.dataset(x, y), n.dataset(flat.x, flat.y)]) {
      const { inputs, targets } = set.resident();
      expect(Array.from(set.kernels.view(inputs.tensor)).every((v, i) => v === flat.x.data[i])).toBe(true);
      expect(Array.from(set.kernels.view(targets.tensor))).toEqual(Array.from(flat.y.data));
      set.dispose();
    }
    expect(kernels.bytesInUse).toBe(before);
    n.dispose();
  });

  it('checks typed rows as it copies them, refusing what checking every shape first refused, an earlier dataset and the network as they were', async () => {
    const kernels = await createWasmKernels();
    const n = await net(kernels);
    const rows = Math.ceil((2 * CHECK_CHUNK) / SIZES[0]) + 3;
    const { x, y, flat } = data(rows);
    const empty = kernels.bytesInUse;
    const held = n.dataset(flat.x, flat.y);
    const [before, state] = [kernels.bytesInUse, stateHash(n)];
    const late = rows - 2; // past the core's first checks
    const withRow = (r: number, row: unknown) => x.map((old, i) => (i === r ? row : old)) as Float32Array[];
    const nanAt1 = withRow(1, Float32Array.from(x[1], (v, c) => (c === 3 ? NaN : v)));
    const cases: [string, unknown, ErrorCode, RegExp][] = [
      ['a short row past the first checks', withRow(late, new Float32Array(5)), 'SHAPE_MISMATCH', new RegExp(`^inputs: row ${late} has 5 values, expected 6$`)],
      // A value is named only when every row has its shape, as when the shapes were checked before any value.
      ['a NaN in row 1, a short row later', nanAt1.map((row, r) => (r === late ? new Float32Array(7) : row)), 'SHAPE_MISMATCH', new RegExp(`^inputs: row ${late} has 7 values, expected 6$`)],
      // A row that is no typed array: toMatrix's refusal, the first fault in the rows' order.
      ['a string row', withRow(late, 'abcdef'), 'SHAPE_MISMATCH', new RegExp(`^inputs: row ${late} is the string "abcdef", not an array of numbers$`)],
      ['a NaN in row 1, a string row later', nanAt1.map((row, r) => (r === late ? 'abcdef' : row)), 'NON_FINITE_INPUT', /^inputs: row 1, column 3 is NaN, not a finite number$/],
      ['a BigInt64Array row', withRow(late, new BigInt64Array(6)), 'SHAPE_MISMATCH', new RegExp(`^inputs: row ${late} is .*, not an array of numbers$`)],
      ['a plain row holding a NaN', withRow(late, [1, 2, NaN, 4, 5, 6]), 'NON_FINITE_INPUT', new RegExp(`^inputs: row ${late}, column 2 is NaN, not a finite number$`)],
      ['a NaN in row 1, a plain row later', nanAt1.map((row, r) => (r === late ? [1, 2, 3, 4, 5, 6] : row)), 'NON_FINITE_INPUT', /^inputs: row 1, column 3 is NaN, not a finite number$/],
    ];
    for (const [what, bad, code, why] of cases) {
      await expectError(() => n.dataset(bad as never, y), code, why);
      expect(kernels.bytesInUse, what).toBe(before);
      // train(x, y) checks the same rows in place (shapes first): the same refusal.
      await expectError(() => n.train(bad as never, y, { epochs: 1, batchSize: rows }), code, why);
      expect(stateHash(n), what).toBe(state);
    }
    expect(Array.from(held.kernels.view(held.resident().inputs.tensor))).toEqual(Array.from(flat.x.data));
    // Plain arrays among typed rows: taken, every value as given.
    const mixed = withRow(late, Array.from(x[late])).map((row, r) => (r === 3 ? Array.from(row) : row));
    const set = n.dataset(mixed, y);
    expect(Array.from(set.kernels.view(set.resident().inputs.tensor))).toEqual(Array.from(flat.x.data));
    set.dispose();
    held.dispose();
    expect(kernels.bytesInUse).toBe(empty);
    n.dispose();
  });

  it("says a dataset of another instance of the network's backend is one, and what to do, which works", async () => {
    const { flat } = data(8);
    const shared = await createDataset(flat.x, flat.y);
    const own = await net(await createWasmKernels());
    expect(shared.kernels.name).toBe(own.kernels.name);
    for (const call of [() => own.train(shared), () => own.evaluate(shared), () => own.predict(shared)]) {
      await expectError(
        call,
        'INVALID_OPTION',
        new RegExp(
          `^dataset: its rows live in another ${own.kernels.name} instance's memory than the network's \\(dataset\\.kernels is not net\\.kernels: each instance has memory of its own\\); make it with net\\.dataset\\(x, y\\), or createDataset\\(x, y, \\{ backend: net\\.kernels \\}\\)$`,
        ),
      );
    }
    // Followed, both ways work.
    const [mine, made] = [own.dataset(flat.x, flat.y), await createDataset(flat.x, flat.y, { backend: own.kernels })];
    expect(own.evaluate(made)).toEqual(own.evaluate(mine));
    // Another backend is named with the network's beside it.
    const onRef = await net('ref');
    await expectError(() => onRef.evaluate(shared), 'INVALID_OPTION', new RegExp(`^dataset: its rows live in another backend's memory \\(${shared.kernels.name}; the network's: ref\\); make it with`));
    for (const held of [shared, mine, made, own, onRef]) held.dispose();
  });

  it('names a row of another length before the memory a dataset would not fit in', async () => {
    const kernels = await createWasmKernels();
    const small = Object.create(kernels, { bytesAvailable: { value: () => 64 } }) as typeof kernels;
    const { x, y } = data(8);
    await expectError(() => createDataset(x, y, { backend: small }), 'OUT_OF_MEMORY', /the inputs \(8 rows × 6\): [\d.]+ MiB needed/);
    await expectError(() => createDataset(x.map((row, r) => (r === 6 ? row.subarray(1) : row)), y, { backend: small }), 'SHAPE_MISMATCH', /^inputs: row 6 has 5 values, expected 6$/);
  });

  it("refuses a dataset of other sizes or in another backend's memory, and a disposed one", async () => {
    const { flat } = data(8);
    const [a, b] = [await net(createRefKernels()), await net(createRefKernels())];
    const set = a.dataset(flat.x, flat.y);
    const before = stateHash(b);
    await expectError(() => b.train(set), 'INVALID_OPTION', /^dataset: its rows live in another ref instance's memory than the network's/);
    expect(stateHash(b)).toBe(before);
    const other = await createNetwork({ sizes: [6, 4], backend: a.kernels, seed: 1 });
    await expectError(() => other.evaluate(set), 'SHAPE_MISMATCH', /3 targets, but the network takes 6 and gives 4/);
    // One of each was "rows of 1 inputs and 1 targets".
    const single = await createDataset([[0.5], [0.25]], [[1], [0]], { backend: a.kernels });
    await expectError(() => other.evaluate(single), 'SHAPE_MISMATCH', /^dataset: rows of 1 input and 1 target, but the network takes 6 and gives 4$/);
    single.dispose();
    set.dispose();
    set.dispose();
    await expectError(() => a.train(set), 'DISPOSED', /dataset was disposed/);
    for (const m of [a, b, other]) m.dispose();
  });

  it('createDataset holds its kernels: networks come and go, the rows stay until dispose()', async () => {
    const { flat } = data(16);
    const set = await createDataset(flat.x, flat.y);
    const first: Network = await net();
    expect(first.kernels).toBe(set.kernels);
    const accuracy = first.evaluate(set).accuracy;
    first.dispose();
    const second = await net();
    expect(second.kernels).toBe(set.kernels);
    expect(second.evaluate(set).accuracy).toBe(accuracy);
    second.dispose();
    expect(set.rows).toBe(16);
    set.dispose();
    expect(set.isDisposed).toBe(true);
  });
});

// train(x, y) whose rows are one batch in their own order (one call per batch) writes them straight
// into the network's batch buffers: no dataset of their own, no copy from it into the batch.
describe('train() on one batch in order', () => {
  const inOrder = { epochs: 1, batchSize: 16, shuffle: false, learningRate: 0.2 };
  const blockNet = (backend: Kernels) =>
    createNetwork({ inputs: SIZES[0], layers: [{ type: 'dense', units: 5, activation: 'tanh' }, { type: 'batch-norm' }, { type: 'dense', units: 3, activation: 'softmax' }], loss: 'cross-entropy', seed: 9, backend });

  for (const backend of ['wasm', 'ref'] as const) {
    it(`trains exactly as on the same rows from a dataset, in every form of rows, dense and block networks (${backend})`, async () => {
      const kernels = backend === 'ref' ? createRefKernels() : await createWasmKernels();
      const { x, y, flat } = data(12);
      const plain = { x: x.map((row) => Array.from(row)), y: y.map((row) => Array.from(row)) };
      for (const make of [net, blockNet]) {
        const reference = await make(kernels);
        const set = reference.dataset(flat.x, flat.y);
        const expected = [reference.train(set, inOrder).epochs[0].loss];
        for (let call = 0; call < 2; call++) expected.push(reference.train(set, { ...inOrder, batchSize: undefined }).epochs[0].loss);
        for (const [xs, ys] of [[flat.x, flat.y], [x, y], [plain.x, plain.y]] as const) {
          const n = await make(kernels);
          // batchSize as given, then the default (32 ≥ 12 rows); a second call reuses the buffers.
          const losses = [n.train(xs, ys, inOrder).epochs[0].loss];
          for (let call = 0; call < 2; call++) losses.push(n.train(xs, ys, { ...inOrder, batchSize: undefined }).epochs[0].loss);
          expect(losses).toEqual(expected);
          expect(n.state()).toEqual(reference.state());
          n.dispose();
        }
        set.dispose();
        reference.dispose();
      }
    });
  }

  it('copies the rows once (no dataset, no batch copy); shuffled, several epochs or with validation, it uploads them', async () => {
    const base = createRefKernels({ precision: 'f32' }) as Kernels;
    const calls = { alloc: 0, copyRows: 0 };
    const counting: Kernels = {
      ...base,
      alloc: (length) => (calls.alloc++, base.alloc(length)),
      copyRows: (...args) => (calls.copyRows++, base.copyRows(...args)),
      // A batch's input rows gathered by the first layer's forward: a copy of rows too.
      denseForwardGather: (...args) => (calls.copyRows++, base.denseForwardGather(...args)),
    };
    const { flat } = data(12);
    const n = await net(counting);
    n.train(flat.x, flat.y, inOrder); // makes the batch buffers
    const count = (options: object) => {
      [calls.alloc, calls.copyRows] = [0, 0];
      n.train(flat.x, flat.y, options);
      return { ...calls };
    };
    expect(count(inOrder)).toEqual({ alloc: 0, copyRows: 0 });
    expect(count({ ...inOrder, batchSize: 12 })).toEqual({ alloc: 0, copyRows: 0 });
    expect(count({ ...inOrder, shuffle: true }).copyRows).toBe(2);
    // A call of more than one step also copies the last state judged good once (StepGuard, under
    // onNonFinite 'throw'): one copyRows per parameter tensor, none of them rows. The upload's first
    // rows in order are read where they lie (Engine.rowsInPlace): each epoch of one batch copies no
    // row, an epoch of two batches copies the second one's inputs and targets.
    const guardCopy = n.parameters().length;
    expect(count({ ...inOrder, epochs: 2 }).copyRows).toBe(guardCopy);
    expect(count({ ...inOrder, batchSize: 6 }).copyRows).toBe(2 + guardCopy);
    expect(count({ ...inOrder, epochs: 2, onNonFinite: 'skip' }).copyRows).toBe(0);
    expect(count({ ...inOrder, validation: { x: flat.x, y: flat.y } }).copyRows).toBeGreaterThan(0);
    n.dispose();
  });

  it('refuses bad rows with the errors an upload gives, leaving the network as it was', async () => {
    const n = await net(await createWasmKernels());
    const { flat } = data(8);
    n.train(flat.x, flat.y, inOrder);
    const before = stateHash(n);
    const bad = Float32Array.from(flat.x.data);
    bad[5 * SIZES[0] + 2] = NaN;
    const badTargets = Float32Array.from(flat.y.data);
    badTargets[7 * SIZES[2] + 1] = Infinity;
    const cases: [unknown, unknown][] = [
      [{ ...flat.x, data: bad }, flat.y],
      [flat.x, { ...flat.y, data: badTargets }],
      [{ ...flat.x, data: bad }, { ...flat.y, rows: 7 }],
      [{ ...flat.x, rows: 7 }, flat.y],
      [flat.x, { ...flat.y, data: flat.y.data.subarray(0, 21), rows: 7 }],
      [[new Float32Array(6), new Float32Array(5)], flat.y],
      [null, flat.y],
    ];
    for (const [x, y] of cases) {
      let uploadError: unknown;
      try {
        n.dataset(x as never, y as never).dispose();
      } catch (error) {
        uploadError = error;
      }
      expect(uploadError).toBeDefined();
      expect(() => n.train(x as never, y as never, inOrder)).toThrow(uploadError as Error);
      expect(stateHash(n)).toBe(before);
    }
    n.dispose();
  });
});
