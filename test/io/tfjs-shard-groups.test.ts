// readTfjsLayersFile checks each manifest group's shard files itself (checkShardGroups), after model.json's own
// refusals: a folder wrong in both names its topology first, as fromTfjsLayers on the same bytes does; a group
// whose files misfit is named even when the groups' sum is right (the weights would be read shifted).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { readModelFile } from '../../src/io/model-formats.js';
import { blockModelFromTfjsLayers } from '../../src/io/tfjs-block-reader.js';
import { fromTfjsLayers, toTfjsLayers } from '../../src/io/tfjs-layers.js';
import { expectError } from '../util/expect-error.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-shard-groups-'));

type Tfjs = ReturnType<typeof toTfjsLayers>;

/** The model in two manifest groups (its first `split` weights, then the rest), each group's bytes cut where `ends` says. */
function twoGroups({ modelJson, weightData }: Tfjs, split: number, name: string, ends: [number, number]): string {
  const weights = modelJson.weightsManifest[0].weights;
  modelJson.weightsManifest = [
    { paths: ['group1-shard1of1.bin'], weights: weights.slice(0, split) },
    { paths: ['group2-shard1of1.bin'], weights: weights.slice(split) },
  ];
  const dir = join(folder, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
  writeFileSync(join(dir, 'group1-shard1of1.bin'), weightData.subarray(0, ends[0]));
  writeFileSync(join(dir, 'group2-shard1of1.bin'), weightData.subarray(ends[0], ends[1]));
  return dir;
}

/** The config of the topology's first layer, to break. */
const firstLayer = ({ modelJson }: Tfjs) => (modelJson.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[0].config;

describe('tfjs shard groups', async () => {
  const dense = await createNetwork({ sizes: [2, 3, 1], activation: 'relu', output: 'linear', loss: 'mse', backend: 'ref' });
  const blocks = await createNetwork({ inputs: 2, loss: 'mse', seed: 4, backend: 'ref', layers: [{ type: 'dense', units: 3, activation: 'tanh' }, { type: 'layer-norm' }, { type: 'dense', units: 1, activation: 'linear' }] });
  const denseFile = () => toTfjsLayers(dense); // kernel 2×3, bias 3: 36 bytes; kernel 3×1, bias 1: 16 bytes
  const blockFile = () => toTfjsLayers(blocks);

  it('names the group whose files misfit though the sum over groups is right', async () => {
    const dir = twoGroups(denseFile(), 2, 'shifted', [32, 52]); // group 1 four bytes short, group 2 four long
    await expectError(() => readModelFile(dir), 'BAD_MODEL_FILE', /shifted\/model\.json: weightsManifest\[0\]: its weights take 36 bytes but its shard file, group1-shard1of1\.bin, holds 32: /);
  });

  it("says one shard file's size once, and each of several files' with the sum (it read 'weights.bin (20 bytes), hold 20: … end at 20', edges47 #19)", async () => {
    const { modelJson, weightData } = denseFile();
    modelJson.weightsManifest[0].paths = ['a.bin', 'b.bin'];
    const dir = join(folder, 'two-shards');
    mkdirSync(dir);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
    writeFileSync(join(dir, 'a.bin'), weightData.subarray(0, 20));
    writeFileSync(join(dir, 'b.bin'), weightData.subarray(20, 40));
    await expectError(
      () => readModelFile(dir),
      'BAD_MODEL_FILE',
      /two-shards\/model\.json: weightsManifest\[0\]: its weights take 52 bytes but its shard files, a\.bin \(20 bytes\), b\.bin \(20 bytes\), hold 40: the group's bytes end there, inside \S+ \(the group's bytes 36 to 48\), if they were cut at the end$/,
    );
  });

  it('names the short group of a block network gradscope wrote too', async () => {
    const file = blockFile();
    const dir = twoGroups(file, 2, 'block-short', [36, file.weightData.length - 8]);
    await expectError(() => readModelFile(dir), 'BAD_MODEL_FILE', /block-short\/model\.json: weightsManifest\[1\]: its weights take \d+ bytes but its shard file, group2-shard1of1\.bin, holds /);
  });

  it("names model.json's own fault before the shards', as fromTfjsLayers does on the same bytes", async () => {
    const file = denseFile();
    firstLayer(file).activation = 'bogus';
    const { weightData } = file;
    const dir = twoGroups(file, 2, 'both-wrong', [32, 52]);
    const fault = /modelTopology\.config\.layers\[0\] \(dense_\w+\)\.config\.activation: "bogus" is not one of /;
    await expectError(() => readModelFile(dir), 'BAD_MODEL_FILE', fault);
    await expectError(() => fromTfjsLayers(file.modelJson, weightData.subarray(0, 48)), 'BAD_MODEL_FILE', fault);

    const block = blockFile();
    firstLayer(block).units = 5;
    const blockFault = /modelTopology\.config\.layers\[0\] \(\w+\)\.config\.units: the specs make 3, got 5$/;
    const blockDir = twoGroups(block, 2, 'block-both-wrong', [8, 16]);
    await expectError(() => readModelFile(blockDir), 'BAD_MODEL_FILE', blockFault);
    await expectError(() => blockModelFromTfjsLayers(block.modelJson, block.weightData.subarray(0, 16)), 'BAD_MODEL_FILE', blockFault);
  });
});
