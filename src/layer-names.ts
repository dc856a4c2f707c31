/**
 * How gradscope names a dense network's weight layers to people, in every table, chart and trace:
 * 'hidden 1' … 'hidden L−1' from the input on, then 'output' (Nielsen's counting: the first hidden
 * layer is layer 1). Indices in code and in JSON stay 0-based (`weights[l]`, `layer: l`).
 */

/** The name of weight layer `layer` (0-based) of a dense network with `layers` weight layers. */
export function denseLayerName(layer: number, layers: number): string {
  return layer === layers - 1 ? 'output' : `hidden ${layer + 1}`;
}
