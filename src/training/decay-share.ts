/**
 * A runaway SGD step whose weight decay is within its own bound can still be the decay's doing: along
 * a layer's weights w, a step multiplies them by 1 − s·(c + λ) (s its step size, λ the decay, c the
 * loss's curvature along them), and beyond sgdDecayBound's limit on s·(c + λ) each step
 * grows them. The decay's bound holds s·λ alone (train() refuses beyond it before any step), so a run
 * whose s·λ is just inside it diverges on the little curvature added (SGD lr 0.1, λ 19 on
 * a linear fit: s·λ 1.9 within 2, DIVERGED at step 26). Read only when a step faults, at the state
 * that ran away, where w lies far from where the loss is least, so its gradient reads the curvature (curvatureAlong).
 */
import type { Trainable } from '../model.js';
import { decayReaches } from '../optim/first-order.js';
import { Sgd } from '../optim/sgd.js';
import type { Optimizer } from '../optim/optimizer.js';
import { largestWithin, sgdDecayBound } from '../optimizer-defaults.js';
import { apart, givenFloat32Text, numberText } from '../number-text.js';
import { either, type Advice } from './advice.js';

/** A layer's step along its weights, s·(c + λ), past the bound, with the weight decay's part within it. */
export interface DecayShare {
  /** The weight layer (Parameter.group) whose s·(c + λ) is the largest. */
  layer: number;
  /** Its step size: the learning rate × its layer rate. */
  stepSize: number;
  /** The learning rate and its layer rate, as the message names them. */
  learningRate: number;
  layerRate: number;
  /** c: the loss's curvature along its decayed weights where they ran away (curvatureAlong). */
  curvature: number;
  weightDecay: number;
  /** The bound on s·(c + λ) (sgdDecayBound's, at the optimiser's momentum), and where it comes from in words ('' at momentum 0). */
  bound: number;
  boundFormula: string;
  /** The largest weight decay that brings every layer within the bound at CURVATURE_ALLOWANCE × c (3 figures, rounded down). */
  weightDecayWithin: number;
  /** The largest learning rate that does, alike. */
  learningRateWithin: number;
}

/**
 * The reading at `net`'s current weights and gradient (the state whose step faulted) with SGD
 * `optimizer` at `learningRate`: null where the optimiser is not SGD or has no weight decay, or no
 * layer's s·(c + λ) is past the bound, or either part is past it alone: the decay's s·λ is the decay
 * refusal's case (train() refuses it before any step), and where the curvature's s·c is (at some
 * layer, with CURVATURE_ALLOWANCE) no weight decay brings the step within, so the advice is the
 * learning rate's, as where there is no decay.
 */
export function decayShare(net: Trainable, optimizer: Optimizer, learningRate: number): DecayShare | null {
  if (!(optimizer instanceof Sgd) || optimizer.weightDecay === 0) return null;
  const { weightDecay, layerRates, decayBiases } = optimizer;
  const { max, formula } = boundOf(optimizer);
  const weights = new Float64Array(layerRates.length);
  const along = new Float64Array(layerRates.length);
  const gradients = new Float64Array(layerRates.length);
  for (const p of net.parameters()) {
    if (!decayReaches(p, decayBiases)) continue;
    weights[p.group] += net.kernels.sumSquares(p.value, p.length);
    along[p.group] += net.kernels.dot(p.grad, p.value, p.length);
    gradients[p.group] += net.kernels.sumSquares(p.grad, p.length);
  }
  const readings = new Float64Array(layerRates.length);
  let worst = -1;
  let worstProduct = -Infinity;
  let decayWithin = Infinity;
  let rateWithin = Infinity;
  for (let l = 0; l < layerRates.length; l++) {
    if (!(weights[l] > 0)) continue;
    const stepSize = learningRate * layerRates[l];
    const curvature = curvatureAlong(weights[l], along[l], gradients[l]);
    readings[l] = curvature;
    const product = stepSize * (curvature + weightDecay);
    if (product > worstProduct) [worst, worstProduct] = [l, product];
    // What is offered holds at every layer with the allowance, and within the decay's own bound where c ≤ 0 there.
    const pulled = Math.max(curvature, 0) * CURVATURE_ALLOWANCE;
    decayWithin = Math.min(decayWithin, stepSize * pulled < max ? largestWithin(max - stepSize * pulled, stepSize) : -Infinity);
    rateWithin = Math.min(rateWithin, largestWithin(max, layerRates[l] * (pulled + weightDecay)));
  }
  // Neither part alone past the bound: both together are, so the decay is a cause as much as the rate.
  if (worst < 0 || !(worstProduct > max) || learningRate * layerRates[worst] * weightDecay > max || !(decayWithin > 0)) return null;
  return {
    layer: worst,
    stepSize: learningRate * layerRates[worst],
    learningRate,
    layerRate: layerRates[worst],
    curvature: readings[worst],
    weightDecay,
    bound: max,
    boundFormula: formula,
    weightDecayWithin: decayWithin,
    learningRateWithin: rateWithin,
  };
}

