/**
 * Every file gradscope reads or writes in Node goes through here (models, checkpoints, converted
 * models, tfjs folders, reports, CSV), so three promises hold everywhere:
 *
 * - Writes are atomic. The bytes go to a temporary file in the same folder (rename is atomic only
 *   within one file system), are fsynced, and the temporary file is renamed over the target; a
 *   new folder is filled under a temporary name and renamed into place. A process killed mid-write
 *   leaves the previous file whole, and the next write to the same path removes what the killed
 *   one left behind; one interrupted (SIGINT, SIGTERM: Ctrl-C) removes it itself (onInterrupt).
 * - Reads take what was opened: the bytes come from the open file, read to its end, so a file
 *   replaced by a concurrent atomic save is read whole, old or new. The end is where a read finds
 *   nothing more, not the size the file reports: files under /proc report 0 bytes and hold text,
 *   and a pipe (`--data /dev/stdin` fed by `cat`) has no size at all.
 * - A file-system failure (missing folder, no permission, disk full, a folder where a file should
 *   be) is an IO_ERROR naming the file (its shell word: src/shell-word.ts) and the system's reason, never an uncaught exception.
 */
import { randomBytes } from 'node:crypto';
import { constants, rmSync } from 'node:fs';
import { lstat, mkdir, open, readdir, readlink, realpath, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { describedArgument, GradscopeError, invalidOption, ioError, type ErrorCode } from '../errors.js';
import { keyWrittenTwice, notJsonMessage } from '../json-syntax.js';
import { bytesBeyond, contentBeyond } from '../byte-text.js';
import { shellWord } from '../shell-word.js';
import { setTimeout as sleep } from 'node:timers/promises';

/** Temporary names: `.<target>.<pid>.<random>.tmp`, so the next writer knows whose they are. */
function temporaryName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** The temporaries being written, each with the path it becomes: removed if the process is interrupted mid-write. */
const pending = new Map<string, string>();

/** The signals a user interrupts a run with (Ctrl-C, kill): SIGKILL cannot be caught, and removeStaleTemporaries clears after it. */
const INTERRUPTS = ['SIGINT', 'SIGTERM'] as const;

/**
 * An interrupt during a write: its temporaries removed at once (a Ctrl-C during a 157 MB save left a hidden 157 MB file until the next write
 * to that name: newuser43 #8). Where the application listens for the signal too, it decides what follows; alone, the write is said
 * interrupted in one line and the signal raised again, so the process ends as it would have (a shell's 130 for SIGINT).
 */
function onInterrupt(signal: NodeJS.Signals): void {
  const targets = [...new Set(pending.values())];
  for (const temporary of pending.keys()) rmSync(temporary, { recursive: true, force: true });
  pending.clear();
  unwatchInterrupts();
  if (process.listenerCount(signal) > 0) return;
  process.stderr.write(`gradscope: interrupted (${signal}) while writing ${targets.map(shellWord).join(' and ')}: nothing written there, any previous file unchanged\n`);
  process.kill(process.pid, signal);
}

function unwatchInterrupts(): void {
  for (const signal of INTERRUPTS) process.off(signal, onInterrupt);
}

/** Marks `temporary` (becoming `path`) as being written, for onInterrupt; the function returned marks it done. Listens only while a write is pending. */
function writing(temporary: string, path: string): () => void {
  if (pending.size === 0) for (const signal of INTERRUPTS) process.on(signal, onInterrupt);
  pending.set(temporary, path);
  return () => {
    pending.delete(temporary);
    if (pending.size === 0) unwatchInterrupts();
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, but someone else's
  }
}

/**
 * Removes temporary files and folders that a killed write to `path` left behind: those named for
 * `path` whose process is gone. Writes still running (their process alive) are left alone.
 */
async function removeStaleTemporaries(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return; // the write itself will report the folder's problem
  }
  for (const name of names) {
    const match = name.startsWith(prefix) ? /^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name.slice(prefix.length)) : null;
    if (match && !isAlive(Number(match[1]))) await rm(join(dirname(path), name), { recursive: true, force: true }).catch(() => {});
  }
}

/** Why a write into `path` failed, in the user's terms. */
async function writeError(path: string, error: unknown): Promise<GradscopeError> {
  const failure = await creationError(path, error);
  return new GradscopeError('IO_ERROR', `${failure.message}; any previous file is unchanged`);
}

async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    await handle.sync().finally(() => handle.close());
  } catch {
    // Some systems cannot fsync a folder; the data itself is already synced.
  }
}

async function writeSynced(path: string, bytes: Uint8Array | string): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The file a write to `path` replaces: a symbolic link's target, a dangling one's too (the file it points at is created:
 * the link stays a link), and never anything but a regular file (a device, a pipe, a folder, a path ending in a slash or
 * links that go round in a loop are refused, not replaced).
 */
