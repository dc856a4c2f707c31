// What moves Nielsen's plateau, and whether it is a minimum of the cross-entropy (docs/curvature.md,
// "Saddle or minimum?"): the study's own set-up, seed 1, measured at epochs 125 and 500. Its ‖∇f‖ of
// about 0.05 is mostly the L2 term's (λ/n)·w: the cross-entropy's own gradient ‖∇C‖ is a fifth of
// it, the objective falls as the weights shrink and the cross-entropy does not fall; and the
// cross-entropy alone (the same measurement with λ = 0 on those weights) curves down ten times more
// than the objective, with steps along its eigenvector that lower it on both sides. The docs said
// the gradient "crosses" the plateau, which read as descent leaving it.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { loadMnist } from '../../src/data/mnist.js';
import { DEPTH_NETWORK_OPTIONS, DEPTH_ROWS, firstRows, nielsenTraining, NIELSEN_TRAINING } from '../../src/studies/depth.js';
import { measurePoint, PLATEAU_SIZES, type PlateauResult } from '../../src/studies/plateau.js';
import { plateauTable } from '../../src/cli/commands/study-plateau.js';
import { plateauTableKey } from '../../src/studies/plateau-table.js';

describe("Nielsen's plateau: the L2 term moves it, and the cross-entropy alone is no minimum", () => {
  it('at epochs 125 and 500 (the study\'s set-up, seed 1)', { timeout: 120_000 }, async () => {
    const digits = await loadMnist();
    const data = firstRows(digits.train.x, digits.train.y, DEPTH_ROWS);
    const net = await createNetwork({ sizes: PLATEAU_SIZES, seed: 1, ...DEPTH_NETWORK_OPTIONS });
    const dataset = net.dataset(data.x, data.y);
    const lambda = NIELSEN_TRAINING.lambda;
    const settings = (epoch: number, l: number) => ({ epoch, lambda: l, k: 3, maxSteps: 200, seed: 1 });
    try {
      net.train(dataset, { epochs: 125, ...nielsenTraining(data.x.rows, lambda) });
      const objective125 = measurePoint(net, dataset, settings(125, lambda));
      const loss125 = measurePoint(net, dataset, settings(125, 0));
      // the same gradient of C, with and without the L2 term's part
      expect(loss125.gradientNorm).toBeCloseTo(objective125.lossGradientNorm, 12);
      expect(objective125.gradientNorm).toBeCloseTo(0.0535, 3);
      expect(objective125.lossGradientNorm).toBeCloseTo(0.0105, 3);
      expect(objective125.lossGradientNorm).toBeLessThan(objective125.gradientNorm / 4);
      // the cross-entropy alone: λ_min about 20× the objective's, confirmed, and lowered on both sides along ±v
      expect(objective125.smallest[0]).toBeCloseTo(-2.0e-4, 5);
      expect(loss125.smallest[0]).toBeCloseTo(-3.9e-3, 4);
      expect(loss125.verdict).toBe('strong negative curvature');
      expect(objective125.verdict).toBe('negative curvature');
      const both = loss125.probes.filter((p) => p.plus < 0 && p.minus < 0).map((p) => p.step);
      expect(both).toEqual([0.3, 1, 3]);
      const t3 = loss125.probes[3];
      expect(t3.plus).toBeCloseTo(-0.0185, 3);
      expect(t3.minus).toBeCloseTo(-0.0033, 3);
      // not critical: the mean drop at t = 3 is below ‖∇C‖·t
      expect(-(t3.plus + t3.minus) / 2).toBeLessThan(loss125.gradientNorm * 3);

      net.train(dataset, { epochs: 375, ...nielsenTraining(data.x.rows, lambda) });
      const objective500 = measurePoint(net, dataset, settings(500, lambda));
      const loss500 = measurePoint(net, dataset, settings(500, 0));
      expect(objective500.gradientNorm).toBeCloseTo(0.0444, 3);
      expect(objective500.lossGradientNorm).toBeCloseTo(0.0102, 3);
      // the objective falls by the weights' shrinking; the cross-entropy does not fall (it rises by 2e-5)
      expect(objective125.objective - objective500.objective).toBeCloseTo(0.0896, 3);
      expect(objective500.loss).toBeGreaterThan(objective125.loss);
      expect(objective500.loss - objective125.loss).toBeLessThan(1e-4);
      expect(loss500.smallest[0]).toBeCloseTo(-2.4e-3, 4);
      expect(loss500.probes.filter((p) => p.plus < 0 && p.minus < 0).map((p) => p.step)).toEqual([0.3]);
      expect(loss500.verdict).toBe('strong negative curvature');

      // The command's table prints both gradients, and its key says which is which.
      const printed = { rows: data.x.rows, lambda, points: [objective125, objective500] } as unknown as PlateauResult;
      const table = plateauTable(printed, 400).split('\n');
      expect(table[0]).toMatch(/‖∇f‖ +‖∇C‖/);
      expect(table[2]).toMatch(/5\.35e-2 +1\.05e-2/);
      expect(table[3]).toMatch(/4\.44e-2 +1\.02e-2/);
      expect(plateauTableKey(printed)).toContain("‖∇f‖: the gradient of the objective f = C + (λ/2n)‖w‖² (λ = 5, n = 1,000), the L2 term's (λ/n)·w included; ‖∇C‖: the data loss's alone");
    } finally {
      dataset.dispose();
      net.dispose();
    }
  });
});
