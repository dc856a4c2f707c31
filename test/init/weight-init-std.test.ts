// weightInitStd, the scale diagnose() compares a run's weights with, against the RMS of the weights
// each named initialiser actually draws (wide and tall layers, so fan-in and fan-out both matter).
import { describe, expect, it } from 'vitest';
import { initWeights, weightInitStd, WEIGHT_INITS } from '../../src/init/initializers.js';
import { Rng } from '../../src/init/rng.js';

const rms = (w: Float64Array) => Math.sqrt(w.reduce((sum, v) => sum + v * v, 0) / w.length);

describe('weightInitStd', () => {
  for (const [nIn, nOut] of [[300, 100], [100, 300]]) {
    it.each(WEIGHT_INITS)(`is the RMS of the weights %s draws for a ${nIn} → ${nOut} layer (within 2 %)`, (init) => {
      const drawn = rms(initWeights(init, nIn, nOut, new Rng(7)));
      expect(Math.abs(drawn / weightInitStd(init, nIn, nOut) - 1)).toBeLessThan(0.02);
    });
  }
  it('puts the default U[±1/√n] below Glorot for a 784 → 30 layer (0.021 vs 0.050)', () => {
    expect(weightInitStd('standard', 784, 30)).toBeCloseTo(0.0206, 4);
    expect(weightInitStd('glorot-uniform', 784, 30)).toBeCloseTo(0.0496, 4);
  });
});
