// docs/gradient-flow.md's verdict table and its severity rule state the diagnosis' thresholds; each is
// read from the page and compared with the constant diagnose() decides by, so a change to one cannot
// leave the page behind (truth38's audit of the page: test/flow/diagnose-boundaries holds the
// constants' values, and no test read the page's).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEAD_LAYER, DEAD_UNITS, EXPLODING_RATIO, FLAT_FEATURES, SATURATED_LAYER, SEVERE_RATIO, TRAINED_LOSS_FRACTION, VANISHING_RATIO } from '../../src/flow/diagnosis/diagnosis-thresholds.js';
import { SPEED_EVEN } from '../../src/flow/diagnosis/learning-speed.js';
import { FLAT_SPREAD, PRIME_MAX, SATURATION_MARGIN } from '../../src/flow/metrics.js';
import { NORM_EPSILON } from '../../src/layers/spec.js';
import { AT_CHANCE_MARGIN, OVERFIT_PATIENCE, STILL_FALLING } from '../../src/flow/training-progress.js';
import { tableStarting } from '../util/markdown-tables.js';
import { quotedOn } from '../util/page-numbers.js';

const PAGE = 'docs/gradient-flow.md';
const said = (pattern: RegExp) => quotedOn(PAGE, pattern);
/** "1/4" or "4" as a number. */
const ratio = (text: string) => (text.startsWith('1/') ? 1 / Number(text.slice(2)) : Number(text));
const HALF = 'half';

describe("docs/gradient-flow.md's thresholds are diagnose()'s", () => {
  const table = tableStarting({ file: PAGE, text: readFileSync(new URL(`../../${PAGE}`, import.meta.url), 'utf8') }, '| verdict | when | measured on |');
  const rows = new Map(table.rows.map((row) => [row[0].replace(/\*\*(.+)\*\*.*/, '$1'), row[1]]));
  const when = (verdict: string) => {
    expect(rows.has(verdict), `${PAGE}: the verdict table's row ${verdict}`).toBe(true);
    return rows.get(verdict)!;
  };

  it("the verdict table's rows: dead, exploding, saturated, vanishing, loss-rising, overfitting, healthy", () => {
    expect(when('dead')).toMatch(new RegExp(`has more than ${HALF} its units at z ≤ 0 on every row of the batch`));
    expect(DEAD_LAYER).toBe(0.5);
    expect(ratio(/per-example ‖δ‖ is ≥ (\d+)× the last hidden layer's/.exec(when('exploding'))![1])).toBe(EXPLODING_RATIO);
    const [share, margin] = /more than (half) of a hidden sigmoid\/tanh\/softsign layer's activations are within ([\d.]+) of their limits/.exec(when('saturated'))!.slice(1);
    expect([share === HALF ? 0.5 : NaN, Number(margin)]).toEqual([SATURATED_LAYER, SATURATION_MARGIN]);
    expect(ratio(/per-example ‖δ‖ is ≤ (1\/\d+) of the last hidden layer's/.exec(when('vanishing'))![1])).toBe(VANISHING_RATIO);
    expect(Number(/at least (\d+) % above its lowest/.exec(when('loss-rising'))![1]) / 100).toBe(STILL_FALLING);
    expect(Number(/rose at least (\d+) % above its lowest/.exec(when('overfitting'))![1]) / 100).toBe(STILL_FALLING);
    expect(Number(/in a run too short to read it, for (\d+) epochs in a row/.exec(when('overfitting'))![1])).toBe(OVERFIT_PATIENCE);
    expect(Number(/its accuracy within (\d+) points of a guess/.exec(when('healthy'))![1]) / 100).toBe(AT_CHANCE_MARGIN);
    // A network without a chain is healthy only where its run learnt (flowUndecided, newuser49 #16).
    expect(Number(/no chain and the run did not show it learnt \(it ended at chance, or neither converged nor still learning, its training loss did not fall to (\d+) % of its first step's\)/.exec(when('healthy'))![1]) / 100).toBe(TRAINED_LOSS_FRACTION);
  });

  it('the rule behind them: σ′ ≤ 1/4, severe at two layers\' worth, dead units named from 10 %, speeds even within 2×', () => {
    const [bound, shrink] = said(/and σ' ≤ (1\/\d+) bounds what a sigmoid layer does to \*each example's\* δ: even with weights that pass a vector on at full length, one sigmoid layer shrinks it at least (\d+)×/);
    expect([ratio(bound), 1 / Number(shrink)]).toEqual([PRIME_MAX.sigmoid, PRIME_MAX.sigmoid]);
    expect(VANISHING_RATIO).toBe(PRIME_MAX.sigmoid);
    const [severe, severeUp] = said(/At two sigmoid layers' worth \((1\/\d+), or (\d+)×\) or past it the gap is \*\*severe\*\*/);
    expect([ratio(severe), 1 / Number(severeUp)]).toEqual([SEVERE_RATIO, SEVERE_RATIO]);
    expect(Number(said(/wherever a hidden relu-family layer has at least (\d+) % of its units dead/)[0]) / 100).toBe(DEAD_UNITS);
    expect(Number(said(/Within (\d+)× either way \(`SPEED_EVEN`\)/)[0])).toBe(SPEED_EVEN);
  });

  it("batch norm over features that do not vary: a flat feature's spread, its gain at the default ε, the share that names a row", () => {
    const [spread] = said(/\*\*Batch norm over features that do not vary\.\*\* .*?x̂'s RMS √\(σ²\/\(σ² \+ ε\)\) below ([\d.]+)/);
    expect(Number(spread)).toBe(FLAT_SPREAD);
    const [gain, epsilon] = said(/multiplies the gradient passing back\s+through it by γ\/√\(σ² \+ ε\), (\d+)·γ at the default ε of ([\d.e-]+)\./);
    expect([Number(epsilon), Number(gain)]).toEqual([NORM_EPSILON, Math.round(1 / Math.sqrt(NORM_EPSILON))]);
    expect(Number(said(/A batch-norm row with at least (\d+) % of its features flat \(`evidence\.flatNorms`\)/)[0]) / 100).toBe(FLAT_FEATURES);
  });
});
