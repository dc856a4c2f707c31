/**
 * The source of a pool worker, as a string: Node runs it with `new Worker(source, { eval: true })`,
 * so it needs no file of its own and no TypeScript loader in the worker, whether gradscope runs
 * from dist/, from source under tsx, or inside a test runner.
 *
 * The worker instantiates the core on the pool's shared memory, says 'ready', then loops: wait for
 * the job counter to move past the value it last read (Atomics.wait compares against that value,
 * so a job posted before the wait starts is never missed), run the job's calls, publish the
 * counter as done and notify. A negative call count is the order to stop. It never allocates in
 * the memory: the main thread owns allocation and hands it pointers.
 *
 * Control block (Int32 / Float64 views of one SharedArrayBuffer), see CONTROL in pool.ts:
 *   i32[0] job counter   i32[1] done counter   i32[2] calls (−1: stop)   i32[3] error flag
 *   i32[4 + 2c] export index of call c   i32[5 + 2c] unused   f64[8 + 8c .. 16 + 8c) its arguments
 */
export const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, control, names, spin: SPIN } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const fns = names.map((name) => instance.exports[name]);
const ctrl = new Int32Array(control);
const args = new Float64Array(control);
// The counter starts at 0 and only the main thread moves it, after 'ready': reading it here
// instead could see a job already posted and then wait past it forever.
let seen = 0;
parentPort.postMessage('ready');
for (;;) {
  // Spin a little before sleeping: the next product of a step usually follows within
  // microseconds, and waking from a futex costs tens of them.
  for (let spin = 0; spin < SPIN && Atomics.load(ctrl, 0) === seen; spin++);
  Atomics.wait(ctrl, 0, seen);
  seen = Atomics.load(ctrl, 0);
  const calls = Atomics.load(ctrl, 2);
  if (calls < 0) break;
  try {
    for (let c = 0; c < calls; c++) {
      const a = 8 + 8 * c;
      fns[ctrl[4 + 2 * c]](args[a], args[a + 1], args[a + 2], args[a + 3], args[a + 4], args[a + 5], args[a + 6], args[a + 7]);
    }
  } catch (error) {
    Atomics.store(ctrl, 3, 1);
  }
  Atomics.store(ctrl, 1, seen);
  Atomics.notify(ctrl, 1);
}
`;
