/**
 * The optimiser registry: every optimiser by name, so `train(x, y, { optimizer: 'adam' })` or
 * `{ optimizer: { name: 'adam', beta2: 0.99 } }` works, and the CLI and studies can list them.
 * Adding one: a file in src/optim/ with its class, and one entry in OPTIMIZERS below.
 */
import { invalidOption, shown, shownArgument } from '../errors.js';
import { didYouMeanValue } from '../suggest.js';
import { checkChoice, checkObjectArgument, unknownKey } from '../checks.js';
import { MODEL, trainableOf, type ModelOwner } from '../model.js';
import { Adagrad, ADAGRAD_DEFAULTS, ADAGRAD_KEYS } from './adagrad.js';
import { Adam, ADAM_COUNTERPARTS, ADAM_KEYS, AdamW } from './adam.js';
import { ADAM_DEFAULTS, KFAC_RESCALED_LEARNING_RATE, LARS_DEFAULTS, SECOND_ORDER_OPTIMIZERS } from '../optimizer-defaults.js';
import { firstOrderKeys } from './first-order.js';
import { HessianFree, HESSIAN_FREE_DEFAULTS } from './hessian-free.js';
import { Kfac, KFAC_KEYS, KFAC_NORM_CONSTRAINT } from './kfac.js';
import { Lars, LARS_KEYS } from './lars.js';
import { Lbfgs, LBFGS_DEFAULTS } from './lbfgs.js';
import { LevenbergMarquardt, levenbergMarquardtRefusal, LM_COUNTERPARTS, LM_DEFAULTS } from './levenberg-marquardt.js';
import { LAYER_SUPPORTS, type LayerSupport, type NetworkTerms, type Optimizer } from './optimizer.js';
import { Rmsprop, RMSPROP_DEFAULTS, RMSPROP_KEYS } from './rmsprop.js';
import { Sgd, SGD_KEYS, SGD_LEARNING_RATE } from './sgd.js';

/** A registry entry: how to build an optimiser by name. */
export interface OptimizerDefinition {
  /** The name train(), createOptimizer() and the CLI know it by. */
  name: string;
  /** One line for listings. */
  summary: string;
  /** First-order methods take layerRates and work with gradient clipping. */
  kind: 'first-order' | 'second-order';
  /**
   * The networks it trains (see LayerSupport): 'dense', chains of dense layers only (K-FAC), or
   * 'any', block networks too. createOptimizer refuses a 'dense' one for a block network before it
   * builds anything (INVALID_OPTION naming the optimiser, the first other layer and what to use
   * instead), and the CLI's and the visualizer's lists say so. registerOptimizer refuses a
   * definition without it.
   */
  supports: LayerSupport;
  /**
   * The learning rate train() uses with this optimiser's default options when it is given none (its
   * instances' defaultLearningRate); absent: it takes none (Hessian-free and Levenberg-Marquardt
   * choose their own steps).
   */
  learningRate?: number;
  /**
   * Why it cannot train a network of this loss and parameter count, or undefined; the same rule its
   * constructor refuses by (INVALID_OPTION), so a caller can decide before building a network (the
   * remedies study lists only what it can run). Absent: no such rule.
   */
  refuses?(network: NetworkTerms): string | undefined;
  /**
   * The option keys its `create` takes besides `name`: the table its constructor checks them by, so a
   * message that offers an option (train()'s refusal of a top-level momentum beside it) offers only
   * one it takes. A registered plugin's options are checked against it before `create` runs: a key
   * not listed is INVALID_OPTION ("did you mean"), as a built-in optimiser's constructor refuses one;
   * `layerRates` is refused unless listed (a plugin that does not read them would train without them,
   * in silence). Absent (a plugin that gives none): such a message names no option of it, and its
   * options go to `create` unchecked (nothing says which it reads) but `layerRates`, refused.
   */
  options?: readonly string[];
  /**
   * Its option that plays the part of another's name for it, e.g. Adam's { momentum: 'beta1' }
   * (β₁ decays the running mean of gradients as SGD's momentum does): what a message offers in place
   * of an option it does not take.
   */
  counterparts?: Readonly<Record<string, string>>;
  /**
   * True where its instances evaluate their own gradients within a step (Optimizer.recomputesGradient),
   * beside which train() refuses clipNorm: for a caller that builds none (the command line's remedy
   * lines). Absent: they do not.
   */
  recomputesGradient?: true;
  /** Builds it for `net` from its options (validated: unknown keys and bad values are INVALID_OPTION). */
  create(net: ModelOwner, options: Record<string, unknown>): Optimizer;
}

/** A name, or a name with options: 'adam' or { name: 'adam', beta1: 0.8 }. */
export type OptimizerSpec =
  | string
  | ({
      /** A registered optimiser's name. */
      name: string;
    } & Record<string, unknown>);

