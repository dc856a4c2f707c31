/**
 * study --model answers "did the gradient fade over training time?" from the gradient of the mean loss over fixed training rows
 * at the run's two ends (diagnose()'s meanLossGradient), not from its batches alone, whose ‖∂C/∂b‖ on a plateau is mostly
 * sampling noise: before, its diagnosis ended with a pointer to two more commands (`net.gradients(x, y)` at two steps, or
 * `gradscope gradients --model FILE` of two saved models; newuser46 #2). The rows are those whose loss the run evaluates after each
 * epoch beside held-out rows (trainingCheckRows), checked here against net.gradients of the model before and the one it saves after.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../src/flow/diagnose.js';
import { networkFromModel } from '../../src/io/model-data.js';
import { readModelFile } from '../../src/io/model-formats.js';
import { Rng } from '../../src/init/rng.js';
import { numberText } from '../../src/number-text.js';
import { trainingCheckRows } from '../../src/training/training-check-rows.js';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';
import { writeStudyModelFiles } from '../util/study-model-files.js';

describe('study --model: over training time from the mean loss over fixed rows', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'gradscope-mean-loss-'));
  const { net, inputs, targets, modelPath, dataPath } = await writeStudyModelFiles(folder, 52);
  const rng = new Rng(7);
  const held = Array.from({ length: 10 }, () => Array.from({ length: 6 }, () => rng.normal()));
  const testPath = join(folder, 'test.json');
  writeFileSync(testPath, JSON.stringify({ inputs: held, targets: held.map((row) => (row[0] + row[1] > 0 ? [1, 0] : [0, 1])) }));
  // 20 epochs at a small rate: a plateau whose batches of 4 are mostly sampling noise at the end.
  const args = ['study', '--model', modelPath, '--data', dataPath, '--test-data', testPath, '--epochs', '20', '--batch-size', '4', '--learning-rate', '0.001'];

  it("reads the last hidden layer's ‖∂C/∂b‖ of the mean loss over the 10 training rows the curve evaluates, before and after the run, and says so in place of the pointer", async () => {
    const after = join(folder, 'after.json');
    const [json, printed] = [await runCliInProcess([...args, '--json', '--save', after]), await runCliInProcess(args, 100)];
    expect(json.code, json.stderr).toBe(0);
    expect(printed.code, printed.stderr).toBe(0);
    const { diagnosis } = JSON.parse(json.stdout) as { diagnosis: Diagnosis };
    // The same rows the run evaluates beside its 10 held-out ones: 0, 3, …, 27 of the 30.
    const picked = Array.from(trainingCheckRows(30, 10));
    expect(picked).toEqual(Array.from({ length: 10 }, (_, i) => 3 * i));
    const [x, y] = [picked.map((r) => inputs[r]), picked.map((r) => targets[r])];
    const trained = await networkFromModel(await readModelFile(after));
    const lastHidden = 2;
    const [start, end] = [net.gradients(x, y).layers[lastHidden].biasNorm, trained.gradients(x, y).layers[lastHidden].biasNorm];
    trained.dispose();
    net.dispose();
    expect(diagnosis.evidence.meanLossChange?.rows).toBe(10);
    expect(diagnosis.evidence.meanLossChange!.change).toBeCloseTo(end / start, 12);
    expect(diagnosis.evidence.training?.state).toBe('plateau');
    const said = flat(printed.stdout);
    expect(said).toContain(`the last hidden layer's ‖∂C/∂b‖ of the mean loss over 10 fixed rows fell ${numberText(start / end)}× over training time (from the run's start to its end), less than the 100× this diagnosis calls fading`);
    expect(said).toContain("Its batch ‖∂C/∂b‖ (a batch of 4 rows, what the steps use) fell");
    expect(said).not.toContain('gradscope gradients --model FILE` of two saved models');
  }, 120_000);

  it('--epochs 0 takes no step: no end to measure, so the over-time answer is not read from it', async () => {
    const run = await runCliInProcess([...args.slice(0, 7), '--epochs', '0', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { diagnosis: Diagnosis }).diagnosis.evidence.meanLossChange).toBeUndefined();
  }, 120_000);
});
