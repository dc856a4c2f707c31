/**
 * A pool of workers running the core on one shared WebAssembly.Memory: Node worker_threads, or Web
 * Workers in a cross-origin isolated page. The main thread posts a job (up to MAX_CALLS export
 * calls with numeric arguments) to a worker through a control block in a SharedArrayBuffer, does
 * its own share of the work, then waits for the worker's done counter, or runs the job itself if
 * the worker has not claimed it yet (asleep, or descheduled). Posting and waiting allocate nothing.
 *
 * The job protocol is one piece of code for both platforms (worker-source.ts); what differs —
 * how a worker is started, handed its module and memory, and seen to exit — is a `Platform`
 * adapter below. One more difference: browsers forbid Atomics.wait on the main thread, so there
 * the pool spins on the done counter (workers may still sleep).
 *
 * Only the main thread allocates and grows the memory, and only while no job runs.
 */
import { GradscopeError } from '../../errors.js';
import { ARGS_AT, ARGS_PER_CALL, CONTROL, CONTROL_BYTES, STAMPS_AT, writeCall } from './control.js';
import { BROWSER_WORKER_SOURCE, nodeWorkerSource } from './worker-source.js';

/** A job that has not finished after this long means a dead worker: fail rather than hang. */
const JOB_TIMEOUT_MS = 30_000;
/**
 * Loads of the counter before a thread sleeps on it: about 1 ms on an AMD EPYC Zen 3 (20,000 took
 * 312–344 µs in a plain Node loop there, 2026-12-01 22:23), ~330 µs on the Zen 5 (below). A step's products follow each other within
 * microseconds, and a wake-up from Atomics.wait costs tens of them (a sleeping worker claimed a job
 * 45–90 µs after it was posted on that VM; where the main thread gets there first, it runs the job
 * itself, and the split is lost). Without spinning two threads fell
 * well short of issue #16's 1.7× one thread at batch 256; with 20,000 loads they met it (1.77×,
 * bench/RESULTS.md as of commit fa556a2: AMD EPYC, 2026-11-29). But in train() the stretch between
 * one step's last product and the next step's batch gather (the update, the checks, the loop's
 * JavaScript: 90–260 µs, tenth to ninetieth percentile, every kernel call timed, at load 17) starts
 * when the worker has finished its part, often before the main thread, and 20,000 loads did not
 * always outlast it: in train() of [784,100,100,10] at batch 256, 21–29 % of the jobs found the
 * worker asleep; with 60,000 loads 7–11 %, and the main thread ran 39–53 % as many of the worker's
 * jobs itself (three runs of 15 interleaved rounds, train(dataset) twice and train(x, y) once,
 * 2026-12-01 22:41–22:43, load 15–17; one epoch took 0.93–0.98× the time it took with 20,000
 * loads, within that busy machine's noise; 120,000 loads: 6 % asleep, 1.04×). The main thread's
 * wait spinning only 3,000 or 10,000 loads before it sleeps (so that the vCPU it leaves could run a
 * worker the host had descheduled) made train(dataset)'s two-thread steps slower, not faster: their
 * mean 4,248 and 4,361 µs against 3,745 and 3,708 for two copies of main's tree (bench/train-steps.ts,
 * 20 calls each alternated, AMD EPYC Zen 4, 2026-12-03 10:17, load 13; one run).
 * On the AMD EPYC Zen 5 60,000 loads take ~330 µs (326–443 in a plain Node loop, 2026-12-04 22:58,
 * load 8.8), not 1 ms, yet they outlast train()'s stretch between steps: at batch 256 the worker was
 * awake at 389 and 383 of the 420 copyRows calls of ten train(dataset) calls (each batch's targets,
 * the guard's copies; 23:09–23:11, load 5.0 → 2.3), at 384 and 413 with 180,000 loads. 180,000
 * against 60,000 in bench/train-steps.ts (150 calls on two threads against main's tree, both orders,
 * 23:03–23:09, load 7.6 → 2.1): step p10 1,252 and 1,245 µs against 1,254 and 1,241, means 1,501 and
 * 1,499 against 1,554 and 1,478, call medians 48.2 and 47.4 ms against 49.2 and 48.1: within the
 * floor, not changed. Nor was post()'s notify
 * skipped when the worker is awake: with no sleeper it costs ~45 ns more than a load (a plain loop,
 * 22:52), under 1 µs a step.
 */
export const SPIN = 60_000;
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
}

/** One started worker, whatever the platform. */
interface PoolWorker {
  /** Resolves when the worker has instantiated the core; rejects if it fails or exits first. */
  readonly ready: Promise<void>;
  /** Resolves when the worker is gone (left its loop, or terminated). */
  readonly gone: Promise<void>;
  terminate(): void;
}