/** A built-in optimiser's definition with its kind, which SECOND_ORDER_OPTIMIZERS gives (the one list the diagnosis reads too). */
const builtIn = (definition: Omit<OptimizerDefinition, 'kind'>): OptimizerDefinition => ({
  ...definition,
  kind: SECOND_ORDER_OPTIMIZERS.includes(definition.name) ? 'second-order' : 'first-order',
});

/** Every registered optimiser, in listing order (registerOptimizer adds to it); each built-in's kind from the one list of the second-order optimisers, which the diagnosis reads too (src/optimizer-defaults.ts). */
export const OPTIMIZERS: OptimizerDefinition[] = [
  builtIn({ name: 'sgd', supports: 'any', learningRate: SGD_LEARNING_RATE, summary: 'SGD with momentum or Nesterov momentum', options: firstOrderKeys(SGD_KEYS), create: (net, o) => new Sgd(net, o) }),
  builtIn({ name: 'lars', supports: 'any', learningRate: LARS_DEFAULTS.learningRate, summary: "SGD on each layer's gradient scaled by its trust ratio η‖W‖/(‖∇W‖ + λ‖W‖)", options: firstOrderKeys(LARS_KEYS), create: (net, o) => new Lars(net, o) }),
  builtIn({ name: 'adagrad', supports: 'any', learningRate: ADAGRAD_DEFAULTS.learningRate, summary: 'Adagrad: steps divided by √Σg²', options: firstOrderKeys(ADAGRAD_KEYS), create: (net, o) => new Adagrad(net, o) }),
  builtIn({ name: 'rmsprop', supports: 'any', learningRate: RMSPROP_DEFAULTS.learningRate, summary: 'RMSProp: steps divided by a running √mean g²', options: firstOrderKeys(RMSPROP_KEYS), create: (net, o) => new Rmsprop(net, o) }),
  builtIn({ name: 'adam', supports: 'any', learningRate: ADAM_DEFAULTS.learningRate, summary: 'Adam', options: firstOrderKeys(ADAM_KEYS), counterparts: ADAM_COUNTERPARTS, create: (net, o) => new Adam(net, o) }),
  builtIn({ name: 'adamw', supports: 'any', learningRate: ADAM_DEFAULTS.learningRate, summary: 'Adam with decoupled weight decay', options: firstOrderKeys(ADAM_KEYS), counterparts: ADAM_COUNTERPARTS, create: (net, o) => new AdamW(net, o) }),
  builtIn({ name: 'lbfgs', supports: 'any', learningRate: LBFGS_DEFAULTS.learningRate, summary: 'L-BFGS with a strong-Wolfe line search (full or large batch)', options: Object.keys(LBFGS_DEFAULTS), recomputesGradient: true, create: (net, o) => new Lbfgs(net, o) }),
  builtIn({
    name: 'levenberg-marquardt',
    supports: 'any',
    summary: "Levenberg-Marquardt as MATLAB's trainlm (small networks, mse)",
    refuses: levenbergMarquardtRefusal,
    options: Object.keys(LM_DEFAULTS),
    counterparts: LM_COUNTERPARTS,
    recomputesGradient: true,
    create: (net, o) => new LevenbergMarquardt(net, o),
  }),
  builtIn({
    name: 'hessian-free',
    supports: 'any',
    summary: 'Hessian-free (Martens 2010): CG on Gauss-Newton products, LM damping, backtracking',
    options: Object.keys(HESSIAN_FREE_DEFAULTS),
    create: (net, o) => new HessianFree(net, o),
  }),
  builtIn({
    name: 'kfac',
    supports: 'dense',
    learningRate: KFAC_RESCALED_LEARNING_RATE,
    options: KFAC_KEYS,
    summary: `K-FAC: Kronecker-factored natural gradient G⁻¹·∇W·A⁻¹ per dense layer, rescaled by the exact quadratic model, LM-adapted damping, steps bounded by δᵀF̂δ ≤ ${KFAC_NORM_CONSTRAINT} (normConstraint)`,
    create: (net, o) => new Kfac(net, o),
  }),
];

/** The built-in definitions, whose constructors check their own options (with their counterparts and ranges). */
const BUILT_IN = new Set<OptimizerDefinition>(OPTIMIZERS);

/**
 * Adds an optimiser to the registry (a plugin's, or one defined outside this folder). INVALID_OPTION,
 * the registry unchanged, for a definition without a name (a non-empty string), a `create` function or
 * `supports`, with `options` that are not a list of option names, or under a name already registered.
 */
