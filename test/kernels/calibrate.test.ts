// The choice of SIMD binary per CPU (src/wasm/calibrate.ts), on a fake clock: each candidate's
// call costs a fixed time, so the choice is decided by the rule, not by this machine's load.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CALIBRATION_BUDGET_MS, fastest, RELAXED_MARGIN } from '../../src/wasm/calibrate.js';
import { relaxedSimdSupported } from '../../src/wasm/loader.js';
import { createWasmKernels, fastestSimdBinary } from '../../src/wasm/wasm-kernels.js';

/** A call's cost in ms: fixed, or by call number (an engine tiering up). */
type Cost = number | ((call: number) => number);

function race(costs: Record<string, Cost>, margin?: number, budgetMs?: number): { chosen: string; spent: number } {
  let clock = 0;
  const candidates = Object.entries(costs).map(([name, cost]) => {
    let calls = 0;
    return { name, run: () => void (clock += typeof cost === 'number' ? cost : cost(calls++)) };
  });
  const chosen = fastest(candidates, { margin, budgetMs, now: () => clock });
  return { chosen, spent: clock };
}

/** Baseline tier (8× slower) for the first `calls` calls, then `cost`. */
const tierUp = (calls: number, cost: number) => (call: number) => (call < calls ? 8 * cost : cost);

describe('the binary chosen per CPU', () => {
  it('keeps the default unless another is faster by the margin', () => {
    const ms = 0.08; // one product of the calibration on this machine
    expect(race({ simd: ms, 'simd-relaxed': 0.8 * ms }).chosen).toBe('simd-relaxed');
    expect(race({ simd: ms, 'simd-relaxed': 0.99 * ms }).chosen).toBe('simd');
    expect(race({ simd: ms, 'simd-relaxed': 1.03 * ms }).chosen).toBe('simd');
    // Whole milliseconds per call, and a budget to match, so that the sums are exact.
    expect(race({ simd: 1, 'simd-relaxed': RELAXED_MARGIN }, undefined, 1000).chosen).toBe('simd-relaxed');
    expect(race({ simd: ms, 'simd-relaxed': 0.99 * ms }, 1).chosen).toBe('simd-relaxed');
  });

  it('compares the binaries only once both run optimised code, whichever tiers up first', () => {
    const ms = 0.08;
    // The default still in its baseline tier while the other is optimised: not a reason to switch.
    expect(race({ simd: tierUp(12, ms), 'simd-relaxed': 0.99 * ms }).chosen).toBe('simd');
    expect(race({ simd: ms, 'simd-relaxed': tierUp(12, 0.9 * ms) }).chosen).toBe('simd-relaxed');
    expect(race({ simd: tierUp(8, ms), 'simd-relaxed': tierUp(3, 0.9 * ms) }).chosen).toBe('simd-relaxed');
  });

  it('keeps the default when the candidates are not both optimised within the budget, and stays within it', () => {
    const ms = 0.08;
    const stuck = race({ simd: tierUp(Infinity, ms), 'simd-relaxed': 0.9 * ms });
    expect(stuck.chosen).toBe('simd');
    // The last round may start just before the budget ends: one round of each past it at most.
    expect(stuck.spent).toBeLessThanOrEqual(CALIBRATION_BUDGET_MS + 4 * (8 * ms + 0.9 * ms));
    expect(race({ simd: ms, 'simd-relaxed': 0.9 * ms }).spent).toBeLessThan(CALIBRATION_BUDGET_MS);
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
