// The visualizer's stop reason: a DIVERGED step keeps the library's where and why, and instead of
// train() options the page has no control for (clipNorm, onNonFinite) it advises the page's own
// controls (no Learning rate for an optimiser that chooses its own steps); other errors are as given.
import { describe, expect, it } from 'vitest';
import { errorText, stopReason } from '../../demo/src/stop-reason.js';
import { createNetwork } from '../../src/api/network.js';
import { GradscopeError } from '../../src/errors.js';

async function divergence(): Promise<GradscopeError> {
  const net = await createNetwork({ sizes: [2, 3, 2], seed: 1 });
  try {
    net.train([[0, 1], [1, 0], [1, 1]], [[1, 0], [0, 1], [1, 0]], { learningRate: 1e30, epochs: 1 });
  } catch (error) {
    return error as GradscopeError;
  } finally {
    net.dispose();
  }
  throw new Error('train() did not diverge');
}

describe('visualizer stop reason', () => {
  it("advises the page's controls, not train() options, after a diverged step", async () => {
    const error = await divergence();
    expect(error.code).toBe('DIVERGED');
    expect(error.message).toMatch(/clipNorm/);
    const where = error.message.slice(0, error.message.indexOf('; the step was not applied'));
    const text = stopReason(error, 0.5);
    expect(text.startsWith(`DIVERGED: ${where}; the step was not applied, so the weights are the last good ones.`)).toBe(true);
    expect(text).toContain('a smaller Learning rate (now 0.5)');
    expect(text).not.toMatch(/clipNorm|onNonFinite|learningRate|'halve'|'skip'/);
    expect(stopReason(error, null)).not.toContain('Learning rate');
  });

  it('gives any other error as CODE: message', () => {
    const other = new GradscopeError('INVALID_OPTION', 'x is wrong');
    expect(stopReason(other, 0.5)).toBe('INVALID_OPTION: x is wrong');
    expect(errorText(other)).toBe('INVALID_OPTION: x is wrong');
    expect(stopReason(new Error('plain'), 0.5)).toBe('plain');
  });
});
