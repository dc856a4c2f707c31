// setWasmLocation after a core was fetched: a compiled core is not fetched again, so a call naming
// another folder would have been ignored without a word (the page loading from where it did not say).
// It is refused, the location unchanged; the folder the core came from, said again, is accepted (a
// page that calls it twice with the same URL keeps working). Failed fetches lock nothing
// (test/wasm/loader-http puts a wrong folder right).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GradscopeError } from '../../src/errors.js';
import { setWasmLocation } from '../../src/wasm/loader.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';

const BUILD = new URL('../../build/', import.meta.url);

describe('setWasmLocation once a core was fetched', () => {
  it('accepts the folder it came from, in any spelling, and refuses another, the location unchanged', async () => {
    // No location said: the package's own build/ is where the core comes from.
    expect((await createWasmKernels({ binary: 'scalar' })).binary).toBe('scalar');
    setWasmLocation(BUILD);
    setWasmLocation(BUILD.href.slice(0, -1)); // without its trailing slash: the same folder
    setWasmLocation(fileURLToPath(BUILD).replace(/\/$/, '').replace(/^/, 'file://'));
    let caught: unknown;
    try {
      setWasmLocation('/assets/gradscope/');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GradscopeError);
    expect((caught as GradscopeError).code).toBe('INVALID_OPTION');
    expect((caught as GradscopeError).message).toBe(
      `setWasmLocation: the core was already fetched from ${BUILD.href} (a network or dataset was made before this call) and is not fetched again, so file:///assets/gradscope/ would not be used; call setWasmLocation before the first createNetwork or createDataset`,
    );
    // Unchanged: a binary not yet compiled still comes from build/ (from /assets/gradscope/ it would be WASM_UNAVAILABLE).
    expect((await createWasmKernels({ binary: 'simd' })).binary).toBe('simd');
  });
});