export function registerOptimizer(definition: OptimizerDefinition): void {
  checkObjectArgument(definition, 'registerOptimizer', 'an OptimizerDefinition { name, create, … }');
  const { name, create, options } = definition as Partial<OptimizerDefinition>;
  if (typeof name !== 'string' || name === '') throw invalidOption(`registerOptimizer: name: expected a non-empty string, got ${shownArgument(name)}`);
  if (OPTIMIZERS.some((d) => d.name === name)) throw invalidOption(`optimizer '${name}' is already registered`);
  if (typeof create !== 'function') throw invalidOption(`registerOptimizer: ${name}: create: expected a function (net, options) => Optimizer, got ${shownArgument(create)}`);
  checkChoice(definition.supports, LAYER_SUPPORTS, `registerOptimizer: ${name}: supports (the networks it trains)`);
  if (options !== undefined && !(Array.isArray(options) && options.every((key) => typeof key === 'string' && key !== 'name'))) {
    throw invalidOption(`registerOptimizer: ${name}: options: expected a list of the option names create() takes (besides name), got ${shown(options)}`);
  }
  OPTIMIZERS.push(definition);
}

/**
 * A registered plugin's options, before its create() runs (see OptimizerDefinition.options): keys it
 * does not list, and layerRates where it does not list them, are INVALID_OPTION naming the optimiser.
 * The built-in optimisers' constructors check their own.
 */
function checkPluginOptions(definition: OptimizerDefinition, options: Record<string, unknown>): void {
  if (BUILT_IN.has(definition)) return;
  const { name, options: known } = definition;
  if ('layerRates' in options && !known?.includes('layerRates')) {
    throw invalidOption(
      `${name}: layerRates: ${known === undefined ? 'its definition lists no options' : 'not among its options'}; a plugin's layerRates are refused unless its definition's options list 'layerRates' (one that does not read them would train without them, in silence)`,
    );
  }
  if (known === undefined) return;
  const problem = unknownKey(options, known, 'option');
  if (problem !== undefined) throw invalidOption(`${name}: ${known.length === 0 ? problem.replace(/ \(known: \)$/, ' (it takes none)') : problem}`);
}

/** The registered optimisers' names, in listing order. */
export function optimizerNames(): string[] {
  return OPTIMIZERS.map((d) => d.name);
}

export function findOptimizer(name: string): OptimizerDefinition {
  const definition = OPTIMIZERS.find((d) => d.name === name);
  // A typo ('adma') gets the nearest name, as the CLI's --optimizer does (one rule: suggest.ts).
  if (!definition) throw invalidOption(`optimizer: unknown optimiser ${shown(name)}${didYouMeanValue(name, optimizerNames(), shown)} (known: ${optimizerNames().join(', ')})`);
  return definition;
}

/**
 * Refuses (INVALID_OPTION) the optimiser `name` for `net` when it trains dense chains only and
 * `net` is a block network: which optimiser, the network's first layer it cannot take, and the
 * registered optimisers that train it, its loss and size included (second-order first, as the likeliest stand-ins). Reads
 * nothing but the registry and the network's kind: run it before anything is built.
 */
export function checkOptimizerSupports(net: ModelOwner, name: string): void {
  const definition = findOptimizer(name);
  const model = trainableOf(net, name); // named as the optimiser's own constructor names a non-network
  if (definition.supports === 'any' || model.kind === 'dense') return;
  const terms = { loss: model.loss, parameters: model.parameterCount };
  const instead = [...OPTIMIZERS]
    // Only those that train this network: levenberg-marquardt was offered to cross-entropy networks, which it refuses.
    .filter((d) => d.supports === 'any' && d.refuses?.(terms) === undefined)
    .sort((a, b) => Number(b.kind === definition.kind) - Number(a.kind === definition.kind))
    .map((d) => `'${d.name}'`);
  throw invalidOption(
    `optimizer: '${name}' trains networks of dense layers only (createNetwork({ sizes })), and in this one ${model.firstNonDense ?? 'the layers come from layer specs'}; ` +
      `use one that trains any layer: ${instead.join(', ')}`,
  );
}

/** An optimiser for `net` from a name or { name, ...options }; one that cannot train `net`'s layers is refused first (checkOptimizerSupports). */
export function createOptimizer(net: ModelOwner, spec: OptimizerSpec): Optimizer {
  if (typeof spec === 'string') {
    checkOptimizerSupports(net, spec);
    return findOptimizer(spec).create(net, {});
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec) || typeof spec.name !== 'string') {
    throw invalidOption(
      `optimizer: expected a name, { name, ...options } or an Optimizer; ${spec === undefined ? 'got none' : `${shown(spec)} has no name and is missing step()`}${MODEL in Object(spec) ? ' (a network: createOptimizer takes the network first, then the spec)' : ''}`,
    );
  }
  const { name, ...options } = spec;
  checkOptimizerSupports(net, name);
  const definition = findOptimizer(name);
  checkPluginOptions(definition, options);
  return definition.create(net, options);
}

/** True for an Optimizer instance (as opposed to a spec). */
export function isOptimizer(value: unknown): value is Optimizer {
  return typeof value === 'object' && value !== null && typeof (value as Optimizer).step === 'function';
}

export { Adagrad, Adam, AdamW, Kfac, Lars, Lbfgs, LevenbergMarquardt, Rmsprop, Sgd };
export { clipGradientNorm } from './clip.js';
export type { Optimizer, OptimizerState } from './optimizer.js';
