/**
 * The kernel constructors the package exports: each backend's, with every call checked
 * (src/checked-kernels.ts), since a user's sizes come from nowhere checked. The library's own code
 * imports the unchecked constructors from src/ref and src/wasm (test/reliability/kernel-sizes
 * checks that nothing else imports this file's layer).
 */
import { checkedKernels } from './checked-kernels.js';
import type { Kernels } from './kernels.js';
import { createRefKernels as createUncheckedRefKernels, type RefOptions, type RefTensor } from './ref/ref-kernels.js';
import { createThreadedWasmKernels as createUncheckedThreadedKernels, type ThreadedOptions, type ThreadedWasmKernels } from './wasm/threads/threaded-kernels.js';
import { createWasmKernels as createUncheckedWasmKernels, type WasmKernels, type WasmOptions } from './wasm/wasm-kernels.js';

/** The ref kernels (plain TypeScript, the float64 oracle; options.precision 'f32' rounds as wasm does), every call checked. */
export function createRefKernels(options?: RefOptions): Kernels<RefTensor> {
  return checkedKernels(createUncheckedRefKernels(options));
}

/** The WebAssembly kernels (SIMD where the engine has it), every call checked. */
export async function createWasmKernels(options?: WasmOptions): Promise<WasmKernels> {
  return checkedKernels(await createUncheckedWasmKernels(options));
}

/** The WebAssembly kernels with dense products split across threads, every call checked; close() stops the workers. */
export async function createThreadedWasmKernels(options?: ThreadedOptions): Promise<ThreadedWasmKernels> {
  return checkedKernels(await createUncheckedThreadedKernels(options));
}
