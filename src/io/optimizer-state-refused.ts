/**
 * The refusal of a checkpoint whose optimiser state alone is damaged, its network reading whole: the one class every
 * checkpoint reader throws for it, the file readers (loadModel, loadCheckpoint, readCheckpoint) and the readers of bytes
 * and JSON (decodeCheckpoint, checkpointFromJSON), which a page uses. Browser-safe: it names a file, it reads none.
 */
import { GradscopeError } from '../errors.js';

/** A reader of a checkpoint given in memory: the call that refused it, and that reads it again without the optimiser state. */
export type InMemoryCheckpointReader = 'decodeCheckpoint' | 'checkpointFromJSON';

/**
 * The BAD_MODEL_FILE every checkpoint reader throws for a checkpoint whose optimiser state is refused while the rest of
 * it, the network's weights, step and RNG state, reads whole: as Keras' load_model(compile=False) and PyTorch's separate
 * state_dicts load a model without its optimiser, its message names the call that reads the network alone, the reader's
 * skipOptimizer option (loadModel's for a file; decodeCheckpoint's or checkpointFromJSON's for bytes or JSON). Exported
 * so that a caller tells "the network is intact, its optimiser state damaged" from a checkpoint damaged elsewhere (also
 * BAD_MODEL_FILE, where skipOptimizer does not help) by class, `error instanceof OptimizerStateRefused`, without reading
 * the message; gradscope throws it, a caller need not construct one. The command line says it in its own words
 * (cli/error-line.ts: convert writes the network alone).
 */
export class OptimizerStateRefused extends GradscopeError {
  /**
   * `path`: the file as the caller named it, or undefined for a checkpoint given as bytes or JSON to `reader`; `refusal`:
   * the reader's refusal of its optimiser state, naming the file (where there is one) and the field.
   */
  constructor(
    /** The file, as the caller named it (loadModel's, loadCheckpoint's or readCheckpoint's path); undefined for bytes or JSON read by decodeCheckpoint or checkpointFromJSON. */
    readonly path: string | undefined,
    /** The reader's refusal of the optimiser state, naming the file (where there is one) and the field. */
    readonly refusal: string,
    /** The call given the bytes or JSON, where `path` is undefined (default decodeCheckpoint). */
    reader: InMemoryCheckpointReader = 'decodeCheckpoint',
  ) {
    const alone = path === undefined ? `${reader}(${reader === 'decodeCheckpoint' ? 'bytes' : 'json'}, { skipOptimizer: true }) reads` : `loadModel(${JSON.stringify(path)}, { skipOptimizer: true }) loads`;
    super('BAD_MODEL_FILE', `${refusal}; the network's weights, step and RNG state read whole: ${alone} them without the optimiser state`);
  }
}
