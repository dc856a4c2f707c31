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

  it("takes a self-timed task's round as it returns it, called once per round in its turn", async () => {
    const calls: string[] = [];
    const ms = await interleaved(
      [
        { name: 'a', ms: 0, calls: 1, run: () => void calls.push('a') },
        { name: 'self', round: (round) => (calls.push(`self ${round}`), round === 1 ? NaN : 10 + round) },
      ],
      3,
    );
    expect(ms.get('self')).toEqual([10, NaN, 12]);
    expect(calls.filter((c) => c.startsWith('self'))).toEqual(['self 0', 'self 1', 'self 2']);
    // Its turn rotates with the others': after a in round 0, before a in round 1.
    expect(calls[0]).toBe('a');
    expect(calls[calls.indexOf('self 0') + 1]).toBe('self 1');
  });
});
