/**
 * Annealed gradient noise (src/optim/annealed-gradient-noise.ts): the variance η/(1 + t)^γ measured on
 * many draws, zero mean, the same draw on every backend for one seed, η = 0 leaving gradients
 * bit for bit, and bad options refused.
 */
import { describe, expect, it } from 'vitest';
import { AnnealedGradientNoise, GRADIENT_NOISE_GAMMA, gradientNoiseVariance } from '../../src/optim/annealed-gradient-noise.js';
import type { Kernels, Tensor } from '../../src/kernels.js';
import { kernelBackends, tensorOf } from '../util/backends.js';
import { expectClose } from '../util/close.js';
import { expectError } from '../util/expect-error.js';

const backends = await kernelBackends();
const LENGTHS = [70_001, 30_000, 5];

/** Gradients holding `start`, noised once at `step`; returns what was added to each. */
function noiseAt<T extends Tensor>(k: Kernels<T>, step: number, options: { eta: number; gamma?: number; seed?: number }, start = 0.5): Float64Array[] {
  const grads = LENGTHS.map((n) => tensorOf(k, new Float64Array(n).fill(start)) as T);
  const noise = new AnnealedGradientNoise(k, grads, options);
  noise.add(step);
  const added = grads.map((g) => Float64Array.from(k.view(g), (v) => v - start));
  noise.dispose();
  grads.forEach((g) => k.free(g));
  return added;
}

const moments = (values: Float64Array[]) => {
  const all = values.flatMap((v) => Array.from(v));
  const mean = all.reduce((s, v) => s + v, 0) / all.length;
  return { mean, variance: all.reduce((s, v) => s + (v - mean) ** 2, 0) / all.length, count: all.length };
};

describe.each(backends)('gradient noise on $name', ({ kernels: k }) => {
  it.each([0, 1, 99])('adds noise of variance η/(1 + t)^γ and mean 0 at step %i', (step) => {
    const { mean, variance, count } = moments(noiseAt(k, step, { eta: 0.3, seed: 5 + step }));
    const want = gradientNoiseVariance(0.3, GRADIENT_NOISE_GAMMA, step);
    // The sample variance of 100,006 normal draws is within 5·√(2/n) ≈ 2.2 % of σ² (5 standard errors).
    expect(Math.abs(variance / want - 1), `variance ${variance} against ${want}`).toBeLessThan(5 * Math.sqrt(2 / count));
    expect(Math.abs(mean), 'mean').toBeLessThan(5 * Math.sqrt(want / count));
  });

  it('decays as (1 + t)^-γ: γ = 0.55 by default, and any other γ', () => {
    expect(gradientNoiseVariance(1, GRADIENT_NOISE_GAMMA, 0)).toBe(1);
    expectClose([gradientNoiseVariance(1, 0.55, 99)], [100 ** -0.55], { rel: 1e-15 }, 'γ = 0.55 at t = 99');
    const late = moments(noiseAt(k, 999, { eta: 1, gamma: 1, seed: 2 })).variance;
    expect(Math.abs(late / 1e-3 - 1)).toBeLessThan(0.03);
  });

  it('leaves gradients bit for bit with η = 0', () => {
    for (const added of noiseAt(k, 0, { eta: 0 })) expect(added.every((v) => v === 0)).toBe(true);
  });

  it('refuses bad options and steps', async () => {
    await expectError(() => noiseAt(k, 0, { eta: -1 }), 'INVALID_OPTION', /gradientNoise\.eta: expected a finite number ≥ 0, got -1/);
    await expectError(() => noiseAt(k, 0, { eta: NaN }), 'INVALID_OPTION', /gradientNoise\.eta/);
    await expectError(() => noiseAt(k, 0, { eta: 1, gamma: -0.5 }), 'INVALID_OPTION', /gradientNoise\.gamma/);
    await expectError(() => noiseAt(k, -1, { eta: 1 }), 'INVALID_OPTION', /step must be a whole number ≥ 0, got -1/);
  });
});

describe('gradient noise across backends', () => {
  it('adds the same draw everywhere for one seed (to f32 rounding), and another for another seed', () => {
    const [first, ...others] = backends.map(({ kernels: k }) => noiseAt(k, 3, { eta: 1, seed: 9 }));
    for (const other of others) other.forEach((added, i) => expectClose(added, first[i], { rel: 1e-6, abs: 1e-6 }, `tensor ${i}`));
    const reseeded = noiseAt(backends[0].kernels, 3, { eta: 1, seed: 10 });
    expect(reseeded[2]).not.toEqual(first[2]);
  });
});
