// A weight matrix given in Keras' layout, [inputs][units], is refused with a hint at the layout gradscope reads,
// [units][inputs] (PyTorch's nn.Linear), where it said only 'expected 64 rows (one per unit)' (newuser43 #10).
import { describe, expect, it } from 'vitest';
import { MODEL_FILE_TAG, modelFromJSON } from '../../src/network/model-file.js';

const fileWith = (weights: number[][]) => ({ format: MODEL_FILE_TAG, version: 1, loss: 'mse', layers: [{ inputs: 2, units: 3, activation: 'sigmoid', weights, biases: [0, 0, 0] }] });

describe('transposed weights in a model file', () => {
  it('are refused with the layout hint; a count that is merely wrong gets none', () => {
    const keras = [[1, 2, 3], [4, 5, 6]];
    expect(() => modelFromJSON(fileWith(keras))).toThrow(
      "layers[0].weights: expected 3 rows (one per unit), got 2 rows of 3: transposed? weights are [units][inputs], PyTorch's nn.Linear layout, not Keras' [inputs][units]",
    );
    expect(() => modelFromJSON(fileWith([[1, 2]]))).toThrow(/layers\[0\]\.weights: expected 3 rows \(one per unit\)$/);
  });
});
