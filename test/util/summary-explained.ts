import { expect } from 'vitest';
import { SATURATION_MARGIN } from '../../src/flow/metrics.js';
import type { Diagnosis } from '../../src/flow/diagnose.js';
import { SAME_RECORDS } from '../../src/flow/diagnosis/flow-sentences.js';

/**
 * A diagnosis' summary says, after its verdict's heading ('Exploding gradients (severe): '), the
 * evidence behind it: never empty or ending at the colon; its numbers agree with each other
 * (expectFactorMatchesGap); it names every finding the evidence holds, not only the verdict's
 * (expectFindingsNamed); and its paragraphs are it (expectParagraphs).
 */
export function expectSummaryExplained(d: Diagnosis, context: string): void {
  const [, explanation] = d.summary.match(/^[^:]*: ([\s\S]*)$/) ?? [];
  expect(explanation?.trim().length ?? 0, `${context}: ${JSON.stringify(d.summary)}`).toBeGreaterThan(20);
  expect(d.summary.trimEnd(), context).not.toMatch(/:$/);
  expectFactorMatchesGap(d, context);
  expectFindingsNamed(d, context);
  expectHeadlineFromSummary(d, context);
  expectParagraphs(d, context);
}

/**
 * The summary's paragraphs (Diagnosis.paragraphs, which the report and the visualizer show one by one) are the summary, cut
 * between its sentences: joined by spaces they are it, none empty, each ending a sentence (newuser49 #7).
 */
export function expectParagraphs(d: Diagnosis, context: string): void {
  expect(d.paragraphs.join(' '), `${context}: the paragraphs are the summary`).toBe(d.summary);
  for (const p of d.paragraphs) expect(p, `${context}: a paragraph ends a sentence\n${JSON.stringify(d.paragraphs)}`).toMatch(/\S[.)]$/);
}

/** A printed number: '2.06e+4', '0.137', '1,500', '62' (of '62 %'), '1/180' read as its two numbers. */
const NUMBERS = /\d[\d,]*(?:\.\d+)?(?:e[-+]\d+)?/g;
/** The sigmoid's ceiling the headline says beside a vanishing gap along sigmoid layers (a constant, not a reading of the run). */
const SIGMOID_CEILING = "; the sigmoid's σ' is at most 1/4";

/**
 * The headline (Diagnosis.headline) opens with the summary's heading, its figures are the summary's (every number before 'Try'
 * appears in the summary, read from the same evidence, not written apart), and its 'Try' names the first remedy's settings,
 * each number of them in that remedy's option, and how many remedies there are.
 */
export function expectHeadlineFromSummary(d: Diagnosis, context: string): void {
  const h = d.headline;
  const heading = d.summary.slice(0, d.summary.indexOf(': '));
  expect([': ', '; ', '. '].some((after) => h.startsWith(heading + after)), `${context}: the headline opens with the summary's heading\n${h}\n${d.summary}`).toBe(true);
  const at = h.indexOf(' Try ');
  const [claim, tried] = at < 0 ? [h, ''] : [h.slice(0, at), h.slice(at)];
  const e = d.evidence;
  const sigmoidChain = (e.chain ?? e.layers.slice(0, e.hiddenLayers).map((l) => l.layer)).every((l) => e.layers[l].activation === 'sigmoid');
  expect(claim.includes(SIGMOID_CEILING), `${context}: σ' said beside a vanishing gap along sigmoid layers alone\n${h}`).toBe(d.verdict === 'vanishing' && sigmoidChain && e.meanChainFactor > 0);
  for (const n of claim.replace(SIGMOID_CEILING, '').replace(heading, '').match(NUMBERS) ?? []) expect(d.summary, `${context}: the headline's ${n} is the summary's\n${h}`).toContain(n);
  if (d.remedies.length === 0) return expect(tried, `${context}: no remedy, no 'Try'`).toBe('');
  const first = d.remedies[0].option;
  // A rate a switch to relu carries is said to be the careful bound it is (the remedy's learningRate), before the count.
  const counted = tried.match(/\((?:(\S+) is a careful bound, [^;]*; )?(?:the first of (\d+) remedies|the one remedy)\)\.$/);
  expect(counted, `${context}: the remedies counted\n${h}`).not.toBeNull();
  expect(counted![2] === undefined ? 1 : Number(counted![2]), `${context}: the remedies counted`).toBe(d.remedies.length);
  if (counted![1] !== undefined) expect(d.remedies[0].settings.find((s) => s.option === 'learningRate')?.value, `${context}: the careful bound is the remedy's rate`).toBe(counted![1]);
  // The first choice in the words of the remedy's option (a value in words as words, 'below 0.3'), as the API's list of remedies says it (review44 #9).
  for (const n of tried.slice(0, tried.lastIndexOf(' (')).match(NUMBERS) ?? []) expect(first, `${context}: the headline's ${n} is the first remedy's\n${h}`).toContain(n);
  expect(first.startsWith(tried.slice(' Try '.length, tried.lastIndexOf(' ('))), `${context}: the headline's 'Try' is the first remedy's option, as its list says it\n${h}\n${first}`).toBe(true);
  for (const s of d.remedies[0].settings) expect(tried, `${context}: the first remedy's ${s.option}`).toContain(`${s.option}: `);
}

