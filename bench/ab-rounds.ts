/** The rounds of an A/B (bench/ab.ts, bench/ab-trees.ts): several instances of each contender in one process, rounds interleaved. */
import { Bench } from 'tinybench';
import { median, medianMs } from './median.js';

/** One instance of a contender (a binary, a source tree) with its tasks. */
export interface AbInstance {
  label: string;
  index: number;
  tasks: Record<string, () => void>;
}

/** Times per label and task: ms[label][task][round · instances + index]. */
export type AbTimes = Map<string, Map<string, number[]>>;

/** Every instance's tasks in each round, the instances' order reversed every other round; a task's median per instance and round. */
export async function interleavedRounds(all: readonly AbInstance[], instances: number, rounds: number, time: number): Promise<AbTimes> {
  const ms: AbTimes = new Map();
  for (let round = 0; round < rounds; round++) {
    for (const inst of round % 2 ? [...all].reverse() : all) {
      const bench = new Bench({ time, iterations: 8, warmupTime: round === 0 ? 100 : 20 });
      for (const [name, run] of Object.entries(inst.tasks)) bench.add(name, run);
      await bench.run();
      if (!ms.has(inst.label)) ms.set(inst.label, new Map());
      const times = ms.get(inst.label)!;
      for (const task of bench.tasks) {
        if (!times.has(task.name)) times.set(task.name, []);
        times.get(task.name)![round * instances + inst.index] = medianMs(bench, task.name);
      }
    }
  }
  return ms;
}

/** The process's CPU time in ms (user and system, every thread): a call's cost without the time the scheduler gave other processes. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * interleavedRounds call by call, for a host so loaded that whole tinybench runs are preempted: after
 * one untimed round, each round every instance (their order reversed every other round) gives each
 * of its tasks a turn (the order rotated by one task every round) of `burst` calls, each timed by
 * `clock`; a task's median call per instance and round. The default clock is the process's CPU time,
 * which leaves out the time other processes held the CPU but not what they did to the caches. One
 * binary against a second copy of it at 512×512→512 (bench/ab.ts, 2 instances each, AMD EPYC Zen 5,
 * 2026-12-03): ×0.990–0.991 the three products in 40 such rounds (load 20–23), ×0.80–0.90 in 6
 * rounds of tinybench runs (load 23–26).
 */
export function alternatedRounds(all: readonly AbInstance[], instances: number, rounds: number, burst: number, clock: () => number = cpuMs): AbTimes {
  const ms: AbTimes = new Map();
  for (let round = -1; round < rounds; round++) {
    for (const inst of round % 2 ? [...all].reverse() : all) {
      const names = Object.keys(inst.tasks);
      const shift = Math.max(round, 0) % names.length;
      if (!ms.has(inst.label)) ms.set(inst.label, new Map());
      const times = ms.get(inst.label)!;
      for (const name of [...names.slice(shift), ...names.slice(0, shift)]) {
        const calls: number[] = [];
        for (let call = 0; call < burst; call++) {
          const start = clock();
          inst.tasks[name]();
          calls.push(clock() - start);
        }
        if (round < 0) continue;
        if (!times.has(name)) times.set(name, []);
        times.get(name)![round * instances + inst.index] = median(calls);
      }
    }
  }
  return ms;
}

/** A task's median time under `label`, and its median speed-up over `first` (same instance number, same round). */
export function againstFirst(ms: AbTimes, first: string, label: string, task: string): { ms: number; speedUp: number } {
  const times = ms.get(label)!.get(task)!;
  const base = ms.get(first)!.get(task)!;
  return { ms: median(times), speedUp: median(times.map((t, i) => base[i] / t)) };
}

/** A 32-bit hash of a tensor's float bits (as a backend's view shows them). */
export function bitsHash(values: Float32Array | Float64Array): string {
  let h = 0;
  for (const word of new Uint32Array(values.slice().buffer)) h = (Math.imul(h, 31) + word) | 0;
  return (h >>> 0).toString(16).padStart(8, '0');
}
