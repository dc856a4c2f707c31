/**
 * Saving and loading models and checkpoints in Node. The only module of the io folder that imports
 * node:fs, so browser bundles never pull it in (they use checkpoint.ts on bytes).
 *
 * Writes are atomic: the bytes go to a temporary file in the same folder, are fsynced, and the
 * temporary file is renamed over the target, so a crash mid-save leaves the previous file whole.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { BackendOptions } from '../backend.js';
import { GradscopeError, invalidOption } from '../errors.js';
import { modelJsonText } from '../network/model-file.js';
import type { Network } from '../api/network.js';
import type { Optimizer } from '../optim/optimizer.js';
import {
  checkpointFromJSON,
  checkpointOf,
  checkpointToJSON,
  decodeCheckpoint,
  encodeCheckpoint,
  isBinaryCheckpoint,
  networkFromCheckpoint,
  type Checkpoint,
} from './checkpoint.js';

/** How saveModel encodes a checkpoint: gradscope's JSON model file or its binary checkpoint format. */
export type CheckpointEncoding = 'json' | 'binary';

/** Files larger than this are refused before they are read (JSON text must also fit in one string). */
export const FILE_LIMITS = {
  /** Largest JSON model file read, in bytes (256 MiB). */
  maxJsonBytes: 256 * 2 ** 20,
  /** Largest binary checkpoint read, in bytes (2 GiB). */
  maxBinaryBytes: 2 ** 31,
} as const;

/** Options of saveModel. */
export interface SaveOptions {
  /** Default: 'json' for a path ending in .json, 'binary' otherwise. */
  format?: CheckpointEncoding;
  /** Also save this optimiser's state (a checkpoint to resume training from). */
  optimizer?: Optimizer;
}

/** Saves `net` (with its step, RNG state and, if given, the optimiser's state) to `path`. */
export async function saveModel(net: Network, path: string, options: SaveOptions = {}): Promise<void> {
  if (typeof path !== 'string' || path.length === 0) throw invalidOption(`path: expected a file path, got ${JSON.stringify(path)}`);
  if (typeof options !== 'object' || options === null) throw invalidOption('saveModel: options must be an object');
  const format = options.format ?? (path.toLowerCase().endsWith('.json') ? 'json' : 'binary');
  if (format !== 'json' && format !== 'binary') throw invalidOption(`format: expected 'json' or 'binary', got ${JSON.stringify(format)}`);
  const checkpoint = checkpointOf(net, options.optimizer); // refuses what no reader would take back
  const bytes = format === 'binary' ? encodeCheckpoint(checkpoint) : new TextEncoder().encode(modelJsonText(checkpointToJSON(checkpoint)));
  const limit = format === 'binary' ? FILE_LIMITS.maxBinaryBytes : FILE_LIMITS.maxJsonBytes;
  if (bytes.length > limit) {
    throw invalidOption(`${path}: a ${format} model of ${bytes.length} bytes exceeds the limit of ${limit} that loadModel reads${format === 'json' ? "; use format 'binary'" : ''}; nothing was written`);
  }
  await writeFileAtomic(path, bytes);
}

/** Reads a model or checkpoint file (JSON or binary, told apart by the magic bytes). */
export async function readCheckpoint(path: string, options: { seed?: number } = {}): Promise<Checkpoint> {
  if (typeof path !== 'string' || path.length === 0) throw invalidOption(`path: expected a file path, got ${JSON.stringify(path)}`);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw invalidOption(`seed: expected an integer, got ${JSON.stringify(seed)}`);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new GradscopeError('BAD_MODEL_FILE', `${path}: not a regular file`);
    size = info.size;
  } catch (error) {
    if (error instanceof GradscopeError) throw error;
    throw new GradscopeError('BAD_MODEL_FILE', `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (size > FILE_LIMITS.maxBinaryBytes) throw new GradscopeError('BAD_MODEL_FILE', `${path}: ${size} bytes exceeds the limit of ${FILE_LIMITS.maxBinaryBytes}`);
  const bytes = await readBytes(path, size);
  try {
    if (isBinaryCheckpoint(bytes)) return decodeCheckpoint(bytes);
    if (size > FILE_LIMITS.maxJsonBytes) throw new GradscopeError('BAD_MODEL_FILE', `a JSON model of ${size} bytes exceeds the limit of ${FILE_LIMITS.maxJsonBytes}`);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new GradscopeError('BAD_MODEL_FILE', 'neither a gradscope binary model nor UTF-8 JSON');
    }
    return checkpointFromJSON(text, seed);
  } catch (error) {
    if (error instanceof GradscopeError) throw new GradscopeError(error.code, `${path}: ${error.message}`);
    throw error;
  }
}

/** A network from a model or checkpoint file, with its step and RNG state. */
export async function loadModel(path: string, options: BackendOptions & { seed?: number } = {}): Promise<Network> {
  return (await loadCheckpoint(path, options)).network;
}

/** A network and the optimiser state saved with it (restore it with restoreOptimizer). */
export async function loadCheckpoint(
  path: string,
  options: BackendOptions & { seed?: number } = {},
): Promise<{
  /** The network, on the backend asked for. */
  network: Network;
  /** The whole checkpoint, its optimiser state included. */
  checkpoint: Checkpoint;
}> {
  if (typeof options !== 'object' || options === null) throw invalidOption('loadModel: options must be an object');
  const checkpoint = await readCheckpoint(path, options);
  return { network: await networkFromCheckpoint(checkpoint, options), checkpoint };
}

async function readBytes(path: string, size: number): Promise<Uint8Array> {
  // Reads at most the size stat reported (+1 to notice growth), never an unbounded stream.
  let handle;
  try {
    handle = await open(path, 'r');
    const bytes = new Uint8Array(size + 1);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > size) throw new GradscopeError('BAD_MODEL_FILE', `${path}: the file grew while being read`);
    return bytes.subarray(0, filled);
  } catch (error) {
    if (error instanceof GradscopeError) throw error;
    throw new GradscopeError('BAD_MODEL_FILE', `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  } finally {
    await handle?.close();
  }
}

/**
 * Writes `bytes` to `path` atomically: temporary file in the same folder (rename is atomic only
 * within one file system), fsync, rename, then fsync of the folder so the rename itself is durable.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(temporary, 'wx');
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, path);
  } catch (error) {
    await handle?.close().catch(() => {});
    await rm(temporary, { force: true });
    throw invalidOption(`path ${path}: cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)}); any previous file is unchanged`);
  }
  try {
    const dir = await open(folder, 'r');
    await dir.sync().finally(() => dir.close());
  } catch {
    // Some systems cannot fsync a folder; the data itself is already synced.
  }
}
