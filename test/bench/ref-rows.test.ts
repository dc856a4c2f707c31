// bench/dense.bench.ts refRows: the reference's products are timed by the clock they are given (the
// dense bench gives them the process's CPU time, as its wasm rounds, which bench/run.ts divides them by).
import { describe, expect, it } from 'vitest';
import { refRows } from '../../bench/dense.bench.js';

describe("the dense bench's reference rows", () => {
  it('time every product by the clock given', async () => {
    // A clock that moves 1 ms between any two reads, whatever the calls cost in wall time.
    let now = 0;
    const rows = await refRows([[2, 3, 4]], () => now++);
    expect(rows.map((r) => r.name)).toEqual(['fwd', 'fwd_gather', 'bwd_input', 'bwd_weights', 'bwd_weights_and_input'].map((p) => `ref-f32 dense_${p} 2×3→4`));
    for (const row of rows) expect(row.medianMs, row.name).toBe(1);
  });
});
