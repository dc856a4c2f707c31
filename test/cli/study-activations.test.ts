// `gradscope study activations` end to end on a tiny run: the table's "% per layer" column is
// explained by what the statistics kernel counts (flow/metrics.ts primeThreshold), for saturating
// and relu rows alike; npm start prints the same note (test/cli/main-job-report.test.ts).
import { describe, expect, it } from 'vitest';
import { PRIME_MAX, primeThreshold } from '../../src/flow/metrics.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_GRADIENT } from '../../src/studies/activations-report.js';
import { runActivationStudy } from '../../src/studies/activations.js';
import { activationSetupLine, activationTable, GRADIENT_COLUMNS_LEGEND, profileTable, unitFailureNote } from '../../src/cli/commands/study-activations.js';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';
import { unpackParts } from '../util/report-data.js';


describe('gradscope study activations', () => {
  // One line for npm start's study (b) and this command (the command left out the test rows), its counts grouped ('test error on 1000').
  it('says its set-up in one line, the test rows among it', () => {
    const setup = { sizes: [784, 256, 10], epochs: 1, batchSize: 10, learningRate: 0.05, trainRows: 9000, testRows: 1000 };
    expect(activationSetupLine(setup, 1)).toBe('[784,256,10], softmax + cross-entropy; 1 epoch, batch 10, η 0.05, 9,000 digits, test error on 1,000, seed 1.\n');
  });

  it("explains saturated % by the kernel's rule (within 0.01 of a limit, 4 % of sigmoid's σ' maximum) and dead % for relu", async () => {
    const { code, stdout, stderr } = await runCliInProcess(['study', 'activations', '--width', '4', '--epochs', '1', '--train', '40', '--test', '10']);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^relu .* dead \d+\/\d+\/\d+\/\d+\/\d+ → /m);
    // The threshold the kernel counts below, as the note states it (it said "< 1 % of its maximum").
    expect(primeThreshold('sigmoid')).toBeCloseTo(0.0099, 12);
    expect(primeThreshold('sigmoid') / PRIME_MAX.sigmoid).toBeCloseTo(0.0396, 12);
    // (The notes are prose, wrapped at READING_WIDTH in a file too: each is read across its lines.)
    const said = flat(stdout);
    expect(said).toContain("within 0.01 of a limit (sigmoid 0 or 1, tanh and softsign ±1), where σ' is below sigmoid 0.0099, 4 % of its maximum; tanh 0.02, 2 % of its maximum; softsign 0.0001, 0.01 % of its maximum.");
    expect(stdout).toMatch(/^dead % \(relu\): the share of units whose z ≤ 0 on every row/m);
    expect(said).toContain('dead % (relu): the share of units whose z ≤ 0 on every row of the batch');
    expect(said).not.toContain("σ'(z) < 1 %");
    // The legends under the table, as npm start's study (b) prints them (activationStudyText; test/cli/main-job-report.test.ts).
    expect(stdout).toContain(`\n\n${unitFailureNote().split(' ')[0]} `);
    expect(said).toContain(` ${flat(`${unitFailureNote()}\n${GRADIENT_COLUMNS_LEGEND}`)} `);
  }, 120_000);

  it('shows a first ÷ last of two zero gradients (dead relu nets) as no gradient, not NaN, and a single step once', async () => {
    const html = join(mkdtempSync(join(tmpdir(), 'gradscope-activations-')), 'a.html');
    const { code, stdout, stderr } = await runCliInProcess(['study', 'activations', '--width', '1', '--epochs', '1', '--train', '10', '--test', '5', '--html', html]);
    expect(code, stderr).toBe(0);
    expect(stdout).not.toContain('NaN');
    // (The table fits READING_WIDTH in parts, each row named: the failure cells ('dead 100') in the first, the verdicts ('dead (100 % …') in another.)
    const deadRows = stdout.split('\n').filter((line) => /^relu .* dead \d.*100/.test(line) && !line.includes('step'));
    expect(deadRows.length).toBeGreaterThan(0);
    for (const row of deadRows) expect(row.split(NO_GRADIENT)).toHaveLength(3);
    // 10 digits in batches of 10: one step, so the start and the end are one record.
    // (The table's first part, the one with the '% per layer' cells: its verdicts are a part of their own.)
    const tableRows = stdout.split('\n').filter((line) => /^(sigmoid|tanh|softsign|relu) .* (dead|saturated) \d/.test(line) && !/ step \d+ /.test(line));
    expect(tableRows).toHaveLength(12);
    for (const row of tableRows) expect(row).not.toContain(' → ');
    // The profile table: a row per run, at step 1 alone, in each of its parts (fitted to READING_WIDTH, each repeats the rows' names).
    const profileRows = stdout.split('\n').filter((line) => / step \d+ /.test(line));
    const named = profileRows.map((line) => line.trim().split(/\s+/).slice(0, 4).join(' '));
    expect(new Set(named).size).toBe(12);
    for (const name of named) expect(name).toMatch(/ step 1$/);
    expect(profileRows.length % 12).toBe(0);
    const report = readFileSync(html, 'utf8');
    // The packed data block is base 85, where the letters 'NaN' can occur by chance: it is read unpacked, the page around it as it stands.
    const block = /(<script type="application\/octet-stream" id="report-data"[^>]*>)([^<]*)<\/script>/.exec(report)!;
    expect(report.replace(block[2], '')).not.toContain('NaN');
    expect(unpackParts(block[2]).json).not.toContain('NaN');
    expect(report).toContain(NO_GRADIENT);
  }, 120_000);

  it('--seed: the networks and the batch order, as runActivationStudy({ seed }) makes them', async () => {
    const args = ['study', 'activations', '--width', '4', '--epochs', '1', '--train', '40', '--test', '10', '--json'];
    const [one, two, twoAgain] = [await runCliInProcess(args), await runCliInProcess([...args, '--seed', '2']), await runCliInProcess([...args, '--seed', '2'])];
    for (const run of [one, two]) expect(run.code, run.stderr).toBe(0);
    // The same seed, the same JSON but for the runs' wall-clock seconds (which the table prints too: newuser50 #2).
    const results = (run: { stdout: string }) => JSON.stringify((JSON.parse(run.stdout) as { runs: { seconds?: number }[] }).runs.map(({ seconds: _, ...rest }) => rest));
    expect(results(two) === results(twoAgain), 'seed 2 twice: the same runs').toBe(true);
    expect(results(two) === results(one), 'seeds 1 and 2: the same runs').toBe(false);
    const direct = await runActivationStudy({ width: 4, epochs: 1, trainRows: 40, testRows: 10, seed: 2 });
    type Run = { testError: number; seconds: number; profile: { std: number[][] }; histograms: unknown };
    const runs = (JSON.parse(two.stdout) as { runs: Run[] }).runs;
    expect(runs.map((r) => r.testError)).toEqual(direct.runs.map((r) => (r.diverged ? null : r.testError)));
    // What Glorot & Bengio plot, which only the report's trace download held (newuser50 #2): the activations' standard deviation
    // per hidden layer on every record, and the δ histograms at the first and the last traced step, as that download has them.
    runs.forEach((r, i) => {
      const trace = direct.runs[i].trace!;
      expect(r.profile.std).toEqual(Array.from({ length: trace.length }, (_, rec) => Array.from(trace.row('activationStd', rec)).slice(0, -1)));
      // (Through JSON, as printed: a range of -0 reads 0.)
      expect(r.histograms).toEqual(JSON.parse(JSON.stringify(trace.toJSON().histograms)));
      expect(r.seconds).toBeGreaterThan(0);
    });
    expect(runs[0].profile.std.flat().some((x) => x > 0)).toBe(true);
    const printed = await runCliInProcess(['study', 'activations', '--width', '4', '--epochs', '1', '--train', '40', '--test', '10', '--seed', '2']);
    expect(flat(printed.stdout)).toMatch(/, 40 digits, test error on 10, seed 2\. /);
  }, 120_000);
});

describe('study activations: the end of a run is its last full batch', () => {
  // 41 digits in batches of 10: each epoch ends on a batch of 1 row, whose statistics are of that row alone.
  it("reads the table's '→ end' and the profile's last row at the last full batch's record, not the 1-row batch after it", async () => {
    const result = await runActivationStudy({ width: 4, epochs: 1, trainRows: 41, testRows: 10, batchSize: 10, activations: ['relu', 'sigmoid'], inits: ['glorot-normal'] });
    for (const run of result.runs) {
      const trace = run.trace!;
      expect(Array.from(trace.batchRows)).toEqual([10, 10, 10, 10, 1]);
      const profile = profileTable({ ...result, runs: [run] });
      expect(profile).toContain('step 4 ');
      expect(profile).not.toContain('step 5 ');
      const metric = run.activation === 'relu' ? 'deadFraction' : 'saturatedFraction';
      const end = Array.from({ length: trace.layers - 1 }, (_, l) => Math.round(100 * trace.at(metric, 3, l))).join('/');
      expect(activationTable({ ...result, runs: [run] })).toContain(` → ${end} `);
    }
  }, 120_000);
});
