/**
 * A loss read from the batches (a trace of fewer than two epochs) changes only beyond its batches'
 * noise, and that noise is read so that a jump of a few noisy batches between the two windows is not
 * taken for their trend. Seen in npm start (2026-12-02): study (b)'s tanh + glorot-uniform, the
 * table's lowest test error (9.3 %), read 'loss-rising' (551 % above the window before) from 20
 * records of one batch of 10 each, scattered 0.05–1.34 from the second on, and was offered a smaller
 * learning rate.
 */
import { describe, expect, it } from 'vitest';
import { runActivationStudy } from '../../src/studies/activations.js';
import { STILL_FALLING, trainingProgress } from '../../src/flow/training-progress.js';
import { Trace } from '../../src/flow/trace.js';
import { diagnose } from '../../src/flow/diagnose.js';

describe('the noise of a loss read from its batches', () => {
  it("study (b)'s tanh + glorot-uniform, one epoch in batches of 10 (npm start's run): its batch losses vary more than their windows differ, unclear, not rising", async () => {
    const { runs } = await runActivationStudy({ epochs: 1, activations: ['tanh'], inits: ['glorot-uniform'] });
    const [run] = runs;
    const p = run.diagnosis!.evidence.training!;
    expect([p.read, p.window]).toEqual(['batches', 4]);
    // The windows' medians differ (0.161 → 0.683 since study (b) records its last step, 0f7b30ad: 21 records; 0.101 → 0.656 of
    // 20 before), and the noise hides that.
    expect(p.lossEnd / p.lossBefore - 1).toBeGreaterThan(3);
    expect(p.noise).toBeGreaterThan(p.lossEnd / p.lossBefore - 1);
    expect(p.noise).toBeCloseTo(4.42, 2); // the bends' reading, as training-progress.ts quotes it (442 %; 843 % of the 20 records)
    expect(p.state).toBe('unclear');
    expect(run.diagnosis!.verdict).not.toBe('loss-rising');
    expect(run.testError).toBeLessThan(0.1);
  }, 120_000);

  it('from a window whose median loss is 0, reads a rise in the loss\'s units: within the batches\' noise unclear, beyond it rising', () => {
    const record = (losses: number[]) => {
      const trace = new Trace({ sizes: [4, 3, 2], activations: ['tanh', 'softmax'], loss: 'cross-entropy', every: 10, run: { optimizer: 'sgd', learningRate: 0.1 } });
      losses.forEach((loss, i) => trace.beginRecord(1 + 10 * i, loss, 0.5));
      return trainingProgress(trace)!;
    };
    const start = [2.3, 0.4, 0.2, 0.1, 0.05, 0.3, 0, 0, 0, 0.3, 0, 0.3];
    // Windows of 4: 0 0.3 0 0 (median 0), then 0.3 0 0.001 0.3 (median 0.15), batches scattered 0–0.3.
    const within = record([...start, 0, 0.3, 0, 0, 0.3, 0, 0.001, 0.3]);
    expect([within.window, within.lossBefore]).toEqual([4, 0]);
    expect(within.lossEnd).toBeLessThan(within.lossNoise.rise);
    expect(within.state).toBe('unclear');
    // The same before, then a level of 2: far beyond that noise.
    const beyond = record([...start, 0, 0.3, 0, 0, 2, 2, 2.01, 2]);
    expect(beyond.lossEnd).toBeGreaterThan(beyond.lossNoise.rise);
    expect(beyond.state).toBe('rising');
  });

  it('an unclear reading asks for a smaller trace interval only where the trace has one to make smaller', () => {
    const losses = [2.3, 0.4, 0.2, 0.1, 0.05, 0.3, 0, 0, 0, 0.3, 0, 0.3, 0, 0.3, 0, 0, 0.3, 0, 0.001, 0.3];
    const summary = (every: number) => {
      const trace = new Trace({ sizes: [4, 3, 2], activations: ['tanh', 'softmax'], loss: 'cross-entropy', every, run: { optimizer: 'sgd', learningRate: 0.1 } });
      losses.forEach((loss, i) => trace.beginRecord(1 + every * i, loss, 0.5));
      const d = diagnose(trace);
      expect(d.evidence.training!.state).toBe('unclear');
      return d.summary;
    };
    expect(summary(10)).toContain('more records (a smaller trace interval, or more steps) would tell.');
    // Every step traced (a CLI run's default --every 1): it printed 'a smaller trace interval' beside an interval of 1.
    expect(summary(1)).toContain('more records (more steps: the trace records every step already) would tell.');
    expect(summary(1)).not.toContain('trace interval');
  });

  it('still reads a rise that stands clear of the batches\' noise, and a steady fall as no noise', () => {
    const record = (losses: number[]) => {
      const trace = new Trace({ sizes: [4, 3, 2], activations: ['tanh', 'softmax'], loss: 'cross-entropy', every: 10, run: { optimizer: 'sgd', learningRate: 0.1 } });
      losses.forEach((loss, i) => trace.beginRecord(1 + 10 * i, loss, 0.5));
      return trainingProgress(trace)!;
    };
    // A level of 0.30 ± 0.01, then 0.60 ± 0.01: a rise of about 100 %, in windows of 2 (10 records: no bends inside a window) and of 4 (20 records).
    const risen = record([2.3, 0.3, 0.31, 0.29, 0.3, 0.31, 0.29, 0.3, 0.6, 0.61]);
    expect([risen.window, risen.state]).toEqual([2, 'rising']);
    const level = Array.from({ length: 15 }, (_, i) => (i % 2 === 0 ? 0.3 : 0.31));
    const risenLater = record([2.3, ...level, 0.6, 0.61, 0.6, 0.61]);
    expect([risenLater.window, risenLater.state]).toEqual([4, 'rising']);
    // A steady fall, 0.05 a record: no noise at all, and a fall beyond STILL_FALLING.
    const falling = record([2.3, 1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6]);
    expect(falling.noise).toBeLessThan(1e-9);
    expect(falling.state).toBe('learning');
    expect(1 - falling.lossEnd / falling.lossBefore).toBeGreaterThan(STILL_FALLING);
  });
});
