// A rate the core holds as float32 is printed as float32Text (src/number-text.ts), the shortest text
// that reads back to the value held: a learningRate of 0.1 + 0.2 was echoed '0.30000000000000004' by
// the advice on a diverged step, the worse-than-start warning and SGD's step-size refusal.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { worseWarning } from '../../src/cli/worse-warning.js';
import { createOptimizer } from '../../src/optim/index.js';
import { API_TERMS, learningRateAdvice } from '../../src/training/advice.js';
import { expectError } from '../util/expect-error.js';

const computed = 0.1 + 0.2;

describe('rates in advice and refusals, as float32 holds them', () => {
  it('learningRateAdvice and the worse-than-start warning say below 0.3', () => {
    expect(computed).toBe(0.30000000000000004);
    expect(learningRateAdvice(computed, API_TERMS)).toMatch(/^try a learningRate below 0\.3, clipNorm, /);
    const warning = worseWarning({ checked: 'test', initial: { loss: 2.3, accuracy: 0.113 }, final: { loss: 9, accuracy: 0.098 }, trained: { halvings: 0, learningRate: computed }, optimizer: 'sgd', diagnosis: "the run's diagnosis says what holds it" });
    expect(warning).toMatch(/try a --learning-rate below 0\.3\.$/);
    // Small and large rates in the library's exponent form, read back to the same float32.
    expect(learningRateAdvice(0.001, API_TERMS)).toMatch(/below 1e-3,/);
    expect(learningRateAdvice(1e9, API_TERMS)).toMatch(/below 1e\+9,/);
  });

  it("SGD's step-size refusal names the rates as held", async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], seed: 1, backend: 'ref' });
    // 0.3 × 2e-38 = 6e-39, below float32's smallest normal number.
    await expectError(() => createOptimizer(net, { name: 'sgd', learningRate: computed, layerRates: [1, 2e-38] }), 'INVALID_OPTION', /^sgd: layer 1's step size, learning rate 0\.3 × layerRates\[1\] 2e-38: 6e-39 is subnormal/);
  });
});

describe('givenFloat32Text', () => {
  it("is the shorter of the caller's form and float32Text, the caller's on a tie, each the float32 held", async () => {
    const { givenFloat32Text } = await import('../../src/number-text.js');
    const cases: [number, string][] = [[computed, '0.3'], [100, '100'], [40, '40'], [3000, '3000'], [0.001, '1e-3'], [1e9, '1e+9'], [1e20, '1e+20'], [0.1, '0.1'], [2e-38, '2e-38']];
    for (const [value, text] of cases) {
      expect(givenFloat32Text(value), String(value)).toBe(text);
      expect(Math.fround(Number(text))).toBe(Math.fround(value));
    }
  });
});
