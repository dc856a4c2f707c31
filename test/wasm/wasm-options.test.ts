// createWasmKernels' option values: a variant or binary it does not have is refused by name (it
// bound no kernels, or loaded the scalar binary under another name, and failed later as a
// TypeError), and so is SIMD asked of the scalar binary or of an engine without SIMD, before
// anything is compiled or instantiated; a binary given alone picks the variant it holds.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { expectError } from '../util/expect-error.js';

afterEach(() => vi.restoreAllMocks());

describe('createWasmKernels checks its option values before it loads anything', () => {
  const refusals: [string, unknown, RegExp][] = [
    ['an unknown variant', { variant: 'SIMD' }, /^createWasmKernels: variant: expected one of simd, scalar, got "SIMD"; did you mean "simd"\?$/],
    ['a variant of another type', { variant: 1 }, /^createWasmKernels: variant: expected one of simd, scalar, got 1$/],
    ['an unknown binary', { binary: 'relaxed' }, /^createWasmKernels: binary: expected one of simd, simd-relaxed, scalar, fastest, got "relaxed"$/],
    ['a binary of another type', { binary: null }, /^createWasmKernels: binary: expected one of simd, simd-relaxed, scalar, fastest, got null$/],
    ['SIMD kernels of the scalar binary', { variant: 'simd', binary: 'scalar' }, /^createWasmKernels: variant 'simd' with binary 'scalar': the scalar binary has no SIMD kernels; use variant 'scalar', or binary 'simd'$/],
  ];

  it.each(refusals)('refuses %s (INVALID_OPTION), compiling and instantiating nothing', async (_, options, message) => {
    const compile = vi.spyOn(WebAssembly, 'compile');
    const instantiate = vi.spyOn(WebAssembly, 'instantiate');
    await expectError(() => createWasmKernels(options as never), 'INVALID_OPTION', message);
    expect(compile).not.toHaveBeenCalled();
    expect(instantiate).not.toHaveBeenCalled();
  });

  it("loads the scalar twins for binary 'scalar' given alone (it refused: the default variant was 'simd')", async () => {
    const kernels = await createWasmKernels({ binary: 'scalar' });
    expect([kernels.variant, kernels.binary, kernels.name]).toEqual(['scalar', 'scalar', 'wasm-scalar-binary']);
  });

  it("on an engine without SIMD: the scalar binary by default, and variant 'simd' refused as unavailable (WASM_UNAVAILABLE) before loading", async () => {
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false); // what simdSupported() asks
    const instantiate = vi.spyOn(WebAssembly, 'instantiate');
    await expectError(() => createWasmKernels({ variant: 'simd' }), 'WASM_UNAVAILABLE', /^createWasmKernels: variant 'simd': this engine does not support WebAssembly SIMD; use variant 'scalar'$/);
    expect(instantiate).not.toHaveBeenCalled();
    const kernels = await createWasmKernels();
    expect([kernels.variant, kernels.binary]).toEqual(['scalar', 'scalar']);
  });
});
