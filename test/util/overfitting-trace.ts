import { readFileSync } from 'node:fs';
import { LAYER_METRIC_NAMES } from '../../src/flow/metrics.js';
import { Trace, type TraceJSON } from '../../src/flow/trace.js';

/**
 * The new user's study --model run (test/flow/fixtures/study-model-new-low.json, test/flow/new-low's fixture), its training subset's
 * loss falling in every epoch from the fifth: overfitting, its held-out loss lowest after 1 epoch (0.1675); every layer's metrics even.
 */
export function overfittingTrace(): Trace {
  const f: TraceJSON = JSON.parse(readFileSync(new URL('../flow/fixtures/study-model-new-low.json', import.meta.url), 'utf8'));
  const epochs = f.epochs!.map((e, i) => (i >= 4 ? { ...e, training: { ...e.training!, loss: 0.0387 * 0.8 ** (i - 3) } } : e));
  const base = new Trace({ sizes: f.sizes, activations: f.activations, loss: f.loss, every: f.every, run: f.run }).toJSON();
  const even: Record<string, number> = { weightGradNorm: 1, biasGradNorm: 1, weightNorm: 1, deltaRms: 1, updateRatio: 1e-3 };
  const metrics = Object.fromEntries(LAYER_METRIC_NAMES.map((name) => [name, f.steps.map(() => Array.from({ length: f.sizes.length - 1 }, () => even[name] ?? null))]));
  return Trace.fromJSON({ ...base, steps: f.steps, losses: f.losses, accuracy: f.accuracy, epochs, metrics } as TraceJSON);
}
