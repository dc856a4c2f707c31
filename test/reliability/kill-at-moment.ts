// A write killed at a moment the writing process sees, for the crash tests (crash-save, crash-convert):
// the child runs one write to a target file and SIGKILLs itself when the folder shows that moment, so
// each kill lands where it is meant to whatever the machine's load (a kill after a sleep landed wherever).
// - 'writing': the new bytes are being written and are not in place yet (a new file growing, or the
//   target itself changed in size: a write in place, the bug the tests catch);
// - 'replaced': the target is another file (its inode changed: the rename happened).
import { spawn } from 'node:child_process';
import { writeSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export type Moment = 'writing' | 'replaced';

/** `word` as a Moment, or a thrown error naming the child's expected arguments (`usage`). */
export function momentOf(word: string | undefined, usage: string): Moment {
  if (word === 'writing' || word === 'replaced') return word;
  throw new Error(`expected ${usage}, got ${process.argv.slice(2).join(' ')}`);
}

type Before = { size: number; ino: number; names: Set<string> };

/** What the folder shows that makes `moment` come, against the target and the folder `before` the write; undefined before it comes. */
async function seen(path: string, moment: Moment, before: Before): Promise<string | undefined> {
  const now = await stat(path);
  if (moment === 'replaced') return now.ino !== before.ino ? `the new file in place (${now.size} bytes)` : undefined;
  if (now.ino === before.ino && now.size !== before.size) return `the target itself at ${now.size} bytes (it was ${before.size})`;
  for (const name of await readdir(dirname(path))) {
    if (before.names.has(name)) continue; // the target, and what killed writes left (this write removes those)
    const size = await stat(join(dirname(path), name)).then((info) => info.size, () => 0); // gone: renamed or removed meanwhile
    if (size > 0) return `${name} at ${size} bytes`;
  }
  return undefined;
}

/** Says what it saw and dies at once: synchronously, so no step of the write runs after the moment. */
function die(moment: Moment, what: string): never {
  writeSync(1, `killed at ${moment}: ${what}\n`);
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: SIGKILL sent to this process');
}

/**
 * In the child: runs `write` (one write of the existing file `path`) and SIGKILLs this process at `moment`,
 * printing what it saw first. A write that ends without that moment exits 3: the parent fails rather than
 * waiting on a kill that never comes.
 */
export async function dieAtMoment(path: string, moment: Moment, write: () => Promise<unknown>): Promise<never> {
  const { size, ino } = await stat(path);
  const before = { size, ino, names: new Set(await readdir(dirname(path))) };
  let done = false;
  const writing = write().finally(() => (done = true));
  // Polls while the write runs: each stat and readdir goes to libuv's pool beside the write's own
  // chunks, so the loop sees the write in progress; and once more after it ('replaced').
  for (let last = false; !last; ) {
    last = done;
    const what = await seen(path, moment, before);
    if (what !== undefined) die(moment, what);
  }
  await writing;
  process.stderr.write(`${process.argv[1]}: the write ended without the moment '${moment}' showing\n`);
  process.exit(3);
}

/**
 * In the test: runs the child `script` with `args` (node itself with tsx as its loader, so the process that
 * writes is the one that dies: the tsx command would start another) until it kills itself; resolves with the
 * line it printed (`killed at …`), rejects if it ended any other way.
 */
export function killedAtMoment(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const saw = /^killed at .*$/m.exec(out)?.[0];
      if (signal === 'SIGKILL' && saw !== undefined) resolve(saw);
      else reject(new Error(`the writing child exited by itself (code ${code}, signal ${signal}): ${out}`));
    });
  });
}
