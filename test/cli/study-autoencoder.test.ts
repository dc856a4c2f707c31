// `gradscope study autoencoder` end to end, on a tiny budget: the JSON has a curve per optimiser
// that starts at the same untrained error and whose training time covers the budget.
import { describe, expect, it } from 'vitest';
import { curvatureRows } from '../../src/optim/gauss-newton.js';
import { HESSIAN_FREE_DEFAULTS } from '../../src/optim/hessian-free.js';
import { autoencoderCurveNote, autoencoderCurveHeader, autoencoderCurveRows, autoencoderRunRows } from '../../src/cli/commands/study-autoencoder.js';
import { READING_WIDTH, wrap } from '../../src/cli/prose.js';
import { formatTable } from '../../src/cli/table.js';
import { lossText } from '../../src/loss-text.js';
import { runCli, runCliInProcess } from '../util/cli.js';
import { bareCounts } from '../util/bare-counts.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';
import { runAutoencoderStudy } from '../../src/studies/autoencoder.js';

describe('gradscope study autoencoder', () => {
  it("prints each curve's steps and errors: the steps grouped, each error as every loss prints (lossText), not to 2 decimals (0.00 for a small error, 1234.50 for a large one)", () => {
    const point = (seconds: number, steps: number, trainError: number, testError: number) => ({ seconds, steps, trainError, testError });
    const run = (curve: ReturnType<typeof point>[]) => ({ optimizer: 'adam', curve, secondsPerStep: 0.1, settings: '' }) as unknown as Parameters<typeof autoencoderCurveRows>[0]['runs'][number];
    const rows = autoencoderCurveRows({ budget: { seconds: 2 }, runs: [run([point(0, 0, 1234.5, 1240.25), point(2, 3509, 0.004567, 52.4649)])] });
    expect(rows).toEqual([
      ['0.0', `0 · ${lossText(1234.5)} / ${lossText(1240.25)}`],
      ['2.0', `3,509 · ${lossText(0.004567)} / ${lossText(52.4649)}`],
    ]);
    expect(rows.map((r) => r[1])).toEqual(['0 · 1.235e+3 / 1.240e+3', '3,509 · 0.004567 / 52.46']);
    expect(bareCounts(rows.map((row) => row.join('  ')).join('\n'))).toEqual([]);
  });

  it('keeps the curves\' table, steps beside every error, one table within an 80- and a 120-column terminal', () => {
    // The widest cells a default run prints: 30,000-odd steps of a first-order optimiser, errors of 4 significant digits.
    const curve = (steps: number) => [0, 1, 2].map((i) => ({ seconds: 120 * i, steps: steps * i, trainError: 255.67 - 100 * i, testError: 255.9 - 100 * i }));
    const runs = [
      { optimizer: 'hessian-free', settings: '', batchSize: 1000, secondsPerStep: 1.15, curve: curve(105) },
      { optimizer: 'adam', settings: '', batchSize: 100, secondsPerStep: 0.007, curve: curve(16817) },
      { optimizer: 'sgd-momentum', settings: '', batchSize: 100, secondsPerStep: 0.006, curve: curve(18816) },
    ];
    for (const width of [80, 120]) {
      const table = formatTable(autoencoderCurveHeader(runs, { seconds: 240 }), autoencoderCurveRows({ budget: { seconds: 240 }, runs }), width);
      const lines = table.split('\n');
      expect(Math.max(...lines.map((line) => line.length)), table).toBeLessThanOrEqual(width);
      // One table: a single rule under the headers, every column in it (formatTable splits a table too wide into several).
      expect(lines.filter((line) => line.startsWith('─')), table).toHaveLength(1);
      expect(lines[lines.length - 1]).toMatch(/^240\.0 +210 · 55\.67 \/ 55\.90 +33,634 · 55\.67 \/ 55\.90 +37,632 · 55\.67 \/ 55\.90$/);
    }
  });

  it('prints reconstruction-error curves as JSON', () => {
    const { code, stdout, stderr } = runCli(['study', 'autoencoder', '--seconds', '0.5', '--train', '200', '--test', '50', '--points', '2', '--optimizers', 'hessian-free,adam', '--json']);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.runs.map((r: { optimizer: string }) => r.optimizer)).toEqual(['hessian-free', 'adam']);
    // The budget that ran, as docs/cli.md quotes it (its numbers the run's own).
    expect(result.budget).toEqual({ seconds: 0.5 });
    expect(JSON.stringify({ budget: result.budget }, null, 1)).toMatch(quotePattern(codeQuoteOn('docs/cli.md', '"budget": { "seconds"'), { anyNumbers: true }));
    for (const run of result.runs) {
      expect(run.curve).toHaveLength(3);
      expect(run.curve[0].trainError).toBe(result.runs[0].curve[0].trainError);
      expect(run.curve[2].seconds).toBeGreaterThanOrEqual(0.5);
      expect(run.curve[2].steps).toBeGreaterThan(0);
      for (const point of run.curve) expect(Number.isFinite(point.testError)).toBe(true);
      // any training at all leaves the untrained (all-½) reconstruction behind
      expect(run.curve[2].trainError).toBeLessThan(run.curve[0].trainError);
    }
  });

  it('prints the batch each optimiser trained with: all the --train digits when they are fewer than its own batch (it printed 1000 and 100)', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['study', 'autoencoder', '--seconds', '0.05', '--train', '40', '--test', '10', '--points', '1']);
    expect(code, stderr).toBe(0);
    const rows = stdout.split('\n');
    // A run's row in the runs' table, and its settings on a line of their own under the table ('name: settings').
    const row = (name: string) => rows.filter((line) => line.trimStart().startsWith(`${name} `)).join(' ');
    const settings = (name: string) => rows.filter((line) => line.startsWith(`${name}: `));
    expect(settings('hessian-free')).toEqual([expect.stringMatching(new RegExp(`^hessian-free: Hessian-free, gradient batch 40, curvature batch ${curvatureRows(40, HESSIAN_FREE_DEFAULTS.curvatureFraction)}, `))]);
    expect(settings('adam')).toEqual(['adam: Adam, batch 40, lr 0.001, β (0.9, 0.999)']);
    expect(settings('sgd-momentum')).toEqual(['sgd-momentum: SGD, batch 40, lr 0.01, momentum 0.9']);
    // They follow the table's last row: no settings column (right-aligned to the widest, a part of the table of its own at READING_WIDTH).
    const runsHeader = rows.findIndex((line) => line.startsWith('optimizer '));
    expect(rows[runsHeader].trim().split(/ {2,}/)).toEqual(['optimizer', 'steps', 'CPU s/step']);
    expect(rows.slice(runsHeader + 5, runsHeader + 8).map((line) => line.split(':')[0])).toEqual(['hessian-free', 'adam', 'sgd-momentum']);
    expect(stdout).not.toMatch(/batch (1000|100)\b/);
    // Written to a file its prose wraps at READING_WIDTH: the lead lines, and the closing note (one 216-character line before).
    const lead = rows.slice(0, rows.indexOf(''));
    expect(lead.length).toBeGreaterThan(2);
    for (const line of lead) expect(line.length, line).toBeLessThanOrEqual(READING_WIDTH);
    const note = autoencoderCurveNote({ seconds: 0.05 });
    expect(stdout.endsWith(`\n\n${wrap(note, READING_WIDTH, '')}\n`), stdout).toBe(true);
    expect(wrap(note, READING_WIDTH, '').split('\n').length).toBeGreaterThan(1);
    // The curves' table gives each optimiser's steps beside its errors, and the last row's steps are the runs' table's.
    // (Its headings wrap to fit READING_WIDTH: 'CPU' over 'seconds', each optimiser's 'steps · train / test' under its name.)
    const top = rows.findIndex((line) => line.startsWith('CPU '));
    const heading = rows.slice(top, rows.findIndex((line, i) => i > top && line.startsWith('─')));
    expect(heading.map((line) => line.split(/ {2,}/)[0])).toEqual(['CPU', 'seconds']);
    for (const name of ['hessian-free', 'adam', 'sgd-momentum']) expect(heading[0]).toContain(`${name} steps`);
    // Each column's heading read down its own width (the rule under the headings marks the columns): where the steps are
    // wider the words wrap at another place ('adam steps · train' over '/ test'), so the lines joined across would not read.
    const rule = rows[top + heading.length];
    const columns = [...rule.matchAll(/─+/g)].map((m) => [m.index, m.index + m[0].length] as const);
    const headings = columns.map(([from, to]) => heading.map((line) => line.slice(from, to).trim()).filter(Boolean).join(' '));
    expect(headings).toEqual(['CPU seconds', ...['hessian-free', 'adam', 'sgd-momentum'].map((name) => `${name} steps · train / test`)]);
    const last = rows.filter((line) => / · /.test(line)).at(-1) ?? '';
    expect(last.trim().split(/ {2,}/).slice(1).map((cell) => cell.split(' · ')[0])).toEqual(['hessian-free', 'adam', 'sgd-momentum'].map((name) => row(name).trim().split(/ {2,}/)[1]));
    const json = await runCliInProcess(['study', 'autoencoder', '--seconds', '0.05', '--train', '150', '--test', '10', '--points', '1', '--optimizers', 'hessian-free,adam', '--json']);
    const runs = JSON.parse(json.stdout).runs as { optimizer: string; batchSize: number; settings: string }[];
    expect(runs.map((r) => [r.optimizer, r.batchSize])).toEqual([['hessian-free', 150], ['adam', 100]]);
    expect(runs[0].settings).toMatch(/gradient batch 150,/);
  }, 120_000);

  it('replays by --steps: two runs of the same seed and steps give the same errors at the same steps, and the JSON and the tables say the budget was steps', async () => {
    const args = ['study', 'autoencoder', '--steps', '4', '--train', '150', '--test', '10', '--points', '2', '--optimizers', 'hessian-free,adam', '--seed', '3'];
    const [first, second] = [await runCliInProcess([...args, '--json']), await runCliInProcess([...args, '--json'])];
    expect([first.code, second.code], first.stderr + second.stderr).toEqual([0, 0]);
    type Run = { optimizer: string; curve: { seconds: number; steps: number; trainError: number; testError: number }[]; secondsPerStep: number };
    const [a, b] = [first, second].map((run) => JSON.parse(run.stdout) as { budget: unknown; runs: Run[] });
    expect([a.budget, b.budget]).toEqual([{ steps: 4 }, { steps: 4 }]);
    // As docs/cli.md quotes the key (its numbers the run's own).
    expect(JSON.stringify({ budget: a.budget }, null, 1)).toMatch(quotePattern(codeQuoteOn('docs/cli.md', '"budget": { "steps"'), { anyNumbers: true }));
    // The points after 0, 2 and 4 steps of each optimiser, whatever the seconds they took.
    for (const run of a.runs) expect(run.curve.map((p) => p.steps)).toEqual([0, 2, 4]);
    const numbers = (runs: Run[]) => runs.map((run) => run.curve.map((p) => [p.steps, p.trainError, p.testError]));
    expect(numbers(b.runs)).toEqual(numbers(a.runs));
    // Numbers that moved: the errors after 4 steps are not the start's.
    for (const run of a.runs) expect(run.curve[2].trainError).not.toBe(run.curve[0].trainError);
    // Another seed starts elsewhere: the same numbers above are the seed's, not the study's whatever the seed.
    const other = await runCliInProcess([...args.slice(0, -1), '4', '--json']);
    expect(numbers((JSON.parse(other.stdout) as { runs: Run[] }).runs)).not.toEqual(numbers(a.runs));
    // The tables: the curves' rows are the steps, each optimiser's cell its CPU seconds beside its errors, and the note says so.
    const printed = await runCliInProcess(args);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout.replace(/\s+/g, ' ')).toContain('no pretraining: 4 steps of training per optimiser (the same steps under any load: a run of the same seed replays). CPU seconds taken · squared');
    const lines = printed.stdout.split('\n');
    const rows = lines.filter((line) => /^\d.* · /.test(line)).map((line) => line.trim().split(/ {2,}/));
    expect(rows.map((row) => row[0])).toEqual(['0', '2', '4']);
    expect(rows[2].slice(1).map((cell) => cell.split(' · ')[1])).toEqual(a.runs.map((run) => `${lossText(run.curve[2].trainError)} / ${lossText(run.curve[2].testError)}`));
    expect(printed.stdout.endsWith(`\n\n${wrap(autoencoderCurveNote({ steps: 4 }), READING_WIDTH, '')}\n`), printed.stdout).toBe(true);
  }, 120_000);

  it('refuses --seconds and --steps together (neither would say which budget ran), exit 2 before any work', () => {
    const both = runCli(['study', 'autoencoder', '--seconds', '1', '--steps', '5']);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('gradscope: --seconds and --steps are both given: a study trains each optimiser for CPU seconds or for steps, not both; give one (--steps replays)\n');
  });

  // --steps 2 --points 10 printed 11 curve rows at 3 distinct steps, each repeating the one before (review51 #9).
  it('refuses more --points than --steps, exit 2 before any work, as the library does', async () => {
    const few = runCli(['study', 'autoencoder', '--steps', '2', '--points', '10']);
    expect([few.code, few.stderr]).toEqual([2, 'gradscope: --points, --steps: 10 points need at least as many steps, each point after a step of its own; got 2 steps\n']);
    await expect(runAutoencoderStudy({ steps: 2, points: 3 })).rejects.toThrow(/^autoencoder points, autoencoder steps: 3 points need at least as many steps/);
    // As many as its steps: one row a step.
    expect(runCli(['study', 'autoencoder', '--steps', '2', '--points', '2', '--train', '40', '--test', '10', '--optimizers', 'adam']).code).toBe(0);
    // Without --points, a short --steps gets as many points as it has steps, not a refusal over the default 10 the user never
    // gave (review51's leftover): the start and one row a step.
    const short = runCli(['study', 'autoencoder', '--steps', '3', '--train', '40', '--test', '10', '--optimizers', 'adam', '--json']);
    expect(short.code).toBe(0);
    const json = JSON.parse(short.stdout) as { runs: { curve: { steps: number }[] }[] };
    expect(json.runs[0].curve.map((point) => point.steps)).toEqual([0, 1, 2, 3]);
    expect((await runAutoencoderStudy({ steps: 3, trainRows: 40, testRows: 10, optimizers: ['adam'] })).runs[0].curve.map((point) => point.steps)).toEqual([0, 1, 2, 3]);
  }, 120_000);

  it('refuses a bad --loss and an unknown optimiser with one line, exit 2 (command-line errors)', () => {
    const bad = runCli(['study', 'autoencoder', '--loss', 'hinge']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--loss must be one of bce, mse/);
    const unknown = runCli(['study', 'autoencoder', '--optimizers', 'newton', '--seconds', '0.1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^gradscope: --optimizers: unknown 'newton' \(one of hessian-free, adam, sgd-momentum\)$/m);
  });

  it("groups the runs' step counts as every count the training did ('1,082', not '1082'; 400499f's rule)", () => {
    // Built from a run's shape: a run of the thousands of steps it takes takes minutes under load.
    const run = (optimizer: string, steps: number) => ({ optimizer, settings: 'its settings', batchSize: 100, secondsPerStep: 0.002, curve: [{ seconds: 0, steps: 0, trainError: 1, testError: 1 }, { seconds: 30, steps, trainError: 0.5, testError: 0.6 }] });
    const rows = autoencoderRunRows([run('sgd-momentum', 15082), run('hessian-free', 312)]);
    expect(rows.map((row) => row[1])).toEqual(['15,082', '312']);
    expect(bareCounts(rows.map((row) => row.join('  ')).join('\n'))).toEqual([]);
  });
});

