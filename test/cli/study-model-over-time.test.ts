/**
 * study --model's over-time table: ‖∂C/∂b‖ per layer at a few steps, the first to the last full batch's
 * (an epoch's short last batch left out: its gradient is of its few rows alone), so the terminal tells a
 * gradient that fades over depth (down a column) from one that fades over training time (along a row);
 * before, only --csv and --html held the steps between the first and the last tables. The terminal and
 * the --html report show it from one source (RunAccount.tables).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OVER_TIME_CAPTION, OVER_TIME_STEPS, overTimeTableData } from '../../src/cli/trace-table.js';
import { Trace, type TraceJSON } from '../../src/flow/trace.js';
import type { Diagnosis } from '../../src/flow/diagnose.js';
import { sci } from '../../src/sci-text.js';
import { escapeHtml } from '../../src/flow/svg.js';
import { runCliInProcess } from '../util/cli.js';
import { flat, printedTable } from '../util/printed-text.js';
import { writeStudyModelFiles } from '../util/study-model-files.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';

describe('study --model: ‖∂C/∂b‖ per layer over training', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'gradscope-over-time-'));
  const { net, modelPath, dataPath } = await writeStudyModelFiles(folder, 52);
  net.dispose();
  // 30 rows in batches of 29: each epoch a full batch and a 1-row one; 6 epochs, 12 steps, every one traced.
  const args = ['study', '--model', modelPath, '--data', dataPath, '--epochs', '6', '--batch-size', '29'];

  it("prints it in the terminal at up to 5 full batches' steps, the first and the last full batch's included, never the 1-row batches', and the report shows the same table", async () => {
    const html = join(folder, 'report.html');
    const [printed, json] = [await runCliInProcess([...args, '--html', html]), await runCliInProcess([...args, '--json'])];
    expect(printed.code, printed.stderr).toBe(0);
    expect(json.code, json.stderr).toBe(0);
    const trace = Trace.fromJSON((JSON.parse(json.stdout) as { trace: TraceJSON }).trace);
    expect(Array.from(trace.batchRows)).toEqual(Array.from({ length: 12 }, (_, r) => (r % 2 ? 1 : 29)));
    // The 6 full batches' records (steps 1, 3, …, 11), OVER_TIME_STEPS of them evenly spaced among those records (not in steps: 3 to 7 skips 5): the last is step 11, not the 1-row step 12.
    expect(OVER_TIME_STEPS).toBe(5);
    const steps = [1, 3, 7, 9, 11];
    // (Its caption is prose, wrapped at READING_WIDTH in a file too: the table is read under it, whole.)
    const table = printedTable(printed.stdout, OVER_TIME_CAPTION);
    expect(table.header).toEqual(['layer', ...steps.map((s) => `step ${s}`)]);
    expect(table.rows).toHaveLength(trace.layers);
    for (let l = 0; l < trace.layers; l++) {
      const cells = steps.map((s) => sci(trace.at('biasGradNorm', Array.from(trace.steps).indexOf(s), l)));
      expect(table.rows[l]).toEqual([`${trace.layerLabel(l)} (${trace.activations[l]})`, ...cells]);
    }
    expect(printed.stdout).not.toContain('step 12');
    // Between the last table and the diagnosis, and in the report too.
    const said = flat(printed.stdout);
    expect(said.indexOf("At the last full batch's traced step")).toBeLessThan(said.indexOf(OVER_TIME_CAPTION));
    expect(said.indexOf(OVER_TIME_CAPTION)).toBeLessThan(said.indexOf('Diagnosis: '));
    // The answer first (newuser42 #8): the diagnosis in short after the run's line, above every table; in full after them.
    // Its 'Try' names the first remedy as the list after the tables does, a command line (review44 #9: the API's option keys
    // above a list of command lines said one remedy two ways); --json's diagnosis keeps the API's.
    const { diagnosis } = JSON.parse(json.stdout) as { diagnosis: Diagnosis };
    expect(diagnosis.remedies.length).toBeGreaterThan(1);
    const apiTry = diagnosis.headline.indexOf(' Try ');
    expect(diagnosis.headline.slice(apiTry), 'the API says its option keys').toMatch(new RegExp(`^ Try ${diagnosis.remedies[0].settings[0].option}: `));
    const headline = said.indexOf(`The diagnosis, in short (in full after the tables): ${diagnosis.headline.slice(0, apiTry)} Try the first of ${diagnosis.remedies.length} remedies:`);
    expect([headline > 0, headline < said.indexOf('Loss and accuracy on')], said.slice(0, 800)).toEqual([true, true]);
    expect(said, 'as docs/gradient-flow.md quotes it').toMatch(quotePattern(codeQuoteOn('docs/gradient-flow.md', 'Try the first of'), { anyNumbers: true }));
    const lines = printed.stdout.split('\n');
    const firstListed = lines[lines.indexOf('  What to try:') + 1];
    expect(firstListed, 'the list names it as a command line').toMatch(/^ {2}• \S*gradscope\S* (train|study) /);
    // (The headline wraps at its words, 'Try the first of N remedies:' across lines too: its command is the line after the one ending it.)
    expect(lines[lines.findIndex((line) => line.endsWith(' remedies:')) + 1]).toBe(firstListed.replace('  • ', '  '));
    const page = readFileSync(html, 'utf8');
    expect(page.indexOf('<p class="headline">'), 'the report says it above its tables').toBeGreaterThan(0);
    expect(page.indexOf('<p class="headline">')).toBeLessThan(page.indexOf('<table>'));
    // The report's likewise: its headline's code is its list's first.
    const code = (from: number) => page.slice(page.indexOf('<code>', from), page.indexOf('</code>', from) + '</code>'.length);
    expect(code(page.indexOf('<p class="headline">'))).toBe(code(page.indexOf('<li>', page.indexOf('<div class="diagnosis'))));
    expect(code(page.indexOf('<p class="headline">'))).toMatch(/^<code>(node|npx|gradscope)[ <]/);
    expect(page).toContain(escapeHtml(OVER_TIME_CAPTION));
    // Over depth down a column, over time along a row: read across, it scrolls in its box on a phone (ReportTable.readAcross).
    expect(page).toMatch(new RegExp(`<div class="table across" id="[^"]+"><table><caption>${escapeHtml(OVER_TIME_CAPTION).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    for (const s of steps) expect(page).toContain(`step ${s}`);
  }, 120_000);

  it('is left out where fewer than 3 records are full batches\' (the first and the last tables show them all)', async () => {
    const two = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '2', '--batch-size', '29']);
    expect(two.code, two.stderr).toBe(0);
    expect(flat(two.stdout)).not.toContain(OVER_TIME_CAPTION);
    const trace = new Trace({ sizes: [2, 2], activations: ['sigmoid'], loss: 'mse', every: 1, run: {} });
    trace.beginRecord(1, 1, 0.5, 4);
    trace.beginRecord(2, 1, 0.5, 4);
    expect(overTimeTableData(trace)).toBeUndefined();
    trace.beginRecord(3, 1, 0.5, 4);
    expect(overTimeTableData(trace)?.header).toEqual(['layer', 'step 1', 'step 2', 'step 3']);
  }, 120_000);
});
