/** How the JSON writers (model files, checkpoints) put a tensor's values into a file's data. */
import type { FloatArray } from '../kernels.js';

/**
 * How a writer puts a tensor's values into a file's JSON data: copied into a number[] (what is
 * written), or the typed array itself standing for that copy (uncopiedNumbers), for a file sized and written as text.
 */
export type FileNumbers = (values: FloatArray) => number[];
/** The values copied into a plain array: the file's data as written. */
export const copiedNumbers: FileNumbers = (values) => Array.from(values);
/**
 * The typed array itself in place of its copy: file data that is only walked as JSON text
 * (checkModelJsonSize and modelJsonText read a typed array as the array it stands for), never handed
 * to a caller, so a file is sized and written without its values copied into arrays first.
 */
export const uncopiedNumbers: FileNumbers = (values) => values as unknown as number[];
