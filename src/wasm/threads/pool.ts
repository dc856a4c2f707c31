/**
 * A pool of workers running the core on one shared WebAssembly.Memory: Node worker_threads, or Web
 * Workers in a cross-origin isolated page. The main thread queues calls (an export and up to 8
 * numeric arguments each) on a worker through a ring of QUEUE slots in a SharedArrayBuffer, goes on
 * with its own work, and waits for the worker only where it needs the worker's results (wait): the
 * worker runs its calls in the order queued, so a chain of calls on the worker's own rows (a
 * forward product, its activation, the next product) needs no hand-off between them. A call the
 * worker has not claimed when the main thread waits (the worker is asleep, or descheduled) the
 * main thread claims and runs itself. Queueing and waiting allocate nothing.
 *
 * The worker's loop is one piece of code for both platforms (worker-source.ts); what differs —
 * how a worker is started, handed its module and memory, and seen to exit — is a `Platform`
 * adapter below. One more difference: browsers forbid Atomics.wait on the main thread, so there
 * the pool spins on the done counter (workers may still sleep).
 *
 * Only the main thread allocates and grows the memory, and only while no call is queued.
 */
import { GradscopeError } from '../../errors.js';
import { BROWSER_WORKER_SOURCE, nodeWorkerSource } from './worker-source.js';

/**
 * Slots of the control block (Int32 indices): the counters of calls queued, finished and claimed
 * (each only grows, wrapping at 2³¹), the error flag, the awake flag, the stop flag; then the
 * export index of each queue slot (FN + slot); the arguments are Float64 at ARGS + 8·slot.
 */
const CONTROL = { queued: 0, done: 1, claimed: 2, error: 3, awake: 4, stop: 5, fn: 8 } as const;
/** Calls a worker can have queued at once (a power of two: a call's slot is its number & (QUEUE − 1)); a step queues about 6. */
const QUEUE = 32;
const ARGS_PER_CALL = 8;
/** The first argument slot, as a Float64 index: after the Int32 header and the QUEUE export indices. */
const ARGS = (CONTROL.fn + QUEUE) / 2;
const CONTROL_BYTES = (ARGS + QUEUE * ARGS_PER_CALL) * 8;
/** A call that has not finished after this long means a dead worker: fail rather than hang. */
const CALL_TIMEOUT_MS = 30_000;
/**
 * Loads of the counter before a thread sleeps on it (20,000 took 350–410 µs in a plain Node loop on
 * an AMD EPYC Zen 3 at load 8, 2026-12-01, not the tens of µs once written here): a step's products follow each
 * other within microseconds, and a wake-up from Atomics.wait costs tens of them. Measured
 * (bench/threads.bench.ts, [784,100,100,10]): without spinning two threads fell well short of
 * issue #16's 1.7× one thread at batch 256; with 20,000 loads they met it (1.77×, bench/RESULTS.md
 * as of commit fa556a2: AMD EPYC, 2026-11-29); 100,000 added little.
 */
export const SPIN = 20_000;
/**
 * A thread that may not block reads the clock once per this many loads of the counter (a few ms),
 * to notice a dead worker: reading it on every load would allocate a boxed double each time.
 */
const LOADS_PER_CLOCK_READ = 1 << 20;
/** How long close() waits for a worker to leave its loop before terminating it. */
const CLOSE_TIMEOUT_MS = 5_000;

/** What a worker is started with: posted as workerData (Node) or as its first message (browsers). */
interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  names: readonly string[];
  spin: number;
  /** The control block's layout (CONTROL, QUEUE, ARGS), so worker-source.ts does not restate it. */
  layout: { control: typeof CONTROL; queue: number; args: number };
}

/** One started worker, whatever the platform. */
interface PoolWorker {
  /** Resolves when the worker has instantiated the core; rejects if it fails or exits first. */
  readonly ready: Promise<void>;
  /** Resolves when the worker is gone (left its loop, or terminated). */
  readonly gone: Promise<void>;
  terminate(): void;
}

/** The platform difference, and nothing else: how to start a worker running the call queue. */
interface Platform {
  start(init: WorkerInit): PoolWorker;
  /** Called once every worker is ready (or the start failed). */
  started(): void;
}

/** An export of the core as the main thread calls it: up to 8 numeric arguments. */
export type LocalExport = (a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6: number, a7: number) => unknown;

