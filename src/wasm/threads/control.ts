import { GradscopeError } from '../../errors.js';

/**
 * The control block of a pool worker: one SharedArrayBuffer per worker, read as Int32 slots and,
 * from `ARGS_AT` on, as Float64 call arguments. The one layout the pool (pool.ts) and the worker's
 * source (worker-source.ts, which interpolates these numbers into its text) both read.
 */

/** Int32 slots of the control block. */
export const CONTROL = {
  /** The job counter: the main thread moves it to post a job. */
  job: 0,
  /** The done counter: the worker sets it to the job it finished. */
  done: 1,
  /** Calls in the posted job (−1: stop). */
  calls: 2,
  /** Set to 1 by a worker whose job threw. */
  error: 3,
  /** 1 while the worker is awake (working or spinning), 0 while it sleeps or is about to. */
  awake: 4,
  /** The last job claimed, by the worker or by the main thread (which runs an unclaimed job itself). */
  claim: 5,
  /** What the last call of the last job done returned, as an int32 (0 for none): an upload's check says here whether its values are finite. */
  result: 6,
  /** 1 while the pool is probed (ThreadPool.probe): the worker then stamps each job's start and end (STAMPS_AT). */
  probe: 7,
  /** The export index (into the pool's names) of call c is at fn + c. */
  fn: 8,
} as const;

/**
 * Calls one job may hold: a worker runs them in sequence, so adjacent kernels cost one hand-off. The
 * split step's jobs hold at most two; a dense training step on two threads (threaded-kernels.ts'
 * DENSE_STEP) posts every kernel call of the worker's rows' forward and backward as one job, seven
 * per layer (21 for [784,100,100,10]), and keeps the main thread's, as many (half-step.ts'
 * halfStepCalls), so chains of up to nine layers take it.
 */
export const MAX_CALLS = 64;

/** Numeric arguments per call of a job: the most any export the workers call takes (Adam's update, 12). */
export const ARGS_PER_CALL = 12;

/** Float64 index of call 0's first argument: past the Int32 slots; call c's start at ARGS_AT + ARGS_PER_CALL·c. */
export const ARGS_AT = Math.ceil((CONTROL.fn + MAX_CALLS) / 2);

/**
 * Float64 index, past the call arguments, of where a probed worker (CONTROL.probe) writes its last
 * job's start and, at STAMPS_AT + 1, its end: performance.timeOrigin + performance.now() in ms, the
 * clock the pool's own stamps read.
 */
export const STAMPS_AT = ARGS_AT + MAX_CALLS * ARGS_PER_CALL;

/** Bytes of one control block. */
export const CONTROL_BYTES = (STAMPS_AT + 2) * 8;

/**
 * `fn(args[at], args[at + 1], …)` with ARGS_PER_CALL arguments, as JavaScript source: the worker's
 * call, written from the one constant rather than by hand. Exports taking fewer ignore the rest.
 */
export function callSource(fn: string, args: string, at: string): string {
  return `${fn}(${Array.from({ length: ARGS_PER_CALL }, (_, i) => `${args}[${at} + ${i}]`).join(', ')})`;
}

/**
 * Writes call `c` of a list of MAX_CALLS calls: its export index `fn` at fns[fnAt + c], its
 * ARGS_PER_CALL arguments from args[argsAt + ARGS_PER_CALL·c]. The one store of a worker's job
 * (ThreadPool.setCall, into its control block) and of the main thread's half of a dense step
 * (threaded-kernels.ts' LocalCalls). A call past the list is refused (WASM_UNAVAILABLE) before
 * anything is written: a typed array drops a write past its end (the call would be lost, not run),
 * and in a control block it would land on the calls before it.
 */
export function writeCall(
  fns: Int32Array, fnAt: number, args: Float64Array, argsAt: number, c: number, fn: number,
  a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6: number, a7: number, a8: number, a9: number, a10: number, a11: number,
): void {
  if (c >= MAX_CALLS) throw new GradscopeError('WASM_UNAVAILABLE', `threads: call ${c} of a job, past the ${MAX_CALLS} a job holds`);
  fns[fnAt + c] = fn;
  const at = argsAt + ARGS_PER_CALL * c;
  args[at] = a0;
  args[at + 1] = a1;
  args[at + 2] = a2;
  args[at + 3] = a3;
  args[at + 4] = a4;
  args[at + 5] = a5;
  args[at + 6] = a6;
  args[at + 7] = a7;
  args[at + 8] = a8;
  args[at + 9] = a9;
  args[at + 10] = a10;
  args[at + 11] = a11;
}
