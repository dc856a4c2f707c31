/**
 * The network the settings describe, as createNetwork's options: a plain dense network, or with a
 * normalisation or residual blocks the same hidden layers as layer specs (README's block networks),
 * placed as the diagnosis's remedies name them (dense → norm → activation; each hidden layer after
 * the first a residual block). And the columns the diagram draws of it: one per hidden layer.
 */
import { ACTIVATIONS, type CheckedSpec, type LayerOptions, type LayerSpec, type NetworkOptions } from '../../src/index.js';
import { hiddenSizes, type Settings } from './settings.js';

/** createNetwork's options for `settings` on data of `inputs` columns and `classes` classes (softmax + cross-entropy). */
export function networkOptions(settings: Settings, inputs: number, classes: number): NetworkOptions {
  const sizes = hiddenSizes(settings);
  const common = { init: settings.init, loss: 'cross-entropy', seed: settings.seed } as const;
  if (settings.norm === 'none' && settings.residual === 'none') {
    return { sizes: [inputs, ...sizes, classes], activation: settings.activation, output: 'softmax', ...common };
  }
  const { activation, norm, residual } = settings;
  const hidden = (units: number): LayerSpec[] =>
    norm === 'none' ? [{ type: 'dense', units, activation }] : [{ type: 'dense', units }, { type: norm }, { type: 'activation', activation }];
  const layers = sizes.flatMap((units, l): LayerSpec[] =>
    l === 0 || residual === 'none' ? hidden(units) : [{ type: 'residual', gate: residual === 'rezero' ? 'rezero' : 'none', layers: hidden(units) }],
  );
  return { inputs, layers: [...layers, { type: 'dense', units: classes, activation: 'softmax' }], ...common };
}

/**
 * The page's Normalisation, Residual and Activation that networkOptions builds `layers`' hidden
 * layers from (those before the last top-level dense layer, the output): the first norm layer's type,
 * the first residual block's gate, the first hidden activation; null where one is not the page's.
 * Only what networkOptions builds again from them is the network (remedies.ts compares the two).
 */
export function layerSettings(layers: readonly (LayerOptions | LayerSpec)[]): Pick<Settings, 'norm' | 'residual' | 'activation'> | null {
  const specs = layers.filter((l): l is LayerSpec => 'type' in l);
  const hidden = specs.slice(0, specs.map((spec) => spec.type).lastIndexOf('dense'));
  const flat = hidden.flatMap((spec) => (spec.type === 'residual' ? spec.layers : [spec]));
  const norm = flat.find((spec) => spec.type === 'batch-norm' || spec.type === 'layer-norm')?.type ?? 'none';
  const block = hidden.find((spec) => spec.type === 'residual');
  const residual = block === undefined ? 'none' : block.gate === 'rezero' ? 'rezero' : 'plain';
  const first = flat.find((spec) => spec.type === 'activation') ?? flat.find((spec) => spec.type === 'dense');
  const activation = first && 'activation' in first ? (first.activation ?? 'linear') : 'linear';
  if (specs.length !== layers.length || !(ACTIVATIONS as readonly string[]).includes(activation)) return null;
  return { norm, residual, activation: activation as Settings['activation'] };
}

/**
 * The diagram's columns of a network's layers (net.layers): each is a dense layer with the norm and
 * activation layers after it, or a residual block; returned as the index of each column's last layer,
 * whose outputs (net.layerOutputs) the column shows. A dense network's: one column per layer.
 */
export function columnEnds(layers: readonly CheckedSpec[]): number[] {
  const ends: number[] = [];
  layers.forEach((_, i) => {
    const next = layers[i + 1];
    if (!next || next.type === 'dense' || next.type === 'residual') ends.push(i);
  });
  return ends;
}

/**
 * The columns' names: for a dense network, its weight layers' (`denseName`: Trace.layerLabel, 'hidden 1'
 * … 'output'); for a block network, the entries of its `layers` each column spans ('layers[0–2]' for a
 * dense layer, its batch norm and its activation; 'layers[3]' for a residual block), as the trace, the
 * diagnosis and the report name its rows by where they sit (Trace.layerLabel: "layers[1] ('2',
 * batch-norm)", "layers[3].layers[0] ('4.branch.0', dense)").
 */
export function columnNames(layers: readonly CheckedSpec[], blocks: boolean, denseName: (column: number) => string): string[] {
  const ends = columnEnds(layers);
  return ends.map((end, c) => {
    if (!blocks) return denseName(c);
    const start = c === 0 ? 0 : ends[c - 1] + 1;
    return start === end ? `layers[${end}]` : `layers[${start}–${end}]`;
  });
}
