// predict and layerOutputs refuse an empty batch as evaluate, gradients and train do, and as
// docs/api.md's and docs/reliability.md's error tables say (SHAPE_MISMATCH, "no rows"): they
// answered [] and zero rows (newuser28), so rows emptied by a slip went on unsaid.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { expectError } from '../util/expect-error.js';

const flat = (doc: string) => readFileSync(new URL(`../../docs/${doc}`, import.meta.url), 'utf8').replace(/\s*\n\s*/g, ' ');

describe('no rows', async () => {
  const net = await createNetwork({ sizes: [2, 3, 1], output: 'sigmoid', loss: 'binary-cross-entropy', seed: 1 });
  const none = [[], { data: new Float32Array(0), rows: 0, cols: 2 }];

  it('predict, in either form, and layerOutputs refuse them (SHAPE_MISMATCH), the network unchanged', async () => {
    const weights = JSON.stringify(net.toJSON());
    for (const x of none) {
      await expectError(() => net.predict(x), 'SHAPE_MISMATCH', /^inputs: no rows: give predict at least one row$/);
      await expectError(() => net.predict(x, { flat: true }), 'SHAPE_MISMATCH', /^inputs: no rows: give predict at least one row$/);
      await expectError(() => net.layerOutputs(x), 'SHAPE_MISMATCH', /^inputs: no rows: give layerOutputs at least one row$/);
    }
    expect(JSON.stringify(net.toJSON())).toBe(weights);
    expect(net.predict([[1, 2]])).toHaveLength(1);
  });

  it('as evaluate, gradients and train do', async () => {
    for (const call of [() => net.evaluate([], []), () => net.gradients([], []), () => net.train([], [])]) await expectError(call, 'SHAPE_MISMATCH', /no rows/);
  });

  it('as the docs say', () => {
    expect(flat('api.md')).toContain('| `SHAPE_MISMATCH` | rows of the wrong width for the network, x and y of different row counts, no rows,');
    expect(flat('reliability.md')).toContain('| `SHAPE_MISMATCH` | rows of the wrong length, inputs/targets that do not pair, no rows,');
  });
});
