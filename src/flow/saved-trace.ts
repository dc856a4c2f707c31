/**
 * A saved trace (trace.toJSON()'s plain JSON) where a Trace is wanted: what diagnose() and
 * renderReport() say when given one, so the reader learns the one call that turns it back.
 */

/**
 * Whether `value` looks like trace.toJSON()'s output rather than a Trace: plain JSON, so its own `metrics` and
 * `steps` (read through the prototype chain, a Trace's `steps` getter or an object made on a saved trace counted).
 */
export function isSavedTrace(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, 'metrics') && Object.hasOwn(value, 'steps');
}

/** The refusal's words for a saved trace, after its `who: `. */
export const SAVED_TRACE_WORDS = 'got a saved trace (plain JSON, as trace.toJSON() writes it); read it back with Trace.fromJSON(json) first';
