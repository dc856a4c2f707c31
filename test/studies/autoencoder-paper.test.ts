// The autoencoder study's differences from Martens (2010) are said once (MARTENS_DIFFERENCES, from the
// study's own settings): `gradscope study autoencoder --help` prints that text, and docs/studies.md and
// docs/second-order.md state it word for word.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandHelp } from '../../src/cli/command.js';
import { studyAutoencoderCommand } from '../../src/cli/commands/study-autoencoder.js';
import { createNetwork } from '../../src/api/network.js';
import { matrixRows } from '../../src/data/matrix.js';
import { AUTOENCODER_INIT, AUTOENCODER_OPTIMIZERS, AUTOENCODER_SIZES, TRAIN_ERROR_ROWS, reconstructionError, runAutoencoderStudy } from '../../src/studies/autoencoder.js';
import { MARTENS_DIFFERENCES } from '../../src/studies/autoencoder-paper.js';
import { loadStudyDigits } from '../../src/studies/study-digits.js';
import { AUTOENCODER_DEFAULTS } from '../../src/studies/study-defaults.js';
import { flat } from '../util/printed-text.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe("the autoencoder study's differences from Martens (2010)", () => {
  it('are printed by study autoencoder --help', () => {
    expect(flat(commandHelp(studyAutoencoderCommand, undefined))).toContain(MARTENS_DIFFERENCES);
  });

  it('are stated in docs/studies.md and docs/second-order.md word for word', () => {
    // A boolean, so a failure names the file rather than printing all of it.
    for (const file of ['docs/studies.md', 'docs/second-order.md']) expect(flat(read(file)).includes(MARTENS_DIFFERENCES), file).toBe(true);
  });

  it("follow the study's settings: its network, digits and Hessian-free batch", () => {
    expect(MARTENS_DIFFERENCES).toContain(`the network is ${AUTOENCODER_SIZES.join('-')} with a sigmoid code layer of ${Math.min(...AUTOENCODER_SIZES)}`);
    const trainDefault = studyAutoencoderCommand.flags.find((f) => f.name === 'train')?.default;
    expect(trainDefault).toBe(AUTOENCODER_DEFAULTS.trainRows);
    expect(MARTENS_DIFFERENCES).toContain(`it trains on ${AUTOENCODER_DEFAULTS.trainRows.toLocaleString('en-US')} of`);
    expect(MARTENS_DIFFERENCES).toContain(`over a ${AUTOENCODER_OPTIMIZERS['hessian-free'].batchSize.toLocaleString('en-US')}-row batch`);
    expect(MARTENS_DIFFERENCES).toContain(`over the first ${TRAIN_ERROR_ROWS} training digits`);
  });

  it('measures the training error on the first TRAIN_ERROR_ROWS training digits, not all of them', async () => {
    const sizes = [784, 8, 784];
    const trainRows = TRAIN_ERROR_ROWS + 100;
    const result = await runAutoencoderStudy({ sizes, seconds: 0.01, points: 1, trainRows, testRows: 10, optimizers: ['adam'], backend: 'ref' });
    const start = result.runs[0].curve[0];
    // The same seed and init give the study's starting weights; its first point is before any step.
    const net = await createNetwork({ sizes, activation: 'sigmoid', output: 'sigmoid', loss: 'binary-cross-entropy', init: AUTOENCODER_INIT, seed: 1, backend: 'ref' });
    try {
      const { train } = await loadStudyDigits(trainRows, 10);
      const first = reconstructionError(net, matrixRows(train.x, 0, TRAIN_ERROR_ROWS));
      expect(start.trainError).toBeCloseTo(first, 9);
      expect(Math.abs(reconstructionError(net, train.x) - first)).toBeGreaterThan(1e-6);
    } finally {
      net.dispose();
    }
  });
});
