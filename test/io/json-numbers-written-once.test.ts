/**
 * The JSON writers (saveModel, writeModelFile) write each number once where the size bounds cannot
 * tell whether the file fits: they counted it exactly (every number written) and then wrote the
 * text (every number again). The text is the same, and a file the bounds cannot tell that passes
 * the limit is still refused, with nothing written.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { saveModel } from '../../src/io/files.js';
import { writeModelFile } from '../../src/io/model-formats.js';
import { modelOf } from '../../src/io/model-data.js';
import { checkpointOf, checkpointToJSON } from '../../src/io/checkpoint.js';
import { FILE_LIMITS } from '../../src/model-limits.js';
import { modelJsonText } from '../../src/network/model-file.js';
import { expectError } from '../util/expect-error.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-written-once-'));

/** How many numbers `work` wrote with JSON.stringify (numberText's way), and its result. */
async function numbersWritten(work: () => Promise<unknown>): Promise<number> {
  const stringify = JSON.stringify;
  let count = 0;
  JSON.stringify = ((v: unknown, ...rest: unknown[]) => {
    if (typeof v === 'number') count++;
    return Reflect.apply(stringify, JSON, [v, ...rest]) as string;
  }) as typeof JSON.stringify;
  try {
    await work();
  } finally {
    JSON.stringify = stringify;
  }
  return count;
}

/** Runs `work` with FILE_LIMITS.maxJsonBytes at `bytes`. */
async function withJsonLimit<R>(bytes: number, work: () => Promise<R>): Promise<R> {
  const limits = FILE_LIMITS as { maxJsonBytes: number };
  const real = limits.maxJsonBytes;
  limits.maxJsonBytes = bytes;
  try {
    return await work();
  } finally {
    limits.maxJsonBytes = real;
  }
}

describe('JSON writers in the middle size band', async () => {
  const net = await createNetwork({ sizes: [40, 30, 10], backend: 'ref', seed: 2 });
  const model = modelOf(net);
  const checkpointText = modelJsonText(checkpointToJSON(checkpointOf(net)), Infinity, '', '');
  const modelText = modelJsonText(net.toJSON(), Infinity, '', '');
  const numbers = await numbersWritten(async () => modelJsonText(checkpointToJSON(checkpointOf(net)), Infinity, '', ''));

  it('saveModel writes each number once, the same text, where only the numbers tell whether it fits', async () => {
    const path = join(folder, 'saved.json');
    // The text exactly: above the count with every number at its fewest characters, below the one at its longest.
    const written = await withJsonLimit(checkpointText.length, () => numbersWritten(() => saveModel(net, path)));
    expect(written).toBe(numbers);
    expect(readFileSync(path, 'utf8')).toBe(checkpointText);
  });

  it('writeModelFile writes each number once, the same text', async () => {
    const path = join(folder, 'model.json');
    const fromText = await numbersWritten(async () => modelJsonText(net.toJSON(), Infinity, '', ''));
    // writeModelFile keeps one byte of the limit for the newline after the text.
    const written = await withJsonLimit(modelText.length + 1, () => numbersWritten(() => writeModelFile(model, path)));
    expect(written).toBe(fromText);
    expect(readFileSync(path, 'utf8')).toBe(`${modelText}\n`);
  });

  it('still refuses a file one byte over, where only the numbers tell, writing nothing', async () => {
    const path = join(folder, 'over.json');
    await withJsonLimit(checkpointText.length - 1, () => expectError(() => saveModel(net, path), 'INVALID_OPTION', /over\.json: its JSON text passes [\d,]+ bytes/));
    await withJsonLimit(modelText.length, () => expectError(() => writeModelFile(model, path), 'INVALID_OPTION', /over\.json: its JSON text passes [\d,]+ bytes/));
    expect(existsSync(path)).toBe(false);
  });
});
