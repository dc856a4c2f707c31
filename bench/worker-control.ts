/**
 * The hand-off between the main thread and one worker of the bench's two-thread controls
 * (bench/host-control.ts, bench/nothing-shared.ts): a control block of Int32 slots on a
 * SharedArrayBuffer, one job per hand-off, as in gradscope's pool (worker-source.ts: spin, then
 * sleep on the counter). The main thread posts a job (JOB = its number), the worker marks it
 * started (STARTED) and done (DONE); STOP with one more job ends the worker, which says 'stopped'.
 * The worker says 'ready' once it can take jobs.
 */
import type { Worker } from 'node:worker_threads';

/** The slots: the job counter, the done counter, the stop flag, and the job the worker last started. */
export const JOB = 0, DONE = 1, STOP = 2, STARTED = 3;
export const CONTROL_SLOTS = 4;
/** A hand-off not answered within this long means a dead worker: fail rather than hang the bench. */
const TIMEOUT_MS = 30_000;

export interface WorkerControl {
  /** Hands the worker its next job. */
  post(): void;
  /** Whether the worker has started the last job posted. */
  started(): boolean;
  /** Returns once the worker has done the last job posted: spins `spin` loads, then sleeps on DONE. */
  wait(): void;
  /** Stops the worker, waits for its 'stopped', and terminates it. */
  close(): Promise<void>;
}

/**
 * A control block for a worker made by `start` (given the block, to pass it in its workerData);
 * resolves once the worker said 'ready'. `name` says whose worker failed.
 */
export async function startWorkerControl(name: string, start: (control: SharedArrayBuffer) => Worker, spin: number): Promise<WorkerControl> {
  const control = new SharedArrayBuffer(4 * CONTROL_SLOTS);
  const ctrl = new Int32Array(control);
  const worker = start(control);
  const message = (expected: string) =>
    new Promise<void>((resolve, reject) => {
      worker.once('message', (m) => (m === expected ? resolve() : reject(new Error(`${name} worker said ${String(m)}`))));
      worker.once('error', reject);
    });
  await message('ready');
  let job = 0;
  return {
    post: () => {
      job++;
      Atomics.store(ctrl, JOB, job);
      Atomics.notify(ctrl, JOB);
    },
    started: () => Atomics.load(ctrl, STARTED) === job,
    wait: () => {
      for (let i = 0; i < spin && Atomics.load(ctrl, DONE) !== job; i++);
      const started = performance.now();
      for (let done = Atomics.load(ctrl, DONE); done !== job; done = Atomics.load(ctrl, DONE)) {
        Atomics.wait(ctrl, DONE, done, 1000); // returns at once if the worker finished since the load
        if (performance.now() - started > TIMEOUT_MS) throw new Error(`${name} worker did not finish job ${job} within ${TIMEOUT_MS} ms`);
      }
    },
    close: async () => {
      const stopped = message('stopped');
      Atomics.store(ctrl, STOP, 1);
      Atomics.store(ctrl, JOB, job + 1);
      Atomics.notify(ctrl, JOB);
      await stopped;
      await worker.terminate();
    },
  };
}

/**
 * The worker's side, for a worker that can import this module: says 'ready', then runs `job` once
 * per hand-off (spin `spin` loads, then sleep on JOB) until STOP, and says 'stopped'.
 * (host-control.ts' worker, eval'd plain JavaScript, runs the same loop on these slots.)
 */
export function serveJobs(control: SharedArrayBuffer, spin: number, job: () => void, say: (message: string) => void): void {
  const ctrl = new Int32Array(control);
  let seen = 0;
  say('ready');
  for (;;) {
    for (let i = 0; i < spin && Atomics.load(ctrl, JOB) === seen; i++);
    Atomics.wait(ctrl, JOB, seen);
    seen = Atomics.load(ctrl, JOB);
    if (Atomics.load(ctrl, STOP)) break;
    Atomics.store(ctrl, STARTED, seen);
    job();
    Atomics.store(ctrl, DONE, seen);
    Atomics.notify(ctrl, DONE);
  }
  say('stopped');
}
