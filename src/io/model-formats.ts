/**
 * Node file helpers over the byte-level converters: which format a file holds, and reading or
 * writing a model in any of them. The rule (also in docs/interop.md):
 *
 * - Reading, the content decides: gradscope's binary magic, a JSON object (gradscope's model, or a
 *   tfjs model when it has `"format": "layers-model"` or a `modelTopology`), or a safetensors
 *   header. A folder is a tfjs model (its `model.json`). Only content that is none of these (a
 *   truncated file, an ONNX file) falls back to the name, as for writing.
 * - Writing, the name decides: `.safetensors`: safetensors; `.onnx`: ONNX (export only); a folder
 *   or a path ending in `/`: a tfjs layers model (written as `model.json` + `weights.bin` in it,
 *   the shard named `weights-1.bin` where the folder's model.json still uses weights.bin: tfjs-folder.ts);
 *   `.json`: gradscope's JSON model (a file named model.json too: name the folder for tfjs). `.bin`
 *   says gradscope's binary format, a checkpoint (saveModel's), which a model file is not: refused.
 *   A format given beside a name that says another is refused (outputFormatOf).
 *
 * Files are read and written through file-access.ts (atomic writes, IO_ERROR).
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, normalize, sep } from 'node:path';
import { GradscopeError, invalidOption, quoted } from '../errors.js';
import { checkChoice, checkKnownKeys, checkObjectArgument } from '../checks.js';
import type { Activation, Loss, OutputActivation } from '../kernels.js';
import { checkedModelJsonText, modelToJSON, type ModelData } from '../network/model-file.js';
import { uncopiedNumbers } from '../network/file-numbers.js';
import { blockModelToJSON } from '../network/block-model-file.js';
import { isBlockModel } from '../network/block-model-check.js';
import type { BlockModelData } from '../layers/block-model.js';
import { isBinaryCheckpoint, modelOfGradscopeFile } from './checkpoint.js';
import { checkPath, parseJsonBytes, readFileBytes, writeFileAtomic } from './file-access.js';
import { FILE_LIMITS } from '../model-limits.js';
import { overflowSaid } from '../json-syntax.js';
import { badModel, exportSource } from './model-data.js';
import type { Network } from '../api/network.js';
import { UnreadImportOption, UnstatedImportOptions, type ImportOptionName } from './import-options.js';
import { toOnnx } from './onnx.js';
import { readSafetensors, toSafetensors } from './safetensors.js';
import { blockTfjsLayersReader, isBlockTfjsModel } from './tfjs-blocks.js';
import { checkShardGroups, isObject, readWeightGroups } from './tfjs-format.js';
import { tfjsLayersReader, toTfjsLayers } from './tfjs-layers.js';
import { tfjsFolderFiles, writeTfjsFolder, type WrittenFiles } from './tfjs-folder.js';
import { grouped } from '../counted.js';
import { bytesBeyond } from '../byte-text.js';
import { shellWord } from '../shell-word.js';
import { isTorchSave, torchSaveWords } from './torch-save.js';
import { INTEROP_FORMATS, formatPhrase, type InteropFormat } from './interop-formats.js';

export { INTEROP_FORMATS, formatPhrase, type InteropFormat };
/** What `readModelFile` may be told a file holds: a format, or `'json'` (gradscope's or tfjs', told apart by content). */
export const INPUT_FORMATS = ['json', ...INTEROP_FORMATS] as const;
/** One of INPUT_FORMATS. */
export type InputFormat = (typeof INPUT_FORMATS)[number];
/** The input formats `readModelFile` can read, as a choice offers them: INPUT_FORMATS without ONNX, which is written only. */
export const READABLE_INPUT_FORMATS = INPUT_FORMATS.filter((format): format is Exclude<InputFormat, 'onnx'> => format !== 'onnx');

/**
 * Architecture to assume when a foreign file does not record it (see fromSafetensors,
 * fromTfjsLayers). An option a file's format does not read is refused (UnreadImportOption), and one
 * that contradicts what the file records is refused naming both values (ContradictedImportOption).
 */
