/**
 * What src/backend.ts loads, by a dynamic import, when a network first asks for `threads: n` (n ≥ 2):
 * the pool, its workers' source and the split kernels. A page on one thread (the visualizer's
 * training worker, examples/browser-vite) does not load them, and a bundler puts them in a chunk of
 * their own (src/chunk-import.ts).
 */
export { checkThreads, createThreadedWasmKernels, DEFAULT_MIN_ROWS } from './threaded-kernels.js';
export { coresAvailable } from './pool.js';
