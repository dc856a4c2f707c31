/**
 * Every backend the shared suites run over, as tfjs runs core's tests on each backend.
 * ref (float64) is the oracle; the others must agree with it.
 */
import type { Kernels } from '../../src/kernels.js';
import { createRefKernels as createCheckedRefKernels, createWasmKernels as createCheckedWasmKernels } from '../../src/public-kernels.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { relaxedSimdSupported } from '../../src/wasm/loader.js';
import { createWasmKernels, type WasmKernels, type WasmTensor } from '../../src/wasm/wasm-kernels.js';

export interface NamedBackend {
  name: string;
  kernels: Kernels;
}

let cached: Promise<NamedBackend[]> | undefined;

export function kernelBackends(): Promise<NamedBackend[]> {
  cached ??= (async () => {
    const all: NamedBackend[] = [
      createRefKernels({ precision: 'f64' }),
      createRefKernels({ precision: 'f32' }),
      await createWasmKernels({ variant: 'simd', binary: 'simd' }),
      await createWasmKernels({ variant: 'scalar' }),
      await createWasmKernels({ variant: 'scalar', binary: 'scalar' }),
    ].map((kernels) => ({ name: kernels.name, kernels }));
    // The relaxed binary where the engine has relaxed SIMD (vitest.config.ts passes Node 20 the flag).
    if (relaxedSimdSupported()) all.push({ name: 'wasm-simd-relaxed', kernels: await createWasmKernels({ variant: 'simd', binary: 'simd-relaxed' }) });
    return all;
  })();
  return cached;
}

/** The backends under test (everything but the f64 oracle). */
export async function backendsUnderTest(): Promise<NamedBackend[]> {
  return (await kernelBackends()).filter((b) => b.name !== 'ref');
}

/** The end of the checked backends' names: they refuse a handle a test makes by hand (a pointer into a tensor), as they should. */
export const CHECKED_SUFFIX = ' checked';

let checkedCache: Promise<NamedBackend[]> | undefined;

/**
 * The backends under test, and ref-f32 and wasm-simd as the package exports them (every call
 * checked, src/checked-kernels.ts): the kernel suites run through both, so the checks refuse no
 * call the kernels take.
 */
export function backendsUnderTestChecked(): Promise<NamedBackend[]> {
  checkedCache ??= (async () => [
    ...(await backendsUnderTest()),
    ...[createCheckedRefKernels({ precision: 'f32' }), await createCheckedWasmKernels({ variant: 'simd', binary: 'simd' })].map((kernels) => ({ name: `${kernels.name}${CHECKED_SUFFIX}`, kernels })),
  ])();
  return checkedCache;
}

/** A tensor on `kernels` holding `values`. */
export function tensorOf(kernels: Kernels, values: ArrayLike<number>) {
  const t = kernels.alloc(values.length);
  kernels.write(t, values);
  return t;
}

/** tensorOf on a wasm backend, typed so that its pointer can be handed to raw exports. */
export const wasmTensorOf = (k: WasmKernels, values: ArrayLike<number>) => tensorOf(k, values) as WasmTensor;
