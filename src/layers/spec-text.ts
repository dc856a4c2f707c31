/**
 * A block network's layers in one line, as convert, gradients and study --model print them:
 * '4 inputs → dense 16 relu → batch-norm → residual rezero [layer-norm → dense 16 linear → activation selu] → dense 3 softmax'.
 * newuser29: convert's summary of a PyTorch import said '784 inputs → dense → dense (softmax)', so the
 * units and the hidden activation the expression gave could not be checked; gradients and study --model
 * each listed the bare types in a form of their own.
 */
import { BATCH_NORM_MOMENTUM, NORM_EPSILON, type LayerSpec } from './spec.js';

/**
 * One spec in words: a dense layer with its units and activation ('linear' when absent), 'no bias'
 * after a layer without one (nn.Linear(bias=False)), a residual
 * block with its gate and branch, a norm with its ε and momentum where they are not the defaults
 * (nn.BatchNorm1d(6, eps=1e-3, momentum=0.5) read as the defaults' 'batch-norm').
 */
function specText(spec: LayerSpec): string {
  switch (spec.type) {
    case 'dense':
      return `dense ${spec.units} ${spec.activation ?? 'linear'}${spec.bias === false ? ' no bias' : ''}`;
    case 'activation':
      return `activation ${spec.activation}`;
    case 'batch-norm':
      return `batch-norm${setting('ε', spec.epsilon, NORM_EPSILON)}${setting('momentum', spec.momentum, BATCH_NORM_MOMENTUM)}`;
    case 'layer-norm':
      return `layer-norm${setting('ε', spec.epsilon, NORM_EPSILON)}`;
    case 'residual':
      return `residual ${spec.gate ?? 'none'} [${spec.layers.map(specText).join(' → ')}]`;
  }
}

/** ' ε 0.001' for a value given and not the default, else ''. */
function setting(name: string, value: number | undefined, byDefault: number): string {
  return value === undefined || value === byDefault ? '' : ` ${name} ${value}`;
}

/** The stack `specs` taking `inputs` features, input first, each layer as specText says it. */
export function layerSpecsText(inputs: number, specs: readonly LayerSpec[]): string {
  return [`${inputs} inputs`, ...specs.map(specText)].join(' → ');
}
