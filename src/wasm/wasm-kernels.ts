/**
 * The wasm backend: the Kernels contract over the AssemblyScript core. Tensors are
 * `{ ptr, length }` blocks of the core's linear memory; every kernel call passes raw pointers, so
 * the hot path copies and allocates nothing.
 */
import { checkChoice, checkKnownKeys, checkTensorLength, keysOf, unknownKernelActivation, unknownLossPass } from '../checks.js';
import { GradscopeError, invalidOption } from '../errors.js';
import { lengthOf } from '../array-reads.js';
import { isTypedNumberArray } from '../data/matrix.js';
import type { Activation, Kernels, NumberArray, OutputActivation, WriteFault } from '../kernels.js';
import { ACTIVATION_STAT_COUNT, ACTIVATIONS, LOSSES, type Loss } from '../kernels.js';
import { Allocator, PAGE } from './allocator.js';
import { refuseAfterFree } from './freed-tensor.js';
import { isFreedTensor, madeBy, recordsOwners } from '../tensor-owners.js';
import {
  ACTIVATION_EXPORT_NAMES,
  exportName,
  type ActivationKernels,
  type CommonExports,
  type Variant,
  type VariantKernels,
  VARIANTS,
} from './exports.js';
import { fastest, type Calibration, type Candidate } from './calibrate.js';
import { BINARIES, compileCore, instantiateCore, instantiateProbe, relaxedSimdSupported, simdSupported, type Binary } from './loader.js';
import { grouped } from '../counted.js';

/** A tensor of the wasm backend: `length` float32 values at byte offset `ptr` of linear memory. */
export interface WasmTensor {
  /** Byte offset in the core's linear memory. */
  readonly ptr: number;
  /** Number of float32 values. */
  readonly length: number;
}

/** Options of createWasmKernels. */
export interface WasmOptions {
  /** Which kernels to run: 'simd' or their 'scalar' twins. Default 'simd' where the engine has SIMD, except on the scalar binary (which holds only 'scalar'). */
  variant?: Variant;
  /**
   * Which binary to load: a SIMD one holds both variants, the scalar one only 'scalar'. Default
   * 'simd' where the engine has SIMD (its results round alike in every process and engine, so runs
   * and checkpoint resumes are bit-for-bit), else 'scalar'. 'fastest' measures once per process
   * whether the microkernel of 'simd-relaxed' (relaxed_madd in the dense products) is more than 3 %
   * faster on this CPU, once both binaries run the engine's optimised code, and loads it if so
   * (src/wasm/calibrate.ts: a budget of 15 ms from when it is asked for, after which the default
   * stays; bench/RESULTS.md has what it adds to loading the default binary): faster on some CPUs,
   * but rounding may then differ between processes. It picks the faster binary at load time, not
   * for the process's life: a host can move the two binaries' ratio from moment to moment (on an
   * AMD EPYC Zen 5 VM, stretches of 30 ms to seconds in which the relaxed binary ran ~0.8× the
   * default's time, else ~1.02×; docs/benchmarks.md, 'Relaxed SIMD'), and a pick made in such a
   * stretch can then run ~2 % slower for as long as the process lasts.
   */
  binary?: Binary | 'fastest';
}

/** Kernels over the AssemblyScript core's linear memory (float32). */
export interface WasmKernels extends Kernels<WasmTensor> {
  /** 'simd' or 'scalar': the kernels this instance runs. */
  readonly variant: Variant;
  /** The binary the kernels run in. */
  readonly binary: Binary;
  /** The chosen variant's raw kernels, suffix stripped. */
  readonly module: VariantKernels;
  /** Every raw export of the instance. */
  readonly exports: CommonExports & Record<string, unknown>;
  /** Bytes of tensors currently allocated. */
  readonly bytesInUse: number;
}

const F32 = 4;
/** Bytes of a float64. */
const F64 = 8;

/**
 * Floats writeFinite copies between two finiteness checks: 64 KiB, so the check reads what the
 * copy has just written from the core's L2 (512 KiB on an AMD Zen 3, 1 MiB on a Zen 5) instead of
 * reading a whole upload larger than the caches back from memory. Copying 9,000 MNIST rows (28 MB)
 * and checking in chunks of 8,192 to 262,144 floats took 1.19–1.33× a plain copy of the same bytes,
 * 16,384 and 32,768 the least, against 1.76× for one copy then one check (AMD EPYC Zen 3,
 * 2026-12-01 12:57, load 7–8, at 947679b, whose check was f32_max_abs: f32_all_finite replaced it
 * in 417d3f4; bench/api.bench.ts times the whole ingest beside such a copy). With f32_all_finite
 * and rows checked in whole rows, chunks of 4,096, 8,192, 16,384 and 32,768 floats were within the
 * rounds' noise of one another, for rows and for one block (net.dataset() of 9,000 MNIST rows, 21
 * interleaved rounds, 2026-12-02 07:50, load 11).
 */
export const CHECK_CHUNK = 16384;

/**
 * Parts (rows) of `partLength` floats writeFinite copies between two checks: as many whole ones as
 * `chunk` floats hold (the backend's check chunk: CHECK_CHUNK on one thread), at least one. A part
 * longer than the chunk (one block) is checked a chunk at a time as it is copied.
 */
