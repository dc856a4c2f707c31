/**
 * How gradscope names a dense network's weight layers to people, in every table, chart, trace and
 * message: 'hidden 1' … 'hidden L−1' from the input on, then 'output' (Nielsen's counting: the first
 * hidden layer is layer 1). Indices in code and in JSON stay 0-based (`weights[l]`, `layer: l`).
 */

/** The name of weight layer `layer` (0-based) of a dense network with `layers` weight layers. */
export function denseLayerName(layer: number, layers: number): string {
  return layer === layers - 1 ? 'output' : `hidden ${layer + 1}`;
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
