// A page has no file system: it loads a checkpoint that Node's saveModel wrote from the file's bytes
// or text (fetched), with the browser-safe readers, and resumes it (docs/browser.md, "Training in a
// Web Worker"; docs/api.md's By task). The bytes and text here are the saved files read back, as a
// page fetches them; the resumed run is the uninterrupted one, bit for bit.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as browser from '../../src/index.js';
import { saveModel } from '../../src/io/files.js';
import { stateHash } from '../util/state-hash.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-checkpoint-page-'));
const X = [[0, 0], [0, 1], [1, 0], [1, 1]], Y = [[1, 0], [0, 1], [0, 1], [1, 0]];

describe("a checkpoint saveModel wrote, read by 'gradscope' alone", () => {
  it.each(['binary', 'json'] as const)('%s: decoded from what a page fetches, it resumes bit for bit', async (format) => {
    const { createNetwork, createOptimizer, decodeCheckpoint, checkpointFromJSON, networkFromCheckpoint, restoreOptimizer } = browser;
    const net = await createNetwork({ sizes: [2, 8, 2], activation: 'tanh', output: 'softmax', seed: 3 });
    const adam = createOptimizer(net, { name: 'adam', learningRate: 0.01 });
    net.train(X, Y, { epochs: 20, batchSize: 2, optimizer: adam });
    const path = join(folder, `m.${format === 'binary' ? 'bin' : 'json'}`);
    await saveModel(net, path, { optimizer: adam });

    const checkpoint = format === 'binary' ? decodeCheckpoint(new Uint8Array(readFileSync(path))) : checkpointFromJSON(readFileSync(path, 'utf8'));
    const page = await networkFromCheckpoint(checkpoint);
    const resumed = createOptimizer(page, 'adam');
    restoreOptimizer(resumed, checkpoint.optimizer);
    expect(stateHash(page, resumed)).toBe(stateHash(net, adam));
    page.train(X, Y, { epochs: 5, batchSize: 2, optimizer: resumed });
    net.train(X, Y, { epochs: 5, batchSize: 2, optimizer: adam });
    expect(stateHash(page, resumed)).toBe(stateHash(net, adam));
    page.dispose();
    net.dispose();
  });
});