export function rowsPerCheck(partLength: number, chunk = CHECK_CHUNK): number {
  return Math.max(1, Math.floor(chunk / partLength));
}

/** Loads the core (SIMD binary where supported) and returns its kernels; `variant: 'scalar'` runs the scalar twins. */
export async function createWasmKernels(options: WasmOptions = {}): Promise<WasmKernels> {
  const { variant, binary: asked } = checkWasmOptions(options);
  const binary = asked === 'fastest' ? await fastestSimdBinary() : asked;
  const exports = await instantiateCore(binary);
  return new WasmBackend(exports, variant, binary);
}

const WASM_OPTION_KEYS = keysOf<WasmOptions>({ variant: true, binary: true });
const BINARY_CHOICES = [...BINARIES, 'fastest'] as const;

/**
 * createWasmKernels' options checked, before anything is compiled or instantiated, with their
 * defaults: INVALID_OPTION for an unknown key or value, or SIMD kernels asked of the scalar binary;
 * WASM_UNAVAILABLE for SIMD kernels on an engine without SIMD (which loads the scalar binary only).
 */
function checkWasmOptions(options: WasmOptions): { variant: Variant; binary: Binary | 'fastest' } {
  const who = 'createWasmKernels';
  checkKnownKeys(options, WASM_OPTION_KEYS, who);
  const variant = options.variant === undefined ? undefined : checkChoice(options.variant, VARIANTS, `${who}: variant`);
  const binary = options.binary === undefined ? undefined : checkChoice(options.binary, BINARY_CHOICES, `${who}: binary`);
  if (!simdSupported()) {
    if (variant === 'simd') throw new GradscopeError('WASM_UNAVAILABLE', `${who}: variant 'simd': this engine does not support WebAssembly SIMD; use variant 'scalar'`);
    return { variant: 'scalar', binary: binary ?? 'scalar' }; // a SIMD binary given is refused as it loads (instantiateCore)
  }
  if (variant === 'simd' && binary === 'scalar') throw invalidOption(`${who}: variant 'simd' with binary 'scalar': the scalar binary has no SIMD kernels; use variant 'scalar', or binary 'simd'`);
  return { variant: variant ?? (binary === 'scalar' ? 'scalar' : 'simd'), binary: binary ?? 'simd' };
}

let simdBinaryCalibration: Promise<Calibration<Binary>> | undefined;

/** The faster SIMD binary on this CPU (calibrate.ts), measured once per process: what `binary: 'fastest'` loads. */
export async function fastestSimdBinary(): Promise<Binary> {
  return (await calibrateSimdBinaries()).chosen;
}

/** The length of the probe's panels (k): 16 KiB of A and 8 KiB of B, in L1 on every CPU the bench ran on. */
const PROBE_KC = 256;
/** Microkernel runs per probe call: ~0.26 MFLOP, ~8 µs optimised on the AMD EPYC Zen 3. */
const PROBE_REPS = 16;

/**
 * fastestSimdBinary's calibration, with how it was reached (for the bench): run once per process.
 * Its budget counts from this call, so loading the probes counts.
 */
export function calibrateSimdBinaries(): Promise<Calibration<Binary>> {
  simdBinaryCalibration ??= (async () => {
    const startedAt = performance.now();
    if (!simdSupported()) return { chosen: 'scalar', rounds: 0, by: 'engine' };
    if (!relaxedSimdSupported()) return { chosen: 'simd', rounds: 0, by: 'engine' };
    // The probes are one kernel each (assembly/probe.ts). Both cores start compiling in the
    // background now (a no-op for one compiled already), so that the winner is ready sooner: the
    // caller's createWasmKernels instantiates it from loader.ts's cache, and hears its failure.
    for (const binary of ['simd', 'simd-relaxed'] as const) compileCore(binary).catch(() => undefined);
    const other = microkernelProbe('simd-relaxed');
    const byDefault = await microkernelProbe('simd').catch(async (cause: unknown) => {
      await other.catch(() => undefined); // its own failure, if any, would go unheard
      throw cause;
    });
    return fastest({ default: byDefault, other }, { startedAt });
  })();
  return simdBinaryCalibration;
}

/**
 * A binary's microkernel (its probe binary, loader.ts instantiateProbe) on packed panels in L1: what
 * calibrate.ts times. Exported for the bench, which times it beside the product a pick is judged on.
 */
export async function microkernelProbe(binary: 'simd' | 'simd-relaxed'): Promise<Candidate<Binary>> {
  const probe = await instantiateProbe(binary);
  // The tile (4 × 8 floats), the A panel (per k, 4 values each broadcast to an f32x4) and the B
  // panel (per k, 8 floats): the layout of assembly/dense.simd.ts's microkernel4x8, 64-byte aligned.
  const c = (probe.heap_base() + 63) & ~63;
  const ap = c + 4 * 8 * F32;
  const bp = ap + PROBE_KC * 4 * 4 * F32;
  const end = bp + PROBE_KC * 8 * F32;
  const pages = Math.ceil((end - probe.memory.buffer.byteLength) / PAGE);
  if (pages > 0) probe.memory.grow(pages);
  // Values in [0.5, 1): sums far from overflow and denormals, as a product's data would be.
  new Float32Array(probe.memory.buffer, ap, (end - ap) / F32).fill(0.75);
  return { name: binary, run: () => probe.f32_microkernel_rounds(c, ap, bp, PROBE_KC, PROBE_REPS) };
}

