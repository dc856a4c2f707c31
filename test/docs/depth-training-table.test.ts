// docs/gradient-flow.md's study (a) training table (Nielsen's 500 epochs, seed 1) is what `gradscope study depth` prints:
// every cell but the seconds, the verdicts with the figures they were read from (session 27 left the table's verdicts
// without them, as 'vanishing (severe)', where the command printed 'vanishing (severe: 0.0307, median over 500 records)').
// The study trains once here, as the command does (4 networks × 500 full-batch epochs of 1,000 digits: ~8 s of CPU time).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { depthTrainingTable } from '../../src/cli/commands/study-depth.js';
import { runDepthStudy } from '../../src/studies/depth.js';

const DOC = readFileSync(new URL('../../docs/gradient-flow.md', import.meta.url), 'utf8');

/** The pipe table whose header row starts with `start`: its header's cells and its rows' (the |---| rule left out). */
function tableStarting(start: string): { header: string[]; rows: string[][] } {
  const lines = DOC.split('\n');
  const at = lines.findIndex((line) => line.startsWith(start));
  if (at < 0) throw new Error(`docs/gradient-flow.md: no table headed '${start}'`);
  const cells = (line: string) => line.slice(1, -1).split('|').map((cell) => cell.trim());
  const rows: string[][] = [];
  for (let i = at + 2; i < lines.length && lines[i].startsWith('|'); i++) rows.push(cells(lines[i]));
  return { header: cells(lines[at]), rows };
}

describe("docs/gradient-flow.md's study (a) training table", () => {
  it('shows what the study prints, the verdicts with their figures', async () => {
    const printed = depthTrainingTable(await runDepthStudy({ seeds: 1 }));
    const doc = tableStarting("| network | first ÷ last, epoch 0 | epoch 499 | Nielsen's, 0 → 499 |");
    // The verdict column is headed as the command heads it.
    expect(doc.header.at(-1)).toBe(printed.header[6]);
    // The command's ratio cells say their epoch ('0.19 (epoch 0)'), which the table's headings say once.
    const asDocumented = (row: string[]) => [row[0], ...row.slice(1, 3).map((cell) => cell.replace(/ \(epoch \d+\)$/, '')), ...row.slice(3, 7)];
    expect(doc.rows).toEqual(printed.rows.map(asDocumented));
  }, 300_000);
});
