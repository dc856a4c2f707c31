/**
 * How fast the first hidden layer learns beside the last, as the summary says it ("learns 55.0×
 * slower than the last"): by the measure that sets the run's steps. Part of diagnose() (diagnose.ts).
 */
import type { TraceRun } from '../trace.js';
import { GRADIENT_SCALED_STEPS, RAW_GRADIENT_STEPS, SECOND_ORDER_OPTIMIZERS } from '../../optimizer-defaults.js';
import type { Evidence, FirstToLast, SpeedMeasure } from './diagnosis-types.js';
import { positiveFinite, readAtFirst } from './gap-measures.js';
import { multipleText, numberText } from '../../number-text.js';

/**
 * The measure of the speed of learning for a run (Evidence.speedMeasure): the batch gradient
 * ‖∂C/∂b‖ where each step follows the raw gradient's size (SGD, with or without momentum or L2
 * decay, and no per-layer rates; an optimiser the trace does not name is SGD's default), else the
 * step each layer took relative to its weights, ‖ΔW‖/‖W‖: Adam, AdamW, RMSProp and Adagrad divide
 * each weight's step by its recent gradients, LARS scales each layer's by its trust ratio, per-layer
 * rates multiply it, and K-FAC, Hessian-free, L-BFGS and Levenberg–Marquardt rescale it by
 * curvature, so there the gradient's size does not say how far a layer moves (an Adam run read
 * "learns 55.0× slower" from ‖∂C/∂b‖ while its first hidden layer moved 5.13× as far as the last).
 */
export function speedMeasureOf(run: TraceRun): SpeedMeasure {
  return RAW_GRADIENT_STEPS.includes(run.optimizer ?? 'sgd') && !run.layerRates ? 'batch gradient' : 'step';
}

/**
 * How a run whose speed is read from its steps (speedMeasure 'step') sizes them, in words true of its optimiser (newuser48 #4: "which
 * its optimiser sizes layer by layer" was said of Adam, which sizes each weight's step, of Hessian-free, and of a registered plain-SGD
 * plugin, which sizes nothing): `verb` after 'which its optimiser' or a name ('sizes weight by weight'), or undefined for an optimiser
 * gradscope does not know (a registered plugin), of which nothing is claimed; `per`, what it sizes, for words that say it otherwise.
 * Per-layer rates size layer by layer whatever takes them.
 */
export function stepSizing(run: TraceRun): { by: string; verb: string; per: 'weight' | 'layer' | 'curvature' } | undefined {
  const name = run.optimizer ?? 'sgd';
  if (run.layerRates) return { by: 'its per-layer rates', verb: 'size layer by layer', per: 'layer' };
  if (GRADIENT_SCALED_STEPS.includes(name)) return { by: 'its optimiser', verb: 'sizes weight by weight', per: 'weight' };
  if (name === 'lars') return { by: 'its optimiser', verb: 'sizes layer by layer', per: 'layer' };
  // The optimisers that rescale the gradient by curvature (the registry's second-order ones): their step sizes nothing layer by layer.
  if (SECOND_ORDER_OPTIMIZERS.includes(name)) return { by: 'its optimiser', verb: 'rescales by curvature', per: 'curvature' };
  return undefined;
}

/** The first-to-last ratio of the run's speed measure (see speedMeasureOf). */
export const speedRatios = (e: Evidence): FirstToLast => (e.speedMeasure === 'step' ? e.stepFirstToLast : e.firstToLast);

/** The speed ratio at the records the decisive gap was read at (readAtFirst): the first record's, or the median over the records. */
export const speedAt = (e: Evidence): number => (readAtFirst(e) ? speedRatios(e).first : speedRatios(e).median);

/**
 * Within this factor of the last hidden layer's speed, either way, the first learns about as fast:
 * the summary says 'at 0.800× the speed of' it, and steps that close are 'about even'; beyond it,
 * 'N× slower' or 'faster'. Narrower than the gap's 1/4–4× (EVEN_RANGE): a step ratio of 0.3 is no
 * vanishing gap, but its first layer moves 3.33× less than the last, which is not even.
 */
export const SPEED_EVEN = 2;

/** SPEED_EVEN's band in words, '1/2–2×': what 'about even' means where a sentence names it. */
export const SPEED_EVEN_RANGE = `1/${SPEED_EVEN}–${SPEED_EVEN}×`;

/** Whether a speed ratio is about even (within SPEED_EVEN either way, the bounds counted in). */
export const aboutEven = (speed: number) => speed >= 1 / SPEED_EVEN && speed <= SPEED_EVEN;

/** A speed ratio as a comparison: '55.0× slower than', '5.13× faster than', '0.800× the speed of' (aboutEven). */
export const speedWords = (speed: number) =>
  speed < 1 / SPEED_EVEN ? `${multipleText(1 / speed)}× slower than` : speed > SPEED_EVEN ? `${multipleText(speed)}× faster than` : `${numberText(speed)}× the speed of`;

/** A speed ratio as the summary says a layer learns: '55.0× slower than', 'at 0.800× the speed of' (speedWords). */
export const learnsWords = (speed: number) => (aboutEven(speed) ? `at ${speedWords(speed)}` : speedWords(speed));

/**
 * What the batch gradient ‖∂C/∂b‖ measures as a speed, named as its author's: Nielsen (Neural Networks and Deep Learning, ch. 5)
 * calls ‖δ‖ = ‖∂C/∂b‖ of a layer its speed of learning. A bias gradient, not its weights' (weightSpeedWords).
 */
export const NIELSEN_SPEED = "Nielsen's speed of learning";

/** The first-to-last ratio of ‖∂C/∂W‖/‖W‖ (Evidence.weightGradientFirstToLast) at the records the gap was read at (as speedAt). */
export const weightSpeedAt = (e: Evidence): number => (readAtFirst(e) ? e.weightGradientFirstToLast.first : e.weightGradientFirstToLast.median);

/**
 * Beside a speed read from the batch gradient ‖∂C/∂b‖ (NIELSEN_SPEED, a bias gradient), how much slower or faster the first hidden
 * layer's weights learn than the last's by their gradient relative to their size, ‖∂C/∂W‖/‖W‖, at the same records: the relative
 * step plain gradient descent takes for the loss. lecturer52 #5: "learns 193× slower" was read from ‖∂C/∂b‖ while the weights'
 * step ‖ΔW‖/‖W‖ was 1/29.2 of the last's; but under study (a)'s L2 decay that step is mostly the decay's shrink (λ‖W‖ 2.75× the
 * gradient in the first hidden layer at the first step), and over 500 epochs it evens out to 1.00× whatever the gradients do, so
 * the step is not the measure here: the loss's gradient is (1/85.1 at the first step, 1/2.90 over the 500 records). One source for
 * the headline ('…, its weights 85.1× slower than the last's by …') and the summary ('…, its weights 85.1× slower than the last's
 * by …'): '85.1× slower than the last's by their gradient relative to their size (‖∂C/∂W‖/‖W‖)'. '' where the speed is read from the steps already (speedMeasure 'step') or the trace gives no ratio there.
 */
export function weightSpeedWords(e: Evidence): string {
  const speed = weightSpeedAt(e);
  if (e.speedMeasure !== 'batch gradient' || !positiveFinite(speed)) return '';
  return `${learnsWords(speed)} the last's by their gradient relative to their size (‖∂C/∂W‖/‖W‖)`;
}

/** Whether the speed measure says the first hidden layer is the slow one (learnsWords' 'slower'): a ratio below 1/SPEED_EVEN. */
export const firstIsSlower = (speed: number) => speed < 1 / SPEED_EVEN;
