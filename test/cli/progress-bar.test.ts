// The CLI's ProgressBar: a line per tenth in a log, and a total that may change as the job goes
// (curvature's plan shrinks when Lanczos runs converge early).
import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../../src/cli/progress.js';
import type { Terminal } from '../../src/cli/terminal.js';

function logTerminal(): Terminal & { lines: string[] } {
  const lines: string[] = [];
  return { lines, live: false, out: () => {}, err: (text) => void lines.push(text.trimEnd()) };
}

describe('ProgressBar', () => {
  it('prints a line per tenth of a fixed total', () => {
    const terminal = logTerminal();
    const bar = new ProgressBar(terminal, 'job', 20);
    for (let done = 1; done <= 20; done++) bar.update(done);
    expect(terminal.lines).toEqual(Array.from({ length: 10 }, (_, i) => `job: ${10 * (i + 1)} %`));
  });

  it('takes a total that falls: the percentage is of the work now planned, and reaches 100 % at the new end', () => {
    const terminal = logTerminal();
    const bar = new ProgressBar(terminal, 'job', 100);
    bar.update(20, 'a', 100);
    // 80 planned products were not needed: 20 of 40
    bar.update(20, 'b', 40);
    bar.update(40, 'c', 40);
    expect(terminal.lines).toEqual(['job: 20 %, a', 'job: 50 %, b', 'job: 100 %, c']);
  });
});
