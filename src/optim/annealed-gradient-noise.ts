/**
 * Annealed gradient noise (Neelakantan et al. 2015, "Adding Gradient Noise Improves Learning for
 * Very Deep Networks"): at training step t (0 for the first), every gradient entry gets Gaussian
 * noise of variance σₜ² = η/(1 + t)^γ before the update; the paper takes η ∈ {0.01, 0.3, 1} and
 * γ = 0.55.
 *
 * The train option `gradientNoise: { eta, gamma }` of issue 13 (not the trace's `gradientNoise`,
 * which measures the noise a mini-batch gradient has: src/flow/gradient-noise.ts).
 *
 * The noise is drawn in TypeScript from a seeded Rng, so every backend adds the same draw (rounded
 * to f32 on wasm), and added by the axpy kernel from a scratch tensor. Everything is allocated by
 * the constructor for the gradients it is given: `add` allocates nothing.
 */
import { checkSeed, checkKnownKeys, checkNonNegative } from '../checks.js';
import { describeValue, invalidOption } from '../errors.js';
import { Rng } from '../init/rng.js';
import type { FloatArray, Kernels, Tensor } from '../kernels.js';

/** The paper's decay exponent. */
export const GRADIENT_NOISE_GAMMA = 0.55;

export interface AnnealedGradientNoiseOptions {
  /** η, the noise variance at step 0 (≥ 0). */
  eta: number;
  /** γ, how fast the variance decays with the step (≥ 0; default 0.55, the paper's). */
  gamma?: number;
  /** Seed of the noise (default 1). */
  seed?: number;
}

/** Checks options; returns them with defaults filled in. */
export function checkGradientNoiseOption(options: unknown): Required<AnnealedGradientNoiseOptions> {
  if (typeof options !== 'object' || options === null) throw invalidOption(`gradientNoise: expected { eta, gamma? }, got ${describeValue(options)}`);
  checkKnownKeys(options, ['eta', 'gamma', 'seed'], 'gradientNoise');
  const { eta, gamma = GRADIENT_NOISE_GAMMA, seed = 1 } = options as Record<string, unknown>;
  return { eta: checkNonNegative(eta, 'gradientNoise.eta'), gamma: checkNonNegative(gamma, 'gradientNoise.gamma'), seed: checkSeed(seed, 'gradientNoise.seed') };
}

/** σₜ² = η/(1 + t)^γ. */
export function gradientNoiseVariance(eta: number, gamma: number, step: number): number {
  return eta / (1 + step) ** gamma;
}

export class AnnealedGradientNoise<T extends Tensor> {
  readonly eta: number;
  readonly gamma: number;
  private readonly rng: Rng;
  private readonly scratch: T;
  /** Per gradient: the staging array of its length (one buffer, viewed once per gradient here). */
  private readonly staging: FloatArray[];

  /**
   * For these gradient tensors (each noised over its whole length), drawing from `rng` when given
   * (train() passes the network's, which checkpoints hold, so a resumed run draws the same noise),
   * else from an Rng seeded with options.seed.
   */
  constructor(
    private readonly k: Kernels<T>,
    private readonly gradients: readonly T[],
    options: AnnealedGradientNoiseOptions,
    rng?: Rng,
  ) {
    const { eta, gamma, seed } = checkGradientNoiseOption(options);
    this.eta = eta;
    this.gamma = gamma;
    this.rng = rng ?? new Rng(seed);
    const longest = Math.max(0, ...gradients.map((g) => g.length));
    this.scratch = k.alloc(longest);
    const buffer = k.precision === 'f64' ? new Float64Array(longest) : new Float32Array(longest);
    this.staging = gradients.map((g) => buffer.subarray(0, g.length));
  }

  /** Adds N(0, η/(1 + step)^γ) to every entry of every gradient; `step` counts the steps before this one. */
  add(step: number): void {
    if (!Number.isInteger(step) || step < 0) throw invalidOption(`gradientNoise: step must be a whole number ≥ 0, got ${step}`);
    if (this.eta === 0) return;
    const sigma = Math.sqrt(gradientNoiseVariance(this.eta, this.gamma, step));
    for (let i = 0; i < this.gradients.length; i++) {
      const noise = this.staging[i];
      for (let j = 0; j < noise.length; j++) noise[j] = this.rng.normal();
      this.k.write(this.scratch, noise);
      this.k.axpy(this.gradients[i], this.scratch, noise.length, sigma);
    }
  }

  dispose(): void {
    this.k.free(this.scratch);
  }
}
