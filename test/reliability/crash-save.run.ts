// Child process for crash-save.test.ts: saves a large model to argv[2].
// - `PATH`: over and over, announcing each save on stdout, until the parent kills it.
// - `PATH MOMENT`: once, and SIGKILLs itself at MOMENT: 'writing', when the folder shows the new
//   bytes being written and not yet in place (a new file growing, or the target itself changed in
//   size); 'replaced', once the target is another file (its inode changed: the rename happened).
//   It prints what it saw first. A save that ends without that moment exits 3: the parent fails
//   rather than waiting on a kill that never comes.
import { writeSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createNetwork } from '../../src/api/network.js';
import { saveModel } from '../../src/io/files.js';

const [path, moment] = process.argv.slice(2);
if (moment !== undefined && moment !== 'writing' && moment !== 'replaced') throw new Error(`crash-save.run.ts: expected PATH [writing|replaced], got ${process.argv.slice(2).join(' ')}`);
const folder = dirname(path);
const net = await createNetwork({ sizes: [1024, 2048, 1024], seed: 9 });

type Before = { size: number; ino: number; names: Set<string> };

/** What the folder shows that makes `moment` come, against the target and the folder `before` this save; undefined before it comes. */
async function seen(before: Before): Promise<string | undefined> {
  const now = await stat(path);
  if (moment === 'replaced') return now.ino !== before.ino ? `the new file in place (${now.size} bytes)` : undefined;
  if (now.ino === before.ino && now.size !== before.size) return `the target itself at ${now.size} bytes (it was ${before.size})`;
  for (const name of await readdir(folder)) {
    if (before.names.has(name)) continue; // the target, and what killed saves left (this save removes those)
    const size = await stat(join(folder, name)).then((info) => info.size, () => 0); // gone: renamed or removed meanwhile
    if (size > 0) return `${name} at ${size} bytes`;
  }
  return undefined;
}

/** Says what it saw and dies at once: synchronously, so no step of the save runs after the moment. */
function die(what: string): never {
  writeSync(1, `killed at ${moment}: ${what}\n`);
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: SIGKILL sent to this process');
}

if (moment === undefined) {
  for (;;) {
    process.stdout.write('saving\n');
    await saveModel(net, path, { format: 'binary' });
  }
}
const { size, ino } = await stat(path);
const before = { size, ino, names: new Set(await readdir(folder)) };
let done = false;
const saving = saveModel(net, path, { format: 'binary' }).finally(() => (done = true));
// Polls while the save runs: each stat and readdir goes to libuv's pool beside the write's own
// chunks (16 MB), so the loop sees the write in progress; and once more after it ('replaced').
for (let last = false; !last; ) {
  last = done;
  const what = await seen(before);
  if (what !== undefined) die(what);
}
await saving;
process.stderr.write(`crash-save.run.ts: the save ended without the moment '${moment}' showing\n`);
process.exit(3);
