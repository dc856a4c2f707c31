/**
 * Per-call times of a backend's kernels, for bench/train-calls.ts: every call of the kernel contract
 * a network makes, timed on the thread that makes it (the main thread), each under a name that says
 * which kernel on which sizes. Summed as tenth percentile × calls, they give a call's kernel time as
 * its least disturbed calls took it: on a loaded machine a busy second vCPU spoils whole calls, but
 * only some of the kernel calls within them. On threads, a call in which the main thread ran a worker's
 * job itself (the worker asleep or off its vCPU: the pool's jobsRunHere moved) timed the one-thread
 * path, not the split, however quick it was: such calls are timed apart (timeCalls' `ranHere`), and
 * the sum takes each call's tenth percentile from the others.
 */
import { createRefKernels } from '../src/ref/ref-kernels.js';
import { quantile } from '../src/median.js';

/** Times in µs of each named call. */
export type CallTimes = Map<string, number[]>;

/**
 * A numeric argument left out of a kernel's call name, by its place among the numbers: copyRows'
 * first row changes with every batch, and a name per batch would hide the call that repeats.
 */
const VARYING_NUMBER: Readonly<Record<string, number>> = { copyRows: 0 };

/** The kernel contract's methods, as the reference backend has them: the calls a network can make. */
export function contractMethods(): string[] {
  const ref = createRefKernels() as unknown as Record<string, unknown>;
  const names = new Set<string>();
  for (let o: object | null = ref; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) if (name !== 'constructor' && typeof ref[name] === 'function') names.add(name);
  }
  return [...names];
}

/** A call's name: the kernel, then the lengths of its tensors and arrays (T…) and its numbers, in argument order. */
export function callName(method: string, args: readonly unknown[]): string {
  const parts: string[] = [];
  let number = 0;
  for (const a of args) {
    if (typeof a === 'number') {
      if (VARYING_NUMBER[method] !== number++) parts.push(String(a));
    } else if (a !== null && typeof a === 'object' && 'length' in a && typeof a.length === 'number') {
      parts.push(`T${a.length}`);
    }
  }
  return `${method}(${parts.join(',')})`;
}

/** Where the calls that ran a worker's job on the main thread are timed instead: see timeCalls. */
export interface RanHere {
  /** Worker jobs the main thread has run itself so far (ThreadPool.jobsRunHere). */
  jobs(): number;
  /** The map such calls are timed into. */
  into(): CallTimes;
}

/**
 * Wraps every contract method of `kernels` (in place, on the object) so that each call made from
 * outside the kernels is timed into `into()`'s map; a kernel that calls another is one call. With
 * `ranHere`, a call during which the main thread ran a worker's job itself goes into ranHere.into()'s
 * map instead. With `gaps`, the JavaScript between the calls is timed too (JsGaps).
 */
export function timeCalls(kernels: object, into: () => CallTimes, ranHere?: RanHere, gaps?: JsGaps): void {
  const target = kernels as Record<string, (...args: unknown[]) => unknown>;
  let depth = 0;
  for (const method of contractMethods()) {
    const kernel = target[method];
    if (typeof kernel !== 'function') continue;
    target[method] = function (this: unknown, ...args: unknown[]) {
      if (depth > 0) return kernel.apply(this, args);
      depth++;
      const jobs = ranHere?.jobs() ?? 0;
      const t0 = performance.now();
      gaps?.kernelStarts(method, t0);
      try {
        return kernel.apply(this, args);
      } finally {
        // Read before the name is built and the map looked up, which the kernel did not take.
        const elapsed = (performance.now() - t0) * 1000;
        depth--;
        const times = ranHere !== undefined && ranHere.jobs() !== jobs ? ranHere.into() : into();
        const name = callName(method, args);
        const list = times.get(name) ?? [];
        list.push(elapsed);
        times.set(name, list);
        // After the bookkeeping above, which the caller's JavaScript did not take either.
        gaps?.kernelEnded(method, performance.now());
      }
    };
  }
}

/**
 * The JavaScript between a backend's kernel calls (timeCalls with `gaps`): each stretch from the end
 * of one outermost kernel call, or a mark, to the start of the next kernel call or mark, in µs, under
 * `from → to` (the kernels' method names, or the marks'). A stretch includes the caller's own work
 * and the return from one wrapper and the entry into the next (timeCalls: its bookkeeping after a
 * call is not counted). mark() brackets what is timed: `mark('call start')` before a train() call and
 * `mark('call end')` after it time the JavaScript before its first kernel call and after its last.
 */
export class JsGaps {
  /** The stretches by name; a new map may be set between runs. */
  times: CallTimes = new Map();
  /** Whether stretches are timed (from a mark to the next pause). */
  #running = false;
  /** Where the stretch running began (a kernel's method or a mark), or undefined inside a kernel call. */
  #from: string | undefined;
  #at = 0;

  /** A point in the caller's code: ends the stretch running (if any) and starts one from `name`. */
  mark(name: string, now = performance.now()): void {
    this.#record(name, now);
    this.#running = true;
    this.#from = name;
    this.#at = now;
  }

  /** Nothing is timed until the next mark (between runs: the harness's own code and kernel calls). */
  pause(): void {
    this.#running = false;
    this.#from = undefined;
  }

  /** timeCalls: an outermost call of `method` starts at `now`. */
  kernelStarts(method: string, now: number): void {
    this.#record(method, now);
    this.#from = undefined;
  }

  /** timeCalls: that call's wrapper is done at `now`. */
  kernelEnded(method: string, now: number): void {
    if (!this.#running) return;
    this.#from = method;
    this.#at = now;
  }

  #record(to: string, now: number): void {
    if (!this.#running || this.#from === undefined) return;
    const name = `${this.#from} → ${to}`;
    const list = this.times.get(name) ?? [];
    list.push((now - this.#at) * 1000);
    this.times.set(name, list);
  }
}

/**
 * Σ over the calls of (tenth percentile × calls per run), in µs: the kernel time of one of `runs`
 * runs. The calls timed into `ranHere` (timeCalls) count as calls, but the tenth percentile is read
 * from the others where there are any.
 */
export function leastDisturbedSum(times: CallTimes, runs: number, ranHere: CallTimes = new Map()): number {
  let sum = 0;
  for (const name of new Set([...times.keys(), ...ranHere.keys()])) {
    const [clean, spoiled] = [times.get(name) ?? [], ranHere.get(name) ?? []];
    sum += quantile(clean.length > 0 ? clean : spoiled, 0.1) * ((clean.length + spoiled.length) / runs);
  }
  return sum;
}
