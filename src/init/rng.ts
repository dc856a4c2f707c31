import { checkSeed } from '../checks.js';
import { invalidOption, shown } from '../errors.js';

/**
 * Why `value` is not a generator state (four 32-bit words, not all zero: xoshiro's all-zero state
 * draws 0 forever), or undefined: the one rule of Rng.setState and of a checkpoint's rng.
 */
export function rngStateProblem(value: unknown): string | undefined {
  // Read by index, allocating nothing: a hole of a sparse array reads as undefined, not a word.
  const words = Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView)) ? (value as ArrayLike<unknown>) : undefined;
  let ok = words?.length === 4;
  let nonZero = false;
  for (let i = 0; ok && i < 4; i++) {
    const w = words![i];
    ok = Number.isInteger(w) && (w as number) >= 0 && (w as number) <= 0xffffffff;
    nonZero ||= w !== 0;
  }
  return ok && nonZero ? undefined : 'expected four 32-bit state words, not all zero';
}

/**
 * A seeded random number generator (xoshiro128**): the same seed gives the same stream on every
 * backend, engine and run, and its state can be saved and restored (checkpoints). Bad arguments
 * (a seed that is not a 32-bit whole number, a state that is not one, below(n) without a whole n ≥ 1,
 * uniformIn(low, high) without finite bounds in order)
 * are INVALID_OPTION, the state unchanged.
 */
export class Rng {
  private s = new Uint32Array(4);

  constructor(seed: number) {
    // SplitMix32 spreads the seed over the state, so small seeds give unrelated streams.
    let x = checkSeed(seed, 'new Rng(seed): seed');
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if (this.s.every((v) => v === 0)) this.s[0] = 1;
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextU32() >>> 5;
    const low = this.nextU32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform in [low, high): low ≤ high, both finite and high − low finite too (else INVALID_OPTION, nothing drawn). */
  uniformIn(low: number, high: number): number {
    // A string bound would draw a string ('0' + 0.5 is '00.5'); a NaN or infinite bound, or a width past float64's largest, NaN or ±Infinity: all in silence.
    if (typeof low !== 'number' || typeof high !== 'number' || !(low <= high) || !Number.isFinite(high - low)) {
      throw invalidOption(`rng.uniformIn(low, high): expected finite numbers with low ≤ high and high − low finite, got ${shown(low)} and ${shown(high)}`);
    }
    return low + (high - low) * this.uniform();
  }

  /** Standard normal by Box–Muller (one of the pair, so the state stays four words). */
  normal(): number {
    const u = 1 - this.uniform(); // (0, 1]: log(0) cannot happen
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** An integer in [0, n), n a whole number from 1 to 2⁵³. */
  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 53) throw invalidOption(`rng.below(n): n: expected a whole number from 1 to 2⁵³, got ${shown(n)}`);
    return Math.floor(this.uniform() * n);
  }

  /**
   * Fisher–Yates shuffle in place. INVALID_OPTION, drawing nothing, for what it cannot shuffle in place:
   * a string or null threw a raw TypeError, an array-like object had its indexes filled with undefined,
   * and a frozen array threw a raw TypeError after the first draw, the stream moved.
   */
  shuffle(values: Uint32Array | number[]): void {
    const inPlace = Array.isArray(values) ? !Object.isFrozen(values) || values.length < 2 : ArrayBuffer.isView(values) && !(values instanceof DataView);
    if (!inPlace) throw invalidOption(`rng.shuffle(values): expected an array or a typed array to shuffle in place (not frozen), got ${shown(values)}`);
    for (let i = values.length - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1)); // below(i + 1), its check needless here
      const t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }

  /** The generator's state, four 32-bit words (for checkpoints). */
  getState(): number[] {
    return Array.from(this.s);
  }

  /** The state into `out` (four words), allocating nothing: for a draw that may be taken back. */
  saveState(out: Uint32Array): void {
    out.set(this.s);
  }

  /** Restores a state from getState() or saveState(): the stream continues from where it was taken. */
  setState(state: ArrayLike<number>): void {
    const problem = rngStateProblem(state);
    if (problem !== undefined) throw invalidOption(`rng.setState(state): ${problem}, got ${shown(state)}`);
    this.s.set(state);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
