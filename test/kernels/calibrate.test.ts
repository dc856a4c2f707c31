// The choice of SIMD binary per CPU (src/wasm/calibrate.ts), on a fake clock: each candidate's
// call costs a fixed time, so the choice is decided by the rule, not by this machine's load.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fastest, RELAXED_MARGIN } from '../../src/wasm/calibrate.js';
import { relaxedSimdSupported } from '../../src/wasm/loader.js';
import { createWasmKernels, fastestSimdBinary } from '../../src/wasm/wasm-kernels.js';

function race(costs: Record<string, number>, margin?: number): string {
  let clock = 0;
  const candidates = Object.entries(costs).map(([name, cost]) => ({ name, run: () => void (clock += cost) }));
  return fastest(candidates, { margin, now: () => clock });
}

describe('the binary chosen per CPU', () => {
  it('keeps the default unless another is faster by the margin', () => {
    expect(race({ simd: 1, 'simd-relaxed': 0.8 })).toBe('simd-relaxed');
    expect(race({ simd: 1, 'simd-relaxed': 0.99 })).toBe('simd');
    expect(race({ simd: 1, 'simd-relaxed': 1.03 })).toBe('simd');
    expect(race({ simd: 1, 'simd-relaxed': RELAXED_MARGIN })).toBe('simd-relaxed');
    expect(race({ simd: 1, 'simd-relaxed': 0.99 }, 1)).toBe('simd-relaxed');
  });

  it("is measured once per process and is what binary 'fastest' loads; the default stays 'simd', which rounds alike everywhere", async () => {
    const choice = await fastestSimdBinary();
    expect(await fastestSimdBinary()).toBe(choice);
    expect(relaxedSimdSupported()).toBe(true); // vitest.config.ts passes Node 20 the flag
    expect(['simd', 'simd-relaxed']).toContain(choice);
    const fastest = await createWasmKernels({ binary: 'fastest' });
    expect(fastest.binary).toBe(choice);
    expect(fastest.name).toBe('wasm-simd');
    expect((await createWasmKernels()).binary).toBe('simd');
  });

  it('without relaxed SIMD (Node 20 without the flag) loads the plain binary and refuses the relaxed one, saying how to get it', () => {
    const script = `
      import { createWasmKernels } from './src/wasm/wasm-kernels.ts';
      const plain = await createWasmKernels();
      const refusal = await createWasmKernels({ binary: 'simd-relaxed' }).then(() => 'loaded', (e) => e.code + ': ' + e.message);
      console.log(JSON.stringify({ binary: plain.binary, refusal }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const { binary, refusal } = JSON.parse(out) as { binary: string; refusal: string };
    expect(binary).toBe('simd');
    expect(refusal).toMatch(/^WASM_UNAVAILABLE: .*--experimental-wasm-relaxed-simd/);
  });
});
