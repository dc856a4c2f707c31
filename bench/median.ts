/** Medians: of a tinybench task's latency, of a list, and of two tasks run side by side. */
import { Bench } from 'tinybench';
import { median } from '../src/median.js';

/** The median of a list: the library's one formula (src/median.ts; an even count's is the mean of the two middle values). */
export { median };

/** Median latency of a tinybench task, in milliseconds; throws if the task did not complete. */
export function medianMs(bench: Bench, name: string): number {
  const task = bench.getTask(name);
  const result = task?.result;
  if (!result || result.state !== 'completed') {
    throw new Error(`benchmark '${name}' did not complete: ${result && 'error' in result ? String(result.error) : result?.state}`);
  }
  return result.latency.p50;
}

/**
 * Tasks a and b in `rounds` alternating rounds (a, b, then b, a, …: neither always runs first), so
 * load on a shared machine hits both alike: the median time of each, and the median of the
 * per-round ratios a/b. `time` is each task's total over the rounds.
 */
export async function sideBySide(a: () => void, b: () => void, time: number, rounds = 5): Promise<{ aMs: number; bMs: number; ratio: number }> {
  const aMs: number[] = [];
  const bMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: time / rounds, iterations: 4, warmupTime: round === 0 ? 100 : 0 });
    for (const name of round % 2 ? ['b', 'a'] : ['a', 'b']) bench.add(name, name === 'a' ? a : b);
    await bench.run();
    aMs.push(medianMs(bench, 'a'));
    bMs.push(medianMs(bench, 'b'));
  }
  return { aMs: median(aMs), bMs: median(bMs), ratio: median(aMs.map((ms, i) => ms / bMs[i])) };
}
