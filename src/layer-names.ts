/**
 * How gradscope names a dense network's weight layers to people, in every table, chart, trace and
 * message: 'hidden 1' … 'hidden L−1' from the input on, then 'output' (Nielsen's counting: the first
 * hidden layer is layer 1). Indices in code and in JSON stay 0-based (`weights[l]`, `layer: l`).
 */
import { invalidOption, shown } from './errors.js';

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

/**
 * A parameter tensor as messages name it to people: in a dense network of `denseLayers` weight
 * layers by its layer, as the tables name it, with its PyTorch name (the model files' and
 * gradients().parameters') after it: 'hidden 5 (8.weight)'; in a block network (`denseLayers`
 * undefined) by its PyTorch name, which its tables show: "'3.branch.0.weight'".
 */
export function parameterLabel(parameter: { readonly name: string; readonly group: number }, denseLayers: number | undefined): string {
  return denseLayers === undefined ? `'${parameter.name}'` : `${denseLayerName(parameter.group, denseLayers)} (${parameter.name})`;
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
 * with, and the trace's CSV writes in its `path` column. Refers to nothing outside this file but
 * specPaths and parentPath, so the HTML report's script runs it as written (report-script.ts) for
 * the CSV it downloads.
 */
export function blockPaths(blocks: { readonly layers: readonly { readonly name: string }[]; readonly residuals: readonly { readonly name: string }[] }): { layers: string[]; residuals: string[] } {
  const paths = specPaths([...blocks.layers.map((l) => l.name), ...blocks.residuals.map((b) => b.name)]);
  return { layers: blocks.layers.map((l) => paths.get(l.name)!), residuals: blocks.residuals.map((b) => paths.get(b.name)!) };
}
