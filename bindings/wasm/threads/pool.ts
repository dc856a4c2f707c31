/**
 * A pool of workers running the core on one shared WebAssembly.Memory (Node worker_threads).
 * The main thread posts a job (up to MAX_CALLS export calls with numeric arguments) to a worker
 * through a control block in a SharedArrayBuffer, does its own share of the work, then waits for
 * the worker's done counter. Posting and waiting allocate nothing.
 *
 * Only the main thread allocates and grows the memory, and only while no job runs.
 */
import { GradscopeError } from '../../errors.js';
import { WORKER_SOURCE } from './worker-source.js';

/** Slots of the control block (Int32 indices; arguments are Float64 at ARGS + 8·call). */
const CONTROL = { job: 0, done: 1, calls: 2, error: 3, fn: 4, args: 8 } as const;
const MAX_CALLS = 2;
const ARGS_PER_CALL = 8;
const CONTROL_BYTES = (CONTROL.args + MAX_CALLS * ARGS_PER_CALL) * 8;
/** A job that has not finished after this long means a dead worker: fail rather than hang. */
const JOB_TIMEOUT_MS = 30_000;
/**
 * Loads of the counter before a thread sleeps on it (tens of µs): a step's products follow each
 * other within microseconds, and a wake-up from Atomics.wait costs tens of them. Measured
 * (bench/threads.bench.ts, [784,100,100,10]): without spinning two threads gave 1.09× at batch 64
 * and 1.42× at 256; with 20,000 loads 1.34× and 1.77×; 100,000 added little.
 */
const SPIN = 20_000;
/** How long close() waits for a worker to leave its loop before terminating it. */
const CLOSE_TIMEOUT_MS = 5_000;

interface NodeWorker {
  on(event: 'message' | 'error' | 'exit', listener: (value: unknown) => void): void;
  once(event: 'message' | 'error' | 'exit', listener: (value: unknown) => void): void;
  terminate(): Promise<number>;
  unref(): void;
}

interface Lane {
  worker: NodeWorker;
  ctrl: Int32Array;
  args: Float64Array;
  /** The job counter of the last job posted. */
  job: number;
  exited: boolean;
}

/** Workers started by any pool that have not exited yet (for tests and leak checks). */
let live = 0;
export function liveWorkerCount(): number {
  return live;
}

/** Why threads cannot run here, or null when they can. */
export function threadsUnavailable(): string | null {
  if (typeof SharedArrayBuffer === 'undefined') return 'SharedArrayBuffer is not available (in browsers it needs cross-origin isolation)';
  if (typeof process === 'undefined' || typeof process.versions?.node !== 'string') {
    return 'the thread pool runs on Node worker_threads; Web Workers are not supported yet';
  }
  return null;
}

export class ThreadPool {
  private closed = false;

  private constructor(private readonly lanes: Lane[]) {}

