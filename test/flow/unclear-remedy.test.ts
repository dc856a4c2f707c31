/**
 * A run whose epochs cannot tell where it stands (state 'unclear') ends its summary 'more epochs would
 * tell': the remedy names how many, as the terminal and the report print it. Where its windows were
 * too short to read the epochs' noise (fewer than NOISE_WINDOW_MIN epochs each), the fewest whose
 * windows of a fifth read it (RUN_FIFTHS × NOISE_WINDOW_MIN); it offered none before.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnosisText } from '../../src/cli/trace-table.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { LAYER_METRIC_NAMES } from '../../src/flow/metrics.js';
import { API_REMEDY_TERMS } from '../../src/flow/remedy.js';
import { codeHtml, renderReport } from '../../src/flow/report-html.js';
import { NOISE_WINDOW_MIN, RUN_FIFTHS } from '../../src/flow/training-progress.js';
import { Trace, type TraceJSON } from '../../src/flow/trace.js';
import { flat } from '../util/printed-text.js';

const fixture = (): TraceJSON => JSON.parse(readFileSync(new URL('./fixtures/study-model-new-low.json', import.meta.url), 'utf8'));

/** The new user's 10-epoch run (test/flow/new-low), the flow even; validated on its training rows with each epoch's loss on them `losses`, or as it was (held out). */
function traceOf(losses?: number[]): Trace {
  const f = fixture();
  const epochs = losses ? f.epochs!.map(({ training, ...e }, i) => ({ ...e, validation: { loss: losses[i], accuracy: training!.accuracy } })) : f.epochs;
  const run = losses ? { ...f.run, validation: 'training rows' as const } : f.run;
  const base = new Trace({ sizes: f.sizes, activations: f.activations, loss: f.loss, every: f.every, run }).toJSON();
  const even: Record<string, number> = { weightGradNorm: 1, biasGradNorm: 1, weightNorm: 1, deltaRms: 1, updateRatio: 1e-3 };
  const metrics = Object.fromEntries(LAYER_METRIC_NAMES.map((name) => [name, f.steps.map(() => Array.from({ length: f.sizes.length - 1 }, () => even[name] ?? null))]));
  return Trace.fromJSON({ ...base, steps: f.steps, losses: f.losses, accuracy: f.accuracy, epochs, metrics } as TraceJSON);
}

const TELLING = RUN_FIFTHS * NOISE_WINDOW_MIN;
const WHY = `windows of 2 epochs are too short to read how far the loss varies from epoch to epoch, so its epochs cannot tell where the run stands: a run of ${TELLING} epochs compares windows of ${NOISE_WINDOW_MIN} epochs, which read it (${TELLING - 10} epochs more than this run's 10).`;

describe("an unclear run is offered the epochs that would tell", () => {
  it('windows that rose beside a last epoch at the run\'s lowest, 10 epochs: 25 epochs, printed by the terminal and the report', async () => {
    // Epochs 1–8 fall to 0.1, jump to 0.2, 0.2, 0.3; the 10th is the run's lowest (0.095): the windows fell 1 %, less than learning asks.
    const trace = traceOf([0.3, 0.25, 0.2, 0.15, 0.12, 0.1, 0.2, 0.2, 0.3, 0.095]);
    const d = diagnose(trace);
    expect([d.verdict, d.evidence.training!.state]).toEqual(['healthy', 'unclear']);
    expect(d.summary).toMatch(/more epochs would tell\.$/);
    expect(d.remedies).toEqual([{ option: `epochs: ${TELLING}`, settings: [{ option: 'epochs', value: `${TELLING}`, flagValue: `${TELLING}`, setting: TELLING }], why: WHY, readFrom: 'losses' }]);
    expect(flat(diagnosisText(d, API_REMEDY_TERMS))).toContain(`epochs: ${TELLING}`);
    const html = await renderReport({ runs: [{ label: 'unclear', trace, diagnosis: d }] });
    expect(html).toContain(codeHtml(`epochs: ${TELLING}`));
    expect(flat(html)).toContain('which read it (15 epochs more than this run');
  });

  it("the new user's run (a held-out loss that rose beside it): neither overfitting nor an unstable end read, and the same 25 epochs, no epoch to stop at", () => {
    const d = diagnose(traceOf());
    expect([d.evidence.training!.state, d.evidence.training!.heldOutRose]).toEqual(['unclear', true]);
    expect(d.remedies.map((r) => r.option)).toEqual([`epochs: ${TELLING}`]);
  });
});
