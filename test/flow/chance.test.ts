/**
 * Chance for a classifier (flow/chance.ts): what a guess that ignores the input gets right, read from the rows' classes. It was
 * 1/classes, so a network that learnt its output bias alone on rows 78.7 / 10.2 / 11.1 % of three classes, and got 78.7 % right by
 * always answering the first, was not called at chance (newuser43 finding 1): 1/3 ± 5 points covered 30–38 % only.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { accuracyAtChance, chanceBand, chanceOf, chanceWords, classRowsOf, classRowsOfRows } from '../../src/flow/chance.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { Trace } from '../../src/flow/trace.js';
import { quoteOn } from '../util/page-quotes.js';

/** `n` rows of 20 standard normal features and one-hot targets over 3 classes, the first class's share `major` (the rest split evenly); seeded. */
function rows(n: number, major: number): { x: number[][]; y: number[][] } {
  let s = 12345;
  const uniform = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) + 0.5) / 2 ** 32;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const x = Array.from({ length: n }, () => Array.from({ length: 20 }, normal));
  const y = Array.from({ length: n }, (_, i) => {
    const c = i < major * n ? 0 : i % 2 === 0 ? 1 : 2;
    return [0, 1, 2].map((j) => (j === c ? 1 : 0));
  });
  return { x, y };
}

describe('chance read from the rows\' classes', () => {
  it('counts the rows of each class where every target is a class row, and only there', () => {
    expect(classRowsOf([0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0], 4, 3)).toEqual([1, 2, 1]);
    // One output: 0 or 1 is a class row (two classes), as the accuracy reads it (≥ ½).
    expect(classRowsOf([1, 0, 0, 0], 4, 1)).toEqual([3, 1]);
    // Soft or real-valued targets have no class each row is of.
    expect(classRowsOf([0.2, 0.8, 1, 0], 2, 2)).toBeUndefined();
    expect(classRowsOf([0.7, 0.1], 2, 1)).toBeUndefined();
    expect(classRowsOfRows([[0, 1], [0, 1], [1, 0]])).toEqual([1, 2]);
    expect(classRowsOfRows({ data: [0, 1, 0, 1], rows: 2, cols: 2 })).toEqual([0, 2]);
  });

  it('is the most frequent class\'s share at best and the least frequent\'s at worst, 5 points either way, at most halfway to all right', () => {
    const imbalanced = chanceOf(3, [1180, 153, 167]);
    expect(imbalanced.best).toBeCloseTo(0.7867, 4);
    expect(imbalanced.worst).toBeCloseTo(0.102, 4);
    // 78.7 % right (always the first class) is at chance, and so is 10.2 % (always the second); 1/3 ± 5 points said neither.
    expect([0.7867, 0.102, 0.3, 0.84].map((a) => accuracyAtChance(a, imbalanced))).toEqual([true, true, true, false]);
    // Without the rows (or with as many in each class) it is 1/classes, the rule before.
    expect(chanceOf(10)).toEqual({ classes: 10, best: 0.1, worst: 0.1 });
    expect(chanceBand(chanceOf(10))).toEqual({ low: 0.1 - 0.05, high: 0.1 + 0.05 });
    // Over rows 95 % of one class, chance + 5 points would be every row right: the band stops halfway from 95 % to 100 %.
    const skewed = chanceOf(2, [95, 5]);
    expect(chanceBand(skewed).high).toBeCloseTo(0.975, 12);
    expect([accuracyAtChance(0.97, skewed), accuracyAtChance(0.99, skewed)]).toEqual([true, false]);
    expect(chanceWords(skewed)).toBe('a guess that ignores the input (one class for every row: 5 % to 95 % of the rows right, 95 % always the most frequent), within 5 points below and 3 above');
    expect(chanceWords(chanceOf(3, [100, 100, 100]))).toBe('a guess among 3 classes (33 % right), within 5 points either way');
    // docs/gradient-flow.md quotes the words over classes of equal shares.
    expect(chanceWords(chanceOf(10))).toContain(quoteOn('docs/gradient-flow.md', 'a guess among 10 classes'));
    expect(chanceWords(imbalanced)).toBe('a guess that ignores the input (one class for every row: 10 % to 79 % of the rows right, 79 % always the most frequent), within 5 points either way');
  });

  it("calls a deep sigmoid net that learnt only its output bias on imbalanced rows at chance, and says what chance is there", async () => {
    // newuser43's case, smaller: 6 hidden sigmoid layers, weights U[±1/√n_in] as PyTorch's; its output stops depending on its input.
    const { x, y } = rows(300, 0.8);
    const net = await createNetwork({ seed: 1, sizes: [20, 32, 32, 32, 32, 32, 32, 3], activation: 'sigmoid', init: 'standard', output: 'softmax', loss: 'cross-entropy' });
    try {
      net.train(x, y, { epochs: 10, learningRate: 0.1, trace: { every: 5 } });
      const trace = net.trace!;
      expect(trace.run.classRows).toEqual([240, 30, 30]);
      const d = diagnose(trace);
      expect(d.evidence.training?.accuracyEnd).toBeGreaterThan(0.75);
      expect([d.evidence.training?.chance, d.evidence.training?.chanceLeast]).toEqual([0.8, 0.1]);
      expect(d.summary).toContain('at chance: no better than a guess that ignores the input (one class for every row: 10 % to 80 % of the rows right, 80 % always the most frequent), within 5 points either way');
      // A saved trace keeps the rows of each class, and reads the same; a count that is no count is refused.
      const saved = JSON.parse(JSON.stringify(trace.toJSON()));
      expect(diagnose(Trace.fromJSON(JSON.stringify(saved))).summary).toBe(d.summary);
      saved.run.classRows = [240, 30];
      expect(() => Trace.fromJSON(JSON.stringify(saved))).toThrow(/run\.classRows must hold 3 whole counts ≥ 0 \(the training rows of each class\), not all 0, got \[240,30\]/);
    } finally {
      net.dispose();
    }
  }, 60_000);
});
