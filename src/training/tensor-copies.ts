/**
 * Copies of a fixed list of a network's tensors in the backend's memory, allocated once, to put
 * back: EpochUndo's parameters and state tensors, and StepGuard's state tensors as they were before
 * a batch's training forward moved them. Saving and putting back allocate nothing (the guard saves
 * at every step).
 */
import type { Kernels, Tensor } from '../kernels.js';

const WHOLE_TENSOR = new Uint32Array(1);

export class TensorCopies {
  private readonly shadows: Tensor[] = [];
  /** Row 0: each tensor is copied as one row of its whole length (read only, shared: the guard makes a TensorCopies every train() call). */
  private readonly wholeTensor = WHOLE_TENSOR;

  /** `tensors` are held, not copied: the network's own, which it keeps for its life. */
  constructor(
    /** Held apart from the network's, so the copies are freed even after the network was disposed. */
    private readonly k: Kernels,
    private readonly tensors: readonly Tensor[],
  ) {
    try {
      for (let i = 0; i < tensors.length; i++) this.shadows.push(k.alloc(tensors[i].length));
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  /** Copies the tensors as they are now. */
  save(): void {
    const { k, tensors, shadows, wholeTensor } = this;
    for (let i = 0; i < tensors.length; i++) k.copyRows(shadows[i], tensors[i], wholeTensor, 0, 1, tensors[i].length);
  }

  /** Takes `other`'s copies, saved from the same tensors, as its own. */
  saveFrom(other: TensorCopies): void {
    const { k, shadows, wholeTensor } = this;
    for (let i = 0; i < shadows.length; i++) k.copyRows(shadows[i], other.shadows[i], wholeTensor, 0, 1, shadows[i].length);
  }

  /** Writes the copies back into the tensors. */
  restore(): void {
    const { k, tensors, shadows, wholeTensor } = this;
    for (let i = 0; i < tensors.length; i++) k.copyRows(tensors[i], shadows[i], wholeTensor, 0, 1, tensors[i].length);
  }

  dispose(): void {
    const { k, shadows } = this;
    for (let i = 0; i < shadows.length; i++) k.free(shadows[i]);
    shadows.length = 0;
  }
}
