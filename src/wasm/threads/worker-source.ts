/**
 * The source of a pool worker, as strings: one call loop (`WORKER_LOOP`) and a few lines per
 * platform that hand it its start-up data. Node runs the source with
 * `new Worker(source, { eval: true })`; browsers load it from a Blob URL as a classic worker. So
 * the worker needs no file of its own and no TypeScript loader, whether gradscope runs from dist/,
 * from source under tsx, inside a test runner or from a bundle.
 *
 * The worker instantiates the core on the pool's shared memory, says 'ready', then loops: while a
 * queued call is unclaimed, claim it (compare-exchange on the claimed counter: the main thread may
 * claim it first, and then runs it itself), wait until the call before it is done (the main thread
 * may be running that one), run it, publish the done counter and notify. With nothing to claim it
 * spins a little, then sleeps on the queued counter (Atomics.wait compares against the value just
 * read, so a call queued before the sleep starts is never missed). The stop flag ends the loop: it
 * says 'stopped' and returns. It never allocates in the memory: the main thread owns allocation
 * and hands it pointers.
 *
 * The control block's layout (Int32 / Float64 views of one SharedArrayBuffer) is pool.ts's CONTROL,
 * QUEUE and ARGS, handed over at start as `layout`.
 */

/** `gradscopeWorker(init, say)`: init = { module, memory, control, names, spin, layout }; say(message) posts to the pool. */
const WORKER_LOOP = `
function gradscopeWorker({ module, memory, control, names, spin: SPIN, layout }, say) {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const fns = names.map((name) => instance.exports[name]);
  const ctrl = new Int32Array(control);
  const args = new Float64Array(control);
  const { queued: QUEUED, done: DONE, claimed: CLAIMED, error: ERROR, awake: AWAKE, stop: STOP, fn: FN } = layout.control;
  const MASK = layout.queue - 1;
  const ARGS = layout.args;
  Atomics.store(ctrl, AWAKE, 1);
  say('ready');
  for (;;) {
    const claimed = Atomics.load(ctrl, CLAIMED);
    if (claimed === Atomics.load(ctrl, QUEUED)) {
      // Nothing to claim. Spin a little before sleeping: a step's next call usually follows within
      // microseconds, and waking from a futex costs tens of them.
      for (let spin = 0; spin < SPIN && Atomics.load(ctrl, QUEUED) === claimed; spin++);
      if (Atomics.load(ctrl, QUEUED) === claimed) {
        Atomics.store(ctrl, AWAKE, 0);
        Atomics.wait(ctrl, QUEUED, claimed);
        Atomics.store(ctrl, AWAKE, 1);
      }
      continue;
    }
    // The main thread sets the stop flag before it moves the counter, so a moved counter shows it.
    if (Atomics.load(ctrl, STOP) !== 0) break;
    const call = claimed;
    if (Atomics.compareExchange(ctrl, CLAIMED, call, (call + 1) | 0) !== call) continue;
    // The call before may still be running on the main thread, which claimed it: this one may read what it writes.
    while (Atomics.load(ctrl, DONE) !== call);
    const slot = call & MASK;
    const a = ARGS + 8 * slot;
    try {
      fns[ctrl[FN + slot]](args[a], args[a + 1], args[a + 2], args[a + 3], args[a + 4], args[a + 5], args[a + 6], args[a + 7]);
    } catch (error) {
      Atomics.store(ctrl, ERROR, 1);
    }
    Atomics.store(ctrl, DONE, (call + 1) | 0);
    Atomics.notify(ctrl, DONE);
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
  return `${WORKER_LOOP}
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
export const BROWSER_WORKER_SOURCE = `${WORKER_LOOP}
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
