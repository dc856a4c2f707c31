// The heatmaps' colour scale (the report's and the visualizer's): it spans the values drawn, runs
// between two round ends, both labelled, with 4 to 6 round ticks. A batch-norm network's map of
// log10 ‖∂C/∂b‖ from −2.90 to −0.26 was labelled at −2 and −1 alone (niceTicks aimed at 5 ticks and
// its step of 1 gave two inside the range), its ends not at all.
import { describe, expect, it } from 'vitest';
import { heatmapColor } from '../../src/flow/chart-colors.js';
import { heatmapScale, type HeatmapScale } from '../../src/flow/heatmap-scale.js';
import { heatmap } from '../../src/flow/svg.js';
import { heatmapFills } from '../util/heatmap-cells.js';
import { Rng } from '../../src/init/rng.js';
import { expectError } from '../util/expect-error.js';
import { keyOf } from '../util/chart-key.js';

/**
 * What is wrong with `scale` as a scale of [lo, hi] ('' if nothing): 4 to 6 ticks, its ends lo and
 * hi, evenly spaced by a round step, 1, 2, 2.5 or 5 × 10^k, each a multiple of it, and lo, hi less
 * than a step beyond the values. Tolerances: ticks near 10⁴ that are 0.0025 apart keep only about
 * 1e-9 of their step in their difference (float64), and they are rounded to 12 significant digits.
 */
function problem(scale: HeatmapScale, lo: number, hi: number): string {
  const { ticks } = scale;
  if (ticks.length < 4 || ticks.length > 6) return `${ticks.length} ticks`;
  if (ticks[0] !== scale.lo || ticks.at(-1) !== scale.hi) return 'ends are not the first and last ticks';
  const rough = ticks[1] - ticks[0];
  const decade = 10 ** Math.floor(Math.log10(rough) + 1e-6);
  const mantissa = [1, 2, 2.5, 5].find((m) => Math.abs(m - rough / decade) < 1e-6 * m);
  if (mantissa === undefined) return `step ${rough} is not round`;
  const step = mantissa * decade;
  if (ticks.some((t, i) => i > 0 && Math.abs(t - ticks[i - 1] - step) > 1e-6 * step)) return 'uneven ticks';
  if (ticks.some((t) => Math.abs(t / step - Math.round(t / step)) > 1e-9 * Math.max(1, Math.abs(t / step)))) return 'a tick off the step';
  if (scale.lo > lo + 1e-9 * step || scale.hi < hi - 1e-9 * step) return 'does not cover the values';
  if (lo - scale.lo >= step || scale.hi - hi >= step) return 'a step or more beyond the values';
  return '';
}

describe('heatmapScale', () => {
  it("scales the batch-norm run's range, −2.90 to −0.26, from −3 to 0, ticked at every whole number", () => {
    expect(heatmapScale(-2.9020762, -0.25578168)).toEqual({ lo: -3, hi: 0, ticks: [-3, -2, -1, 0] });
  });

  it('spans any range with 4 to 6 round ticks, its ends the first and the last, each a multiple of the step', () => {
    const rng = new Rng(7);
    const problems: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const lo = (rng.uniform() - 0.5) * 10 ** (6 * rng.uniform() - 1);
      const hi = lo + 10 ** (8 * rng.uniform() - 4);
      const scale = heatmapScale(lo, hi);
      const wrong = problem(scale, lo, hi);
      if (wrong) problems.push(`[${lo}, ${hi}] → ${scale.ticks.join(', ')}: ${wrong}`);
    }
    expect(problems).toEqual([]);
    // The check can fail: two ticks, an uneven one, a range left uncovered.
    expect(problem({ lo: -2, hi: -1, ticks: [-2, -1] }, -2.9, -0.26)).toBe('2 ticks');
    expect(problem({ lo: -3, hi: 0, ticks: [-3, -2, -1.5, 0] }, -2.9, -0.26)).toBe('uneven ticks');
    expect(problem({ lo: -3, hi: 0, ticks: [-3, -2, -1, 0] }, -3.5, -0.26)).toBe('does not cover the values');
  });

  it('gives a single value a scale around it, and ticks without floating-point noise', () => {
    const one = heatmapScale(-2, -2);
    expect(one.lo).toBeLessThan(-2);
    expect(one.hi).toBeGreaterThan(-2);
    expect(one.ticks.length).toBeGreaterThanOrEqual(4);
    expect(heatmapScale(0.1, 0.4).ticks).toEqual([0.1, 0.2, 0.3, 0.4]);
    // Of the steps that give 4 to 6 ticks, the one that widens the range least: −3 … 1 stays as it is (2.5 would widen it to −5 … 2.5).
    expect(heatmapScale(-3, 1).ticks).toEqual([-3, -2, -1, 0, 1]);
  });

  it('refuses a range that is not one, naming what it got', async () => {
    await expectError(() => heatmapScale(NaN, 1), 'INVALID_OPTION', /^heatmapScale\(lo, hi\): expected finite numbers with lo ≤ hi, got NaN and 1$/);
    await expectError(() => heatmapScale(2, 1), 'INVALID_OPTION', /got 2 and 1$/);
    await expectError(() => heatmapScale(0, Infinity), 'INVALID_OPTION', /got 0 and Infinity$/);
    await expectError(() => heatmapScale('0' as never, 1), 'INVALID_OPTION', /got "0" and 1$/);
  });
});

describe("the report heatmap's legend", () => {
  const values = [[-2.9020762, -1.4], [-0.25578168, -0.9]];
  const svg = heatmap({ id: 'bn', title: 't', yLabel: 'layer', rowLabels: ['layers[1] batch-norm', 'layers[9] dense'], steps: [1, 2], end: 3, values });

  it('is a colour bar over the scale, labelled at every tick, its ends included', () => {
    const scale = /<g class="scale" data-lo="([^"]+)" data-hi="([^"]+)">/.exec(svg)!;
    expect([Number(scale[1]), Number(scale[2])]).toEqual([-3, 0]);
    expect(keyOf(svg)).toContain('<rect y="28" width="14" height="150" fill="url(#bn-scale)"/>');
    const labels = [...svg.matchAll(/<text x="[^"]+" y="([^"]+)" class="legend" data-value="([^"]+)">([^<]+)</g)].map((m) => ({ y: Number(m[1]), value: Number(m[2]), text: m[3] }));
    expect(labels.map((l) => l.text)).toEqual(['-3', '-2', '-1', '0']);
    // The lowest value at the bottom of the bar, the highest at its top, evenly between.
    expect(labels.map((l) => l.y)).toEqual([181.5, 131.5, 81.5, 31.5]);
  });

  it('colours each cell where the scale puts its value', () => {
    // Row by row (data-row), each row's cells in step order: the values' own order.
    const fills = heatmapFills(svg, [1, 2]).flat();
    expect(fills).toEqual(values.flat().map((v) => heatmapColor((v - -3) / 3)));
  });
});
