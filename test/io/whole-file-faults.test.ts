// A binary file refused as a whole (its checksum wrong, too short to be one) is said with the file named once: the
// reader gave 'file: checksum mismatch …', and every reader of a file puts the file's name before it, so a user read
// 'm.bin: file: checksum mismatch …' from loadModel and 'gradscope: BAD_MODEL_FILE: m.bin: file: …' from the command line.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { decodeCheckpoint } from '../../src/io/checkpoint.js';
import { loadModel, readCheckpoint, saveModel } from '../../src/io/files.js';
import { readModelFile } from '../../src/io/model-formats.js';
import { shellWord } from '../../src/shell-word.js';
import { runCliInProcess } from '../util/cli.js';
import { expectError } from '../util/expect-error.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-whole-file-'));
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const CHECKSUM = 'checksum mismatch \\(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\\): the file is corrupted or truncated';

/** A binary model saved whole, then one bit of its payload flipped: its checksum no longer matches. */
async function flipped(): Promise<string> {
  const path = join(folder, 'm.bin');
  const net = await createNetwork({ sizes: [3, 2], backend: 'ref', seed: 3 });
  await saveModel(net, path);
  net.dispose();
  const bytes = readFileSync(path);
  bytes[bytes.length - 10] ^= 1;
  writeFileSync(path, bytes);
  return path;
}

describe('a binary file refused as a whole names the file once', () => {
  it('a checksum mismatch, through every reader of a file and the bytes reader', async () => {
    const path = await flipped();
    const said = new RegExp(`^${escaped(shellWord(path))}: ${CHECKSUM}$`);
    await expectError(() => loadModel(path), 'BAD_MODEL_FILE', said);
    await expectError(() => readCheckpoint(path), 'BAD_MODEL_FILE', said);
    await expectError(() => readModelFile(path), 'BAD_MODEL_FILE', said);
    // The bytes alone: no file to name, the fault said as it is.
    await expectError(() => decodeCheckpoint(readFileSync(path)), 'BAD_MODEL_FILE', new RegExp(`^${CHECKSUM}$`));
  });

  it('the command line prints it in one line, the file named once', async () => {
    const path = await flipped();
    for (const args of [['study', '--model', path, '--epochs', '1'], ['convert', path, join(folder, 'out.json')]]) {
      const run = await runCliInProcess(args);
      expect([run.code, run.stdout], args.join(' ')).toEqual([1, '']);
      expect(run.stderr).toMatch(new RegExp(`^gradscope: BAD_MODEL_FILE: ${escaped(shellWord(path))}: ${CHECKSUM}\\n$`));
    }
  });

  it('a file too short to be a binary model', async () => {
    const path = join(folder, 'cut.bin');
    writeFileSync(path, new Uint8Array([0x47, 0x53, 0x43]));
    await expectError(() => loadModel(path), 'BAD_MODEL_FILE', new RegExp(`^${escaped(shellWord(path))}: truncated: 3 bytes is shorter than any model$`));
  });
});
