/**
 * A tensor's shape as every message writes it: `[4, 3]`, `[]` for a scalar. One format for the
 * shape a reader expected and the one a file gave, so "expected [4, 3], got [3, 4]" reads as one thing.
 */
import { shown, SHOWN_ENTRIES } from './errors.js';

/** `[4, 3]`: the dimensions (null as null: a Keras batch dimension), at most SHOWN_ENTRIES of them, then …. */
export function shapeText(shape: readonly (number | null)[]): string {
  const dims = shape.slice(0, SHOWN_ENTRIES).map(String);
  return `[${dims.join(', ')}${shape.length > SHOWN_ENTRIES ? ', …' : ''}]`;
}

/** A value read where a shape belongs: by shapeText when it is an array of numbers (or nulls), else as `shown` writes any value. */
export function shownShape(value: unknown): string {
  return Array.isArray(value) && value.every((d) => typeof d === 'number' || d === null) ? shapeText(value as (number | null)[]) : shown(value);
}
