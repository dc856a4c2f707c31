/**
 * Memory goes back (issue 12.10): WebAssembly memory never shrinks, so disposing the last network
 * on an instance must leave nothing holding the instance. In a child process with --expose-gc, a
 * 256 MiB network is created, trained, disposed (its variable kept) and collected: the resident
 * set size returns to within 20 % of where it started.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./memory-return.run.ts', import.meta.url));
const MIB = 2 ** 20;

describe('memory after the last dispose', () => {
  it.each(['wasm', 'threads'])("goes back to the system (backend '%s')", (backend) => {
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', SCRIPT, backend], { cwd: ROOT, encoding: 'utf8', timeout: 110_000 });
    expect(run.status, `child failed: ${run.stderr}`).toBe(0);
    const { start, peak, end, disposed } = JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, number>;
    const mib = (bytes: number) => `${(bytes / MIB).toFixed(0)} MiB`;
    console.log(`${backend}: RSS ${mib(start)} at the start, ${mib(peak)} with the network, ${mib(end)} after dispose and collection`);
    expect(disposed).toBe(true);
    expect(peak - start, 'the network did not take its memory: the test would prove nothing').toBeGreaterThan(200 * MIB);
    expect(end).toBeLessThanOrEqual(1.2 * start);
  });
});
