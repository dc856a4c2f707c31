/**
 * Canaries: known values written just past a kernel's output, so a test can check that the kernel
 * stayed inside the sizes it was given.
 */
import { expect } from 'vitest';
import type { Kernels, Tensor } from '../../src/kernels.js';
import type { WasmKernels, WasmTensor } from '../../src/wasm/wasm-kernels.js';

/** Exactly representable in f32 and unlike anything a kernel computes here. */
export const CANARY = 7777.5;
export const CANARIES = 4;

/** A tensor holding `values` followed by CANARIES canaries. */
export function guarded(k: Kernels, values: ArrayLike<number>): Tensor {
  const t = k.alloc(values.length + CANARIES);
  k.write(t, values);
  k.write(t, new Array(CANARIES).fill(CANARY), values.length);
  return t;
}

/** The first `length` values of a guarded tensor; fails if a canary after them was touched. */
export function readGuarded(k: Kernels, t: Tensor, length: number, label: string): Float64Array {
  const view = k.view(t);
  expect(Array.from(view.subarray(length)), `${label}: canaries after the output`).toEqual(new Array(CANARIES).fill(CANARY));
  return Float64Array.from(view.subarray(0, length));
}

/** `values` at a pointer 4 bytes into a fresh block, between two canaries: [CANARY, …values, CANARY]. */
export function placeUnaligned(k: WasmKernels, values: ArrayLike<number>): { t: WasmTensor; ptr: number } {
  const t = k.alloc(values.length + 2);
  k.write(t, [CANARY]);
  k.write(t, values, 1);
  k.write(t, [CANARY], values.length + 1);
  return { t, ptr: t.ptr + 4 };
}

/** The values between the canaries, after checking both canaries. */
export function readUnaligned(k: WasmKernels, t: WasmTensor, label: string): Float32Array {
  const view = k.view(t);
  const n = t.length - 2;
  expect(view[0], `${label}: canary before`).toBe(CANARY);
  expect(view[n + 1], `${label}: canary after`).toBe(CANARY);
  return Float32Array.from(view.subarray(1, n + 1));
}
