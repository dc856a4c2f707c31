// README's paragraph under its remedies table says which optimisers stayed at chance and which brought the
// last ÷ first ratio within 10× and left the plateau. It named Adam, AdamW, RMSProp, Hessian-free and LARS as
// leaving it, not Adagrad, whose row (0.4×, loss 1.736, 18.7 %) leaves it too, and named momentum, Nesterov and
// L-BFGS as staying at chance, not K-FAC or per-layer rates, whose rows (10.5 %) stay there too (newuser42, a
// teacher reading the table beside the words). Each row is classed here by the rule the study prints under its
// own table (accuracyAtChance, the diagnosis's: test accuracy within AT_CHANCE_MARGIN of what a guess that ignores the input gets
// right on the study's test digits, flow/chance.ts),
// and the paragraph's two lists must name exactly those rows.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracyAtChance, chanceOf, classRowsOfRows, type ChanceLevel } from '../../src/flow/chance.js';
import { loadStudyDigits } from '../../src/studies/study-digits.js';
import { flat } from '../util/printed-text.js';
import { tableStarting } from '../util/markdown-tables.js';

const README = { file: 'README.md', text: readFileSync(new URL('../../README.md', import.meta.url), 'utf8') };
const TABLE = '| optimiser | steps (6 s on 2026-11-29) | last ÷ first hidden layer moved |';
/** The words the paragraph names each row by, from the row's first word. */
const NAMES: Record<string, string> = {
  sgd: 'Plain SGD', 'sgd +': 'momentum', nesterov: 'Nesterov', 'per-layer': 'per-layer rates', lars: 'LARS',
  adagrad: 'Adagrad', rmsprop: 'RMSProp', adam: 'Adam', adamw: 'AdamW', lbfgs: 'L-BFGS', 'hessian-free': 'Hessian-free', kfac: 'K-FAC',
};
const CLASSES = 10;
/** Chance on the study's test digits (its defaults'), as its line under the table reads it. */
let chance: ChanceLevel;
beforeAll(async () => {
  chance = chanceOf(CLASSES, classRowsOfRows((await loadStudyDigits()).test.y));
});

const number = (cell: string) => Number(cell.replace(/[*,×%]/g, '').trim());
const rows = tableStarting(README, TABLE).rows.map(([label, , ratio, , accuracy]) => {
  const key = /^sgd \+/.test(label) ? 'sgd +' : label.split(/[\s(]/)[0];
  expect(NAMES[key], label).toBeDefined();
  return { name: NAMES[key], ratio: number(ratio), accuracy: number(accuracy) / 100 };
});
const paragraph = flat(README.text.slice(README.text.indexOf("Plain SGD's first hidden layer moves")).split('\n\n')[0]);
/** The names of a list in the paragraph ("A, B and C"), its parentheses left out. */
const names = (list: string) => list.replace(/ \([^)]*\)/g, '').split(/, | and /).map((name) => name.trim());

describe("README's paragraph under the remedies table", () => {
  it('names as staying at chance exactly the rows at chance', () => {
    const match = /^(Plain SGD)'s first hidden layer .*? stays at chance; so do ([^;]+?)\. /.exec(paragraph);
    expect(match, paragraph).not.toBeNull();
    const named = [match![1], ...names(match![2])];
    const atChanceRows = rows.filter((row) => accuracyAtChance(row.accuracy, chance)).map((row) => row.name);
    expect(named.sort()).toEqual(atChanceRows.sort());
  });

  it('names as leaving the plateau, the ratio within 10×, exactly the rows that did', () => {
    const match = /\. ([^.]+?) bring the ratio\s+within 10× and leave the plateau/.exec(paragraph);
    expect(match, paragraph).not.toBeNull();
    const left = rows.filter((row) => row.ratio <= 10 && !accuracyAtChance(row.accuracy, chance) && row.accuracy > chance.best);
    expect(names(match![1]).sort()).toEqual(left.map((row) => row.name).sort());
  });
});
