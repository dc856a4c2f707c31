/**
 * How gradscope names a dense network's weight layers to people, in every table, chart, trace and
 * message: 'hidden 1' … 'hidden L−1' from the input on, then 'output' (Nielsen's counting: the first
 * hidden layer is layer 1). Indices in code and in JSON stay 0-based (`weights[l]`, `layer: l`).
 */
import { invalidOption, shown } from './errors.js';
import type { TappedLayerType } from './flow-taps.js';
import type { Trainable } from './model.js';

/** The name of weight layer `layer` (0-based) of a dense network with `layers` weight layers. */
export function denseLayerName(layer: number, layers: number): string {
  return layer === layers - 1 ? 'output' : `hidden ${layer + 1}`;
}

/**
 * Layer numbers for a sentence, each run of three or more consecutive ones as a range:
 * [1, 2, 3, 4, 5, 6, 7, 8] → '1–8', [2, 3, 5, 7, 8, 9] → '2, 3, 5, 7–9'. The one rule for every
 * list of layer numbers gradscope prints ('hidden layers 2–10', not 'hidden layers 2, 3, …, 10').
 */
export function numberRanges(numbers: readonly number[]): string {
  if (!Array.isArray(numbers) || !numbers.every((n) => Number.isInteger(n))) throw invalidOption(`numberRanges(numbers): expected an array of integers, got ${shown(numbers)}`);
  const parts: string[] = [];
  for (let i = 0; i < numbers.length; ) {
    let end = i;
    while (end + 1 < numbers.length && numbers[end + 1] === numbers[end] + 1) end++;
    if (end - i >= 2) parts.push(`${numbers[i]}–${numbers[end]}`);
    else parts.push(...numbers.slice(i, end + 1).map(String));
    i = end + 1;
  }
  return parts.join(', ');
}

/**
 * How a model file's refusal names a layer, in every format: `layers[i]`, its 0-based index in the
 * list that holds it, written as the path a reader follows in the file (a JSON model's "layers", a
 * block file's specs, a tfjs model's modelTopology.config.layers), after `list` where that list is
 * not at the top, then the file's own name for it where it has one: 'layers[1]',
 * 'header.layers[2]', 'modelTopology.config.layers[2] (dense_2)'. Never 'layer 1', which a reader
 * counting as the tables do (hidden 1 is layers[0]) takes for the first layer.
 */
export function fileLayer(index: number, list = '', name?: string): string {
  return fileListItem(`${list}layers`, index, name);
}

/**
 * An entry of a list in a model file as refusals name it, in fileLayer's form for a list that is not
 * named `layers` (Keras 2's bare list, `modelTopology.config[2] (dense_2)`): the list's path, the
 * 0-based index, then the file's own name for it where it has one.
 */
export function fileListItem(list: string, index: number, name?: string): string {
  return `${list}[${index}]${name === undefined ? '' : ` (${name})`}`;
}

/** A block layer's module path up to its own index (PyTorch's nesting): '' for '4', '3.branch.' for '3.branch.1'. Two rows share a layer stack when theirs are equal. */
export function parentPath(name: string): string {
  return name.slice(0, name.lastIndexOf('.') + 1);
}

/** A parameter's module: its PyTorch name without the tensor's own ('3.branch.0' for '3.branch.0.weight', '8' for '8.weight'; '' for a lone layer's 'weight'). */
export function moduleOf(parameterName: string): string {
  return parameterName.slice(0, Math.max(parameterName.lastIndexOf('.'), 0));
}

/**
 * A parameter tensor as messages name it to people: by its layer's name in the trace tables
 * (`layerLabel`, networkLayerLabels'), then its PyTorch name (the model files' and
 * gradients().parameters'): 'hidden 5 (8.weight)', "layers[3].layers[0] ('4.branch.0', dense)
 * (4.branch.0.weight)". The row name first, so a reader finds the row in a trace table by it.
 */
export function parameterLabel(parameter: { readonly name: string }, layerLabel: string): string {
  return `${layerLabel} (${parameter.name})`;
}

/**
 * A state buffer (a batch norm's running statistics) as messages name it: parameterLabel's words, with what it holds
 * after its PyTorch name: "layers[1] ('2', batch-norm) (2.running_var: batch norm's running variance)".
 */
export function stateLabel(buffer: { readonly name: string; readonly holds: string }, layerLabel: string): string {
  return parameterLabel({ name: `${buffer.name}: ${buffer.holds}` }, layerLabel);
}

