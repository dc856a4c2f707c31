// What a first-hour user passes where a part goes is refused by name (newuser28): a Network given to networkFromModel
// said "BAD_MODEL_FILE: model.kind: expected 'blocks', got the string "dense"", and toTfjsLayers' whole result given to
// fromTfjsLayers said "modelTopology: missing or not an object".
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { networkFromBlockModel, networkFromModel } from '../../src/io/model-data.js';
import { fromTfjsLayers, toTfjsLayers } from '../../src/io/tfjs-layers.js';
import { blockModelFromTfjsLayers } from '../../src/io/tfjs-block-reader.js';
import { expectError } from '../util/expect-error.js';

describe('a whole object where a part goes', async () => {
  const dense = await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', backend: 'ref', seed: 1 });
  const blocks = await createNetwork({ inputs: 3, layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'layer-norm' }, { type: 'dense', units: 2, activation: 'softmax' }], backend: 'ref', seed: 1 });

  it('networkFromModel and networkFromBlockModel refuse a Network, naming modelOf and blockModelOf', async () => {
    for (const [who, call] of [
      ['networkFromModel', () => networkFromModel(dense as never)],
      ['networkFromModel', () => networkFromModel(blocks as never)],
      ['networkFromBlockModel', () => networkFromBlockModel(blocks as never)],
    ] as const) {
      await expectError(call, 'INVALID_OPTION', new RegExp(`^${who}: expected ModelData or BlockModelData, got a Network: modelOf\\(net\\) \\(blockModelOf for a block network\\) gives its data`));
    }
  });

  it("fromTfjsLayers and blockModelFromTfjsLayers refuse toTfjsLayers' whole result, saying to pass its two parts", async () => {
    const whole = toTfjsLayers(dense);
    await expectError(() => fromTfjsLayers(whole as never, undefined as never), 'INVALID_OPTION', /^fromTfjsLayers: got toTfjsLayers' whole \{ modelJson, weightData \}; pass its two parts apart: fromTfjsLayers\(t\.modelJson, t\.weightData\)$/);
    await expectError(() => blockModelFromTfjsLayers(toTfjsLayers(blocks) as never, undefined as never), 'INVALID_OPTION', /^blockModelFromTfjsLayers: got toTfjsLayers' whole/);
    expect(fromTfjsLayers(whole.modelJson, whole.weightData).sizes).toEqual([3, 4, 2]);
  });
});
