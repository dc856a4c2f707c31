import { readFileSync } from 'node:fs';
import { LAYER_METRIC_NAMES } from '../../src/flow/metrics.js';
import { Trace, type TraceJSON } from '../../src/flow/trace.js';

/** A fixture: a traced run's records and epochs (as TraceJSON holds them), without its layer metrics. */
export type LossFixture = Pick<TraceJSON, 'sizes' | 'activations' | 'loss' | 'every' | 'run' | 'steps' | 'losses' | 'accuracy' | 'epochs'>;

/** test/flow/fixtures/<name>.json, a real run's records and epochs. */
export const lossFixture = (name: string): LossFixture => JSON.parse(readFileSync(new URL(`../flow/fixtures/${name}.json`, import.meta.url), 'utf8'));

/** Even values where diagnose reads the gradient flow (every layer's δ and gradients alike: no gap), none elsewhere: what these tests judge is the loss. */
const EVEN: Partial<Record<string, number>> = { weightGradNorm: 1, biasGradNorm: 1, weightNorm: 1, deltaRms: 1, updateRatio: 1e-3 };

/** The fixture as a Trace whose every layer reads EVEN. */
export function lossTrace(f: LossFixture): Trace {
  const base = new Trace({ sizes: f.sizes, activations: f.activations, loss: f.loss, every: f.every, run: f.run }).toJSON();
  const layers = f.sizes.length - 1;
  const metrics = Object.fromEntries(LAYER_METRIC_NAMES.map((name) => [name, f.steps.map(() => Array.from({ length: layers }, () => EVEN[name] ?? null))]));
  return Trace.fromJSON({ ...base, steps: f.steps, losses: f.losses, accuracy: f.accuracy, epochs: f.epochs, metrics } as TraceJSON);
}
