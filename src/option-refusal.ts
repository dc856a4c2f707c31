/**
 * An INVALID_OPTION whose message names other options than the one refused, said in its printer's
 * terms: the API's option keys (`momentum`, `rescale: false`), or the command line's flags
 * (`--momentum`), where an option without a flag is said in words. As DivergedError does for
 * train()'s advice, the refusal is written once against OptionTerms; `message` is in the API's.
 */
import { GradscopeError } from './errors.js';

/** How the printer names an option by its API key: the key itself, its flag, or undefined where it has none. */
export type OptionTerms = (option: string) => string | undefined;

/** The API's names: an option is its key. */
export const API_OPTION_TERMS: OptionTerms = (option) => option;

/** A refusal of options (INVALID_OPTION) that can be said again in other terms (the command line's flags). */
export class OptionRefusal extends GradscopeError {
  constructor(private readonly say: (terms: OptionTerms) => string) {
    super('INVALID_OPTION', say(API_OPTION_TERMS));
  }

  /** The message with the options it names in `terms`. */
  messageFor(terms: OptionTerms): string {
    return this.say(terms);
  }
}
