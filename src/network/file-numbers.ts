/** How the JSON writers (model files, checkpoints) put a tensor's values into a file's data. */
import type { FloatArray } from '../kernels.js';

/**
 * How a writer puts a tensor's values into a file's JSON data: copied into a number[] (what is
 * written), or the typed array itself standing for that copy (uncopiedNumbers), for a size check.
 */
export type FileNumbers = (values: FloatArray) => number[];
/** The values copied into a plain array: the file's data as written. */
export const copiedNumbers: FileNumbers = (values) => Array.from(values);
/**
 * The typed array itself in place of its copy: file data that is only walked by checkModelJsonSize
 * (which reads a typed array as the array it stands for), never written, so a file that cannot be
 * written is refused before its arrays are built.
 */
export const uncopiedNumbers: FileNumbers = (values) => values as unknown as number[];