export interface ImportOptions {
  /** safetensors: the hidden layers' activation. Default: what the file records; a dense state_dict without gradscope metadata needs it (SafetensorsImportOptions.activation). */
  activation?: Activation;
  /** safetensors: the output layer's activation. Default: what the file records; a dense state_dict without gradscope metadata needs it (SafetensorsImportOptions.output). */
  output?: OutputActivation;
  /** safetensors and tfjs: the loss the model was trained on. Default: what the file records (TfjsImportOptions.loss, SafetensorsImportOptions.loss). */
  loss?: Loss;
  /** safetensors: the dense layers' names in order. Default: the order their names' numbers or their shapes give (SafetensorsImportOptions.layers). */
  layers?: readonly string[];
  /** safetensors: the PyTorch module expression a block network's state_dict is read by. Default: none, a dense chain's reader (BlockSafetensorsOptions.pytorch). */
  pytorch?: string;
}

/** Options of readModelFile: the import options, and what the file holds when its content and name should not decide. */
export interface ReadModelOptions extends ImportOptions {
  /** The file's format. Default: what its content shows, else what its name says (see the module comment). */
  format?: InputFormat;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The formats a name's extension says (the module comment's rule; a folder is tfjs). */
const EXTENSION_FORMATS: Readonly<Record<string, InteropFormat>> = { '.json': 'gradscope', '.bin': 'gradscope', '.safetensors': 'safetensors', '.onnx': 'onnx' };
/** How a name says each format, for refusals that ask for a name. */
const FORMAT_NAMES: Record<InteropFormat, string> = { gradscope: '.json', safetensors: '.safetensors', onnx: '.onnx', tfjs: 'a folder (ending in /)' };

/** The format a path stands for by its name (see the module comment); `undefined` when the rule gives none. */
export async function interopFormatOf(path: string): Promise<InteropFormat | undefined> {
  checkPath(path, 'interopFormatOf');
  return (await isDirectory(path)) ? 'tfjs' : formatNamedBy(path);
}

/** The format `path`'s characters alone say (a trailing separator: a tfjs folder; else its extension), without looking at the disk. */
export function formatNamedBy(path: string): InteropFormat | undefined {
  return path.endsWith('/') || path.endsWith(sep) ? 'tfjs' : EXTENSION_FORMATS[extname(path).toLowerCase()];
}

/** Whether `path` is named as gradscope's binary format (saveModel's checkpoints; readers take its content first). */
export function isNamedBinary(path: string): boolean {
  return extname(path).toLowerCase() === '.bin';
}

/**
 * The format `path` is written in: `format` where given, else what its name says (module comment).
 * A format the name contradicts is refused (INVALID_OPTION), as is a name that says none without
 * one: bytes of one format under another's extension would mislead every later reader. `given`
 * names the option in the caller's words (`format`, `--to`). A file named model.json is tfjs' own name.
 */
export async function outputFormatOf(path: string, format: InteropFormat | undefined, given: string): Promise<InteropFormat> {
  const named = await interopFormatOf(path);
  const chosen = format ?? named;
  if (chosen === undefined) {
    const names = INTEROP_FORMATS.map((f) => `${FORMAT_NAMES[f]} for ${f}`).join(', ');
    throw invalidOption(`${shellWord(path)}: cannot tell the output format from the name (use ${names}, or give ${given})`);
  }
  // A file named model.json is tfjs' own name (the folder holds it).
  if (!(chosen === 'tfjs' && basename(path) === 'model.json')) checkNameAgrees(path, { given, chosen, named, rename: FORMAT_NAMES[chosen] });
  if (chosen === 'gradscope' && isNamedBinary(path)) {
    // A step-0 checkpoint with an RNG state the model never held would resume as if it had (loadCheckpoint refuses model files for that).
    throw invalidOption(`${shellWord(path)}: .bin is gradscope's binary checkpoint, which saveModel and train --out write with the step and RNG state a run resumes from; a model file holds the model alone, without them (convert writes a checkpoint's model, not its training state): name it .json for gradscope's model file (or .safetensors); nothing was written`);
  }
  return chosen;
}