  /** Workers, each with its own instance of `module` on `memory`, ready when this resolves. */
  static async start(workers: number, module: WebAssembly.Module, memory: WebAssembly.Memory, names: readonly string[]): Promise<ThreadPool> {
    const reason = threadsUnavailable();
    if (reason) throw new GradscopeError('WASM_UNAVAILABLE', `threads: ${reason}`);
    // A specifier in a variable, so bundlers building for browsers neither follow nor stub it.
    const specifier = 'node:worker_threads';
    const { Worker } = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as typeof import('node:worker_threads');
    const lanes: Lane[] = [];
    try {
      for (let i = 0; i < workers; i++) {
        const control = new SharedArrayBuffer(CONTROL_BYTES);
        const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, control, names, spin: SPIN } }) as unknown as NodeWorker;
        const lane: Lane = { worker, ctrl: new Int32Array(control), args: new Float64Array(control), job: 0, exited: false };
        lanes.push(lane);
        live++;
        worker.on('exit', () => {
          lane.exited = true;
          live--;
        });
        await new Promise<void>((resolve, reject) => {
          worker.once('message', () => resolve());
          worker.once('error', (error) => reject(new GradscopeError('WASM_UNAVAILABLE', `threads: a worker failed to start: ${String(error)}`)));
          worker.once('exit', () => reject(new GradscopeError('WASM_UNAVAILABLE', 'threads: a worker exited while starting')));
        });
        // An idle pool must not keep the process alive: close() is the clean way out, exit the other.
        worker.unref();
      }
    } catch (error) {
      await Promise.all(lanes.map((lane) => lane.worker.terminate()));
      throw error;
    }
    return new ThreadPool(lanes);
  }

  get size(): number {
    return this.lanes.length;
  }

  /** Sets call `c` of worker `w`'s next job: export `fn` (an index into `names`) with up to 8 arguments. */
  setCall(w: number, c: number, fn: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0): void {
    const { ctrl, args } = this.lanes[w];
    ctrl[CONTROL.fn + 2 * c] = fn;
    const at = CONTROL.args + ARGS_PER_CALL * c;
    args[at] = a0;
    args[at + 1] = a1;
    args[at + 2] = a2;
    args[at + 3] = a3;
    args[at + 4] = a4;
    args[at + 5] = a5;
    args[at + 6] = a6;
    args[at + 7] = a7;
  }

  /** Starts worker `w` on the first `calls` calls set with setCall. */
  post(w: number, calls: number): void {
    if (this.closed) throw new GradscopeError('DISPOSED', 'threads: this pool was closed');
    const lane = this.lanes[w];
    Atomics.store(lane.ctrl, CONTROL.calls, calls);
    lane.job = (lane.job + 1) | 0;
    Atomics.store(lane.ctrl, CONTROL.job, lane.job);
    Atomics.notify(lane.ctrl, CONTROL.job);
  }

  /** Blocks until worker `w` has finished its last job; throws if it failed or died. */
  wait(w: number): void {
    const lane = this.lanes[w];
    for (let spin = 0; spin < SPIN && Atomics.load(lane.ctrl, CONTROL.done) !== lane.job; spin++);
    if (Atomics.load(lane.ctrl, CONTROL.done) !== lane.job) this.sleepUntilDone(w, lane);
    if (Atomics.exchange(lane.ctrl, CONTROL.error, 0) !== 0) {
      throw new GradscopeError('WASM_UNAVAILABLE', `threads: worker ${w} failed while running a kernel`);
    }
  }

  /**
   * The slow path of wait: sleep on the done counter. It counts one-second timeouts rather than
   * reading a clock, because performance.now() allocates a boxed double on every call.
   */
  private sleepUntilDone(w: number, lane: Lane): void {
    let timeouts = 0;
    for (;;) {
      const done = Atomics.load(lane.ctrl, CONTROL.done);
      if (done === lane.job) return;
      // Sleeps only while the counter still holds the value just read.
      if (Atomics.wait(lane.ctrl, CONTROL.done, done, 1000) === 'timed-out' && ++timeouts * 1000 >= JOB_TIMEOUT_MS) {
        throw new GradscopeError('WASM_UNAVAILABLE', `threads: worker ${w} did not finish its job in ${JOB_TIMEOUT_MS / 1000} s (it may have died)`);
      }
    }
  }

  /** Stops every worker and resolves when all have exited. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      this.lanes.map(async (lane) => {
        if (lane.exited) return;
        const exited = new Promise<void>((resolve) => lane.worker.once('exit', () => resolve()));
        Atomics.store(lane.ctrl, CONTROL.calls, -1);
        Atomics.store(lane.ctrl, CONTROL.job, (lane.job + 1) | 0);
        Atomics.notify(lane.ctrl, CONTROL.job);
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS)));
        if ((await Promise.race([exited, timeout])) === 'timeout') await lane.worker.terminate();
        clearTimeout(timer);
      }),
    );
  }
}
