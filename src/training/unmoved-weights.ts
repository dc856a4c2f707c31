/**
 * The weight matrices a train() call's steps left bit for bit as they were (TrainResult.unmovedWeights, edges47 #16): a learning rate
 * (or a clipNorm) so small that every update of a weight is below the resolution of the number it is added to rounds each one to
 * nothing, and the call returns its epochs as if it trained. Said by the library, where `gradscope train` alone said it before
 * (lows51), and read there for its note.
 */
import type { FloatArray, Kernels, Tensor } from '../kernels.js';
import type { Parameter } from '../model.js';

/**
 * Fewest rows (epochs × rows per epoch) a train() call must plan for its weights to be compared: the copy and the comparison
 * cost about what one to seven rows' steps do (measured on [784,100,100,10]: a one-batch call of 1 row 76 → 206 µs with them,
 * of 64 rows 589 → 650 µs; AMD EPYC Zen 5, 2026-12-07, lead52), so from here on they stay near 1 % of the call, where a call of
 * one small batch (a step loop calling train() per batch, bench/jax.bench.ts' per-call rows) would pay them every step.
 */
export const UNMOVED_CHECK_MIN_ROWS = 500;

/** Trained values (Trainable.parameterCount) up to which a network's weights are compared in any call: their copy and comparison take microseconds. */
export const UNMOVED_CHECK_ANY_CALL_PARAMETERS = 4096;

/** Whether a train() call of `rows` rows (epochs × rows per epoch) on a network of `parameterCount` trained values compares its weights (TrainResult.unmovedWeights). */
export function comparesWeights(parameterCount: number, rows: number): boolean {
  return rows >= UNMOVED_CHECK_MIN_ROWS || parameterCount <= UNMOVED_CHECK_ANY_CALL_PARAMETERS;
}

/** What the comparison reads of a network: its parameters and the backend that holds their values. */
interface WeightsHolder<T extends Tensor = Tensor> {
  readonly kernels: Kernels<T>;
  parameters(): readonly Parameter<T>[];
}

/** A network's weight matrices as they were, each copied (the backend's views change as it trains) with its name. */
export type WeightsAtStart = readonly { name: string; values: FloatArray }[];

/**
 * Copies of `net`'s weight matrices (Parameter.weightMatrix) as they are now, in the backend's own precision, so that the comparison
 * is bit for bit. Biases are left out: one at 0 takes even a 1e-20 step (float32 holds numbers that small), too small to change an
 * output. One copy per call, before its first step: no step allocates.
 */
export function weightsAtStart<T extends Tensor>(net: WeightsHolder<T>): WeightsAtStart {
  return net.parameters().filter((p) => p.weightMatrix).map((p) => ({ name: p.name, values: net.kernels.view(p.value).slice() }));
}

/** The names of the weight matrices of `net` whose every value is bit for bit (Object.is: a NaN is its own) the one in `start`, in its order. */
export function unmovedWeights<T extends Tensor>(net: WeightsHolder<T>, start: WeightsAtStart): string[] {
  const now = net.parameters().filter((p) => p.weightMatrix);
  return start.filter(({ values }, i) => {
    const current = net.kernels.view(now[i].value);
    for (let j = 0; j < values.length; j++) if (!Object.is(values[j], current[j])) return false;
    return true;
  }).map(({ name }) => name);
}

/**
 * Which weight matrices had a gradient of 0 in every entry at every step a train() call applied (TrainResult.zeroGradientWeights):
 * one that also stayed as made (unmovedWeights) got no update at all, where another rounded its updates away, and the CLI's note
 * names the one cause (prose54's left-alone 3: it gave both). Read before each step from the gradient the step uses (after the
 * gradient noise and the clipping), up to its first nonzero entry, and only of the matrices no applied step has yet found one in: where every matrix gets a gradient at the first step, that step reads each once and no later step reads any. Flags, not
 * lists, so that no step allocates.
 */
export class ZeroGradients<T extends Tensor> {
  private readonly matrices: readonly Parameter<T>[];
  /** Per matrix: 1 while every step applied so far gave it a gradient of 0. */
  private readonly zero: Uint8Array;
  /** Per matrix: 1 where the step about to be applied gives a gradient of 0 no more (read()). */
  private readonly reached: Uint8Array;
  /** Matrices still flagged in `zero`. */
  private zeroLeft: number;
  /** Whether read() flagged any in `reached`. */
  private anyReached = false;

  constructor(private readonly net: WeightsHolder<T>) {
    this.matrices = net.parameters().filter((p) => p.weightMatrix);
    this.zero = new Uint8Array(this.matrices.length).fill(1);
    this.reached = new Uint8Array(this.matrices.length);
    this.zeroLeft = this.matrices.length;
  }

  /** Before a step: which of the matrices still at 0 its gradient reaches. */
  read(): void {
    this.anyReached = false;
    if (this.zeroLeft === 0) return;
    for (let i = 0; i < this.matrices.length; i++) {
      const reached = this.zero[i] === 1 && this.anyNonzero(this.matrices[i]);
      this.reached[i] = reached ? 1 : 0;
      this.anyReached ||= reached;
    }
  }

  /**
   * Whether `p`'s gradient has an entry other than 0, read up to the first such: a few entries in a matrix a gradient reaches. The
   * backend's maxAbs reads all of them: with it a batch-1 call of [784, 100, 100, 10] took 97, 114, 105 µs (medians of 3,000)
   * against 99, 86, 89 µs without, alternated at load ~25; with this, 93, 95, 121 against 99, 84, 138 (AMD EPYC Zen 5, prose55).
   */
  private anyNonzero(p: Parameter<T>): boolean {
    const values = this.net.kernels.view(p.grad);
    for (let j = 0; j < p.length; j++) if (values[j] !== 0) return true;
    return false;
  }

  /** The step read() read was applied: the matrices it reached are no longer at 0. */
  applied(): void {
    if (!this.anyReached) return;
    for (let i = 0; i < this.matrices.length; i++) {
      if (this.reached[i] === 0) continue;
      this.zero[i] = 0;
      this.zeroLeft--;
    }
    this.anyReached = false;
  }

  /** The names of the matrices whose gradient was 0 at every step applied, in the network's order. */
  names(): string[] {
    return this.matrices.filter((_, i) => this.zero[i] === 1).map((p) => p.name);
  }
}