/**
 * The one rule of a format given beside a name that says another (writeModelFile's formats, saveModel's
 * encodings): refused (INVALID_OPTION naming the path and both formats), before anything is written,
 * as bytes of one format under another's name would mislead every later reader. `named` undefined: the
 * name says none, and any format goes. `rename`: the name that would say `chosen`.
 */
export function checkNameAgrees(path: string, formats: { given: string; chosen: string; named: string | undefined; rename: string }): void {
  const { given, chosen, named, rename } = formats;
  if (named !== undefined && named !== chosen) {
    throw invalidOption(`${shellWord(path)}: ${given} ${chosen} contradicts the name, which says ${named}; name the file ${rename}, or leave ${given} out; nothing was written`);
  }
}

/** The refusal of an ONNX file wherever one is read (readModelFile, loadModel): gradscope writes ONNX only. */
export function onnxUnread(path: string): GradscopeError {
  return invalidOption(`${shellWord(path)}: ONNX is an export format; gradscope cannot read it back`);
}

/** What a reader says of bytes that are no model format it knows (loadModel and readModelFile alike). */
export const UNRECOGNISED_MODEL = 'neither a gradscope model (JSON or binary), nor a tfjs model.json, nor safetensors';

/** What a reader says of the bytes at `path` that are no model format it knows: a torch.save file named as one, with the way on (torchSaveWords). */
export function unrecognisedModel(path: string, bytes: Uint8Array): string {
  return isTorchSave(bytes) ? torchSaveWords(path) : UNRECOGNISED_MODEL;
}

const BLANK = new Set([0x20, 0x09, 0x0a, 0x0d]);
const OPEN_BRACE = 0x7b;

/** The format the bytes themselves show, or `undefined` when they show none of them (see the module comment). */
export function contentFormatOf(bytes: Uint8Array): InputFormat | undefined {
  if (isBinaryCheckpoint(bytes)) return 'gradscope';
  let first = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; // UTF-8 byte order mark
  while (first < bytes.length && BLANK.has(bytes[first])) first++;
  if (bytes[first] === OPEN_BRACE) return 'json';
  if (bytes.length > 8 && bytes[8] === OPEN_BRACE) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headerBytes = view.getUint32(4, true) * 2 ** 32 + view.getUint32(0, true);
    if (8 + headerBytes <= bytes.length) return 'safetensors';
  }
  return undefined;
}

/** Whether parsed JSON is a tfjs layers model (`"format": "layers-model"` or a `modelTopology`), not gradscope's. */
export function isTfjsJson(json: unknown): boolean {
  return typeof json === 'object' && json !== null && ((json as Record<string, unknown>).format === 'layers-model' || 'modelTopology' in json);
}

function parseJson(bytes: Uint8Array): unknown {
  if (bytes.length > FILE_LIMITS.maxJsonBytes) throw badModel('JSON', bytesBeyond(bytes.length, FILE_LIMITS.maxJsonBytes));
  return parseJsonBytes(bytes, 'BAD_MODEL_FILE');
}

/**
 * Prefixes a BAD_MODEL_FILE message with the file it came from, once: a reader that names the
 * file by its usual name (`model.json: not valid JSON`) gets the path in its place. An
 * UnreadImportOption from a reader gets the path as well.
 */
async function inFile<R>(path: string, work: () => R | Promise<R>): Promise<R> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UnreadImportOption && error.path === undefined) throw new UnreadImportOption(error.option, error.why, path);
    if (error instanceof UnstatedImportOptions && error.path === undefined) throw error.at(path);
    if (error instanceof GradscopeError && error.code === 'BAD_MODEL_FILE' && !error.message.startsWith(shellWord(path))) {
      const usualName = `${basename(path)}: `;
      const message = error.message.startsWith(usualName) ? error.message.slice(usualName.length) : error.message;
      throw new GradscopeError(error.code, `${shellWord(path)}: ${message}`);
    }
    throw error;
  }
}

/** A readable format, as a file's content (then its name) tells it. */
type ReadableFormat = 'gradscope' | 'tfjs' | 'safetensors';

