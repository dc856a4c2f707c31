// What --seed says it seeds is what it seeds: study plateau trains Nielsen's net full-batch and in
// order (nielsenTraining: batchSize = rows, shuffle: false), so its seed orders no batches; it
// seeds the initial weights and Lanczos' start vectors (runPlateauStudy). Its help said "initial
// weights, batch order", the words of the commands that shuffle. study autoencoder takes its rows in
// order too (runAutoencoderStudy trains each window with shuffle: false): its seed draws the initial
// weights, Martens' sparse init, and its help said "batch order" as well.
import { describe, expect, it } from 'vitest';
import { nielsenTraining } from '../../src/studies/depth.js';
import { runCliInProcess } from '../util/cli.js';

const seedLine = (help: string) => help.split('\n').find((line) => /^\s*--seed\b/.test(line)) ?? '';

describe('what --seed says it seeds', () => {
  it("trains full-batch and in order: a seed has no batches to order", () => {
    expect(nielsenTraining(1000)).toMatchObject({ batchSize: 1000, shuffle: false });
  });

  it.each([
    ['study plateau', "initial weights, Lanczos' start vectors"],
    // Its windows train in order: the seed draws Martens' sparse initial weights.
    ['study autoencoder', "initial weights: Martens' sparse init"],
  ])('%s says it seeds %s, not a batch order', async (words, seeds) => {
    const { code, stdout } = await runCliInProcess([...words.split(' '), '--help']);
    expect(code).toBe(0);
    const line = seedLine(stdout);
    expect(line).toContain(seeds);
    expect(line).not.toMatch(/batch/);
  });

  it('train, whose batches the seed shuffles, still says batch order', async () => {
    expect(seedLine((await runCliInProcess(['train', '--help'])).stdout)).toContain('batch order');
  });
});
