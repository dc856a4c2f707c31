/**
 * The plateau study's answer in one line, read from its points: is where training went a minimum, a
 * saddle or a slope, and is descent there fitting the data or shrinking the weights? Its summary
 * counted the points by verdict and left the reading to docs/curvature.md (newuser40, F7); this line
 * draws it from the same columns, so a run whose points differ says something else.
 */
import { counted, grouped } from '../counted.js';
import { negativeMassText } from '../curvature/curvature-text.js';
import { sci } from '../sci-text.js';
import { percentText } from '../percent-text.js';
import { DESCENT_STEPS, dropRatio, OUTWEIGHS, strongBand, type CurvatureVerdict, type StrongBand } from '../curvature/critical-point.js';
import { STRONG_BAND_WORDS } from '../curvature/point-text.js';
import { saddleTestText } from '../saddle-rule.js';
import type { PlateauPoint, PlateauResult } from './plateau.js';

/** 'epoch 500' or 'epochs 125–500': the points read, first to last. */
function epochsText(points: readonly PlateauPoint[]): string {
  const first = points[0].epoch;
  const last = points[points.length - 1].epoch;
  return points.length === 1 ? `epoch ${grouped(first)}` : `epochs ${grouped(first)}–${grouped(last)}`;
}

/** 'epoch 125' or 'epochs 125, 250 and 500': some of the points, each named (they need not be consecutive). */
function epochList(points: readonly PlateauPoint[]): string {
  const epochs = points.map((p) => grouped(p.epoch));
  return epochs.length === 1 ? `epoch ${epochs[0]}` : `epochs ${epochs.slice(0, -1).join(', ')} and ${epochs[epochs.length - 1]}`;
}

/** 'a' or 'from a to b': the least and the most of the values as `text` prints them (exponent form by default; one where they print alike). */
function rangeText(values: readonly number[], text: (value: number) => string = sci): string {
  const [low, high] = [text(Math.min(...values)), text(Math.max(...values))];
  return low === high ? low : `from ${low} to ${high}`;
}

/** The drops' ratio the verdict rests on, ±v's over the slope's (dropRatio), of the points: '±v's mean drop from 2.19× to 3.54× what the slope gives'. */
function dropRatioText(points: readonly PlateauPoint[]): string {
  const times = (r: number) => (Number.isFinite(r) ? `${r.toPrecision(3)}×` : '∞×');
  return `±v's mean drop ${rangeText(points.map((p) => dropRatio(p.gradientNorm, p.descent, p.probes)), times)} what the slope gives`;
}

/** What the slope gives, in words (slopeDrop): the gradient's whole descent, capped at its first-order term. */
const SLOPE_GIVES = "what the slope gives (the gradient's whole descent, but no more than ‖∇f‖·s over its best step s)";

/**
 * Why points of 'strong negative curvature' that share a band (StrongBand) are not saddles, in that band's words
 * (STRONG_BAND_WORDS, as `gradscope curvature` reads a point): `ratios` the drops' ratio and |λ_min|/λ_max.
 */
function strongReading(band: StrongBand, ratios: string): string {
  const { name, why } = STRONG_BAND_WORDS[band];
  // (the band 'runs on' is not critical for that reason alone: its `why`, said by the tail)
  const clause =
    band === 'runs on'
      ? ` by at least ${OUTWEIGHS}× ${SLOPE_GIVES}, but that descent is at its most at the longest step tried, s=${grouped(DESCENT_STEPS[0])}, past which it may run on: the gradient is not seen spent`
      : band === 'gradient outweighs'
        ? `, but ${why}: ${SLOPE_GIVES} is at least ${OUTWEIGHS}× its mean drop`
        : ` by less than ${OUTWEIGHS}× ${SLOPE_GIVES} and more than 1/${OUTWEIGHS} of it: ${why}, the gradient spent or not`;
  return `no saddle (a step t along ±v lowers it on both sides${clause}; ${ratios}): ${name}, not a critical point`;
}

/** What one verdict, shared by every point read, says of them (f: 'objective' or 'loss', what the points measure). */
function verdictReading(verdict: CurvatureVerdict, points: readonly PlateauPoint[], f: string): string {
  const ratio = `|λ_min|/λ_max ${rangeText(points.map((p) => Math.abs(p.smallest[0] / p.largest[0])))}`;
  switch (verdict) {
    case 'negative curvature':
      return `no minimum (the ${f} curves down along v, confirmed by its values) and no saddle (no step tried along ±v lowers it on both sides: the gradient along v outweighs the curvature, ${ratio}): a slightly indefinite slope, not a critical point`;
    case 'strong negative curvature': {
      const bands = [...new Set(points.map((p) => strongBand(p.gradientNorm, p.descent, p.probes)))];
      const ratios = `${dropRatioText(points)}, ${ratio}`;
      const reading =
        bands.length === 1
          ? strongReading(bands[0], ratios)
          : `no saddle (a step t along ±v lowers it on both sides, but the points differ: ${bands.map((band) => `${STRONG_BAND_WORDS[band].name}, ${STRONG_BAND_WORDS[band].why}, at ${epochList(points.filter((p) => strongBand(p.gradientNorm, p.descent, p.probes) === band))}`).join('; ')}; ${ratios}): strong negative curvature off a critical point`;
      return `no minimum (the ${f} curves down along v, confirmed by its values) and ${reading}`;
    }
    case 'saddle':
      return `saddles (the ${f} curves down along v, and ${saddleTestText('it', '‖∇f‖')}: as good as critical, ${dropRatioText(points)}, ${ratio}), no minimum`;
    case 'minimum-like':
      return `no saddle: no negative curvature is confirmed (λ_min ${rangeText(points.map((p) => p.smallest[0]))}), so minimum-like, which is a minimum only where the gradient is near 0 (‖∇f‖ ${rangeText(points.map((p) => p.gradientNorm))}), and the study takes no step down it`;
  }
}

