/**
 * --norm and --residual-gate: the diagnosis' layers remedies (a RemedyLayersChange: a norm layer in each hidden layer,
 * residual or ReZero blocks) as `gradscope train`'s flags, made to the network --layers (or --depth and --width) and
 * --activation describe by applyLayersChange, the function a program applies such a remedy with: one way from a remedy
 * to layer specs. Refusals are said in the flags' words before any work; applyLayersChange and createNetwork stay
 * the rule (they would refuse the same, in the API's words).
 */
import { applyLayersChange } from '../api/layers-change.js';
import { counted } from '../counted.js';
import { GradscopeError } from '../errors.js';
import type { RemedyLayersChange, RemedyNorm } from '../flow/remedy.js';
import { LAYERS_CHANGE_VALUES, REMEDY_NORMS } from '../flow/remedy.js';
import { ACTIVATIONS, type Activation, type Loss, type OutputActivation } from '../kernels.js';
import { BATCH_NORM_MIN_ROWS, LAYER_NORM_OF_ONE, RESIDUAL_GATES, type CheckedSpec, type ResidualGate } from '../layers/spec.js';
import { resolveNetwork, type NetworkOptions } from '../network/config.js';
import { choiceFlag, OPTION_FLAGS, UsageError, type Flag, type ParsedArgs } from './command.js';

/** The flag of each field of a RemedyLayersChange on train's command line: a remedy's change is these flags with its values. */
export const LAYERS_CHANGE_FLAGS: Readonly<Record<keyof RemedyLayersChange, string>> = { norm: 'norm', residualGate: 'residual-gate', activation: OPTION_FLAGS.activation };

/** train's --norm and --residual-gate, their choices RemedyLayersChange's (--activation is train's own). */
export const LAYERS_CHANGE_FLAG_TABLE: Flag[] = [
  {
    name: LAYERS_CHANGE_FLAGS.norm,
    value: LAYERS_CHANGE_VALUES.norm.join('|'),
    about:
      "a normalisation layer between each hidden layer's weights and its activation (Ioffe & Szegedy's place): batch-norm, each unit over the batch's rows " +
      `(batches of ${BATCH_NORM_MIN_ROWS} rows or more); layer-norm, each row over the layer's units (default: none)`,
  },
  {
    name: LAYERS_CHANGE_FLAGS.residualGate,
    value: LAYERS_CHANGE_VALUES.residualGate.join('|'),
    about:
      'each hidden layer after the first wrapped in a residual block, its gate: none, a plain block x + f(x) (no gate, not no block); rezero, ' +
      "x + α·f(x) with α learned from zero (ReZero); the hidden layers need the same units (default: without the flag, no blocks)",
  },
];

/** --norm and --residual-gate as a RemedyLayersChange; undefined where neither is given. */
export function layersChangeFlags(args: ParsedArgs): RemedyLayersChange | undefined {
  const norm = choiceFlag<RemedyNorm>(args, LAYERS_CHANGE_FLAGS.norm);
  const residualGate = choiceFlag<ResidualGate>(args, LAYERS_CHANGE_FLAGS.residualGate);
  if (norm === undefined && residualGate === undefined) return undefined;
  return { ...(norm && { norm }), ...(residualGate && { residualGate }) };
}

/** `--layers 784,64,64,10` as the command line gave the shape, or the --depth and --width it came from. */
const shapeWords = (args: ParsedArgs, sizes: readonly number[]) => (args.flags.has('layers') ? `--layers ${sizes.join(',')}` : `--depth ${sizes.length - 2} --width ${sizes[1]}`);

/**
 * A UsageError naming the flag where `change` would change nothing in a dense network of `sizes`, or cannot be made there:
 * --norm with no hidden layer, or layer-norm over a hidden layer of 1 unit; --residual-gate with fewer than 2 hidden
 * layers, or hidden layers of different units (a block adds its input to its output). A remedy's train line is checked
 * by it too (remedy-terms' refusal), so that no line printed is one train refuses.
 */
