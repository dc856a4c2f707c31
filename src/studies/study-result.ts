/** The check of a study's result handed back to a report function (its report section). */
import { invalidOption, shownArgument } from '../errors.js';

/** Refuses (INVALID_OPTION naming `who`) anything but an object holding the array `field` a study's result has. */
export function checkStudyResult(result: unknown, field: string, who: string, what: string): void {
  const list = typeof result === 'object' && result !== null ? (result as Record<string, unknown>)[field] : undefined;
  if (!Array.isArray(list)) throw invalidOption(`${who}: expected ${what} (with its ${field}), got ${shownArgument(result)}`);
}
