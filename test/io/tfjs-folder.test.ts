// A tfjs model written into an existing folder switches whole or not at all: the new shard goes
// under a name the current model.json does not use and model.json is replaced last, so a write
// that fails between the two (simulated here: model.json's write refused, as a full disk would)
// leaves the previous model, bit for bit. Before, weights.bin was replaced first: two models of
// the same byte count ([3, 4, 2] and [3, 5, 1], 26 floats each) then read as the old architecture
// with the new model's numbers. The user's other files in the folder are left alone.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { GradscopeError } from '../../src/errors.js';
import { createNetwork } from '../../src/api/network.js';
import { modelOf } from '../../src/io/model-data.js';
import { readModelFile, writeModelFile } from '../../src/io/model-formats.js';
import type { ModelData } from '../../src/network/model-file.js';
import { expectError } from '../util/expect-error.js';

/** The file name whose write fails, as a full disk would fail it; '' for none. */
const failing = vi.hoisted(() => ({ name: '' }));
vi.mock('../../src/io/file-access.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/io/file-access.js')>();
  return {
    ...actual,
    writeFileAtomic: async (path: string, bytes: Uint8Array | string) => {
      if (basename(path) === failing.name) throw new GradscopeError('IO_ERROR', `${path}: cannot write (ENOSPC: no space left on device, simulated)`);
      return actual.writeFileAtomic(path, bytes);
    },
  };
});

const folder = mkdtempSync(join(tmpdir(), 'gradscope-tfjs-folder-'));
const web = join(folder, 'web');

const bits = (model: ModelData) => [model.sizes, ...[...model.weights, ...model.biases].map((t) => Array.from(new Uint32Array(Float32Array.from(t).buffer)))];

describe('a tfjs model written into an existing folder', async () => {
  const a = modelOf(await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', loss: 'mse', output: 'linear', seed: 1 }));
  const b = modelOf(await createNetwork({ sizes: [3, 5, 1], activation: 'tanh', loss: 'mse', output: 'linear', seed: 2 }));
  const floats = (m: ModelData) => [...m.weights, ...m.biases].reduce((n, t) => n + t.length, 0);

  it('leaves the previous model whole when the write fails before model.json switches', async () => {
    expect(floats(a)).toBe(floats(b)); // the same shard size: only the manifest tells them apart
    expect(await writeModelFile(a, `${web}/`)).toEqual([join(web, 'model.json'), join(web, 'weights.bin')]);
    writeFileSync(join(web, 'index.html'), 'the user’s page');
    failing.name = 'model.json';
    await expectError(() => writeModelFile(b, `${web}/`), 'IO_ERROR', /model\.json: cannot write \(ENOSPC/);
    failing.name = '';
    expect(bits((await readModelFile(web)) as ModelData)).toEqual(bits(a));
    // The next write succeeds and removes what the failed one and the previous model left.
    expect(await writeModelFile(b, `${web}/`)).toEqual([join(web, 'model.json'), join(web, 'weights-1.bin')]);
    expect(bits((await readModelFile(web)) as ModelData)).toEqual(bits(b));
    expect(readdirSync(web).sort()).toEqual(['index.html', 'model.json', 'weights-1.bin']);
  });

  it('alternates the shard name, removes only the replaced model’s gradscope shard, and keeps other files', async () => {
    writeFileSync(join(web, 'group1-shard1of1.bin'), 'another tool’s shard');
    expect(await writeModelFile(a, `${web}/`)).toEqual([join(web, 'model.json'), join(web, 'weights.bin')]);
    expect(readdirSync(web).sort()).toEqual(['group1-shard1of1.bin', 'index.html', 'model.json', 'weights.bin']);
    expect(JSON.parse(readFileSync(join(web, 'model.json'), 'utf8')).weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(bits((await readModelFile(web)) as ModelData)).toEqual(bits(a));
    // A shard written but not switched to (its model.json write failed) is overwritten by the next write, not kept beside it.
    failing.name = 'model.json';
    await expectError(() => writeModelFile(b, `${web}/`), 'IO_ERROR', /ENOSPC/);
    failing.name = '';
    await writeModelFile(b, `${web}/`);
    expect(readdirSync(web).sort()).toEqual(['group1-shard1of1.bin', 'index.html', 'model.json', 'weights-1.bin']);
    expect(readFileSync(join(web, 'index.html'), 'utf8')).toBe('the user’s page');
  });
});
