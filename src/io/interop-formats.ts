/**
 * The model file formats and their names in a sentence, apart from model-formats.ts (which reads and writes files, through
 * node:fs): exportNotes, on the browser's path, names a format too, and a browser cannot load node:fs.
 */

/** The formats `writeModelFile` writes and `readModelFile` reads (ONNX is written only); gradscope's own is JSON or binary. */
export const INTEROP_FORMATS = ['gradscope', 'safetensors', 'onnx', 'tfjs'] as const;
/** A model file format: gradscope's own (JSON or binary), safetensors, ONNX or a tfjs layers model. */
export type InteropFormat = (typeof INTEROP_FORMATS)[number];
/** A file of `format` in a sentence, with its article: "an ONNX file", "a tfjs model". */
export const formatPhrase = (format: InteropFormat): string =>
  ({ gradscope: "gradscope's JSON model file", tfjs: 'a tfjs model', onnx: 'an ONNX file', safetensors: 'a safetensors file' })[format];
