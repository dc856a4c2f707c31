// bench/median.ts interleaved: each task's median per round is read on the clock it is given (the
// dense bench gives it the process's CPU time), here a fake clock the tasks advance by a fixed cost.
import { describe, expect, it } from 'vitest';
import { interleaved } from '../../bench/median.js';

describe('interleaved', () => {
  it('times every call by the clock it is given, round by round', async () => {
    let now = 0;
    const task = (name: string, cost: number) => ({ name, ms: 4 * cost, run: () => void (now += cost) });
    const ms = await interleaved([task('a', 5), task('b', 7)], 3, () => now);
    expect(ms.get('a')).toEqual([5, 5, 5]);
    expect(ms.get('b')).toEqual([7, 7, 7]);
  });

  it("subtracts a clock read's cost, calibrated on the clock given", async () => {
    // Every read costs 0.5 ms of the clock (process.cpuUsage, the dense bench's clock, ~3.4 µs a call).
    let now = 0;
    const ms = await interleaved([{ name: 'a', ms: 20, run: () => void (now += 5) }], 3, () => (now += 0.5));
    expect(ms.get('a')).toEqual([5, 5, 5]);
  });
});
