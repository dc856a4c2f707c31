// The exported checkpoint writers (encodeCheckpoint, checkpointToJSON) check a hand-built checkpoint whole before writing
// it, by the readers' own rules (checkCheckpoint: checkModelData or checkBlockModel, the trainedOn reader, the step, RNG
// and optimiser state): a damaged field is INVALID_OPTION naming it, and nothing is returned to write. Before, a dense
// model's trainedOn, weights or sizes went out unchecked and were refused only when the file was read back.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { checkpointOf, checkpointToJSON, encodeCheckpoint, type Checkpoint } from '../../src/io/checkpoint.js';
import type { ModelData } from '../../src/network/model-file.js';
import type { BlockModelData } from '../../src/layers/block-model.js';
import { expectError } from '../util/expect-error.js';

const DENSE = { sizes: [4, 5, 3], activation: 'relu', output: 'softmax', backend: 'ref', seed: 4 } as const;
const BLOCKS = { inputs: 4, layers: [{ type: 'dense', units: 5, activation: 'relu' }, { type: 'batch-norm' }, { type: 'dense', units: 3, activation: 'softmax' }], backend: 'ref', seed: 4 } as const;

describe('a hand-built checkpoint is checked when written', async () => {
  const dense = checkpointOf(await createNetwork(DENSE));
  const blocks = checkpointOf(await createNetwork(BLOCKS));
  const model = dense.model as ModelData;
  const withModel = (changes: Partial<ModelData>): Checkpoint => ({ ...dense, model: { ...model, ...changes } });
  const cases: [string, Checkpoint, string][] = [
    ["a dense model's damaged trainedOn", withModel({ trainedOn: { data: 'rows.json', rows: 0 } }), 'checkpoint\\.model\\.trainedOn\\.rows: expected a whole number ≥ 1, got 0'],
    ["a dense model's weights of the wrong length", withModel({ weights: [new Float32Array(3), model.weights[1]] }), 'checkpoint\\.model\\.weights\\[0\\]: expected 20 values, got 3'],
    ["a dense model's NaN bias", withModel({ biases: [model.biases[0], Float32Array.of(0, NaN, 0)] }), 'checkpoint\\.model\\.biases\\[1\\]\\[1\\]'],
    ["a dense model's sizes", withModel({ sizes: [4, 0, 3] }), 'checkpoint\\.model\\.sizes\\[1\\]'],
    ["the checkpoint's damaged trainedOn", { ...dense, trainedOn: { data: '', rows: 3 } }, 'checkpoint\\.trainedOn\\.data: expected a name of 1 to 4,096 characters'],
    ['a step that is not a count', { ...dense, step: -1 }, 'checkpoint\\.step'],
    ['optimiser state without tensors', { ...dense, optimizer: { name: 'sgd', scalars: {} } } as unknown as Checkpoint, 'checkpoint\\.optimizer\\.tensors: expected an array'],
    ["a block model's damaged trainedOn", { ...blocks, model: { ...(blocks.model as BlockModelData), trainedOn: { data: 'x', rows: 1.5 } } }, 'checkpoint\\.model\\.trainedOn\\.rows'],
  ];
  for (const [name, checkpoint, field] of cases) {
    it(name, async () => {
      for (const [who, write] of [['encodeCheckpoint', encodeCheckpoint], ['checkpointToJSON', checkpointToJSON]] as const) {
        let written: unknown;
        await expectError(() => (written = write(checkpoint)), 'INVALID_OPTION', new RegExp(`^${who}: ${field}`));
        expect(written).toBeUndefined();
      }
    });
  }

  it('an undamaged one is written as before', () => {
    expect(encodeCheckpoint(dense).length).toBeGreaterThan(0);
    expect(checkpointToJSON(blocks).training.step).toBe(0);
  });
});
