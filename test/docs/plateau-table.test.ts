// docs/curvature.md's plateau table is what `gradscope study plateau` prints (plateauTableColumns, the
// terminal's and the HTML report's one source), cell for cell: the study runs here with the command's
// defaults (Nielsen's 500 epochs on 1,000 digits, 5 points, seed 1; ~16 s of CPU time). The table was
// written by hand, rounded for reading, and nothing checked it against a run.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPlateauStudy } from '../../src/studies/plateau.js';
import { plateauTableColumns } from '../../src/studies/plateau-table.js';
import { tableStarting } from '../util/markdown-tables.js';

const DOC = { file: 'docs/curvature.md', text: readFileSync(new URL('../../docs/curvature.md', import.meta.url), 'utf8') };

describe("docs/curvature.md's plateau table", () => {
  it('is what the study prints for its default run, every cell and the header', { timeout: 900_000 }, async () => {
    const printed = plateauTableColumns(await runPlateauStudy());
    const doc = tableStarting(DOC, '| epoch | loss | ‖∇f‖ | ‖∇C‖ |');
    expect(doc.header).toEqual(printed.header);
    expect(doc.rows).toEqual(printed.rows);
  });
});
