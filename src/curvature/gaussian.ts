/**
 * Expectations under a Gaussian, E_{z~N(μ, σ²)}[f(z)], by Gauss-Hermite quadrature: its nodes and
 * weights from the eigen-decomposition of the Hermite polynomials' Jacobi matrix (Golub & Welsch
 * 1969): diagonal 0, off-diagonal √(i/2); nodes = eigenvalues x_i, weights = √π·v_i[0]².
 */
import { tridiagonalEigen } from './tridiagonal-eigen.js';

/** Nodes of the rule: exact for polynomials up to degree 2·NODES − 1. */
const NODES = 150;

let rule: { nodes: Float64Array; weights: Float64Array } | undefined;

function hermiteRule() {
  if (!rule) {
    const off = Array.from({ length: NODES - 1 }, (_, i) => Math.sqrt((i + 1) / 2));
    const { values, vectors } = tridiagonalEigen(new Float64Array(NODES), off, [0]);
    // weights normalised to sum 1: the expectation under N(0, 1/2) of the rescaled variable
    rule = { nodes: values, weights: Float64Array.from(vectors, (v) => v[0] * v[0]) };
  }
  return rule;
}

/** E[f(z)] for z ~ N(mean, variance). */
export function gaussianExpectation(f: (z: number) => number, mean: number, variance: number): number {
  const { nodes, weights } = hermiteRule();
  const scale = Math.sqrt(2 * Math.max(variance, 0));
  let sum = 0;
  for (let i = 0; i < NODES; i++) sum += weights[i] * f(mean + scale * nodes[i]);
  return sum;
}
