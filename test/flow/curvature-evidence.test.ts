// diagnose() with the curvature where a run ended: the evidence is kept and the summary says saddle,
// strong negative curvature off a critical point, weak negative curvature or minimum, with the measured eigenvalues; without it nothing changes.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';

describe('diagnose with curvature evidence', async () => {
  const net = await createNetwork({ sizes: [4, 6, 6, 2], loss: 'cross-entropy', backend: 'ref', seed: 3 });
  const x = Array.from({ length: 8 }, (_, r) => [r % 2, (r >> 1) % 2, 0.5, -0.5]);
  const y = x.map((_, r) => (r % 2 ? [0, 1] : [1, 0]));
  net.train(x, y, { epochs: 3, batchSize: 4, trace: {} });
  const trace = net.trace!;
  const plain = diagnose(trace);
  // On a plateau, a diagnosis without curvature says the gradient alone cannot tell a minimum from a saddle or a gentle slope; with it, the curvature says which.
  const undecided = ' The gradient alone cannot tell a local minimum from a saddle or from a slope too gentle to leave quickly; its curvature can (docs/curvature.md: Nielsen\'s plateau, measured by `gradscope study plateau`, is the last).';

  it.each([
    [{ lambdaMin: -3e-4, lambdaMax: 1.2, confirmed: true, exploitable: true, critical: true }, /a saddle \(λ_min = -3\.0e-4 against λ_max = 1\.2e\+0\)/],
    [{ lambdaMin: -1.15, lambdaMax: 2.84, confirmed: true, exploitable: true, critical: false }, /strong negative curvature \(λ_min = -1\.1e\+0.*not critical, so not a saddle/],
    [{ lambdaMin: -2e-4, lambdaMax: 1.35, confirmed: true, exploitable: false, critical: false }, /not a minimum.*λ_min = -2\.0e-4.*the gradient outweighs it/],
    [{ lambdaMin: 1e-6, lambdaMax: 1.35, confirmed: false, exploitable: false, critical: false }, /a minimum of the measured loss, not a saddle/],
  ])('%o', (curvature, sentence) => {
    const d = diagnose(trace, { curvature });
    expect(d.verdict).toBe(plain.verdict);
    expect(plain.summary.includes(undecided)).toBe(plain.evidence.training?.state === 'plateau');
    expect(d.summary).not.toContain(undecided);
    const withoutUndecided = plain.summary.replace(undecided, '');
    expect(d.summary.startsWith(withoutUndecided)).toBe(true);
    expect(d.summary.slice(withoutUndecided.length)).toMatch(sentence);
    expect(d.evidence.curvature).toEqual(curvature);
  });

  it('without curvature the diagnosis has none', () => {
    expect(plain.evidence.curvature).toBeUndefined();
    expect(plain.summary).not.toMatch(/Curvature/);
  });
});
