// The kernels call the core's own exports: @assemblyscript/loader's demangled exports wrap each
// function in a rest-args closure that every kernel call would go through (src/wasm/loader.ts).
import { describe, expect, it } from 'vitest';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';

/** Whether `fn` is an exported WebAssembly function (its source is native code), not a JavaScript wrapper. */
function isWasmExport(fn: unknown): boolean {
  return typeof fn === 'function' && /\{ \[native code\] \}$/.test(Function.prototype.toString.call(fn)) && !('original' in fn);
}

describe('the wasm backend calls the instance exports themselves', () => {
  it.each(['simd', 'scalar'] as const)('every function of the %s binary, and every kernel bound from it', async (binary) => {
    const k = await createWasmKernels({ binary });
    const functions = Object.values(k.exports).filter((value) => typeof value === 'function');
    expect(functions.length).toBeGreaterThan(50);
    expect(functions.filter((fn) => !isWasmExport(fn))).toEqual([]);
    const kernels = Object.entries(k.module);
    expect(kernels.length).toBeGreaterThan(30);
    expect(kernels.filter(([, fn]) => !isWasmExport(fn)).map(([name]) => name)).toEqual([]);
  });
});
