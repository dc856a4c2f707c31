/**
 * When a result kept across curvature products at fixed weights goes stale. A layer stack
 * (Sequential), a normalisation layer and each engine (Trainable.passes, which counts loaded batches
 * too) count their passes: every forward, backward and growth of the buffers rewrites what they hold
 * from the last forward and backward (activations, statistics, each ∂L/∂output) or reallocates it. A result computed from those and kept for reuse (StackHessian's
 * backward of the loss, NormCurvature's terms that do not depend on the direction v) records the
 * count and the tensors and rows it read; it is valid while all of them are the same. The weights
 * move only between a forward and the next (a product is taken at the last forward's weights), so
 * a changed weight always comes with a new count.
 */
import type { Tensor } from '../kernels.js';

/** A pass counter: `next()` at the start of every pass that rewrites what the owner holds. */
export class PassCount {
  private count = 0;

  /** Passes so far. */
  get value(): number {
    return this.count;
  }

  next(): void {
    this.count++;
  }
}

/** What a kept result was computed at: a pass count, the two tensors it read and its rows (none kept at first). */
export class KeptAt<T extends Tensor> {
  private passes = -1;
  private a: T | null = null;
  private b: T | null = null;
  private rows = 0;

  /** Whether the result kept was computed at this pass count, from these tensors, over these rows. */
  matches(passes: number, a: T, b: T, rows: number): boolean {
    return this.passes === passes && this.a === a && this.b === b && this.rows === rows;
  }

  /** Records what the result now kept was computed at. */
  keep(passes: number, a: T, b: T, rows: number): void {
    this.passes = passes;
    this.a = a;
    this.b = b;
    this.rows = rows;
  }
}
