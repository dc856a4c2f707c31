// A flag the core holds as float32 (NumberRule.float32) refuses a positive value that float32 holds
// as 0 or subnormal: its --help says the least value taken, the bound numberFlag enforces.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/cli.js';
import { FLOAT32_HELP, flagLines, numberFlag, parseArgs, UsageError } from '../../src/cli/command.js';
import { FLOAT32_MIN_NORMAL } from '../../src/checks.js';

/** The largest float32 below FLOAT32_MIN_NORMAL (a subnormal). */
const BELOW = FLOAT32_MIN_NORMAL * (1 - 2 ** -23);

describe('float32 flags', () => {
  const float32Flags = COMMANDS.flatMap((command) => command.flags.filter((flag) => flag.rule?.float32).map((flag) => ({ command, flag })));

  it('there are such flags (the learning rate, momentum and clip norm of study)', () => {
    expect(float32Flags.map(({ command, flag }) => `${command.words.join(' ')} --${flag.name}`)).toEqual(expect.arrayContaining(['study --learning-rate', 'study --momentum', 'study --clip-norm']));
  });

  it.each(float32Flags.map(({ command, flag }) => [`${command.words.join(' ')} --${flag.name}`, command, flag.name] as const))('%s: --help states the least value, which is taken, and the float32 below it refused', (_, command, name) => {
    const line = flagLines(command).find((l) => l.startsWith(`  --${name} `))!;
    expect(line).toContain(`(${FLOAT32_HELP})`);
    expect(FLOAT32_HELP).toContain('at least 1.1754944e-38 ');
    expect(numberFlag(parseArgs(command, [`--${name}`, String(FLOAT32_MIN_NORMAL)]), name)).toBe(FLOAT32_MIN_NORMAL);
    expect(() => numberFlag(parseArgs(command, [`--${name}`, String(BELOW)]), name)).toThrow(UsageError);
    expect(() => numberFlag(parseArgs(command, [`--${name}`, String(BELOW)]), name)).toThrow('the least usable value is 1.1754944e-38 ');
    // Taken as --help and the refusal print it.
    expect(numberFlag(parseArgs(command, [`--${name}`, '1.1754944e-38']), name)).toBe(1.1754944e-38);
  });
});
