/**
 * How much slower the first hidden layer learns than the last, at one moment of a network's life:
 * the batch gradient ‖∂C/∂b‖ of each hidden layer (Nielsen's speed of learning) and one example's
 * back-propagated gradient ‖δ‖ (RMS over rows), both as first ÷ last hidden layer. Read through the
 * public API only: Network.gradients and its gradients by PyTorch name, so the same code measures a
 * chain of dense layers and a block network.
 *
 * A hidden layer's "b" is the bias added last before its activation: the dense layer's own, or the
 * shift β of a batch or layer norm that follows it. For one row, ∂C/∂b is that row's δ, so one
 * example's ‖δ‖ is the norm of a one-row gradient. Batch norm couples the rows of a batch (a
 * one-row batch normalises to 0), so a network with batch norm has no per-example δ here.
 */
import type { Network } from '../api/network.js';
import type { Matrix } from '../data/matrix.js';
import { invalidOption, typedWord } from '../errors.js';
import type { CheckedSpec } from '../layers/spec.js';
import { denseTensorName } from '../model.js';
import { euclideanNorm } from '../norm.js';
import { resolveNetwork, type NetworkOptions } from '../network/config.js';
import type { Dataset } from '../training/dataset.js';

/**
 * Why a first ÷ last ratio is exactly 0, i.e. the first hidden layer's gradient is 0 in float32:
 * 'inactive': on every row, some relu layer of the network's own stack (not a residual branch, which
 * the skip goes around) had every unit inactive (z ≤ 0, where relu's σ' is exactly 0), so no gradient
 * reaches the first layer in exact arithmetic either; 'underflow': on some row every layer passes a
 * nonzero σ' on, so the gradient is a product of nonzero factors, and float32 rounded it to 0 (below
 * its range, or through a saturated unit whose σ' rounded to 0).
 */
export type ZeroCause = 'underflow' | 'inactive';

/** First ÷ last hidden layer, of the batch gradient and of one example's δ (null: not defined for this network). */
export interface GradientRatios {
  /** ‖∂C/∂b‖ of the first hidden layer ÷ that of the last hidden layer (NaN, 0 ÷ 0, when neither has a gradient). */
  biasGradient: number;
  /** Per-example RMS ‖δ‖ of the first hidden layer ÷ that of the last (null with batch norm). */
  delta: number | null;
  /** Why each ratio whose first hidden layer's gradient is exactly 0 is 0 (or 0 ÷ 0, NaN, when the last's is 0 too: zeroGradientCause); absent when neither is. */
  zeroCauses?: {
    /** Why biasGradient is 0. */
    biasGradient?: ZeroCause;
    /** Why delta is 0. */
    delta?: ZeroCause;
  };
}

/** Whether a layer spec's output is a relu's (a dense layer with relu, or a relu activation layer). */
const isRelu = (spec: CheckedSpec) => (spec.type === 'dense' || spec.type === 'activation') && spec.activation === 'relu';

/**
 * Whether a network of `options` has relu layers in its own stack, the only units whose σ' is exactly
 * 0 (where z ≤ 0): without any, a gradient of 0 can only be float32's rounding ('underflow').
 */
export function canBeInactive(options: NetworkOptions): boolean {
  const resolved = resolveNetwork(options);
  return resolved.kind === 'dense' ? resolved.config.activations.includes('relu') : resolved.config.layers.some(isRelu);
}

/**
 * Why the first hidden layer's gradient over `rows` is exactly 0 (see ZeroCause): from `net`'s layer
 * outputs on those rows, whether on every row some relu layer of its stack, from its first dense layer
 * on, outputs 0 at every unit (relu(z) = 0 ⇔ z ≤ 0).
 */
export function zeroGradientCause(net: Network, rows: Matrix): ZeroCause {
  const layers = net.layers;
  const first = layers.findIndex((spec) => spec.type === 'dense');
  const relu = layers.map((spec, i) => i >= first && isRelu(spec));
  if (!relu.includes(true)) return 'underflow';
  const outputs = net.layerOutputs(rows).layers;
  const inactiveOn = (r: number, i: number) => {
    const { units, values } = outputs[i];
    for (let u = 0; u < units; u++) if (values[r * units + u] !== 0) return false;
    return true;
  };
  for (let r = 0; r < rows.rows; r++) if (!relu.some((isReluLayer, i) => isReluLayer && inactiveOn(r, i))) return 'underflow';
  return 'inactive';
}

/** A layer spec as far as naming needs it (createNetwork's `{ type, … }` entries). */
interface NamedSpec {
  type: string;
  /** A residual block's gate ('none' or 'rezero'). */
  gate?: string;
  layers?: readonly NamedSpec[];
}

