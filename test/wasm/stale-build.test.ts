// A core built from older sources than the TypeScript that loads it is refused as it loads (review44
// #2): WebAssembly drops the arguments a function does not declare, so a build/ left from before
// f32_dense_bwd_weights gained `accumulate` (5566f9ef) trained on without a word, ∂W adding up over
// every step. The cores here are modules written byte by byte (test/util/wasm-module.ts) that export
// every function of the contract but the ones changed; the binaries built from these sources pass
// (test/wasm/core-contract.test.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GradscopeError } from '../../src/errors.js';
import { coreContract } from '../../src/wasm/exports.js';
import { instantiateProbe, setWasmLocation } from '../../src/wasm/loader.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { createThreadedWasmKernels } from '../../src/wasm/threads/threaded-kernels.js';
import { moduleExporting } from '../util/wasm-module.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-stale-build-'));
const url = (file: string) => pathToFileURL(join(folder, file)).href;

/** The contract of `variants`' core, with `changes` made to it: a parameter count, or null to leave the export out. */
function staleCore(variants: ('simd' | 'scalar')[], changes: Record<string, number | null>): [string, number][] {
  const contract = new Map(coreContract(variants));
  for (const [name, arity] of Object.entries(changes)) {
    expect(contract.has(name)).toBe(true);
    if (arity === null) contract.delete(name);
    else contract.set(name, arity);
  }
  return [...contract];
}

// The SIMD core as built before 5566f9ef: ∂W's product without its accumulate flag.
writeFileSync(join(folder, 'gradscope.simd.wasm'), moduleExporting(staleCore(['simd', 'scalar'], { f32_dense_bwd_weights__simd: 7 })));
// A scalar core off by more: the named mismatches, then a count of the rest.
writeFileSync(
  join(folder, 'gradscope.scalar.wasm'),
  moduleExporting(staleCore(['scalar'], { f32_dense_bwd_weights__scalar: 7, f32_dense_bwd_weights_rows__scalar: 7, f32_gemm__scalar: 9, f32_sgd_update__scalar: null, f32_zero: null })),
);
writeFileSync(join(folder, 'gradscope.simd-shared.wasm'), moduleExporting(staleCore(['simd', 'scalar'], { f32_dense_bwd_weights_rows__simd: 7 }), { sharedMemory: true }));
writeFileSync(join(folder, 'gradscope.probe.wasm'), moduleExporting([['heap_base', 0], ['f32_microkernel_rounds', 4]]));
setWasmLocation(pathToFileURL(`${folder}/`));

const REBUILD = "rebuild with `npm run build` (node scripts/build.mjs), and serve the .wasm files it writes from the folder setWasmLocation names";

async function refusal(loading: Promise<unknown>): Promise<string> {
  const caught = await loading.then(() => undefined, (error: unknown) => error);
  expect(caught).toBeInstanceOf(GradscopeError);
  expect((caught as GradscopeError).code).toBe('WASM_UNAVAILABLE');
  return (caught as GradscopeError).message;
}

describe('a core built from other sources', () => {
  it('is refused, naming the export, the parameters it takes and those expected, and how to rebuild', async () => {
    expect(await refusal(createWasmKernels({ binary: 'simd' }))).toBe(
      `could not load the gradscope core: ${url('gradscope.simd.wasm')} was built from other sources than this gradscope's: its f32_dense_bwd_weights__simd takes 7 parameters, expected 8; ${REBUILD}`,
    );
  });

  it('names three mismatches and counts the rest', async () => {
    expect(await refusal(createWasmKernels({ binary: 'scalar' }))).toBe(
      `could not load the gradscope core: ${url('gradscope.scalar.wasm')} was built from other sources than this gradscope's: it exports no function f32_zero (expected one of 2 parameters); its f32_dense_bwd_weights__scalar takes 7 parameters, expected 8; its f32_dense_bwd_weights_rows__scalar takes 7 parameters, expected 8; and 2 more; ${REBUILD}`,
    );
  });

  it('is refused by the threads, before any worker starts', async () => {
    expect(await refusal(createThreadedWasmKernels({ threads: 2 }))).toBe(
      `could not load the gradscope core: ${url('gradscope.simd-shared.wasm')} was built from other sources than this gradscope's: its f32_dense_bwd_weights_rows__simd takes 7 parameters, expected 8; ${REBUILD}`,
    );
  });

  it('a timing probe too', async () => {
    expect(await refusal(instantiateProbe('simd'))).toBe(
      `could not load the simd timing probe of binary: 'fastest' (gradscope.probe.wasm): ${url('gradscope.probe.wasm')} was built from other sources than this gradscope's: its f32_microkernel_rounds takes 4 parameters, expected 5; ${REBUILD}`,
    );
  });
});
