// `gradscope convert` killed while writing (issue 12.5: it wrote in place, and 3 of 3 kills left a
// 0-byte output in place of the previous good file): after each kill the output holds the previous
// model or the new one, complete; the next convert to that path removes the killed ones' temporary
// files.
//
// The converting child kills itself (SIGKILL) at a moment it sees in the folder (kill-at-moment.ts):
// while its output's bytes are being written over the small model (which must still be there), right
// after the output was replaced (the large model, whole), and while written over that large one.
// Before, the parent killed 50–300 ms after an announced convert, guessing that converting took "a
// few hundred milliseconds": under load the kills landed before, or after, the writes they meant to cut.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { saveModel } from '../../src/io/files.js';
import { readModelFile } from '../../src/io/model-formats.js';
import { runCliInProcess } from '../util/cli.js';
import type { ModelData } from '../../src/network/model-file.js';
import { killedAtMoment, type Moment } from './kill-at-moment.js';

const CHILD = fileURLToPath(new URL('./crash-convert.run.ts', import.meta.url));

describe('a kill during gradscope convert', () => {
  it('leaves the previous or the new model, complete, every time; the next convert cleans up', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradscope-crash-convert-'));
    const small = await createNetwork({ sizes: [3, 2], seed: 1 });
    const large = await createNetwork({ sizes: [1024, 2048, 1024], seed: 9 });
    await saveModel(small, join(folder, 'small.gsc'));
    await saveModel(large, join(folder, 'large.gsc'));
    small.dispose();
    large.dispose();
    const output = join(folder, 'out.safetensors');
    expect((await runCliInProcess(['convert', join(folder, 'small.gsc'), output])).code).toBe(0);
    const kills: [moment: Moment, holds: string][] = [
      ['writing', '3,2'],
      ['replaced', '1024,2048,1024'],
      ['writing', '1024,2048,1024'],
    ];
    const seen: string[] = [];
    for (const [moment, holds] of kills) {
      seen.push(await killedAtMoment(CHILD, [join(folder, 'large.gsc'), output, moment]));
      const model = (await readModelFile(output)) as ModelData;
      expect(model.sizes.join(','), `after the kill at ${moment} (${seen.at(-1)})`).toBe(holds);
    }
    console.log(seen.join('\n'));
    // The kills while writing left their temporary files; the next convert removes them.
    expect(readdirSync(folder).filter((name) => name.endsWith('.tmp')).length, 'no temporary file was left: no kill cut a write short').toBeGreaterThan(0);
    expect((await runCliInProcess(['convert', join(folder, 'small.gsc'), output])).code).toBe(0);
    expect(readdirSync(folder).sort()).toEqual(['large.gsc', 'out.safetensors', 'small.gsc']);
  });
});
