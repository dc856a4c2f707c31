// docs/api.md's Files section states saveModel's default format as values, and saveModel writes
// what it states: gradscope's JSON for a path ending in .json (any case), its binary checkpoint
// for any other name.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { CHECKPOINT_BINARY_MAGIC } from '../../src/io/checkpoint.js';
import { saveModel } from '../../src/io/files.js';

const flat = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8').replace(/\s*\n\s*/g, ' ');

describe("docs/api.md's saveModel format default", () => {
  it('is stated as values', () => {
    expect(flat).toContain("`format` is `'json'` or `'binary'` (default: `'json'` for a path ending in `.json`, `'binary'` otherwise)");
    expect(flat).toContain("and a `format` the name contradicts (`'binary'` for `x.json`, `'json'` for `x.bin`) is refused with `INVALID_OPTION` naming both, nothing written, as `writeModelFile` refuses one");
    // The refusals themselves: test/io/output-format-names.
    expect(flat).toContain("a name that says another format (`.safetensors`, `.onnx`, a folder ending in `/`) is refused with `INVALID_OPTION`, as `writeModelFile(net, path)` writes those");
  });

  it('is what saveModel writes', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradscope-save-format-'));
    const net = await createNetwork({ sizes: [2, 3, 1], output: 'sigmoid', loss: 'binary-cross-entropy', seed: 1 });
    const written = async (name: string) => {
      await saveModel(net, join(folder, name));
      return [...readFileSync(join(folder, name)).subarray(0, CHECKPOINT_BINARY_MAGIC.length)];
    };
    for (const name of ['m.json', 'M.JSON']) expect(String.fromCharCode((await written(name))[0]), name).toBe('{');
    for (const name of ['m.bin', 'm.ckpt', 'm.json.bak', 'm']) expect(await written(name), name).toEqual([...CHECKPOINT_BINARY_MAGIC]);
    net.dispose();
  });
});
