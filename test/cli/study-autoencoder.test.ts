// `gradscope study autoencoder` end to end, on a tiny budget: the JSON has a curve per optimiser
// that starts at the same untrained error and whose training time covers the budget.
import { describe, expect, it } from 'vitest';
import { runCli } from '../util/cli.js';

describe('gradscope study autoencoder', () => {
  it('prints reconstruction-error curves as JSON', () => {
    const { code, stdout, stderr } = runCli(['study', 'autoencoder', '--seconds', '0.5', '--train', '200', '--test', '50', '--points', '2', '--optimizers', 'hessian-free,adam', '--json']);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.runs.map((r: { optimizer: string }) => r.optimizer)).toEqual(['hessian-free', 'adam']);
    for (const run of result.runs) {
      expect(run.curve).toHaveLength(3);
      expect(run.curve[0].trainError).toBe(result.runs[0].curve[0].trainError);
      expect(run.curve[2].seconds).toBeGreaterThanOrEqual(0.5);
      expect(run.curve[2].steps).toBeGreaterThan(0);
      for (const point of run.curve) expect(Number.isFinite(point.testError)).toBe(true);
      // any training at all leaves the untrained (all-½) reconstruction behind
      expect(run.curve[2].trainError).toBeLessThan(run.curve[0].trainError);
    }
  });

  it('refuses a bad --loss and an unknown optimiser with one line, exit 2 (command-line errors)', () => {
    const bad = runCli(['study', 'autoencoder', '--loss', 'hinge']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--loss must be one of bce, mse/);
    const unknown = runCli(['study', 'autoencoder', '--optimizers', 'newton', '--seconds', '0.1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^gradscope: --optimizers: unknown 'newton' \(one of hessian-free, adam, sgd-momentum\)$/m);
  });
});
