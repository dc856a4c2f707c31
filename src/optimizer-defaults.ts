/**
 * Optimiser settings that the optimisers, their named choices and the diagnosis's remedies all name,
 * and the groups of optimisers the remedies tell apart: below every folder that uses them
 * (test/architecture/layering.test.ts), so each has one source.
 */
import { givenFloat32Text, roundedDown } from './number-text.js';
import { invalidOption, shownArgument } from './errors.js';

/** Adam's and AdamW's defaults, PyTorch's (lr 1e-3, β₁ 0.9, β₂ 0.999, ε 1e-8): the optimisers' own (optim/adam.ts) and the rate the diagnosis's Adam remedy names. */
export const ADAM_DEFAULTS = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

/**
 * LARS's defaults (lr 1, trust coefficient η 0.001 as You, Gitman & Ginsburg 2017, momentum 0.9):
 * the optimiser's own (optim/lars.ts), the rate the diagnosis's LARS remedy names and the one the
 * remedies and trainable-depth studies run it at. The paper's global rate γ multiplies the trust
 * ratio η·‖W‖/‖∇W‖, so each step moves a layer by γ·η of its weights: at η 0.001 a γ of 0.1 (the
 * default before 2026-12-02) moves it 1/10,000. Measured (2026-12-02, batch 32, seeds 1–3): on the
 * remedies study's [784, 8 × 32, 10] sigmoid network, 20 epochs of 9,000 digits reach a loss of
 * 0.86–0.98 at 1, 1.82–1.90 at 0.1 (ln 10 = 2.30 at chance), and 3 or 10 stall at chance; on
 * [784, 30, 30, 30, 10] sigmoid, 10 epochs of 1,000 digits, 1.90–1.93 at 1 and chance at 0.1; on
 * healthy relu and tanh networks 1 reached a 4–10× lower loss than 0.1 (test/optim/lars-default-rate).
 */
export const LARS_DEFAULTS = { learningRate: 1, eta: 0.001, momentum: 0.9 } as const;

/** train()'s learning rate when neither it nor the optimiser names one: SGD's (optim/sgd.ts), and the rate the per-layer-rates remedy bounds its step sizes at where a trace records none. */
export const SGD_LEARNING_RATE = 0.1;

/** K-FAC's learning rate with its rescaled step (its default): 1, the quadratic model's own step length; train()'s rate for K-FAC when it is given none (optim/kfac.ts), and the rate the diagnosis's K-FAC remedy names. */
export const KFAC_RESCALED_LEARNING_RATE = 1;

/** The momentum of SGD's named settings (sgd-momentum, nesterov, layer-rates: studies/optimizer-choices.ts) and of the diagnosis's momentum remedy. */
export const CHOICE_MOMENTUM = 0.9;

/**
 * The optimisers that divide each weight's step by the size of its recent gradients (Adam, AdamW,
 * RMSProp, Adagrad): a small gradient still gives a normal-sized step. The diagnosis offers neither
 * Adam nor LARS against a gradient of the wrong size to a run that uses one of them.
 */
export const GRADIENT_SCALED_STEPS: readonly string[] = ['adam', 'adamw', 'rmsprop', 'adagrad'];
/**
 * The optimisers whose step does not follow the size of the gradient: those of GRADIENT_SCALED_STEPS,
 * and LARS, which scales each layer's step by its trust ratio η‖W‖/(‖∇W‖ + λ‖W‖). A plateau's run is offered
 * Adam only where its optimiser is none of these.
 */
export const STEP_SIZE_OF_THEIR_OWN: readonly string[] = [...GRADIENT_SCALED_STEPS, 'lars'];
/**
 * The optimisers that take per-layer rates: the first-order ones, whose constructors accept
 * layerRates (every first-order optimiser's option, optim/first-order.ts). K-FAC, Hessian-free,
 * L-BFGS and Levenberg–Marquardt have no such option and refuse it (INVALID_OPTION).
 */
export const TAKE_LAYER_RATES: readonly string[] = ['sgd', 'lars', 'adagrad', 'rmsprop', 'adam', 'adamw'];
/**
 * Of those that take per-layer rates, the ones whose step follows the raw gradient (none of
 * STEP_SIZE_OF_THEIR_OWN): only there do fixed rates undo the gaps between the layers' gradients,
 * so only their runs are offered rates against a vanishing gradient.
 */
export const RAW_GRADIENT_STEPS: readonly string[] = TAKE_LAYER_RATES.filter((name) => !STEP_SIZE_OF_THEIR_OWN.includes(name));
/**
 * The optimisers that take no learning rate at all (Optimizer.choosesOwnSteps): Levenberg–Marquardt
 * and Hessian-free, whose damping (μ, λ), adapted every step, sets each step. train() refuses a
 * learningRate beside them, so a remedy that switches to one leaves the run's rate out (optimizerSwitch).
 */
export const TAKE_NO_LEARNING_RATE: readonly string[] = ['levenberg-marquardt', 'hessian-free'];
/**
 * Rows per Hessian-free step where a remedy switches a run to it: 1,000, or every row where the run has fewer (train() caps a
 * batch at the rows). Martens (2010; his nnet_train_2.m) takes the gradient, the CG backtracking and the line search over the whole
 * training set and only the curvature on a part of it; on 60,000 digits gradscope's studies take batches of this many instead
 * (study autoencoder's Hessian-free, the trainable-depth study's second-order remedies). On small batches a step fits its batch's rows and is judged on them alone: on the visualizer's spirals at batch 32 Hessian-free
 * stayed at chance, on all 280 rows it left the plateau (docs/second-order.md).
 */
