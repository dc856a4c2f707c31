/**
 * writeFinite, an upload's copy and finiteness check in one call, on every backend: the parts land
 * one after another with the bits the backend's precision gives them (as write gives them), the
 * index of the first value that is not finite as stored is found wherever it lies (either side of
 * each boundary between the wasm backend's checks, CHECK_CHUNK floats apart, in one long part or
 * among rows that straddle the boundaries), and nothing is written past what the parts hold.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import type { Kernels, NumberArray } from '../../src/kernels.js';
import { CHECK_CHUNK } from '../../src/wasm/wasm-kernels.js';
import { kernelBackends } from '../util/backends.js';
import { guarded, readGuarded } from '../util/canaries.js';
import { expectError } from '../util/expect-error.js';

const backends = await kernelBackends();

/** Three chunks and a part of one: every value N(0, 1). */
const LENGTH = 3 * CHECK_CHUNK + 1001;
/** Rows of 784 (an MNIST digit), which do not divide CHECK_CHUNK: a chunk's check ends inside a row. */
const ROW = 784;

function values(seed: number, length = LENGTH): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length }, () => rng.normal());
}

/** `block` split into rows of `cols` (views of it, so a change to the block shows in the rows). */
function rowsOf(block: Float32Array, cols: number): Float32Array[] {
  return Array.from({ length: Math.ceil(block.length / cols) }, (_, r) => block.subarray(r * cols, (r + 1) * cols));
}

/** Indices on both sides of every check boundary, the first and the last. */
const PLACES = [0, 1, CHECK_CHUNK - 1, CHECK_CHUNK, CHECK_CHUNK + 1, 2 * CHECK_CHUNK - 1, 2 * CHECK_CHUNK, 3 * CHECK_CHUNK, LENGTH - 1];

function written(k: Kernels, parts: readonly NumberArray[], length: number): { at: number; values: Float64Array } {
  const t = guarded(k, new Float32Array(length).fill(-3));
  const at = k.writeFinite(t, parts);
  const got = readGuarded(k, t, length, `${k.name} writeFinite`);
  k.free(t);
  return { at, values: got };
}

/** The first index where a and b differ (bit for bit, as Object.is), or −1: a large array's mismatch in one line, and fast. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe.each(backends)('$name', ({ kernels: k }) => {
  const stored = (source: ArrayLike<number>) => Float64Array.from(k.precision === 'f32' ? Float32Array.from(source) : Float64Array.from(source));

  it('copies one long part and rows that straddle the check boundaries exactly, and finds every value finite', () => {
    const block = values(1);
    for (const parts of [[block], rowsOf(block, ROW), rowsOf(block, 10)]) {
      const { at, values: got } = written(k, parts, LENGTH);
      expect(at).toBe(-1);
      expect(firstDifference(got, stored(block)), `${parts.length} parts`).toBe(-1);
    }
  });

  it('copies parts of every numeric type as write stores them, one after another', () => {
    const parts: NumberArray[] = [Float64Array.of(0.1, -2.5e-40, 1e30), Uint8Array.of(0, 255), Int16Array.of(-32768), new Float32Array(0), Uint32Array.of(4294967295), Int8Array.of(-128)];
    const all = parts.flatMap((p) => Array.from(p));
    const { at, values: got } = written(k, parts, all.length);
    expect(at).toBe(-1);
    expect(got).toEqual(stored(all));
  });

  it('returns the index of a NaN, an infinity (either sign) or the first of two, on either side of every check boundary, in one part or in rows', () => {
    for (const [i, place] of PLACES.entries()) {
      for (const bad of [NaN, Infinity, -Infinity].filter((_, b) => b === i % 3 || place === CHECK_CHUNK)) {
        const block = values(2);
        block[place] = bad;
        if (place + 5 < LENGTH) block[place + 5] = NaN; // a later one is not the first
        for (const parts of [[block], rowsOf(block, ROW)]) {
          const { at, values: got } = written(k, parts, LENGTH);
          expect(at, `${bad} at ${place} in ${parts.length} parts`).toBe(place);
          // Everything before the fault is written.
          expect(firstDifference(got.subarray(0, place), stored(block.subarray(0, place)))).toBe(-1);
        }
      }
    }
  });

  it('finds the first fault among rows before a long part (left unchecked when it starts), in the long part, or in rows after it', () => {
    // Five rows (fewer floats than a chunk, so not yet checked), one block of two chunks and more, three short rows.
    const [before, long, after] = [5 * ROW, 2 * CHECK_CHUNK + 7, 3 * 10];
    const length = before + long + after;
    const split = (block: Float32Array) => [...rowsOf(block.subarray(0, before), ROW), block.subarray(before, before + long), ...rowsOf(block.subarray(before + long), 10)];
    const clean = values(4, length);
    expect(written(k, split(clean), length)).toEqual({ at: -1, values: stored(clean) });
    for (const place of [0, before - 1, before, before + CHECK_CHUNK + 3, before + long - 1, before + long, length - 1]) {
      const block = values(4, length);
      block[place] = NaN;
      if (place + 5 < length) block[place + 5] = Infinity; // a later one is not the first
      const { at, values: got } = written(k, split(block), length);
      expect(at, `NaN at ${place}`).toBe(place);
      expect(firstDifference(got.subarray(0, place), stored(block.subarray(0, place)))).toBe(-1);
    }
  });

  it('names a float64 beyond the float32 range as not finite where the tensors are float32, and stores it where they are float64', () => {
    const block = Float64Array.from(values(3));
    block[CHECK_CHUNK + 7] = -1e39;
    expect(written(k, [block], LENGTH).at).toBe(k.precision === 'f32' ? CHECK_CHUNK + 7 : -1);
  });

  it('finds values near the float32 limit finite, though their sum is not, and the NaN after them', () => {
    // The wasm check sums each chunk in float32 and decides an overflowed sum by its exact test.
    const block = Float32Array.from({ length: LENGTH }, (_, i) => (i % 2 === 0 ? 3e38 : 2e38));
    for (const parts of [[block], rowsOf(block, ROW)]) expect(written(k, parts, LENGTH)).toEqual({ at: -1, values: stored(block) });
    block[2 * CHECK_CHUNK + 5] = NaN;
    expect(written(k, [block], LENGTH).at).toBe(2 * CHECK_CHUNK + 5);
  });

  it('writes nothing and returns −1 for no parts', () => {
    expect(written(k, [], 8)).toEqual({ at: -1, values: new Float64Array(8).fill(-3) });
  });
});

describe.each(backends.filter((b) => b.name.startsWith('wasm')))('$name: room', ({ kernels: k }) => {
  it('refuses parts that would overrun the tensor (SHAPE_MISMATCH) before writing any of them', async () => {
    const t = k.alloc(6);
    k.write(t, new Float32Array(6).fill(-3));
    await expectError(() => k.writeFinite(t, [new Float32Array(4).fill(1), new Float32Array(3).fill(2)]), 'SHAPE_MISMATCH', /write of 7 values at offset 0 overruns a tensor of 6/);
    expect(Array.from(k.view(t))).toEqual(new Array(6).fill(-3));
    k.free(t);
  });
});
