/**
 * A remedy's line that switches the optimiser leaves out the run's flags the new one would not apply
 * (flagsRefusedBeside), read from the registry without building it: the rule must be train()'s own,
 * checkSettingsForOptimizer on an instance. For every registered optimiser and choice, the flags it
 * leaves out are exactly the ones that rule refuses (a hessian-free line kept --on-non-finite halve,
 * which train then refused).
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { flagsRefusedBeside } from '../../src/cli/training-flags.js';
import { createOptimizer, OPTIMIZERS } from '../../src/optim/index.js';
import { optimizerChoices } from '../../src/studies/optimizer-choices.js';
import { checkSettingsForOptimizer } from '../../src/training/optimizer-settings.js';
import { GradscopeError } from '../../src/errors.js';

/** Whether train() refuses `settings` beside `name`'s instance. */
function refused(optimizer: Parameters<typeof checkSettingsForOptimizer>[0], settings: Parameters<typeof checkSettingsForOptimizer>[1]): boolean {
  try {
    checkSettingsForOptimizer(optimizer, settings);
    return false;
  } catch (error) {
    if (error instanceof GradscopeError && error.code === 'INVALID_OPTION') return true;
    throw error;
  }
}

describe('flagsRefusedBeside', () => {
  it("leaves out what train() refuses beside each optimiser: --on-non-finite halve, --clip-norm, and nothing else", async () => {
    // Dense, mse: every registered optimiser trains it (Levenberg-Marquardt needs mse, K-FAC dense layers).
    const net = await createNetwork({ sizes: [3, 4, 2], output: 'linear', loss: 'mse', seed: 1, backend: 'ref' });
    const dropped: string[] = [];
    for (const choice of optimizerChoices()) {
      const definition = OPTIMIZERS.find((d) => d.name === choice.optimizer)!;
      const optimizer = createOptimizer(net, definition.name);
      const flags = new Map<string, string | true>([['on-non-finite', 'halve'], ['clip-norm', '5'], ['batch-size', '8']]);
      const left = flagsRefusedBeside(choice.name, flags).map((r) => r.flag);
      expect(left.includes('on-non-finite'), choice.name).toBe(refused(optimizer, { onNonFinite: 'halve' }));
      expect(left.includes('clip-norm'), choice.name).toBe(refused(optimizer, { clipNorm: 5 }));
      expect(left.filter((flag) => !['on-non-finite', 'clip-norm'].includes(flag)), choice.name).toEqual([]);
      // The registry's facts are the instance's.
      expect(definition.recomputesGradient === true, choice.name).toBe(optimizer.recomputesGradient === true);
      expect(definition.learningRate === undefined, choice.name).toBe(optimizer.choosesOwnSteps === true);
      dropped.push(...left.map((flag) => `${choice.name} ${flag}`));
      optimizer.dispose();
    }
    net.dispose();
    // The cases the remedies meet: hessian-free beside halve; L-BFGS beside clipping.
    expect(dropped).toEqual(expect.arrayContaining(['hessian-free on-non-finite', 'lbfgs clip-norm', 'levenberg-marquardt on-non-finite', 'levenberg-marquardt clip-norm']));
  });

  it('says why, beside the flag it leaves out; leaves out nothing the run did not give', () => {
    expect(flagsRefusedBeside('hessian-free', new Map([['on-non-finite', 'halve']]))).toEqual([{ flag: 'on-non-finite', why: '--on-non-finite halve left out: hessian-free chooses its own steps, and halve halves a learning rate' }]);
    expect(flagsRefusedBeside('lbfgs', new Map([['clip-norm', '5']]))).toEqual([{ flag: 'clip-norm', why: '--clip-norm 5 left out: lbfgs evaluates its own gradients, which clipping the first would not match' }]);
    expect(flagsRefusedBeside('hessian-free', new Map([['on-non-finite', 'skip'], ['clip-norm', '5']]))).toEqual([]);
    expect(flagsRefusedBeside('adam', new Map([['on-non-finite', 'halve'], ['clip-norm', '5']]))).toEqual([]);
  });
});