/**
 * The name the trace tables give each parameterised layer of `net` (Trace.layerLabel's, in full),
 * for what names a layer outside a trace (curvature's per-layer rows, a DIVERGED error): by `group`
 * (Parameter.group) in a dense network, 'hidden 1' … 'output'; by `module` (moduleOf its tensors'
 * names) in a block network, from its flow taps, "layers[3].layers[0] ('4.branch.0', dense)" (a
 * ReZero block's α: its block's row, "layers[2] ('3', residual)").
 */
export function networkLayerLabels(net: Trainable): (group: number, module: string) => string {
  if (net.kind === 'dense' || !net.flowTaps) return (group) => denseLayerName(group, net.groupCount);
  const labels = blockRowLabels(net.flowTaps());
  return (_group, module) => labels.get(module)!;
}

/** How Trace.layerLabel writes a row's name: 'full' (the default) or 'short', for a chart's tick or row label. */
export type LayerLabelForm = 'full' | 'short';

/**
 * A block network's row or residual block named from its `layers` path (blockPaths), module name and
 * type, the one formula of Trace.layerLabel and residualLabel and of blockRowLabels:
 * "layers[3].layers[0] ('4.branch.0', dense)"; in short, 'layers[3][0] dense'.
 */
export function blockLayerLabel(path: string, name: string, type: TappedLayerType, form: LayerLabelForm): string {
  return form === 'short' ? `${path.replaceAll('.layers[', '[')} ${type}` : `${path} ('${name}', ${type})`;
}

/**
 * Every row's and residual block's name in full (blockLayerLabel, as a trace of the network names
 * them), keyed by module name; a ReZero block's row and block share one name.
 */
export function blockRowLabels(blocks: { readonly layers: readonly { readonly name: string; readonly type: TappedLayerType }[]; readonly residuals: readonly { readonly name: string }[] }): Map<string, string> {
  const paths = blockPaths(blocks);
  return new Map([
    ...blocks.residuals.map((b, i): [string, string] => [b.name, blockLayerLabel(paths.residuals[i], b.name, 'residual', 'full')]),
    ...blocks.layers.map((l, i): [string, string] => [l.name, blockLayerLabel(paths.layers[i], l.name, l.type, 'full')]),
  ]);
}

/**
 * Where each of a block network's modules sits in the `layers` a network was made from
 * (createNetwork's, a model file's): 'layers[5]', 'layers[5].layers[0]', from the module names of
 * the trace's rows and residual blocks (`names`, PyTorch's nesting: '6', '6.branch.0'). A dense spec
 * takes two module indices (nn.Linear, then its activation's module), every other spec one, so a
 * module's index among its stack's specs is its place among its siblings' module indices; every
 * spec is a row or a residual block, so the names hold every sibling. Keyed by module name.
 */
export function specPaths(names: readonly string[]): Map<string, string> {
  const siblings = new Map<string, number[]>();
  for (const name of new Set(names)) {
    const parent = parentPath(name);
    siblings.set(parent, [...(siblings.get(parent) ?? []), Number(name.slice(parent.length))]);
  }
  for (const indices of siblings.values()) indices.sort((a, b) => a - b);
  const path = (name: string): string => {
    const parent = parentPath(name);
    const own = `layers[${siblings.get(parent)!.indexOf(Number(name.slice(parent.length)))}]`;
    // A nested stack is a residual block's branch: 'P.branch.' under the block named P.
    return parent === '' ? own : `${path(parent.slice(0, -'.branch.'.length))}.${own}`;
  };
  return new Map([...new Set(names)].map((name) => [name, path(name)]));
}

/**
 * The `layers` path (specPaths) of each row and each residual block of a block network's trace, in
 * their order, from their module names: what Trace.layerLabel and Trace.residualLabel lead a name
 * with, and the trace's CSV writes in its `path` column. The HTML report's script runs it
 * (report-page.ts) for the CSV it downloads.
 */
export function blockPaths(blocks: { readonly layers: readonly { readonly name: string }[]; readonly residuals: readonly { readonly name: string }[] }): { layers: string[]; residuals: string[] } {
  const paths = specPaths([...blocks.layers.map((l) => l.name), ...blocks.residuals.map((b) => b.name)]);
  return { layers: blocks.layers.map((l) => paths.get(l.name)!), residuals: blocks.residuals.map((b) => paths.get(b.name)!) };
}
