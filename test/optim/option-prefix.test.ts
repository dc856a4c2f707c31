/**
 * One rule for every optimiser's refusal of an option's value: it starts with the optimiser's name
 * and the option's key ('sgd: momentum: …', 'kfac: damping: …'), so a refusal read among train()'s
 * own options says whose option it was. Checked for every option of every registered optimiser.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { createOptimizer, OPTIMIZERS } from '../../src/optim/index.js';
import { expectError } from '../util/expect-error.js';

describe("an optimiser's refusal of a value names the optimiser, then the option", () => {
  const cases = OPTIMIZERS.flatMap((definition) => (definition.options ?? []).map((key) => [definition.name, key] as const));

  it('covers every registered optimiser', () => {
    expect(new Set(cases.map(([name]) => name))).toEqual(new Set(OPTIMIZERS.map((d) => d.name)));
  });

  it.each(cases)("%s's %s given a string", async (name, key) => {
    // mse with a linear output: Levenberg-Marquardt's problem, which every optimiser takes.
    const net = await createNetwork({ sizes: [2, 3, 1], loss: 'mse', output: 'linear', backend: 'ref', seed: 1 });
    await expectError(() => createOptimizer(net, { name, [key]: 'x' }), 'INVALID_OPTION', new RegExp(`^${name}: ${key}: expected .*, got "x"`));
    net.dispose();
  });
});
