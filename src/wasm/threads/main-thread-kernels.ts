/**
 * The one-thread wasm kernels as the threaded backend runs them on the main thread: each first
 * makes its tensors safe to touch (waits for the workers where a call queued on them reads or
 * writes one of them, adds in a split ∂W it touches), then runs WasmBackend's kernel. Every kernel
 * that takes a tensor is overridden here, except the ones ThreadedWasmBackend splits (it overrides
 * those itself); test/kernels/threads.test.ts checks that none is missed. Explicit overrides
 * rather than wrappers made in a loop: one wrapper shared by every kernel calls ~50 targets from
 * one site, which V8 does not inline, so every number a kernel returned was boxed (304 bytes a
 * training step in test/reliability/steady-memory.run.ts on two threads, against 16).
 */
import type { Activation, Loss, NumberArray, OutputActivation } from '../../kernels.js';
import { WasmBackend, type WasmTensor } from '../wasm-kernels.js';

export abstract class MainThreadKernels extends WasmBackend {
  /**
   * Whether calls queued on the workers, or split ∂Ws not yet added in, may touch what the main
   * thread is about to. Each kernel asks it in its own code and calls beforeMainThread only when
   * it is true, so a kernel that never finds anything owed never makes that call, and V8 does not
   * inline the slow path into it (see ThreadedWasmBackend.settle for why that matters).
   */
  protected abstract workersOwe(): boolean;
  /**
   * Before the main thread reads or writes `t` (taken as written: a kernel's reads and writes are
   * not declared): wait for the workers, or add in a split ∂W, as needed.
   */
  protected abstract beforeMainThread(t: WasmTensor): void;
  /** Nothing queued on the workers and every split ∂W added in: the memory is the main thread's alone (alloc and free need it). */
  protected abstract settle(): void;