interface Lane {
  worker: PoolWorker;
  ctrl: Int32Array;
  args: Float64Array;
  /** Calls queued so far (the main thread's copy of CONTROL.queued). */
  queued: number;
  exited: boolean;
}

/** Workers started by any pool that have not exited yet (for tests and leak checks). */
let live = 0;
export function liveWorkerCount(): number {
  return live;
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

const ISOLATION_HEADERS = 'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp';

/** Why threads cannot run here, or null when they can. */
export function threadsUnavailable(): string | null {
  if (isNode()) return typeof SharedArrayBuffer === 'undefined' ? 'SharedArrayBuffer is not available in this Node' : null;
  // Checked before SharedArrayBuffer: without isolation browsers withhold it, and the fix is the headers.
  if (globalThis.crossOriginIsolated === false) {
    return `this page is not cross-origin isolated, so the browser withholds SharedArrayBuffer (serve it with ${ISOLATION_HEADERS})`;
  }
  if (typeof SharedArrayBuffer === 'undefined') return `SharedArrayBuffer is not available (in browsers it needs cross-origin isolation: ${ISOLATION_HEADERS})`;
  if (typeof Worker !== 'function') return 'Web Workers are not available here';
  return null;
}

/**
 * The threads this machine can run at once as the runtime reports them, with where the number comes
 * from: Node's os.availableParallelism(), a browser's navigator.hardwareConcurrency; null where
 * neither is known.
 */
export async function coresAvailable(): Promise<{ cores: number; source: string } | null> {
  if (isNode()) {
    // A specifier in a variable, so bundlers building for browsers neither follow nor stub it.
    const specifier = 'node:os';
    const os = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as typeof import('node:os');
    return { cores: os.availableParallelism(), source: 'os.availableParallelism()' };
  }
  const cores = globalThis.navigator?.hardwareConcurrency;
  return typeof cores === 'number' && cores >= 1 ? { cores, source: 'navigator.hardwareConcurrency' } : null;
}

/** Whether this thread may block in Atomics.wait: a browser's main thread throws instead. */
function mayBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

interface NodeWorker {
  on(event: 'message', listener: (value: unknown) => void): void;
  once(event: 'error' | 'exit', listener: (value: unknown) => void): void;
  terminate(): Promise<number>;
  unref(): void;
}

async function nodePlatform(): Promise<Platform> {
  // A specifier in a variable, so bundlers building for browsers neither follow nor stub it.
  const specifier = 'node:worker_threads';
  const { Worker: NodeWorkerClass } = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as typeof import('node:worker_threads');
  const source = nodeWorkerSource(specifier);
  return {
    start(init) {
      const worker = new NodeWorkerClass(source, { eval: true, workerData: init }) as unknown as NodeWorker;
      const gone = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      const ready = new Promise<void>((resolve, reject) => {
        worker.on('message', (message) => message === 'ready' && resolve());
        worker.once('error', (error) => reject(new GradscopeError('WASM_UNAVAILABLE', `threads: a worker failed to start: ${String(error)}`)));
        worker.once('exit', () => reject(new GradscopeError('WASM_UNAVAILABLE', 'threads: a worker exited while starting')));
      });
      // An idle pool must not keep the process alive: close() is the clean way out, exit the other.
      ready.then(() => worker.unref(), () => {});
      return { ready, gone, terminate: () => void worker.terminate() };
    },
    started() {},
  };
}

function browserPlatform(): Platform {
  // A Blob URL rather than a file next to the package: nothing to serve or to tell a bundler about.
  const url = URL.createObjectURL(new Blob([BROWSER_WORKER_SOURCE], { type: 'text/javascript' }));
  return {
    start(init) {
      const worker = new Worker(url, { name: 'gradscope-thread' });
      let markGone!: () => void;
      const gone = new Promise<void>((resolve) => (markGone = resolve));
      const end = () => {
        worker.terminate();
        markGone();
      };
      const ready = new Promise<void>((resolve, reject) => {
        worker.onmessage = (event: MessageEvent) => {
          if (event.data === 'ready') resolve();
          else if (event.data === 'stopped') end();
          else {
            reject(new GradscopeError('WASM_UNAVAILABLE', `threads: a worker failed to start: ${String(event.data)}`));
            end();
          }
        };
        worker.onerror = (event: ErrorEvent) => {
          // Handled here: the pool reports it as a GradscopeError, not as an uncaught page error.
          event.preventDefault();
          reject(new GradscopeError('WASM_UNAVAILABLE', `threads: a worker failed to start (a Content-Security-Policy without worker-src blob:?): ${event.message}`));
          end();
        };
      });
      worker.postMessage(init);
      return { ready, gone, terminate: end };
    },
    started() {
      URL.revokeObjectURL(url);
    },
  };
}

export class ThreadPool {
  private closed = false;
  /** Calls the main thread claimed and ran itself so far (see wait). */
  callsRunHere = 0;

  private constructor(
    private readonly lanes: Lane[],
    /** False on a browser's main thread, where waiting for a worker means spinning. */
    private readonly blocking: boolean,
    /** The main thread's own instance of each export the workers call, by the same index. */
    private readonly local: readonly LocalExport[],
  ) {}

  /**
   * Workers, each with its own instance of `module` on `memory`, ready when this resolves. `local`
   * holds the main thread's instance of each export in `names`, for the calls it runs itself (see wait).
   */
  static async start(
    workers: number,
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    names: readonly string[],
    local: readonly LocalExport[],
  ): Promise<ThreadPool> {
    const reason = threadsUnavailable();
    if (reason) throw new GradscopeError('WASM_UNAVAILABLE', `threads: ${reason}`);
    const platform = isNode() ? await nodePlatform() : browserPlatform();
    const lanes: Lane[] = [];
    try {
      for (let i = 0; i < workers; i++) {
        const control = new SharedArrayBuffer(CONTROL_BYTES);
        const worker = platform.start({ module, memory, control, names, spin: SPIN, layout: { control: CONTROL, queue: QUEUE, args: ARGS } });
        const lane: Lane = { worker, ctrl: new Int32Array(control), args: new Float64Array(control), queued: 0, exited: false };
        lanes.push(lane);
        live++;
        void worker.gone.then(() => {
          lane.exited = true;
          live--;
        });
      }
      await Promise.all(lanes.map((lane) => lane.worker.ready));
    } catch (error) {
      lanes.forEach((lane) => lane.worker.terminate());
      await Promise.all(lanes.map((lane) => lane.worker.gone));
      throw error;
    } finally {
      platform.started();
    }
    return new ThreadPool(lanes, mayBlock(), local);
  }

  get size(): number {
    return this.lanes.length;
  }

  /**
   * Queues a call of export `fn` (an index into `names`) with up to 8 arguments on worker `w`, after
   * the calls queued before it; it starts at once if the worker is awake. The worker may still be
   * running it when this returns: wait(w) before reading what it writes or writing what it reads.
   */
  enqueue(w: number, fn: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0): void {
    if (this.closed) throw new GradscopeError('DISPOSED', 'threads: this pool was closed');
    const lane = this.lanes[w];
    const { ctrl, args } = lane;
    // A full ring (a long chain queued without a wait): let the worker catch up.
    if (((lane.queued - Atomics.load(ctrl, CONTROL.done)) | 0) >= QUEUE) this.wait(w);
    const slot = lane.queued & (QUEUE - 1);
    ctrl[CONTROL.fn + slot] = fn;
    const at = ARGS + ARGS_PER_CALL * slot;
    args[at] = a0;
    args[at + 1] = a1;
    args[at + 2] = a2;
    args[at + 3] = a3;
    args[at + 4] = a4;
    args[at + 5] = a5;
    args[at + 6] = a6;
    args[at + 7] = a7;
    lane.queued = (lane.queued + 1) | 0;
    Atomics.store(ctrl, CONTROL.queued, lane.queued);
    // A worker that reads awake after this store sleeps only if the counter still holds the old
    // value, which it does not; one that cleared awake before it is woken here.
    if (Atomics.load(ctrl, CONTROL.awake) === 0) Atomics.notify(ctrl, CONTROL.queued);
  }

  /** Whether worker `w` has calls queued that are not known to be finished. */
  busy(w: number): boolean {
    const lane = this.lanes[w];
    return Atomics.load(lane.ctrl, CONTROL.done) !== lane.queued;
  }

  /**
   * Whether worker `w` is awake (working, or spinning for its next call): a call queued now starts
   * within a microsecond, where a sleeping worker takes tens to wake. A hint: it may fall asleep
   * right after, and enqueue() wakes it either way.
   */
  isAwake(w: number): boolean {
    return Atomics.load(this.lanes[w].ctrl, CONTROL.awake) === 1;
  }

  /**
   * Returns once every call queued on worker `w` is done; throws if one failed or the worker died.
   * A call the worker has not claimed yet (it is asleep, or the system has not given it a core),
   * whose predecessors are done, the main thread claims and runs itself, since its own part of the
   * work is done: the same call on the same memory, so the results are the same bit for bit, and
   * the main thread does not wait for the worker to wake.
   */
  wait(w: number): void {
    const lane = this.lanes[w];
    const { ctrl } = lane;
    for (;;) {
      const done = Atomics.load(ctrl, CONTROL.done);
      if (done === lane.queued) break;
      // Claimed only with every call before it done: calls depend on the ones queued before them.
      if (Atomics.compareExchange(ctrl, CONTROL.claimed, done, (done + 1) | 0) === done) this.runHere(lane, done);
      else this.awaitDone(w, lane, done);
    }
    if (Atomics.exchange(ctrl, CONTROL.error, 0) !== 0) {
      throw new GradscopeError('WASM_UNAVAILABLE', `threads: worker ${w} failed while running a kernel`);
    }
  }

  /** Runs call number `call`, claimed from worker `w`'s queue, on the main thread, and marks it done. */
  private runHere(lane: Lane, call: number): void {
    this.callsRunHere++;
    const { ctrl, args } = lane;
    const slot = call & (QUEUE - 1);
    const a = ARGS + ARGS_PER_CALL * slot;
    try {
      this.local[ctrl[CONTROL.fn + slot]](args[a], args[a + 1], args[a + 2], args[a + 3], args[a + 4], args[a + 5], args[a + 6], args[a + 7]);
    } catch {
      // Reported by wait, as a failure on the worker is.
      Atomics.store(ctrl, CONTROL.error, 1);
    } finally {
      // The worker may be spinning on it, holding the call after this one.
      Atomics.store(ctrl, CONTROL.done, (call + 1) | 0);
    }
  }

  /**
   * Returns once worker `w`'s done counter has moved past `done`: a short spin (the call usually
   * ends within microseconds of the main thread's own part), then sleep on the counter, or, where
   * this thread may not block (a browser's main thread), keep loading it.
   */
  private awaitDone(w: number, lane: Lane, done: number): void {
    const { ctrl } = lane;
    for (let spin = 0; spin < SPIN; spin++) if (Atomics.load(ctrl, CONTROL.done) !== done) return;
    if (this.blocking) this.sleepUntilDone(w, lane, done);
    else this.spinUntilDone(w, lane, done);
  }

  /**
   * The slow path of awaitDone: sleep on the done counter. It counts one-second timeouts rather than
   * reading a clock, because performance.now() allocates a boxed double on every call.
   */
  private sleepUntilDone(w: number, lane: Lane, done: number): void {
    let timeouts = 0;
    // Sleeps only while the counter still holds `done`.
    while (Atomics.wait(lane.ctrl, CONTROL.done, done, 1000) === 'timed-out') {
      if (++timeouts * 1000 >= CALL_TIMEOUT_MS) throw this.deadWorker(w);
    }
  }

  /** The slow path where this thread may not block (a browser's main thread): keep loading the counter. */
  private spinUntilDone(w: number, lane: Lane, done: number): void {
    let deadline = 0;
    for (let loads = 1; Atomics.load(lane.ctrl, CONTROL.done) === done; loads++) {
      if (loads % LOADS_PER_CLOCK_READ !== 0) continue;
      const now = performance.now();
      if (deadline === 0) deadline = now + CALL_TIMEOUT_MS;
      else if (now > deadline) throw this.deadWorker(w);
    }
  }

  private deadWorker(w: number): GradscopeError {
    return new GradscopeError('WASM_UNAVAILABLE', `threads: worker ${w} did not finish a call in ${CALL_TIMEOUT_MS / 1000} s (it may have died)`);
  }

  /** Stops every worker and resolves when all have exited. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      this.lanes.map(async (lane) => {
        if (lane.exited) return;
        // The stop flag before the counter: a worker that sees the counter move sees the flag.
        Atomics.store(lane.ctrl, CONTROL.stop, 1);
        Atomics.store(lane.ctrl, CONTROL.queued, (lane.queued + 1) | 0);
        Atomics.notify(lane.ctrl, CONTROL.queued);
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS)));
        if ((await Promise.race([lane.worker.gone, timeout])) === 'timeout') {
          lane.worker.terminate();
          await lane.worker.gone;
        }
        clearTimeout(timer);
      }),
    );
  }
}
