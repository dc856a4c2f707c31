/**
 * Optimiser settings that the optimisers, their named choices and the diagnosis's remedies all name:
 * below every folder that uses them (test/architecture/layering.test.ts), so each has one source.
 */

/** Adam's and AdamW's defaults, PyTorch's (lr 1e-3, β₁ 0.9, β₂ 0.999, ε 1e-8): the optimisers' own (optim/adam.ts) and the rate the diagnosis's Adam remedy names. */
export const ADAM_DEFAULTS = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

/** The momentum of SGD's named settings (sgd-momentum, nesterov, layer-rates: studies/optimizer-choices.ts) and of the diagnosis's momentum remedy. */
export const CHOICE_MOMENTUM = 0.9;
