// The plateau study's one-line answer (newuser40, F7: its summary only counted the points) is read from
// its points, not typed: on docs/curvature.md's rows it says what the page concludes from them, and
// rows that differ (another verdict, mixed verdicts, the loss alone, a gradient that is mostly the
// loss's, no training) make it say something else.
import { describe, expect, it } from 'vitest';
import { plateauConclusion } from '../../src/studies/plateau-conclusion.js';
import type { PlateauPoint, PlateauResult } from '../../src/studies/plateau.js';
import type { CurvatureVerdict } from '../../src/curvature/critical-point.js';

/** A point with the columns the conclusion reads (the rest as the study would leave them, unread here). */
const point = (epoch: number, loss: number, gradientNorm: number, lossGradientNorm: number, largest: number, smallest: number, verdict: CurvatureVerdict): PlateauPoint => ({
  epoch,
  loss,
  objective: loss,
  gradientNorm,
  lossGradientNorm,
  largest: [largest],
  smallest: [smallest],
  converged: true,
  negativeMass: 0,
  negativeMassExact: false,
  gaussNewtonLargest: largest,
  gradientSNR: [],
  slopeAlongV: 0,
  probes: [],
  descent: [],
  verdict,
});

// docs/curvature.md's table (epochs 0–500; the losses as --json has them, 3.237365 → 3.237386)
const docsPoints = [
  point(0, 8.435, 4.9, 4.9, 2.84, -1.15, 'strong negative curvature'),
  point(125, 3.237365, 5.35e-2, 1.05e-2, 1.35, -2.03e-4, 'negative curvature'),
  point(250, 3.23737, 5.03e-2, 1.04e-2, 1.35, -1.96e-4, 'negative curvature'),
  point(375, 3.23738, 4.72e-2, 1.03e-2, 1.35, -1.9e-4, 'negative curvature'),
  point(500, 3.237386, 4.44e-2, 1.02e-2, 1.35, -1.85e-4, 'negative curvature'),
];
const result = (points: PlateauPoint[], changes: Partial<PlateauResult> = {}) => ({ points, curvatureOf: 'objective' as const, lambda: 5, ...changes });

describe('plateauConclusion', () => {
  it("on docs/curvature.md's rows: no minimum, no saddle, a slightly indefinite slope, and descent there mostly shrinks the weights", () => {
    expect(plateauConclusion(result(docsPoints))).toBe(
      'So, at epochs 125–500: no minimum (the objective curves down along v, confirmed by its values) and no saddle (no step tried along ±v lowers it on both sides: ' +
        'the gradient along v outweighs the curvature, |λ_min|/λ_max from 1.37e-4 to 1.50e-4): a slightly indefinite slope, not a critical point. ' +
        '‖∇C‖ is from 19.6 % to 23.0 % of ‖∇f‖ there: most of each step is the L2 term\'s −η(λ/n)·w, so descent shrinks the weights more than it fits the data, ' +
        'and the cross-entropy changed by 2.10e-5 from epoch 125 to 500.',
    );
  });

  it('says something else where the rows differ', () => {
    const said = new Set<string>();
    const add = (text: string) => {
      expect(said.has(text), text).toBe(false);
      said.add(text);
      return text;
    };
    add(plateauConclusion(result(docsPoints)));
    // another verdict on every trained point
    const strong = docsPoints.map((p) => (p.epoch > 0 ? { ...p, verdict: 'strong negative curvature' as const } : p));
    expect(add(plateauConclusion(result(strong)))).toContain('a slope with strong negative curvature, not a critical point');
    const saddles = docsPoints.map((p) => (p.epoch > 0 ? { ...p, verdict: 'saddle' as const } : p));
    expect(add(plateauConclusion(result(saddles)))).toMatch(/^So, at epochs 125–500: saddles \(/);
    const flat = docsPoints.map((p) => (p.epoch > 0 ? { ...p, verdict: 'minimum-like' as const, smallest: [2e-4] } : p));
    expect(add(plateauConclusion(result(flat)))).toContain('no saddle: no negative curvature is confirmed (λ_min 2.00e-4), so minimum-like, which is a minimum only where the gradient is near 0 (‖∇f‖ from 4.44e-2 to 5.35e-2)');
    // mixed verdicts: no one reading
    const mixed = docsPoints.map((p) => (p.epoch === 250 || p.epoch === 500 ? { ...p, verdict: 'saddle' as const } : p));
    expect(add(plateauConclusion(result(mixed)))).toContain('the points differ (negative curvature at epochs 125 and 375; saddle at epochs 250 and 500), so no one reading covers them');
    // the loss alone: no L2 term to shrink the weights
    expect(add(plateauConclusion(result(docsPoints, { curvatureOf: 'loss' })))).not.toContain('L2');
    // a gradient that is mostly the loss's: nothing said of the weights
    const fitting = docsPoints.map((p) => ({ ...p, lossGradientNorm: 0.6 * p.gradientNorm }));
    expect(add(plateauConclusion(result(fitting)))).not.toContain('shrinks the weights');
    // no training: the point at initialisation is read
    expect(add(plateauConclusion(result(docsPoints.slice(0, 1))))).toMatch(/^So, at epoch 0: no minimum .* a slope with strong negative curvature, not a critical point\.$/);
  });
});
