/**
 * The engines' methods bound to their engine: the Trainable a network hands an optimiser of one's
 * own (Optimizer.step's `net`, `net[MODEL]`) is the engine itself, and a method read off it
 * (`const { parameters, forward } = model`, `rows.forEach(model.forward)`) ran with no `this`: a
 * TypeError from inside engine.js ("reading 'assertAlive'", edges47 #15). Bound, it runs on its
 * engine, as a method read off an object does in Python (PyTorch's `model.parameters`).
 */

/**
 * Sets every method of `object`'s classes (not its accessors, which a destructuring reads on the
 * object anyway) as its own property, bound to it. Run once, at the end of a constructor; after
 * dispose(), refuseMembersAfterDispose replaces these as it does every member.
 */
export function bindMethods(object: object): void {
  for (let o = Object.getPrototypeOf(object) as object | null; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const key of Reflect.ownKeys(o)) {
      const method: unknown = Object.getOwnPropertyDescriptor(o, key)?.value;
      if (key === 'constructor' || typeof method !== 'function' || Object.prototype.hasOwnProperty.call(object, key)) continue;
      Object.defineProperty(object, key, { value: (method as (...args: unknown[]) => unknown).bind(object), writable: true, configurable: true, enumerable: false });
    }
  }
}
