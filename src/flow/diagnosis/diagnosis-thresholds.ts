/**
 * The thresholds diagnose() judges by, each named once (docs/gradient-flow.md, "The diagnosis"):
 * they follow from σ' ≤ 1/4. Part of diagnose() (diagnose.ts).
 */
import { PRIME_MAX } from '../metrics.js';

/**
 * A sigmoid layer multiplies each example's gradient by σ'(z)·W with σ' ≤ 1/4: even with weights
 * that pass a vector on at full length, one sigmoid layer shrinks the gradient 4×. A gap of that
 * size between the first and the last hidden layer (per-example ‖δ‖) is vanishing; the mirror
 * image, the first hidden layer's gradient 4× the last's, is exploding.
 */
export const VANISHING_RATIO = PRIME_MAX.sigmoid;

export const EXPLODING_RATIO = 1 / VANISHING_RATIO;

/** At two sigmoid layers' worth (1/16, or 16×) or past it the gap is severe; short of it, mild. */
export const SEVERE_RATIO = VANISHING_RATIO ** 2;

/** A hidden layer counts as saturated (or dead) when more than this fraction of it is, over most of the run (the median over records). */
export const SATURATED_LAYER = 0.5;

export const DEAD_LAYER = 0.5;

/**
 * A hidden relu-family layer has dead units worth their remedies when at least this fraction of it
 * is dead (median over records), whatever the verdict: one unit in a layer of 8 (12.5 %), 3 of 30.
 * The verdict's DEAD_LAYER alone left a layer of 8 with 3 or 4 dead units unremedied. 10 % is
 * keras-contrib's DeadReluDetector's "significant number of dead neurons".
 */
export const DEAD_UNITS = 0.1;

/**
 * A batch-norm row is named for its flat features (evidence.flatNorms) when at least this share of them
 * was flat (flatFraction, median over records), as a layer is for its dead units (DEAD_UNITS).
 */
export const FLAT_FEATURES = DEAD_UNITS;

/** The last hidden layer's ‖∂C/∂b‖ falling below this fraction of its start: the gradient faded over training time (not only over depth). */
export const GRADIENT_FADED = 0.01;

/**
 * A mini-batch run's change over training time (evidence.lastHiddenChange) is read as the median over its last this many full
 * batches' records against the median over its first as many (a fifth of them where that is fewer, at least one): one record of a
 * mini-batch run is one batch's gradient, and on a plateau, where the mean gradient is small, that is mostly the batch's sampling
 * noise. Read from one record at each end, three runs of the visualizer's defaults (6 × 16 sigmoid, SGD 0.1, batches of 32, the
 * spirals; newuser44, 2026-12-06) said the last hidden layer's ‖∂C/∂b‖ fell 64.6×, 250× and 1.30e+3×, either side of GRADIENT_FADED,
 * with neighbouring records 50× apart; the medians over 20 records of the two saved ones, 18.4× and 11.6×. A full-batch run has no
 * batch noise: its first and last records are read.
 */
export const FADE_WINDOW_RECORDS = 20;

/**
 * A mini-batch run's last hidden layer's batch gradient counts as mostly sampling noise at the end (evidence.endNoise, mostlyNoise)
 * where the noise is estimated to be more than this share of its square. Over a batch of m examples whose gradients δₓ have mean μ
 * and spread v = E‖δₓ − μ‖², E‖∂C/∂b‖² = ‖μ‖² + v/m while the per-example RMS ‖δ‖ (deltaRms) squared is ‖μ‖² + v; so with
 * R = ‖∂C/∂b‖ ÷ (RMS ‖δ‖/√m), the noise's share v/m ÷ (‖μ‖² + v/m) is (m − R²) / ((m − 1)·R²): 1 at R = 1 (m gradients with
 * no common direction), 0 at R = √m (all of them alike). Past half, the batch's ‖∂C/∂b‖ follows each example's ‖δ‖ more than the
 * gradient of the mean loss, and that gradient can fall far below it unseen. Measured (2026-12-06): the visualizer's defaults (6 × 16
 * sigmoid, SGD 0.1, batches of 32, the spirals) trained in Node for 144,000 steps, seeds 1 and 2: R 1.14 and 0.68 over the last 20
 * records (mostly noise below R = √(2m/(m + 1)), 1.39 at m = 32), the batch medians' fall 11.6× and 23.6×, each example's δ's 12.6×
 * and 13.2×, while the gradient of the mean loss over the page's first 256 training rows fell 1.05e+4× and 796×; at 18,000 steps
 * (seed 1, test/flow/batch-gradient-noise.test.ts) R 0.89, the medians' fall 2.03× (each example's δ's 1.71×), the mean loss's 20×.
 */
export const BATCH_NOISE_SHARE = 0.5;

/**
 * How far below 1 R = ‖∂C/∂b‖ ÷ (RMS ‖δ‖/√m) must lie for the examples of a batch to be read as cancelling, not as sampling noise
 * (evidence-readings' examplesCancel): the normal distribution's 0.1 % point, in standard deviations. Gradients with no common
 * direction put R² over a window of k records at about χ²ₖ/k (at least one degree of freedom per record, more where several of the
 * layer's units carry the spread), and R below the square root of that's 0.1 % point (Wilson–Hilferty's approximation at this z:
 * 0.54 over 20 records) happens once in a thousand such windows; below it the noise's estimated share of ‖∂C/∂b‖² would pass 1, and
 * what is read is examples whose gradients cancel within each batch (a batch shrunk below its noise), not noise. Runs measured
 * (the visualizer's defaults, 2026-12-06) read R 0.68 to 1.24, above it; the hand-built fade-window trace, 0.0107, far below.
 */
