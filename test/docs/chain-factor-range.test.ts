// docs/studies.md's and docs/gradient-flow.md's study (a) sentence, "the measured chain-rule factor ‖δˡ‖/‖δˡ⁺¹‖ is
// 0.18–0.21, under its bound ‖Wˡ⁺¹‖₂·max σ'(zˡ) of 0.37–0.48", is what the study measures in the network the pages
// name: Nielsen's training set-up (runDepthStudy, seed 1, the first 1,000 digits), its trace's first record (the first
// step, at initialisation), every link the gradient passes back through into a hidden layer, the output's included.
// Over all four networks the ranges were 0.17–0.24 and 0.36–0.48 (2026-12-05): the pages say which network.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDepthStudy } from '../../src/studies/depth.js';
import { flat } from '../util/printed-text.js';

const read = (file: string) => ({ file, text: readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8') });
const PAGES = [read('docs/studies.md'), read('docs/gradient-flow.md')];

/** The network a page's sentence names and the two ranges it quotes, as printed ("[784,30,30,30,30,10]", "0.18–0.21", "0.37–0.48"). */
function quotedRanges(page: { file: string; text: string }): { network: string; factor: string; bound: string } {
  const text = flat(page.text);
  const said = /(\[[\d,]+\]) (?:at its first step \(seed 1\), the measured chain-rule factor ‖δˡ‖\/‖δˡ⁺¹‖ is |\(seed 1\) is )(\d\.\d\d–\d\.\d\d)(?: per layer)?, (?:under its|against a) bound ‖W[ˡ⁺¹]*‖₂·max σ'(?:\(zˡ\))? of (\d\.\d\d–\d\.\d\d)/.exec(text);
  if (!said) throw new Error(`${page.file}: no sentence quoting the chain-rule factor and its bound`);
  return { network: said[1], factor: said[2], bound: said[3] };
}

/** `values`' range at 2 decimals, as the pages print it. */
const range = (values: number[]) => `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;

let measured: { network: string; factor: string; bound: string };
beforeAll(async () => {
  // One step of the training is enough: its trace's first record is at the initial weights.
  const result = await runDepthStudy({ seeds: 1, epochs: 1 });
  const deepest = result.networks.at(-1)!;
  const trace = deepest.training!.trace;
  expect(trace.steps[0]).toBe(1);
  const links = Array.from({ length: trace.layers - 1 }, (_, l) => l);
  const factors = links.map((l) => trace.at('chainFactor', 0, l));
  const bounds = links.map((l) => trace.at('chainBound', 0, l));
  expect([...factors, ...bounds].every(Number.isFinite)).toBe(true);
  // The bound holds for every link: the factor is ‖δˡ‖/‖δˡ⁺¹‖ over the batch, each example's under ‖Wˡ⁺¹‖₂·max σ'(zˡ).
  factors.forEach((f, i) => expect(f).toBeLessThanOrEqual(bounds[i]));
  measured = { network: `[${deepest.sizes.join(',')}]`, factor: range(factors), bound: range(bounds) };
}, 120_000);

describe("study (a)'s chain-rule factor and its bound at initialisation, as the docs quote them", () => {
  for (const page of PAGES) {
    it(`${page.file}: the ranges are the study's`, () => {
      expect(quotedRanges(page)).toEqual(measured);
    });
  }
});
