// The contract the loader checks every core against (src/wasm/exports.ts coreContract): each
// binary built from these sources meets it, and it names every function the binary exports, with
// the parameters each takes, so no export the TypeScript side calls goes unchecked. A core that does
// not meet it is refused (test/wasm/stale-build.test.ts).
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { coreContract } from '../../src/wasm/exports.js';
import { instantiateProbe, relaxedSimdSupported } from '../../src/wasm/loader.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { createThreadedWasmKernels, WORKER_EXPORTS, type ThreadedWasmKernels } from '../../src/wasm/threads/threaded-kernels.js';
import { ARGS_PER_CALL } from '../../src/wasm/threads/control.js';

/** Every function a built binary exports, with its parameter count. */
function functionsOf(exports: Record<string, unknown>): Map<string, number> {
  return new Map(Object.entries(exports).flatMap(([name, value]) => (typeof value === 'function' ? [[name, value.length] as [string, number]] : [])));
}

const sorted = (map: ReadonlyMap<string, number>) => [...map].sort(([a], [b]) => a.localeCompare(b));

const threaded: ThreadedWasmKernels[] = [];
afterAll(() => Promise.all(threaded.map((k) => k.close())));

describe('the core contract', () => {
  it.each(['simd', 'simd-relaxed', 'scalar'] as const)('is what the %s binary exports, every function and its parameters', async (binary) => {
    if (binary === 'simd-relaxed' && !relaxedSimdSupported()) return; // vitest.config.ts gives Node 20 the flag
    const k = await createWasmKernels({ binary });
    expect(sorted(functionsOf(k.exports))).toEqual(sorted(coreContract(binary === 'scalar' ? ['scalar'] : ['simd', 'scalar'])));
  });

  it('is what the threads\' shared binary exports, and the threaded backend loads it', async () => {
    const bytes = readFileSync(new URL('../../build/gradscope.simd-shared.wasm', import.meta.url));
    const memory = new WebAssembly.Memory({ initial: 16, maximum: 16, shared: true });
    const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
    expect(sorted(functionsOf(instance.exports))).toEqual(sorted(coreContract(['simd', 'scalar'])));
    const k = await createThreadedWasmKernels({ threads: 2 });
    threaded.push(k);
    expect(k.threadsFallback).toBeNull();
  });

  it('the probes load', async () => {
    expect(typeof (await instantiateProbe('simd')).f32_microkernel_rounds).toBe('function');
    if (relaxedSimdSupported()) expect(typeof (await instantiateProbe('simd-relaxed')).f32_microkernel_rounds).toBe('function');
  });

  it('holds every export a worker calls, each taking at most the arguments a worker passes', () => {
    // A worker calls every export with ARGS_PER_CALL arguments (control.ts callSource): one taking
    // more would get undefined (0, or NaN for a float) for the rest, without a word.
    const contract = coreContract(['simd', 'scalar']);
    expect(WORKER_EXPORTS.filter((name) => !contract.has(name))).toEqual([]);
    expect(WORKER_EXPORTS.filter((name) => contract.get(name)! > ARGS_PER_CALL)).toEqual([]);
    expect(Math.max(...WORKER_EXPORTS.map((name) => contract.get(name)!))).toBe(ARGS_PER_CALL);
  });
});
