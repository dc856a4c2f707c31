// A flag the core holds as float32, or holds as float64 and checks as float32 (NumberRule.float32), refuses a positive value that float32 holds
// as 0 or subnormal: its --help says the least value taken, the bound numberFlag enforces.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/cli.js';
import { float32Help, flagLines, numberFlag, parseArgs, UsageError } from '../../src/cli/command.js';
import { FLOAT32_MAX_WORDS, FLOAT32_MIN_NORMAL } from '../../src/checks.js';
import { createNetwork } from '../../src/api/network.js';
import { createOptimizer } from '../../src/optim/index.js';

/** The largest float32 below FLOAT32_MIN_NORMAL (a subnormal). */
const BELOW = FLOAT32_MIN_NORMAL * (1 - 2 ** -23);

describe('float32 flags', () => {
  const float32Flags = COMMANDS.flatMap((command) => command.flags.filter((flag) => flag.rule?.float32).map((flag) => ({ command, flag })));

  it('there are such flags (the learning rate, momentum and clip norm of study)', () => {
    expect(float32Flags.map(({ command, flag }) => `${command.words.join(' ')} --${flag.name}`)).toEqual(expect.arrayContaining(['study --learning-rate', 'study --momentum', 'study --clip-norm']));
  });

  it('--help says how each is held: --clip-norm as float64 (checked as float32), the learning rate and momentum as float32', () => {
    const study = COMMANDS.find((command) => command.words.join(' ') === 'study')!;
    const line = (name: string) => flagLines(study).find((l) => l.startsWith(`  --${name} `))!;
    expect(line('clip-norm')).toContain('(held as float64, checked as float32: a value > 0 must be at least 1.1754944e-38 ');
    expect(line('clip-norm')).not.toContain('held as float32');
    for (const name of ['learning-rate', 'momentum']) expect(line(name)).toContain('(held as float32: a value > 0 must be at least 1.1754944e-38 ');
  });

  it.each(float32Flags.map(({ command, flag }) => [`${command.words.join(' ')} --${flag.name}`, command, flag.name] as const))('%s: --help states the least value, which is taken, and the float32 below it refused', (_, command, name) => {
    const line = flagLines(command).find((l) => l.startsWith(`  --${name} `))!;
    expect(line).toContain(`(${float32Help(command.flags.find((f) => f.name === name)!.rule!)})`);
    expect(float32Help({})).toContain('at least 1.1754944e-38 ');
    expect(numberFlag(parseArgs(command, [`--${name}`, String(FLOAT32_MIN_NORMAL)]), name)).toBe(FLOAT32_MIN_NORMAL);
    expect(() => numberFlag(parseArgs(command, [`--${name}`, String(BELOW)]), name)).toThrow(UsageError);
    expect(() => numberFlag(parseArgs(command, [`--${name}`, String(BELOW)]), name)).toThrow('the least usable value is 1.1754944e-38 ');
    // Taken as --help and the refusal print it.
    expect(numberFlag(parseArgs(command, [`--${name}`, '1.1754944e-38']), name)).toBe(1.1754944e-38);
  });
});

describe('--momentum, a float32 flag below an exclusive bound (a momentum must forget)', () => {
  it.each(['train', 'study'])('%s --momentum: --help states < 1 and the largest float32 below it, not float32\'s greatest; that is taken and 1 refused', async (words) => {
    const command = COMMANDS.find((c) => c.words.join(' ') === words)!;
    const line = flagLines(command).find((l) => l.startsWith('  --momentum '))!;
    expect(line).not.toContain(FLOAT32_MAX_WORDS);
    expect(line).toContain('and below 1 (at most 0.99999994)');
    expect(numberFlag(parseArgs(command, ['--momentum', '0.99999994']), 'momentum')).toBe(0.99999994);
    const net = await createNetwork({ sizes: [2, 3, 1], output: 'sigmoid', backend: 'ref' });
    expect(() => createOptimizer(net, { name: 'sgd', momentum: 0.99999994 })).not.toThrow();
    net.dispose();
    expect(() => numberFlag(parseArgs(command, ['--momentum', '1']), 'momentum')).toThrow("--momentum must be < 1, got '1'");
  });
});
