/**
 * The diagnosis's words on Adam, the per-layer rates and layer norm for study (a)'s deepest run (STUDY_A_DEEPEST, auditor54 #8): the set-up is
 * the study's (src/studies/study-defaults.ts), the accuracies docs/studies.md's table of that network's remedies, and they are said
 * to a run of that set-up only.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose, type Diagnosis } from '../../src/flow/diagnose.js';
import { isStudyASetup, STUDY_A_DEEPEST, studyAWords } from '../../src/flow/diagnosis/study-a-evidence.js';
import { percentText } from '../../src/percent-text.js';
import { DEPTH_NETWORK_OPTIONS, DEPTH_NETWORKS, DEPTH_ROWS, DEPTH_TRAINING_SEED, NIELSEN_TRAINING, nielsenWeightDecay } from '../../src/studies/depth.js';
import { studyARun, type StudyARun } from '../../scripts/study-a-remedy-rows.js';
import { Trace } from '../../src/flow/trace.js';

const page = readFileSync(new URL('../../docs/studies.md', import.meta.url), 'utf8');

/** docs/studies.md's table of study (a)'s deepest network's remedies: the test accuracy of the row whose change starts `change`. */
function tableAccuracy(change: string): string {
  const rows = page.split('\n').filter((line) => line.startsWith(`| ${change}`));
  expect(rows, change).toHaveLength(1);
  return rows[0].split('|')[3].trim();
}

/** Study (a)'s deepest network trained `epochs` epochs as the study trains it, with `change` to its training options: its trace and diagnosis. */
async function trained(run: StudyARun, epochs: number, change: Record<string, unknown> = {}): Promise<{ trace: Trace; diagnosis: Diagnosis }> {
  const net = await createNetwork({ ...run.study.net, seed: DEPTH_TRAINING_SEED });
  try {
    net.train(run.study.x, run.study.y, { ...run.study.train, epochs, ...change });
    return { trace: net.trace!, diagnosis: diagnose(net.trace!) };
  } finally {
    net.dispose();
  }
}

const why = (d: Diagnosis, option: 'adam' | 'layerRates') =>
  d.remedies.find((r) => r.settings.some((s) => s.option === 'optimizer' && (option === 'adam' ? s.setting === 'adam' : typeof s.setting === 'object' && 'layerRates' in (s.setting as object))))?.why;

/** The reason of the batch-norm remedy, whose alternative is layer norm. */
const normWhy = (d: Diagnosis) => d.remedies.find((r) => r.settings.some((s) => s.option === 'layers' && /'batch-norm'/.test(s.value)))?.why;

let study: { trace: Trace; diagnosis: Diagnosis };
let otherRate: { trace: Trace; diagnosis: Diagnosis };
beforeAll(async () => {
  const run = await studyARun();
  study = await trained(run, 20);
  otherRate = await trained(run, 20, { learningRate: 0.2 });
}, 120_000);

describe("study (a)'s measurements of Adam and the per-layer rates, as the diagnosis quotes them", () => {
  it("are of the study's set-up: its deepest network, rows in one batch, η, λ/n and epochs", () => {
    expect(STUDY_A_DEEPEST.sizes).toEqual(DEPTH_NETWORKS.at(-1));
    expect(DEPTH_NETWORK_OPTIONS.activation).toBe('sigmoid');
    expect(STUDY_A_DEEPEST.rows).toBe(DEPTH_ROWS);
    expect(STUDY_A_DEEPEST.learningRate).toBe(NIELSEN_TRAINING.learningRate);
    expect(STUDY_A_DEEPEST.weightDecay).toBe(nielsenWeightDecay(DEPTH_ROWS, NIELSEN_TRAINING.lambda));
    expect(STUDY_A_DEEPEST.epochs).toBe(NIELSEN_TRAINING.epochs);
  });

  it("are docs/studies.md's table's, where the page says they stay at chance", () => {
    expect(tableAccuracy('Adam, learning rate')).toBe(percentText(STUDY_A_DEEPEST.accuracy.adam));
    expect(tableAccuracy('per-layer rates')).toBe(percentText(STUDY_A_DEEPEST.accuracy.layerRates));
    expect(page).toMatch(/on this run Adam at its offered [\d.]+, the per-layer\s+rates and layer norm stay at chance/);
  });

  it("are said beside both remedies of the study's own run", () => {
    expect(isStudyASetup(study.trace)).toBe(true);
    expect(why(study.diagnosis, 'adam')).toContain(`${studyAWords(study.trace, 'adam')}`);
    expect(studyAWords(study.trace, 'adam')).toContain('Adam at this rate stayed at chance: 10.5 % of the test digits after 500 epochs');
    expect(why(study.diagnosis, 'layerRates')).toMatch(/the per-layer rates offered to it stayed at chance: 10\.5 % of the test digits after 500 epochs\.$/);
  });

  it('are not said to the same network whose rate followed a schedule from the same start', () => {
    // The study's own trace with a schedule beside its rate, as a scheduled run records it: the set-up measured held its rate.
    const json = study.trace.toJSON();
    const schedule = { name: 'cosine', endFactor: 0, steps: 20, from: 0, epochSteps: 1, atStep: 0 };
    const scheduled = Trace.fromJSON(JSON.stringify({ ...json, run: { ...json.run, schedule } }));
    expect(scheduled.run.learningRate).toBe(STUDY_A_DEEPEST.learningRate);
    expect(isStudyASetup(scheduled)).toBe(false);
    expect(studyAWords(scheduled, 'adam')).toBe('');
    expect(JSON.stringify(diagnose(scheduled).remedies)).not.toMatch(/study \(a\)'s deepest net/);
  });

  it("are the table's for batch norm and its alternative, layer norm, said in the layer-norm alternative's reason of the study's own run", () => {
    expect(tableAccuracy('batch norm after each dense layer')).toBe(percentText(STUDY_A_DEEPEST.norms.batchNorm));
    expect(tableAccuracy('its alternative, layer norm after each dense layer')).toBe(percentText(STUDY_A_DEEPEST.norms.layerNorm));
    expect(normWhy(study.diagnosis)).toMatch(
      /; layer norm: per example, any batch size \(Ba et al\. 2016\), but on this set-up, study \(a\)'s deepest net as the study trains it, it left the gradient vanishing and the net at chance: 10\.5 % of the test digits after 500 epochs, batch norm 82\.0 %\.$/,
    );
    // At another rate, only what both measured nets did, without their figures (audit54's left-alone 1: said to every sigmoid net).
    expect(normWhy(otherRate.diagnosis)).toContain('but beside sigmoid units, on both nets where the two were measured, it left the gradient vanishing');
    expect(normWhy(otherRate.diagnosis)).not.toMatch(/10\.5 %|82\.0 %/);
  });

  it('are not said to the same network trained at another rate', () => {
    expect(isStudyASetup(otherRate.trace)).toBe(false);
    expect(why(otherRate.diagnosis, 'adam')).toBeDefined();
    expect(why(otherRate.diagnosis, 'adam')).not.toMatch(/study \(a\)'s deepest net/);
    expect(why(otherRate.diagnosis, 'layerRates') ?? '').not.toMatch(/study \(a\)'s deepest net/);
  });
});
