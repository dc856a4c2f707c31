/**
 * Node file helpers over the byte-level converters: which format a path means, and reading or
 * writing a model in any of them. The rule (also in docs/interop.md):
 *
 * - `.safetensors`: safetensors; `.onnx`: ONNX (export only);
 * - a directory, a path ending in `/`, or a file named exactly `model.json`: a tfjs layers model
 *   (`model.json` plus its weight shards; written as `model.json` + `weights.bin`);
 * - any other `.json`: gradscope's JSON model, except that an input whose JSON is a tfjs model
 *   (`"format": "layers-model"` or a `modelTopology`) is read as tfjs.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, normalize, sep } from 'node:path';
import { GradscopeError, invalidOption } from '../errors.js';
import type { Activation, Loss, OutputActivation } from '../kernels.js';
import { checkModelData, modelFromJSON, modelJsonText, modelToJSON, type ModelData } from '../network/model-file.js';
import { badModel } from './model-data.js';
import { toOnnx } from './onnx.js';
import { fromSafetensors, toSafetensors } from './safetensors.js';
import { fromTfjsLayers, TFJS_WEIGHTS_FILE, toTfjsLayers } from './tfjs-layers.js';

/** The model file formats readModelFile and writeModelFile know (ONNX is written only). */
export const INTEROP_FORMATS = ['gradscope', 'safetensors', 'onnx', 'tfjs'] as const;
/** A model file format: gradscope's JSON model, safetensors, ONNX or a tfjs layers model. */
export type InteropFormat = (typeof INTEROP_FORMATS)[number];

/** Architecture to assume when a foreign file does not record it (see fromSafetensors, fromTfjsLayers). */
export interface ImportOptions {
  /** Hidden layers' activation. */
  activation?: Activation;
  /** Output layer's activation. */
  output?: OutputActivation;
  /** The loss. */
  loss?: Loss;
  /** safetensors: the dense layers' names in order (see SafetensorsImportOptions.layers). */
  layers?: readonly string[];
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The format a path stands for (see the module comment); `undefined` when the rule gives none. */
export async function interopFormatOf(path: string): Promise<InteropFormat | undefined> {
  if (path.endsWith('/') || path.endsWith(sep) || basename(path) === 'model.json' || (await isDirectory(path))) return 'tfjs';
  switch (extname(path).toLowerCase()) {
    case '.safetensors':
      return 'safetensors';
    case '.onnx':
      return 'onnx';
    case '.json':
      return 'gradscope';
    default:
      return undefined;
  }
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new GradscopeError('BAD_MODEL_FILE', `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/**
 * Prefixes a BAD_MODEL_FILE message with the file it came from, once: a reader that names the
 * file by its usual name (`model.json: not valid JSON`) gets the path in its place.
 */
async function inFile<R>(path: string, work: () => R | Promise<R>): Promise<R> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof GradscopeError && error.code === 'BAD_MODEL_FILE' && !error.message.startsWith(path)) {
      const usualName = `${basename(path)}: `;
      const message = error.message.startsWith(usualName) ? error.message.slice(usualName.length) : error.message;
      throw new GradscopeError(error.code, `${path}: ${message}`);
    }
    throw error;
  }
}

/** Reads a model from any readable format; `format` overrides the path rule. */
export async function readModelFile(path: string, options: ImportOptions & { format?: InteropFormat } = {}): Promise<ModelData> {
  const format = options.format ?? (await interopFormatOf(path));
  if (format === 'onnx') throw invalidOption(`${path}: ONNX is an export format; gradscope cannot read it back`);
  if (format === 'safetensors') {
    const bytes = await readBytes(path);
    return inFile(path, () => fromSafetensors(bytes, options));
  }
  if (format === 'tfjs') return readTfjsLayersFile(path, options);
  if (format === 'gradscope') {
    const text = new TextDecoder().decode(await readBytes(path));
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw badModel(path, `not valid JSON (${(error as Error).message})`);
    }
    if (typeof json === 'object' && json !== null && ((json as Record<string, unknown>).format === 'layers-model' || 'modelTopology' in json)) {
      return readTfjsLayersFile(path, options, json);
    }
    return inFile(path, () => modelFromJSON(json));
  }
  throw invalidOption(`${path}: cannot tell the model format from the name (use .json, .safetensors, a tfjs model.json or its folder)`);
}

/** Reads a tfjs model.json (or the folder holding it) and its weight shards, which must sit in its folder. */
export async function readTfjsLayersFile(path: string, options: ImportOptions = {}, parsed?: unknown): Promise<ModelData> {
  const jsonPath = basename(path) === 'model.json' || extname(path) === '.json' ? path : join(path, 'model.json');
  const json = parsed ?? new TextDecoder().decode(await readBytes(jsonPath));
  return inFile(jsonPath, async () => {
    const model = typeof json === 'string' ? parseOrThrow(json) : (json as Record<string, unknown>);
    const shards: Uint8Array[] = [];
    const manifest = Array.isArray(model.weightsManifest) ? model.weightsManifest : [];
    for (const [g, group] of manifest.entries()) {
      const paths = (group as { paths?: unknown })?.paths;
      if (!Array.isArray(paths)) throw badModel(`weightsManifest[${g}].paths`, 'expected an array of file names');
      for (const shard of paths) {
        // A model file may only point inside its own folder.
        if (typeof shard !== 'string' || isAbsolute(shard) || normalize(shard).split(/[\\/]/).includes('..')) {
          throw badModel(`weightsManifest[${g}].paths`, `${JSON.stringify(shard)} is not a file name inside the model's folder`);
        }
        shards.push(await readBytes(join(dirname(jsonPath), shard)));
      }
    }
    const total = shards.reduce((n, s) => n + s.length, 0);
    const weightData = new Uint8Array(total);
    let at = 0;
    for (const shard of shards) (weightData.set(shard, at), (at += shard.length));
    return fromTfjsLayers(model, weightData, options);
  });
}

function parseOrThrow(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badModel('model.json', `not valid JSON (${(error as Error).message})`);
  }
}

/** Writes `model` in `format` (default: from the path rule); returns the files written. */
export async function writeModelFile(model: ModelData, path: string, format?: InteropFormat): Promise<string[]> {
  const chosen = format ?? (await interopFormatOf(path));
  switch (chosen) {
    case 'gradscope':
      checkModelData(model);
      await writeFile(path, modelJsonText(modelToJSON(model)) + '\n');
      return [path];
    case 'safetensors':
      await writeFile(path, toSafetensors(model));
      return [path];
    case 'onnx':
      await writeFile(path, toOnnx(model));
      return [path];
    case 'tfjs': {
      const dir = basename(path) === 'model.json' ? dirname(path) : path;
      await mkdir(dir, { recursive: true });
      const { modelJson, weightData } = toTfjsLayers(model);
      const files = [join(dir, 'model.json'), join(dir, TFJS_WEIGHTS_FILE)];
      await writeFile(files[0], JSON.stringify(modelJson) + '\n');
      await writeFile(files[1], weightData);
      return files;
    }
    default:
      throw invalidOption(`${path}: cannot tell the output format from the name (use .json, .safetensors, .onnx, a folder/ or model.json for tfjs)`);
  }
}