/** Every option of ImportOptions. */
const IMPORT_OPTION_NAMES = ['activation', 'output', 'loss', 'layers', 'pytorch'] as const satisfies readonly (keyof ImportOptions & ImportOptionName)[];

/**
 * The ImportOptions each readable format reads, and why it reads no others: a file that records
 * what an option would say is refused the option, never overridden or ignored in silence.
 */
const IMPORT_OPTIONS_READ: Record<ReadableFormat, { reads: readonly ImportOptionName[]; records: string }> = {
  gradscope: { reads: [], records: 'a gradscope model records its layers, activations and loss' },
  tfjs: { reads: ['loss'], records: 'a tfjs model records its layers and activations (only the loss may be given)' },
  safetensors: { reads: IMPORT_OPTION_NAMES, records: '' },
};

/** A model file opened and told apart (see the module comment), not yet read as a model. */
interface OpenedModelFile {
  path: string;
  format: ReadableFormat;
  /** The file's bytes; undefined for a tfjs folder (readTfjsLayersFile reads its model.json). */
  bytes?: Uint8Array;
  /** The parsed JSON of a JSON file. */
  json?: unknown;
}

/** Opens `path` and tells its format; `format` overrides what the content and the name say. */
async function openModelFile(path: string, format?: InputFormat): Promise<OpenedModelFile> {
  if (format === 'onnx') throw onnxUnread(path);
  if (await isDirectory(path)) {
    if (format !== undefined && format !== 'tfjs' && format !== 'json') throw invalidOption(`${shellWord(path)}: a folder can only be a tfjs model, not ${format}`);
    return { path, format: 'tfjs' };
  }
  const bytes = await readFileBytes(path, { maxBytes: FILE_LIMITS.maxBinaryBytes });
  const told = format ?? contentFormatOf(bytes) ?? (await interopFormatOf(path));
  if (told === undefined) throw badModel(shellWord(path), unrecognisedModel(path, bytes));
  if (told === 'onnx') throw onnxUnread(path);
  // A .bin of no format's content is read as binary, whose reader says what is wrong with it (not 'not valid JSON').
  const binary = isBinaryCheckpoint(bytes) || (format === undefined && isNamedBinary(path));
  if (told === 'safetensors' || (told === 'gradscope' && binary)) return { path, format: told, bytes };
  const json = await inFile(path, () => parseJson(bytes));
  return { path, format: told === 'json' ? (isTfjsJson(json) ? 'tfjs' : 'gradscope') : told, bytes, json };
}

/** Refuses the first option given that a file of this format does not read (UnreadImportOption). */
function refuseUnreadOptions(file: OpenedModelFile, options: ImportOptions): void {
  const { reads, records } = IMPORT_OPTIONS_READ[file.format];
  const unread = IMPORT_OPTION_NAMES.find((option) => options[option] !== undefined && !reads.includes(option));
  if (unread !== undefined) throw new UnreadImportOption(unread, records, file.path);
}

/**
 * Reads a model from any readable format; `format` overrides what the content and the name say.
 * An option the file's format does not read is refused (INVALID_OPTION, an UnreadImportOption)
 * before anything is built, never ignored.
 */
export async function readModelFile(path: string, options: ReadModelOptions = {}): Promise<ModelData | BlockModelData> {
  checkPath(path, 'readModelFile');
  checkKnownKeys(options, [...IMPORT_OPTION_NAMES, 'format'], 'readModelFile');
  const { format, ...importOptions } = options;
  // Checked before the file is opened: an unknown one reached the readers' option table as a raw TypeError.
  if (format !== undefined) checkChoice(format, INPUT_FORMATS, 'readModelFile: format');
  const file = await openModelFile(path, format);
  refuseUnreadOptions(file, importOptions);
  const { bytes, json } = file;
  if (bytes === undefined) return readTfjsLayersFile(path, importOptions);
  return inFile(path, () => {
    if (file.format === 'safetensors') return readSafetensors(bytes, importOptions);
    if (json === undefined) return modelOfGradscopeFile(bytes);
    // The file itself is model.json, whatever its name (`--from tfjs` on model.txt): its shards sit beside it.
    return file.format === 'tfjs' ? tfjsModelOf(path, json, bytes, importOptions) : quotingOverflow(bytes, () => modelOfGradscopeFile(json));
  });
}

