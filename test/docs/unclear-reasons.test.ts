// docs/gradient-flow.md says why a run whose last window's mean rose while its last epoch is the run's lowest (TrainingProgress.newLow)
// reads 'learning' or 'unclear' beside no held-out rise: what trainingProgress() checks (the fall 'learning' asks, STILL_FALLING beyond
// the noise or a steady pace down; a plateau not read beside windows that rose), each reason taken here on a run that meets it. It said
// 'where they neither fell 5 % nor could rise, unclear', a reason the code does not check: such windows did rise.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/flow/diagnose.js';
import { LAYER_METRIC_NAMES } from '../../src/flow/metrics.js';
import { STILL_FALLING } from '../../src/flow/training-progress.js';
import { Trace, type TraceJSON } from '../../src/flow/trace.js';

const DOC = readFileSync(new URL('../../docs/gradient-flow.md', import.meta.url), 'utf8');
/** The doc's text with its line breaks as spaces: a sentence may wrap anywhere. */
const flat = DOC.replace(/\s*\n\s*/g, ' ');
const fixture = (): TraceJSON => JSON.parse(readFileSync(new URL('../flow/fixtures/study-model-new-low.json', import.meta.url), 'utf8'));

/** The new user's 10-epoch run (test/flow/new-low) validated on its training rows, each epoch's loss on them `losses`, the flow even. */
function progressOf(losses: number[]) {
  const f = fixture();
  const epochs = f.epochs!.map(({ training, ...e }, i) => ({ ...e, validation: { loss: losses[i], accuracy: training!.accuracy } }));
  const base = new Trace({ sizes: f.sizes, activations: f.activations, loss: f.loss, every: f.every, run: { ...f.run, validation: 'training rows' } }).toJSON();
  const even: Record<string, number> = { weightGradNorm: 1, biasGradNorm: 1, weightNorm: 1, deltaRms: 1, updateRatio: 1e-3 };
  const metrics = Object.fromEntries(LAYER_METRIC_NAMES.map((name) => [name, f.steps.map(() => Array.from({ length: f.sizes.length - 1 }, () => even[name] ?? null))]));
  return diagnose(Trace.fromJSON({ ...base, steps: f.steps, losses: f.losses, accuracy: f.accuracy, epochs, metrics } as TraceJSON)).evidence.training!;
}

// Epochs 1–8 fall to 0.1 (epoch 6), jump to 0.2, and the 10th is the run's lowest (0.095): the last window's mean (epochs 9–10) lies above 0.1.
const EARLY = [0.3, 0.25, 0.2, 0.15, 0.12, 0.1, 0.2, 0.2];

describe("docs/gradient-flow.md: a last epoch at the run's lowest beside windows that rose", () => {
  const fifth = `${Math.round(100 * STILL_FALLING)} %`;

  it('says what the code checks: learning where the windows fell as far as learning asks, unclear where they fell less, no plateau beside windows that rose', () => {
    expect(flat).toContain(
      `Where no held-out loss rose, such a run is **learning** where its windows' means fell as far as still learning asks (${fifth} and beyond their noise, or at a steady pace down), ` +
        `and **unclear** where they fell less: the windows rose, so no plateau is read either.`,
    );
    expect(flat).toContain(`and it fell from the window before less than still learning asks (${fifth} and beyond its noise, or a steady pace down)`);
    expect(flat).not.toContain('nor could rise');
  });

  it(`windows that fell ${Math.round(100 * STILL_FALLING)} % or more: learning`, () => {
    const p = progressOf([...EARLY, 0.2, 0.095]);
    expect(p.newLow).toEqual({ epoch: 9, loss: 0.095 });
    expect(p.lossEnd).toBeGreaterThan((1 + STILL_FALLING) * p.lowest!.loss);
    expect(1 - p.lossEnd / p.lossBefore).toBeGreaterThanOrEqual(STILL_FALLING);
    expect(p.state).toBe('learning');
  });

  it('windows that fell less (1 %), no steady pace down, no noise read: unclear, not a plateau', () => {
    const p = progressOf([...EARLY, 0.3, 0.095]);
    expect(p.newLow).toEqual({ epoch: 9, loss: 0.095 });
    expect(p.lossEnd).toBeGreaterThan((1 + STILL_FALLING) * p.lowest!.loss);
    expect(1 - p.lossEnd / p.lossBefore).toBeLessThan(STILL_FALLING);
    expect([p.noise, p.pace?.steady]).toEqual([0, false]);
    expect(p.state).toBe('unclear');
  });
});
