/**
 * README's study (a) paragraph and docs/studies.md say study (a)'s plateau does not trap Nielsen's deepest network:
 * trained in mini-batches of 10 (scripts/plateau-minibatch.ts) it sits at chance for some epochs, then leaves. This
 * re-runs that script's training and checks every number both pages quote against it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { minibatchPlateauAccuracies, NIELSEN_MINI_BATCH } from '../../scripts/plateau-minibatch.js';
import { MNIST_TRAIN_DIGITS } from '../../src/data/mnist-counts.js';

const PAGES = ['README.md', 'docs/studies.md'];
const QUOTE =
  /sits at\s+chance for (\d+) epochs\s+\(([\d,]+) steps, test accuracy ([\d.]+)–([\d.]+) %\), leaves it in the (\d+)th \(([\d.]+) %\) and reaches ([\d.]+) % after\s+(\d+)/;

const percent = (a: number) => (100 * a).toFixed(1);

describe("study (a)'s plateau in mini-batches (scripts/plateau-minibatch.ts)", () => {
  it('sits at chance, then leaves, as both pages say', async () => {
    const quotes = PAGES.map((page) => {
      const m = QUOTE.exec(readFileSync(page, 'utf8').replace(/\n/g, ' '));
      expect(m, `${page} quotes the run`).not.toBeNull();
      return m!.slice(1);
    });
    expect(quotes[1], 'the pages quote the same run').toEqual(quotes[0]);
    const [chanceEpochs, steps, low, high, leftIn, leftAt, end, epochs] = quotes[0];
    const accuracies = await minibatchPlateauAccuracies(Number(epochs));
    const atChance = accuracies.slice(0, Number(chanceEpochs));
    // At chance: each of those epochs below 1.5 × the most frequent class's share (about 11 %), the next one above.
    expect(Math.max(...atChance)).toBeLessThan(0.15);
    expect(Number(leftIn)).toBe(Number(chanceEpochs) + 1);
    expect(accuracies[Number(leftIn) - 1]).toBeGreaterThan(0.15);
    expect(Number(steps.replace(/,/g, ''))).toBe((Number(chanceEpochs) * MNIST_TRAIN_DIGITS) / NIELSEN_MINI_BATCH);
    expect([percent(Math.min(...atChance)), percent(Math.max(...atChance))]).toEqual([low, high]);
    expect(percent(accuracies[Number(leftIn) - 1])).toBe(leftAt);
    expect(percent(accuracies.at(-1)!)).toBe(end);
  }, 300_000);
});
