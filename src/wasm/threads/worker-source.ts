/**
 * The source of a pool worker, as strings: one job protocol (`WORKER_PROTOCOL`) and a few lines per
 * platform that hand it its start-up data. Node runs the source with
 * `new Worker(source, { eval: true })`; browsers load it from a Blob URL as a classic worker. So
 * the worker needs no file of its own and no TypeScript loader, whether gradscope runs from dist/,
 * from source under tsx, inside a test runner or from a bundle.
 *
 * The worker instantiates the core on the pool's shared memory, says 'ready', then loops: wait for
 * the job counter to move past the value it last read (Atomics.wait compares against that value,
 * so a job posted before the wait starts is never missed), run the job's calls, publish the
 * counter as done and notify. A negative call count is the order to stop: it says 'stopped' and
 * returns. While the pool is probed (CONTROL.probe) it stamps each job's start and end (STAMPS_AT).
 * It never allocates in the memory: the main thread owns allocation and hands it pointers.
 *
 * The control block's slots (CONTROL), its call arguments (ARGS_AT) and the call itself (callSource)
 * come from control.ts, the layout the pool reads too.
 */
import { ARGS_AT, ARGS_PER_CALL, CONTROL, STAMPS_AT, callSource } from './control.js';


/** `gradscopeWorker(init, say)`: init = { module, memory, control, names, spin }; say(message) posts to the pool. */
const WORKER_PROTOCOL = `
function gradscopeWorker({ module, memory, control, names, spin: SPIN }, say) {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const fns = names.map((name) => instance.exports[name]);
  const ctrl = new Int32Array(control);
  const args = new Float64Array(control);
  // The counter starts at 0 and only the main thread moves it, after 'ready': reading it here
  // instead could see a job already posted and then wait past it forever.
  let seen = 0;
  Atomics.store(ctrl, ${CONTROL.awake}, 1);
  say('ready');
  for (;;) {
    // Spin a little before sleeping: the next product of a step usually follows within
    // microseconds, and waking from a futex costs tens of them.
    for (let spin = 0; spin < SPIN && Atomics.load(ctrl, ${CONTROL.job}) === seen; spin++);
    Atomics.store(ctrl, ${CONTROL.awake}, 0);
    Atomics.wait(ctrl, ${CONTROL.job}, seen);
    Atomics.store(ctrl, ${CONTROL.awake}, 1);
    seen = Atomics.load(ctrl, ${CONTROL.job});
    const calls = Atomics.load(ctrl, ${CONTROL.calls});
    if (calls < 0) break;
    // Jobs are claimed in order; one the main thread claimed first, it ran itself.
    if (Atomics.compareExchange(ctrl, ${CONTROL.claim}, (seen - 1) | 0, seen) !== ((seen - 1) | 0)) continue;
    let result = 0;
    const probed = Atomics.load(ctrl, ${CONTROL.probe}) === 1;
    if (probed) args[${STAMPS_AT}] = performance.timeOrigin + performance.now();
    try {
      for (let c = 0; c < calls; c++) {
        const a = ${ARGS_AT} + ${ARGS_PER_CALL} * c;
        result = ${callSource(`fns[ctrl[${CONTROL.fn} + c]]`, 'args', 'a')} | 0;
      }
    } catch (error) {
      Atomics.store(ctrl, ${CONTROL.error}, 1);
    }
    if (probed) args[${STAMPS_AT} + 1] = performance.timeOrigin + performance.now();
    // Before done: the main thread reads the result (and the stamps) once it sees the job done.
    Atomics.store(ctrl, ${CONTROL.result}, result);
    Atomics.store(ctrl, ${CONTROL.done}, seen);
    Atomics.notify(ctrl, ${CONTROL.done});
  }
  say('stopped');
}
`;

/**
 * Node worker_threads: the start-up data arrives as workerData. The module name comes from the
 * caller's variable, as for pool.ts's own import of it, so a browser bundle holds no literal
 * require of a Node built-in (test/browser/bundle.ts checks for one).
 */
export function nodeWorkerSource(workerThreads: string): string {
  return `${WORKER_PROTOCOL}
const { parentPort, workerData } = require(${JSON.stringify(workerThreads)});
gradscopeWorker(workerData, (message) => parentPort.postMessage(message));
`;
}

/**
 * Web Workers: the start-up data arrives as the first message (a WebAssembly.Module and a shared
 * Memory can be posted only within a cross-origin isolated agent cluster). The loop blocks this
 * handler for the worker's life, which is allowed off the main thread; after 'stopped' the worker
 * closes itself.
 */
export const BROWSER_WORKER_SOURCE = `${WORKER_PROTOCOL}
self.onmessage = (event) => {
  self.onmessage = null;
  try {
    gradscopeWorker(event.data, (message) => self.postMessage(message));
  } catch (error) {
    self.postMessage('failed: ' + String(error));
  }
  self.close();
};
`;
