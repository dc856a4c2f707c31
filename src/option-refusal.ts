/**
 * An INVALID_OPTION whose message names other options than the one refused, said in its printer's
 * terms: the API's option keys (`momentum`, `rescale: false`), or the command line's flags
 * (`--momentum`), where an option without a flag is said in words. As DivergedError does for
 * train()'s advice, the refusal is written once against OptionTerms; `message` is in the API's.
 * An optimiser's DIVERGED that names its options is said the same way (SaidInTerms).
 */
import { GradscopeError, type ErrorCode } from './errors.js';

/** How the printer names an option by its API key: the key itself, its flag, or undefined where it has none. */
export type OptionTerms = (option: string) => string | undefined;

/** The API's names: an option is its key. */
export const API_OPTION_TERMS: OptionTerms = (option) => option;

/**
 * An error whose message names options, and can be said again in other terms (the command line's
 * flags): a refusal of options (OptionRefusal), or an optimiser's DIVERGED whose advice names one of
 * its options (K-FAC's damping).
 */
export class SaidInTerms extends GradscopeError {
  constructor(
    code: ErrorCode,
    private readonly say: (terms: OptionTerms) => string,
  ) {
    super(code, say(API_OPTION_TERMS));
  }

  /** The message with the options it names in `terms`. */
  messageFor(terms: OptionTerms): string {
    return this.say(terms);
  }
}

/** A refusal of options (INVALID_OPTION) that can be said again in other terms (the command line's flags). */
export class OptionRefusal extends SaidInTerms {
  constructor(say: (terms: OptionTerms) => string) {
    super('INVALID_OPTION', say);
  }
}
