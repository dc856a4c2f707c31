/**
 * Import options beside a file's own record of the architecture (gradscope's safetensors metadata):
 * the file's record is the model's own, so an option that agrees with it is taken and one that
 * contradicts it is refused, naming both values, never silently overridden either way.
 */
import { GradscopeError } from '../errors.js';

/**
 * INVALID_OPTION for an import option that contradicts what the file's gradscope metadata records:
 * the metadata is the model's own, so an option that agrees is taken and one that contradicts it is
 * refused, never silently overridden. `option`, `given` and `recorded` let a caller say it its own
 * way (the CLI: --loss mse).
 */
export class ContradictedImportOption extends GradscopeError {
  constructor(
    /** The option given. */
    readonly option: 'activation' | 'output' | 'loss',
    /** Its value. */
    readonly given: string,
    /** The metadata field that records it, e.g. '__metadata__.loss'. */
    readonly field: string,
    /** What the file records there. */
    readonly recorded: string,
  ) {
    super('INVALID_OPTION', `${option} option '${given}' contradicts ${field} '${recorded}', which the file records; leave the option out, or give '${recorded}'`);
  }
}

/** Refuses (ContradictedImportOption) an option given beside the metadata's value that differs from it. */
export function checkAgrees(option: 'activation' | 'output' | 'loss', given: string | undefined, field: string, recorded: string): void {
  if (given !== undefined && given !== recorded) throw new ContradictedImportOption(option, given, field, recorded);
}