export const EXAMPLES_CANCEL_Z = 3.09;

/** Per-example ‖δ‖ falling at least this many times less than ‖∂C/∂b‖: the batch gradient fell by cancellation between examples. */
export const CANCELLATION = 10;

/** The batch size the remedy for BATCH_NORM_BLOCKING_ROWS suggests: batch norm passes on n − 2 of n directions, 14 of 16 here. */
export const BATCH_NORM_ROWS = 16;

/**
 * The suggested per-layer rates are each layer's median over this many last full batches' records (Trace.fullBatchRecords; all
 * of them in a shorter trace) of the rate equalisingRates gives that record: one record of a mini-batch run is
 * one batch's gradient, and one noisy batch would set every rate.
 */
export const LAYER_RATE_RECORDS = 20;

/**
 * Per-layer rates are offered only when some hidden layer's is at least this: smaller rates would
 * change no layer's step by half again, which is not worth a fixed multiplier.
 */
export const LAYER_RATE_WORTH = 1.5;

/**
 * Per-layer rates are offered only while the largest step size they give a layer, the learning rate
 * in force × its rate, is at most this. Fixed rates fit the gradients of the moment they are measured
 * at; once the layers below move, their gradients grow back and the rate multiplies that growth.
 * Measured (scripts/layer-rate-bound.ts, 2026-12-03): [784, 5 or 10 × 30, 10] sigmoid networks on
 * 3,000 digits, SGD at 0.1 and 0.5, seeds 1–2, the offered rates (455 to 1.1e7) capped at step sizes
 * 10, 30, 100, 300 and not at all, rerun from the same start and continued on the diagnosed network
 * for 8 epochs. At 30 or less no run ended with a hidden layer's units 0.5 % saturated (32 runs); at
 * 100, three of the eight runs at 0.5 ended 62–96 % saturated; uncapped, all eight 91–100 % (the
 * visualizer's 10-layer sigmoid, offered 3.6e8, saturated 98–100 %). No sigmoid run within the bound
 * left chance either (loss 2.30, as plain SGD's): capped rates would be no remedy, so past the bound
 * none is offered, and LARS, which re-measures the ratio every step, stands alone. The tanh networks'
 * rates stayed below 3.1 (step size 0.31 at 0.1), within it. Those runs were plain SGD: with momentum μ
 * (which the offered spec keeps) the steady step is the learning rate × the rate ÷ (1 − μ), Nesterov's
 * too, and that is what is held to the bound.
 */
export const LAYER_STEP_SIZE_BOUND = 30;

/**
 * A run that trains well: its training loss at the end (TrainingProgress.lossEnd) at most this
 * fraction of the first step's batch loss, and not rising, overfitting or unclear, nor at chance.
 * Measured (2026-12-01): the visualizer's relu/he network on the spirals ended at 0.18 of its start
 * at 97.5 % of its test points (seed 1), [784, 3 × 30, 10] tanh and relu networks on 5,000 digits
 * at 0.08–0.13 of it (82–93 %).
 */
export const TRAINED_LOSS_FRACTION = 0.5;

/** Within this many decades (2×) of its start the per-example gap "stayed within 2.00× of its start" (how far it moved said beside it). */
export const TREND_DECADES = 0.3;

/** The range of first-to-last gaps that are neither vanishing nor exploding, as sentences print it: '1/4–4×', from the thresholds. */
export const EVEN_RANGE = `1/${1 / VANISHING_RATIO}–${EXPLODING_RATIO}×`;

/** Spread of the hidden activations, last hidden layer over first (median over records) beyond [1/DRIFT, DRIFT]: they drift with depth. */
export const DRIFT = 2;

/**
 * The largest learning rate of plain SGD (no momentum) at which clipNorm 1 was measured to end with a higher loss through
 * residual blocks of gate 'none' (whose gap is the sum of their paths: clipping scales every layer's gradient alike and leaves
 * it as it was), so that up to it clipping is not offered there. `npx tsx scripts/remedy-ranges.ts residual` (2026-12-06
 * 00:20 UTC at cfd8def6, AMD EPYC Zen 5 of 2 vCPUs): a dense layer and 4 such blocks, relu with He's weights and tanh with
 * N(0, 1.5²) ones, seeds 1–3: higher in each of 12 runs at 0.1 (4 and 20 epochs) and of 6 at 0.3 (4 epochs). Above it the
 * measurements differ and clipping is offered as elsewhere: at 1 the tanh runs ended higher (3 of 3) but the relu ones, whose
 * units died, lower (0.37–0.40 against 0.84–0.98); at 3 every relu run ran away (DIVERGED) and trained clipped (0.65–0.97),
 * and the tanh ones ended lower (0.96–1.59 against 2.42–3.34).
 */
export const RESIDUAL_CLIP_MEASURED_RATE = 0.3;
