// The path rule of `gradscope convert` and the Node file helpers: which format a name means, tfjs
// model.json sniffed by content, and weight shards that may not leave the model's folder.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GradscopeError } from '../../src/errors.js';
import { interopFormatOf, readModelFile, writeModelFile } from '../../src/io/model-formats.js';
import { toTfjsLayers } from '../../src/io/tfjs-layers.js';
import { modelOf } from '../../src/io/model-data.js';
import { createNetwork } from '../../src/api/network.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-formats-'));
mkdirSync(join(folder, 'existing'));

describe('model file formats', async () => {
  const net = await createNetwork({ sizes: [2, 3, 1], activation: 'relu', output: 'linear', loss: 'mse', backend: 'ref' });
  const model = modelOf(net);
  net.dispose();

  it.each([
    ['m.json', 'gradscope'],
    ['m.safetensors', 'safetensors'],
    ['M.ONNX', 'onnx'],
    ['web/model.json', 'tfjs'],
    ['web/', 'tfjs'],
    ['existing', 'tfjs'],
    ['m.h5', undefined],
  ])('%s is %s', async (name, format) => {
    expect(await interopFormatOf(join(folder, name) + (name.endsWith('/') ? '/' : ''))).toBe(format);
  });

  it('reads a tfjs model.json under another .json name by its content, shards beside it', async () => {
    const { modelJson, weightData } = toTfjsLayers(model);
    writeFileSync(join(folder, 'my-tfjs.json'), JSON.stringify(modelJson));
    writeFileSync(join(folder, 'weights.bin'), weightData);
    expect(await readModelFile(join(folder, 'my-tfjs.json'))).toMatchObject(model);
  });

  it('writes and reads back every readable format unchanged', async () => {
    for (const name of ['a.json', 'a.safetensors', 'tfjs-out/']) {
      await writeModelFile(model, join(folder, name));
      const { imported, ...read } = await readModelFile(join(folder, name));
      expect(read, name).toEqual(model);
    }
  });

  it('refuses shard paths outside the model folder', async () => {
    const { modelJson } = toTfjsLayers(model);
    modelJson.weightsManifest[0].paths = ['../../etc/passwd'];
    mkdirSync(join(folder, 'evil'));
    writeFileSync(join(folder, 'evil', 'model.json'), JSON.stringify(modelJson));
    const error = await readModelFile(join(folder, 'evil')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GradscopeError);
    expect((error as GradscopeError).code).toBe('BAD_MODEL_FILE');
    expect((error as GradscopeError).message).toMatch(/evil\/model\.json: weightsManifest\[0\]\.paths: "\.\.\/\.\.\/etc\/passwd" is not a file name inside/);
  });
});
