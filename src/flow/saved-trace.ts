/**
 * A saved trace (trace.toJSON()'s plain JSON) where a Trace is wanted: what diagnose() and
 * renderReport() say when given one, so the reader learns the one call that turns it back.
 */

/** Whether `value` looks like trace.toJSON()'s output rather than a Trace. */
export function isSavedTrace(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'metrics' in value && 'steps' in value;
}

/** The refusal's words for a saved trace, after its `who: `. */
export const SAVED_TRACE_WORDS = 'got a saved trace (plain JSON, as trace.toJSON() writes it); read it back with Trace.fromJSON(json) first';
