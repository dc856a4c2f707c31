/**
 * How many characters a model file's JSON writes for a number (numberText: JSON's shortest decimal
 * that reads back as the value, −0 as `-0`), bounded from above and below without writing it, so a
 * size check answers clear cases from the bounds and writes the numbers only in between
 * (checkModelJsonSize). Writing one takes ~170 ns (JSON.stringify: saveModel's refusal at 20.8M
 * weights spent 2.3–2.5 s of CPU writing the 10.3M that fill 256 MiB); the lower bound ~30 ns.
 */

/**
 * The longest text JSON.stringify writes for a number (25 characters): a sign, '0.', five zeros and
 * 17 significant digits, as it writes |v| from 1e-6 up to 1e-5 (a float32 weight among them,
 * -5.9065810091851745e-6 is '-0.0000059065810091851745'); with an exponent it writes at most 24
 * ('-1.2345678901234567e-308'), an integer at most 22.
 */
export const LONGEST_NUMBER = '-0.0000012345678901234567';

/** Significant digits the lower bound rules out: with 13, about 1 weight in 100 lies too near a 13-digit decimal to tell (it then counts 1 digit). */
const RULED_OUT_DIGITS = 13;
/** 10^p for p = 0…22: exact in float64, so |v|·10^p is rounded once. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, p) => 10 ** p);
/** Relative slack that covers the value's own rounding interval (2⁻⁵³ of it either side) and the scaling's rounding (2⁻⁵³), with room to spare. */
const SLACK = 2 ** -50;
/** The range |v|·10^p is scaled into (RULED_OUT_DIGITS digits before the point), less SLACK at either end: a shortest decimal within it keeps the decimal exponent. */
const LOWEST_SCALED = 10 ** (RULED_OUT_DIGITS - 1) * (1 + SLACK);
const HIGHEST_SCALED = 10 ** RULED_OUT_DIGITS * (1 - SLACK);
/** The smallest |v| below 1 that JSON writes without an exponent ('0.000001'), plus the slack within which its shortest decimal may fall below it. */
const PLAIN_BELOW_ONE = 1e-6 * (1 + SLACK);
/** A float64's binary exponent, read from its bits (Math.log10 cost more than the rest of the bound). */
const bits = new Float64Array(1);
const highWord = new Uint32Array(bits.buffer, 4, 1); // little-endian: the sign, exponent and top of the fraction
const LOG10_2 = Math.log10(2);

/**
 * At most the characters numberText writes for `v` (finite). A number that is not an integer is
 * written with k significant digits and a '.' or an 'e' (k + 1 characters), a '-' if negative, and
 * below 1 either '0.' and the zeros after the point (from 1e-6: at least one fewer zero than |v|
 * reads, as its shortest decimal may round up to the next power of ten) or an 'e-' and the
 * exponent. k is proved to pass RULED_OUT_DIGITS where no decimal of that many digits lies within
 * float64 rounding of `v`: |v| scaled by an exact 10^p to RULED_OUT_DIGITS digits before the point
 * lies further than SLACK of itself from a whole number; else k is taken as 1. A value whose scaled
 * form is whole (integers among them) counts 1 and its sign.
 */
export function fewestNumberBytes(v: number): number {
  const sign = v < 0 ? 1 : 0;
  const magnitude = Math.abs(v);
  bits[0] = magnitude;
  // 2^e ≤ |v| < 2^(e+1), so the decimal exponent is floor(e·log10 2) or one more.
  let decade = Math.floor(((highWord[0] >>> 20) - 1023) * LOG10_2);
  let p = RULED_OUT_DIGITS - 1 - decade;
  if (p < 0 || p >= POWERS_OF_TEN.length) return 1 + sign;
  let scaled = magnitude * POWERS_OF_TEN[p];
  if (scaled >= HIGHEST_SCALED && p > 0) {
    decade += 1;
    p -= 1;
    scaled = magnitude * POWERS_OF_TEN[p];
  }
  if (scaled === Math.floor(scaled)) return 1 + sign;
  const inRange = scaled > LOWEST_SCALED && scaled < HIGHEST_SCALED;
  const digits = inRange && Math.abs(scaled - Math.round(scaled)) > scaled * SLACK ? RULED_OUT_DIGITS + 1 : 1;
  // Out of range `decade` may be one too high, never too low: the zeros it reads are then fewer than the text's.
  const belowOne = magnitude >= 1 ? 0 : magnitude >= PLAIN_BELOW_ONE ? 1 + Math.max(0, -decade - 2) : 2;
  return digits + 1 + belowOne + sign;
}
