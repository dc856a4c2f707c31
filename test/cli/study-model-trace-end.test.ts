/**
 * study --model --every N traces its run's end (trace51's leftover, note51 left alone 7): the grid of every N-th step from
 * the call's first misses the last step unless it lands there, and the last table said "At the last full batch's traced step"
 * of a step short of the run's end. The run's last step and its last full batch's are traced besides (callEndSteps, as study
 * (b) does); where --on-non-finite skip moved the end off them, it is said.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { Trace, type TraceJSON } from '../../src/flow/trace.js';
import { callEndSteps } from '../../src/training/call-end-steps.js';
import { runCliInProcess } from '../util/cli.js';
import { flat, printedTable } from '../util/printed-text.js';
import { writeStudyModelFiles } from '../util/study-model-files.js';
import { codeQuoteOn } from '../util/page-quotes.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-trace-end-'));

/** The trace `study --model … --json` prints (exit 0 asserted). */
async function tracePrinted(args: string[]): Promise<Trace> {
  const run = await runCliInProcess([...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return Trace.fromJSON((JSON.parse(run.stdout) as { trace: TraceJSON }).trace);
}

describe('callEndSteps: where a train() call ends', () => {
  it('is the last step, and the one before where each epoch ends in a short batch of its own', () => {
    // 30 rows in batches of 8: 8, 8, 8, 6 each epoch.
    expect(callEndSteps(0, 3, 30, 8)).toEqual({ last: 12, lastFull: 11 });
    // --drop-last leaves the 6 out: 3 full batches an epoch.
    expect(callEndSteps(0, 3, 30, 8, true)).toEqual({ last: 9, lastFull: 9 });
    // Every batch full, or one batch of every row (a batch larger than the rows is capped at them).
    expect(callEndSteps(0, 3, 30, 10)).toEqual({ last: 9, lastFull: 9 });
    expect(callEndSteps(0, 3, 30, 64)).toEqual({ last: 3, lastFull: 3 });
    // From a network's step (train() called again goes on from it).
    expect(callEndSteps(7, 3, 30, 8)).toEqual({ last: 19, lastFull: 18 });
    expect(callEndSteps(7, 0, 30, 8)).toBeNull();
  });
});

describe('study --model --every N: the trace ends where the run ends', async () => {
  const { net, modelPath, dataPath } = await writeStudyModelFiles(folder, 53);
  net.dispose();
  // 30 rows in batches of 8 (8, 8, 8, 6), 3 epochs: 12 steps, the last full batch's step 11; every 4th is 1, 5, 9.
  const args = ['study', '--model', modelPath, '--data', dataPath, '--epochs', '3', '--batch-size', '8', '--every', '4'];

  it('traces the last step and the last full batch\'s beside the grid, and its last table is of the last full batch (step 11, not 9)', async () => {
    const trace = await tracePrinted(args);
    expect(Array.from(trace.steps)).toEqual([1, 5, 9, 11, 12]);
    expect(trace.every).toBe(4);
    const printed = await runCliInProcess(args);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toMatch(/^\[6,8,8,8,2\] on 30 rows, 3 epochs, 5 traced steps\.\n/);
    expect(printedTable(printed.stdout, "At the last full batch's traced step (step 11):").rows).toHaveLength(trace.layers);
    // Tracing changes no step: the end's records are those of a run traced at every step, the same seed and rows.
    const everyStep = await tracePrinted(args.filter((_, i) => i < args.length - 2));
    for (const step of [11, 12]) {
      const [r, s] = [Array.from(trace.steps).indexOf(step), Array.from(everyStep.steps).indexOf(step)];
      for (let l = 0; l < trace.layers; l++) expect(trace.at('biasGradNorm', r, l)).toBe(everyStep.at('biasGradNorm', s, l));
    }
  });

  it('with --drop-last the last step is a full batch\'s, and its table says "the last traced step"', async () => {
    const trace = await tracePrinted([...args.slice(0, -1), '5', '--drop-last']);
    // 3 batches of 8 an epoch: 9 steps; every 5th is 1, 6.
    expect(Array.from(trace.steps)).toEqual([1, 6, 9]);
    const printed = await runCliInProcess([...args.slice(0, -1), '5', '--drop-last']);
    expect(printedTable(printed.stdout, 'At the last traced step (step 9):').rows).toHaveLength(trace.layers);
  });

  it('says where --on-non-finite skip moved the run\'s end off the steps traced', async () => {
    // An MSE network and a target of 1e10 in row 27: with no shuffling, each epoch's last batch (rows 25–29) has a loss
    // over 10⁶ times the first batch's (a runaway) and is left out, so 3 epochs take 15 steps of the 18 planned; every 4th is 1, 5, 9, 13, and 15 is not among them.
    const mse = await createNetwork({ sizes: [6, 8, 2], activation: 'tanh', output: 'linear', loss: 'mse', seed: 3 });
    const mseModel = join(folder, 'mse.json');
    writeFileSync(mseModel, JSON.stringify(mse.toJSON()));
    mse.dispose();
    const inputs = Array.from({ length: 30 }, (_, i) => Array.from({ length: 6 }, (_, j) => Math.cos(i * 7 + j)));
    const targets = inputs.map((row, i) => (i === 27 ? [1e10, 0] : [row[0], row[1]]));
    const data = join(folder, 'outlier.json');
    writeFileSync(data, JSON.stringify({ inputs, targets }));
    const flags = ['study', '--model', mseModel, '--data', data, '--epochs', '3', '--batch-size', '5', '--no-shuffle', '--on-non-finite', 'skip', '--every', '4'];
    const trace = await tracePrinted(flags);
    expect(trace.epochs.map((e) => e.skipped)).toEqual([1, 1, 1]);
    expect(Array.from(trace.steps)).toEqual([1, 5, 9, 13]);
    const printed = await runCliInProcess(flags);
    const said = "Its last traced step is step 13, not the run's last (step 15): the batches --on-non-finite skip left out took no step, which moved the run's end off the steps traced.";
    expect(flat(printed.stdout)).toContain(` ${said} `);
    expect(said).toBe(codeQuoteOn('docs/cli.md', 'Its last traced step'));
    // With every step traced the end is traced, and nothing is said.
    expect(flat((await runCliInProcess(flags.slice(0, -2))).stdout)).not.toContain("not the run's last");
  });
});
