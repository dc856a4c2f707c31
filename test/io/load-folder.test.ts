// loadModel, loadCheckpoint and readCheckpoint read one file; given a folder they said "cannot read
// (it is a folder, not a file)" alone, of a tfjs model folder too (newuser28). They now say what the
// folder holds and what to pass instead, and following the advice reads the model.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { loadCheckpoint, loadModel, readCheckpoint, saveModel } from '../../src/io/files.js';
import { networkFromModel } from '../../src/io/model-data.js';
import { readModelFile, writeModelFile } from '../../src/io/model-formats.js';
import { expectError } from '../util/expect-error.js';

const root = mkdtempSync(join(tmpdir(), 'gradscope-load-folder-'));
const CONFIG = { sizes: [3, 4, 2], backend: 'ref', seed: 2 } as const;
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const READERS = [
  ['loadModel', (path: string) => loadModel(path, { backend: 'ref' })],
  ['loadCheckpoint', (path: string) => loadCheckpoint(path, { backend: 'ref' })],
  ['readCheckpoint', (path: string) => readCheckpoint(path)],
] as const;

describe('a folder given where a model file is read', () => {
  it('a tfjs model folder: says it is one, which loadModel does not read, and what does (readModelFile reads it)', async () => {
    const net = await createNetwork(CONFIG);
    const folder = join(root, 'tfjs-model/');
    await writeModelFile(net, folder);
    for (const [, read] of READERS) {
      await expectError(
        () => read(folder),
        'BAD_MODEL_FILE',
        new RegExp(`^${escaped(folder)}: a folder holding a tfjs layers model \\(model\\.json and its weight files\\), which loadModel does not read: readModelFile or readTfjsLayersFile does, and networkFromModel makes a network of what they give \\(gradscope convert IN OUT\\.json makes a gradscope model of it\\)$`),
      );
    }
    const loaded = await networkFromModel(await readModelFile(folder), { backend: 'ref' });
    expect(loaded.predict([[0.1, 0.2, 0.3]])).toEqual(net.predict([[0.1, 0.2, 0.3]]));
    [net, loaded].forEach((n) => n.dispose());
  });

  // It stopped a step short of a network (researcher53 F3): readModelFile gives model data, networkFromModel the network.
  it('a safetensors file: loadModel names the two calls that make a network of it, which do', async () => {
    const net = await createNetwork(CONFIG);
    const path = join(root, 'model.safetensors');
    await writeModelFile(net, path);
    await expectError(
      () => loadModel(path, { backend: 'ref' }),
      'BAD_MODEL_FILE',
      new RegExp(`^${escaped(path)}: a safetensors file, which loadModel does not read: readModelFile or fromSafetensors does, and networkFromModel makes a network of what they give \\(gradscope convert IN OUT\\.json makes a gradscope model of it\\)$`),
    );
    const loaded = await networkFromModel(await readModelFile(path), { backend: 'ref' });
    expect(loaded.predict([[0.1, 0.2, 0.3]])).toEqual(net.predict([[0.1, 0.2, 0.3]]));
    [net, loaded].forEach((n) => n.dispose());
  });

  it('a folder of saved files: names them and gives the first as the path to pass, which loads', async () => {
    const net = await createNetwork(CONFIG);
    const folder = join(root, 'runs');
    mkdirSync(folder);
    await saveModel(net, join(folder, 'b.bin'));
    await saveModel(net, join(folder, 'a.json'));
    writeFileSync(join(folder, 'notes.txt'), 'not a model');
    for (const [, read] of READERS) {
      await expectError(
        () => read(folder),
        'IO_ERROR',
        new RegExp(`^${escaped(folder)}: cannot read \\(it is a folder, not a file; it holds a\\.json and b\\.bin\\): pass the file itself, e\\.g\\. ${escaped(join(folder, 'a.json'))}$`),
      );
    }
    (await loadModel(join(folder, 'a.json'), { backend: 'ref' })).dispose();
    // A folder holding gradscope's own model.json (saved under that name): the path to pass is that file.
    const named = join(root, 'named');
    mkdirSync(named);
    await saveModel(net, join(named, 'model.json'));
    await expectError(() => loadModel(named), 'IO_ERROR', new RegExp(`it holds model\\.json\\): pass the file itself, e\\.g\\. ${escaped(join(named, 'model.json'))}$`));
    net.dispose();
  });

  it('names the first four files and counts the rest; says so of a folder with none', async () => {
    const many = join(root, 'many');
    mkdirSync(many);
    for (const name of ['e.bin', 'c.json', 'a.bin', 'f.json', 'b.json', 'd.bin']) writeFileSync(join(many, name), '{}');
    await expectError(() => loadModel(many), 'IO_ERROR', /it holds a\.bin, b\.json, c\.json, d\.bin and 2 more\): pass the file itself, e\.g\. .*a\.bin$/);
    const empty = join(root, 'empty');
    mkdirSync(join(empty, 'sub.json'), { recursive: true }); // a folder named like a file is not one
    await expectError(() => loadModel(empty), 'IO_ERROR', new RegExp(`^${escaped(empty)}: cannot read \\(it is a folder, not a file, and holds no \\.json or \\.bin file\\): pass the file saveModel, toJSON or convert wrote$`));
  });
});
