/**
 * threadsFallback of kernels made with `threads: 1`: one thread, as asked, not a fallback to be told of
 * (TrainResult.threadsNote). A module of its own: training reads it on every network, and importing it
 * from threaded-kernels.ts would bring the threads' code, which src/backend.ts loads only for threads ≥ 2,
 * into every page.
 */
export const ONE_THREAD_ASKED = 'one thread was asked for';
