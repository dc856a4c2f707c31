/**
 * A half of the exchanged ceiling (bench/nothing-shared.ts startExchangedPair): the nothing-shared
 * half's step (bench/step.bench.ts' step of half the batch on a one-thread network) plus the least
 * that any data-parallel step on two cores must move between them. Each side's network lives in
 * its own shared WebAssembly.Memory (one-thread kernels on gradscope's shared core, as the split
 * step's), and each side can read the other's. Per step each side:
 * 1. runs forward and backprop over its half of the batch: its ∂W and ∂b are P_side, its rows' sum;
 * 2. meets the other (a barrier: spin, then sleep, as gradscope's pool waits);
 * 3. for its half of every parameter (cut at a 64-byte line, so no line has two writers), reads the
 *    other's P over that half (the other core's lines), adds it to its own (the reduce) and
 *    updates the half (plain SGD: w −= lr·g, as the split step's update of a half);
 * 4. meets the other again, then reads the other's half of the updated weights into its own copy.
 * So each core reads the other's half of ∂W and of the weights once a step, as an all-reduce on two
 * cores must, and writes nothing the other reads in between. What it does beyond that minimum: a
 * core's wasm instance reads only its own memory, so the other's lines are copied (TypedArray set on
 * shared memory) into a scratch before the reduce reads them, and the weights into its own copy,
 * where the split step reads them in place: two local passes over a half of the parameters a step
 * (~6 µs each for 153 KiB on the AMD EPYC Zen 5; bench/nothing-shared.ts run alone times a half
 * with its exchange kept local, which shows that share), and each side zeroes its whole ∂W at
 * backprop's start where the split step zeroes it once between its threads. So the exchanged
 * ceiling reads a little low, as the nothing-shared one does; unlike that one, it keeps the lines
 * that must cross between the cores.
 */
import { instantiateSharedCore } from '../src/wasm/loader.js';
import { MAX_PAGES } from '../src/wasm/allocator.js';
import { WasmBackend, type WasmTensor } from '../src/wasm/wasm-kernels.js';
import { denseModelOf } from '../src/model.js';
import { stepOn, STEP_LEARNING_RATE } from './step.bench.js';

/** The shared state of an exchanged pair, made once on the main thread and posted to the worker. */
export interface ExchangeState {
  /** Each side's memory (side 0: the main thread's). */
  memories: [WebAssembly.Memory, WebAssembly.Memory];
  /** Int32 slots: each side's barrier arrivals, then each side's layout checksum. */
  slots: SharedArrayBuffer;
}

/** What an exchanged half does: the step of `batch` (half the whole) on side `side`. Plain data with shared objects: posted to the worker. */
export interface ExchangeWork {
  kind: 'exchange';
  sizes: number[];
  batch: number;
  side: 0 | 1;
  state: ExchangeState;
  spin: number;
  /** Run alone, the exchange read from its own memory and no barrier: the exchange's local work, nothing crossing. */
  solo?: boolean;
}

const F32 = 4;
/** Floats in a 64-byte cache line: each tensor's halves are cut at a multiple of it. */
const LINE = 16;
const LAYOUT = 2;
/** A barrier not passed within this long means a dead peer: fail rather than hang the bench. */
const TIMEOUT_MS = 30_000;
/** Where the memories start: the one-thread core's first pages, grown as the network allocates. */
const INITIAL_PAGES = 16;

export function exchangeState(): ExchangeState {
  const memory = () => new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: true });
  return { memories: [memory(), memory()], slots: new SharedArrayBuffer(4 * (LAYOUT + 2)) };
}

/** The half of a parameter a side reduces and updates ([lo, hi)), cut at a line. */
function halfOf(length: number, side: 0 | 1): [number, number] {
  const cut = Math.min(length, Math.ceil(length / 2 / LINE) * LINE);
  return side === 0 ? [0, cut] : [cut, length];
}

/**
 * What bench/step-phases.ts reads of the main thread's half: its kernels (to time their calls) as
 * soon as they exist, and a mark at the end of each phase of a step (EXCHANGE_PHASES, in order).
 */
export interface HalfObserver {
  kernels(kernels: WasmBackend): void;
  mark(phase: number): void;
}

/** The phases of an exchanged half's step, each ended by a HalfObserver mark. */
export const EXCHANGE_PHASES = ['forward', 'backward', 'first barrier', 'reduce + update', 'second barrier', 'weights read'] as const;

