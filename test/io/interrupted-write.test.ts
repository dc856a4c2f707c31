// Ctrl-C (SIGINT) or SIGTERM during an atomic write removes its temporary file at once and says so in one line, the
// process ending as the signal ends it (newuser43 #8: a Ctrl-C during a 157 MB save left a hidden 157 MB file until the
// next write to that name). A child process writes a large file; the signal is sent once its temporary file appears.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ROOT, userShellEnv } from '../util/cli.js';
import { codeQuoteOn } from '../util/page-quotes.js';

/** Runs a child that writes `size` MB to `target` (an older file there first), sends `signal` once its temporary file appears, and collects the outcome. */
async function interruptedWrite(signal: NodeJS.Signals): Promise<{ folder: string; target: string; stderr: string; code: number | null; signal: NodeJS.Signals | null; sent: boolean }> {
  const folder = mkdtempSync(join(tmpdir(), 'gradscope-interrupted-'));
  const target = join(folder, 'big.json');
  writeFileSync(target, 'the previous file');
  const script = join(folder, 'write.mts');
  writeFileSync(script, `import { writeFileAtomic } from ${JSON.stringify(join(ROOT, 'src/io/file-access.ts'))};\nawait writeFileAtomic(${JSON.stringify(target)}, new Uint8Array(512 * 1024 * 1024).fill(32));\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env: userShellEnv() });
  let stderr = '';
  child.stderr.on('data', (chunk) => void (stderr += chunk));
  const ended = new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('exit', (code, sig) => done([code, sig])));
  let sent = false;
  let exited = false;
  void ended.then(() => void (exited = true));
  while (!exited && !sent) {
    if (readdirSync(folder).some((name) => name.endsWith('.tmp'))) sent = child.kill(signal);
    else await sleep(2);
  }
  const [code, sig] = await ended;
  return { folder, target, stderr, code, signal: sig, sent };
}

describe('an interrupted atomic write', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: the temporary file removed, the previous file whole, one line saying so, the process ended by the signal', async (signal) => {
    const run = await interruptedWrite(signal);
    expect([run.sent, run.stderr, run.code], 'the signal was sent while the temporary file existed').toEqual([true, expect.anything(), null]);
    expect(run.signal).toBe(signal);
    expect(readdirSync(run.folder).sort()).toEqual(['big.json', 'write.mts']);
    expect(readFileSync(run.target, 'utf8')).toBe('the previous file');
    expect(run.stderr).toBe(`gradscope: interrupted (${signal}) while writing ${run.target}: nothing written there, any previous file unchanged\n`);
    // docs/reliability.md's quote of the line, its file named model.json there.
    if (signal === 'SIGINT') expect(run.stderr.replace(run.target, 'model.json')).toContain(codeQuoteOn('docs/reliability.md', 'gradscope: interrupted (SIGINT)'));
    expect(existsSync(run.target)).toBe(true);
  }, 60_000);
});
