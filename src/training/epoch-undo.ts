/**
 * A copy of a network's trainable state (parameters, state tensors, optimiser state, step count) in
 * the backend's memory, to put back: 'halve''s epoch start, StepGuard's last state judged good.
 * Apart from the fault judgements (numeric-faults.ts), which never copy anything.
 */
import type { Optimizer, OptimizerState } from '../optim/optimizer.js';
import type { Trainable } from '../model.js';
import { TensorCopies } from './tensor-copies.js';

/**
 * One saved state to go back to: the parameters and state tensors (batch norm's running statistics
 * and counters; copies in the backend's memory, allocated once), the optimiser's state and the
 * step count. Divergence builds up over many steps before anything overflows, so taking back only
 * the last step would land on weights that are already ruined: 'halve' keeps the start of the last
 * epoch judged good (JudgedEpochStart), StepGuard the last state judged good that it copied. Saved
 * once per epoch, or before a step not proved within range: a proved step copies nothing.
 */
export class EpochUndo {
  private readonly parameters: TensorCopies;
  private readonly states: TensorCopies;
  private optimizerState: OptimizerState | undefined;
  step = 0;

  constructor(private readonly net: Trainable) {
    this.parameters = new TensorCopies(net.kernels, net.parameters().map((p) => p.value));
    try {
      this.states = new TensorCopies(net.kernels, net.stateTensors());
    } catch (error) {
      this.parameters.dispose();
      throw error;
    }
  }

  /**
   * Copies the state as it is now; its state tensors from `states` when given: the state tensors of
   * this same state, saved before something moved them since (StepGuard: the batch's training
   * forward, which moves batch norm's running statistics before the step is taken).
   */
  save(optimizer: Optimizer, states?: TensorCopies): void {
    this.parameters.save();
    if (states) this.states.saveFrom(states);
    else this.states.save();
    this.optimizerState = optimizer.state();
    this.step = this.net.step;
  }

  /** Puts the parameters, the state tensors, the optimiser and the step count back as they were at the last save. */
  restore(optimizer: Optimizer): void {
    this.parameters.restore();
    this.states.restore();
    this.net.stateTensorsWritten();
    optimizer.restore(this.optimizerState!);
    this.net.step = this.step;
  }

  dispose(): void {
    this.parameters.dispose();
    this.states.dispose();
  }
}
