/**
 * A block network's layers in one line, as convert, gradients and study --model print them:
 * '4 inputs → dense 16 relu → batch-norm → residual rezero [layer-norm → dense 16 linear → activation selu] → dense 3 softmax'.
 * newuser29: convert's summary of a PyTorch import said '784 inputs → dense → dense (softmax)', so the
 * units and the hidden activation the expression gave could not be checked; gradients and study --model
 * each listed the bare types in a form of their own.
 */
import type { LayerSpec } from './spec.js';

/** One spec in words: a dense layer with its units and activation ('linear' when absent), a residual block with its gate and branch. */
function specText(spec: LayerSpec): string {
  switch (spec.type) {
    case 'dense':
      return `dense ${spec.units} ${spec.activation ?? 'linear'}`;
    case 'activation':
      return `activation ${spec.activation}`;
    case 'residual':
      return `residual ${spec.gate ?? 'none'} [${spec.layers.map(specText).join(' → ')}]`;
    default:
      return spec.type;
  }
}

/** The stack `specs` taking `inputs` features, input first, each layer as specText says it. */
export function layerSpecsText(inputs: number, specs: readonly LayerSpec[]): string {
  return [`${inputs} inputs`, ...specs.map(specText)].join(' → ');
}
