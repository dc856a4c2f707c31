/** A backend that counts its allocations, for the tests that hold a hot path to allocating nothing. */
import type { Kernels, Tensor } from '../../src/kernels.js';

/** `k` with every `alloc` counted (`allocations()`); every other member is `k`'s own. */
export function countingAllocations<T extends Tensor>(k: Kernels<T>): { kernels: Kernels<T>; allocations: () => number } {
  let allocations = 0;
  const kernels = new Proxy(k, {
    get(target, key) {
      if (key === 'alloc') return (length: number) => (allocations++, target.alloc(length));
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { kernels, allocations: () => allocations };
}
