// docs/cli.md's plateau runs (newuser43 #9: its '10.5 % each time, 2026-12-02' read 10.8 % at 0.1 and no test held it):
// `train --depth 5 --width 30 --epochs 3`, then `study --model` at each rate the page names, each run's final test
// accuracy compared with the page's at its digits, and the 'learnt nothing' warning given where the page says it is.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../util/cli.js';
import { quotedOn } from '../util/page-numbers.js';

const [rates, accuracies, warnedAt] = quotedOn('docs/cli.md', /`study --model` at ([\d., and]+): ([\d., %and]+), 2026-\d\d-\d\d, the warning at ([\d.]+) alone/);
const list = (text: string) => text.split(/, | and |,? and /).map((part) => part.replace(' %', '').trim());

describe("docs/cli.md's plateau runs", () => {
  it('reproduce the test accuracy at each rate, and the warning where the page says', async () => {
    const model = join(mkdtempSync(join(tmpdir(), 'gradscope-plateau-runs-')), 'd5.json');
    expect((await runCliInProcess(['train', '--depth', '5', '--width', '30', '--epochs', '3', '--out', model])).code).toBe(0);
    const pageRates = list(rates);
    expect(pageRates.length).toBe(3);
    const measured: string[] = [];
    const warned: string[] = [];
    for (const rate of pageRates) {
      const run = await runCliInProcess(['study', '--model', model, '--learning-rate', rate]);
      expect(run.code).toBe(0);
      // The learning curve's last row: the epoch, the test loss, the test accuracy.
      const last = run.stdout.split('\n').find((line) => /^10 +\d/.test(line))!;
      measured.push(last.trim().split(/ +/)[2]);
      if (run.stdout.includes('Warning: the trained network learnt nothing')) warned.push(rate);
    }
    expect(measured).toEqual(list(accuracies));
    expect(warned).toEqual([warnedAt]);
  }, 180_000);
});
