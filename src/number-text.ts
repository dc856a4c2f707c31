/**
 * How gradscope's prose prints a number it measured or computed (a loss, a gradient, a bound, a value
 * it offers), in refusals, advice, diagnoses and legends alike. A number the caller gave and a message
 * echoes back keeps the caller's own form, String(value), so that it reads as what was passed, except
 * one the core holds as float32 (a learning rate, a layer rate, a weight decay: "learning rate 1e-19 ×
 * weightDecay 1e+20", "try a learningRate below 0.3"), echoed as givenFloat32Text, the shortest
 * text that reads back to the value held, wherever gradscope echoes one: learningRateAdvice, the
 * worse-than-start warning, the first-order optimisers' step-size and weight-decay refusals, the step
 * faults' halving messages (training/step-faults.ts), the per-layer decay share
 * (training/decay-share.ts), the CLI's settings and halving lines (cli/training-flags.ts), and the
 * diagnosis's sentences and remedies that name the run's rate or weight decay (flow/diagnosis), and Nielsen's
 * η in the λ bound of the depth and plateau studies (studies/depth.ts). A momentum is held as float32 too (the
 * update kernels take μ as f32: sgdUpdate, for sgd, lars and kfac), and echoed so: the CLI's settings line
 * (cli/training-flags.ts; its flag refusals quote the command line as typed, since their reason may be
 * that 0.99999999 is 1 in float32), SGD's decay bound (optimizer-defaults.ts' sgdDecayBound, the decay
 * share's formula) and the layer-rates reason (flow/diagnosis). K-FAC's normConstraint and damping,
 * hessian-free's damping and train()'s clipNorm are held as float64 (their λ adapts in float64; the gradient's
 * norm is compared with clipNorm in float64, only the scale it gives entering float32), and echoed as given.
 * A loss (or an amount in its units) goes through loss-text.ts' lossText, at one more digit. Everything else gradscope says goes through numberText.
 */

/** Significant digits of a printed number. */
const NUMBER_TEXT_DIGITS = 3;
/** The smallest magnitude printed positionally: below it, exponent form ('0.0100', then '9.99e-3'). */
const POSITIONAL_FROM = 0.01;
/**
 * The magnitude from which exponent form is printed ('999', then '1.00e+3'): from 10³ a positional
 * number of 3 significant digits ends in zeros that are not significant ('1230'), where the exponent
 * form shows which are ('1.23e+3').
 */
const POSITIONAL_BELOW = 1e3;

/**
 * `value` to NUMBER_TEXT_DIGITS significant digits, trailing zeros kept (a measured number says how
 * precisely it is given): positional where its magnitude, once rounded, is in [POSITIONAL_FROM,
 * POSITIONAL_BELOW) ('0.0123', '2.30', '999', '-41.5'), else exponent form ('3.41e+19', '1.00e+3',
 * '-2.50e-7'); 0 (and −0) is '0', and the values that are no number as JavaScript names them, the names
 * a caller writes and `shown` prints: 'Infinity', '-Infinity', 'NaN'. String() would write 3.41e19 as
 * '34100000000000000000' (it switches to exponent form only from 1e21), and toPrecision(3) 0.00123
 * as '0.00123' but 1.23e-7 as '1.23e-7'. A value already at 3 significant digits (an offer, as
 * largestWithin rounds it) reads back as itself: Number(numberText(v)) === v.
 */
export function numberText(value: number): string {
  return textAt(value, NUMBER_TEXT_DIGITS, false);
}

/**
 * A measured per-layer rate (equalising-rates.ts) as every text that prints one writes it, and as the per-layer-rates remedy
 * offers it (its layerRates are these numbers, so that the text and what a program applies are one run): NUMBER_TEXT_DIGITS
 * significant digits, as the number reads back (2780, 41.2, 7.5): an option's value, in the form train() is given it.
 */
export const printedRate = (rate: number): number => Number(rate.toPrecision(NUMBER_TEXT_DIGITS));

/** A round bound below float64's largest number (1.8e308), said in place of a ratio beyond it. */
const FLOAT64_BOUND = '1e300';

/**
 * A ratio of at least 1 (a gap, a rise) as the number a sentence says before '×': numberText's, or,
 * where float64 holds it as Infinity (a measure next to 0 divided another, or 0 itself), 'more than
 * 1e300', the bound it lies beyond, never 'Infinity×'; NaN as numberText prints it ('NaN'), not as a huge ratio.
 */
export function multipleText(ratio: number): string {
  return Number.isFinite(ratio) || Number.isNaN(ratio) ? numberText(ratio) : `more than ${FLOAT64_BOUND}`;
}

/**
 * A ratio in (0, 1) as the share it is: '1/16.0' for 0.0625, or, where its inverse is Infinity in
 * float64 (a subnormal ratio, 1e-320 over 0.03), 'less than 1/1e300', never '1/Infinity'; NaN as numberText
 * prints it ('NaN').
 */
export function shareText(ratio: number): string {
  if (Number.isNaN(ratio)) return numberText(ratio);
  return Number.isFinite(1 / ratio) ? `1/${numberText(1 / ratio)}` : `less than 1/${FLOAT64_BOUND}`;
}

