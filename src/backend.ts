/**
 * Which Kernels a network runs on: 'wasm' (default), 'ref', or any Kernels object; and, for
 * 'wasm', on how many threads.
 *
 * Ownership of thread pools: kernels from createThreadedWasmKernels belong to the caller, who
 * stops their workers with `close()`; a network given them as `backend` never does. Networks
 * created with `threads: n` (n ≥ 2) instead share one set of n-thread kernels per n, counted: each
 * such network holds a share until its dispose(), and the last dispose closes the pool, so one
 * network's dispose never stops a pool another still trains on. A later network starts a new one.
 * The default 'wasm' instance is counted the same way: when its last network is disposed nothing
 * here holds it, so its linear memory (which WebAssembly never shrinks) can be collected.
 */
import { uncheckedKernels } from './checked-kernels.js';
import { keysOf } from './checks.js';
import { invalidOption, shown } from './errors.js';
import type { Kernels } from './kernels.js';
import { MODEL, type ModelOwner } from './model.js';
import { createRefKernels } from './ref/ref-kernels.js';
import { importChunk } from './chunk-import.js';
import type { ThreadedWasmKernels } from './wasm/threads/threaded-kernels.js';
import { createWasmKernels, type WasmKernels } from './wasm/wasm-kernels.js';

/** Where a network's arithmetic runs: 'wasm' (the SIMD WebAssembly core, or its scalar build without SIMD), 'ref' (plain TypeScript, float64: the oracle) or your own Kernels object. */
export type BackendChoice = 'wasm' | 'ref' | Kernels;

/** How to pick the kernels: createNetwork's and the loaders' backend options. */
export interface BackendOptions {
  /** The kernels to run on (default 'wasm'). */
  backend?: BackendChoice;
  /**
   * Threads for the 'wasm' backend, the main thread included (default 1): its large dense products
   * are split across Node worker_threads, or Web Workers in a cross-origin isolated page. At most
   * the threads the machine runs at once (os.availableParallelism() in Node,
   * navigator.hardwareConcurrency in browsers; 64 where neither is known): more are refused
   * (INVALID_OPTION), as they only add hand-offs. A product is split only when every thread gets at
   * least 20 batch rows (and it has 2²¹ flops): with n threads, batches under 20·n rows run on the
   * main thread alone, as with threads 1. Where threads cannot run, the network runs on one thread
   * and `network.kernels.threadsFallback` says why. The threads' code loads when a network first asks
   * for n ≥ 2 (in a bundled page, a chunk of its own: where it cannot be fetched, IO_ERROR).
   *
   * The same bits on every thread count: each split kernel computes every value as one thread
   * does (products by batch rows; ∂W by its columns, beside ∂input, or on two threads by batch rows where one thread
   * sums it in the same two parts; elementwise passes and updates by parts), so a
   * run on 2 threads reproduces one on 1 (bench/thread-bits.ts compares them; docs/benchmarks.md,
   * Threads, quotes it).
   */
  threads?: number;
}

/**
 * Kernels shared by counted users: created for the first, kept while any holds a share, and let go
 * (closed, and no longer referenced here) when the last releases it, so their memory can be
 * collected; the next user starts a new instance.
 */
class CountedKernels<K extends Kernels> {
  private kernels: Promise<K> | undefined;
  private users = 0;

  constructor(
    private readonly create: () => Promise<K>,
    private readonly close: (kernels: K) => void,
  ) {}

  async acquire(): Promise<{ kernels: K; release: () => void }> {
    const kernels = (this.kernels ??= this.create());
    this.users++;
    let released = false;
    let held: K | undefined;
    const release = () => {
      if (released) return;
      released = true;
      if (--this.users > 0 || this.kernels !== kernels) return;
      this.kernels = undefined;
      if (held !== undefined) LET_GO.add(held);
      // dispose() is synchronous: whatever closing involves (workers leaving) finishes in the background.
      kernels.then(this.close).catch(() => {});
    };
    try {
      held = await kernels;
      return { kernels: held, release };
    } catch (error) {
      if (this.kernels === kernels) this.kernels = undefined;
      release();
      throw error;
    }
  }
}

