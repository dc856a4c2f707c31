/**
 * A torch.save file (.pt: a zip whose first entry is a pickle, or PyTorch's legacy bare pickle) is the commonest PyTorch file and
 * gradscope reads no pickle (newuser45 #9: it was "neither a gradscope model …, nor safetensors" with no way on): every reader
 * names it and prints the Python lines that write its state_dict as safetensors. No pickle is parsed: the first bytes tell it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/io/files.js';
import { readModelFile } from '../../src/io/model-formats.js';
import { isTorchSave } from '../../src/io/torch-save.js';
import { runCliInProcess } from '../util/cli.js';
import { expectError } from '../util/expect-error.js';
import { flat } from '../util/printed-text.js';

/** A zip's first local file header naming `name` (stored, no data), as torch.save (PyTorch ≥ 1.6) starts its file. */
function zipStarting(name: string): Uint8Array {
  const encoded = new TextEncoder().encode(name);
  const bytes = new Uint8Array(30 + encoded.length + 16);
  bytes.set([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00], 0);
  new DataView(bytes.buffer).setUint16(26, encoded.length, true);
  bytes.set(encoded, 30);
  bytes.set([0x80, 0x02, 0x7d, 0x71, 0x00], 30 + encoded.length); // the pickle: PROTO 2, EMPTY_DICT, …
  return bytes;
}

const LEGACY = Uint8Array.of(0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e); // torch.save's legacy magic number pickled

describe('a torch.save file', () => {
  it('is told by its first bytes: a zip whose first entry is data.pkl, or a pickle of protocol 2 to 5; not another zip or text', () => {
    expect(isTorchSave(zipStarting('archive/data.pkl'))).toBe(true);
    expect(isTorchSave(zipStarting('model/data.pkl'))).toBe(true);
    expect(isTorchSave(LEGACY)).toBe(true);
    expect(isTorchSave(zipStarting('word/document.xml'))).toBe(false);
    expect(isTorchSave(Uint8Array.of(0x80, 0x01, 0x00))).toBe(false);
    expect(isTorchSave(new TextEncoder().encode('# README'))).toBe(false);
  });

  const dir = mkdtempSync(join(tmpdir(), 'gradscope-torch-save-'));
  const words =
    /^BAD_MODEL_FILE: .*model\.pt: a PyTorch torch\.save file \(a pickle, zipped or not\), which gradscope does not read: unpickling runs whatever code the file names\. Write its state_dict as safetensors in Python, where the model is loaded: from safetensors\.torch import save_file; save_file\(model\.state_dict\(\), "model\.safetensors"\) \(a file of torch\.save\(model\.state_dict\(\)\): save_file\(torch\.load\("model\.pt", weights_only=True\), "model\.safetensors"\)\), then read that$/;

  it.each([['zip', zipStarting('archive/data.pkl')], ['legacy pickle', LEGACY]])('(%s) is refused by every reader with the lines that write safetensors', async (_, bytes) => {
    const path = join(dir, 'model.pt');
    writeFileSync(path, bytes);
    await expectError(() => readModelFile(path), 'BAD_MODEL_FILE', new RegExp(words.source.replace('^BAD_MODEL_FILE: ', '^')));
    await expectError(() => loadModel(path), 'BAD_MODEL_FILE', new RegExp(words.source.replace('^BAD_MODEL_FILE: .*', '^.*')));
    for (const args of [['convert', path, join(dir, 'out.json')], ['gradients', '--model', path, '--data', join(dir, 'none.json')]]) {
      const run = await runCliInProcess(args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(flat(run.stderr).trim().replace(/^gradscope: /, '')).toMatch(words);
    }
  });
});
