/**
 * A copy of a network's trainable state (parameters, state tensors, optimiser state, step count) in
 * the backend's memory, to put back: 'halve''s epoch start, StepGuard's last state judged good.
 * Apart from the fault judgements (numeric-faults.ts), which never copy anything.
 */
import type { Kernels, Tensor } from '../kernels.js';
import type { Optimizer, OptimizerState } from '../optim/optimizer.js';
import type { Trainable } from '../model.js';

/**
 * One saved state to go back to: the parameters and state tensors (batch norm's running statistics
 * and counters; copies in the backend's memory, allocated once), the optimiser's state and the
 * step count. Divergence builds up over many steps before anything overflows, so taking back only
 * the last step would land on weights that are already ruined: 'halve' keeps the start of the last
 * epoch judged good (JudgedEpochStart), StepGuard the last state judged good that it copied. Saved
 * once per epoch, or before a step not proved within range: a proved step copies nothing.
 */
export class EpochUndo {
  private readonly shadows: Tensor[];
  private readonly wholeTensor = new Uint32Array(1);
  private optimizerState: OptimizerState | undefined;
  step = 0;
  /** Held apart from the network's, so the copies are freed even after the network was disposed. */
  private readonly k: Kernels;

  constructor(private readonly net: Trainable) {
    const k = (this.k = net.kernels);
    this.shadows = [];
    try {
      for (const t of this.tensors()) this.shadows.push(k.alloc(t.length));
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  save(optimizer: Optimizer): void {
    const k = this.k;
    this.tensors().forEach((t, i) => k.copyRows(this.shadows[i], t, this.wholeTensor, 0, 1, t.length));
    this.optimizerState = optimizer.state();
    this.step = this.net.step;
  }

  /** Puts the parameters, the state tensors, the optimiser and the step count back as they were at the last save. */
  restore(optimizer: Optimizer): void {
    const k = this.k;
    this.tensors().forEach((t, i) => k.copyRows(t, this.shadows[i], this.wholeTensor, 0, 1, t.length));
    this.net.stateTensorsWritten();
    optimizer.restore(this.optimizerState!);
    this.net.step = this.step;
  }

  /** The parameters' values, then the state tensors. */
  private tensors(): Tensor[] {
    return [...this.net.parameters().map((p) => p.value), ...this.net.stateTensors()];
  }

  dispose(): void {
    this.shadows.forEach((t) => this.k.free(t));
    this.shadows.length = 0;
  }
}
