// The format rule of `gradscope convert` and the Node file helpers: the content decides what a file
// holds (a gradscope model named model.json was taken for tfjs), the name what to write; weight
// shards may not leave the model's folder.
import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GradscopeError } from '../../src/errors.js';
import { saveModel } from '../../src/io/files.js';
import { contentFormatOf, interopFormatOf, readModelFile, readTfjsLayersFile, writeModelFile } from '../../src/io/model-formats.js';
import { toSafetensors } from '../../src/io/safetensors.js';
import { toTfjsLayers } from '../../src/io/tfjs-layers.js';
import { modelOf } from '../../src/io/model-data.js';
import { createNetwork } from '../../src/api/network.js';
import type { ModelData } from '../../src/network/model-file.js';

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
    ['web/model.json', 'gradscope'],
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
    // Under a name that says no JSON, told by `format`: its shards were looked for in a folder of its name ('model.txt/weights.bin').
    writeFileSync(join(folder, 'model.txt'), JSON.stringify(modelJson));
    for (const format of ['tfjs', 'json'] as const) expect(await readModelFile(join(folder, 'model.txt'), { format })).toMatchObject(model);
    await expect(readTfjsLayersFile(join(folder, 'my-tfjs.json'))).resolves.toMatchObject(model);
    // Its options as readModelFile's: one a tfjs model does not read, or none of them, is refused (both were ignored).
    await expect(readTfjsLayersFile(join(folder, 'my-tfjs.json'), { activation: 'relu' })).rejects.toThrow(/my-tfjs\.json: the activation option does not apply: a tfjs model records its layers and activations/);
    await expect(readTfjsLayersFile(join(folder, 'my-tfjs.json'), { los: 'mse' } as never)).rejects.toThrow(/^readTfjsLayersFile: unknown option 'los'; did you mean 'loss'\?/);
  });

  it('writes and reads back every readable format unchanged', async () => {
    for (const name of ['a.json', 'a.safetensors', 'tfjs-out/']) {
      await writeModelFile(model, join(folder, name));
      const { imported, ...read } = (await readModelFile(join(folder, name))) as ModelData;
      expect(read, name).toEqual(model);
    }
  });

  it('reads by content: a gradscope model named model.json, binary checkpoints, safetensors under any name', async () => {
    const named = join(folder, 'plain');
    mkdirSync(named);
    await writeModelFile(model, join(named, 'model.json'));
    expect(await readModelFile(join(named, 'model.json'))).toEqual(model);
    expect(await readModelFile(join(named, 'model.json'), { format: 'json' })).toEqual(model);
    const net2 = await createNetwork({ sizes: [2, 3, 1], activation: 'relu', output: 'linear', loss: 'mse', backend: 'ref', seed: 4 });
    await saveModel(net2, join(folder, 'checkpoint.bin'), { format: 'binary' });
    await saveModel(net2, join(folder, 'checkpoint.data'), { format: 'json' });
    const saved = modelOf(net2);
    net2.dispose();
    expect(await readModelFile(join(folder, 'checkpoint.bin'))).toEqual(saved);
    expect(await readModelFile(join(folder, 'checkpoint.data'))).toEqual(saved);
    writeFileSync(join(folder, 'weights.pt'), toSafetensors(model));
    expect(await readModelFile(join(folder, 'weights.pt'))).toMatchObject(model);
  });

  it.each([
    ['binary', [0x47, 0x53, 0x43, 0x4f, 0x50, 0x45, 0x0d, 0x0a, 1, 0, 0, 0], 'gradscope'],
    ['JSON after blanks and a byte order mark', [0xef, 0xbb, 0xbf, 0x20, 0x0a, 0x7b, 0x7d], 'json'],
    ['a safetensors header', [2, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d], 'safetensors'],
    ['a safetensors length past the end', [9, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d], undefined],
    ['three bytes', [1, 2, 3], undefined],
    ['nothing', [], undefined],
  ])('content %s is %s', (_label, bytes, format) => {
    expect(contentFormatOf(Uint8Array.from(bytes))).toBe(format);
  });

  it('refuses an import option the file records itself (INVALID_OPTION, naming it), and reads the ones that apply', async () => {
    await writeModelFile(model, join(folder, 'own.json'));
    await writeModelFile(model, join(folder, 'own-tfjs/'));
    await writeModelFile(model, join(folder, 'own.safetensors'));
    const net2 = await createNetwork({ sizes: [2, 3, 1], activation: 'relu', output: 'linear', loss: 'mse', backend: 'ref' });
    await saveModel(net2, join(folder, 'own.bin'), { format: 'binary' });
    net2.dispose();
    const refusals: [string, object, RegExp][] = [
      ['own.json', { activation: 'tanh' }, /own\.json: the activation option does not apply: a gradscope model records its layers, activations and loss/],
      ['own.json', { loss: 'mse' }, /the loss option does not apply: a gradscope model/],
      ['own.bin', { output: 'sigmoid' }, /own\.bin: the output option does not apply: a gradscope model/],
      ['own.json', { layers: ['fc1'] }, /the layers option does not apply/],
      ['own.json', { pytorch: 'nn.Linear(2, 1)' }, /the pytorch option does not apply/],
      ['own-tfjs', { activation: 'tanh' }, /own-tfjs: the activation option does not apply: a tfjs model records its layers and activations \(only the loss may be given\)/],
    ];
    for (const [name, options, message] of refusals) {
      const error = await readModelFile(join(folder, name), options).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(GradscopeError);
      expect((error as GradscopeError).code).toBe('INVALID_OPTION');
      expect((error as GradscopeError).message).toMatch(message);
    }
    expect(await readModelFile(join(folder, 'own-tfjs'), { loss: 'mse' })).toMatchObject(model);
    expect(await readModelFile(join(folder, 'own.safetensors'), { layers: ['0', '2'] })).toMatchObject(model);
    expect(await readModelFile(join(folder, 'own.json'), { activation: undefined })).toEqual(model);
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

  it("names the manifest group whose shard files are short, with their sizes, not the last shard's last weight", async () => {
    const { modelJson, weightData } = toTfjsLayers(model);
    const weights = modelJson.weightsManifest[0].weights; // kernel 2×3, bias 3 (36 bytes); kernel 3×1, bias 1 (16 bytes)
    expect(weights.map((w) => w.shape)).toEqual([[2, 3], [3], [3, 1], [1]]);
    modelJson.weightsManifest = [
      { paths: ['group1-shard1of1.bin'], weights: weights.slice(0, 2) },
      { paths: ['group2-shard1of1.bin'], weights: weights.slice(2) },
    ];
    mkdirSync(join(folder, 'two-groups'));
    writeFileSync(join(folder, 'two-groups', 'model.json'), JSON.stringify(modelJson));
    writeFileSync(join(folder, 'two-groups', 'group1-shard1of1.bin'), weightData.subarray(0, 32)); // the first group's shard 4 bytes short
    writeFileSync(join(folder, 'two-groups', 'group2-shard1of1.bin'), weightData.subarray(36));
    const error = await readModelFile(join(folder, 'two-groups')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GradscopeError);
    expect((error as GradscopeError).code).toBe('BAD_MODEL_FILE');
    const bias = weights[1].name.replace(/[/]/g, '\\/');
    expect((error as GradscopeError).message).toMatch(
      new RegExp(`two-groups/model\\.json: weightsManifest\\[0\\]: its weights take 36 bytes but its shard file, group1-shard1of1\\.bin, holds 32: the group's bytes end there, inside ${bias} \\(the group's bytes 24 to 36\\), if they were cut at the end$`),
    );
  });

  it('refuses shards whose sizes pass the limit in all before reading any (one 1 GiB file named three times would take 3 GiB)', async () => {
    const { modelJson } = toTfjsLayers(model);
    modelJson.weightsManifest[0].paths = ['big.bin', 'big.bin', './big.bin'];
    mkdirSync(join(folder, 'repeated'));
    writeFileSync(join(folder, 'repeated', 'model.json'), JSON.stringify(modelJson));
    writeFileSync(join(folder, 'repeated', 'big.bin'), '');
    truncateSync(join(folder, 'repeated', 'big.bin'), 2 ** 30); // sparse: no disk used, and never read
    const error = await readModelFile(join(folder, 'repeated')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GradscopeError);
    expect((error as GradscopeError).message).toMatch(/repeated\/model\.json: weightsManifest: its 3 shard files hold 3,221,225,472 bytes in all, beyond the limit of 2,147,483,648/);
  });
});