/** The platform difference, and nothing else: how to start a worker running the job protocol. */
interface Platform {
  start(init: WorkerInit): PoolWorker;
  /** Called once every worker is ready (or the start failed). */
  started(): void;
}

/** An export of the core as the main thread calls it: up to ARGS_PER_CALL numeric arguments. */
export type LocalExport = (
  a0: number, a1: number, a2: number, a3: number, a4: number, a5: number,
  a6: number, a7: number, a8: number, a9: number, a10: number, a11: number,
) => unknown;

interface Lane {
  worker: PoolWorker;
  ctrl: Int32Array;
  args: Float64Array;
  /** The job counter of the last job posted. */
  job: number;
  /** When the last job was posted (ms, stampNow), while the pool is probed. */
  postedAt: number;
  exited: boolean;
}

/**
 * One job as a probed pool saw it (ThreadPool.probe), in ms on one clock (stampNow: the workers
 * stamp with it too): from its post to the main thread's wait, the wait itself, and the worker's run.
 */
export interface JobStamp {
  /** The export of the job's first call (its index in the pool's names, by name). */
  name: string;
  /** The worker that was handed the job. */
  worker: number;
  /** The main thread posted it (ThreadPool.post). */
  posted: number;
  /** The main thread, its own part done, began to wait for it (ThreadPool.wait). */
  waited: number;
  /** The wait returned. */
  returned: number;
  /** The worker began and ended the job's calls; NaN where the main thread ran the job itself. */
  workerStart: number;
  workerEnd: number;
}

/**
 * The clock of probed jobs on every thread: the time origin of the thread's context plus its
 * performance.now(), so that a worker's stamps and the main thread's read alike. Only read while probed:
 * each reading allocates a boxed double.
 */
