// "Did you mean": the nearest known word within a third of the typed one's length, and a word that
// differs only in case before any other at the same distance (`Y` is `y`, not the first one-letter key).
// One rule for the API and the CLI: a mistyped optimiser, activation, initialisation or fault policy
// passed to createNetwork or train gets the word the CLI's flag suggests (`optimizer: 'adma'` got none).
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { closest, didYouMean } from '../../src/suggest.js';
import { runCliInProcess } from '../util/cli.js';

describe('closest', () => {
  it('takes the candidate that differs only in case over an earlier one at the same distance', () => {
    expect(closest('Y', ['x', 'y', 'labels'])).toBe('y');
    expect(closest('batchsize', ['batches', 'batchSize'])).toBe('batchSize');
  });

  it('finds a typo within a third of the word, and nothing beyond', () => {
    expect(closest('learningrat', ['learningRate', 'epochs'])).toBe('learningRate');
    expect(closest('zzz', ['epochs', 'x'])).toBeUndefined();
  });

  it("takes a word's initials for the one name whose words they begin (newuser37: train --lr 0.1 named no flag)", () => {
    expect(closest('lr', ['epochs', 'learning-rate', 'batch-size'])).toBe('learning-rate');
    expect(closest('bs', ['epochs', 'learningRate', 'batchSize'])).toBe('batchSize');
    expect(closest('LR', ['learning-rate'])).toBe('learning-rate');
    expect(closest('lr', ['learning-rate', 'leaky-relu'])).toBeUndefined();
    expect(closest('l', ['learning-rate'])).toBeUndefined();
    expect(closest('lr', ['lr-schedule'])).toBeUndefined();
  });

  it("takes a family's name for the one member whose variant other names share (newuser49 #17: --init he named no init)", () => {
    const inits = ['standard', 'glorot-uniform', 'glorot-normal', 'he-normal', 'lecun-normal', 'orthogonal'];
    expect(closest('he', inits)).toBe('he-normal');
    expect(closest('HE', inits)).toBe('he-normal');
    // Two members of one family: neither.
    expect(closest('glorot', inits)).toBeUndefined();
    expect(closest('lr', ['lr-schedule', 'lr-warmup', 'warmup-steps'])).toBeUndefined();
    // A first word whose rest no other name shares is part of one name, no family's: `lr` is no schedule.
    expect(closest('lr', ['lr-schedule', 'epochs'])).toBeUndefined();
    expect(closest('h', ['he-normal', 'lecun-normal'])).toBeUndefined();
    // A longer name of the member beside it (He's fan-out form) leaves `he` naming the plain one.
    expect(closest('he', [...inits, 'he-normal-fan-out'])).toBe('he-normal');
    expect(closest('glorot', [...inits, 'glorot-normal-fan-out'])).toBeUndefined();
    // A longer name that is a member itself (Keras' truncated variants, shared across families) leaves it so too.
    const truncated = [...inits, 'glorot-normal-truncated', 'he-normal-truncated', 'lecun-normal-truncated'];
    expect(closest('he', truncated)).toBe('he-normal');
    expect(closest('lecun', truncated)).toBe('lecun-normal');
    expect(closest('glorot', truncated)).toBeUndefined();
  });

  it('says nothing when no candidate is close', () => {
    expect(didYouMean('qqqqqq', ['epochs'])).toBe('');
    expect(didYouMean('epoch', ['epochs'], (c) => `'${c}'`)).toBe("; did you mean 'epochs'?");
  });
});

describe('the API suggests what the CLI suggests', () => {
  /** The word a message suggests ('; did you mean X?', X quoted either way), or undefined. */
  const suggested = (message: string) => /; did you mean ['"]([^'"]+)['"]\?/.exec(message)?.[1];
  const X = [[0, 1, 0, 1]];
  const Y = [[1, 0]];
  /** What the API says of each typo (its INVALID_OPTION message), beside the CLI's train flag given the same word. */
  const typos: [flag: string, typed: string, api: () => Promise<unknown>][] = [
    ['--optimizer', 'adma', async () => (await createNetwork({ sizes: [4, 3, 2], backend: 'ref' })).train(X, Y, { optimizer: 'adma' as never })],
    ['--activation', 'sigmod', () => createNetwork({ sizes: [4, 3, 2], activation: 'sigmod' as never, backend: 'ref' })],
    ['--init', 'he-norml', () => createNetwork({ sizes: [4, 3, 2], init: 'he-norml' as never, backend: 'ref' })],
    ['--on-non-finite', 'skpi', async () => (await createNetwork({ sizes: [4, 3, 2], backend: 'ref' })).train(X, Y, { onNonFinite: 'skpi' as never })],
  ];

  it.each(typos)('%s %s', async (flag, typed, api) => {
    const refused = await api().then(
      () => undefined,
      (error: { code?: string; message: string }) => error,
    );
    expect(refused?.code).toBe('INVALID_OPTION');
    const cli = await runCliInProcess(['train', flag, typed]);
    expect(cli.code).toBe(2);
    const word = suggested(cli.stderr);
    expect(word, cli.stderr).toBeDefined();
    expect(suggested(refused!.message), refused!.message).toBe(word);
  });

  it("takes --init he for he-normal, and the option init: 'he' for 'he-normal'", async () => {
    const cli = await runCliInProcess(['train', '--init', 'he']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain("got 'he'; did you mean 'he-normal'?");
    const refused = await createNetwork({ sizes: [4, 3, 2], init: 'he' as never, backend: 'ref' }).then(
      () => '',
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/got "he"; did you mean "he-normal"\?$/);
  });

  it('takes --lr for --learning-rate, and the option lr for learningRate', async () => {
    const cli = await runCliInProcess(['train', '--lr', '0.1']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain("unknown flag --lr for 'gradscope train'; did you mean --learning-rate?");
    const net = await createNetwork({ sizes: [4, 3, 2], backend: 'ref' });
    expect(() => net.train(X, Y, { lr: 0.1 } as never)).toThrow(/did you mean 'learningRate'\?/);
    net.dispose();
  });

  it('suggests nothing for a value that is no string, nor for a word far from every name', async () => {
    const net = await createNetwork({ sizes: [4, 3, 2], backend: 'ref' });
    const refusal = (call: () => unknown) => Promise.resolve().then(call).then(() => '', (error: Error) => error.message);
    const far = await refusal(() => net.train(X, Y, { optimizer: 'qqqqqqqq' as never }));
    expect(far).toBe('optimizer: unknown optimiser "qqqqqqqq" (known: sgd, lars, adagrad, rmsprop, adam, adamw, lbfgs, levenberg-marquardt, hessian-free, kfac)');
    net.dispose();
    for (const activation of [3, 'qqqqqqqq']) {
      const message = await refusal(() => createNetwork({ sizes: [4, 3, 2], activation: activation as never, backend: 'ref' }));
      expect(message).toMatch(/^activation: expected one of sigmoid, .*, got (3|"qqqqqqqq")$/);
    }
  });
});
