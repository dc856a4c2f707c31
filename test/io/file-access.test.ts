// The file layer every write and read goes through (src/io/file-access.ts): atomic writes that
// clean up after killed ones, write through symbolic links, never replace a device, a pipe or a
// folder; reads of what was opened, to its end (pipes and /proc files too); IO_ERROR naming the file.
import { execFileSync } from 'node:child_process';
import { open } from 'node:fs/promises';
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWritable, isOneEntry, readFileBytes, sameFile, writeFileAtomic, writeFolderAtomic } from '../../src/io/file-access.js';
import { loadModel } from '../../src/io/files.js';
import { readModelFile } from '../../src/io/model-formats.js';
import { runCliInProcess } from '../util/cli.js';
import { writeReport } from '../../src/io/report-file.js';
import { expectError } from '../util/expect-error.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-file-access-'));
const at = (name: string) => join(folder, name);

/** A process id that is certainly not running: a child that has already exited. */
const deadPid = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));

describe('writeFileAtomic', () => {
  it("removes what killed writes to the same path left behind, and leaves running writes' files alone", async () => {
    const stale = `.model.json.${deadPid}.0123456789ab.tmp`;
    const running = `.model.json.${process.pid}.ba9876543210.tmp`;
    const otherPath = `.other.json.${deadPid}.0123456789ab.tmp`;
    for (const name of [stale, running, otherPath]) writeFileSync(at(name), 'half a model');
    mkdirSync(at(`.model.json.${deadPid}.aaaaaaaaaaaa.tmp`)); // a killed folder write
    await writeFileAtomic(at('model.json'), '{"new":true}');
    expect(readdirSync(folder).sort()).toEqual([running, otherPath, 'model.json'].sort());
    expect(readFileSync(at('model.json'), 'utf8')).toBe('{"new":true}');
  });

  it('writes through a symbolic link (the link stays) and refuses a pipe or a folder, leaving them as they were', async () => {
    mkdirSync(at('real'));
    writeFileSync(at('real/target.json'), 'old');
    symlinkSync(at('real/target.json'), at('link.json'));
    await writeFileAtomic(at('link.json'), 'new');
    expect(lstatSync(at('link.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(at('real/target.json'), 'utf8')).toBe('new');
    execFileSync('mkfifo', [at('pipe')]);
    await expectError(() => writeFileAtomic(at('pipe'), 'x'), 'IO_ERROR', /pipe: cannot write \(not a regular file; gradscope replaces only files\)/);
    expect(lstatSync(at('pipe')).isFIFO()).toBe(true);
    await expectError(() => writeFileAtomic(at('real'), 'x'), 'IO_ERROR', /real: cannot write \(it is a folder\)/);
    await expectError(() => writeFileAtomic(at('absent/x.json'), 'x'), 'IO_ERROR', /x\.json: cannot write \(the folder .*absent does not exist\)/);
  });

  it('writes through a dangling symbolic link: the file it points at is created and the link stays (the link was replaced by a file)', async () => {
    mkdirSync(at('later'));
    symlinkSync('later/new.json', at('dangling.json')); // relative: from the link's folder
    await writeFileAtomic(at('dangling.json'), 'new');
    expect(lstatSync(at('dangling.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(at('later/new.json'), 'utf8')).toBe('new');
    symlinkSync(at('loop-b'), at('loop-a'));
    symlinkSync(at('loop-a'), at('loop-b'));
    await expectError(() => writeFileAtomic(at('loop-a'), 'x'), 'IO_ERROR', /loop-a: cannot write \(its symbolic links go round in a loop\)$/);
    await expectError(() => checkWritable(at('loop-a')), 'IO_ERROR', /loop-a: cannot write \(its symbolic links go round in a loop\)$/);
    expect([lstatSync(at('loop-a')).isSymbolicLink(), lstatSync(at('loop-b')).isSymbolicLink()]).toEqual([true, true]);
  });

  it('refuses to write a file at a path ending in a slash, naming it a folder (was: ENOTDIR: not a directory)', async () => {
    await expectError(() => writeFileAtomic(at('new-folder/'), 'x'), 'IO_ERROR', /new-folder\/: cannot write \(a path ending in '\/' names a folder, not a file\)$/);
    await expectError(() => checkWritable(at('new-folder/')), 'IO_ERROR', /new-folder\/: cannot write \(a path ending in '\/' names a folder/); // --csv, --html: before any work
    expect(readdirSync(folder).filter((name) => name.includes('new-folder'))).toEqual([]);
  });
});

describe('checkWritable, before any work', () => {
  it('refuses a missing folder, a folder, a pipe and a folder that takes no new file, and leaves nothing behind', async () => {
    mkdirSync(at('check'));
    await expectError(() => checkWritable(at('check/absent/r.html')), 'IO_ERROR', /r\.html: cannot write \(the folder .*absent does not exist\)/);
    await expectError(() => checkWritable(at('check')), 'IO_ERROR', /check: cannot write \(it is a folder\)/);
    execFileSync('mkfifo', [at('check/pipe')]);
    await expectError(() => checkWritable(at('check/pipe')), 'IO_ERROR', /pipe: cannot write \(not a regular file/);
    await expectError(() => checkWritable('/proc/r.html'), 'IO_ERROR', /\/proc\/r\.html: cannot write \(the folder \/proc is there but makes no new file in it: ENOENT, no such file or directory\)$/);
    // The write itself says the same (it said the system's bare 'ENOENT', which reads as a missing file).
    await expectError(() => writeFileAtomic('/proc/r.html', 'x'), 'IO_ERROR', /\/proc\/r\.html: cannot write \(the folder \/proc is there but makes no new file in it: ENOENT, no such file or directory\); any previous file is unchanged$/);
    await checkWritable(at('check/r.html'));
    expect(readdirSync(at('check'))).toEqual(['pipe']);
  });

  it('holds for reports too: writeReport creates no folder (as saveModel and convert)', async () => {
    await expectError(() => writeReport(at('nowhere/r.html'), { runs: [] }), 'IO_ERROR', /r\.html: cannot write \(the folder .*nowhere does not exist\)/);
    expect(readdirSync(folder)).not.toContain('nowhere');
  });
});

describe('sameFile: whether writing one path replaces the file the other names', () => {
  it('follows symbolic links, dangling ones too, and the folders on the way; two hard links are two files', async () => {
    mkdirSync(at('same/sub'), { recursive: true });
    writeFileSync(at('same/a.json'), 'a');
    symlinkSync(at('same/a.json'), at('same/link-a.json'));
    symlinkSync('sub', at('same/sub-link'));
    symlinkSync('../not-yet.json', at('same/sub/to-new.json')); // dangling, relative to its folder
    symlinkSync(at('same/to-new-again.json'), at('same/chain.json'));
    symlinkSync(at('same/sub/to-new.json'), at('same/to-new-again.json'));
    linkSync(at('same/a.json'), at('same/hard-a.json'));
    linkSync(at('same/a.json'), at('same/sub/hard-a.json'));
    symlinkSync(at('same/loop-2'), at('same/loop-1'));
    symlinkSync(at('same/loop-1'), at('same/loop-2'));
    const cases: [string, string, boolean][] = [
      ['same/a.json', 'same/sub/../a.json', true],
      ['same/link-a.json', 'same/a.json', true],
      ['same/sub-link/to-new.json', 'same/not-yet.json', true], // was: false (a path that exists and one that does not)
      ['same/chain.json', 'same/not-yet.json', true], // two dangling links in a row
      ['same/not-yet.json', 'same/other-new.json', false],
      ['same/hard-a.json', 'same/a.json', false], // was: true (one inode)
      ['same/sub/hard-a.json', 'same/link-a.json', false],
      ['same/loop-1', 'same/loop-2', false],
    ];
    const answers = await Promise.all(cases.map(([a, b]) => Promise.all([sameFile(at(a), at(b)), sameFile(at(b), at(a))])));
    expect(answers).toEqual(cases.map(([, , same]) => [same, same]));
    // What the answers stand for: a write through the dangling link replaces not-yet.json, a write to a hard link leaves a.json.
    await writeFileAtomic(at('same/chain.json'), 'through the links');
    expect(readFileSync(at('same/not-yet.json'), 'utf8')).toBe('through the links');
    await writeFileAtomic(at('same/hard-a.json'), 'new');
    expect(readFileSync(at('same/a.json'), 'utf8')).toBe('a');
  });

  it('tells one folder by its identity, not its path: one name in a folder shown under two paths (a bind mount) is one file', () => {
    // A bind mount needs root, so the rule is tested on the facts sameFile gathers (fs.Stats' dev and ino) for such a pair.
    const file = { dev: 7, ino: 41 };
    const folder = { dev: 7, ino: 40 };
    const bound = (name: string) => ({ name, file, folder });
    expect(isOneEntry(bound('r.html'), bound('r.html'), ['r.html'])).toBe(true); // /mnt/a/r.html and /mnt/b/r.html
    expect(isOneEntry({ name: 'new.html', folder }, { name: 'new.html', folder }, [])).toBe(true); // not written yet
    expect(isOneEntry({ name: 'new.html', folder }, { name: 'other.html', folder }, [])).toBe(false);
    expect(isOneEntry(bound('R.html'), bound('r.html'), ['r.html'])).toBe(true); // one entry spelt two ways
    expect(isOneEntry(bound('a.json'), bound('hard-a.json'), ['a.json', 'hard-a.json'])).toBe(false); // two hard links
    expect(isOneEntry(bound('a.json'), { name: 'a.json', file, folder: { dev: 7, ino: 39 } }, ['a.json'])).toBe(false); // two folders
  });
});

describe('writeFolderAtomic', () => {
  it('creates a new folder whole (not its parents: a missing one is refused), and no folder where one exists', async () => {
    await expectError(() => writeFolderAtomic(at('a/b/web'), [['model.json', '{}']]), 'IO_ERROR', /web: cannot write \(the folder .*a\/b does not exist\)/);
    expect(readdirSync(folder)).not.toContain('a');
    mkdirSync(at('a/b'), { recursive: true });
    await writeFolderAtomic(at('a/b/web'), [['weights.bin', new Uint8Array([1, 2])], ['model.json', '{}']]);
    expect(readdirSync(at('a/b'))).toEqual(['web']);
    expect(readdirSync(at('a/b/web')).sort()).toEqual(['model.json', 'weights.bin']);
    // Into an existing folder, tfjs-folder.ts writes file by file (test/io/tfjs-folder.test.ts).
    await expectError(() => writeFolderAtomic(at('a/b/web'), [['model.json', '{"v":2}']]), 'IO_ERROR', /web: cannot write a folder there \(a folder of that name exists\)/);
    expect(readFileSync(at('a/b/web/model.json'), 'utf8')).toBe('{}');
    writeFileSync(at('plain'), 'a file');
    await expectError(() => writeFolderAtomic(at('plain'), [['model.json', '{}']]), 'IO_ERROR', /plain: cannot write a folder there \(a file of that name exists\)/);
  });
});

describe('readFileBytes', () => {
  it('reads the whole file, refuses devices and folders without blocking, and names the file', async () => {
    writeFileSync(at('bytes'), new Uint8Array([1, 2, 3]));
    expect([...(await readFileBytes(at('bytes'), { maxBytes: 3 }))]).toEqual([1, 2, 3]);
    await expectError(() => readFileBytes(at('bytes'), { maxBytes: 2 }), 'BAD_MODEL_FILE', /bytes: 3 bytes exceeds the limit of 2/);
    // A pipe no process writes to ends at once (it was refused as 'not a regular file'); reading it must not wait for a writer.
    await expectError(() => readFileBytes(at('pipe'), { maxBytes: 10, code: 'BAD_DATA_FILE' }), 'BAD_DATA_FILE', /pipe: the file is empty \(0 bytes\)$/);
    if (existsSync('/dev/null')) await expectError(() => readFileBytes('/dev/null', { maxBytes: 10, code: 'BAD_DATA_FILE' }), 'BAD_DATA_FILE', /^\/dev\/null: not a regular file or a pipe$/);
    await expectError(() => readFileBytes(folder, { maxBytes: 10 }), 'IO_ERROR', /cannot read \(it is a folder, not a file\)/);
    await expectError(() => readFileBytes(at('nothing'), { maxBytes: 10 }), 'IO_ERROR', /nothing: cannot read \(ENOENT: no such file or directory\)/);
  });

  it('reads a pipe to its end, its content late and past the first read (cat data.json | gradscope … --data /dev/stdin)', async () => {
    execFileSync('mkfifo', [at('fed')]);
    // The writer's end held open here (O_RDWR does not wait for a reader), as a shell's pipe has its writer before gradscope opens it.
    const writer = await open(at('fed'), 'r+');
    const read = readFileBytes(at('fed'), { maxBytes: 1_000_000, code: 'BAD_DATA_FILE' });
    await new Promise((resolve) => setTimeout(resolve, 50)); // nothing to read yet: the read waits for the writer
    const content = 'x'.repeat(200_000); // past the first read's 64 KiB: the buffer grows
    await writer.write(content);
    await writer.close(); // its end: the read ends
    expect(new TextDecoder().decode(await read)).toBe(content);
    const flood = await open(at('fed'), 'r+');
    const refused = expectError(() => readFileBytes(at('fed'), { maxBytes: 100_000, code: 'BAD_DATA_FILE' }), 'BAD_DATA_FILE', /fed: more than 100,000 bytes, the limit$/);
    await flood.write('x'.repeat(100_001)).catch(() => {}); // the pipe holds 64 KiB: the rest waits for the reader, which stops past its limit
    await refused;
    await flood.close();
  });

  it.skipIf(!existsSync('/proc/self/status'))('reads a file under /proc, which reports 0 bytes and holds text, by its content', async () => {
    // /proc/self/status of this process, read twice: the lines that do not change between two reads.
    const steady = (text: string) => text.split('\n').filter((line) => /^(Name|Pid|PPid|Uid|Gid):/.test(line));
    const bytes = await readFileBytes('/proc/self/status', { maxBytes: 1_000_000 });
    expect(bytes.length).toBeGreaterThan(0);
    expect(steady(new TextDecoder().decode(bytes))).toEqual(steady(readFileSync('/proc/self/status', 'utf8')));
    expect(steady(new TextDecoder().decode(bytes))).toHaveLength(5);
    await expectError(() => readFileBytes('/proc/self/status', { maxBytes: 10 }), 'BAD_MODEL_FILE', /^\/proc\/self\/status: more than 10 bytes, the limit$/);
  });

  it('says an empty file is empty, in every reader (was: not valid JSON (Unexpected end of JSON input), or no format found)', async () => {
    writeFileSync(at('empty.json'), '');
    writeFileSync(at('empty.gsc'), '');
    await expectError(() => readFileBytes(at('empty.json'), { maxBytes: 10, code: 'BAD_DATA_FILE' }), 'BAD_DATA_FILE', /empty\.json: the file is empty \(0 bytes\)$/);
    await expectError(() => loadModel(at('empty.gsc')), 'BAD_MODEL_FILE', /^[^:]*empty\.gsc: the file is empty \(0 bytes\)$/);
    await expectError(() => readModelFile(at('empty.json')), 'BAD_MODEL_FILE', /^[^:]*empty\.json: the file is empty \(0 bytes\)$/);
    const cli = await runCliInProcess(['convert', at('empty.gsc'), at('out.json')]);
    expect([cli.code, cli.stderr]).toEqual([1, `gradscope: BAD_MODEL_FILE: ${at('empty.gsc')}: the file is empty (0 bytes)\n`]);
  });
});
