// Numeric flags are checked before any work starts: a bad value is one line on stderr and exit 2.
import { describe, expect, it } from 'vitest';
import { runCli } from '../util/cli.js';

describe('numeric flags', () => {
  it.each([
    [['--epochs', '-1'], /--epochs must be ≥ 0, got '-1'/],
    [['--epochs', '2.5'], /--epochs needs a whole number, got '2\.5'/],
    [['--seeds', '0'], /--seeds must be ≥ 1, got '0'/],
    [['study', 'depth', '--seeds', 'many'], /--seeds needs a number, got 'many'/],
    [['study', 'remedies', '--seconds', '0'], /--seconds must be > 0, got '0'/],
    [['study', 'activations', '--width', '1e400'], /--width needs a number, got '1e400'/],
  ])('gradscope %j is refused', (args, message) => {
    const { code, stdout, stderr } = runCli(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toMatch(message);
  });
});