  override alloc(length: number): WasmTensor {
    this.settle();
    return super.alloc(length);
  }
  override allocUninitialized(length: number): WasmTensor {
    this.settle();
    return super.allocUninitialized(length);
  }
  protected override allocOwn(length: number): WasmTensor {
    this.settle();
    return super.allocOwn(length);
  }
  protected override regrow(old: WasmTensor, length: number): WasmTensor {
    this.settle();
    return super.regrow(old, length);
  }
  override free(t: WasmTensor): void {
    this.settle();
    return super.free(t);
  }
  override writeFinite(t: WasmTensor, parts: readonly NumberArray[]): number {
    if (this.workersOwe()) this.beforeMainThread(t);
    return super.writeFinite(t, parts);
  }
  override view(t: WasmTensor): Float32Array {
    if (this.workersOwe()) this.beforeMainThread(t);
    return super.view(t);
  }
  override write(t: WasmTensor, src: ArrayLike<number>, offset = 0): void {
    if (this.workersOwe()) this.beforeMainThread(t);
    return super.write(t, src, offset);
  }
  override zero(t: WasmTensor, n = t.length): void {
    if (this.workersOwe()) this.beforeMainThread(t);
    return super.zero(t, n);
  }
  override batchNormForward(y: WasmTensor, mean: WasmTensor, invStd: WasmTensor, runningMean: WasmTensor, runningVar: WasmTensor, x: WasmTensor, gamma: WasmTensor, beta: WasmTensor, batch: number, n: number, momentum: number, eps: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(y);
      this.beforeMainThread(mean);
      this.beforeMainThread(invStd);
      this.beforeMainThread(runningMean);
      this.beforeMainThread(runningVar);
      this.beforeMainThread(x);
      this.beforeMainThread(gamma);
      this.beforeMainThread(beta);
    }
    return super.batchNormForward(y, mean, invStd, runningMean, runningVar, x, gamma, beta, batch, n, momentum, eps);
  }
  override batchNormNormalize(y: WasmTensor, x: WasmTensor, mean: WasmTensor, invStd: WasmTensor, gamma: WasmTensor, beta: WasmTensor, batch: number, n: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(y);
      this.beforeMainThread(x);
      this.beforeMainThread(mean);
      this.beforeMainThread(invStd);
      this.beforeMainThread(gamma);
      this.beforeMainThread(beta);
    }
    return super.batchNormNormalize(y, x, mean, invStd, gamma, beta, batch, n);
  }
  override batchNormInference(y: WasmTensor, x: WasmTensor, gamma: WasmTensor, beta: WasmTensor, runningMean: WasmTensor, runningVar: WasmTensor, batch: number, n: number, eps: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(y);
      this.beforeMainThread(x);
      this.beforeMainThread(gamma);
      this.beforeMainThread(beta);
      this.beforeMainThread(runningMean);
      this.beforeMainThread(runningVar);
    }
    return super.batchNormInference(y, x, gamma, beta, runningMean, runningVar, batch, n, eps);
  }
  override batchNormBackward(dx: WasmTensor, dgamma: WasmTensor, dbeta: WasmTensor, dy: WasmTensor, x: WasmTensor, mean: WasmTensor, invStd: WasmTensor, gamma: WasmTensor, batch: number, n: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(dx);
      this.beforeMainThread(dgamma);
      this.beforeMainThread(dbeta);
      this.beforeMainThread(dy);
      this.beforeMainThread(x);
      this.beforeMainThread(mean);
      this.beforeMainThread(invStd);
      this.beforeMainThread(gamma);
    }
    return super.batchNormBackward(dx, dgamma, dbeta, dy, x, mean, invStd, gamma, batch, n);
  }
  override batchNormAffineBackward(dgamma: WasmTensor, dbeta: WasmTensor, dy: WasmTensor, x: WasmTensor, mean: WasmTensor, invStd: WasmTensor, batch: number, n: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(dgamma);
      this.beforeMainThread(dbeta);
      this.beforeMainThread(dy);
      this.beforeMainThread(x);
      this.beforeMainThread(mean);
      this.beforeMainThread(invStd);
    }
    return super.batchNormAffineBackward(dgamma, dbeta, dy, x, mean, invStd, batch, n);
  }
  override layerNormForward(y: WasmTensor, mean: WasmTensor, invStd: WasmTensor, x: WasmTensor, gamma: WasmTensor, beta: WasmTensor, batch: number, n: number, eps: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(y);
      this.beforeMainThread(mean);
      this.beforeMainThread(invStd);
      this.beforeMainThread(x);
      this.beforeMainThread(gamma);
      this.beforeMainThread(beta);
    }
    return super.layerNormForward(y, mean, invStd, x, gamma, beta, batch, n, eps);
  }
  override layerNormNormalize(y: WasmTensor, x: WasmTensor, mean: WasmTensor, invStd: WasmTensor, gamma: WasmTensor, beta: WasmTensor, batch: number, n: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(y);
      this.beforeMainThread(x);
      this.beforeMainThread(mean);
      this.beforeMainThread(invStd);
      this.beforeMainThread(gamma);
      this.beforeMainThread(beta);
    }
    return super.layerNormNormalize(y, x, mean, invStd, gamma, beta, batch, n);
  }
  override layerNormBackward(dx: WasmTensor, dgamma: WasmTensor, dbeta: WasmTensor, dy: WasmTensor, x: WasmTensor, mean: WasmTensor, invStd: WasmTensor, gamma: WasmTensor, batch: number, n: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(dx);
      this.beforeMainThread(dgamma);
      this.beforeMainThread(dbeta);
      this.beforeMainThread(dy);
      this.beforeMainThread(x);
      this.beforeMainThread(mean);
      this.beforeMainThread(invStd);
      this.beforeMainThread(gamma);
    }
    return super.layerNormBackward(dx, dgamma, dbeta, dy, x, mean, invStd, gamma, batch, n);
  }
  override layerNormAffineBackward(dgamma: WasmTensor, dbeta: WasmTensor, dy: WasmTensor, x: WasmTensor, mean: WasmTensor, invStd: WasmTensor, batch: number, n: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(dgamma);
      this.beforeMainThread(dbeta);
      this.beforeMainThread(dy);
      this.beforeMainThread(x);
      this.beforeMainThread(mean);
      this.beforeMainThread(invStd);
    }
    return super.layerNormAffineBackward(dgamma, dbeta, dy, x, mean, invStd, batch, n);
  }
  override layerNormInputBackward(dx: WasmTensor, dy: WasmTensor, x: WasmTensor, mean: WasmTensor, invStd: WasmTensor, gamma: WasmTensor, batch: number, n: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(dx);
      this.beforeMainThread(dy);
      this.beforeMainThread(x);
      this.beforeMainThread(mean);
      this.beforeMainThread(invStd);
      this.beforeMainThread(gamma);
    }
    return super.layerNormInputBackward(dx, dy, x, mean, invStd, gamma, batch, n);
  }
  override residualForward(y: WasmTensor, x: WasmTensor, branch: WasmTensor, n: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(y);
      this.beforeMainThread(x);
      this.beforeMainThread(branch);
    }
    return super.residualForward(y, x, branch, n);
  }
  override residualBackward(dx: WasmTensor, dbranch: WasmTensor, dy: WasmTensor, n: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(dx);
      this.beforeMainThread(dbranch);
      this.beforeMainThread(dy);
    }
    return super.residualBackward(dx, dbranch, dy, n);
  }
  override rezeroForward(y: WasmTensor, x: WasmTensor, branch: WasmTensor, alpha: WasmTensor, n: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(y);
      this.beforeMainThread(x);
      this.beforeMainThread(branch);
      this.beforeMainThread(alpha);
    }
    return super.rezeroForward(y, x, branch, alpha, n);
  }
  override rezeroBackward(dx: WasmTensor, dbranch: WasmTensor, dalpha: WasmTensor, dy: WasmTensor, branch: WasmTensor, alpha: WasmTensor, n: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(dx);
      this.beforeMainThread(dbranch);
      this.beforeMainThread(dalpha);
      this.beforeMainThread(dy);
      this.beforeMainThread(branch);
      this.beforeMainThread(alpha);
    }
    return super.rezeroBackward(dx, dbranch, dalpha, dy, branch, alpha, n);
  }
  override rezeroGateBackward(dbranch: WasmTensor, dalpha: WasmTensor, dy: WasmTensor, branch: WasmTensor, alpha: WasmTensor, n: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(dbranch);
      this.beforeMainThread(dalpha);
      this.beforeMainThread(dy);
      this.beforeMainThread(branch);
      this.beforeMainThread(alpha);
    }
    return super.rezeroGateBackward(dbranch, dalpha, dy, branch, alpha, n);
  }
  override loss(loss: string, _output: OutputActivation, z: WasmTensor, a: WasmTensor, y: WasmTensor, batch: number, n: number): number {
    if (this.workersOwe()) {
      this.beforeMainThread(z);
      this.beforeMainThread(a);
      this.beforeMainThread(y);
    }
    return super.loss(loss, _output, z, a, y, batch, n);
  }
  override lossBackward(loss: string, output: OutputActivation, dz: WasmTensor, z: WasmTensor, a: WasmTensor, y: WasmTensor, batch: number, n: number): number {
    if (this.workersOwe()) {
      this.beforeMainThread(dz);
      this.beforeMainThread(z);
      this.beforeMainThread(a);
      this.beforeMainThread(y);
    }
    return super.lossBackward(loss, output, dz, z, a, y, batch, n);
  }
  override sumSquares(x: WasmTensor, n: number): number {
    if (this.workersOwe()) this.beforeMainThread(x);
    return super.sumSquares(x, n);
  }
  override sumAbs(x: WasmTensor, n: number): number {
    if (this.workersOwe()) this.beforeMainThread(x);
    return super.sumAbs(x, n);
  }
  override maxAbs(x: WasmTensor, n: number): number {
    if (this.workersOwe()) this.beforeMainThread(x);
    return super.maxAbs(x, n);
  }
  override rowSumSquares(out: WasmTensor, x: WasmTensor, batch: number, n: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(out);
      this.beforeMainThread(x);
    }
    return super.rowSumSquares(out, x, batch, n);
  }
  override adagradUpdate(w: WasmTensor, s: WasmTensor, g: WasmTensor, n: number, learningRate: number, epsilon: number, weightDecay: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(w);
      this.beforeMainThread(s);
      this.beforeMainThread(g);
    }
    return super.adagradUpdate(w, s, g, n, learningRate, epsilon, weightDecay);
  }
  override rmspropUpdate(w: WasmTensor, s: WasmTensor, g: WasmTensor, n: number, learningRate: number, alpha: number, epsilon: number, weightDecay: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(w);
      this.beforeMainThread(s);
      this.beforeMainThread(g);
    }
    return super.rmspropUpdate(w, s, g, n, learningRate, alpha, epsilon, weightDecay);
  }
  override adamUpdate(w: WasmTensor, m: WasmTensor, v: WasmTensor, g: WasmTensor, n: number, learningRate: number, beta1: number, beta2: number, epsilon: number, weightDecay: number, decoupled: boolean, step: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(w);
      this.beforeMainThread(m);
      this.beforeMainThread(v);
      this.beforeMainThread(g);
    }
    return super.adamUpdate(w, m, v, g, n, learningRate, beta1, beta2, epsilon, weightDecay, decoupled, step);
  }
  override axpy(y: WasmTensor, x: WasmTensor, n: number, alpha: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(y);
      this.beforeMainThread(x);
    }
    return super.axpy(y, x, n, alpha);
  }
  override scale(x: WasmTensor, n: number, alpha: number): void {
    if (this.workersOwe()) this.beforeMainThread(x);
    return super.scale(x, n, alpha);
  }
  override dot(x: WasmTensor, y: WasmTensor, n: number): number {
    if (this.workersOwe()) {
      this.beforeMainThread(x);
      this.beforeMainThread(y);
    }
    return super.dot(x, y, n);
  }
  override mul(z: WasmTensor, x: WasmTensor, y: WasmTensor, n: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(z);
      this.beforeMainThread(x);
      this.beforeMainThread(y);
    }
    return super.mul(z, x, y, n);
  }
  override softmaxJvp(ra: WasmTensor, a: WasmTensor, rz: WasmTensor, batch: number, n: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(ra);
      this.beforeMainThread(a);
      this.beforeMainThread(rz);
    }
    return super.softmaxJvp(ra, a, rz, batch, n);
  }
  override activationCurvature(f: Activation, dz: WasmTensor, g: WasmTensor, rz: WasmTensor, z: WasmTensor, a: WasmTensor, batch: number, n: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(dz);
      this.beforeMainThread(g);
      this.beforeMainThread(rz);
      this.beforeMainThread(z);
      this.beforeMainThread(a);
    }
    return super.activationCurvature(f, dz, g, rz, z, a, batch, n);
  }
  override martensPreconditioner(d: WasmTensor, s: WasmTensor, n: number, scale: number, lambda: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(d);
      this.beforeMainThread(s);
    }
    return super.martensPreconditioner(d, s, n, scale, lambda);
  }
  override copy2d(
    dst: WasmTensor, dstOffset: number, dstStride: number,
    src: WasmTensor, srcOffset: number, srcStride: number, rows: number, cols: number,
  ): void {
    if (this.workersOwe()) {
      this.beforeMainThread(dst);
      this.beforeMainThread(src);
    }
    return super.copy2d(dst, dstOffset, dstStride, src, srcOffset, srcStride, rows, cols);
  }
  override cholesky(l: WasmTensor, a: WasmTensor, n: number): boolean {
    if (this.workersOwe()) {
      this.beforeMainThread(l);
      this.beforeMainThread(a);
    }
    return super.cholesky(l, a, n);
  }
  override trilInverse(m: WasmTensor, l: WasmTensor, n: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(m);
      this.beforeMainThread(l);
    }
    return super.trilInverse(m, l, n);
  }
  override sampleTargets(loss: Loss, y: WasmTensor, a: WasmTensor, u: WasmTensor, batch: number, n: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(y);
      this.beforeMainThread(a);
      this.beforeMainThread(u);
    }
    return super.sampleTargets(loss, y, a, u, batch, n);
  }
  override activationStats(out: Float64Array, alive: WasmTensor, f: Activation, z: WasmTensor, a: WasmTensor, batch: number, n: number, threshold: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(alive);
      this.beforeMainThread(z);
      this.beforeMainThread(a);
    }
    return super.activationStats(out, alive, f, z, a, batch, n, threshold);
  }
  override histogram(counts: WasmTensor, x: WasmTensor, n: number, lo: number, hi: number, bins: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(counts);
      this.beforeMainThread(x);
    }
    return super.histogram(counts, x, n, lo, hi, bins);
  }
  override sumSquaredDifference(x: WasmTensor, y: WasmTensor, n: number): number {
    if (this.workersOwe()) {
      this.beforeMainThread(x);
      this.beforeMainThread(y);
    }
    return super.sumSquaredDifference(x, y, n);
  }
  override weightStats(out: Float64Array, snapshot: WasmTensor, w: WasmTensor, g: WasmTensor, n: number): void {
    if (this.workersOwe()) {
      this.beforeMainThread(snapshot);
      this.beforeMainThread(w);
      this.beforeMainThread(g);
    }
    return super.weightStats(out, snapshot, w, g, n);
  }
}
