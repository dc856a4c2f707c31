// writeModelFile's and readModelFile's `format` is one of the formats they know, checked before any
// file is touched. writeModelFile given another (6e2872d dropped the writers' default case) wrote
// nothing and returned undefined, with no word; beside a name of a known format it said "name the
// file undefined". readModelFile given one threw a raw TypeError from the readers' option table.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { modelOf } from '../../src/io/model-data.js';
import { readModelFile, writeModelFile } from '../../src/io/model-formats.js';
import { expectError } from '../util/expect-error.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-unknown-format-'));
const at = (name: string) => join(folder, name);

describe('an unknown format option', async () => {
  const net = await createNetwork({ sizes: [3, 4, 2], backend: 'ref', seed: 2 });
  const model = modelOf(net);
  net.dispose();

  it.each<[string, unknown, string]>([
    ['m.dat', 'pdf', '"pdf"'],
    ['m.json', 'pdf', '"pdf"'],
    ['m.dat', 7, '7'],
    ['m.safetensors', 'json', '"json"'],
  ])('writeModelFile to %s as %s is refused (INVALID_OPTION), nothing written', async (name, format, shown) => {
    const message = new RegExp(`^writeModelFile: format: expected one of gradscope, safetensors, onnx, tfjs, got ${shown}$`);
    await expectError(() => writeModelFile(model, at(name), format as never), 'INVALID_OPTION', message);
    expect(existsSync(at(name))).toBe(false);
  });

  it.each<[unknown, string]>([
    ['pdf', '"pdf"'],
    [7, '7'],
    [null, 'null'],
  ])('readModelFile as %s is refused (INVALID_OPTION naming the formats)', async (format, shown) => {
    await writeModelFile(model, at('read.json'));
    const message = new RegExp(`^readModelFile: format: expected one of json, gradscope, safetensors, onnx, tfjs, got ${shown}$`);
    await expectError(() => readModelFile(at('read.json'), { format: format as never }), 'INVALID_OPTION', message);
  });
});
