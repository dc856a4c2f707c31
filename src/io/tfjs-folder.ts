/**
 * Writing a tfjs layers model (model.json and its weight shard) into a folder, so the folder holds
 * the previous model or the new one, whole, whatever happens mid-way (a kill, a full disk).
 *
 * A new folder is filled under a temporary name and renamed into place (writeFolderAtomic). Into
 * an existing folder, which may hold the user's other files, the shard goes under a name the
 * folder's current model.json does not use (`weights.bin`, else `weights-1.bin`, …), then model.json
 * is replaced: its atomic rename is the one step that switches the model, and the previous model's
 * shard is removed only after it. (Writing `weights.bin` first and model.json last, as before,
 * left a new shard beside the old model.json when the second write failed: refused when the byte
 * counts differ, read as the wrong weights when they agree.)
 */
import { rm, stat } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { FILE_LIMITS } from '../model-limits.js';
import { parseJsonBytes, readFileBytes, writeFileAtomic, writeFolderAtomic } from './file-access.js';
import { isObject, TFJS_WEIGHTS_FILE, type TfjsLayersModel } from './tfjs-format.js';

/** gradscope's shard names: `weights.bin`, `weights-1.bin`, … (only these are removed when a model replaces another). */
const SHARD_NAME = /^weights(-\d+)?\.bin$/;

/** Writes `model` into the folder `dir` (see the module comment); returns model.json's path and the shard's. */
export async function writeTfjsFolder(dir: string, model: TfjsLayersModel): Promise<string[]> {
  const text = (json: unknown) => JSON.stringify(json) + '\n';
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) {
    await writeFolderAtomic(dir, [[TFJS_WEIGHTS_FILE, model.weightData], ['model.json', text(model.modelJson)]]);
    return [join(dir, 'model.json'), join(dir, TFJS_WEIGHTS_FILE)];
  }
  const { inUse, shard } = await shardPlan(dir);
  const modelJson = { ...model.modelJson, weightsManifest: model.modelJson.weightsManifest.map((group) => ({ ...group, paths: [shard] })) };
  await writeFileAtomic(join(dir, shard), model.weightData);
  await writeFileAtomic(join(dir, 'model.json'), text(modelJson)); // the switch
  for (const old of inUse) if (old !== shard && SHARD_NAME.test(old)) await rm(join(dir, old), { force: true }).catch(() => {});
  return [join(dir, 'model.json'), join(dir, shard)];
}

/** The shards the folder's model.json names (removed after the switch) and the name the new shard goes under (one of them does not use). */
async function shardPlan(dir: string): Promise<{ inUse: string[]; shard: string }> {
  const inUse = await shardsInUse(join(dir, 'model.json'));
  let shard = TFJS_WEIGHTS_FILE;
  for (let k = 1; inUse.includes(shard); k++) shard = `weights-${k}.bin`;
  return { inUse, shard };
}

/**
 * Every file writeTfjsFolder(dir, …) would write (model.json, the new shard) or remove (the shards the previous
 * model.json names), before it runs. convert refuses an IN among them that holds what OUT cannot (a checkpoint named
 * run/model.json, `convert run/model.json run/`, was replaced); a removed one is unlinked by name (rm), so a symbolic
 * link among them is removed, not the file it points at.
 */
export async function tfjsFolderFiles(dir: string): Promise<WrittenFiles> {
  const { inUse, shard } = await shardPlan(dir);
  const removed = inUse.filter((old) => old !== shard && SHARD_NAME.test(old));
  return { written: [join(dir, 'model.json'), join(dir, shard)], removed: removed.map((old) => join(dir, old)) };
}

/** The files a write of a model would write (atomically: writeFileAtomic, through a symbolic link to its file) and remove (rm: a link itself). */
export interface WrittenFiles {
  written: string[];
  removed: string[];
}

/** The shard files the model.json at `path` names; none when it is missing or unreadable (then no shard is in use). */
async function shardsInUse(path: string): Promise<string[]> {
  try {
    const json = parseJsonBytes(await readFileBytes(path, { maxBytes: FILE_LIMITS.maxJsonBytes }), 'BAD_MODEL_FILE');
    const groups = isObject(json) && Array.isArray(json.weightsManifest) ? (json.weightsManifest as unknown[]) : [];
    const paths = groups.flatMap((group) => (isObject(group) && Array.isArray(group.paths) ? (group.paths as unknown[]) : []));
    return paths.filter((p): p is string => typeof p === 'string').map((p) => normalize(p)); // './weights.bin' is weights.bin
  } catch {
    return [];
  }
}
