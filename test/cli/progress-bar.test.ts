// The CLI's ProgressBar: a line per tenth in a log, a total that may change as the job goes
// (curvature's plan shrinks when Lanczos runs converge early), and the time left where asked, from
// the work measured since the first report; the studies' bars count work, not runs.
import { describe, expect, it } from 'vitest';
import { quoteOn } from '../util/page-quotes.js';
import { networkProgress } from '../../src/cli/commands/study-depth.js';
import { rowProgress } from '../../src/cli/commands/study-trainable-depth.js';
import { keptRates, OUTLIER_SHARE, ProgressBar, timeLeftText } from '../../src/cli/progress.js';
import { processTerminal, type Terminal } from '../../src/cli/terminal.js';
import { chooseRemedies } from '../../src/studies/trainable-depth.js';
import type { TrainableDepthRow } from '../../src/studies/trainable-depth.js';

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

  it('says the time left from the rate since its first report: none before a second report, none at the end', () => {
    const terminal = logTerminal();
    let now = 5_000; // the work began long before the first report (loading the digits): not counted
    const bar = new ProgressBar(terminal, 'job', 10, { timeLeft: true, clock: () => now });
    bar.update(1, 'a'); // 10 %: the first report, nothing timed yet
    now += 4_000;
    bar.update(2, 'b'); // 1 unit in 4 s, 8 left: 32 s
    now += 8_000;
    bar.update(4, 'c'); // 3 units in 12 s, 6 left: 24 s
    now += 30_000;
    bar.update(9); // 8 units in 42 s, 1 left: 5.25 s
    now += 5_000;
    bar.update(10, 'done');
    expect(terminal.lines).toEqual(['job: 10 %, a', 'job: 20 %, b, about 30 s left', 'job: 40 %, c, about 25 s left', 'job: 90 %, a few seconds left', 'job: 100 %, done']);
    expect(terminal.lines[2]).toContain(quoteOn('docs/cli.md', 'about 25 s left'));
  });

  it('says nothing of time unless asked (a total whose units differ in cost)', () => {
    const terminal = logTerminal();
    let now = 0;
    const bar = new ProgressBar(terminal, 'job', 4, { clock: () => now });
    for (let done = 1; done <= 4; done++) (now += 1_000), bar.update(done);
    expect(terminal.lines).toEqual(['job: 25 %', 'job: 50 %', 'job: 75 %', 'job: 100 %']);
  });

  it('redraws a terminal’s bar by its clock: at most every 50 ms, and at the end', () => {
    const drawn: string[] = [];
    const terminal: Terminal = { live: true, out: () => {}, err: (text) => void drawn.push(text) };
    let now = 0;
    const bar = new ProgressBar(terminal, 'job', 4, { clock: () => now });
    bar.update(1, 'a'); // the first report is drawn, whatever the clock reads
    now += 10;
    bar.update(2, 'b'); // 10 ms later: not redrawn
    now += 60;
    bar.update(3, 'c'); // 60 ms after the last drawing
    bar.update(4, 'd'); // the end, at once
    expect(drawn.map((text) => text.match(/% (\w)/)?.[1])).toEqual(['a', 'c', 'd']);
  });

  // newuser43 #14: study (c)'s 50-layer sigmoid networks ran 4–5× slower per weight than the rest on an Intel Xeon (subnormal
  // gradients), and the mean rate after them said 'about 3 min left' where 38 s were. The bar says the range instead.
  it('says the time left as a range where the work so far went at different rates: the work left at the fastest and the slowest', () => {
    const terminal = logTerminal();
    let now = 0;
    const bar = new ProgressBar(terminal, 'job', 10, { timeLeft: true, clock: () => now });
    bar.update(1); // the first report: timed from here, no time left yet
    now = 2_000;
    bar.update(2); // 2 s a unit: 8 units left, 16 s either way
    now = 12_000;
    bar.update(3); // 10 s a unit: 7 left, 14 s at the fastest, 70 s at the slowest
    now = 13_000;
    bar.update(3, 'skipped'); // no work: no stretch of its own, its second goes to the next
    now = 16_000;
    bar.update(5); // 4 s for 2 units since update(3): 2 s a unit again; 5 left, 10 s to 50 s
    expect(terminal.lines).toEqual(['job: 10 %', 'job: 20 %, about 15 s left', 'job: 30 %, about 15 s to 70 s left', 'job: 50 %, about 10 s to 50 s left']);
    expect(terminal.lines[2]).toContain(quoteOn('docs/cli.md', 'about 15 s to 70 s left'));
  });

  it('says one time where the fastest and the slowest rates round alike: the mean rate over the work left', () => {
    const terminal = logTerminal();
    let now = 0;
    const bar = new ProgressBar(terminal, 'job', 10, { timeLeft: true, clock: () => now });
    bar.update(1);
    now = 20_000;
    bar.update(2); // 20 s a unit
    now = 41_000;
    bar.update(3); // 21 s a unit: 7 left, 140 s or 147 s, both 'about 2 min'; the mean, 20.5 s × 7 = 143.5 s
    expect(terminal.lines.at(-1)).toBe('job: 30 %, about 2 min left');
  });

  // review44 #16: the range's ends were the fastest and slowest of every stretch since the first, never forgotten, so one
  // slow stretch (a JIT warm-up, a GC pause, a burst of load) said a range for the rest of the run.
  it('says one time where one stretch unlike the rest holds less than a tenth of the work: the rest\'s rate', () => {
    const terminal = logTerminal();
    let now = 0;
    const bar = new ProgressBar(terminal, 'job', 40, { timeLeft: true, clock: () => now });
    bar.update(1);
    for (let done = 2; done <= 20; done++) {
      now += done === 5 ? 6_000 : 1_000; // the fourth stretch: a 5 s pause in a 1 s unit
      bar.update(done);
    }
    // 20 left at 1 s a unit: the pause's stretch holds 1 of 19 units (5 %). Kept, it said 'about 20 s to 2 min left',
    // and its seconds in the mean 'about 25 s left'.
    expect(terminal.lines.at(-1)).toBe('job: 50 %, about 20 s left');
  });

  it('says the range while a slow first stretch holds a tenth of the work or more, then one time', () => {
    const terminal = logTerminal();
    let now = 0;
    const bar = new ProgressBar(terminal, 'job', 100, { timeLeft: true, clock: () => now });
    bar.update(0);
    now = 30_000;
    bar.update(2); // 15 s a unit, warming up
    for (let done = 4; done <= 60; done += 2) {
      now += 2_000; // 1 s a unit from here
      bar.update(done);
    }
    // At 20 % the first stretch holds 2 of 20 units (10 %): kept; at 30 %, 2 of 30: left out.
    expect(terminal.lines).toEqual([
      'job: 10 %, about 2 min to 23 min left',
      'job: 20 %, about 80 s to 20 min left',
      'job: 30 %, about 70 s left',
      'job: 40 %, about 60 s left',
      'job: 50 %, about 50 s left',
      'job: 60 %, about 40 s left',
    ]);
  });

  it('keeps the stretches at either end that hold a tenth of the work or more, and leaves out those that hold less', () => {
    expect(OUTLIER_SHARE).toBe(0.1);
    const like = Array.from({ length: 8 }, () => ({ work: 1, ms: 1_000 }));
    // 1 unit of 9 (11 %) at either end: kept.
    expect(keptRates([...like, { work: 1, ms: 9_000 }])).toEqual({ fastest: 1_000, slowest: 9_000, mean: 17_000 / 9 });
    expect(keptRates([{ work: 1, ms: 100 }, ...like])).toEqual({ fastest: 100, slowest: 1_000, mean: 8_100 / 9 });
    // 1 of 11 (9 %) at each end, the slow one first in time: both left out, the mean is the rest's.
    const eleven = [{ work: 1, ms: 9_000 }, ...like, { work: 1, ms: 1_000 }, { work: 1, ms: 100 }];
    expect(keptRates(eleven)).toEqual({ fastest: 1_000, slowest: 1_000, mean: 1_000 });
    // Two stretches, each half the work: both kept. None that did work: no rates.
    expect(keptRates([{ work: 3, ms: 3_000 }, { work: 3, ms: 30_000 }])).toEqual({ fastest: 1_000, slowest: 10_000, mean: 5_500 });
    expect(keptRates([])).toBeUndefined();
  });

  it('rounds the time left as an estimate deserves', () => {
    expect([3_000, 12_000, 62_400, 89_000, 95_000, 600_000].map(timeLeftText)).toEqual([
      'a few seconds left',
      'about 10 s left',
      'about 60 s left',
      'about 90 s left',
      'about 2 min left',
      'about 10 min left',
    ]);
  });
});