/** Exported for the thread pool's backend (src/wasm/threads), which splits its dense products. */
export class WasmBackend implements WasmKernels {
  readonly name: string;
  readonly precision = 'f32' as const;
  readonly module: VariantKernels;
  private readonly activations: Record<Activation, ActivationKernels | undefined>;
  private readonly allocator: Allocator;
  private heapF32: Float32Array;
  private heapU32: Uint32Array;
  private scratch: WasmTensor;
  /** The row numbers of the last copyRows, as u32 for f32_copy_rows (grown like the scratch). */
  private rowNumbers: WasmTensor;
  /** What each allOrNothing under way has allocated and not freed (addresses), innermost last; empty outside one. */
  private readonly builds: Set<number>[] = [];

  constructor(
    readonly exports: CommonExports & Record<string, unknown>,
    readonly variant: Variant,
    readonly binary: Binary,
  ) {
    this.name = binary === 'scalar' ? 'wasm-scalar-binary' : `wasm-${variant}`;
    this.module = bindVariant(exports, variant);
    this.activations = bindActivations(exports, variant);
    this.allocator = new Allocator(exports.memory, exports.heap_base(), (start, bytes) => exports.f32_zero(start, bytes / F32));
    this.heapF32 = new Float32Array(exports.memory.buffer);
    this.heapU32 = new Uint32Array(exports.memory.buffer);
    this.scratch = this.allocOwn(0);
    this.rowNumbers = this.allocOwn(0);
    recordsOwners(this);
  }

  get bytesInUse(): number {
    return this.allocator.bytesInUse;
  }

  bytesAvailable(): number {
    return this.allocator.bytesAvailable;
  }

  /** The whole memory as floats, rebuilt when growth has detached the old buffer. */
  private heap(): Float32Array {
    if (this.heapF32.buffer !== this.exports.memory.buffer) this.heapF32 = new Float32Array(this.exports.memory.buffer);
    return this.heapF32;
  }

  /** Scratch of at least `bytes`; grows (rarely, and never after the first steps of a run). */
  private scratchOf(bytes: number): number {
    if (bytes > this.scratch.length * F32) this.scratch = this.regrow(this.scratch, Math.ceil(bytes / F32));
    return this.scratch.ptr;
  }

  alloc(length: number): WasmTensor {
    return this.counted(this.allocOwn(checkTensorLength(length, this.name, 'alloc')));
  }
  allocUninitialized(length: number): WasmTensor {
    checkTensorLength(length, this.name, 'allocUninitialized');
    return this.counted({ ptr: this.allocator.allocUninitialized(length * F32), length });
  }
  /** t, counted as the innermost allOrNothing's under way (if any), which frees it if the build throws, and recorded as this backend's (src/tensor-owners.ts). */
  private counted(t: WasmTensor): WasmTensor {
    if (this.builds.length > 0) this.builds[this.builds.length - 1].add(t.ptr);
    return madeBy(t, this);
  }
  /**
   * A buffer of the backend's own (scratch, row numbers): never counted as a build's, so a kernel
   * that grows one during an allOrNothing does not see it freed under it when the build fails.
   */
  protected allocOwn(length: number): WasmTensor {
    return { ptr: this.allocator.alloc(length * F32), length };
  }
  /**
   * A larger buffer of the backend's own in place of `old`, which is freed only once the new one is
   * had: a growth that fails (out of memory) leaves `old` in place, not a freed block that the next
   * tensor allocated would share.
   */
  protected regrow(old: WasmTensor, length: number): WasmTensor {
    const grown = this.allocOwn(length);
    this.free(old);
    return grown;
  }
  free(t: WasmTensor): void {
    if (isFreedTensor(t)) return; // its block may be another tensor's by now
    for (const made of this.builds) made.delete(t.ptr);
    this.allocator.release(t.ptr);
    refuseAfterFree(t, this.name);
  }
  allOrNothing<R>(build: () => R): R {
    const made = new Set<number>();
    this.builds.push(made);
    let result: R;
    try {
      result = build();
    } catch (error) {
      this.builds.pop();
      for (const ptr of made) this.allocator.release(ptr);
      throw error;
    }
    this.builds.pop();
    // Kept: now the enclosing build's, if there is one, to give back should it fail.
    const enclosing = this.builds[this.builds.length - 1] as Set<number> | undefined;
    if (enclosing) for (const ptr of made) enclosing.add(ptr);
    return result;
  }
  view(t: WasmTensor): Float32Array {
    return new Float32Array(this.exports.memory.buffer, t.ptr, t.length);
  }
  write(t: WasmTensor, src: ArrayLike<number>, offset = 0): void {
    checkRoom(t, lengthOf(src), offset); // set() copies src by its own length, whatever `length` it was given
    this.heap().set(src, (t.ptr >>> 2) + offset);
  }
  writeFinite(t: WasmTensor, parts: readonly unknown[], partLength: number): WriteFault | undefined {
    return this.writeFiniteBy(t, parts, partLength, CHECK_CHUNK);
  }

