/**
 * --damping: the damping λ K-FAC and Hessian-free start from (their option `damping`), which K-FAC's
 * DIVERGED of a factor it cannot factorise asks for: on the command line it names the flag, and the
 * flag mends the run it names. Refused beside an optimiser that takes none, naming the one that plays
 * its part (Levenberg-Marquardt's mu, which no flag sets).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import { runCliInProcess } from '../util/cli.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-damping-'));
const at = (name: string) => join(folder, name);

/** 30 rows of 6 normal inputs, two classes, and a [6, 8, 2] sigmoid network. */
const rng = new Rng(4);
const inputs = Array.from({ length: 30 }, () => Array.from({ length: 6 }, () => rng.normal()));
const targets = inputs.map((row) => (row[0] - row[2] > 0 ? [1, 0] : [0, 1]));
const net = await createNetwork({ sizes: [6, 8, 2], activation: 'sigmoid', loss: 'cross-entropy', seed: 3 });
const [modelPath, dataPath] = [at('model.json'), at('data.json')];
writeFileSync(modelPath, JSON.stringify(net.toJSON()));
writeFileSync(dataPath, JSON.stringify({ inputs, targets }));
const STUDY = ['study', '--model', modelPath, '--data', dataPath];

/** The run's curve with `flags`, and the loss of the same training through the API with `options`. */
async function curveAndTwin(flags: string[], options: Record<string, unknown>) {
  const run = await runCliInProcess([...STUDY, '--epochs', '2', '--batch-size', '10', '--json', ...flags]);
  expect(run.code, run.stderr).toBe(0);
  const twin = await Network.fromJSON(net.toJSON(), { seed: 1 });
  twin.train(inputs, targets, { epochs: 2, batchSize: 10, ...options });
  const end = twin.evaluate(inputs, targets);
  twin.dispose();
  return { curve: (JSON.parse(run.stdout) as { curve: { loss: number; accuracy: number }[] }).curve, end };
}

describe('--damping', () => {
  it.each([
    ['kfac', 0.5],
    ['hessian-free', 10],
  ])('is %s\'s damping option: the run is the API\'s with { damping: %s }, not its default\'s, and says so', async (optimizer, damping) => {
    const given = await curveAndTwin(['--optimizer', optimizer, '--damping', String(damping)], { optimizer: { name: optimizer, damping } });
    expect(given.curve[2]).toEqual(given.end);
    const own = await curveAndTwin(['--optimizer', optimizer], { optimizer });
    expect(own.curve[2]).not.toEqual(given.curve[2]);
    const printed = await runCliInProcess([...STUDY, '--epochs', '1', '--optimizer', optimizer, '--damping', String(damping)]);
    expect(printed.stdout).toContain(`\n${optimizer}, damping ${damping}, `);
  });

  it.each([
    ['adam', '1', 'adam takes no --damping'],
    ['sgd-momentum', '1', 'sgd takes no --damping'],
    ['kfac', '2e6', '--damping: expected a finite number > 0 and ≤ 1,000,000, got 2000000'],
  ])('--optimizer %s --damping %s: refused, naming the flag', async (optimizer, value, said) => {
    const { code, stdout, stderr } = await runCliInProcess([...STUDY, '--optimizer', optimizer, '--damping', value]);
    expect(stderr).toBe(`gradscope: --optimizer ${optimizer} --damping ${Number(value)}: ${said}\n`);
    expect([code, stdout]).toEqual([2, '']);
  });

  it("is refused beside levenberg-marquardt, whose mu plays that part and no flag sets", async () => {
    const mse = await createNetwork({ sizes: [6, 4, 2], output: 'linear', loss: 'mse', seed: 2 });
    const msePath = at('mse.json');
    writeFileSync(msePath, JSON.stringify(mse.toJSON()));
    mse.dispose();
    const { code, stderr } = await runCliInProcess(['study', '--model', msePath, '--data', dataPath, '--optimizer', 'levenberg-marquardt', '--damping', '1']);
    expect(stderr).toBe('gradscope: --optimizer levenberg-marquardt --damping 1: levenberg-marquardt takes no --damping (its mu plays that part, and no flag sets it)\n');
    expect(code).toBe(2);
  });

  it("is what K-FAC's DIVERGED of a factor it cannot factorise names on the command line, and it mends that run", async () => {
    // [2, 2, 2] relu, every weight and bias 1e12: G is singular (test/optim/kfac-factor-failure.test.ts).
    const huge = await createNetwork({ sizes: [2, 2, 2], activation: 'relu', output: 'softmax', loss: 'cross-entropy', seed: 2 });
    huge.loadState(huge.state().map((t) => ({ name: t.name, values: Array.from(t.values, () => 1e12) })));
    const [hugePath, rowsPath] = [at('huge.json'), at('rows.json')];
    writeFileSync(hugePath, JSON.stringify(huge.toJSON()));
    huge.dispose();
    writeFileSync(rowsPath, JSON.stringify({ inputs: [[0.1, 0.2], [0.3, -0.4], [1, 0], [-1, 1]], targets: [[1, 0], [0, 1], [1, 0], [0, 1]] }));
    const run = ['study', '--model', hugePath, '--data', rowsPath, '--epochs', '1', '--optimizer', 'kfac'];
    const failed = await runCliInProcess(run);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^gradscope: DIVERGED: epoch 1, batch 1 \(step 1\): kfac: output's damped factor G .* is not positive definite: .*; at K-FAC's first step .* so the learning rate is not the cause: try a larger --damping \(λ is 1\.00e-3\), or scale the inputs or start from smaller weights; the step was not applied\n/);
    // ×10, as the API's test finds enough.
    const mended = await runCliInProcess([...run, '--damping', '0.01']);
    expect(mended.code, mended.stderr).toBe(0);
  });
});
