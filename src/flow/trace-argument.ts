/** The first check of a public function that reads a Trace, so that anything else is refused by name before it is read. */
import { invalidOption, shownArgument } from '../errors.js';
import { Trace } from './trace.js';

/** `trace` if it is a Trace, else INVALID_OPTION `who(trace): expected a Trace …, got …`. */
export function checkTraceArgument(trace: unknown, who: string): asserts trace is Trace {
  if (!(trace instanceof Trace)) throw invalidOption(`${who}(trace): expected a Trace (a traced run's net.trace, or Trace.fromJSON of a saved one), got ${shownArgument(trace)}`);
}