  /** writeFinite checking every `chunk` floats: CHECK_CHUNK here (threads check larger pieces on a worker). */
  protected writeFiniteBy(t: WasmTensor, parts: readonly unknown[], partLength: number, chunk: number): WriteFault | undefined {
    // One pass over the parts: each is checked to be a NumberArray of partLength values and copied,
    // and what was copied is checked finite about every `chunk` floats, while it is in cache:
    // rows (parts of at most `chunk` floats) every rowsPerCheck(partLength, chunk) of them, a longer
    // part (one block) chunk by chunk as it is copied (writeLongFinite). Each check is started by
    // checkLater (here run at once; on threads beside the next copy), so a fault found is that of
    // the first range checked that has one: the first in the tensor's order.
    checkRoom(t, parts.length * partLength, 0);
    const heap = this.heap(); // nothing below allocates, so the view stays valid
    const at = t.ptr >>> 2;
    const perCheck = rowsPerCheck(partLength, chunk);
    let started = 0; // parts [0, started) are written and their check started
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p];
      // Float32Array tried first: one instanceof, where isTypedNumberArray makes several tests.
      if ((!(part instanceof Float32Array) && !isTypedNumberArray(part)) || lengthOf(part) !== partLength) {
        return this.checksDone(t) ?? this.firstNonFinite(t, started * partLength, p * partLength) ?? { part: p };
      }
      if (partLength > chunk) {
        const fault = this.writeLongFinite(heap, t, part, p * partLength, chunk);
        if (fault) return fault;
        started = p + 1;
        continue;
      }
      heap.set(part, at + p * partLength);
      if (p + 1 - started < perCheck) continue;
      const fault = this.checkLater(t, started * partLength, (p + 1) * partLength);
      if (fault) return fault;
      started = p + 1;
    }
    return this.checksDone(t) ?? this.firstNonFinite(t, started * partLength, parts.length * partLength);
  }

  /** `part` (longer than `chunk`) written into t from element `from`, `chunk` floats at a time, each piece's check started after its copy: a fault found, or undefined. */
  private writeLongFinite(heap: Float32Array, t: WasmTensor, part: NumberArray, from: number, chunk: number): WriteFault | undefined {
    const at = (t.ptr >>> 2) + from;
    const length = lengthOf(part);
    for (let i = 0; i < length; i += chunk) {
      const end = Math.min(i + chunk, length);
      heap.set(part.subarray(i, end), at + i);
      const fault = this.checkLater(t, from + i, from + end);
      if (fault) return fault;
    }
    return undefined;
  }

  /**
   * writeFinite starts the check of t[from, to) here, every range before it started already: the
   * fault of the first started range found to have one, or undefined. One thread checks the range at
   * once; threads may check it beside the next copy (then it is told by a later call, or by checksDone).
   */
  protected checkLater(t: WasmTensor, from: number, to: number): WriteFault | undefined {
    return this.firstNonFinite(t, from, to);
  }

  /** Waits for the ranges checkLater started and not yet told: the fault of the first with one, or undefined (none on one thread). */
  protected checksDone(_t: WasmTensor): WriteFault | undefined {
    return undefined;
  }

  /** writeFinite's fault at the first value of t[from, to) that is not finite, or undefined: one vectorised pass (f32_all_finite), and a search only after a fault. */
  private firstNonFinite(t: WasmTensor, from: number, to: number): WriteFault | undefined {
    if (this.module.f32_all_finite(t.ptr + from * F32, to - from) === 1) return undefined;
    return this.faultIn(t, from, to);
  }

  /** The fault at the first value of t[from, to) that is not finite, a range found to hold one. */
  protected faultIn(t: WasmTensor, from: number, to: number): WriteFault {
    return { value: from + this.view(t).subarray(from, to).findIndex((v) => !Number.isFinite(v)) };
  }
  zero(t: WasmTensor, n = t.length): void {
    this.exports.f32_zero(t.ptr, n);
  }
  copyRows(dst: WasmTensor, src: WasmTensor, rows: ArrayLike<number>, start: number, count: number, rowLen: number): void {
    this.exports.f32_copy_rows(dst.ptr, src.ptr, this.rowNumbersOf(rows, start, count), count, rowLen);
  }

  /**
   * rows[start .. start+count) written as u32 into the core's memory, where f32_copy_rows (on any
   * thread) reads them; returns their address. Grows, like the scratch, only when `count` does.
   */
  protected rowNumbersOf(rows: ArrayLike<number>, start: number, count: number): number {
    if (count > this.rowNumbers.length) this.rowNumbers = this.regrow(this.rowNumbers, count);
    if (this.heapU32.buffer !== this.exports.memory.buffer) this.heapU32 = new Uint32Array(this.exports.memory.buffer);
    const heap = this.heapU32;
    const at = this.rowNumbers.ptr >>> 2;
    for (let i = 0; i < count; i++) heap[at + i] = rows[start + i];
    return this.rowNumbers.ptr;
  }

  denseForward(z: WasmTensor, a: WasmTensor, w: WasmTensor, b: WasmTensor, batch: number, nIn: number, nOut: number): void {
    const scratch = this.scratchOf(this.exports.dense_scratch_bytes(batch, nIn, nOut));
    this.module.f32_dense_fwd(z.ptr, a.ptr, w.ptr, b.ptr, scratch, batch, nIn, nOut);
  }
  denseForwardGather(z: WasmTensor, a: WasmTensor, x: WasmTensor, rows: ArrayLike<number>, start: number, w: WasmTensor, b: WasmTensor, batch: number, nIn: number, nOut: number): void {
    const scratch = this.scratchOf(this.exports.dense_scratch_bytes(batch, nIn, nOut));
    this.module.f32_dense_fwd_gather(z.ptr, a.ptr, x.ptr, this.rowNumbersOf(rows, start, batch), w.ptr, b.ptr, scratch, batch, nIn, nOut);
  }
  denseBackwardInput(da: WasmTensor, dz: WasmTensor, w: WasmTensor, batch: number, nIn: number, nOut: number): void {
    const scratch = this.scratchOf(this.exports.dense_scratch_bytes(batch, nIn, nOut));
    this.module.f32_dense_bwd_input(da.ptr, dz.ptr, w.ptr, scratch, batch, nIn, nOut);
  }
  denseBackwardWeights(dw: WasmTensor, dz: WasmTensor, a: WasmTensor, batch: number, nIn: number, nOut: number, accumulate = true): void {
    const scratch = this.scratchOf(this.exports.dense_scratch_bytes(batch, nIn, nOut));
    this.module.f32_dense_bwd_weights(dw.ptr, dz.ptr, a.ptr, scratch, batch, nIn, nOut, accumulate ? 1 : 0);
  }
  denseBackwardWeightsAndInput(dw: WasmTensor, da: WasmTensor, dz: WasmTensor, a: WasmTensor, w: WasmTensor, batch: number, nIn: number, nOut: number, accumulate = true): void {
    this.denseBackwardWeights(dw, dz, a, batch, nIn, nOut, accumulate);
    this.denseBackwardInput(da, dz, w, batch, nIn, nOut);
  }
  denseBackwardBias(db: WasmTensor, dz: WasmTensor, batch: number, nOut: number): void {
    this.module.f32_dense_bwd_bias(db.ptr, dz.ptr, batch, nOut);
  }
  matVec(y: WasmTensor, w: WasmTensor, x: WasmTensor, nIn: number, nOut: number): void {
    this.module.f32_matvec(y.ptr, w.ptr, x.ptr, nIn, nOut);
  }
  matVecTransposed(y: WasmTensor, w: WasmTensor, x: WasmTensor, nIn: number, nOut: number): void {
    this.module.f32_matvec_t(y.ptr, w.ptr, x.ptr, nIn, nOut);
  }

  activationForward(f: OutputActivation, a: WasmTensor, z: WasmTensor, batch: number, n: number): void {
    if (f === 'softmax') return this.module.f32_softmax_fwd(a.ptr, z.ptr, batch, n);
    const pass = this.activations[f];
    if (pass === undefined) throw unknownKernelActivation(f, this.name, 'activationForward');
    pass.fwd(a.ptr, z.ptr, batch * n);
  }
  activationBackward(f: Activation, dz: WasmTensor, da: WasmTensor, z: WasmTensor, a: WasmTensor, batch: number, n: number): void {
    const pass = this.activations[f];
    if (pass === undefined) throw unknownKernelActivation(f, this.name, 'activationBackward');
    pass.bwd(dz.ptr, da.ptr, z.ptr, a.ptr, batch * n);
  }

  batchNormForward(
    y: WasmTensor, mean: WasmTensor, invStd: WasmTensor, runningMean: WasmTensor, runningVar: WasmTensor,
    x: WasmTensor, gamma: WasmTensor, beta: WasmTensor, batch: number, n: number, momentum: number, eps: number,
  ): void {
    this.module.f32_batchnorm_fwd(y.ptr, mean.ptr, invStd.ptr, runningMean.ptr, runningVar.ptr, x.ptr, gamma.ptr, beta.ptr, batch, n, momentum, eps);
  }
  batchNormNormalize(y: WasmTensor, x: WasmTensor, mean: WasmTensor, invStd: WasmTensor, gamma: WasmTensor, beta: WasmTensor, batch: number, n: number): void {
    this.module.f32_batchnorm_normalize(y.ptr, x.ptr, mean.ptr, invStd.ptr, gamma.ptr, beta.ptr, batch, n);
  }
  batchNormInference(
    y: WasmTensor, x: WasmTensor, gamma: WasmTensor, beta: WasmTensor, runningMean: WasmTensor, runningVar: WasmTensor,
    batch: number, n: number, eps: number,
  ): void {
    this.module.f32_batchnorm_infer(y.ptr, x.ptr, gamma.ptr, beta.ptr, runningMean.ptr, runningVar.ptr, batch, n, eps);
  }
  batchNormBackward(
    dx: WasmTensor, dgamma: WasmTensor, dbeta: WasmTensor, dy: WasmTensor, x: WasmTensor, mean: WasmTensor, invStd: WasmTensor,
    gamma: WasmTensor, batch: number, n: number,
  ): void {
    this.module.f32_batchnorm_bwd(dx.ptr, dgamma.ptr, dbeta.ptr, dy.ptr, x.ptr, mean.ptr, invStd.ptr, gamma.ptr, batch, n);
  }
  batchNormAffineBackward(dgamma: WasmTensor, dbeta: WasmTensor, dy: WasmTensor, x: WasmTensor, mean: WasmTensor, invStd: WasmTensor, batch: number, n: number): void {
    this.module.f32_batchnorm_affine_bwd(dgamma.ptr, dbeta.ptr, dy.ptr, x.ptr, mean.ptr, invStd.ptr, batch, n);
  }
  layerNormForward(
    y: WasmTensor, mean: WasmTensor, invStd: WasmTensor, x: WasmTensor, gamma: WasmTensor, beta: WasmTensor, batch: number, n: number, eps: number,
  ): void {
    this.module.f32_layernorm_fwd(y.ptr, mean.ptr, invStd.ptr, x.ptr, gamma.ptr, beta.ptr, batch, n, eps);
  }
  layerNormNormalize(y: WasmTensor, x: WasmTensor, mean: WasmTensor, invStd: WasmTensor, gamma: WasmTensor, beta: WasmTensor, batch: number, n: number): void {
    this.module.f32_layernorm_normalize(y.ptr, x.ptr, mean.ptr, invStd.ptr, gamma.ptr, beta.ptr, batch, n);
  }
  layerNormBackward(
    dx: WasmTensor, dgamma: WasmTensor, dbeta: WasmTensor, dy: WasmTensor, x: WasmTensor, mean: WasmTensor, invStd: WasmTensor,
    gamma: WasmTensor, batch: number, n: number,
  ): void {
    this.module.f32_layernorm_bwd(dx.ptr, dgamma.ptr, dbeta.ptr, dy.ptr, x.ptr, mean.ptr, invStd.ptr, gamma.ptr, batch, n);
  }
  layerNormAffineBackward(dgamma: WasmTensor, dbeta: WasmTensor, dy: WasmTensor, x: WasmTensor, mean: WasmTensor, invStd: WasmTensor, batch: number, n: number): void {
    this.module.f32_layernorm_affine_bwd(dgamma.ptr, dbeta.ptr, dy.ptr, x.ptr, mean.ptr, invStd.ptr, batch, n);
  }
  layerNormInputBackward(dx: WasmTensor, dy: WasmTensor, x: WasmTensor, mean: WasmTensor, invStd: WasmTensor, gamma: WasmTensor, batch: number, n: number): void {
    this.module.f32_layernorm_input_bwd(dx.ptr, dy.ptr, x.ptr, mean.ptr, invStd.ptr, gamma.ptr, batch, n);
  }

  residualForward(y: WasmTensor, x: WasmTensor, branch: WasmTensor, n: number): void {
    this.module.f32_residual_fwd(y.ptr, x.ptr, branch.ptr, n);
  }
  residualBackward(dx: WasmTensor, dbranch: WasmTensor, dy: WasmTensor, n: number): void {
    this.module.f32_residual_bwd(dx.ptr, dbranch.ptr, dy.ptr, n);
  }
  rezeroForward(y: WasmTensor, x: WasmTensor, branch: WasmTensor, alpha: WasmTensor, n: number): void {
    this.module.f32_rezero_fwd(y.ptr, x.ptr, branch.ptr, alpha.ptr, n);
  }
  rezeroBackward(dx: WasmTensor, dbranch: WasmTensor, dalpha: WasmTensor, dy: WasmTensor, branch: WasmTensor, alpha: WasmTensor, n: number): void {
    this.module.f32_rezero_bwd(dx.ptr, dbranch.ptr, dalpha.ptr, dy.ptr, branch.ptr, alpha.ptr, n);
  }
  rezeroGateBackward(dbranch: WasmTensor, dalpha: WasmTensor, dy: WasmTensor, branch: WasmTensor, alpha: WasmTensor, n: number): void {
    this.module.f32_rezero_gate_bwd(dbranch.ptr, dalpha.ptr, dy.ptr, branch.ptr, alpha.ptr, n);
  }

  loss(loss: string, output: OutputActivation, z: WasmTensor, a: WasmTensor, y: WasmTensor, batch: number, n: number): number {
    const refusal = unknownLossPass(loss, output, this.name, 'loss');
    if (refusal) throw refusal;
    const k = this.module;
    if (loss === 'cross-entropy') return k.f32_xent_softmax_loss(z.ptr, y.ptr, batch, n);
    if (loss === 'binary-cross-entropy') return k.f32_bce_sigmoid_loss(z.ptr, y.ptr, batch, n);
    return k.f32_mse_loss(a.ptr, y.ptr, batch, n);
  }
  lossBackward(
    loss: string,
    output: OutputActivation,
    dz: WasmTensor,
    z: WasmTensor,
    a: WasmTensor,
    y: WasmTensor,
    batch: number,
    n: number,
  ): number {
    const refusal = unknownLossPass(loss, output, this.name, 'lossBackward');
    if (refusal) throw refusal;
    const k = this.module;
    if (loss === 'cross-entropy') return k.f32_xent_softmax_bwd(dz.ptr, z.ptr, a.ptr, y.ptr, batch, n);
    if (loss === 'binary-cross-entropy') return k.f32_bce_sigmoid_bwd(dz.ptr, z.ptr, a.ptr, y.ptr, batch, n);
    // Quadratic cost: ∂C/∂a into scratch, then through the output activation's derivative.
    const da = this.scratchOf(batch * n * F32);
    this.exports.f32_zero(da, batch * n);
    const value = k.f32_mse_bwd(da, a.ptr, y.ptr, batch, n);
    this.activations[output as Activation]!.bwd(dz.ptr, da, z.ptr, a.ptr, batch * n);
    return value;
  }

  sumSquares(x: WasmTensor, n: number): number {
    return this.module.f32_sum_squares(x.ptr, n);
  }
  sumAbs(x: WasmTensor, n: number): number {
    return this.module.f32_sum_abs(x.ptr, n);
  }
  maxAbs(x: WasmTensor, n: number): number {
    return this.module.f32_max_abs(x.ptr, n);
  }

  rowSumSquares(out: WasmTensor, x: WasmTensor, batch: number, n: number): void {
    this.module.f32_row_sum_squares(out.ptr, x.ptr, batch, n);
  }

  sgdUpdate(w: WasmTensor, v: WasmTensor, g: WasmTensor, n: number, learningRate: number, momentum: number, weightDecay: number): void {
    this.module.f32_sgd_update(w.ptr, v.ptr, g.ptr, n, learningRate, momentum, weightDecay);
  }
  nesterovUpdate(w: WasmTensor, v: WasmTensor, g: WasmTensor, n: number, learningRate: number, momentum: number, weightDecay: number): void {
    this.module.f32_nesterov_update(w.ptr, v.ptr, g.ptr, n, learningRate, momentum, weightDecay);
  }
  adagradUpdate(w: WasmTensor, s: WasmTensor, g: WasmTensor, n: number, learningRate: number, epsilon: number, weightDecay: number): void {
    this.module.f32_adagrad_update(w.ptr, s.ptr, g.ptr, n, learningRate, epsilon, weightDecay);
  }
  rmspropUpdate(
    w: WasmTensor, s: WasmTensor, g: WasmTensor, n: number, learningRate: number, alpha: number, epsilon: number, weightDecay: number,
  ): void {
    this.module.f32_rmsprop_update(w.ptr, s.ptr, g.ptr, n, learningRate, alpha, epsilon, weightDecay);
  }
  adamUpdate(
    w: WasmTensor, m: WasmTensor, v: WasmTensor, g: WasmTensor, n: number,
    learningRate: number, beta1: number, beta2: number, epsilon: number, weightDecay: number, decoupled: boolean, step: number,
  ): void {
    this.module.f32_adam_update(w.ptr, m.ptr, v.ptr, g.ptr, n, learningRate, beta1, beta2, epsilon, weightDecay, decoupled ? 1 : 0, step);
  }
  axpy(y: WasmTensor, x: WasmTensor, n: number, alpha: number): void {
    this.module.f32_axpy(y.ptr, x.ptr, n, alpha);
  }
  scale(x: WasmTensor, n: number, alpha: number): void {
    this.module.f32_scale(x.ptr, n, alpha);
  }
  dot(x: WasmTensor, y: WasmTensor, n: number): number {
    return this.module.f32_dot(x.ptr, y.ptr, n);
  }

  mul(z: WasmTensor, x: WasmTensor, y: WasmTensor, n: number): void {
    this.module.f32_mul(z.ptr, x.ptr, y.ptr, n);
  }
  softmaxJvp(ra: WasmTensor, a: WasmTensor, rz: WasmTensor, batch: number, n: number): void {
    this.module.f32_softmax_jvp(ra.ptr, a.ptr, rz.ptr, batch, n);
  }
  activationCurvature(
    f: Activation, dz: WasmTensor, g: WasmTensor, rz: WasmTensor, z: WasmTensor, a: WasmTensor, batch: number, n: number,
  ): void {
    this.module.f32_activation_curvature(dz.ptr, g.ptr, rz.ptr, z.ptr, a.ptr, batch * n, ACTIVATIONS.indexOf(f));
  }
  martensPreconditioner(d: WasmTensor, s: WasmTensor, n: number, scale: number, lambda: number): void {
    this.module.f32_martens_preconditioner(d.ptr, s.ptr, n, scale, lambda);
  }
  copy2d(
    dst: WasmTensor, dstOffset: number, dstStride: number,
    src: WasmTensor, srcOffset: number, srcStride: number, rows: number, cols: number,
  ): void {
    this.module.f32_copy2d(dst.ptr + dstOffset * F32, dstStride, src.ptr + srcOffset * F32, srcStride, rows, cols);
  }
  cholesky(l: WasmTensor, a: WasmTensor, n: number): boolean {
    return this.module.f32_cholesky(l.ptr, a.ptr, n) === 0;
  }
  trilInverse(m: WasmTensor, l: WasmTensor, n: number): void {
    this.module.f32_tril_inverse(m.ptr, l.ptr, n);
  }
  shiftedCholeskyPasses(g: WasmTensor, t: number, n: number): boolean {
    // The float64 factor lives in the scratch, 8 bytes an entry.
    return this.module.f32_shifted_cholesky(this.scratchOf(n * n * F64), g.ptr, t, n) === 1;
  }
  sampleTargets(loss: Loss, y: WasmTensor, a: WasmTensor, u: WasmTensor, batch: number, n: number): void {
    this.module.f32_sample_targets(y.ptr, a.ptr, u.ptr, LOSSES.indexOf(loss), batch, n);
  }

  /** activationStats' f64 results in linear memory, allocated on first use, and a view of them. */
  private statsOut: WasmTensor | undefined;
  private statsView: Float64Array | undefined;

  activationStats(out: Float64Array, alive: WasmTensor, f: Activation, z: WasmTensor, a: WasmTensor, batch: number, n: number, threshold: number): void {
    this.module.f32_activation_stats(this.statsResults(), alive.ptr, z.ptr, a.ptr, batch, n, ACTIVATIONS.indexOf(f), threshold);
    out.set(this.statsView!);
  }
  /** Where the statistics kernels write their f64 results; makes statsView a live view of them. */
  private statsResults(): number {
    this.statsOut ??= this.allocOwn(2 * ACTIVATION_STAT_COUNT);
    if (this.statsView?.buffer !== this.exports.memory.buffer) {
      this.statsView = new Float64Array(this.exports.memory.buffer, this.statsOut.ptr, ACTIVATION_STAT_COUNT);
    }
    return this.statsOut.ptr;
  }
  histogram(counts: WasmTensor, x: WasmTensor, n: number, lo: number, hi: number, bins: number): void {
    // f32(hi) > f32(lo): otherwise the bin width is 0 and the index NaN.
    if (!(Math.fround(hi) > Math.fround(lo)) || !Number.isInteger(bins) || bins < 1 || bins > counts.length) {
      throw new GradscopeError('INVALID_OPTION', `histogram: needs hi > lo and 1 ≤ bins ≤ ${counts.length}, got lo ${lo}, hi ${hi}, bins ${bins}`);
    }
    this.module.f32_histogram(counts.ptr, x.ptr, n, lo, hi, bins);
  }
  sumSquaredDifference(x: WasmTensor, y: WasmTensor, n: number): number {
    return this.module.f32_sum_squared_diff(x.ptr, y.ptr, n);
  }
  weightStats(out: Float64Array, snapshot: WasmTensor, w: WasmTensor, g: WasmTensor, n: number): void {
    this.module.f32_weight_stats(this.statsResults(), snapshot.ptr, w.ptr, g.ptr, n);
    const results = this.statsView!;
    for (let i = 0; i < out.length; i++) out[i] = results[i]; // no subarray made per layer and step
  }
  sgdStepStats(out: Float64Array, w: WasmTensor, g: WasmTensor, n: number, learningRate: number): void {
    this.module.f32_sgd_step_stats(this.statsResults(), w.ptr, g.ptr, n, learningRate);
    const results = this.statsView!;
    for (let i = 0; i < out.length; i++) out[i] = results[i];
  }
  sgdUpdateStats(out: Float64Array, w: WasmTensor, v: WasmTensor, g: WasmTensor, n: number, learningRate: number, momentum: number, weightDecay: number): void {
    this.module.f32_sgd_update_stats(this.statsResults(), w.ptr, v.ptr, g.ptr, n, learningRate, momentum, weightDecay);
    const results = this.statsView!;
    for (let i = 0; i < out.length; i++) out[i] = results[i];
  }
}

