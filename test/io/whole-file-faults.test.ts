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
    // The bytes alone: no file to name, the reader named in its place.
    await expectError(() => decodeCheckpoint(readFileSync(path)), 'BAD_MODEL_FILE', new RegExp(`^decodeCheckpoint: ${CHECKSUM}$`));
  });

  it('the command line prints it in one line, the file named once', async () => {
    const path = await flipped();
    for (const args of [['study', '--model', path, '--epochs', '1'], ['convert', path, join(folder, 'out.json')]]) {
      const run = await runCliInProcess(args);
      expect([run.code, run.stdout], args.join(' ')).toEqual([1, '']);
      expect(run.stderr).toMatch(new RegExp(`^gradscope: BAD_MODEL_FILE: ${escaped(shellWord(path))}: ${CHECKSUM}\\n$`));
    }
  });

  it.each([
    // Too short to be one.
    ['cut.bin', () => new Uint8Array([0x47, 0x53, 0x43]), 'truncated: 3 bytes is shorter than any model'],
    // Long enough, named .bin, without the magic bytes.
    ['magic.bin', () => new Uint8Array(32).fill(0x41), 'not a gradscope binary model \\(wrong magic bytes\\)'],
    // The magic and a header length past the file's end.
    ['header.bin', () => Uint8Array.from([...Buffer.from('GSCOPE\r\n'), 1, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0]), 'truncated: the header alone needs 120 bytes, the file has 20'],
  ])('%s, by the file reader and the bytes reader', async (name, bytes, words) => {
    const path = join(folder, name);
    writeFileSync(path, bytes());
    await expectError(() => loadModel(path), 'BAD_MODEL_FILE', new RegExp(`^${escaped(shellWord(path))}: ${words}$`));
    await expectError(() => decodeCheckpoint(bytes()), 'BAD_MODEL_FILE', new RegExp(`^decodeCheckpoint: ${words}$`));
  });
});
