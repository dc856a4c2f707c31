import type { LayerSpec } from '../../src/layers/spec.js';

/**
 * A small block network with one of every kind of row a trace names (dense, batch norm, a ReZero
 * block holding layer norm and dense, an activation layer, a plain residual block, the output), on 4
 * inputs: the network whose row names test/flow/block-trace and test/curvature/layer-labels read.
 */
export const EVERY_BLOCK_KIND: LayerSpec[] = [
  { type: 'dense', units: 6, activation: 'tanh' },
  { type: 'batch-norm' },
  { type: 'residual', gate: 'rezero', layers: [{ type: 'layer-norm' }, { type: 'dense', units: 6, activation: 'relu' }] },
  { type: 'activation', activation: 'selu' },
  { type: 'residual', layers: [{ type: 'dense', units: 6, activation: 'sigmoid' }] },
  { type: 'dense', units: 3, activation: 'softmax' },
];