/** SHAPE_MISMATCH unless `count` values from `offset` fit in t: a write past it would land in another tensor. */
function checkRoom(t: WasmTensor, count: number, offset: number): void {
  if (offset < 0 || offset + count > t.length) {
    throw new GradscopeError('SHAPE_MISMATCH', `write of ${grouped(count)} values at offset ${offset} overruns a tensor of ${grouped(t.length)}`);
  }
}

function bindVariant(exports: Record<string, unknown>, variant: Variant): VariantKernels {
  const suffix = `__${variant}`;
  const kernels: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(exports)) {
    if (name.endsWith(suffix) && typeof value === 'function') kernels[name.slice(0, -suffix.length)] = value;
  }
  return kernels as unknown as VariantKernels;
}

function bindActivations(exports: Record<string, unknown>, variant: Variant): Record<Activation, ActivationKernels | undefined> {
  // No prototype: a name that is not an activation ('constructor') finds nothing.
  const bound = Object.create(null) as Record<Activation, ActivationKernels | undefined>;
  for (const [activation, name] of Object.entries(ACTIVATION_EXPORT_NAMES) as [Activation, string][]) {
    const fwd = exports[exportName(`f32_${name}_fwd`, variant)];
    const bwd = exports[exportName(`f32_${name}_bwd`, variant)];
    if (typeof fwd !== 'function' || typeof bwd !== 'function') {
      throw new GradscopeError('WASM_UNAVAILABLE', `the core has no ${variant} kernels for ${activation}: rebuild with \`npm run build\``);
    }
    bound[activation] = { fwd, bwd } as ActivationKernels;
  }
  return bound;
}
