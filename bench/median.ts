/** Medians: of a tinybench task's latency, of a list; tasks in interleaved rounds, and two tasks side by side. */
import { Bench } from 'tinybench';
import { median } from '../src/median.js';
import { roundRatios } from './spread.js';

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

/** A task of interleaved rounds: `ms` is its time in each round, `calls` its fewest timed calls in a round (4 unless given). */
export interface RoundTask {
  name: string;
  run: () => unknown;
  ms: number;
  calls?: number;
}

/**
 * A task that times its own round (what tinybench cannot: bench/nothing-shared.ts' pairRound keeps
 * only its clean calls): called once per round in its turn, it returns its time for the round in ms.
 */
export interface SelfTimedTask {
  name: string;
  round: (round: number) => number;
}

/**
 * Every task once per round for `rounds` rounds, the order rotated by one task each round (with
 * two tasks: a, b, then b, a, …), so that no task always runs first or right after the same one and
 * a change of load on a shared machine hits every task alike. Returns each task's median time per
 * round, in ms, by name: the rounds' values are paired (value i of every task is round i). Calls and
 * each task's time in a round are measured by `clock` (ms): wall time unless given, or the process's
 * CPU time (ab-rounds.ts cpuMs), which leaves out the time other processes held the CPU; a
 * SelfTimedTask times its own round.
 */
export async function interleaved(tasks: readonly (RoundTask | SelfTimedTask)[], rounds: number, clock: () => number = () => performance.now()): Promise<Map<string, number[]>> {
  const ms = new Map(tasks.map((t) => [t.name, [] as number[]]));
  for (let round = 0; round < rounds; round++) {
    const shift = round % tasks.length;
    for (const task of [...tasks.slice(shift), ...tasks.slice(0, shift)]) {
      if ('round' in task) {
        ms.get(task.name)![round] = task.round(round);
        continue;
      }
      // The first round warms the engine up; later ones make one call first, to bring the task's data back into cache
      // (tinybench's default of 16 warm-up calls per round cost ~1 s a round for a 60 ms train() call).
      const warmup = round === 0 ? { warmupTime: 100, warmupIterations: 4 } : { warmupTime: 0, warmupIterations: 1 };
      // Each sample reads the clock twice: tinybench subtracts one read's cost, calibrated on `clock`
      // (process.cpuUsage took ~3.4 µs a call on the AMD EPYC Zen 5, 2 % of a 0.19 ms 64×784→100 call).
      const bench = new Bench({ time: task.ms, iterations: task.calls ?? 4, now: clock, subtractTimerOverhead: true, ...warmup });
      bench.add(task.name, task.run);
      await bench.run();
      ms.get(task.name)![round] = medianMs(bench, task.name);
    }
  }
  return ms;
}

/** A task of alternating rounds: one call of `run` per turn. */
export interface AlternatingTask {
  name: string;
  run: () => unknown;
}

/**
 * Rounds in which the tasks take turns call by call: one untimed turn (bringing each task's data
 * back into cache), then `calls` timed turns, the order rotated by one task every turn and round.
 * Where interleaved runs each task's calls of a round together, here a call of one task is never
 * more than one turn of each other task away from a call of every other, so a change of load hits
 * them alike even within a round. A turn is `burst` calls of its task back to back (1 unless
 * given), each timed: a burst of a few lets a task's later calls find its data in cache, as a
 * bench's run of one task does. Returns each task's median call per round, in ms, by name (the
 * rounds paired, as interleaved's). For calls of several ms: each is timed by performance.now().
 */
export function alternating(tasks: readonly AlternatingTask[], rounds: number, calls: number, burst = 1): Map<string, number[]> {
  const ms = new Map(tasks.map((t) => [t.name, [] as number[]]));
  for (let round = 0; round < rounds; round++) {
    const taken = new Map(tasks.map((t) => [t.name, [] as number[]]));
    for (let turn = -1; turn < calls; turn++) {
      const shift = (round + Math.max(turn, 0)) % tasks.length;
      for (const task of [...tasks.slice(shift), ...tasks.slice(0, shift)]) {
        for (let call = 0; call < burst; call++) {
          const start = performance.now();
          task.run();
          if (turn >= 0) taken.get(task.name)!.push(performance.now() - start);
        }
      }
    }
    for (const task of tasks) ms.get(task.name)![round] = median(taken.get(task.name)!);
  }
  return ms;
}

/**
 * Tasks a and b in `rounds` alternating rounds (a, b, then b, a, …: neither always runs first), so
 * load on a shared machine hits both alike: the median time of each, the per-round ratios a/b
 * (for a goal's spread, bench/spread.ts) and their median. `time` is each task's total over the rounds.
 */
export async function sideBySide(
  a: () => unknown,
  b: () => unknown,
  time: number,
  rounds = 5,
): Promise<{ aMs: number; bMs: number; ratio: number; ratios: number[] }> {
  const ms = await interleaved(
    [
      { name: 'a', run: a, ms: time / rounds },
      { name: 'b', run: b, ms: time / rounds },
    ],
    rounds,
  );
  const [aMs, bMs] = [ms.get('a')!, ms.get('b')!];
  const ratios = roundRatios(aMs, bMs);
  return { aMs: median(aMs), bMs: median(bMs), ratio: median(ratios), ratios };
}