export function checkLayersChange(args: ParsedArgs, sizes: readonly number[], change: RemedyLayersChange): void {
  const hidden = sizes.slice(1, -1);
  const shape = shapeWords(args, sizes);
  if (change.norm !== undefined) {
    const flag = `--${LAYERS_CHANGE_FLAGS.norm} ${change.norm}`;
    if (hidden.length === 0) throw new UsageError(`${flag} goes into each hidden layer, and ${shape} has none: give a hidden layer`);
    const single = hidden.indexOf(1);
    if (change.norm === 'layer-norm' && single >= 0) {
      throw new UsageError(`${flag}: hidden layer ${single + 1} of ${shape} has 1 unit, and ${LAYER_NORM_OF_ONE}; give it 2 or more units, or --${LAYERS_CHANGE_FLAGS.norm} batch-norm`);
    }
  }
  if (change.residualGate !== undefined) {
    const flag = `--${LAYERS_CHANGE_FLAGS.residualGate} ${change.residualGate}`;
    if (hidden.length < 2) throw new UsageError(`${flag} makes each hidden layer after the first a residual block, and ${shape} has ${counted(hidden.length, 'hidden layer')}: give 2 or more`);
    const widths = [...new Set(hidden)];
    if (widths.length > 1) {
      throw new UsageError(`${flag}: a residual block adds its input to its output, so every hidden layer needs the same units, and ${shape} has hidden layers of ${widths.join(', ')}`);
    }
  }
}

/** createNetwork's `options` (a dense network of `sizes`) with `change` made, in the layer-spec form, after checkLayersChange. */
export function withLayersChange(args: ParsedArgs, options: NetworkOptions, sizes: readonly number[], change: RemedyLayersChange): NetworkOptions {
  checkLayersChange(args, sizes, change);
  return applyLayersChange(options, change);
}

/** A block network as `gradscope train` makes it: the dense network of --layers, --activation and --output, and the --norm and --residual-gate made to it. */
export interface TrainMadeLayers {
  sizes: number[];
  activation: Activation;
  output: OutputActivation;
  change: RemedyLayersChange;
}

/** The dense layers of `specs` in forward order, residual blocks' branches included. */
const denseSpecs = (specs: readonly CheckedSpec[]): Extract<CheckedSpec, { type: 'dense' }>[] =>
  specs.flatMap((spec) => (spec.type === 'dense' ? [spec] : spec.type === 'residual' ? denseSpecs(spec.layers) : []));

/**
 * The train flags that make a block network of these checked layer specs (Network.layers), where some do: its dense layers'
 * units as --layers, and the --activation and the --norm and --residual-gate (at least one) whose change train makes with
 * applyLayersChange gives exactly these specs, found by making each and comparing (one rule: train's own). Undefined for a
 * network of specs of its own making (another norm's epsilon, an activation per layer, a block train does not make), which
 * study --model's remedies then say by the library's options (cli44: a model train made with --norm read as one it cannot make).
 */
export function trainMadeLayers(inputs: number, layers: readonly CheckedSpec[], loss: Loss): TrainMadeLayers | undefined {
  const dense = denseSpecs(layers);
  if (dense.length < 2) return undefined;
  const sizes = [inputs, ...dense.map((spec) => spec.units)];
  const output = dense.at(-1)!.activation;
  const made = JSON.stringify(layers);
  for (const activation of ACTIVATIONS) {
    for (const norm of [undefined, ...REMEDY_NORMS]) {
      for (const residualGate of [undefined, ...RESIDUAL_GATES]) {
        if (norm === undefined && residualGate === undefined) continue;
        const change: RemedyLayersChange = { ...(norm && { norm }), ...(residualGate && { residualGate }) };
        if (JSON.stringify(changedSpecs({ sizes, activation, output, loss }, change)) === made) return { sizes, activation, output, change };
      }
    }
  }
  return undefined;
}

/** The checked layer specs of `options` with `change` made (applyLayersChange), or undefined where the change cannot be made to them. */
function changedSpecs(options: NetworkOptions, change: RemedyLayersChange): readonly CheckedSpec[] | undefined {
  try {
    const resolved = resolveNetwork(applyLayersChange(options, change));
    return resolved.kind === 'blocks' ? resolved.config.layers : undefined;
  } catch (error) {
    if (error instanceof GradscopeError) return undefined;
    throw error;
  }
}
