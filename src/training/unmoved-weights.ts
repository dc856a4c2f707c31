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