/** The layer specs of createNetwork options: given ones, or a dense layer per entry of `sizes` / `{ units }` layers. */
function specsOf(options: NetworkOptions): NamedSpec[] {
  const layers = options.layers as readonly (NamedSpec | { units: number })[] | undefined;
  if (layers?.every((l) => 'type' in l)) return layers as NamedSpec[];
  const count = layers ? layers.length : (options.sizes?.length ?? 1) - 1;
  return Array.from({ length: count }, () => ({ type: 'dense' }));
}

/**
 * The hidden layers' biases by PyTorch state_dict name, first hidden layer first, following the
 * naming of createNetwork's one nn.Sequential: a dense layer is nn.Linear then its activation's
 * module (two modules), a norm or an activation layer one module, a residual block one module whose
 * branch is `k.branch.j`. The output layer (the last dense one) is not hidden.
 */
export function hiddenBiasNames(options: NetworkOptions): string[] {
  const names: string[] = [];
  const walk = (specs: readonly NamedSpec[], prefix: string) => {
    let module = 0;
    specs.forEach((spec, i) => {
      const here = `${prefix}${module}`;
      if (spec.type === 'dense') {
        const next = specs[i + 1]?.type;
        // A norm right after a dense layer shifts last: its β is the layer's bias (it is one module on).
        names.push(next === 'batch-norm' || next === 'layer-norm' ? `${prefix}${module + 2}.bias` : `${here}.bias`);
        module += 2;
      } else if (spec.type === 'residual') {
        walk(spec.layers ?? [], `${here}.branch.`);
        module += 1;
      } else module += 1;
    });
  };
  const specs = specsOf(options);
  if (specs.every((s) => s.type === 'dense')) return specs.slice(0, -1).map((_, l) => denseTensorName(l, 'bias'));
  walk(specs, '');
  return names.slice(0, -1);
}

/** Whether the network has batch norm anywhere (its rows are coupled: no per-example δ). */
export function hasBatchNorm(options: NetworkOptions): boolean {
  const any = (specs: readonly NamedSpec[]): boolean => specs.some((s) => s.type === 'batch-norm' || any(s.layers ?? []));
  return any(specsOf(options));
}

/** Whether the network has a residual block gated by 'rezero' (α = 0 at initialisation), at any depth of nesting. */
export function hasRezeroGate(options: NetworkOptions): boolean {
  const any = (specs: readonly NamedSpec[]): boolean => specs.some((s) => (s.type === 'residual' && s.gate === 'rezero') || any(s.layers ?? []));
  return any(specsOf(options));
}

/** The gradient of `name`, which must exist. */
function tensor(parameters: Record<string, Float64Array>, name: string): Float64Array {
  const t = parameters[name];
  if (t === undefined) throw invalidOption(`gradient ratios: the network has no parameter ${typedWord(name)} (its parameters: ${Object.keys(parameters).slice(0, 6).join(', ')}, …)`);
  return t;
}

/**
 * First ÷ last hidden layer of `net`: ‖∂C/∂b‖ over the rows of `probe` (uploaded; `probeRows` are
 * its rows), one example's RMS ‖δ‖ over the rows of `examples` (one gradient per row; skipped when
 * `perExample` is false), and why each that is exactly 0 is. `names` are the hidden biases, first to
 * last (hiddenBiasNames). The weights are left as they were.
 */
export function gradientRatios(
  net: Network,
  probe: { data: Dataset; rows: Matrix },
  examples: { x: Matrix; y: Matrix },
  names: readonly string[],
  perExample: boolean,
): GradientRatios {
  const first = names[0];
  const last = names[names.length - 1];
  const batch = net.gradients(probe.data).parameters;
  const firstNorm = euclideanNorm(tensor(batch, first));
  const biasGradient = firstNorm / euclideanNorm(tensor(batch, last));
  const zeroCauses: NonNullable<GradientRatios['zeroCauses']> = {};
  // A first layer without gradient: the ratio is 0, or 0 ÷ 0 (NaN) where the last has none either; the cause is the same.
  if (firstNorm === 0) zeroCauses.biasGradient = zeroGradientCause(net, probe.rows);
  const withCauses = (ratios: GradientRatios): GradientRatios => (Object.keys(zeroCauses).length ? { ...ratios, zeroCauses } : ratios);
  if (!perExample) return withCauses({ biasGradient, delta: null });
  const { x, y } = examples;
  let firstSquares = 0;
  let lastSquares = 0;
  for (let r = 0; r < x.rows; r++) {
    const g = net.gradients([x.data.subarray(r * x.cols, (r + 1) * x.cols)], [y.data.subarray(r * y.cols, (r + 1) * y.cols)]).parameters;
    firstSquares += euclideanNorm(tensor(g, first)) ** 2;
    lastSquares += euclideanNorm(tensor(g, last)) ** 2;
  }
  const delta = Math.sqrt(firstSquares / lastSquares);
  if (firstSquares === 0) zeroCauses.delta = zeroGradientCause(net, x);
  return withCauses({ biasGradient, delta });
}
