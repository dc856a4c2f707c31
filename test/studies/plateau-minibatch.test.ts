/**
 * README's study (a) paragraph and docs/studies.md say study (a)'s plateau does not trap Nielsen's deepest network:
 * trained in mini-batches of 10 (scripts/plateau-minibatch.ts) it sits at chance for some epochs, then leaves. This
 * re-runs that script's training and checks every number both pages quote against it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { minibatchPlateauAccuracies, NIELSEN_MINI_BATCH } from '../../scripts/plateau-minibatch.js';
import { MNIST_TEST_DIGITS, MNIST_TRAIN_DIGITS } from '../../src/data/mnist-counts.js';
import { loadMnist } from '../../src/data/mnist.js';
import { accuracyAtChance, chanceOf, classRowsOf } from '../../src/flow/chance.js';

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
    // At chance by the diagnosis' own rule (chanceBand over the held-out digits' classes): each of those epochs, and not the next.
    const { test } = await loadMnist({ take: { train: 0, test: MNIST_TEST_DIGITS } });
    const level = chanceOf(test.y.cols, classRowsOf(test.y.data, test.y.rows, test.y.cols));
    expect(atChance.every((a) => accuracyAtChance(a, level))).toBe(true);
    expect(Number(leftIn)).toBe(Number(chanceEpochs) + 1);
    expect(accuracyAtChance(accuracies[Number(leftIn) - 1], level)).toBe(false);
    expect(Number(steps.replace(/,/g, ''))).toBe((Number(chanceEpochs) * MNIST_TRAIN_DIGITS) / NIELSEN_MINI_BATCH);
    expect([percent(Math.min(...atChance)), percent(Math.max(...atChance))]).toEqual([low, high]);
    expect(percent(accuracies[Number(leftIn) - 1])).toBe(leftAt);
    expect(percent(accuracies.at(-1)!)).toBe(end);
  }, 300_000);
});
