/**
 * How gradscope names a dense network's weight layers to people, in every table, chart and trace:
 * 'hidden 1' … 'hidden L−1' from the input on, then 'output' (Nielsen's counting: the first hidden
 * layer is layer 1). Indices in code and in JSON stay 0-based (`weights[l]`, `layer: l`).
 */

/** The name of weight layer `layer` (0-based) of a dense network with `layers` weight layers. */
export function denseLayerName(layer: number, layers: number): string {
  return layer === layers - 1 ? 'output' : `hidden ${layer + 1}`;
}

/** A block layer's module path up to its own index (PyTorch's nesting): '' for '4', '3.branch.' for '3.branch.1'. Two rows share a layer stack when theirs are equal. */
export function parentPath(name: string): string {
  return name.slice(0, name.lastIndexOf('.') + 1);
}