/**
 * Counted kernels let go when their last user was disposed. A dataset made by net.dataset(x, y) holds no
 * share of its network's kernels, so it can outlive them: a network then refuses it saying so (wasLetGo).
 */
const LET_GO = new WeakSet<Kernels>();

/** Whether `kernels` are shared kernels that were let go when the last network or dataset holding them was disposed. */
export function wasLetGo(kernels: Kernels): boolean {
  return LET_GO.has(kernels);
}

/** The wasm backend shared by every network that asks for 'wasm': one instance, one memory, dropped with its last network. */
const sharedWasm = new CountedKernels<WasmKernels>(() => createWasmKernels(), () => {});

/** The counted n-thread kernels of `threads: n`, by n. */
const sharedThreads = new Map<number, CountedKernels<ThreadedWasmKernels>>();

/** The keys of BackendOptions, for the calls that take them (createNetwork, createDataset, loadModel…) to refuse a misspelt one. */
export const BACKEND_OPTIONS = keysOf<BackendOptions>({ backend: true, threads: true });

/**
 * Refuses a backend that is none of 'wasm', 'ref' or a Kernels object (undefined: the default,
 * 'wasm'): INVALID_OPTION 'backend: expected …'. Asked by acquireBackend, and before any work by
 * callers that hand the choice on later (the studies, whose networks are built one by one).
 */
export function checkBackendChoice(choice: unknown): asserts choice is BackendChoice | undefined {
  if (choice === undefined || choice === 'wasm' || choice === 'ref') return;
  if (typeof choice === 'object' && choice !== null && typeof (choice as Partial<Kernels>).denseForward === 'function') return;
  throw invalidOption(`backend: expected 'wasm', 'ref' or a Kernels object, got ${shown(choice)}`);
}

/** Kernels for `options`, and the release their holder calls on dispose (a no-op unless counted). */
export async function acquireBackend(options: BackendOptions): Promise<{ kernels: Kernels; release: () => void }> {
  const choice = options.backend;
  if (options.threads === undefined || options.threads === 1) {
    checkBackendChoice(choice);
    if (choice === undefined || choice === 'wasm') return sharedWasm.acquire();
    if (choice === 'ref') return { kernels: createRefKernels(), release: () => {} };
    // The exported kernels check every call (src/checked-kernels.ts); a network's sizes are checked once, in its config.
    return { kernels: uncheckedKernels(choice), release: () => {} };
  }
  // Loaded only here, so a page on one thread does not carry the threads' code.
  const { checkThreads, coresAvailable, createThreadedWasmKernels, DEFAULT_MIN_ROWS } = await importChunk(
    () => import('./wasm/threads/threads-entry.js'),
    'threads',
    "the threads' code",
    'wasm/threads/threads-entry.js',
  );
  const threads = checkThreads(options.threads);
  if (choice !== undefined && choice !== 'wasm') {
    throw invalidOption(
      `threads: applies to backend 'wasm' only; for your own kernels use createThreadedWasmKernels({ threads: ${threads} }) as the backend`,
    );
  }
  const available = await coresAvailable();
  if (available && threads > available.cores) {
    throw invalidOption(
      `threads: ${threads} is more than the ${available.cores} threads this machine runs at once (${available.source}); more only add hand-offs (and a product is split only when each thread gets ${DEFAULT_MIN_ROWS} batch rows), so give at most ${available.cores}`,
    );
  }
  let shared = sharedThreads.get(threads);
  if (!shared) {
    shared = new CountedKernels(() => createThreadedWasmKernels({ threads }), (k) => k.close());
    sharedThreads.set(threads, shared);
  }
  return shared.acquire();
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
