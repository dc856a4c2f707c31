/**
 * Methods bound to their object, the engines' and the public Network's: the Trainable a network hands an optimiser of one's
 * own (Optimizer.step's `net`, `net[MODEL]`) is the engine itself, and a method read off it
 * (`const { parameters, forward } = model`, `rows.forEach(model.forward)`) ran with no `this`: a
 * TypeError from inside engine.js ("reading 'assertAlive'", edges47 #15); the Network's own
 * (`const { train, evaluate } = net`) threw one reading its private engine. Bound, each runs on its
 * object, as a method read off an object does in Python (PyTorch's `model.parameters`).
 */

/**
 * Sets every method of `object`'s classes (not its accessors, which a destructuring reads on the
 * object anyway) as its own property, bound to it. Run once, at the end of a constructor. After
 * dispose() one taken before throws DISPOSED as the object's own do: refuseMembersAfterDispose replaces
 * the engines' (every member); the Network's run on its disposed engine, which refuses.
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
