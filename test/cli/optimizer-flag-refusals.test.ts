/**
 * A refusal of what the optimiser flags give says what the user typed: on the command line the flags
 * (--momentum, --norm-constraint), never the API's option keys (momentum, normConstraint, rescale,
 * quadraticMomentum), which the API's refusals of the same options keep.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { createOptimizer } from '../../src/optim/index.js';
import { expectError } from '../util/expect-error.js';
import { runCliInProcess } from '../util/cli.js';

const TRAIN = ['train', '--depth', '1', '--width', '4', '--train', '40', '--test', '10', '--epochs', '1'];

describe('the command line names the optimiser flags it refuses', () => {
  it.each([
    ['adam', '--momentum', '0.5', 'adam takes no --momentum (its beta1 plays that part, and no flag sets it)'],
    ['lbfgs', '--momentum', '0.5', 'lbfgs takes no --momentum'],
    ['sgd-momentum', '--norm-constraint', '1', 'sgd takes no --norm-constraint'],
    ['kfac', '--momentum', '0.5', "kfac takes no --momentum with its rescaled step, the one offered here: it chooses each step's momentum by its quadratic model (a fixed momentum applies to the unscaled step only)"],
    // --momentum 2 is refused by the flag's own rule (< 1, float32-flags.test.ts); one float32 rounds to 1 reaches sgd's range.
    ['sgd', '--momentum', '0.99999999', '--momentum: 0.99999999 is 1 in float32, which the wasm core computes in and every backend checks against, so not below 1; the largest usable value is 0.99999994'],
    ['kfac', '--norm-constraint', '2e6', '--norm-constraint: expected a finite number ≥ 0 and ≤ 1,000,000, got 2000000'],
    ['nesterov', '--momentum', '0', 'Nesterov momentum needs --momentum > 0'],
  ])('--optimizer %s %s %s', async (optimizer, flag, value, said) => {
    const { code, stderr } = await runCliInProcess([...TRAIN, '--optimizer', optimizer, flag, value]);
    expect(stderr).toBe(`gradscope: --optimizer ${optimizer} ${flag} ${Number(value)}: ${said}\n`);
    expect(stderr).not.toMatch(/normConstraint|rescale:|quadraticMomentum|(?<!--)momentum:|'momentum'/);
    expect(code).toBe(2);
  });
});

describe('the API names the same options by their keys', () => {
  it.each([
    [{ name: 'adam', momentum: 0.5 }, /^adam: unknown option 'momentum' \(known: .*beta1/],
    [{ name: 'sgd', normConstraint: 1 }, /^sgd: unknown option 'normConstraint'/],
    [{ name: 'kfac', momentum: 0.5 }, /^kfac: momentum applies to the unscaled step \(rescale: false\); with rescale use quadraticMomentum$/],
    [{ name: 'sgd', momentum: 2 }, /^sgd: momentum: expected a finite number ≥ 0 and < 1, got 2$/],
    [{ name: 'kfac', normConstraint: 2e6 }, /^kfac: normConstraint: expected a finite number ≥ 0 and ≤ 1,000,000, got 2000000$/],
    [{ name: 'sgd', nesterov: true }, /^sgd: nesterov: Nesterov momentum needs momentum > 0$/],
  ])('%j', async (spec, said) => {
    const net = await createNetwork({ sizes: [2, 3, 1], output: 'sigmoid', backend: 'ref' });
    await expectError(() => createOptimizer(net, spec), 'INVALID_OPTION', said);
    net.dispose();
  });
});
