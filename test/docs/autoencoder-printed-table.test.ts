// docs/second-order.md shows what `gradscope study autoencoder` printed on one run: its tables must be what the command's
// renderers print from those numbers (the steps beside every error, the headers, the runs' steps and settings), so a
// change to the table's form fails here until the doc is regenerated.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUTOENCODER_RUN_HEADER, autoencoderCurveNote, autoencoderCurveHeader, autoencoderCurveRows, autoencoderRunRows, autoencoderSettingsLines } from '../../src/cli/commands/study-autoencoder.js';
import { READING_WIDTH, wrap } from '../../src/cli/prose.js';
import { formatTable } from '../../src/cli/table.js';
import { AUTOENCODER_OPTIMIZERS, type AutoencoderRun } from '../../src/studies/autoencoder.js';

const doc = readFileSync(new URL('../../docs/second-order.md', import.meta.url), 'utf8');
const INTRO = 'What `gradscope study autoencoder --seconds 30 --points 3` printed on ';
const block = doc.slice(doc.indexOf(INTRO)).split('```text\n')[1].split('\n```')[0].split('\n');
/** The doc's table whose header line starts with `first`: its lines up to the blank line after it. */
const tableLines = (first: string) => {
  const start = block.findIndex((line) => line.startsWith(first));
  const end = block.indexOf('', start);
  return block.slice(start, end === -1 ? undefined : end);
};
const cells = (line: string) => line.trim().split(/ {2,}/);
const count = (text: string) => Number(text.replace(/,/g, ''));

describe("docs/second-order.md's printed autoencoder study", () => {
  it('is a run of the three default optimisers', () => {
    expect(doc).toContain(INTRO);
    expect(cells(tableLines('optimizer')[0])).toEqual(AUTOENCODER_RUN_HEADER);
  });

  it('has its prose as the command prints it: every line within READING_WIDTH, the closing note wrapped from the one the command prints', () => {
    const prose = [...block.slice(0, block.indexOf('')), ...block.slice(block.lastIndexOf('') + 1)];
    for (const line of prose) expect(line.length, line).toBeLessThanOrEqual(READING_WIDTH);
    expect(block.slice(block.lastIndexOf('') + 1).join('\n')).toBe(wrap(autoencoderCurveNote({ seconds: 30 }), READING_WIDTH, ''));
  });

  it("has Hessian-free's points at the errors scripts/autoencoder-steps.ts printed at their steps (the page's step-by-step table)", () => {
    const stepTable = doc.slice(doc.indexOf('| step | this code, train / held-out |')).split('\n\n')[0].split('\n').slice(2);
    const byStep = new Map(stepTable.map((line) => line.split('|').map((cell) => cell.replace(/\*/g, '').trim())).map((cell) => [Number(cell[1]), cell[2]]));
    const points = tableLines('CPU seconds').slice(3).map((line) => cells(line)[1].split(' · '));
    expect(points.length).toBeGreaterThan(0);
    for (const [steps, errors] of points) expect(byStep.get(count(steps)), `step ${steps}`).toBe(errors);
  });

  it("has the curves' table the command prints from its numbers: each optimiser's steps · train / test at every point", () => {
    const curveLines = tableLines('CPU seconds');
    // The runs' rows: the table's, before the settings lines under it ('name: settings').
    const runLines = tableLines('optimizer').slice(2).filter((line) => !/^\S+: /.test(line));
    const names = runLines.map((line) => cells(line)[0]);
    const rows = curveLines.slice(2).map(cells);
    const runs = names.map((optimizer, k): AutoencoderRun => {
      const [, stepsText, perStep] = cells(runLines[k]);
      const curve = rows.map((row) => {
        const [steps, errors] = row[k + 1].split(' · ');
        const [trainError, testError] = errors.split(' / ').map(Number);
        return { seconds: Number(row[0]), steps: count(steps), trainError, testError };
      });
      const batchSize = AUTOENCODER_OPTIMIZERS[optimizer].batchSize;
      expect(count(stepsText)).toBe(curve[curve.length - 1].steps);
      return { optimizer, settings: AUTOENCODER_OPTIMIZERS[optimizer].settings(batchSize), batchSize, curve, secondsPerStep: Number(perStep) };
    });
    expect(names).toEqual(Object.keys(AUTOENCODER_OPTIMIZERS));
    const seconds = Number(rows[rows.length - 1][0]);
    expect(formatTable(autoencoderCurveHeader(runs, { seconds }), autoencoderCurveRows({ budget: { seconds }, runs })).split('\n')).toEqual(curveLines);
    expect([...formatTable(AUTOENCODER_RUN_HEADER, autoencoderRunRows(runs)).split('\n'), ...autoencoderSettingsLines(runs)]).toEqual(tableLines('optimizer'));
  });
});