const NUMBER = String.raw`(\d[\d.]*(?:e[-+]\d+)?)`;
/** Where its paragraph named the median over the records already (a saturated verdict's sentence), the gap says SAME_RECORDS. */
const WHEN = String.raw`(at the first step|median over \d+ records|${SAME_RECORDS})`;
/** "δ at the first hidden layer is 1/42.0 of the last hidden layer's (RMS over the batch, at the first step)" (";" where no factor follows). */
const GAP = new RegExp(String.raw`δ at the .*? is (1/)?${NUMBER}(?:×| of) the .*?\(RMS over the batch, ${WHEN}[;)]`);
/** "…: a factor of 0.154 per layer back through 2 layers (σ'(z)·W, …, whose product is the gap)". */
const FACTOR = new RegExp(String.raw`a factor of ${NUMBER} per [^(]*\((.*?)\)\.(?:\s|$)`);

/**
 * The gap and the per-layer chain factor a summary states are of the same record(s): the factor to
 * the power of the links between the first and the last hidden layer is the gap, within the
 * rounding of the printed digits (3 significant each), the factor says so (its records are the
 * gap's, named once: lows51), and the gap names the record(s) it is decided on.
 */
export function expectFactorMatchesGap(d: Diagnosis, context: string): void {
  const e = d.evidence;
  const links = e.hiddenLayers - 1;
  const gapStated = GAP.exec(d.summary);
  const factorStated = FACTOR.exec(d.summary);
  if (!gapStated || !factorStated) {
    // A factor is stated beside the per-example gap wherever every link of the chain has a measured one (not across residual blocks).
    if (gapStated && e.meanChainFactor > 0) expect.fail(`${context}: the summary states the gap but no factor: ${d.summary}`);
    return;
  }
  const [, inverse, gapText, gapWhen] = gapStated;
  const [, factorText, factorWords] = factorStated;
  const gap = inverse ? 1 / Number(gapText) : Number(gapText);
  const factor = Number(factorText);
  // Each printed number is within 0.5 % of its value; the factor's error grows with its power.
  expect(Math.abs(Math.log(factor ** links / gap)), `${context}: ${factor}^${links} against ${gap}\n${d.summary}`).toBeLessThan(0.006 * (links + 1));
  expect(factorWords, `${context}: the factor is the gap's root, read at its record(s)`).toMatch(/whose product is the gap$/);
  // The record(s) the decisive gap is read from (diagnose's decisiveGap): the first record's ratio or the median, the one further from 1.
  const measure = e.relativeGradientFirstToLast ?? e.deltaFirstToLast;
  const usable = (v: number) => v > 0 && Number.isFinite(v);
  const atFirst = usable(measure.first) && (!usable(measure.median) || Math.abs(Math.log(measure.first)) >= Math.abs(Math.log(measure.median)));
  expect(gapWhen === 'at the first step', `${context}: the record(s) named are those the gap is read from`).toBe(atFirst);
}

/** Saturated and dead layers in the evidence are named in the summary, whichever verdict won. */
export function expectFindingsNamed(d: Diagnosis, context: string): void {
  const e = d.evidence;
  if (e.saturatedLayers.length) expect(d.summary, `${context}: saturated layers ${e.saturatedLayers}`).toContain(`are within ${SATURATION_MARGIN} of their limits`);
  if (e.deadLayers.length) expect(d.summary, `${context}: dead layers ${e.deadLayers}`).toContain('have z ≤ 0 on every row of the batch');
}