/**
 * Reads a tfjs model.json (or the folder holding it) and its weight shards, which must sit in its folder: a dense chain,
 * a block network gradscope wrote, or one a Dense layer without a bias (use_bias: false) makes (tfjsLayersReader). `options`: only `loss` applies (a tfjs model records its layers and activations:
 * another option is refused, INVALID_OPTION); default {} (the loss from the file's metadata or training config, else the
 * output's default, said in a note).
 */
export async function readTfjsLayersFile(path: string, options: ImportOptions = {}): Promise<ModelData | BlockModelData> {
  checkPath(path, 'readTfjsLayersFile');
  // As readModelFile refuses them: an option a tfjs model does not read was ignored in silence.
  checkKnownKeys(options, IMPORT_OPTION_NAMES, 'readTfjsLayersFile');
  refuseUnreadOptions({ path, format: 'tfjs' }, options);
  const jsonPath = basename(path) === 'model.json' || extname(path) === '.json' ? path : join(path, 'model.json');
  const bytes = await readFileBytes(jsonPath, { maxBytes: FILE_LIMITS.maxJsonBytes }).catch((error: unknown) => {
    // A folder is read as a tfjs model folder: say so, or "/tmp/model.json: cannot read" names a file the user never gave.
    if (jsonPath !== path && error instanceof GradscopeError) throw new GradscopeError(error.code, `${shellWord(path)} is a folder, read as a tfjs model folder (its model.json and weight files): ${error.message}`);
    throw error;
  });
  const json = await inFile(jsonPath, () => parseJson(bytes));
  return tfjsModelOf(jsonPath, json, bytes, options);
}

/**
 * What `read` makes of a JSON file's `bytes`, an Infinity its refusal names quoted as the text writes it (overflowSaid): JSON.parse
 * reads 1e400 as Infinity, and `convert` and `study --model` said only 'Infinity', a word the file never holds.
 */
async function quotingOverflow<R>(bytes: Uint8Array, read: () => R | Promise<R>): Promise<R> {
  try {
    return await read();
  } catch (error) {
    throw overflowSaid(error, new TextDecoder().decode(bytes));
  }
}

/**
 * The model of `model`, the parsed content of the tfjs model.json at `jsonPath`, and of the weight shards its manifest names
 * beside it: readTfjsLayersFile's reading once model.json is read (readModelFile has read and parsed it already; `bytes`: its text, which a refusal naming an Infinity quotes).
 */