describe("the studies' progress counts their work", () => {
  it("study (c)'s rows by each network's weights: a 2-layer network of 64 units is 18 % of one 2-layer and one 50-layer, not half", () => {
    const terminal = logTerminal();
    const progress = rowProgress(terminal, { remedies: chooseRemedies(['relu-he']), depths: [2, 50], width: 64 });
    const row = (depth: number) => ({ remedy: 'relu-he', depth }) as TrainableDepthRow;
    progress.onRow(row(2));
    progress.onRow(row(50));
    // 784·64 + 64 + 64·64 + 64 + 64·10 + 10 = 55,050; with 48 more hidden layers 254,730
    expect(terminal.lines).toEqual(['trainable depth: 18 %, relu-he at 2 hidden layers', 'trainable depth: 100 %, relu-he at 50 hidden layers']);
  });

  it("study (c)'s networks the study does not run count as no work (hessian-free above 10 hidden layers): their rows do not move the bar", () => {
    const terminal = logTerminal();
    const progress = rowProgress(terminal, { remedies: chooseRemedies(['hessian-free', 'relu-he']), depths: [2, 50], width: 64 });
    const row = (remedy: string, depth: number) => ({ remedy, depth }) as TrainableDepthRow;
    progress.onRow(row('hessian-free', 2));
    progress.onRow(row('hessian-free', 50));
    progress.onRow(row('relu-he', 2));
    progress.onRow(row('relu-he', 50));
    // Run: 55,050 twice and 254,730 once (hessian-free at 50 is skipped) of 364,830.
    expect(terminal.lines).toEqual([
      'trainable depth: 15 %, hessian-free at 2 hidden layers',
      expect.stringMatching(/^trainable depth: 30 %, relu-he at 2 hidden layers, (a few seconds|about \d+ (s|min)) left$/),
      'trainable depth: 100 %, relu-he at 50 hidden layers',
    ]);
  });

  it("study (a)'s four networks on one bar, each epoch as its network's weights, with the time left", () => {
    const terminal = logTerminal();
    const progress = networkProgress(terminal, 'depth');
    for (let network = 0; network < 4; network++) for (let epoch = 1; epoch <= 10; epoch++) progress.onProgress(network, epoch, 10);
    // Weights and biases 23,860, 24,790, 25,720, 26,650 of 101,020: network 1's fifth epoch is at 12 %,
    // not 50 % (its own epochs) nor 13 % (a quarter of them). A test's clock-time left is seconds.
    expect(terminal.lines.slice(1, -1).every((line) => / a few seconds left$/.test(line))).toBe(true);
    expect(terminal.lines.map((line) => line.replace(/, a few seconds left$/, ''))).toEqual(
      [[12, 1], [21, 1], [31, 2], [41, 2], [51, 3], [61, 3], [71, 3], [82, 4], [92, 4], [100, 4]].map(([percent, network]) => `depth: ${percent} %, network ${network}/4`),
    );
  });

  it("cuts a terminal's bar line to the terminal's width less one, with an ellipsis: a wrapped line is redrawn from its last row only", () => {
    const written: string[] = [];
    const terminal: Terminal = { live: true, errColumns: 40, out: () => {}, err: (text) => void written.push(text) };
    const bar = new ProgressBar(terminal, 'trainable-depth', 10, { clock: () => 0 });
    bar.update(3, 'budget sweep, relu-he at 50 hidden layers');
    const line = written[0].replace(/^\r/, '').replace(/\x1b\[K$/, '');
    expect(line.length).toBe(39);
    expect(line).toMatch(/^trainable-depth █+░+ {2}30% budget.*…$/);
    const wide: string[] = [];
    new ProgressBar({ ...terminal, errColumns: undefined, err: (text) => void wide.push(text) }, 'trainable-depth', 10, { clock: () => 0 }).update(3, 'budget sweep');
    expect(wide[0]).toContain('30% budget sweep\x1b[K');
  });

  it("fits the bar to standard error's width when standard output is a file (gradscope … > out.txt): the bar is drawn on standard error", () => {
    const saved = { outTty: process.stdout.isTTY, outColumns: process.stdout.columns, errTty: process.stderr.isTTY, errColumns: process.stderr.columns, variable: process.env.COLUMNS };
    const set = (stream: NodeJS.WriteStream, tty: boolean | undefined, columns: number | undefined) => {
      Object.defineProperty(stream, 'isTTY', { value: tty, configurable: true, writable: true });
      Object.defineProperty(stream, 'columns', { value: columns, configurable: true, writable: true });
    };
    try {
      delete process.env.COLUMNS;
      set(process.stdout, false, undefined);
      set(process.stderr, true, 40);
      const terminal = processTerminal();
      expect(terminal.columns).toBeUndefined(); // a file gets every table whole
      const written: string[] = [];
      new ProgressBar({ ...terminal, err: (text) => void written.push(text) }, 'trainable-depth', 10, { clock: () => 0 }).update(3, 'budget sweep, relu-he at 50 hidden layers');
      expect(written[0].replace(/^\r/, '').replace(/\x1b\[K$/, '').length).toBe(39);
      process.env.COLUMNS = '60'; // COLUMNS still comes first
      expect(processTerminal().errColumns).toBe(60);
    } finally {
      set(process.stdout, saved.outTty, saved.outColumns);
      set(process.stderr, saved.errTty, saved.errColumns);
      if (saved.variable === undefined) delete process.env.COLUMNS;
      else process.env.COLUMNS = saved.variable;
    }
  });
});

