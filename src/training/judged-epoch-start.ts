/**
 * What onNonFinite 'halve' goes back to: the start of the latest epoch that a batch judged good
 * there (StepGuard.judgeBatch: 'in range'), with that epoch's row order, so the epoch can be run
 * again as it was. An epoch's start is not known good when the epoch begins: it is the state the
 * previous epoch's last step made, which no batch has been run at yet and which may already have
 * run away (one SGD step at learningRate 1e8 takes a [4, 8, 3] tanh network's weights from below 1
 * to beyond 1e6: test/reliability/epoch-start.test.ts).
 * Only the epoch's first batch, judged in range there, proves it. So each epoch's start is copied
 * as a candidate when the epoch begins and replaces the kept one only once that batch proves it;
 * until then the kept one is the previous epoch's start. Two copies, swapped rather than copied
 * again, so an epoch still costs one copy of the state and steps allocate nothing.
 */
import type { Optimizer } from '../optim/optimizer.js';
import type { Trainable } from '../model.js';
import { EpochUndo } from './epoch-undo.js';

/** An epoch start put back: which epoch, the network's step count there, and the loss of the batch that judged it good (NaN: none did). */
export interface EpochStart {
  epoch: number;
  step: number;
  loss: number;
}

export class JudgedEpochStart {
  private kept: EpochUndo;
  private candidate: EpochUndo;
  private keptOrder: Uint32Array;
  private candidateOrder: Uint32Array;
  /** The epoch whose start `kept` holds; -1 until a batch has judged one good. */
  private keptEpoch = -1;
  private candidateEpoch = -1;
  /** The loss of the batch that judged `kept` good. */
  private keptLoss = NaN;
  /** Whether `candidate` holds an epoch start that no batch has judged yet. */
  private unjudged = false;

  /** Allocates both copies in the backend's memory (the caller checked they fit), and two row orders of `rows` entries. */
  constructor(net: Trainable, rows: number) {
    this.kept = new EpochUndo(net);
    try {
      this.candidate = new EpochUndo(net);
    } catch (error) {
      this.kept.dispose();
      throw error;
    }
    this.keptOrder = new Uint32Array(rows);
    this.candidateOrder = new Uint32Array(rows);
  }

  /** Epoch `epoch` begins (not a retry), its rows in `order`: copies the network's state and the order as the candidate. */
  begin(epoch: number, order: Uint32Array, optimizer: Optimizer): void {
    this.candidate.save(optimizer);
    this.candidateOrder.set(order);
    this.candidateEpoch = epoch;
    this.unjudged = true;
  }

  /**
   * A batch's `loss` and gradient were judged in range at the network's state: the first such
   * batch since begin() runs at the epoch's start (a fault before it goes back), so that start is
   * now the one kept. Called for every batch; does nothing after the first.
   */
  judgedGood(loss: number): void {
    if (!this.unjudged) return;
    [this.kept, this.candidate] = [this.candidate, this.kept];
    [this.keptOrder, this.candidateOrder] = [this.candidateOrder, this.keptOrder];
    this.keptEpoch = this.candidateEpoch;
    this.keptLoss = loss;
    this.unjudged = false;
  }

  /**
   * Puts the kept epoch start back (parameters, state tensors, optimiser state, step count) and
   * its row order into `order`, and says which it was: the start of the current epoch when its
   * first batch was judged good, else the previous epoch's. Before any batch was judged good (a
   * fault at epoch 0's first batch), epoch 0's start, the state no step of the call had changed.
   */
  restore(optimizer: Optimizer, order: Uint32Array): EpochStart {
    if (this.keptEpoch < 0) {
      this.candidate.restore(optimizer);
      order.set(this.candidateOrder);
      return { epoch: this.candidateEpoch, step: this.candidate.step, loss: NaN };
    }
    // A candidate still unjudged is the state the fault condemned: the epoch before it is run again.
    this.unjudged = false;
    this.kept.restore(optimizer);
    order.set(this.keptOrder);
    return { epoch: this.keptEpoch, step: this.kept.step, loss: this.keptLoss };
  }

  dispose(): void {
    this.kept.dispose();
    this.candidate.dispose();
  }
}
