// convert into a tfjs folder removes the shards of the model it replaces by name (rm), after the switch: a shard that
// is a symbolic link is removed itself, not the file it points at. convert refused such a link to IN as if the write
// replaced IN ("OUT writes run/weights.bin, which is IN, a checkpoint: … would lose what only the checkpoint holds"),
// which was untrue: now it runs and IN is left as it was. A shard that is IN itself is still refused, saying OUT
// removes it.
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { saveModel } from '../../src/io/files.js';
import { readModelFile } from '../../src/io/model-formats.js';
import type { ModelData } from '../../src/network/model-file.js';
import { runCliInProcess } from '../util/cli.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-shard-link-'));
const at = (name: string) => join(folder, name);
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A binary checkpoint at `name`, and a tfjs folder `dir` convert made of it (model.json naming weights.bin). */
async function checkpointAndFolder(name: string, dir: string): Promise<void> {
  const net = await createNetwork({ sizes: [3, 4, 2], backend: 'ref', seed: 5 });
  await saveModel(net, at(name));
  net.dispose();
  const made = await runCliInProcess(['convert', at(name), `${at(dir)}/`]);
  expect([made.code, made.stderr]).toEqual([0, '']);
  expect(readdirSync(at(dir)).sort()).toEqual(['model.json', 'weights.bin']);
}

describe('convert into a tfjs folder whose old shard is IN', () => {
  it('runs where the shard is a symbolic link to IN, which its removal leaves as it was', async () => {
    await checkpointAndFolder('in.bin', 'run');
    rmSync(at('run/weights.bin'));
    symlinkSync(at('in.bin'), at('run/weights.bin'));
    const before = sha(at('in.bin'));
    const converted = await runCliInProcess(['convert', at('in.bin'), at('run')]);
    expect([converted.code, converted.stderr]).toEqual([0, '']);
    expect(sha(at('in.bin'))).toBe(before);
    // The link was the old model's shard: removed after the switch; the new shard took another name.
    expect(readdirSync(at('run')).sort()).toEqual(['model.json', 'weights-1.bin']);
    expect(lstatSync(at('run/weights.bin'), { throwIfNoEntry: false })).toBeUndefined();
    const [tfjs, checkpoint] = [(await readModelFile(at('run/model.json'))) as ModelData, (await readModelFile(at('in.bin'))) as ModelData];
    expect([tfjs.weights, tfjs.biases]).toEqual([checkpoint.weights, checkpoint.biases]);
  });

  it('refuses where the shard is IN itself, saying OUT removes it, and writes nothing', async () => {
    await checkpointAndFolder('own.bin', 'own');
    renameSync(at('own.bin'), at('own/weights.bin'));
    const before = sha(at('own/weights.bin'));
    const refused = await runCliInProcess(['convert', at('own/weights.bin'), at('own')]);
    expect([refused.code, refused.stdout]).toEqual([2, '']);
    expect(refused.stderr).toBe(
      `gradscope: INVALID_OPTION: ${at('own')}: OUT removes ${at('own/weights.bin')}, the shard of the tfjs model it replaces, which is IN, a checkpoint: writing a tfjs model over it would lose what only the checkpoint holds (the step (0) and the RNG state, which a run resumes from); give OUT another name; nothing was written\n`,
    );
    expect([sha(at('own/weights.bin')), readdirSync(at('own')).sort()]).toEqual([before, ['model.json', 'weights.bin']]);
  });
});