/**
 * A bound gradscope states (a limit the caller must keep within), as numberText prints a number but
 * rounded down, so that a user who takes the stated bound is within it: Nesterov momentum 0.9's
 * 1.3571… prints '1.35', not '1.36', which the check refuses. Its trailing zeros are kept as
 * numberText keeps them ('2.00', an offer of 20 'at most 20.0'), decided so (session 26): every
 * number gradscope computes reads in one form, the number beside it in a comparison at the same
 * digits ('is 2.50, above 2.00'), and docs/changes.md states it; such a text read back is
 * the value itself (Number('20.0') is 20).
 */
export function boundText(bound: number): string {
  return textAt(bound, NUMBER_TEXT_DIGITS, true);
}

/**
 * Numbers a sentence compares ('X, above Y'; 'loss A → B'), as numberText prints them, to `from`
 * significant digits or as many more as print every two that differ in their order: 'is 1.36, above
 * 1.36' said a product 1.359 above its bound 1.3571. The value at index `bound` is a bound, printed
 * rounded down as boundText does; the others to nearest.
 */
export function apart(values: readonly number[], { from = NUMBER_TEXT_DIGITS, bound = -1 }: { from?: number; bound?: number } = {}): string[] {
  return apartIn(values, from, (v, digits, i) => textAt(v, digits, i === bound));
}

/**
 * `values` as `print` writes each at a count of significant digits (with its index), at `from` digits or as many more as
 * print every two that differ in their order: apart's rule, for a printer of its own form (losses: loss-text.ts' lossTexts).
 */
export function apartIn(values: readonly number[], from: number, print: (value: number, digits: number, index: number) => string): string[] {
  const texts = (digits: number) => values.map((v, i) => print(v, digits, i));
  let digits = from;
  while (digits < MOST_DIGITS && !inOrder(values, texts(digits))) digits++;
  return texts(digits);
}

/**
 * A value float32 holds (as value ÷ `per`) that gradscope offers exactly (the least or greatest usable
 * value of an option the core holds as float32), in numberText's form at the fewest significant
 * digits whose number float32 holds as it holds `value`: 2⁻¹²⁶ prints '1.1754944e-38', FLOAT32_MAX
 * '3.4028235e+38', the largest float32 below 1 '0.99999994'. Each is itself usable, read back and held
 * as float32, where 3 digits would offer another value ('1.18e-38', '3.40e+38', '1.00') and String()
 * the double's 17 ('1.1754943508222875e-38').
 */
export function float32Text(value: number, per = 1): string {
  const held = Math.fround(value / per);
  let digits = 1;
  while (digits < MOST_DIGITS && Math.fround(Number(textAt(value, digits, false)) / per) !== held) digits++;
  return textAt(value, digits, false);
}

/**
 * A number the caller gave that the core holds as float32 (a learning rate, a layer rate, a weight
 * decay, an optimiser's own rate), echoed back, the one way gradscope writes such a value: the
 * shorter of the caller's own form, String(value), and float32Text(value), both of which read back
 * to the float32 held; the caller's on a tie. A fraction's fewest digits are written as String()
 * writes that number, a decimal down to 1e-6: 0.001 is '0.001' whether typed or adam's float32
 * default (the settings line said '1e-3' for --learning-rate 0.001 and '0.001' for adam's default).
 * A rate of 0.1 + 0.2 is '0.3' where String() wrote '0.30000000000000004'; 100 stays '100'
 * (float32Text's fewest digits: '1e+2'); 1e9 is '1e+9', not '1000000000'.
 */
export function givenFloat32Text(value: number): string {
  const given = String(value);
  const fewest = float32Text(value);
  const held = Math.abs(value) < 1 ? String(Number(fewest)) : fewest;
  return held.length < given.length ? held : given;
}

/** Significant digits that tell any two doubles apart. */
const MOST_DIGITS = 17;

/** Whether every two finite values that differ print as numbers in the same order. */
function inOrder(values: readonly number[], texts: readonly string[]): boolean {
  for (let i = 0; i < values.length; i++) {
    for (let j = 0; j < values.length; j++) {
      if (values[i] < values[j] && Number.isFinite(values[i]) && Number.isFinite(values[j]) && !(Number(texts[i]) < Number(texts[j]))) return false;
    }
  }
  return true;
}

/**
 * The largest number of `digits` significant digits (default NUMBER_TEXT_DIGITS) at or below `value`:
 * 1.3571 → 1.35, 9.996 → 9.99, −1.0004 → −1.01. A bound gradscope states or a value it offers within
 * one is rounded so (boundText, largestWithin), so that who takes it is within. The unit stepped down
 * is that of `value`'s own magnitude: 9.996 rounds to nearest as 10.0, and one unit of 10.0 below
 * would be 9.9.
 */
export function roundedDown(value: number, digits = NUMBER_TEXT_DIGITS): number {
  const rounded = Number(value.toPrecision(digits));
  if (!(rounded > value)) return rounded;
  return Number((rounded - 10 ** (Math.floor(Math.log10(Math.abs(value))) - digits + 1)).toPrecision(digits));
}

/** `value` in numberText's form at `digits` significant digits, to nearest or rounded down. */
function textAt(value: number, digits: number, down: boolean): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  // Rounded first, so that 999.7 (→ 1.00e+3) and 0.0099996 (→ 0.0100) are put on the side they print as.
  const rounded = down ? roundedDown(value, digits) : Number(value.toPrecision(digits));
  const magnitude = Math.abs(rounded);
  return magnitude >= POSITIONAL_FROM && magnitude < POSITIONAL_BELOW ? rounded.toPrecision(digits) : rounded.toExponential(digits - 1);
}
