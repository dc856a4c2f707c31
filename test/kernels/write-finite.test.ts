/**
 * writeFinite, an upload's copy and checks in one pass, on every backend: the parts land one after
 * another with the bits the backend's precision gives them (as write gives them); the first fault
 * in the tensor's order is the one returned, wherever it lies (either side of each boundary between
 * the wasm backend's finiteness checks: CHECK_CHUNK floats apart in one long part, every
 * rowsPerCheck rows among rows): a value that is not finite as stored, or a part that is not a
 * typed array of numbers of the length asked, named only once every value before it was found
 * finite; and nothing is written past what the parts hold. On two threads too, where the worker
 * checks each piece (WORKER_CHECK_CHUNK floats) while the main thread copies the next.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { GradscopeError } from '../../src/errors.js';
import { Rng } from '../../src/init/rng.js';
import type { Kernels, WriteFault } from '../../src/kernels.js';
import { CHECK_CHUNK, rowsPerCheck } from '../../src/wasm/wasm-kernels.js';
import { createThreadedWasmKernels, WORKER_CHECK_CHUNK } from '../../src/wasm/threads/threaded-kernels.js';
import { ThreadPool } from '../../src/wasm/threads/pool.js';
import { kernelBackends } from '../util/backends.js';
import { guarded, readGuarded } from '../util/canaries.js';
import { expectError } from '../util/expect-error.js';

// And two threads, where each check runs on the worker beside the main thread's copy of the next piece.
const threads = await createThreadedWasmKernels({ threads: 2 });
afterAll(() => threads.close());
const backends = [...(await kernelBackends()), { name: threads.name, kernels: threads }];

/** Rows of 784 (an MNIST digit), which do not divide CHECK_CHUNK: the rows' checks fall elsewhere than a block's. */
const ROW = 784;
/** Rows of 10 (a one-hot target): many to a check. */
const SHORT = 10;
/** Floats between two of `k`'s finiteness checks: the worker's pieces on threads, else CHECK_CHUNK. */
const chunkOf = (k: Kernels) => (k === threads ? WORKER_CHECK_CHUNK : CHECK_CHUNK);
/** More than three of `chunk`'s pieces, a whole number of rows of either length. */
const lengthFor = (chunk: number) => Math.ceil((3 * chunk + 1) / (ROW * SHORT)) * ROW * SHORT;
/** The one-thread backends' test length (seven rows of 7,840). */
const LENGTH = lengthFor(CHECK_CHUNK);

function values(seed: number, length = LENGTH): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length }, () => rng.normal());
}

/** `block` split into rows of `cols` (views of it, so a change to the block shows in the rows). */
function rowsOf(block: Float32Array, cols: number): Float32Array[] {
  return Array.from({ length: block.length / cols }, (_, r) => block.subarray(r * cols, (r + 1) * cols));
}

/** The forms writeFinite takes the same values in: one long part, rows of 784, rows of 10. */
function forms(block: Float32Array): [string, unknown[], number][] {
  return [
    ['one part', [block], block.length],
    ['rows of 784', rowsOf(block, ROW), ROW],
    ['rows of 10', rowsOf(block, SHORT), SHORT],
  ];
}

/** Indices on both sides of every check boundary of `chunk` (a long part's and rows of 784's) in `length` floats, the first and the last. */
const placesFor = (chunk: number, length: number) =>
  [
    ...[0, 1, 2, 3].flatMap((c) => [c * chunk - 1, c * chunk, c * chunk + 1]),
    ...[1, 2, 3].flatMap((c) => [c * rowsPerCheck(ROW, chunk) * ROW - 1, c * rowsPerCheck(ROW, chunk) * ROW]),
    length - 1,
  ].filter((i) => i >= 0 && i < length);

function written(k: Kernels, parts: readonly unknown[], partLength: number, length = LENGTH): { fault: WriteFault | undefined; values: Float64Array } {
  const t = guarded(k, new Float32Array(length).fill(-3));
  const fault = k.writeFinite(t, parts, partLength);
  const got = readGuarded(k, t, length, `${k.name} writeFinite`);
  k.free(t);
  return { fault, values: got };
}

