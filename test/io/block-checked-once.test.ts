// Each writer (JSON, safetensors, tfjs layers) checks a block model's values once (checkBlockModel): toJSON sizes its file over one build and copies
// in another, saveModel writes a checkpoint checkpointOf has checked; neither build checks the model again; toSafetensors and toTfjsLayers write the copy exportSource checked.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { saveModel } from '../../src/io/files.js';
import { checkpointOf, checkpointToJSON } from '../../src/io/checkpoint.js';
import { blockModelOf } from '../../src/io/model-data.js';
import { writeModelFile } from '../../src/io/model-formats.js';
import { toSafetensors } from '../../src/io/safetensors.js';
import { toTfjsLayers } from '../../src/io/tfjs-layers.js';
import { checkBlockModel } from '../../src/network/block-model-check.js';

vi.mock('../../src/network/block-model-check.js', async (original) => {
  const module = await original<typeof import('../../src/network/block-model-check.js')>();
  return { ...module, checkBlockModel: vi.fn(module.checkBlockModel) };
});

const folder = mkdtempSync(join(tmpdir(), 'gradscope-checked-once-'));

describe("a block model's values are checked once per write (JSON, safetensors, tfjs)", async () => {
  const net = await createNetwork({ inputs: 6, layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'batch-norm' }, { type: 'dense', units: 2, activation: 'softmax' }], backend: 'ref' });
  const checks = vi.mocked(checkBlockModel);

  // checkpointOf checks what it makes; blockModelOf checks nothing. Each is made before the count starts.
  const checkpoint = checkpointOf(net);
  const model = blockModelOf(net);

  it.each([
    ['toJSON', () => net.toJSON()],
    ['saveModel (JSON)', () => saveModel(net, join(folder, 'blocks.json'))],
    ['checkpointToJSON', () => checkpointToJSON(checkpoint)],
    ['writeModelFile (JSON)', () => writeModelFile(model, join(folder, 'model.json'))],
    ['toSafetensors', () => toSafetensors(net)],
    ['toSafetensors (BlockModelData)', () => toSafetensors(model)],
    ['toTfjsLayers', () => toTfjsLayers(net)],
    ['toTfjsLayers (BlockModelData)', () => toTfjsLayers(model)],
  ])('%s', async (_, write) => {
    checks.mockClear();
    await write();
    expect(checks).toHaveBeenCalledTimes(1);
  });
});