function stampNow(): number {
  return performance.timeOrigin + performance.now();
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
  /** Jobs the main thread claimed and ran itself so far (see wait). */
  jobsRunHere = 0;
  /** Where a probed pool adds each job it waited for (probe), or null. */
  private stamps: JobStamp[] | null = null;

  private constructor(
    private readonly lanes: Lane[],
    /** The exports the workers call, by the index a call names (setCall's `fn`). */
    private readonly names: readonly string[],
    /** False on a browser's main thread, where waiting for a worker means spinning. */
    private readonly blocking: boolean,
    /** The main thread's own instance of each export the workers call, by the same index. */
    private readonly local: readonly LocalExport[],
  ) {}

  /**
   * Workers, each with its own instance of `module` on `memory`, ready when this resolves. `local`
   * holds the main thread's instance of each export in `names`, for the jobs it runs itself (see wait).
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
        const worker = platform.start({ module, memory, control, names, spin: SPIN });
        const lane: Lane = { worker, ctrl: new Int32Array(control), args: new Float64Array(control), job: 0, postedAt: 0, exited: false };
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
    return new ThreadPool(lanes, names, mayBlock(), local);
  }

  get size(): number {
    return this.lanes.length;
  }

  /** Sets call `c` (< MAX_CALLS, else WASM_UNAVAILABLE: writeCall) of worker `w`'s next job: export `fn` (an index into `names`) with up to ARGS_PER_CALL arguments. */
  setCall(w: number, c: number, fn: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0, a9 = 0, a10 = 0, a11 = 0): void {
    const { ctrl, args } = this.lanes[w];
    writeCall(ctrl, CONTROL.fn, args, ARGS_AT, c, fn, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
  }

  /**
   * Whether worker `w` is awake (working, or spinning for its next job): a job posted now starts
   * within a microsecond, where a sleeping worker takes tens to wake. A hint: it may fall asleep
   * right after, and post() wakes it either way.
   */
  isAwake(w: number): boolean {
    return Atomics.load(this.lanes[w].ctrl, CONTROL.awake) === 1;
  }

  /**
   * Adds a JobStamp to `into` for every job waited for from now on, and has the workers stamp their
   * runs, until probe(null): where a step's time goes on each thread (bench/thread-jobs.ts). Reading
   * the clock allocates, so a probed pool's calls do; an unprobed pool's never do.
   */
  probe(into: JobStamp[] | null): void {
    this.stamps = into;
    for (const lane of this.lanes) Atomics.store(lane.ctrl, CONTROL.probe, into === null ? 0 : 1);
  }

  /** Starts worker `w` on the first `calls` calls set with setCall. */
  post(w: number, calls: number): void {
    if (this.closed) throw new GradscopeError('DISPOSED', 'threads: this pool was closed');
    const lane = this.lanes[w];
    if (this.stamps !== null) lane.postedAt = stampNow();
    Atomics.store(lane.ctrl, CONTROL.calls, calls);
    lane.job = (lane.job + 1) | 0;
    Atomics.store(lane.ctrl, CONTROL.job, lane.job);
    Atomics.notify(lane.ctrl, CONTROL.job);
  }

  /**
   * Returns once worker `w`'s last job is done; throws if it failed or died. A job the worker has
   * not claimed yet (it is asleep, or the system has not given it a core) the main thread claims
   * and runs itself, since its own part of the work is done: the same calls on the same memory,
   * so the results are the same bit for bit, and the step does not wait for the worker to wake.
   */
  wait(w: number): void {
    const stamps = this.stamps;
    if (stamps === null) return this.waitFor(w);
    const lane = this.lanes[w];
    const waited = stampNow();
    const ranHere = this.jobsRunHere;
    this.waitFor(w);
    const byWorker = this.jobsRunHere === ranHere;
    stamps.push({
      name: this.names[lane.ctrl[CONTROL.fn]],
      worker: w,
      posted: lane.postedAt,
      waited,
      returned: stampNow(),
      workerStart: byWorker ? lane.args[STAMPS_AT] : NaN,
      workerEnd: byWorker ? lane.args[STAMPS_AT + 1] : NaN,
    });
  }

  /** wait, unprobed. */
  private waitFor(w: number): void {
    const lane = this.lanes[w];
    const previous = (lane.job - 1) | 0;
    if (Atomics.compareExchange(lane.ctrl, CONTROL.claim, previous, lane.job) === previous) return this.runHere(w, lane);
    for (let spin = 0; spin < SPIN && Atomics.load(lane.ctrl, CONTROL.done) !== lane.job; spin++);
    if (Atomics.load(lane.ctrl, CONTROL.done) !== lane.job) {
      if (this.blocking) this.sleepUntilDone(w, lane);
      else this.spinUntilDone(w, lane);
    }
    if (Atomics.exchange(lane.ctrl, CONTROL.error, 0) !== 0) {
      throw new GradscopeError('WASM_UNAVAILABLE', `threads: worker ${w} failed while running a kernel`);
    }
  }

  /** Runs worker `w`'s claimed job on the main thread. */
  private runHere(w: number, lane: Lane): void {
    this.jobsRunHere++;
    const { ctrl, args } = lane;
    const calls = ctrl[CONTROL.calls];
    let result = 0;
    try {
      for (let c = 0; c < calls; c++) {
        const a = ARGS_AT + ARGS_PER_CALL * c;
        result = (this.local[ctrl[CONTROL.fn + c]](args[a], args[a + 1], args[a + 2], args[a + 3], args[a + 4], args[a + 5], args[a + 6], args[a + 7], args[a + 8], args[a + 9], args[a + 10], args[a + 11]) as number) | 0;
      }
    } catch {
      throw new GradscopeError('WASM_UNAVAILABLE', `threads: worker ${w}'s job failed on the main thread`);
    }
    Atomics.store(ctrl, CONTROL.result, result);
  }

  /** After wait(w): what the last call of worker `w`'s last job returned, as an int32 (0 for an export that returns nothing). */
  result(w: number): number {
    return Atomics.load(this.lanes[w].ctrl, CONTROL.result);
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
        throw this.deadWorker(w);
      }
    }
  }

  /** The slow path where this thread may not block (a browser's main thread): keep loading the counter. */
  private spinUntilDone(w: number, lane: Lane): void {
    let deadline = 0;
    for (let loads = 1; Atomics.load(lane.ctrl, CONTROL.done) !== lane.job; loads++) {
      if (loads % LOADS_PER_CLOCK_READ !== 0) continue;
      const now = performance.now();
      if (deadline === 0) deadline = now + JOB_TIMEOUT_MS;
      else if (now > deadline) throw this.deadWorker(w);
    }
  }

  private deadWorker(w: number): GradscopeError {
    return new GradscopeError('WASM_UNAVAILABLE', `threads: worker ${w} did not finish its job in ${JOB_TIMEOUT_MS / 1000} s (it may have died)`);
  }

  /** Stops every worker and resolves when all have exited. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      this.lanes.map(async (lane) => {
        if (lane.exited) return;
        Atomics.store(lane.ctrl, CONTROL.calls, -1);
        Atomics.store(lane.ctrl, CONTROL.job, (lane.job + 1) | 0);
        Atomics.notify(lane.ctrl, CONTROL.job);
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
