// bench/median.ts alternating: the order the tasks take their turns in and the calls each makes, on
// tasks that only record their calls (no timing asserted).
import { describe, expect, it } from 'vitest';
import { alternating } from '../../bench/median.js';

/** Runs alternating over tasks a, b and c that log their name on each call; the log and the result. */
function logged(rounds: number, calls: number, burst?: number) {
  const log: string[] = [];
  const tasks = ['a', 'b', 'c'].map((name) => ({ name, run: () => log.push(name) }));
  const ms = alternating(tasks, rounds, calls, burst);
  return { log: log.join(''), ms };
}

describe('alternating', () => {
  it('gives every task one call per turn, an untimed turn first, the order rotated every turn and round', () => {
    const { log, ms } = logged(2, 2);
    // Round 0: the untimed turn and turn 0 start at a, turn 1 at b; round 1 starts at b.
    expect(log).toBe('abc' + 'abc' + 'bca' + 'bca' + 'bca' + 'cab');
    expect([...ms.keys()]).toEqual(['a', 'b', 'c']);
    for (const times of ms.values()) expect(times).toHaveLength(2);
  });

  it('makes a turn `burst` calls of its task back to back', () => {
    expect(logged(1, 1, 3).log).toBe('aaabbbccc' + 'aaabbbccc');
    expect(logged(1, 2, 2).log).toBe('aabbcc' + 'aabbcc' + 'bbccaa');
  });
});
