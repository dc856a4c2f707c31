/**
 * A seeded random number generator (xoshiro128**): the same seed gives the same stream on every
 * backend, engine and run, and its state can be saved and restored (checkpoints).
 */
export class Rng {
  private s = new Uint32Array(4);

  constructor(seed: number) {
    // SplitMix32 spreads the seed over the state, so small seeds give unrelated streams.
    let x = seed >>> 0;
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

  /** Uniform in [low, high). */
  uniformIn(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Standard normal by Box–Muller (one of the pair, so the state stays four words). */
  normal(): number {
    const u = 1 - this.uniform(); // (0, 1]: log(0) cannot happen
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle(values: Uint32Array | number[]): void {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
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
    this.s.set(state);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