export const HESSIAN_FREE_BATCH = 1000;
/**
 * The rows per step optimiser `name` wants where a run's batches hold fewer: HESSIAN_FREE_BATCH (1,000) for Hessian-free, whose
 * steps fit the rows they are given; undefined for every other, K-FAC among them (on the visualizer's default run it trained at
 * the page's batch of 32: docs/second-order.md). The one source of what the diagnosis's switch to an optimiser carries
 * (optimizerSwitch) and of the batch the visualizer's Batch takes where its Optimizer is set to Hessian-free by hand; train()
 * caps it at the rows (batchRowsUsed). Any name may be asked (a registered plugin's wants none); one that is not a string is
 * refused (INVALID_OPTION).
 */
export function wantedBatchSize(name: string): number | undefined {
  // Public (the page calls it): 'undefined' or 5 answered "none wanted" in silence (review49b #6).
  if (typeof name !== 'string') throw invalidOption(`wantedBatchSize(name): expected an optimiser's name, a string, got ${shownArgument(name)}`);
  return name === 'hessian-free' ? HESSIAN_FREE_BATCH : undefined;
}
/**
 * The optimisers that choose the length of each step themselves: L-BFGS by its strong-Wolfe line
 * search (its learningRate is only the search's first trial step), and those of TAKE_NO_LEARNING_RATE.
 * A smaller learning rate is no remedy for their steps, and none is offered to their runs.
 */
export const OWN_STEP_LENGTH: readonly string[] = ['lbfgs', ...TAKE_NO_LEARNING_RATE];
/**
 * The second-order optimisers, which rescale the gradient by curvature (K-FAC by its Kronecker-factored Fisher, Hessian-free by
 * Gauss–Newton products, L-BFGS by its quasi-Newton estimate, Levenberg–Marquardt by JᵀJ): K-FAC and those of OWN_STEP_LENGTH. The
 * one list of them: the registry gives each built-in its kind from it (src/optim/index.ts: 'second-order' here, 'first-order'
 * elsewhere), and the diagnosis says their steps are rescaled by curvature (learning-speed.ts stepSizing), which the optimisers and
 * the diagnosis, two folders that never import each other, both read here. A registered plugin's kind is its own, and of its steps
 * the diagnosis claims nothing.
 */
export const SECOND_ORDER_OPTIMIZERS: readonly string[] = ['kfac', ...OWN_STEP_LENGTH];
/** The optimisers that evaluate their own gradients within a step (Optimizer.recomputesGradient), which train() refuses clipNorm beside: no clipping is offered to their runs. */
export const OWN_GRADIENTS: readonly string[] = ['lbfgs', 'levenberg-marquardt'];

/** The bound on lr·λ where a step multiplies w by 1 − lr·λ and nothing else carries it over (SGD without momentum, AdamW's decoupled decay): beyond it |1 − lr·λ| > 1. */
export const PLAIN_DECAY_BOUND = 2;

/**
 * SGD's bound on step size × weight decay (lr·λ at a layer's step size): the decay alone is gradient
 * descent on λ‖w‖²/2, w ← (1 − lr·λ)·w without momentum, which grows every weight beyond lr·λ = 2;
 * heavy-ball momentum's recurrence on it is stable up to 2(1 + μ), Nesterov's (PyTorch's form) up to
 * 2(1 + μ)/(1 + 2μ) (the roots of each one's characteristic polynomial leave the unit circle there).
 * The optimiser refuses beyond it (optim/sgd.ts) and the per-layer-rates remedy keeps within it.
 */
export function sgdDecayBound(momentum: number, nesterov: boolean): { max: number; why: string } {
  if (momentum === 0) return { max: PLAIN_DECAY_BOUND, why: 'beyond 2, w ← (1 − lr·λ)·w grows every weight each step: the decay alone diverges' };
  // The momentum echoed as the update kernels hold it, float32 (src/number-text.ts' header).
  if (nesterov) return { max: (2 * (1 + momentum)) / (1 + 2 * momentum), why: `Nesterov momentum ${givenFloat32Text(momentum)}'s bound 2(1 + μ)/(1 + 2μ): beyond it the decay alone grows the weights step after step` };
  return { max: 2 * (1 + momentum), why: `momentum ${givenFloat32Text(momentum)}'s bound 2(1 + μ): beyond it the decay alone grows the weights step after step` };
}

/**
 * The largest value to 3 significant figures whose product with `factor` (> 0) is at most `max`: the
 * weight decay or learning rate a refusal or remedy offers within sgdDecayBound, so that what it
 * offers is itself taken (max / factor rounded to nearest could land one step above): roundedDown's,
 * so that 2 / 0.2000001 (9.999995) offers 9.99, not 9.9.
 */
export function largestWithin(max: number, factor: number): number {
  let value = roundedDown(max / factor);
  // A product rounded above max (in binary) steps to the next value of 3 digits below.
  while (factor * value > max) value = roundedDown(value * (1 - Number.EPSILON));
  return value;
}
