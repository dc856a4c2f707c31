/**
 * Gradient clipping by global norm (Pascanu et al. 2013; PyTorch's clip_grad_norm_): when
 * ‖∇C‖ over every parameter (weights, biases, norms' scales and shifts, ReZero's α) exceeds maxNorm, all gradients are scaled by maxNorm/(‖∇C‖ + 1e-6).
 * One mechanism for every optimiser: train() applies it between backprop and the optimiser's step.
 */
import { checkFloat32, checkPositive } from '../checks.js';
import { trainableOf, type ModelOwner, type Trainable } from '../model.js';

/** PyTorch's guard against dividing by a zero norm. */
const NORM_EPSILON = 1e-6;

/** train()'s clipNorm: undefined (no clipping) or a finite number > 0 (INVALID_OPTION otherwise). */
export function checkClipNorm(value: unknown): number | undefined {
  return value === undefined ? undefined : checkFloat32(checkPositive(value, 'clipNorm'), 'clipNorm');
}

/** ‖∇C‖² over every parameter's gradient (NaN or Inf if any element is). Allocates nothing. */
function gradientSquaredNorm(net: Trainable): number {
  const k = net.kernels;
  const params = net.parameters();
  let sum = 0;
  for (let i = 0; i < params.length; i++) sum += k.sumSquares(params[i].grad, params[i].length);
  return sum;
}

/** Scales the network's gradients to global norm ≤ maxNorm (a finite number > 0, else INVALID_OPTION); returns the norm before clipping. */
export function clipGradientNorm(owner: ModelOwner, maxNorm: number): number {
  const net = trainableOf(owner, 'clipGradientNorm');
  checkFloat32(checkPositive(maxNorm, 'clipGradientNorm: maxNorm'), 'clipGradientNorm: maxNorm');
  const norm = Math.sqrt(gradientSquaredNorm(net));
  if (!(norm > maxNorm)) return norm;
  const k = net.kernels;
  const factor = maxNorm / (norm + NORM_EPSILON);
  for (const p of net.parameters()) k.scale(p.grad, p.length, factor);
  return norm;
}
