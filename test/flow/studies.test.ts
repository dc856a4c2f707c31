/**
 * The activation study at a toy size: every activation × init run is traced, diagnosed and
 * scored, with gradient histograms at the first and the last step, which it records beside its
 * evenly spaced records (the last full batch's too, where the last batch is short).
 */
import { describe, expect, it } from 'vitest';
import { runActivationStudy } from '../../src/studies/activations.js';
import { expectTraceInvariants } from '../util/trace-invariants.js';
import { glorotSaturationReading, topLayerSaturation } from '../../src/studies/activations-saturation.js';

describe('runActivationStudy', () => {
  it("records the last full batch's step beside the last where the last batch is short, and reads the end there", async () => {
    // 295 rows in batches of 10: 30 steps, the last of 5 rows, whose statistics are of those rows alone.
    const result = await runActivationStudy({ width: 8, epochs: 1, trainRows: 295, testRows: 50, batchSize: 10, records: 5, activations: ['sigmoid'], inits: ['standard'] });
    const trace = result.runs[0].trace!;
    expect(Array.from(trace.steps)).toEqual([1, 7, 13, 19, 25, 29, 30]);
    expect(trace.histograms.map((h) => h.step)).toEqual([1, 29]);
    expect(topLayerSaturation(trace)!.last.step).toBe(29);
    expect(glorotSaturationReading(result)).toContain("at the first step → the last full batch's traced step: sigmoid + standard");
  });

  it('traces, diagnoses and scores each activation × init', async () => {
    const result = await runActivationStudy({
      width: 16, epochs: 1, trainRows: 300, testRows: 100, batchSize: 10, records: 5,
      activations: ['sigmoid', 'relu'], inits: ['standard', 'he-normal'],
    });
    expect(result.sizes).toEqual([784, 16, 16, 16, 16, 16, 10]);
    expect(result.runs.map((r) => r.label)).toEqual(['sigmoid + standard', 'sigmoid + he-normal', 'relu + standard', 'relu + he-normal']);
    for (const run of result.runs) {
      expect(run.diverged).toBeUndefined();
      expect(run.testError).toBeGreaterThanOrEqual(0);
      expect(run.testError).toBeLessThanOrEqual(1);
      const trace = run.trace!;
      // 30 steps, every 6th from the first: steps 1, 7, 13, 19, 25, and the last, 30.
      expect(Array.from(trace.steps)).toEqual([1, 7, 13, 19, 25, 30]);
      expect(trace.histograms.map((h) => h.step)).toEqual([1, 30]);
      expect(['vanishing', 'exploding', 'dead', 'saturated', 'healthy']).toContain(run.diagnosis!.verdict);
      expectTraceInvariants(trace, run.label);
      // Glorot & Bengio's measure on every record, hidden layers only: the mean activation, its
      // 98th percentile, and saturation by value for sigmoid (relu has no upper limit: NaN).
      const profile = run.profile!;
      expect(profile.steps).toEqual([1, 7, 13, 19, 25, 30]);
      profile.mean.forEach((row, r) => expect(row).toEqual(Array.from(trace.row('activationMean', r)).slice(0, 5)));
      profile.std.forEach((row, r) => expect(row).toEqual(Array.from(trace.row('activationStd', r)).slice(0, 5)));
      for (const [r, row] of profile.p98.entries()) {
        expect(row).toHaveLength(5);
        // On every record, not only every 10th step: the study refreshes it each time.
        row.forEach((p98, l) => expect(Number.isFinite(p98), `p98 record ${r} layer ${l}`).toBe(true));
      }
      for (const row of profile.saturated) {
        for (const v of row) {
          if (run.activation === 'relu') expect(v).toBeNaN();
          else expect(v).toBeGreaterThanOrEqual(0);
        }
      }
    }
    // Five sigmoid layers with standard init: the textbook case.
    expect(result.runs[0].diagnosis!.verdict).toBe('vanishing');
  });
});
