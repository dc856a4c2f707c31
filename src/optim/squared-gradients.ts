/**
 * The squared gradient a running mean of squares takes each step (Adam's v, RMSProp's s), g'² with
 * g' = g + λ·w under L2 weight decay, must fit the float32 the core computes in. Beyond
 * √(float32's largest) ≈ 1.84e19 the wasm kernels' g'·g' is Infinity, the mean holds it and that
 * weight's steps are 0 in silence; the float64 ref backend takes it and trains on, so the backends
 * would part (Adam at weightDecay 1e20 on a weight of 0.31, measured 2026-12-03). Such a step is
 * refused before it changes anything (DIVERGED naming the parameter and the entry, and the weight
 * decay where λ·w is what passes), on every backend alike. Adagrad's sums, which only grow, have
 * their own check (adagrad.ts).
 */
import type { Kernels, Tensor } from '../kernels.js';
import type { Parameter } from '../model.js';
import { FLOAT32_MAX } from '../model-limits.js';
import { fitsFloat32 } from './first-order.js';
import { largestWithin } from '../optimizer-defaults.js';
import { RateFreeRefusal } from './optimizer.js';
import { boundText, numberText } from '../number-text.js';

/** A |g'| whose square fitsFloat32 takes, its rounding slack included: just below √(float32's largest). */
const LARGEST_SQUARED = Math.sqrt(FLOAT32_MAX) * (1 - 2 ** -15);

/**
 * Refuses (DIVERGED) the step `step` of optimiser `name` where some entry's (g + λw)² would pass
 * float32's largest value, `decays[i]` being parameter i's λ. One maxAbs of the gradient and one of
 * the values per parameter; entry by entry only for a parameter whose bound does not fit.
 */
export function checkSquaredGradients(name: string, step: number, params: readonly Parameter[], decays: Float64Array, k: Kernels<Tensor>): void {
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    const decay = decays[i];
    const bound = k.maxAbs(p.grad, p.length) + (decay === 0 ? 0 : decay * k.maxAbs(p.value, p.length));
    if (fitsFloat32(bound * bound)) continue;
    const [grads, values] = [k.view(p.grad), k.view(p.value)];
    for (let e = 0; e < p.length; e++) {
      const gradient = Math.fround(grads[e] + Math.fround(decay * values[e]));
      if (!fitsFloat32(gradient * gradient)) throw squareOverflow(`${name}: step ${step}: ${p.name}[${e}]`, grads[e], values[e], decay, gradient, () => largestDecayTaken(params, decays, k));
    }
  }
}

/**
 * The largest weight decay (3 figures, rounded down) with which this step's every (g + λw)² fits float32,
 * from each decayed parameter's max|g| and max|w|; 0 where some gradient alone does not.
 */
function largestDecayTaken(params: readonly Parameter[], decays: Float64Array, k: Kernels<Tensor>): number {
  let largest = Infinity;
  for (let i = 0; i < params.length; i++) {
    if (decays[i] === 0) continue;
    const p = params[i];
    const room = LARGEST_SQUARED - k.maxAbs(p.grad, p.length);
    if (room <= 0) return 0;
    const weight = k.maxAbs(p.value, p.length);
    if (weight > 0) largest = Math.min(largest, largestWithin(room, weight));
  }
  return largest;
}

/** The DIVERGED of an entry whose g' = g + λw squares past float32: what passes, and what to give instead (`taken`: largestDecayTaken). */
function squareOverflow(where: string, g: number, w: number, decay: number, gradient: number, taken: () => number): RateFreeRefusal {
  const lost = "its running mean of squared gradients would hold Infinity there, and that weight's steps would be 0 in silence";
  const limit = `float32's largest value, ${boundText(FLOAT32_MAX)}`;
  // The decay is the cause where the gradient alone squares within float32.
  const within = decay !== 0 && Math.abs(g) < LARGEST_SQUARED ? taken() : 0;
  if (within > 0) {
    return new RateFreeRefusal(
      `${where}: its gradient with weight decay, g + λ·w = ${numberText(g)} + ${numberText(decay)} × ${numberText(w)} = ${numberText(gradient)}, squares past ${limit}: ${lost}; ` +
        `the weight decay is what passes it: give a weightDecay of at most ${numberText(within)} (at these weights and gradients)`,
    );
  }
  return new RateFreeRefusal(`${where}: its gradient${decay === 0 ? '' : ' with weight decay'}, ${numberText(gradient)}, squares past ${limit}: ${lost}; the gradients are too large here (clipping them or scaling the inputs keeps them smaller)`);
}
