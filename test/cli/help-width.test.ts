// --help on an 80-column terminal: every command's text wraps at spaces under itself, beside its
// flags' column (train --help's --init line was 330 characters, folded mid-word by the terminal);
// the usage wraps between its flags (train's was 430 characters), the example, a command line to
// copy, is never wrapped. With no width, one line a flag and a usage.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/cli.js';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';

/** The commands' examples, each a command line printed whole. */
const EXAMPLES = new Set(COMMANDS.map((c) => `  gradscope ${c.example}`));
/** Lines of `text` past `width`, but the examples. */
const tooWide = (text: string, width: number) => text.split('\n').filter((line) => line.length > width && !EXAMPLES.has(line));
/** The usage `text` prints, its lines joined: from 'Usage: ' to the blank line after it. */
const usageOf = (text: string) => flat(/^Usage: ([\s\S]*?)\n\n/m.exec(text)![1]);

describe('--help at a width', () => {
  it.each([80, 100])('gradscope --help and every command\'s at %i columns: no line past it, every flag still listed', async (width) => {
    const general = await runCliInProcess(['--help'], width);
    expect(tooWide(general.stdout, width)).toEqual([]);
    for (const command of COMMANDS.filter((c) => c.words.length > 0)) {
      const run = await runCliInProcess([...command.words, '--help'], width);
      expect(run.code).toBe(0);
      expect(tooWide(run.stdout, width), command.usage).toEqual([]);
      for (const flag of command.flags) expect(run.stdout).toMatch(new RegExp(`^  --${flag.name}\\b`, 'm'));
      expect(usageOf(run.stdout)).toBe(`gradscope ${command.usage}`);
      expect(run.stdout).toContain(`Example:\n  gradscope ${command.example}`);
    }
  });

  it('wraps a flag\'s text under itself, after the names\' column', async () => {
    const { stdout } = await runCliInProcess(['train', '--help'], 80);
    const lines = stdout.split('\n');
    const init = lines.findIndex((line) => line.startsWith('  --init I '));
    const column = lines[init].indexOf('the weights');
    expect(lines[init + 1].slice(0, column).trim()).toBe('');
    expect(lines[init + 1].slice(column)).toMatch(/^\S/);
  });

  it('wraps each usage between its flags, each line after the first under its first flag; with no width, on one line', async () => {
    const { stdout } = await runCliInProcess(['train', '--help'], 80);
    const lines = stdout.split('\n');
    const first = lines.findIndex((line) => line.startsWith('Usage: gradscope train ['));
    expect(lines[first + 1]).toMatch(/^ {23}\[--/);
    expect(lines[first + 1].length).toBeLessThanOrEqual(80);
    const whole = await runCliInProcess(['train', '--help']);
    expect(whole.stdout).toContain(`Usage: gradscope ${COMMANDS.find((c) => c.words.join(' ') === 'train')!.usage}\n`);
    const general = await runCliInProcess(['--help'], 80);
    expect(general.stdout).toMatch(/^  gradscope train \[--layers A,B,…\].*\n {18}\[--/m);
  });

  it("wraps a note as one paragraph, its source's line breaks ignored: curvature's Cost at 80 columns has no short line but its last", async () => {
    const { stdout } = await runCliInProcess(['curvature', '--help'], 80);
    const lines = stdout.split('\n');
    const cost = lines.slice(lines.findIndex((line) => line.startsWith('Cost: ')), lines.indexOf('Example:') - 1);
    expect(cost.length).toBeGreaterThan(3);
    for (const line of cost.slice(0, -1)) expect(line.length, line).toBeGreaterThan(60);
    const whole = await runCliInProcess(['curvature', '--help']);
    expect(whole.stdout).toMatch(/^Cost: at most 2·T \+ 2·\(min\(n, \d+\) .*operator products \(H·v or G·v; n parameters, n_l layer l's; T per trace n up to [\d,]+ parameters, else \d+ probes per layer; M: \d+·\d+ for each of n and n_l above \d+, the start vectors of the Hessian's negative mass there\),$/m);
  });
});

