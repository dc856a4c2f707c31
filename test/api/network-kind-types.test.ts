// A network's kind, as known where it is made, types what toJSON() gives (newuser48 #12): on
// createNetwork({ sizes }) it was ModelFile | BlockModelFile, so `net.toJSON().layers[0].weights` did
// not type-check (TS2339) on a chain of dense layers. tsc (npx tsc --noEmit -p .) checks the types here.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createNetwork, type BlockModelFile, type ModelFile, type Network, type NetworkKind, type Tensor } from '../../src/index.js';

describe("a network's kind types its file", () => {
  it('createNetwork({ sizes }) is typed dense, its toJSON() a ModelFile whose layers hold weights', async () => {
    const net = await createNetwork({ sizes: [2, 3, 1], output: 'sigmoid', loss: 'mse', seed: 1, backend: 'ref' });
    expectTypeOf(net).toEqualTypeOf<Network<Tensor, 'dense'>>();
    expectTypeOf(net.kind).toEqualTypeOf<'dense'>();
    const file = net.toJSON();
    expectTypeOf(file).toEqualTypeOf<ModelFile>();
    expect([net.kind, file.layers[0].weights.length, file.layers[1].biases.length]).toEqual(['dense', 3, 1]);
    net.dispose();
  });

  it('createNetwork({ inputs, layers }) may be either kind (all-dense specs make a dense one): its toJSON() is either file', async () => {
    const dense = await createNetwork({ inputs: 2, layers: [{ type: 'dense', units: 3, activation: 'tanh' }, { type: 'dense', units: 1, activation: 'sigmoid' }], loss: 'mse', seed: 1, backend: 'ref' });
    const blocks = await createNetwork({ inputs: 2, layers: [{ type: 'dense', units: 3, activation: 'tanh' }, { type: 'layer-norm' }, { type: 'dense', units: 1, activation: 'sigmoid' }], loss: 'mse', seed: 1, backend: 'ref' });
    expectTypeOf(blocks.kind).toEqualTypeOf<NetworkKind>();
    expectTypeOf(blocks.toJSON()).toEqualTypeOf<ModelFile | BlockModelFile>();
    expect([dense.kind, blocks.kind, 'layers' in blocks.toJSON() && 'tensors' in blocks.toJSON()]).toEqual(['dense', 'blocks', true]);
    // A typed-dense network goes wherever a Network does.
    const any: Network[] = [await createNetwork({ sizes: [2, 1], output: 'sigmoid', loss: 'mse', backend: 'ref' }), blocks];
    for (const net of [...any, dense]) net.dispose();
  });
});
