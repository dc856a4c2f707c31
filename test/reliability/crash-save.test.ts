// A process killed in the middle of saving never destroys the previous file: after each kill the
// path holds a complete, loadable model (the old one or the new one), never a torn one, and the next
// save removes what the killed ones left.
//
// The saving child kills itself (SIGKILL, as any kill) at a moment it sees in the folder
// (kill-at-moment.ts), so each kill lands where it is meant to whatever the machine's load: while
// its save's bytes are being written over the small model (which must still be there), right after
// a save replaced it (the large one must be there, whole), and while a save is written over that
// large one. Before, the
// parent killed after a sleep of 0–40 ms following an announced save, so under load the kills
// landed wherever; and it killed the tsx command, whose node process went on saving (orphaned,
// until this file's worker ended): no save the test checked was cut short, and up to five orphans
// saved 16 MB each over and over (the test took 18.6 and 16.2 s in session 32's quiet CI runs, and
// timed out at load 14–16).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadModel, readCheckpoint, saveModel } from '../../src/io/files.js';
import { createNetwork } from '../../src/api/network.js';
import type { ModelData } from '../../src/network/model-file.js';
import { killedAtMoment, type Moment } from './kill-at-moment.js';

const CHILD = fileURLToPath(new URL('./crash-save.run.ts', import.meta.url));

describe('a crash during save', () => {
  it('leaves the previous or the new model, complete, every time', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradscope-crash-'));
    const path = join(folder, 'model.bin');
    const small = await createNetwork({ sizes: [3, 2], seed: 1 });
    await saveModel(small, path, { format: 'binary' });
    const SMALL = '3,2';
    const LARGE = '1024,2048,1024';
    const kills: [moment: Moment, holds: string][] = [
      ['writing', SMALL],
      ['replaced', LARGE],
      ['writing', LARGE],
    ];
    const seen: string[] = [];
    for (const [moment, holds] of kills) {
      seen.push(await killedAtMoment(CHILD, [path, moment]));
      const loaded = await loadModel(path);
      expect(loaded.sizes.join(','), `after the kill at ${moment} (${seen.at(-1)})`).toBe(holds);
      loaded.dispose();
    }
    console.log(seen.join('\n'));
    // The last kill, while writing, left its temporary file; the next save removes it.
    expect(readdirSync(folder).length, 'no temporary file was left: no kill cut a write short').toBeGreaterThan(1);
    await saveModel(small, path, { format: 'binary' });
    small.dispose();
    expect(readdirSync(folder)).toEqual(['model.bin']);
  });

  it('loads whole models while another process saves the same file over and over (read what was opened)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradscope-concurrent-'));
    const path = join(folder, 'model.bin');
    const small = await createNetwork({ sizes: [3, 2], seed: 1 });
    await saveModel(small, path, { format: 'binary' });
    small.dispose();
    // node itself with tsx as a loader, so the kill at the end lands on the saving process.
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    let loads = 0;
    try {
      // Before, 11 of 260 loads said "the file grew while being read": the size came from a stat of
      // the path, the bytes from a later open of what was by then another file.
      for (; loads < 60; loads++) {
        const { model } = await readCheckpoint(path);
        expect(['3,2', '1024,2048,1024']).toContain((model as ModelData).sizes.join(','));
      }
    } finally {
      child.kill('SIGKILL');
    }
    expect(loads).toBe(60);
  });
});
