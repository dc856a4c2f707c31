/**
 * One column of class indices given to a softmax + cross-entropy network (PyTorch's nn.CrossEntropyLoss takes them so) gets the
 * CLI's words (oneHotWords, src/training/target-rules.ts: one source) from every API call that reads targets: train, evaluate,
 * gradients, a Dataset (createDataset knows no network: the call that uses it says so) and measureCurvature. Interop47's
 * "left alone" 7: the API said a bare SHAPE_MISMATCH where the CLI said what to pass.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { createDataset } from '../../src/api/dataset.js';
import { measureCurvature } from '../../src/curvature/curvature.js';
import { GradscopeError } from '../../src/errors.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';

const x = [Float32Array.of(0.1, 0.2), Float32Array.of(-0.3, 0.4), Float32Array.of(0.5, -0.6)];
const ONE_HOT = '; a softmax output with cross-entropy takes one-hot targets, one column per class (3 here: class 2 is [0, 0, 1])';
const INDICES = `${ONE_HOT}; its one column of whole numbers from 0 to 2 reads as class indices (nn.CrossEntropyLoss's targets): write each as its one-hot row`;

/** The SHAPE_MISMATCH message of `call`, or fails. */
function refusal(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(GradscopeError);
    expect((error as GradscopeError).code).toBe('SHAPE_MISMATCH');
    return (error as Error).message;
  }
  throw new Error('expected SHAPE_MISMATCH');
}

describe('class indices given as targets', () => {
  it('train, evaluate, gradients and measureCurvature say what to pass, nothing changed', async () => {
    const net = await createNetwork({ sizes: [2, 4, 3], output: 'softmax', loss: 'cross-entropy', seed: 1 });
    const before = net.state();
    for (const y of [[[0], [2], [1]], [Float32Array.of(0), Float32Array.of(2), Float32Array.of(1)], { data: [0, 2, 1], rows: 3, cols: 1 }]) {
      expect(refusal(() => net.train(x, y, { epochs: 1 }))).toMatch(new RegExp(`^targets: (row 0 has 1 value|has 1 column), expected 3${escape(INDICES)}$`));
      expect(refusal(() => net.evaluate(x, y))).toMatch(new RegExp(`${escape(INDICES)}$`));
      expect(refusal(() => net.gradients(x, y))).toMatch(new RegExp(`${escape(INDICES)}$`));
      expect(refusal(() => measureCurvature(net, x, y))).toMatch(new RegExp(`${escape(INDICES)}$`));
    }
    // docs/api.md quotes it.
    expect(refusal(() => net.train(x, [[0], [2], [1]], { epochs: 1 }))).toMatch(quotePattern(codeQuoteOn('docs/api.md', '…; a softmax output with cross-entropy takes one-hot targets')));
    // Not class indices (a class too high, negative, fractional): the one-hot words alone.
    for (const column of [[0, 3, 1], [0, -1, 1], [0, 0.5, 1]]) {
      expect(refusal(() => net.train(x, column.map((v) => [v]), { epochs: 1 }))).toBe(`targets: row 0 has 1 value, expected 3${ONE_HOT}`);
    }
    expect(net.state()).toEqual(before);
  });

  it('a Dataset of one target column: the call that uses it says so', async () => {
    const net = await createNetwork({ sizes: [2, 4, 3], output: 'softmax', loss: 'cross-entropy', seed: 1 });
    const data = await createDataset(x, [[0], [2], [1]], { backend: net.kernels });
    expect(refusal(() => net.train(data, { epochs: 1 }))).toBe(`dataset: rows of 2 inputs and 1 target, but the network takes 2 and gives 3${INDICES}`);
    expect(refusal(() => net.evaluate(data))).toMatch(new RegExp(`${escape(INDICES)}$`));
    data.dispose();
  });

  it('says nothing of one-hot rows where the network does not take them', async () => {
    const mse = await createNetwork({ sizes: [2, 4, 3], output: 'sigmoid', loss: 'mse' });
    expect(refusal(() => mse.train(x, [[0], [2], [1]], { epochs: 1 }))).toBe('targets: row 0 has 1 value, expected 3');
    const softmax = await createNetwork({ sizes: [2, 4, 3], output: 'softmax', loss: 'cross-entropy' });
    // Two columns: not one column of indices.
    expect(refusal(() => softmax.train(x, [[0, 1], [1, 0], [0, 1]], { epochs: 1 }))).toBe('targets: row 0 has 2 values, expected 3');
    // Inputs amiss first: named alone.
    expect(refusal(() => softmax.train([[1], [2], [3]], [[0], [2], [1]], { epochs: 1 }))).toBe('inputs: row 0 has 1 value, expected 2');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
