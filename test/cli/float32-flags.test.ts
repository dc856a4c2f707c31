// A flag the core holds as float32, or holds as float64 and checks as float32 (NumberRule.float32), refuses a positive value that float32 holds
// as 0 or subnormal, the least usable value in the refusal. Its --help does not state float32's bounds: beside every learning rate they were
// noise to a user choosing 0.01 (newuser43 #10); an exclusive bound of the flag's own (a momentum below 1) it does.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/cli.js';
import { flagLines, numberFlag, parseArgs, UsageError } from '../../src/cli/command.js';
import { FLOAT32_MIN_NORMAL } from '../../src/checks.js';
import { createNetwork } from '../../src/api/network.js';
import { createOptimizer } from '../../src/optim/index.js';

/** The largest float32 below FLOAT32_MIN_NORMAL (a subnormal). */
const BELOW = FLOAT32_MIN_NORMAL * (1 - 2 ** -23);

describe('float32 flags', () => {
  const float32Flags = COMMANDS.flatMap((command) => command.flags.filter((flag) => flag.rule?.float32).map((flag) => ({ command, flag })));

  it('there are such flags (the learning rate, momentum and clip norm of study)', () => {
    expect(float32Flags.map(({ command, flag }) => `${command.words.join(' ')} --${flag.name}`)).toEqual(expect.arrayContaining(['study --learning-rate', 'study --momentum', 'study --clip-norm']));
  });

  it("--help states no float32 bound: the refusal does, where a value meets one", () => {
    const study = COMMANDS.find((command) => command.words.join(' ') === 'study')!;
    const line = (name: string) => flagLines(study).find((l) => l.startsWith(`  --${name} `))!;
    for (const name of ['learning-rate', 'momentum', 'clip-norm']) {
      expect(line(name)).not.toMatch(/float32|1\.1754944e-38|3\.4028235e\+38|0\.99999994/);
      expect(() => numberFlag(parseArgs(study, [`--${name}`, '1e-39']), name)).toThrow("the least usable value is 1.1754944e-38 (2⁻¹²⁶, float32's smallest normal number)");
    }
    for (const name of ['learning-rate', 'clip-norm']) expect(() => numberFlag(parseArgs(study, [`--${name}`, '1e39']), name)).toThrow("the greatest usable value is 3.4028235e+38 (float32's largest finite number)");
  });

  it.each(float32Flags.map(({ command, flag }) => [`${command.words.join(' ')} --${flag.name}`, command, flag.name] as const))('%s: the least value is taken, and the float32 below it refused', (_, command, name) => {
    expect(numberFlag(parseArgs(command, [`--${name}`, String(FLOAT32_MIN_NORMAL)]), name)).toBe(FLOAT32_MIN_NORMAL);
    expect(() => numberFlag(parseArgs(command, [`--${name}`, String(BELOW)]), name)).toThrow(UsageError);
    expect(() => numberFlag(parseArgs(command, [`--${name}`, String(BELOW)]), name)).toThrow('the least usable value is 1.1754944e-38 ');
    // Taken as the refusal prints it.
    expect(numberFlag(parseArgs(command, [`--${name}`, '1.1754944e-38']), name)).toBe(1.1754944e-38);
  });
});

describe('--momentum, a float32 flag below an exclusive bound (a momentum must forget)', () => {
  it.each(['train', 'study'])('%s --momentum: --help states below 1; the largest float32 below it is taken and 1 refused', async (words) => {
    const command = COMMANDS.find((c) => c.words.join(' ') === words)!;
    const line = flagLines(command).find((l) => l.startsWith('  --momentum '))!;
    expect(line).toContain('(below 1)');
    expect(numberFlag(parseArgs(command, ['--momentum', '0.99999994']), 'momentum')).toBe(0.99999994);
    const net = await createNetwork({ sizes: [2, 3, 1], output: 'sigmoid', backend: 'ref' });
    expect(() => createOptimizer(net, { name: 'sgd', momentum: 0.99999994 })).not.toThrow();
    net.dispose();
    expect(() => numberFlag(parseArgs(command, ['--momentum', '1']), 'momentum')).toThrow("--momentum must be < 1, got '1'");
  });
});
