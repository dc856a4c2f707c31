/**
 * "A fifth of the run" is one constant, RUN_FIFTHS: the two windows trainingProgress() compares (of
 * epochs, of records), the records the first step's noise is read from, a short run (each window
 * one epoch) and the runs whose windows read the epochs' noise, which the summary names.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/flow/diagnose.js';
import { LAYER_METRIC_NAMES } from '../../src/flow/metrics.js';
import { NOISE_WINDOW_MIN, PROGRESS_WINDOW_MIN, RUN_FIFTHS, SHORT_RUN_EPOCHS } from '../../src/flow/training-progress.js';
import { Trace, type TraceJSON } from '../../src/flow/trace.js';

const fixture = (): TraceJSON => JSON.parse(readFileSync(new URL('./fixtures/study-model-new-low.json', import.meta.url), 'utf8'));

/** The new user's 10-epoch run (test/flow/new-low), every layer even: `epochs` epochs of it kept, or its records alone (no epochs). */
function traceOf(keep: 'epochs' | 'records'): Trace {
  const f = fixture();
  const base = new Trace({ sizes: f.sizes, activations: f.activations, loss: f.loss, every: f.every, run: f.run }).toJSON();
  const even: Record<string, number | null> = { weightGradNorm: 1, biasGradNorm: 1, weightNorm: 1, deltaRms: 1, updateRatio: 1e-3 };
  const metrics = Object.fromEntries(LAYER_METRIC_NAMES.map((name) => [name, f.steps.map(() => Array.from({ length: f.sizes.length - 1 }, () => even[name] ?? null))]));
  return Trace.fromJSON({ ...base, steps: f.steps, losses: f.losses, accuracy: f.accuracy, epochs: keep === 'epochs' ? f.epochs : [], metrics } as TraceJSON);
}

describe('a fifth of the run is RUN_FIFTHS', () => {
  it('windows of epochs and of records are a fifth of the run; a short run has fewer epochs than RUN_FIFTHS', () => {
    const epochs = diagnose(traceOf('epochs')).evidence.training!;
    expect([epochs.read, epochs.epochs, epochs.window]).toEqual(['epochs', 10, Math.floor(10 / RUN_FIFTHS)]);
    const records = traceOf('records');
    const batches = diagnose(records).evidence.training!;
    expect([batches.read, batches.window]).toEqual(['batches', Math.max(PROGRESS_WINDOW_MIN, Math.floor(records.length / RUN_FIFTHS))]);
    expect(SHORT_RUN_EPOCHS).toBe(RUN_FIFTHS);
  });

  it("the summary names the runs whose windows read the epochs' noise: RUN_FIFTHS × NOISE_WINDOW_MIN epochs", () => {
    expect(diagnose(traceOf('epochs')).summary).toContain(`that takes ${NOISE_WINDOW_MIN} epochs a window: runs of ${RUN_FIFTHS * NOISE_WINDOW_MIN} epochs or more`);
  });
});
