/**
 * The saddle rule's factor and its test in words, at the foundation: src/curvature/critical-point.ts decides by them
 * (curvatureVerdict), and the diagnosis in flow/, which cannot import the curvature folder above it, says them. flow/
 * said the factor in its own words ("at most half"), beside a constant it could not see, and left out the ‖∇C‖·s cap
 * on what the slope gives, so that its sentence was false where the cap binds (review45 #2, #12).
 */

/**
 * How many times one drop must be the other for the reading to say that it outweighs the other: the curvature's best
 * mean drop along ±v (curvatureDrop) against what the slope gives (slopeDrop), each over its own length. Within that
 * factor either way both pay comparably, and the reading says both numbers rather than calling the point a saddle or a
 * plain slope. A tolerance, as approximate stationarity's ε is (curvatureVerdict): a ratio of drops, so it holds at any
 * scale of f. Not a bound: both drops are measured on grids (±v at four steps about 3× apart; the slope at its lengths
 * and one parabola's vertex, then capped at ‖∇f‖·s), so the ratio can read high or low, and a point near the factor
 * reads by its grid. The factor was placed between measured points (docs/curvature.md): the docs' tanh point, 1.23×,
 * both paying comparably, and a saddle whose output bias is 0.5 off, 2.06×, which reads 1.94× at 0.52 off. Scanned at
 * 301 lengths each (test/curvature/grid-dependence.test.ts) they read 1.55×, 3.21× and 3.02×: ±v's steps, 3× apart,
 * read a margin low, the slope's parabola finds its drop to 0.1 %.
 */
export const OUTWEIGHS = 2;

/**
 * What makes a point of negative curvature a saddle, in words (curvatureVerdict's 'saddle' beyond the curvature being
 * confirmed): `f` names the function ('the loss', 'the objective', 'it'), `gradientNorm` its gradient's norm ('‖∇C‖',
 * '‖∇f‖'), `along` the direction ('±v', with v the eigenvector of λ_min named before it). What the slope gives is the
 * gradient's whole descent, but no more than its first-order term ‖∇f‖·s: where f curves down along the gradient too,
 * its descent runs on past that, and the rest is the curvature's (then the point can read 'saddle' though a step down
 * the gradient lowers f more than one along ±v does).
 */
export function saddleTestText(f: string, gradientNorm: string, along = '±v'): string {
  return `some step t along ${along} lowers ${f} on both sides by at least ${OUTWEIGHS}× what the slope gives (the gradient's whole descent, but no more than ${gradientNorm}·s over its best step s), the slope being spent within the lengths tried`;
}