export async function tfjsModelOf(jsonPath: string, model: unknown, bytes: Uint8Array, options: ImportOptions): Promise<ModelData | BlockModelData> {
  return inFile(jsonPath, () => quotingOverflow(bytes, async () => {
    // Checked as an object first: `null` and other non-objects reached `.weightsManifest` as a raw TypeError. Not through
    // parseModelJson, which parses a string as model.json's text: here a string is the file's JSON value (a model
    // encoded twice read as the model).
    if (!isObject(model)) throw badModel('model.json', 'expected a JSON object');
    // model.json's own refusals first (its topology, loss, metadata), as fromTfjsLayers gives them; then its manifest's
    // weights and shard names, before any shard is read; then each group's shard files.
    const readWeights = isBlockTfjsModel(model) ? blockTfjsLayersReader(model, options.loss) : tfjsLayersReader(model, { loss: options.loss });
    readWeightGroups(model);
    const files: string[] = [];
    const groupShards: string[][] = []; // each group's shard names, as its paths give them
    const manifest = Array.isArray(model.weightsManifest) ? (model.weightsManifest as Record<string, unknown>[]) : []; // each an object: readWeightGroups checked
    for (const [g, group] of manifest.entries()) {
      const paths = group.paths;
      if (!Array.isArray(paths)) throw badModel(`weightsManifest[${g}].paths`, 'expected an array of file names');
      groupShards.push(paths);
      for (const shard of paths) {
        // A model file may only point inside its own folder.
        if (typeof shard !== 'string' || isAbsolute(shard) || normalize(shard).split(/[\\/]/).includes('..')) {
          throw badModel(`weightsManifest[${g}].paths`, `${quoted(shard)} is not a file name inside the model's folder`);
        }
        files.push(join(dirname(jsonPath), shard));
      }
    }
    // The shards' sizes in all before any is read: a manifest may name one file many times (each read is capped, their sum was not).
    let bytes = 0;
    for (const file of files) bytes += (await stat(file).catch(() => undefined))?.size ?? 0; // a missing one is named when read
    if (bytes > FILE_LIMITS.maxBinaryBytes) {
      throw badModel('weightsManifest', `its ${grouped(files.length)} shard files hold ${grouped(bytes)} bytes in all, beyond the limit of ${grouped(FILE_LIMITS.maxBinaryBytes)} a model's weights may take`);
    }
    const shards: Uint8Array[] = [];
    for (const file of files) shards.push(await readFileBytes(file, { maxBytes: FILE_LIMITS.maxBinaryBytes, emptyAllowed: true }));
    const total = shards.reduce((n, s) => n + s.length, 0);
    const weightData = new Uint8Array(total);
    let at = 0;
    for (const shard of shards) (weightData.set(shard, at), (at += shard.length));
    let read = 0;
    checkShardGroups(model, groupShards.map((names) => names.map((name) => ({ name: String(name), bytes: shards[read++].length }))));
    return readWeights(weightData);
  }));
}

/** Every file writeModelFile(…, path, format) would write or remove: `path`, or for a tfjs folder its model.json and shards. */
export async function filesWrittenBy(path: string, format: InteropFormat): Promise<WrittenFiles> {
  return format === 'tfjs' ? tfjsFolderFiles(tfjsFolderOf(path)) : { written: [path], removed: [] };
}

/** The folder a tfjs model written to `path` goes in: `path`, or the folder of a `…/model.json`. */
const tfjsFolderOf = (path: string) => (basename(path) === 'model.json' ? dirname(path) : path);

/**
 * Writes `source` (a network, as the exporters take it, or its model data) in `format` (default: what the name says; a
 * format the name contradicts is refused, see outputFormatOf); returns the files written.
 */
export async function writeModelFile(source: Network | ModelData | BlockModelData, path: string, format?: InteropFormat): Promise<string[]> {
  checkObjectArgument(source, 'writeModelFile', 'a network, ModelData or BlockModelData (from modelOf, blockModelOf or readModelFile)');
  checkPath(path, 'writeModelFile');
  // Checked before the name is read: an unknown one matched no writer, and nothing was written with no word.
  if (format !== undefined) checkChoice(format, INTEROP_FORMATS, 'writeModelFile: format');
  const chosen = await outputFormatOf(path, format, 'format');
  if (chosen === 'gradscope') {
    // A Network has a `kind` too ('dense'), which read as a block model's said "model.kind: expected 'blocks'".
    const model = exportSource(source, 'writeModelFile'); // checked here
    // Built once, over the tensors themselves (no copies into number[]), each number written once (checkedModelJsonText).
    const file = isBlockModel(model) ? blockModelToJSON(model, uncopiedNumbers) : modelToJSON(model, uncopiedNumbers);
    // One byte of the limit is the newline after the text.
    const [maxBytes, advice] = [FILE_LIMITS.maxJsonBytes - 1, 'write it as .safetensors (or .onnx, or a tfjs folder) instead; nothing was written'];
    await writeFileAtomic(path, checkedModelJsonText(file, maxBytes, path, advice) + '\n');
    return [path];
  }
  switch (chosen) {
    case 'safetensors':
      await writeFileAtomic(path, toSafetensors(source));
      return [path];
    case 'onnx':
      await writeFileAtomic(path, toOnnx(source));
      return [path];
    case 'tfjs':
      return writeTfjsFolder(tfjsFolderOf(path), toTfjsLayers(source));
  }
}