async function replaceable(path: string): Promise<string> {
  // Said before the system's ENOTDIR, which reads as if a folder on the way were a file.
  if (path.endsWith('/') || path.endsWith(sep)) throw new GradscopeError('IO_ERROR', `${shellWord(path)}: cannot write (a path ending in '${path.slice(-1)}' names a folder, not a file)`);
  const target = await linkEnd(path);
  // rename() replaces a link itself: a loop's would have become a file where the user has a link.
  if (target === undefined) throw new GradscopeError('IO_ERROR', `${shellWord(path)}: cannot write (its symbolic links go round in a loop)`);
  const info = await stat(target).catch(() => undefined);
  if (info?.isDirectory()) throw new GradscopeError('IO_ERROR', `${shellWord(path)}: cannot write (it is a folder)`);
  if (info && !info.isFile()) throw new GradscopeError('IO_ERROR', `${shellWord(path)}: cannot write (not a regular file; gradscope replaces only files)`);
  return target;
}

/** How many symbolic links one path may pass through before it is taken for a loop: Linux's MAXSYMLINKS. */
const MAX_LINKS = 40;

/**
 * Where `path` leads, absolute: its symbolic links followed to a file, or to the name a dangling one points at (a file not
 * yet written), its folder's links followed where the folder exists; undefined where the links go round in a loop.
 */
async function linkEnd(path: string): Promise<string | undefined> {
  const real = await realpath(path).catch(() => undefined);
  if (real !== undefined) return real;
  let current = resolve(path);
  for (let links = 0; links <= MAX_LINKS; links++) {
    const folder = dirname(current);
    current = join(await realpath(folder).catch(() => folder), basename(current));
    const target = await readlink(current).catch(() => undefined);
    if (target === undefined) return current;
    current = resolve(dirname(current), target);
  }
  return undefined;
}

/** Refuses (INVALID_OPTION naming `who`) a path that is no non-empty string: the first check of every public function taking a file path. */
export function checkPath(path: unknown, who: string): asserts path is string {
  if (typeof path !== 'string' || path.length === 0) throw invalidOption(`${who}: path: expected a file path, got ${describedArgument(path)}`);
}

/** Writes `bytes` (or UTF-8 text) to `path` atomically (see the module comment); IO_ERROR on failure. */
export async function writeFileAtomic(destination: string, bytes: Uint8Array | string): Promise<void> {
  checkPath(destination, 'writeFileAtomic');
  if (typeof bytes !== 'string' && !(bytes instanceof Uint8Array)) throw invalidOption(`writeFileAtomic: expected bytes (a Uint8Array) or text, got ${describedArgument(bytes)}`);
  const path = await replaceable(destination);
  await removeStaleTemporaries(path);
  const temporary = temporaryName(path);
  const done = writing(temporary, destination);
  try {
    await writeSynced(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    throw await writeError(destination, error);
  } finally {
    done();
  }
  await syncFolder(dirname(path));
}

/**
 * Writes `files` (name → content) as the new folder `path`: filled under a temporary name and
 * renamed into place, so it appears whole or not at all; the folder it goes in must exist
 * (gradscope creates no folder above what it writes: checkFolder). An existing path is refused
 * (writing into an existing folder is the caller's: tfjs-folder.ts switches its model.json last).
 */
export async function writeFolderAtomic(path: string, files: [name: string, content: Uint8Array | string][]): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing) throw new GradscopeError('IO_ERROR', `${shellWord(path)}: cannot write a folder there (${existing.isDirectory() ? 'a folder' : 'a file'} of that name exists)`);
  await checkFolder(path);
  await removeStaleTemporaries(path);
  const temporary = temporaryName(path);
  const done = writing(temporary, path);
  try {
    await mkdir(temporary);
    for (const [name, content] of files) await writeSynced(join(temporary, name), content);
    await syncFolder(temporary);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true }).catch(() => {});
    throw await writeError(path, error);
  } finally {
    done();
  }
  await syncFolder(dirname(path));
}

/** Refuses a path whose folder does not exist: gradscope creates no folder above a file it writes (the user may have mistyped it). */
export async function checkFolder(path: string): Promise<void> {
  const folder = await stat(dirname(path)).catch(() => undefined);
  if (!folder?.isDirectory()) throw new GradscopeError('IO_ERROR', `${shellWord(path)}: cannot write (the folder ${shellWord(dirname(path))} does not exist)`);
}

/**
 * Refuses, before any work, a file path a write would fail on, so a long run does not end unable
 * to save: its folder missing (checkFolder), the path a folder or not a regular file, or the folder
 * refusing a new file (no permission, read-only: probed by creating and removing an empty
 * temporary file, named as writeFileAtomic names its own).
 */
