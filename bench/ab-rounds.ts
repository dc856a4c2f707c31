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
