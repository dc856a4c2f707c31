// `gradscope convert` killed while writing (issue 12.5: it wrote in place, and 3 of 3 kills left a
// 0-byte output in place of the previous good file): after each kill the output holds the previous
// model or the new one, complete; the next convert to that path removes the killed ones' temporary
// files.
import { spawn } from 'node:child_process';
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

const CHILD = fileURLToPath(new URL('./crash-convert.run.ts', import.meta.url));

/** Starts the converting child, waits for its `runs`-th announced convert, waits `delayMs` more, kills it. */
function killMidConvert(input: string, output: string, runs: number, delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // node itself with tsx as a loader, so the kill lands on the process that writes (the tsx command would relay it).
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, input, output], { stdio: ['ignore', 'pipe', 'inherit'] });
    let seen = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString().split('converting').length - 1;
      if (seen === runs) setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`the converting child exited by itself (${signal})`))));
  });
}

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
    const sizesSeen = new Set<string>();
    // Converting the large model takes a few hundred milliseconds: these delays land before, inside and after writes.
    for (const [runs, delayMs] of [[1, 150], [1, 300], [2, 50], [2, 250], [3, 100]] as const) {
      await killMidConvert(join(folder, 'large.gsc'), output, runs, delayMs);
      const model = (await readModelFile(output)) as ModelData;
      sizesSeen.add(model.sizes.join(','));
      expect(['3,2', '1024,2048,1024']).toContain(model.sizes.join(','));
    }
    const leftovers = readdirSync(folder).filter((name) => name.endsWith('.tmp'));
    console.log(`after 5 kills the output held: ${[...sizesSeen].join(' / ')}; temporary files left by the kills: ${leftovers.length}`);
    expect((await runCliInProcess(['convert', join(folder, 'small.gsc'), output])).code).toBe(0);
    expect(readdirSync(folder).sort()).toEqual(['large.gsc', 'out.safetensors', 'small.gsc']);
  });
});
