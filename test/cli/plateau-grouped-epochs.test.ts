/**
 * study plateau counts its epochs grouped wherever it names one (src/counted.ts's rule: the training
 * done is a count): its table's epoch column, the heading of its diagnosis and the report's table, as
 * its summary's 'At epoch 10,000' already did. --epochs goes up to NIELSEN_EPOCHS_BOUND (10,000), and
 * the table said '10000' beside it.
 */
import { describe, expect, it } from 'vitest';
import { lastStretchHeading, plateauTable } from '../../src/cli/commands/study-plateau.js';
import { plateauSummary } from '../../src/studies/plateau-conclusion.js';
import type { PlateauPoint, PlateauResult } from '../../src/studies/plateau.js';
import { plateauReportSection } from '../../src/studies/plateau-report.js';
import { bareCounts } from '../util/bare-counts.js';

const point = (epoch: number): PlateauPoint => ({
  epoch,
  loss: 0.25,
  objective: 0.3,
  gradientNorm: 0.01,
  lossGradientNorm: 0.002,
  largest: [2],
  smallest: [-0.001],
  converged: true,
  negativeMass: 0.01,
  negativeMassExact: false,
  negativeMassProbes: [],
  gaussNewtonLargest: 1.5,
  gradientSNR: [0.5, 0.5, 0.5, 0.5, 2],
  slopeAlongV: -0.001,
  probes: [{ step: 0.5, plus: -1e-4, minus: -1e-4, curvature: -1e-3 }],
  descent: [],
  verdict: 'strong negative curvature',
});

const result = {
  sizes: [784, 30, 30, 30, 30, 10],
  rows: 1000,
  epochs: 10_000,
  learningRate: 0.1,
  lambda: 5,
  points: [0, 2500, 5000, 7500, 10_000].map(point),
  meanField: [],
  testAccuracy: 0.9,
} as unknown as PlateauResult;

describe('study plateau: epochs grouped', () => {
  it('in the table, the summary and the heading of the diagnosis', () => {
    const text = [plateauTable(result), plateauSummary(result), lastStretchHeading(result)].join('\n');
    expect(text).toContain('10,000');
    expect(lastStretchHeading(result)).toContain('epochs 7,501 to 10,000:');
    expect(bareCounts(text)).toEqual([]);
  });

  it("in the report's table", () => {
    const cells = plateauReportSection(result).tables!.flatMap((t) => t.rows.map((row) => row[0]));
    expect(cells).toEqual(['0', '2,500', '5,000', '7,500', '10,000']);
  });
});
