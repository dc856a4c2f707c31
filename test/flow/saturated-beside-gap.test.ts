/**
 * Saturated units beside another verdict get their remedies after it, as dead units do
 * (alsoDeadUnits): the summary says "Also saturated units", so the remedies answer it. An exploding
 * gap comes before saturated units in the verdict's order, and a gap that closed during training
 * returned before any remedy of theirs: both offered none of them before.
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/flow/diagnose.js';
import { LAYER_METRIC_NAMES, type LayerMetric } from '../../src/flow/metrics.js';
import { Trace } from '../../src/flow/trace.js';

/**
 * A [4, 3, 3, 3, 2] tanh trace (SGD 0.1, Glorot's init) of 9 records: the first hidden layer's
 * per-example ‖δ‖ and ‖∂C/∂b‖ `gaps[r]` times the others', hidden layer 2's units 80 % saturated
 * in every record (from the first: its init or biases, not the steps), everything else neutral.
 */
function handTrace(gaps: number[]): Trace {
  const trace = new Trace({ sizes: [4, 3, 3, 3, 2], activations: ['tanh', 'tanh', 'tanh', 'softmax'], loss: 'cross-entropy', every: 1, run: { optimizer: 'sgd', learningRate: 0.1, init: 'glorot-uniform' } });
  gaps.forEach((g, i) => {
    const r = trace.beginRecord(i + 1, 1, 0.5);
    const neutral: Partial<Record<LayerMetric, number>> = { weightGradNorm: 1, weightNorm: 1, updateRatio: 1e-3, saturatedFraction: 0, activationStd: 1 };
    for (let l = 0; l < 4; l++) {
      for (const name of LAYER_METRIC_NAMES) trace.set(name, r, l, neutral[name] ?? NaN);
      trace.set('deltaRms', r, l, l === 0 ? g : 1);
      trace.set('biasGradNorm', r, l, l === 0 ? g : 1);
    }
    trace.set('saturatedFraction', r, 1, 0.8);
  });
  return trace;
}

const options = (d: ReturnType<typeof diagnose>) => d.remedies.map((r) => r.option);
const SATURATION = ["activation: 'relu'", "layers: { type: 'dense', units }, { type: 'batch-norm' }, { type: 'activation', activation: 'tanh' } for each hidden layer (or layers: { type: 'dense', units }, { type: 'layer-norm' }, { type: 'activation', activation: 'tanh' } for each hidden layer)"];

describe('saturated units beside another verdict', () => {
  it('beside an exploding gap that held: the gap\'s remedies, then the saturated units\'', () => {
    const d = diagnose(handTrace(Array(9).fill(8)));
    expect([d.verdict, d.evidence.saturatedLayers]).toEqual(['exploding', [1]]);
    expect(d.summary).toContain('Also saturated units: ');
    const said = options(d);
    expect(said).toContain('clipNorm: 1');
    for (const option of SATURATION) expect(said.some((o) => o.startsWith(option)), `${option} in ${said.join(' | ')}`).toBe(true);
    // The gap's come first.
    expect(said.indexOf('clipNorm: 1')).toBeLessThan(said.findIndex((o) => o.startsWith(SATURATION[0])));
  });

  it('beside an exploding gap that closed during training: no remedy for the gap, the saturated units\' still', () => {
    const d = diagnose(handTrace([8, 1, 1, 1, 1, 1, 1, 1, 1]));
    expect([d.verdict, d.evidence.saturatedLayers]).toEqual(['exploding', [1]]);
    expect(d.summary).toContain('closed during training');
    const said = options(d);
    expect(said).not.toContain('clipNorm: 1');
    for (const option of SATURATION) expect(said.some((o) => o.startsWith(option)), `${option} in ${said.join(' | ')}`).toBe(true);
  });
});