/**
 * The points' share of the step that is the data loss's: where ‖∇C‖ < ‖∇f‖/2 at every point, the
 * L2 term's (λ/n)·w = ∇f − ∇C is longer than ∇C (‖∇f‖ ≤ ‖∇C‖ + ‖(λ/n)·w‖), so descent there shrinks the
 * weights more than it fits the data; said only then, and only where the points measure the objective.
 */
function weightShrinkText(points: readonly PlateauPoint[], result: Pick<PlateauResult, 'curvatureOf' | 'lambda'>): string | undefined {
  if (result.curvatureOf !== 'objective' || result.lambda === 0) return undefined;
  const shares = points.map((p) => p.lossGradientNorm / p.gradientNorm);
  if (!shares.every((share) => share < 0.5)) return undefined;
  const last = points[points.length - 1];
  const moved = points.length > 1 ? `, and the cross-entropy changed by ${sci(last.loss - points[0].loss)} from epoch ${grouped(points[0].epoch)} to ${grouped(last.epoch)}` : '';
  return `‖∇C‖ is ${rangeText(shares, percentText)} of ‖∇f‖ there: most of each step is the L2 term's −η(λ/n)·w, so descent shrinks the weights more than it fits the data${moved}`;
}

/**
 * The study's conclusion, in one line: the points after training began (all of them when none did),
 * read together: by their verdict where they share one, else said to differ; and whether descent there
 * mostly shrinks the weights (weightShrinkText).
 */
export function plateauConclusion(result: Pick<PlateauResult, 'points' | 'curvatureOf' | 'lambda'>): string {
  const trained = result.points.filter((p) => p.epoch > 0);
  const points = trained.length > 0 ? trained : result.points;
  if (points.length === 0) return '';
  const f = result.curvatureOf === 'loss' ? 'loss' : 'objective';
  const verdicts = [...new Set(points.map((p) => p.verdict))];
  const reading =
    verdicts.length === 1
      ? verdictReading(verdicts[0], points, f)
      : `the points differ (${verdicts.map((v) => `${v} at ${epochList(points.filter((p) => p.verdict === v))}`).join('; ')}), so no one reading covers them`;
  const shrink = weightShrinkText(points, result);
  return `So, at ${epochsText(points)}: ${reading}${shrink ? `. ${shrink}` : ''}.`;
}

/** The bands of 'strong negative curvature' (StrongBand), each in its words, for the summary's count of such points. */
function strongBandsText(): string {
  const words = STRONG_BAND_WORDS;
  return (
    `${words['gradient outweighs'].name} where what the slope gives is at least ${OUTWEIGHS}× ±v's mean drop (${words['gradient outweighs'].why}), ` +
    `${words.comparable.name} where neither is ${OUTWEIGHS}× the other (${words.comparable.why}), ` +
    `${words['runs on'].name} where ±v's is ${OUTWEIGHS}× what the slope gives but the gradient's descent runs on (${words['runs on'].why})`
  );
}

/**
 * The study's answer, first (lecturer52 #6: it came last, after ~300 words of verdict rules): what the points add up to
 * (plateauConclusion), then the last point's spectrum and the test accuracy. The terminal prints it under the table, before the
 * rules (plateauRules); the HTML report's section says it after its opening, the rules in its key list.
 */
export function plateauAnswer(result: PlateauResult): string {
  const last = result.points[result.points.length - 1];
  return [
    plateauConclusion(result),
    last ? `At epoch ${grouped(last.epoch)}: λ_min = ${sci(last.smallest[0])}, λ_max = ${sci(last.largest[0])}, ${negativeMassText(last.negativeMass, last.negativeMassExact, last.negativeMassProbes)} of the spectral mass negative; test accuracy ${percentText(result.testAccuracy)}.` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * How each point's verdict (the table's verdict column) is read, one item a verdict, each with how many of the points have it:
 * counted from the points, nothing assumed (cli42: the report lacked the counts). A key to the answer (plateauAnswer), said after it.
 */
export function plateauRules(result: PlateauResult): string[] {
  const count = (verdict: PlateauPoint['verdict']) => counted(result.points.filter((p) => p.verdict === verdict).length, 'point');
  const f = result.curvatureOf === 'loss' ? 'loss' : 'objective';
  return [
    `saddle (${count('saddle')}): negative curvature along v, confirmed by ${f} values, and ${saddleTestText(`the ${f}`, '‖∇f‖')}: the point is as good as critical;`,
    `strong negative curvature (${count('strong negative curvature')}): off a critical point, a step t along ±v lowers the ${f} on both sides, but not a saddle: ${strongBandsText()};`,
    `negative curvature (${count('negative curvature')}): confirmed, but no step tried exploits it on both sides (the gradient along v outweighs it);`,
    `minimum-like (${count('minimum-like')}): no negative curvature.`,
  ];
}

/**
 * What the table says, in words (the terminal's, under its table): the answer first (plateauAnswer), then how each verdict is read,
 * with its count, as a short list (plateauRules).
 */
export function plateauSummary(result: PlateauResult): string {
  return [plateauAnswer(result), `Of ${counted(result.points.length, 'point')}, by the table's verdict:`, ...plateauRules(result).map((rule) => `• ${rule}`)].join('\n');
}
