// A saved trace may hold any number ≥ 0 a hand edit puts there: one of 1e-320 (subnormal) divided
// into the first-to-last ratios made them Infinity in float64, and diagnose() said 'is 1/Infinity of',
// 'learns Infinity× slower' and 'last ÷ first hidden layer: Infinity'. It now says the bound they lie
// beyond, as paceWords already did (shareText, multipleText: src/number-text.ts).
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { Trace, type TraceJSON } from '../../src/flow/trace.js';

/** A traced sigmoid run whose first hidden layer's `metric` reads `value` at every record. */
async function editedDiagnosis(metric: keyof TraceJSON['metrics'], value: number): Promise<string> {
  const net = await createNetwork({ sizes: [4, 8, 8, 8, 2], activation: 'sigmoid', seed: 1, backend: 'ref' });
  const x = Array.from({ length: 64 }, (_, i) => [i % 2, (i >> 1) % 2, (i >> 2) % 2, (i >> 3) % 2]);
  const y = x.map((r) => (r[0] ^ r[1] ? [1, 0] : [0, 1]));
  const { trace } = net.train(x, y, { epochs: 3, batchSize: 8, trace: { every: 2 } });
  const json = JSON.parse(JSON.stringify(trace.toJSON())) as TraceJSON;
  for (const record of json.metrics[metric]!) record[0] = value;
  const { summary, remedies } = diagnose(Trace.fromJSON(json));
  return [summary, ...remedies.map((r) => r.why)].join('\n');
}

describe('ratios past float64 in the diagnosis', () => {
  it.each([
    ['deltaRms', 1e-320, /δ at the first hidden layer is less than 1\/1e300 of the last hidden layer's/],
    ['biasGradNorm', 1e-320, /the first hidden layer learns more than 1e300× slower than the last/],
    ['activationStd', 1e-320, /activations' spread, last ÷ first hidden layer: more than 1e300;/],
    ['activationStd', 0, /activations' spread, last ÷ first hidden layer: more than 1e300;/],
  ] as const)('%s %s: says the bound, never Infinity', async (metric, value, said) => {
    const text = await editedDiagnosis(metric, value);
    expect(text).toMatch(said);
    expect(text).not.toMatch(/Infinity|NaN/);
  });
});
