/**
 * Which Kernels a network runs on: 'wasm' (default), 'ref', or any Kernels object; and, for
 * 'wasm', on how many threads.
 *
 * Ownership of thread pools: kernels from createThreadedWasmKernels belong to the caller, who
 * stops their workers with `close()`; a network given them as `backend` never does. Networks
 * created with `threads: n` (n ≥ 2) instead share one set of n-thread kernels per n, counted: each
 * such network holds a share until its dispose(), and the last dispose closes the pool, so one
 * network's dispose never stops a pool another still trains on. A later network starts a new one.
 */
import { invalidOption } from './errors.js';
import type { Kernels } from './kernels.js';
import { MODEL, type ModelOwner } from './model.js';
import { createRefKernels } from './ref/ref-kernels.js';
import { checkThreads, createThreadedWasmKernels, type ThreadedWasmKernels } from './wasm/threads/threaded-kernels.js';
import { createWasmKernels, type WasmKernels } from './wasm/wasm-kernels.js';

export type BackendChoice = 'wasm' | 'ref' | Kernels;

export interface BackendOptions {
  backend?: BackendChoice;
  /**
   * Threads for the 'wasm' backend, the main thread included (default 1, at most 64): its large
   * dense products are split across Node worker_threads, or Web Workers in a cross-origin isolated
   * page. Where threads cannot run, the network runs on one thread and
   * `network.kernels.threadsFallback` says why. Counts above the cores are allowed but only slower.
   */
  threads?: number;
}

let sharedWasm: Promise<WasmKernels> | undefined;

/** The wasm backend shared by every network that asks for 'wasm': one instance, one memory. */
export function defaultWasmKernels(): Promise<WasmKernels> {
  sharedWasm ??= createWasmKernels();
  sharedWasm.catch(() => (sharedWasm = undefined));
  return sharedWasm;
}

export async function resolveBackend(choice: BackendChoice | undefined): Promise<Kernels> {
  if (choice === undefined || choice === 'wasm') return defaultWasmKernels();
  if (choice === 'ref') return createRefKernels();
  if (typeof choice === 'object' && choice !== null && typeof choice.denseForward === 'function') return choice;
  throw invalidOption(`backend: expected 'wasm', 'ref' or a Kernels object, got ${JSON.stringify(choice)}`);
}

interface SharedThreads {
  kernels: Promise<ThreadedWasmKernels>;
  /** Networks holding a share. */
  users: number;
}

/** The counted n-thread kernels of `threads: n`, by n. */
const sharedThreads = new Map<number, SharedThreads>();

/** Kernels for `options`, and the release the network calls on dispose (a no-op unless counted). */
async function acquireBackend(options: BackendOptions): Promise<{ kernels: Kernels; release: () => void }> {
  const threads = options.threads === undefined ? 1 : checkThreads(options.threads);
  if (threads === 1) return { kernels: await resolveBackend(options.backend), release: () => {} };
  if (options.backend !== undefined && options.backend !== 'wasm') {
    throw invalidOption(
      `threads: applies to backend 'wasm' only; for your own kernels use createThreadedWasmKernels({ threads: ${threads} }) as the backend`,
    );
  }
  let shared = sharedThreads.get(threads);
  if (!shared) {
    shared = { kernels: createThreadedWasmKernels({ threads }), users: 0 };
    sharedThreads.set(threads, shared);
  }
  shared.users++;
  const entry = shared;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    if (--entry.users > 0) return;
    if (sharedThreads.get(threads) === entry) sharedThreads.delete(threads);
    // dispose() is synchronous: the workers finish leaving in the background.
    entry.kernels.then((k) => k.close()).catch(() => {});
  };
  try {
    return { kernels: await entry.kernels, release };
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * A network built by `build` on the backend `options` choose, whose dispose() gives back its share
 * of counted kernels; nothing is held if `build` throws.
 */
export async function networkOn<N extends ModelOwner>(options: BackendOptions, build: (kernels: Kernels) => N): Promise<N> {
  const { kernels, release } = await acquireBackend(options);
  let network: N;
  try {
    network = build(kernels);
  } catch (error) {
    release();
    throw error;
  }
  network[MODEL].onDispose.add(release);
  return network;
}
