// docs/studies.md's remedy table ("What each remedy offered for the deepest network does …") is what
// scripts/study-a-remedies.ts prints, less its seconds: its rows are the remedies diagnose() offers for study (a)'s deepest
// network, in the diagnosis' order and the script's words (the relu line's learning rate among them, RELU_REMEDY_RATES'
// full-batch bound), and its two cheapest runs, the study's own and the relu switch's (500 full-batch epochs each, ~3 s of
// CPU time), are re-run here against their cells. The other rows are the script's recorded output at the commit the page
// names; a change to what diagnose() offers, to the rate it offers or to how such a run trains moves the table, and fails here.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { RELU_REMEDY_RATES } from '../../src/flow/relu-remedy-rates.js';
import { SWITCH_RATES } from '../../src/flow/diagnosis/remedy-settings.js';
import { applied } from '../../scripts/remedy-setups.js';
import { remedyVariants, rowCells, studyARun, type RemedyVariant, type RowCells, type StudyARun } from '../../scripts/study-a-remedy-rows.js';
import { tableStarting } from '../util/markdown-tables.js';
import { quotedOn } from '../util/page-numbers.js';

const PAGE = 'docs/studies.md';
const DOC = { file: PAGE, text: readFileSync(new URL(`../../${PAGE}`, import.meta.url), 'utf8') };
const TABLE = tableStarting(DOC, '| change | training loss | test accuracy | verdict |');
const NONE = "none (the study's run)";

let run: StudyARun;
let study: RowCells;
let variants: RemedyVariant[];
beforeAll(async () => {
  run = await studyARun();
  study = await rowCells(run.study, run.test);
  variants = remedyVariants(study.diagnosis);
}, 300_000);

const cells = (c: RowCells) => [c.loss, c.accuracy, c.verdict];
const rowOf = (label: string) => TABLE.rows.find((r) => r[0] === label);

describe("docs/studies.md's table of the remedies offered for study (a)'s deepest network", () => {
  it('has the columns the script prints, less its seconds', () => {
    expect(TABLE.header).toEqual(['change', 'training loss', 'test accuracy', 'verdict']);
  });

  it("lists the study's run, then each remedy its diagnosis offers and its alternative, in the diagnosis' order and the script's words", () => {
    expect(TABLE.rows.map((r) => r[0])).toEqual([NONE, ...variants.map((v) => v.label)]);
    // The relu switch comes first and carries the full-batch row's bound (the study trains in one batch).
    expect(variants[0].label).toBe(`relu, he-normal, learning rate ${RELU_REMEDY_RATES['full-batch'].rates.sgd}`);
  });

  it("shows the study's run as it trains again here", () => {
    expect(rowOf(NONE)!.slice(1)).toEqual(cells(study));
  });

  it('shows the relu switch as it trains again here', async () => {
    const relu = await rowCells(applied(run.study, variants[0].settings), run.test);
    expect(rowOf(variants[0].label)!.slice(1)).toEqual(cells(relu));
  }, 300_000);

  it("says which rates are measured bounds and which the optimisers' own: the relu line's the full-batch row's, Adam's, LARS's and K-FAC's SWITCH_RATES", () => {
    expect(Number(quotedOn(PAGE, /The relu line's ([\d.]+) is the full-batch row's bound/)[0])).toBe(RELU_REMEDY_RATES['full-batch'].rates.sgd);
    const [adam, lars, kfac] = quotedOn(PAGE, /Adam's ([\d.]+)\s+and LARS's ([\d.]+) are those optimisers' defaults, K-FAC's ([\d.]+) the rate its rescaled steps take/).map(Number);
    expect({ adam, lars, kfac }).toEqual(SWITCH_RATES);
  });

  it("says the rates the relu line carried before: the batch-32 row's", () => {
    expect(Number(quotedOn(PAGE, /at the batch-32 row's ([\d.]+), which it carried before/)[0])).toBe(RELU_REMEDY_RATES.command.rates.sgd);
  });
});
