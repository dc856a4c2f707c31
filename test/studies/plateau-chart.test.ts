// The plateau study's curvature chart draws λ_min on a log axis, so its sign lives in the series' name: one line named
// '|λ_min|' showed a class two positive curves where λ_min < 0 is the whole point (lecturer52 #6). The names are read
// against the points' own λ_min here, so a sign flipped in the records (or in the code) fails.
import { describe, expect, it } from 'vitest';
import { runPlateauStudy } from '../../src/studies/plateau.js';
import { lambdaMinSeries, plateauReportSection } from '../../src/studies/plateau-report.js';
import { escapeHtml, lineChart } from '../../src/flow/svg.js';

/** Points at epochs 0, 50, 100 with these λ_min. */
const at = (...lambdas: number[]) => lambdas.map((l, i) => ({ epoch: 50 * i, smallest: [l] }));

describe("the plateau chart's λ_min", () => {
  it('is −λ_min, named "λ_min < 0 at every point", where every point is negative', () => {
    expect(lambdaMinSeries(at(-1e-2, -3.6e-4, -2.1e-4))).toEqual([{ name: '−λ_min (λ_min < 0 at every point)', xs: [0, 50, 100], ys: [1e-2, 3.6e-4, 2.1e-4] }]);
  });

  it('names the epochs of each sign where a point is positive, each sign a series of its own (a flipped sign changes the names)', () => {
    expect(lambdaMinSeries(at(-1e-2, 3.6e-4, -2.1e-4))).toEqual([
      { name: '−λ_min (λ_min < 0 at epochs 0, 100)', xs: [0, 50, 100], ys: [1e-2, NaN, 2.1e-4] },
      { name: 'λ_min (λ_min ≥ 0 at epoch 50)', xs: [0, 50, 100], ys: [NaN, 3.6e-4, NaN] },
    ]);
    expect(lambdaMinSeries(at(1e-2, 3.6e-4, 2.1e-4)).map((s) => s.name)).toEqual(['λ_min (λ_min ≥ 0 at every point)']);
    // Past four epochs, a count; 1,000 grouped as the table groups it.
    const many = Array.from({ length: 6 }, (_, i) => ({ epoch: 1000 * i, smallest: [i === 5 ? 1 : -1] }));
    expect(lambdaMinSeries(many).map((s) => s.name)).toEqual(['−λ_min (λ_min < 0 at 5 of 6 points)', 'λ_min (λ_min ≥ 0 at epoch 5,000)']);
  });

  it("says of a study's own points what their λ_min are, and its chart's key names them so", async () => {
    const result = await runPlateauStudy({ epochs: 2, points: 3, rows: 30, maxSteps: 20, k: 1 });
    const chart = plateauReportSection(result).charts!.find((c) => c.id === 'plateau-curvature')!;
    const [largest, ...smallest] = chart.series;
    expect(largest.name).toBe('λ_max');
    // Each point's λ_min drawn once, as |λ_min| in the series whose name states its sign.
    for (const [i, p] of result.points.entries()) {
      const λ = p.smallest[0];
      const drawnIn = smallest.filter((s) => !Number.isNaN(s.ys[i]));
      expect(drawnIn).toHaveLength(1);
      expect(drawnIn[0].ys[i]).toBe(Math.abs(λ));
      expect(drawnIn[0].name.startsWith(λ < 0 ? '−λ_min (λ_min < 0' : 'λ_min (λ_min ≥ 0')).toBe(true);
    }
    const html = lineChart(chart);
    for (const s of smallest) expect(html).toContain(`<title>${escapeHtml(s.name)}`);
    expect(chart.title).not.toContain('|λ_min|');
  });
});
