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
  /**
   * A shared job's items per chunk (0: not a shared job). A shared job is call 0 over `items` items
   * (batch rows, or ∂W's columns) cut into chunks that the main thread takes from the front and the
   * worker from the back (`range`), so a worker that starts late or loses its core for a while
   * leaves its chunks to the main thread instead of making it wait (ThreadPool.share).
   */
  chunkItems: 7,
  /** A shared job's items in all. */
  items: 8,
  /** The argument of call 0 that holds a chunk's item count. */
  countArg: 9,
  /** The chunks of a shared job not taken yet, [lo, hi): lo | hi << 16; the main thread takes lo, the worker hi − 1. */
  range: 10,
  /** The export index (into the pool's names) of call c is at fn + c. */
  fn: 11,
} as const;

/** Calls one job may hold: a worker runs them in sequence, so adjacent kernels cost one hand-off. */
export const MAX_CALLS = 2;

/** Numeric arguments per call of a job: the most any export the workers call takes (Adam's update, 12). */
export const ARGS_PER_CALL = 12;

/** Float64 index of call 0's first argument: past the Int32 slots; call c's start at ARGS_AT + ARGS_PER_CALL·c. */
export const ARGS_AT = Math.ceil((CONTROL.fn + MAX_CALLS) / 2);

/**
 * Float64 index of a shared job's steps: argument i of call 0 moves by args[STEPS_AT + i] per item,
 * so chunk c's call takes args[ARGS_AT + i] + c·chunkItems·args[STEPS_AT + i] (bytes into a tensor).
 */
export const STEPS_AT = ARGS_AT + MAX_CALLS * ARGS_PER_CALL;

/** A shared job's chunks are numbered in 16 bits (CONTROL.range). */
export const MAX_CHUNKS = 0xffff;

/** Bytes of one control block. */
export const CONTROL_BYTES = (STEPS_AT + ARGS_PER_CALL) * 8;

/**
 * `fn(args[at], args[at + 1], …)` with ARGS_PER_CALL arguments, as JavaScript source: the worker's
 * call, written from the one constant rather than by hand. Exports taking fewer ignore the rest.
 */
export function callSource(fn: string, args: string, at: string): string {
  return `${fn}(${Array.from({ length: ARGS_PER_CALL }, (_, i) => `${args}[${at} + ${i}]`).join(', ')})`;
}

/**
 * Takes a chunk of a shared job (CONTROL.range at `at`): the first one not taken (the main thread)
 * or the last (the worker, `fromBack`); −1 when none is left. Its source is the worker's too
 * (worker-source.ts), so it refers to nothing outside itself. The limit of that: a transform that
 * adds references to the function's text (istanbul's coverage counters) breaks every shared job,
 * since the worker lacks what they name (each fails as WASM_UNAVAILABLE). Not built instead from one source string here: the main thread would need `new Function`, which
 * docs/security.md says gradscope never uses (a Content-Security-Policy without 'unsafe-eval').
 * Minifiers rename inside it, which is harmless; test/kernels/thread-control checks the worker holds
 * this very text.
 */
export function takeChunk(ctrl: Int32Array, at: number, fromBack: boolean): number {
  for (;;) {
    const range = Atomics.load(ctrl, at);
    const lo = range & 0xffff;
    const hi = range >>> 16;
    if (lo >= hi) return -1;
    const left = fromBack ? lo | ((hi - 1) << 16) : (lo + 1) | (hi << 16);
    if (Atomics.compareExchange(ctrl, at, range, left) === range) return fromBack ? hi - 1 : lo;
  }
}
