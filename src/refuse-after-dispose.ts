/**
 * The one way a disposed object refuses its members (the engines, src/network/disposed.ts; the
 * built-in optimisers, src/optim/optimizer.ts): a check in each member would be one more to forget
 * in a member added later, and fields cannot check at all.
 */
import type { GradscopeError } from './errors.js';

/**
 * Makes every member of `object` (its own fields, whatever TypeScript calls them, and every method
 * and accessor of its classes) but `answered` throw `refusal()` when read or set, from now on. ES
 * `#private` fields are not members: what `answered` reads (isDisposed) lives there. Run once, at
 * the end of dispose(): a cold path, and the live objects' shapes are untouched.
 */
export function refuseMembersAfterDispose(object: object, answered: readonly string[], refusal: () => GradscopeError): void {
  const refuse = (): never => {
    throw refusal();
  };
  const keys = new Set<PropertyKey>();
  for (let o: object | null = object; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const key of Reflect.ownKeys(o)) keys.add(key);
  }
  for (const key of keys) {
    if (key === 'constructor' || (typeof key === 'string' && answered.includes(key))) continue;
    Object.defineProperty(object, key, { get: refuse, set: refuse, configurable: true, enumerable: false });
  }
}
