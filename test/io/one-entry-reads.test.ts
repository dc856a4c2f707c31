// sameFile's oneEntry read the first path's folder (readdir) on every call where both folders exist, though its names
// decide one case only: one existing file under two names in one folder (a case-insensitive file system's two spellings,
// or two hard links). Now the folder is read for that case alone, once per question; the answers are as before.
import { linkSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { sameFile } from '../../src/io/file-access.js';

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, readdir: vi.fn(actual.readdir) };
});

const folder = mkdtempSync(join(tmpdir(), 'gradscope-one-entry-'));
const at = (name: string) => join(folder, name);
mkdirSync(at('a'));
mkdirSync(at('b'));
for (const name of ['a/x.json', 'a/y.json', 'b/x.json']) writeFileSync(at(name), name);
linkSync(at('a/x.json'), at('a/hard-x.json'));

/** The folders sameFile read the names of since the last clear (vi.mocked(readdir).mock.calls). */
const foldersRead = () => vi.mocked(readdir).mock.calls.map(([path]) => String(path));

describe("sameFile reads a folder's names only where they decide", () => {
  // Braced: a function beforeEach returns is run as its teardown (mockClear returns the mock, which would call readdir()).
  beforeEach(() => {
    vi.mocked(readdir).mockClear();
  });

  it.each([
    ['a/x.json', 'b/x.json', false, 'two folders'],
    ['a/x.json', 'a/y.json', false, 'two files in one folder'],
    ['a/x.json', 'a/new.json', false, 'a file and a name not written yet'],
    ['a/x.json', 'a/x.json', true, 'one path'],
  ] as const)('%s and %s: %s, the folder unread (%s)', async (first, second, same, _case) => {
    expect(await sameFile(at(first), at(second))).toBe(same);
    expect(foldersRead()).toEqual([]);
  });

  it('reads it once for one file under two names, which only its names tell from two hard links', async () => {
    expect(await sameFile(at('a/x.json'), at('a/hard-x.json'))).toBe(false);
    expect(foldersRead()).toEqual([at('a')]);
  });
});