export async function checkWritable(path: string): Promise<void> {
  await checkFolder(path);
  const probe = temporaryName(await replaceable(path));
  try {
    await writeSynced(probe, '');
  } catch (error) {
    throw await creationError(path, error);
  } finally {
    await rm(probe, { force: true }).catch(() => {});
  }
}

/**
 * Why a new file could not be made in `path`'s folder: ENOENT alone reads as if the file were
 * missing, so a missing folder is named as such (checkFolder throws), and a folder that is there
 * but makes no new file (Linux's /proc, /sys) is named as what refused, as the folder rule names a
 * missing one; any other failure in the system's words (ioError).
 */
async function creationError(path: string, error: unknown): Promise<GradscopeError> {
  if ((error as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT') return ioError(path, 'write', error);
  await checkFolder(path);
  return new GradscopeError('IO_ERROR', `${shellWord(path)}: cannot write (the folder ${shellWord(dirname(path))} is there but makes no new file in it: ENOENT, no such file or directory)`);
}

/**
 * Whether writing either path would replace the file the other names (gradscope writes by renaming a new file over the
 * old: writeFileAtomic): both lead to one name (linkEnd: `./a` and `a`, a symbolic link, a dangling one and the file it
 * points at, a link to a folder on the way), or to one existing file under two names a case-insensitive or normalising
 * file system (macOS's, Windows') takes for one, or under one name in a folder shown at two paths (a bind mount). Two
 * hard links of one file are two names: writing one leaves the other as it was. A path whose links go round in a loop
 * is no other file (reading or writing it fails, and says so).
 */
export async function sameFile(a: string, b: string): Promise<boolean> {
  const [first, second] = await Promise.all([linkEnd(a), linkEnd(b)]);
  if (first === undefined || second === undefined) return false;
  return first === second || (await oneEntry(first, second));
}

/**
 * Whether two paths (linkEnd's) are one entry: `Model.json` and `model.json` where the file system ignores case, or one
 * name, written or not yet, in one folder that shows under two paths realpath leaves apart (a bind mount). Not two hard links.
 */
async function oneEntry(first: string, second: string): Promise<boolean> {
  const [file, otherFile, folder, otherFolder] = await Promise.all(
    [first, second, dirname(first), dirname(second)].map((path) => stat(path).catch(() => undefined)),
  );
  if (!folder || !otherFolder) return false;
  const one: EntryFacts = { name: basename(first), file, folder };
  const other: EntryFacts = { name: basename(second), file: otherFile, folder: otherFolder };
  const unlisted = isOneEntry(one, other, []);
  // Given no names, isOneEntry is true of one name in one folder, and of one file under two names in one folder, which
  // only the folder's names tell from two hard links: the folder is read then, and only then (it was read for every pair).
  if (!unlisted || one.name === other.name) return unlisted;
  return isOneEntry(one, other, await readdir(dirname(first)).catch(() => [] as string[]));
}

/**
 * Whether removing `path` (rm unlinks the name: a symbolic link is removed itself, never the file it points at) removes
 * the file `other` names: `path` exists, is no symbolic link, and is that file (sameFile; a hard link is another name,
 * which the removal leaves).
 */
export async function removes(path: string, other: string): Promise<boolean> {
  const entry = await lstat(path).catch(() => undefined);
  return entry !== undefined && !entry.isSymbolicLink() && (await sameFile(path, other));
}

/** What identifies a file or a folder on one machine (fs.Stats has it): not its path, which a bind mount or a link doubles. */
export interface Identity {
  /** The device (file system) it is on. */
  dev: number;
  /** Its inode number on that device. */
  ino: number;
}

/** One path as oneEntry sees it: its last name, the identity of the folder holding it, and its file's (undefined: none yet). */
export interface EntryFacts {
  name: string;
  folder: Identity;
  file?: Identity;
}

/**
 * Whether two paths name one directory entry: one folder, told by identity (dev and inode), not by path, and in it either
 * one name (the file existing or not), or one existing file under two spellings of which `listed` (the folder's names)
 * holds at most one (a case-insensitive or normalising file system). Two names both listed are two hard links.
 */
export function isOneEntry(first: EntryFacts, second: EntryFacts, listed: readonly string[]): boolean {
  const same = (one: Identity, other: Identity): boolean => one.dev === other.dev && one.ino === other.ino;
  if (!same(first.folder, second.folder)) return false;
  if (first.name === second.name) return true;
  if (!first.file || !second.file || !same(first.file, second.file)) return false;
  return !(listed.includes(first.name) && listed.includes(second.name));
}

/** Creates the folder `path` and its parents if missing (only for gradscope's own default folders, such as the main job's reports/). */
export async function createFolder(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    throw ioError(path, 'write', error);
  }
}

/** What a read refuses before reading, and the error code for content problems. */
export interface ReadLimits {
  /** Files larger than this are refused unread. */
  maxBytes: number;
  /** The code for a file that is too large, empty, or neither a regular file nor a pipe (default BAD_MODEL_FILE). */
  code?: ErrorCode;
  /** Take an empty file (a tfjs weight shard may hold no weights; the manifest's byte count decides). Default false. */
  emptyAllowed?: boolean;
}

/**
 * The bytes of the file at `path`, read from the open file to its end (see the module comment):
 * a regular file, or a pipe (read until its writers close it; one with no writer reads as empty
 * at once). Devices and folders are refused without blocking on them, content beyond
 * `limits.maxBytes` with `code`, and an empty file with `code` unless `emptyAllowed` (no model
 * or data file gradscope reads is empty).
 */
export async function readFileBytes(path: string, limits: ReadLimits): Promise<Uint8Array> {
  const code = limits.code ?? 'BAD_MODEL_FILE';
  let handle;
  try {
    // O_NONBLOCK: opening a pipe must not wait for a writer; regular files ignore it.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const info = await handle.stat();
    if (info.isDirectory()) throw new GradscopeError('IO_ERROR', `${shellWord(path)}: cannot read (it is a folder, not a file)`);
    if (!info.isFile() && !info.isFIFO()) throw new GradscopeError(code, `${shellWord(path)}: not a regular file or a pipe`);
    if (info.size > limits.maxBytes) throw new GradscopeError(code, `${shellWord(path)}: ${bytesBeyond(info.size, limits.maxBytes)}`);
    const bytes = await readToEnd(handle, info.size, limits.maxBytes);
    if (bytes === undefined) throw new GradscopeError(code, `${shellWord(path)}: ${contentBeyond(limits.maxBytes)}`);
    // Said as such: each format's parser would say something true but unhelpful ('not valid JSON (Unexpected end of JSON input)').
    if (bytes.length === 0 && limits.emptyAllowed !== true) throw new GradscopeError(code, `${shellWord(path)}: the file is empty (0 bytes)`);
    return bytes;
  } catch (error) {
    if (error instanceof GradscopeError) throw error;
    throw ioError(path, 'read', error);
  } finally {
    await handle?.close().catch(() => {});
  }
}

/** The first read's size where the file reports too few bytes to go by (0 under /proc, none for a pipe). */
const FIRST_READ_BYTES = 1 << 16;
/** How long a read of a pipe that has a writer but nothing yet to read (EAGAIN: opened O_NONBLOCK) waits before it asks again. */
const PIPE_WAIT_MS = 5;

/**
 * The open file's bytes from where it stands to its end (a read that finds nothing more), or
 * undefined once they pass `maxBytes`. Starts with a buffer of the `reported` size (a regular
 * file's, read whole by one or two reads) and doubles it while content keeps coming.
 */
async function readToEnd(handle: FileHandle, reported: number, maxBytes: number): Promise<Uint8Array | undefined> {
  // One byte past the reported size (up to the limit's), so a file that holds what it reports ends at the next read.
  let buffer = new Uint8Array(Math.min(Math.max(reported + 1, FIRST_READ_BYTES), maxBytes + 1));
  let filled = 0;
  for (;;) {
    if (filled === buffer.length) {
      if (filled > maxBytes) return undefined;
      const grown = new Uint8Array(Math.min(buffer.length * 2, maxBytes + 1));
      grown.set(buffer);
      buffer = grown;
    }
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      await sleep(PIPE_WAIT_MS); // a pipe's writer has not written yet
      continue;
    }
    if (bytesRead === 0) return filled > maxBytes ? undefined : buffer.subarray(0, filled);
    filled += bytesRead;
  }
}

/**
 * JSON from a file's bytes; `code` (e.g. BAD_MODEL_FILE) when they are not UTF-8 or not JSON, `notJsonAfter` after the
 * message then (what the reader takes instead), or when an object in them writes a key twice (parsedJsonText's rule).
 */
export function parseJsonBytes(bytes: Uint8Array, code: ErrorCode, notJsonAfter = ''): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new GradscopeError(code, `${notJsonMessage(undefined)}${notJsonAfter}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GradscopeError(code, `${notJsonMessage(text, (error as Error).message)}${notJsonAfter}`);
  }
  // parsedJsonText's rule; the file's name is its callers' to say.
  const twice = keyWrittenTwice(text);
  if (twice !== undefined) throw new GradscopeError(code, twice);
  return json;
}