/**
 * One side of an exchanged pair; `beforeExchange` runs when its half's forward and backprop are
 * done, before the first barrier (the pair reads there whether the worker has started).
 */
export async function makeExchangeHalf(work: ExchangeWork, beforeExchange: () => void = () => {}, observer?: HalfObserver): Promise<{ run(): void; dispose(): void }> {
  const { side, batch } = work;
  const other = (1 - side) as 0 | 1;
  const own = work.state.memories[side];
  const peer = work.solo ? own : work.state.memories[other];
  const kernels = new WasmBackend((await instantiateSharedCore(own)).exports, 'simd', 'simd');
  observer?.kernels(kernels);
  const mark = observer ? observer.mark : () => {};
  const { net } = await stepOn(kernels, work.sizes, batch);
  const model = denseModelOf(net, 'bench');
  const parts = model.parameters().map((p) => {
    const [lo, hi] = halfOf(p.length, side);
    const [otherLo, otherHi] = halfOf(p.length, other);
    const at = (t: WasmTensor, from: number, to: number): WasmTensor => ({ ptr: t.ptr + from * F32, length: to - from });
    const [grad, value] = [p.grad as WasmTensor, p.value as WasmTensor]; // the tensors of `kernels`
    return { grad, value, lo, hi, otherLo, otherHi, gradHalf: at(grad, lo, hi), valueHalf: at(value, lo, hi) };
  });
  const scratch = kernels.alloc(Math.max(...parts.map((p) => p.hi - p.lo)));
  // Both sides allocate alike, so each finds the other's tensors at its own pointers: checked once.
  const slots = new Int32Array(work.state.slots);
  Atomics.store(slots, LAYOUT + side, parts.reduce((sum, p) => (sum * 31 + p.grad.ptr + 7 * p.value.ptr) | 0, scratch.ptr));

  // Views made at the first step, when both sides have allocated everything (no step grows a memory).
  let copies: (() => void)[] | undefined;
  const views = () => {
    if (Atomics.load(slots, LAYOUT) !== Atomics.load(slots, LAYOUT + 1) && !work.solo) throw new Error('exchanged pair: the two sides laid their tensors out differently');
    const [mine, theirs] = [new Float32Array(own.buffer), new Float32Array(peer.buffer)];
    const s = scratch.ptr / F32;
    return parts.flatMap((p) => {
      const [g, v] = [p.grad.ptr / F32, p.value.ptr / F32];
      const gradIn = theirs.subarray(g + p.lo, g + p.hi);
      const weightsIn = theirs.subarray(v + p.otherLo, v + p.otherHi);
      return [
        () => {
          mine.set(gradIn, s);
          kernels.axpy(p.gradHalf, scratch, p.hi - p.lo, 1);
          kernels.axpy(p.valueHalf, p.gradHalf, p.hi - p.lo, -STEP_LEARNING_RATE);
        },
        () => mine.set(weightsIn, v + p.otherLo),
      ];
    });
  };
  const reduceAndUpdate = () => { for (let i = 0; i < copies!.length; i += 2) copies![i](); };
  const gatherWeights = () => { for (let i = 1; i < copies!.length; i += 2) copies![i](); };

  let arrivals = 0;
  const barrier = () => {
    if (work.solo) return;
    arrivals++;
    Atomics.store(slots, side, arrivals);
    Atomics.notify(slots, side);
    for (let i = 0; i < work.spin && Atomics.load(slots, other) < arrivals; i++);
    const started = performance.now();
    for (let seen = Atomics.load(slots, other); seen < arrivals; seen = Atomics.load(slots, other)) {
      Atomics.wait(slots, other, seen, 1000);
      if (performance.now() - started > TIMEOUT_MS) throw new Error(`exchanged pair: side ${other} did not reach barrier ${arrivals} within ${TIMEOUT_MS} ms`);
    }
  };
  return {
    run: () => {
      copies ??= views();
      model.feedforward(batch);
      mark(0);
      model.backprop(batch);
      mark(1);
      beforeExchange();
      barrier();
      mark(2);
      reduceAndUpdate();
      mark(3);
      barrier();
      mark(4);
      gatherWeights();
      mark(5);
    },
    dispose: () => net.dispose(),
  };
}
