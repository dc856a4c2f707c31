// docs/api.md states numbers that follow from constants: the Lanczos basis' caps (4 GiB of float64
// vectors), batch norm's fewest rows, Levenberg–Marquardt's most parameters, LSUV's defaults, gradient noise's γ, predict()'s limits, k's default. Each is read
// from the page and derived again here, so a change to a constant cannot leave the page behind
// (truth38's audit of the page: these were stated with no test reading them).
import { describe, expect, it } from 'vitest';
import { checkMaxSteps, LANCZOS_BASIS_BYTES, LANCZOS_MAX_STEPS, SPECTRUM_END_COUNT } from '../../src/curvature/lanczos.js';
import { PREDICT_LIMITS } from '../../src/api/predictions.js';
import { LSUV_DEFAULTS } from '../../src/layers/lsuv.js';
import { BATCH_NORM_MIN_ROWS } from '../../src/layers/spec.js';
import { GRADIENT_NOISE_GAMMA } from '../../src/optim/annealed-gradient-noise.js';
import { LM_MAX_PARAMETERS } from '../../src/optim/levenberg-marquardt.js';
import { DEFAULT_BATCH_SIZE } from '../../src/training/batch-rows.js';
import { quotedOn } from '../util/page-numbers.js';

const PAGE = 'docs/api.md';
const said = (pattern: RegExp) => quotedOn(PAGE, pattern);
const count = (n: number) => n.toLocaleString('en-US');
const wholeNumber = (text: string) => Number(text.replaceAll(',', ''));

/** Whether measureCurvature's check takes `maxSteps` on an operator of dimension n. */
const fits = (n: number, maxSteps: number) => {
  try {
    checkMaxSteps(maxSteps, 'maxSteps', n);
    return true;
  } catch {
    return false;
  }
};

describe('docs/api.md states the numbers its constants give', () => {
  it("the Lanczos basis' caps: any count up to n = 23,170, 300 up to 1,789,569 parameters, 268 at 2,000,000", () => {
    const [k, maxSteps, anyUpTo, defaultUpTo, atTwoMillion, twoMillion] = said(
      /`k` defaults to (\d+) \(`SPECTRUM_END_COUNT`.*?Their `maxSteps` \(default (\d+)\) is capped by the memory of the Lanczos basis, min\(n, maxSteps\) vectors of n float64s, at 4 GiB \(`LANCZOS_BASIS_BYTES`\): any count up to n = ([\d,]+) \(a count beyond n takes n steps\), 300 up to ([\d,]+) parameters, (\d+) at ([\d,]+);/,
    );
    expect([Number(k), Number(maxSteps)]).toEqual([SPECTRUM_END_COUNT, LANCZOS_MAX_STEPS]);
    expect(LANCZOS_BASIS_BYTES).toBe(4 * 2 ** 30);
    // n vectors of n float64s fit up to that n, and not one past it.
    const n = wholeNumber(anyUpTo);
    expect([fits(n, n), fits(n + 1, n + 1)]).toEqual([true, false]);
    const most = wholeNumber(defaultUpTo);
    expect([fits(most, LANCZOS_MAX_STEPS), fits(most + 1, LANCZOS_MAX_STEPS)]).toEqual([true, false]);
    const at = wholeNumber(twoMillion);
    expect([fits(at, Number(atTwoMillion)), fits(at, Number(atTwoMillion) + 1)]).toEqual([true, false]);
    expect([anyUpTo, defaultUpTo]).toEqual([count(n), count(most)]);
  });

  it("batch norm's fewest rows and the last batches its examples leave", () => {
    const [fewest] = said(/Batch statistics need at least (\d+) rows \(`BATCH_NORM_MIN_ROWS`/);
    expect(Number(fewest)).toBe(BATCH_NORM_MIN_ROWS);
    const [rows, batch] = said(/rows that leave a last batch of 1 row \((\d+) rows in batches of (\d+)\)/).map(Number);
    expect(rows % batch).toBe(1);
    const [more, sameBatch] = said(/or a short last one \((\d+) rows in batches of (\d+)\)/).map(Number);
    expect([sameBatch, more % sameBatch]).toEqual([DEFAULT_BATCH_SIZE, BATCH_NORM_MIN_ROWS]);
  });

  it("the most parameters Levenberg–Marquardt takes, where K-FAC's refusal offers it", () => {
    const [most] = said(/'levenberg-marquardt' takes the quadratic cost \(`loss: 'mse'`\) and at most ([\d,]+) parameters/);
    expect(most).toBe(count(LM_MAX_PARAMETERS));
  });

  it("LSUV's tolerance and rescalings, twice", () => {
    const defaults = [String(LSUV_DEFAULTS.tolerance), String(LSUV_DEFAULTS.maxIterations)];
    expect(said(/`net\.initLsuv\(x, \{ tolerance, maxIterations \}\)` \(defaults ([\d.]+) and (\d+)\) rescales each dense/)).toEqual(defaults);
    expect(said(/\| `lsuv` \| `false` \| `true` or `\{ tolerance, maxIterations \}` \(defaults ([\d.]+) and (\d+)\)/)).toEqual(defaults);
  });

  it("gradient noise's γ, twice", () => {
    expect(said(/`gradientNoise: \{ eta, gamma \}` \(Neelakantan et al\. 2015; γ defaults to ([\d.]+)\)/)).toEqual([String(GRADIENT_NOISE_GAMMA)]);
    expect(said(/for first-order optimisers; `gamma` defaults to ([\d.]+) \|/)).toEqual([String(GRADIENT_NOISE_GAMMA)]);
  });

  it("predict()'s limits: rows as arrays, values in all", () => {
    expect(said(/`PREDICT_LIMITS\.maxRowArrays` \(([\d,]+)\) rows/)).toEqual([count(PREDICT_LIMITS.maxRowArrays)]);
    const [base, power] = said(/at most `PREDICT_LIMITS\.maxValues` \((\d+)\^(\d+)\) outputs/).map(Number);
    expect(base ** power).toBe(PREDICT_LIMITS.maxValues);
  });
});
