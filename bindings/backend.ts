/** Which Kernels a network runs on: 'wasm' (default), 'ref', or any Kernels object. */
import { invalidOption } from './errors.js';
import type { Kernels } from './kernels.js';
import { createRefKernels } from './ref/ref-kernels.js';
import { createWasmKernels, type WasmKernels } from './wasm/wasm-kernels.js';

export type BackendChoice = 'wasm' | 'ref' | Kernels;

let sharedWasm: Promise<WasmKernels> | undefined;

/** The wasm backend shared by every network that asks for 'wasm': one instance, one memory. */
export function defaultWasmKernels(): Promise<WasmKernels> {
  sharedWasm ??= createWasmKernels();
  sharedWasm.catch(() => (sharedWasm = undefined));
  return sharedWasm;
}

export async function resolveBackend(choice: BackendChoice | undefined): Promise<Kernels> {
  if (choice === undefined || choice === 'wasm') return defaultWasmKernels();
  if (choice === 'ref') return createRefKernels();
  if (typeof choice === 'object' && choice !== null && typeof choice.denseForward === 'function') return choice;
  throw invalidOption(`backend: expected 'wasm', 'ref' or a Kernels object, got ${JSON.stringify(choice)}`);
}
