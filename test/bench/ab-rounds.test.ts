// bench/ab-rounds.ts alternatedRounds: the order the instances and their tasks take their turns in,
// and each turn's median call, on tasks that log their calls and advance a fake clock.
import { describe, expect, it } from 'vitest';
import { alternatedRounds, type AbInstance } from '../../bench/ab-rounds.js';

/** Two instances (labels x and y) of tasks a and b: a call logs label and task and costs `cost` ms on the fake clock, growing by one each call of that task. */
function logged(rounds: number, burst: number) {
  const log: string[] = [];
  let now = 0;
  const cost = new Map<string, number>();
  const instance = (label: string, index: number, base: number): AbInstance => ({
    label,
    index,
    tasks: Object.fromEntries(
      ['a', 'b'].map((task, t) => [
        task,
        () => {
          const key = label + task;
          const next = (cost.get(key) ?? base + 10 * t) + 1;
          cost.set(key, next);
          now += next;
          log.push(key);
        },
      ]),
    ),
  });
  const ms = alternatedRounds([instance('x', 0, 0), instance('y', 0, 100)], 1, rounds, burst, () => now);
  return { log: log.join(' '), ms };
}

describe('alternatedRounds', () => {
  it('runs an untimed round, then each round every instance in turn (reversed every other round), its tasks rotated every round', () => {
    const { log, ms } = logged(2, 1);
    expect(log).toBe(['ya yb xa xb', 'xa xb ya yb', 'yb ya xb xa'].join(' '));
    expect([...ms.keys()]).toEqual(['y', 'x']);
    for (const times of ms.values()) expect([...times.keys()]).toEqual(['a', 'b']);
  });

  it('makes a turn `burst` calls and keeps their median, by the given clock', () => {
    const { log, ms } = logged(1, 3);
    // The untimed round's three calls cost 1, 2, 3 (x's a), then 4, 5, 6: the median of the timed turn is 5.
    expect(log.split(' ').filter((c) => c === 'xa')).toHaveLength(6);
    expect(ms.get('x')!.get('a')).toEqual([5]);
    expect(ms.get('x')!.get('b')).toEqual([15]);
    expect(ms.get('y')!.get('a')).toEqual([105]);
    expect(ms.get('y')!.get('b')).toEqual([115]);
  });

  it('files each instance of a label at round · instances + index', () => {
    let now = 0;
    const inst = (index: number): AbInstance => ({ label: 'x', index, tasks: { a: () => (now += index + 1) } });
    const ms = alternatedRounds([inst(0), inst(1)], 2, 2, 1, () => now);
    expect(ms.get('x')!.get('a')).toEqual([1, 2, 1, 2]);
  });
});
