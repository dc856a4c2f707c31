/** How the JSON writers (model files, checkpoints) put a tensor's values into a file's data. */
import type { FloatArray } from '../kernels.js';

/**
 * How a writer puts a tensor's values into a file's JSON data: copied into a number[] (what is
 * written), or the typed array itself standing for that copy (uncopiedNumbers), for a file sized and written as text.
 */
export type FileNumbers = (values: FloatArray) => number[];
/**
 * The values copied into a plain array: the file's data as written (toJSON's, a caller's to keep:
 * the tensors are views of live memory, and JSON.stringify writes a typed array as an object). An
 * indexed loop into an array of the length: Array.from walks a typed array through its iterator, and
 * toJSON of a 1,863,690-value network took 416 ms (median of 9) with it, 77 ms with the loop.
 */
export const copiedNumbers: FileNumbers = (values) => {
  const copy = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) copy[i] = values[i];
  return copy;
};
/**
 * The typed array itself in place of its copy: file data that is only walked as JSON text
 * (checkModelJsonSize and modelJsonText read a typed array as the array it stands for), never handed
 * to a caller, so a file is sized and written without its values copied into arrays first.
 */
export const uncopiedNumbers: FileNumbers = (values) => values as unknown as number[];
