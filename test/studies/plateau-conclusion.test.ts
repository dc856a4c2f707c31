// The plateau study's one-line answer (newuser40, F7: its summary only counted the points) is read from
// its points, not typed: on docs/curvature.md's rows it says what the page concludes from them, and
// rows that differ (another verdict, mixed verdicts, the loss alone, a gradient that is mostly the
// loss's, no training) make it say something else.
import { describe, expect, it } from 'vitest';
import { plateauConclusion, plateauSummary } from '../../src/studies/plateau-conclusion.js';
import type { PlateauPoint, PlateauResult } from '../../src/studies/plateau.js';
import { strongBand, type CurvatureVerdict } from '../../src/curvature/critical-point.js';
import { STRONG_BAND_WORDS } from '../../src/curvature/point-text.js';

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
  negativeMassProbes: [],
  gaussNewtonLargest: largest,
  gradientSNR: [],
  slopeAlongV: 0,
  probes: [],
  descent: [],
  verdict,
});

/**
 * The point with one step along ±v at t = 3 lowering f by `alongV` on both sides and its best step down the gradient at
 * s = `at` lowering it by `slope` (with ‖∇f‖ as the point has it): the drops the verdict weighs.
 */
const withDrops = (p: PlateauPoint, alongV: number, slope: number, at = 3): PlateauPoint => ({
  ...p,
  probes: [{ step: 3, plus: -alongV, minus: -alongV, curvature: (-2 * alongV) / 9 }],
  descent: [{ step: at, change: -slope }],
});

// docs/curvature.md's table (epochs 0–500; the losses as --json has them, 3.237365 → 3.237386); at epoch 0, ±v's 2.6 at t = 3
// beside the gradient's 5.07 at s = 3
const docsPoints = [
  withDrops(point(0, 8.435, 4.9, 4.9, 2.84, -1.15, 'strong negative curvature'), 2.6, 5.07),
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
    const strong = docsPoints.map((p) => (p.epoch > 0 ? withDrops({ ...p, verdict: 'strong negative curvature' as const }, 0.01, 0.01) : p));
    expect(add(plateauConclusion(result(strong)))).toContain('negative curvature beside a slope, not a critical point');
    const saddles = docsPoints.map((p) => (p.epoch > 0 ? withDrops({ ...p, verdict: 'saddle' as const }, 0.01, 0.004, 0.3) : p));
    expect(add(plateauConclusion(result(saddles)))).toMatch(/^So, at epochs 125–500: saddles \(.*: as good as critical, ±v's mean drop 2\.50× what the slope gives, /);
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
    expect(add(plateauConclusion(result(docsPoints.slice(0, 1))))).toMatch(/^So, at epoch 0: no minimum .*; ±v's mean drop 0\.513× what the slope gives, .*\): negative curvature beside a slope, not a critical point\.$/);
  });

  // It said "the gradient is not spent" of every such point, and filed a gradient outweighing ±v under "beside a slope",
  // where `gradscope curvature` says "the gradient outweighs it" (review45 #3): one band's words in both.
  it("reads points of strong negative curvature by their band, in the words of `gradscope curvature`'s reading", () => {
    const at = (alongV: number, slope: number, s: number) => [withDrops(point(100, 1, 1, 1, 1, -0.5, 'strong negative curvature'), alongV, slope, s)];
    const bands = [
      // the docs' tanh point: its descent ends at s = 1 (spent), ±v 1.23× it
      { points: at(0.295, 0.239, 1), band: 'comparable', says: ["both pay comparably, the gradient spent or not; ±v's mean drop 1.23× what the slope gives"], not: ['the gradient is not spent', 'outweighs'] },
      { points: at(0.1, 0.25, 1), band: 'gradient outweighs', says: ["but the gradient outweighs it: what the slope gives (the gradient's whole descent, but no more than ‖∇f‖·s over its best step s) is at least 2× its mean drop; ±v's mean drop 0.400× what the slope gives"], not: ['beside a slope', 'not spent'] },
      // ±v 5× the slope, whose descent may run on past s = 3
      { points: at(0.5, 0.1, 3), band: 'runs on', says: ['but that descent is at its most at the longest step tried, s=3, past which it may run on: the gradient is not seen spent', "±v's mean drop 5.00×"], not: ['comparably', 'outweighs'] },
    ] as const;
    for (const { points, band, says, not } of bands) {
      const p = points[0];
      expect(strongBand(p.gradientNorm, p.descent, p.probes)).toBe(band);
      const text = plateauConclusion(result(points));
      expect(text).toMatch(new RegExp(`\\): ${STRONG_BAND_WORDS[band].name}, not a critical point\\.$`));
      if (band !== 'runs on') expect(text).toContain(STRONG_BAND_WORDS[band].why);
      for (const words of says) expect(text).toContain(words);
      for (const words of not) expect(text).not.toContain(words);
    }
    // points in different bands: each named by its band's words
    const mixed = [...bands[0].points, { ...bands[1].points[0], epoch: 200 }];
    expect(plateauConclusion(result(mixed))).toContain('but the points differ: negative curvature beside a slope, both pay comparably, at epoch 100; a slope, the gradient outweighs it, at epoch 200;');
    // the summary's count of such points says each band as the conclusion does (it filed the gradient's outweighing under "beside a slope")
    const summary = plateauSummary({ ...result(mixed), testAccuracy: 0.1 } as unknown as PlateauResult);
    expect(summary).toContain("• strong negative curvature (2 points): off a critical point, a step t along ±v lowers the objective on both sides, but not a saddle: a slope where what the slope gives is at least 2× ±v's mean drop (the gradient outweighs it), negative curvature beside a slope where neither is 2× the other (both pay comparably), ");
    // the answer first, the rules after it (lecturer52 #6)
    expect(summary.startsWith(plateauConclusion(result(mixed)))).toBe(true);
  });
});
