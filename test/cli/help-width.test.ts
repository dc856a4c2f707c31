// --help on an 80-column terminal: every command's text wraps at spaces under itself, beside its
// flags' column (train --help's --init line was 330 characters, folded mid-word by the terminal);
// the usage line and the example, command lines, are never wrapped. With no width, one line a flag.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/cli.js';
import { runCliInProcess } from '../util/cli.js';

/** Lines of `text` past `width`, but the usage and example lines (command lines, printed whole). */
const tooWide = (text: string, width: number) => text.split('\n').filter((line) => line.length > width && !/^(Usage: |  gradscope)/.test(line));

describe('--help at a width', () => {
  it.each([80, 100])('gradscope --help and every command\'s at %i columns: no line past it, every flag still listed', async (width) => {
    const general = await runCliInProcess(['--help'], width);
    expect(tooWide(general.stdout, width)).toEqual([]);
    for (const command of COMMANDS.filter((c) => c.words.length > 0)) {
      const run = await runCliInProcess([...command.words, '--help'], width);
      expect(run.code).toBe(0);
      expect(tooWide(run.stdout, width), command.usage).toEqual([]);
      for (const flag of command.flags) expect(run.stdout).toMatch(new RegExp(`^  --${flag.name}\\b`, 'm'));
      expect(run.stdout).toContain(`Usage: ${command.usage}`);
      expect(run.stdout).toContain(`Example:\n  ${command.example}`);
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
});
