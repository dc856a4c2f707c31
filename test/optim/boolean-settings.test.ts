// BOOLEAN_SETTINGS (src/optim/setting-ranges.ts), the true-or-false settings a checkpoint's reader holds to 1 or 0, is
// each built-in optimiser's own: every scalar its state() records whose option refuses anything but true or false is
// listed, and nothing else. A boolean setting added to an optimiser and left out of the table fails here.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { createOptimizer, optimizerNames } from '../../src/optim/index.js';
import { BOOLEAN_SETTINGS } from '../../src/optim/setting-ranges.js';

describe('BOOLEAN_SETTINGS', () => {
  it("lists each built-in optimiser's recorded true-or-false settings, and only those", async () => {
    // The quadratic cost: every built-in takes it (Levenberg–Marquardt takes nothing else).
    const net = await createNetwork({ sizes: [3, 4, 2], output: 'linear', loss: 'mse', backend: 'ref', seed: 1 });
    const found: Record<string, string[]> = {};
    for (const name of optimizerNames()) {
      const recorded = Object.keys(createOptimizer(net, { name } as never).state().scalars);
      const takesOnlyBooleans = (key: string) => {
        try {
          createOptimizer(net, { name, [key]: 'yes' } as never);
          return false;
        } catch (error) {
          return /expected true or false/.test((error as Error).message);
        }
      };
      const booleans = recorded.filter(takesOnlyBooleans);
      if (booleans.length > 0) found[name] = booleans;
    }
    expect(Object.keys(found).length).toBeGreaterThan(0);
    expect(Object.fromEntries(Object.entries(BOOLEAN_SETTINGS).map(([name, keys]) => [name, [...keys].sort()]))).toEqual(
      Object.fromEntries(Object.entries(found).map(([name, keys]) => [name, keys.sort()])),
    );
    net.dispose();
  });
});
