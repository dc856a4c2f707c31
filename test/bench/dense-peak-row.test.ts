// bench/dense.bench.ts peakRow: the 1 ms peak rows (bench/RESULTS.md's "in-run peak" heading) are
// timed by the clock they are given (the dense bench gives them the process's CPU time, as its other rows).
import { describe, expect, it } from 'vitest';
import { peakRow, peakTaskName } from '../../bench/dense.bench.js';
import { peakLoop } from '../../bench/peak-loop.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';

describe("the dense bench's 1 ms peak row", () => {
  it('is timed by the clock given', async () => {
    const k = await createWasmKernels({ variant: 'simd' });
    // A clock that moves 1 ms between any two reads, whatever the calls cost in wall time.
    let now = 0;
    const row = await peakRow(peakLoop(k), 'simd', () => now++);
    expect(row.name).toBe(peakTaskName('simd'));
    expect(row.medianMs).toBe(1);
    // 10⁶ trips of 64 flops (8 accumulators × 4 lanes × mul + add) in the clock's 1 ms.
    expect(row.gflops).toBe(64);
  });
});