/**
 * How much larger than read the curvature may be where the offers are made: the reading is a Rayleigh
 * quotient, which is at most the largest curvature (measured on the linear fit of
 * test/training/decay-share: 4.79–4.82 where the largest is 4.83; a weightDecay offered at the
 * reading itself, 33.2 with momentum 0.9, ran away at step 235), so the offers leave 5 % for it.
 */
export const CURVATURE_ALLOWANCE = 1.05;

/**
 * c along a layer's weights w with loss gradient g = H(w − w*) ≈ Hw where they ran away (H the loss's
 * Hessian): ‖g‖²/(g·w) = wᵀH²w/wᵀHw, one power step nearer the largest curvature than g·w/‖w‖² (both
 * at most it); g·w/‖w‖² where g·w ≤ 0 (the loss pulls them outward: no positive curvature to read).
 */
function curvatureAlong(weightSquares: number, along: number, gradientSquares: number): number {
  return along > 0 ? gradientSquares / along : along / weightSquares;
}

/** sgdDecayBound at `sgd`'s momentum, and its formula in words ('' at momentum 0, whose bound is 2). */
function boundOf(sgd: Sgd): { max: number; formula: string } {
  const { max } = sgdDecayBound(sgd.momentum, sgd.nesterov);
  const formula = sgd.momentum === 0 ? '' : ` (momentum ${givenFloat32Text(sgd.momentum)}'s bound, ${sgd.nesterov ? "Nesterov's 2(1 + μ)/(1 + 2μ)" : '2(1 + μ)'})`;
  return { max, formula };
}

/**
 * What the reading says and advises, in the printer's terms: each part of s·(c + λ), and the weight
 * decay or the learning rate that brings it within the bound; halving, which lowers both parts, where
 * the printer names it.
 */
export function decayShareAdvice(share: DecayShare): Advice {
  const { layer, stepSize, learningRate, layerRate, curvature, weightDecay, bound, boundFormula, weightDecayWithin, learningRateWithin } = share;
  const rate = layerRate === 1 ? `learning rate ${givenFloat32Text(learningRate)}` : `learning rate ${givenFloat32Text(learningRate)} × layerRates[${layer}] ${givenFloat32Text(layerRate)}`;
  const [curved, decayed] = [stepSize * curvature, stepSize * weightDecay];
  // One count of digits for the four, which the sentence compares: no part or sum prints on the wrong side of the bound.
  const [curvedText, decayedText, sumText, limitText] = apart([curved, decayed, curved + decayed, bound], { bound: 3 });
  const reading =
    `along layer ${layer}'s weights a step multiplies them by 1 − ${rate} × (c + λ), with c the loss's curvature along them ` +
    `(‖g‖²/g·w where they ran away, g their gradient) ${numberText(curvature)} and λ the weightDecay ${givenFloat32Text(weightDecay)}: ` +
    `${curvedText} from the curvature + ${decayedText} from the decay = ${sumText}, above ${limitText}${boundFormula}, beyond which each step grows them; ` +
    `neither part is past ${limitText} alone`;
  return (terms) => {
    const tries = [
      terms.weightDecay && `a ${terms.weightDecay} of at most ${numberText(weightDecayWithin)}`,
      terms.learningRate && `a ${terms.learningRate} of at most ${numberText(learningRateWithin)}`,
      terms.onNonFinite?.('halve'),
    ].filter((t): t is string => Boolean(t));
    return tries.length ? `${reading}: try ${either(tries)}` : reading;
  };
}
