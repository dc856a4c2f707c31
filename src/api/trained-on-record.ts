/**
 * net.trainedOn as a Network holds it: the record of the rows that trained its weights, and a
 * checksum of those weights (every parameter and state buffer, src/tensor-checksum.ts) taken when
 * the record was set. Every read (the getter, and through it or toJSON every way of saving) compares
 * the checksum with the weights' now and drops the record where they differ, so no file ever records
 * rows for weights they did not train. A write counter would have to be bumped by every path that
 * changes a tensor and could not see a write into a kernels' view; the checksum catches them all
 * (net.kernels.write or view, an optimiser's step() called by hand, a kernel run on net[MODEL]'s
 * tensors), for one pass over the weights where the record is set or read.
 * What the Network itself knows moves the weights (train's steps, LSUV, loadState) drops it at once.
 */
import type { Trainable } from '../model.js';
import type { Tensor } from '../kernels.js';
import { tensorsChecksum } from '../tensor-checksum.js';
import { trainedOnCopy, type TrainedOn } from '../trained-on.js';

export class TrainedOnRecord<T extends Tensor> {
  readonly #model: Trainable<T>;
  #held: { record: TrainedOn; checksum: string } | undefined;

  /** `record` (a copy is kept) of `model`'s weights as they are now; none where undefined. */
  constructor(model: Trainable<T>, record: TrainedOn | undefined) {
    this.#model = model;
    this.#held = record && { record: trainedOnCopy(record), checksum: this.#checksum() };
  }

  /** The record while the weights are the ones it describes (a copy), else undefined, and it is dropped. */
  current(): TrainedOn | undefined {
    if (this.#held !== undefined && this.#held.checksum !== this.#checksum()) this.#held = undefined;
    return this.#held && trainedOnCopy(this.#held.record);
  }

  /** Forgets the record: the weights moved on rows it does not name. */
  drop(): void {
    this.#held = undefined;
  }

  /** The checksum of the weights now. */
  #checksum(): string {
    const model = this.#model;
    return tensorsChecksum(model.kernels, [...model.parameters().map((p) => p.value), ...model.stateTensors()]);
  }
}