/** The first index where a and b differ (bit for bit, as Object.is), or −1: a large array's mismatch in one line, and fast. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe.each(backends)('$name', ({ kernels: k }) => {
  const stored = (source: ArrayLike<number>) => Float64Array.from(k.precision === 'f32' ? Float32Array.from(source) : Float64Array.from(source));
  const chunk = chunkOf(k);
  const length = lengthFor(chunk);

  it('copies one long part and rows that straddle the check boundaries exactly, and finds every value finite', () => {
    const block = values(1, length);
    for (const [form, parts, partLength] of forms(block)) {
      const { fault, values: got } = written(k, parts, partLength, length);
      expect(fault, form).toBeUndefined();
      expect(firstDifference(got, stored(block)), form).toBe(-1);
    }
  });

  it('copies parts of every numeric type as write stores them, one after another', () => {
    const parts = [Float64Array.of(0.1, -2.5e-40), Float64Array.of(1e30, 7), Uint8Array.of(0, 255), Uint8ClampedArray.of(3, 250), Int16Array.of(-32768, 5), Uint16Array.of(65535, 1), Int32Array.of(-2147483648, 2), Uint32Array.of(4294967295, 4), Int8Array.of(-128, 127), Float32Array.of(0.5, -0.25)];
    const all = parts.flatMap((p) => Array.from(p));
    const { fault, values: got } = written(k, parts, 2, all.length);
    expect(fault).toBeUndefined();
    expect(got).toEqual(stored(all));
  });

  it('returns the index of a NaN, an infinity (either sign) or the first of two, on either side of every check boundary, in one part or in rows', () => {
    const source = values(2, length); // made once: the worker's pieces make long blocks
    for (const [i, place] of placesFor(chunk, length).entries()) {
      for (const bad of [NaN, Infinity, -Infinity].filter((_, b) => b === i % 3 || place === chunk)) {
        const block = source.slice();
        block[place] = bad;
        if (place + 5 < length) block[place + 5] = NaN; // a later one is not the first
        for (const [form, parts, partLength] of forms(block)) {
          const { fault, values: got } = written(k, parts, partLength, length);
          expect(fault, `${bad} at ${place} in ${form}`).toEqual({ value: place });
          // Everything before the fault is written.
          expect(firstDifference(got.subarray(0, place), stored(block.subarray(0, place)))).toBe(-1);
        }
      }
    }
  });

  it('stops at the first part that is no typed array of numbers of the length asked, once every value before it is found finite', () => {
    const wrongParts: [string, unknown][] = [
      ['a row one value short', new Float32Array(ROW - 1)],
      ['a row one value long', new Float64Array(ROW + 1)],
      ['a plain array', Array.from({ length: ROW }, () => 0.5)],
      ['a BigInt64Array', new BigInt64Array(ROW)],
      ['a DataView', new DataView(new ArrayBuffer(ROW * 4))],
      ['a string', 'x'.repeat(ROW)],
      ['null', null],
      ['undefined', undefined],
    ];
    const rows = length / ROW;
    const perCheck = rowsPerCheck(ROW, chunk);
    // Where the wrong part falls: first; among rows not yet checked; right after a check; last.
    const at = [0, 3, perCheck, perCheck + 1, rows - 1];
    const source = values(3, length);
    for (const [what, wrong] of wrongParts) {
      for (const p of at) {
        const block = source.slice();
        const parts: unknown[] = rowsOf(block, ROW);
        parts[p] = wrong;
        const { fault, values: got } = written(k, parts, ROW, length);
        expect(fault, `${what} at ${p}`).toEqual({ part: p });
        expect(firstDifference(got.subarray(0, p * ROW), stored(block.subarray(0, p * ROW)))).toBe(-1);
        // A value before it that is not finite comes first, even in rows not yet checked when the part is met.
        if (p === 0) continue;
        const nan = Float32Array.from(block);
        nan[p * ROW - 1] = NaN;
        const withNan: unknown[] = rowsOf(nan, ROW);
        withNan[p] = wrong;
        expect(written(k, withNan, ROW, length).fault, `NaN before ${what} at ${p}`).toEqual({ value: p * ROW - 1 });
      }
    }
    // A long part of the wrong length, or none at all.
    expect(written(k, [new Float32Array(length - 1)], length, length).fault).toEqual({ part: 0 });
    expect(written(k, [[1, 2, 3]], 3, 3).fault).toEqual({ part: 0 });
  });

  it('names a float64 beyond the float32 range as not finite where the tensors are float32, and stores it where they are float64', () => {
    const block = Float64Array.from(values(3, length));
    block[chunk + 7] = -1e39;
    const fault = written(k, [block], length, length).fault;
    if (k.precision === 'f32') expect(fault).toEqual({ value: chunk + 7 });
    else expect(fault).toBeUndefined();
  });

  it('finds values near the float32 limit finite, though their sum is not, and the NaN after them', () => {
    // The wasm check sums each chunk in float32 and decides an overflowed sum by its exact test.
    const block = Float32Array.from({ length }, (_, i) => (i % 2 === 0 ? 3e38 : 2e38));
    for (const [form, parts, partLength] of forms(block)) {
      const { fault, values: got } = written(k, parts, partLength, length);
      expect(fault, form).toBeUndefined();
      expect(firstDifference(got, stored(block)), form).toBe(-1);
    }
    block[2 * chunk + 5] = NaN;
    for (const [form, parts, partLength] of forms(block)) expect(written(k, parts, partLength, length).fault, form).toEqual({ value: 2 * chunk + 5 });
  });

  it('writes nothing and finds no fault for no parts', () => {
    expect(written(k, [], ROW, 8)).toEqual({ fault: undefined, values: new Float64Array(8).fill(-3) });
  });
});

describe.each(backends.filter((b) => b.name.startsWith('wasm')))('$name: room', ({ kernels: k }) => {
  it('refuses parts that would overrun the tensor (SHAPE_MISMATCH) before writing any of them', async () => {
    const t = k.alloc(6);
    k.write(t, new Float32Array(6).fill(-3));
    await expectError(() => k.writeFinite(t, [new Float32Array(4).fill(1), new Float32Array(4).fill(2)], 4), 'SHAPE_MISMATCH', /write of 8 values at offset 0 overruns a tensor of 6/);
    expect(Array.from(k.view(t))).toEqual(new Array(6).fill(-3));
    k.free(t);
  });
});

describe(`${threads.name}: an upload that throws while the worker checks`, () => {
  it("throws the upload's own error, not one from waiting for the worker after it, and still waits for the worker", async () => {
    // Its own pool: the worker is left unwaited here by the stand-in wait.
    const k = await createThreadedWasmKernels({ threads: 2 });
    try {
      const length = lengthFor(WORKER_CHECK_CHUNK);
      const parts: unknown[] = rowsOf(values(4, length), ROW);
      // The first check is posted to the worker after row rowsPerCheck − 1; the next row's length throws while it runs.
      const own = new Error("the caller's row cannot be read");
      // A Proxy of the row: its length is read through the proxy (a real typed array's is read from its slots, whatever its own `length` says).
      const at = rowsPerCheck(ROW, WORKER_CHECK_CHUNK);
      parts[at] = new Proxy(parts[at] as Float32Array, {
        get(target, key) {
          if (key === 'length') throw own;
          return Reflect.get(target, key) as unknown;
        },
      });
      const t = k.alloc(length);
      const waited = vi.spyOn(ThreadPool.prototype, 'wait').mockImplementation(() => {
        throw new GradscopeError('WASM_UNAVAILABLE', 'threads: worker 0 failed while running a kernel');
      });
      try {
        let thrown: unknown;
        try {
          k.writeFinite(t, parts, ROW);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBe(own);
        expect(waited).toHaveBeenCalledTimes(1);
      } finally {
        waited.mockRestore();
      }
    } finally {
      k.close();
    }
  });
});

describe(`${threads.name}: the worker's pieces`, () => {
  it('hands the worker one check per WORKER_CHECK_CHUNK floats (not per CHECK_CHUNK), in one part or in rows', () => {
    // 510 rows of 784: 4 hand-offs in one part and 3 in rows (the rows after the last whole piece are
    // checked on the main thread as the upload ends), where CHECK_CHUNK pieces made 25 and 25 (an
    // upload of 9,000 MNIST rows: 54 and 53 against 431 and 450).
    const length = lengthFor(WORKER_CHECK_CHUNK);
    const rows = length / ROW;
    const block = new Float32Array(length).fill(0.25);
    const posted = vi.spyOn(ThreadPool.prototype, 'post');
    try {
      for (const [form, parts, partLength] of [['one part', [block], length], ['rows of 784', rowsOf(block, ROW), ROW]] as const) {
        posted.mockClear();
        expect(written(threads, parts, partLength, length).fault, form).toBeUndefined();
        const pieces = form === 'one part' ? Math.ceil(length / WORKER_CHECK_CHUNK) : Math.floor(rows / rowsPerCheck(ROW, WORKER_CHECK_CHUNK));
        expect(posted.mock.calls.length, form).toBe(pieces);
      }
    } finally {
      posted.mockRestore();
    }
  });
});
