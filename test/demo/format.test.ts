// The visualizer's number formats: the epoch counter says what an epoch is and keeps only the decimals that move.
import { describe, expect, it } from 'vitest';
import { epochText } from '../../demo/src/format.js';

describe('epochText', () => {
  it('names the rows an epoch passes over, with 2, 1 or no decimals as the count grows', () => {
    expect(epochText(0.3, 280)).toBe('epoch 0.30 (passes over the 280 training rows)');
    expect(epochText(42.25, 280)).toBe('epoch 42.3 (passes over the 280 training rows)');
    expect(epochText(11188.04, 2800)).toBe('epoch 11,188 (passes over the 2,800 training rows)');
  });
});
