// docs/api.md's Block networks states the layer specs' defaults (ε, momentum, a dense layer's activation, a
// residual block's gate), which README and api.md left to the TSDoc until 2026-12-05 (newuser38): each is
// read from the page and compared with the constant and with what a network built without the field does.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { BATCH_NORM_MOMENTUM, checkLayerSpecs, NORM_EPSILON, type LayerSpec } from '../../src/layers/spec.js';
import { quotedOn } from '../util/page-numbers.js';

const x = [[0.3, -1, 2], [1.5, 0.2, -0.7], [-0.4, 0.9, 0.1], [2, -2, 0.5]];
const y = [[1, 0], [0, 1], [1, 0], [0, 1]];

/** The state after two training steps of a network with `norm` between its dense layers. */
async function trainedState(norm: LayerSpec): Promise<Float64Array[]> {
  const net = await createNetwork({ inputs: 3, loss: 'cross-entropy', seed: 4, backend: 'ref', layers: [{ type: 'dense', units: 4 }, norm, { type: 'activation', activation: 'tanh' }, { type: 'dense', units: 2, activation: 'softmax' }] });
  net.train(x, y, { epochs: 2, batchSize: 4, learningRate: 0.1 });
  const state = net.state().map((t) => Float64Array.from(t.values));
  net.dispose();
  return state;
}

describe("the block specs' defaults in docs/api.md", () => {
  it('are the constants, and what a spec without the field gets', async () => {
    const [batchEpsilon, momentum, layerEpsilon, denseActivation, gate] = quotedOn(
      'docs/api.md',
      /The specs' defaults are PyTorch's: `\{ type: 'batch-norm' \}` takes `epsilon` ([\d.e-]+) and `momentum` ([\d.]+) \(`NORM_EPSILON`, `BATCH_NORM_MOMENTUM`\), `\{ type: 'layer-norm' \}` `epsilon` ([\d.e-]+), a `\{ type: 'dense' \}` layer's `activation` is `'(\w+)'` and a `\{ type: 'residual' \}` block's `gate` is `'(\w+)'`/,
    );
    expect([Number(batchEpsilon), Number(momentum), Number(layerEpsilon)]).toEqual([NORM_EPSILON, BATCH_NORM_MOMENTUM, NORM_EPSILON]);
    expect(await trainedState({ type: 'batch-norm' })).toEqual(await trainedState({ type: 'batch-norm', epsilon: Number(batchEpsilon), momentum: Number(momentum) }));
    expect(await trainedState({ type: 'batch-norm' })).not.toEqual(await trainedState({ type: 'batch-norm', momentum: 0.5 }));
    expect(await trainedState({ type: 'layer-norm' })).toEqual(await trainedState({ type: 'layer-norm', epsilon: Number(layerEpsilon) }));
    expect(await trainedState({ type: 'layer-norm' })).not.toEqual(await trainedState({ type: 'layer-norm', epsilon: 0.5 }));
    expect(checkLayerSpecs([{ type: 'dense', units: 3 }], 3)[0]).toMatchObject({ activation: denseActivation });
    expect(checkLayerSpecs([{ type: 'residual', layers: [{ type: 'dense', units: 3 }] }], 3)[0]).toMatchObject({ gate });
  });
});
