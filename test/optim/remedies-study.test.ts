// The remedies study on a tiny budget: it measures every field for a contender that runs, and
// refuses one that cannot train its network before any work, saying why.
import { describe, expect, it } from 'vitest';
import { GradscopeError } from '../../src/errors.js';
import { equalisingLayerRates } from '../../src/optim/layer-rates.js';
import { chosenContenders, REMEDIES_LOSS, REMEDIES_SIZES, runRemediesStudy, type RemediesRun } from '../../src/studies/remedies.js';
import { optimizerChoices } from '../../src/studies/optimizer-choices.js';
import { createOptimizer } from '../../src/optim/index.js';
import { createNetwork } from '../../src/api/network.js';
import { remediesReading, remediesRows } from '../../src/cli/commands/study-remedies.js';
import { loadStudyDigits } from '../../src/studies/study-digits.js';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';

/** Test digits of each class, alike: chance 1/10, as before chance was read from the rows. */
const EVEN_DIGITS = Array<number>(10).fill(100);

describe('study remedies', () => {
  it('measures movement, loss, accuracy and time per step', async () => {
    const result = await runRemediesStudy({ seconds: 0.2, trainRows: 300, testRows: 100, optimizers: ['adam'] });
    const [adam] = result.runs;
    expect(adam.steps).toBeGreaterThan(0);
    expect(adam.firstLayerMovement).toBeGreaterThan(0);
    expect(adam.movementRatio).toBeCloseTo(adam.lastLayerMovement! / adam.firstLayerMovement!, 12);
    expect(adam.trainLoss).toBeLessThan(adam.initialLoss!);
    expect(adam.testAccuracy).toBeGreaterThanOrEqual(0);
    // Its budget is CPU time, which load shrinks less than the wall clock but still shrinks: a wall-clock one gave AdamW
    // 1,479 steps at load 8–15, the CPU one 16,851 at load 12, against 32,730 quiet.
    expect(result.clock).toBe('CPU time of this process');
    // The test digits of each class, which chance is read from (remediesReading).
    expect(result.testClassRows).toHaveLength(10);
    expect(result.testClassRows.reduce((a, b) => a + b)).toBe(100);
  });

  // Its CPU budget bought as many steps as the load allowed, so no run replayed (newuser50 #3): a budget of steps does.
  it('replays by steps: two runs of the same seed and steps take those steps and end with the same numbers, and say the budget was steps', async () => {
    const options = { steps: 25, trainRows: 300, testRows: 100, optimizers: ['sgd', 'adam'], seed: 2 };
    const [a, b] = [await runRemediesStudy(options), await runRemediesStudy(options)];
    expect([a.budget, b.budget]).toEqual([{ steps: 25 }, { steps: 25 }]);
    const numbers = (runs: RemediesRun[]) => runs.map((r) => [r.steps, r.firstLayerMovement, r.lastLayerMovement, r.trainLoss, r.testAccuracy]);
    expect(a.runs.map((r) => r.steps)).toEqual([25, 25]);
    expect(numbers(b.runs)).toEqual(numbers(a.runs));
    // 25 steps of batch 32 cross an epoch of 300 rows (10 batches): the steps stop within the third epoch, not at an epoch's end.
    for (const run of a.runs) expect(run.trainLoss).not.toBe(run.initialLoss);
    // Another seed ends elsewhere: the numbers are the seed's.
    expect(numbers((await runRemediesStudy({ ...options, seed: 3 })).runs)).not.toEqual(numbers(a.runs));
    // Both budgets at once are refused before any work, in the library as on the command line.
    await expect(runRemediesStudy({ ...options, seconds: 1 })).rejects.toThrow(/^seconds, steps: both are given; a study trains each optimiser for CPU seconds or for steps, not both: give one$/);
    const printed = await runCliInProcess(['study', 'remedies', '--steps', '3', '--train', '40', '--test', '10', '--optimizers', 'sgd']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(flat(printed.stdout)).toContain('3 steps of training per optimiser (the same steps under any load: a run of the same seed replays).');
    expect(flat(printed.stdout)).toMatch(/ sgd +3 +[\d.]+ ms /);
    const both = await runCliInProcess(['study', 'remedies', '--steps', '3', '--seconds', '1']);
    expect([both.code, both.stderr]).toEqual([2, 'gradscope: --seconds and --steps are both given: a study trains each optimiser for CPU seconds or for steps, not both; give one (--steps replays)\n']);
  });

  // It said 'other jobs do not shrink it', which its own figures contradict (AdamW 16,851 steps at load 12, 32,730 quiet).
  it("says of its CPU budget that load shrinks the work less than on the wall clock, not that it does not", async () => {
    const run = await runCliInProcess(['study', 'remedies', '--seconds', '0.05', '--train', '40', '--test', '10', '--optimizers', 'sgd']);
    expect(run.code, run.stderr).toBe(0);
    expect(flat(run.stdout)).toContain('0.05 s of training per optimiser (CPU time of this process: load shrinks the work less than on the wall clock, but still shrinks it).');
  });

  // It printed its table and settings and no reading of them: which optimisers left chance was the README's paragraph
  // under its copy of 2026-11-29, which another load or budget does not reproduce (newuser40).
  it('says under its table what last/first means, and which optimisers ended at chance, above it and below it, by the diagnosis\'s rule', () => {
    const run = (label: string, testAccuracy: number): RemediesRun => ({ label, settings: '', testAccuracy });
    const runs = [run('sgd', 0.105), run('adam', 0.853), run('lars', 0.151), run('kfac', 0.049), run('rmsprop', 0.15), { label: 'lm', settings: '', skipped: 'needs mse' }];
    const [key, chance] = remediesReading(runs, EVEN_DIGITS);
    expect(key).toMatch(/^last\/first: how many times further the last hidden layer moved than the first; where it is large, the first hidden layer barely moved/);
    // Within 5 points of 10 %, the bounds counted in (atChance): 0.15 is at chance, 0.151 and 0.049 are not; a skipped run is in neither.
    expect(chance).toBe('At chance, test accuracy no better than a guess among 10 classes (10 % right), within 5 points either way: sgd, rmsprop; above it: adam, lars; below it: kfac.');
    expect(remediesReading([run('adam', 0.9)], EVEN_DIGITS)[1]).toMatch(/: none; above it: adam\.$/);
    // Chance is read from the test digits' classes (flow/chance.ts): 1,000 digits, the most frequent class 12.6 %, the least 8.5 %,
    // put 0.151 (within 5 points of the best guess) at chance and 0.049 (above 3.5 %) at chance too.
    const digits = [85, 126, 116, 107, 110, 87, 87, 99, 89, 94];
    expect(remediesReading(runs, digits)[1]).toBe(
      'At chance, test accuracy no better than a guess that ignores the input (one class for every row: 9 % to 13 % of the rows right, 13 % always the most frequent), within 5 points either way: sgd, lars, kfac, rmsprop; above it: adam.',
    );
  });

  it('prints that reading under its table', async () => {
    const printed = await runCliInProcess(['study', 'remedies', '--seconds', '0.05', '--train', '40', '--test', '10', '--optimizers', 'sgd']);
    expect(printed.code, printed.stderr).toBe(0);
    const said = flat(printed.stdout);
    expect(said).toMatch(/ sgd +[\d,]+ .* last\/first: how many times further .* At chance, test accuracy no better than a guess that ignores the input \(one class for every row: \d+ % to \d+ % of the rows right, \d+ % always the most frequent\), within 5 points either way: .* Settings: sgd: /);
  });

  it('says the per-layer rates its layer-rates run trained with, as numbers and in its settings (it said only the rule)', async () => {
    const [run] = (await runRemediesStudy({ seconds: 0.2, trainRows: 300, testRows: 100, optimizers: ['layer-rates'] })).runs;
    // The study measures them on its first 1000 training digits (here all 300) at the initial weights of its seed-1 network.
    const digits = await loadStudyDigits(300, 100);
    const net = await createNetwork({ sizes: [...REMEDIES_SIZES], activation: 'sigmoid', loss: REMEDIES_LOSS, init: 'standard', seed: 1 });
    const rates = equalisingLayerRates(net, digits.train);
    net.dispose();
    expect(rates.slice(0, -2).every((rate) => rate > 1)).toBe(true);
    expect(run.layerRates).toEqual(rates);
    const shown = rates.map((rate) => Number(rate.toPrecision(3)));
    expect(run.settings).toBe(`SGD, momentum 0.9, lr 0.05, layer rates [${shown.join(', ')}] (one per weight layer, hidden layer 1 first and the output layer last: the last hidden layer's ‖∂C/∂W‖ ÷ each hidden layer's, the output layer's 1; measured on the first 300 training digits at the initial weights)`);
  });

  it('refuses Levenberg-Marquardt before any work, with its reason: the study trains cross-entropy (it ran nothing and reported "not run")', async () => {
    let ran = 0;
    const refused = runRemediesStudy({ seconds: 0.2, trainRows: 300, testRows: 100, optimizers: ['adam', 'levenberg-marquardt'], onRun: () => void ran++ });
    await expect(refused).rejects.toThrow(/^optimizers: 'levenberg-marquardt' cannot train the study's network \(cross-entropy, 32,842 parameters\): needs the quadratic cost \(loss 'mse'\), this network uses 'cross-entropy'; the study runs sgd, /);
    expect(ran).toBe(0);
  });

  it("runs by default exactly the contenders whose optimiser accepts the study's network (createOptimizer on it is the judge)", async () => {
    const net = await createNetwork({ sizes: [...REMEDIES_SIZES], activation: 'sigmoid', loss: REMEDIES_LOSS, init: 'standard', backend: 'ref' });
    const accepted = optimizerChoices().filter((choice) => {
      try {
        createOptimizer(net, choice.optimizer).dispose();
        return true;
      } catch (error) {
        if (!(error instanceof GradscopeError && error.code === 'INVALID_OPTION')) throw error;
        return false;
      }
    });
    net.dispose();
    expect(chosenContenders().map((c) => c.label)).toEqual(accepted.map((c) => c.name));
    expect(accepted.map((c) => c.name)).not.toContain('levenberg-marquardt');
  });

  it('refuses an unknown contender before training', async () => {
    await expect(runRemediesStudy({ optimizers: ['adamm'] })).rejects.toThrow(GradscopeError);
  });

  it('equalising layer rates give every hidden layer the last hidden layer’s gradient norm', async () => {
    const net = await createNetwork({ sizes: [6, 5, 5, 5, 3], activation: 'sigmoid', backend: 'ref', seed: 4 });
    const x = Array.from({ length: 8 }, (_, r) => Array.from({ length: 6 }, (_, c) => Math.sin(r + 3 * c)));
    const y = Array.from({ length: 8 }, (_, r) => [r % 3 === 0 ? 1 : 0, r % 3 === 1 ? 1 : 0, r % 3 === 2 ? 1 : 0]);
    const probe = { x: { data: Float32Array.from(x.flat()), rows: 8, cols: 6 }, y: { data: Float32Array.from(y.flat()), rows: 8, cols: 3 } };
    const rates = equalisingLayerRates(net, probe);
    const norms = net.gradients(probe.x, probe.y).layers.map((l) => l.weightNorm);
    expect(rates[3]).toBe(1);
    for (let l = 0; l < 3; l++) expect(rates[l] * norms[l]).toBeCloseTo(norms[2], 10);
    net.dispose();
    // A network of layer specs: refused, naming its kind (it returned [] rates, which sgd refused as 'got 0 rates': review43).
    const blocks = await createNetwork({ inputs: 6, layers: [{ type: 'dense', units: 5 }, { type: 'batch-norm' }, { type: 'activation', activation: 'sigmoid' }, { type: 'dense', units: 3, activation: 'softmax' }], loss: 'cross-entropy', backend: 'ref', seed: 4 });
    expect(() => equalisingLayerRates(blocks, probe)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(/^equalisingLayerRates: measures a network of dense layers .*this one is made of layer specs \(net\.kind 'blocks'\)$/) }));
    blocks.dispose();
  });
});

describe('the remedies table', () => {
  const run = { label: 'sgd', settings: 'SGD', steps: 10, secondsPerStep: 0.001, firstLayerMovement: 1e-3, lastLayerMovement: 158.4856, movementRatio: 158485.6, initialLoss: 2.3, trainLoss: 2.3, testAccuracy: 0.1 };

  it('prints the last ÷ first ratios in one format down the column (it printed 1.58e+5× in one row and 0.250× in the next)', () => {
    const rows = remediesRows([run, { ...run, label: 'adam', movementRatio: 0.25 }, { label: 'levenberg-marquardt', settings: 'LM', skipped: 'needs mse' }]);
    expect(rows.map((row) => row[5])).toEqual(['1.58e+5×', '2.50e-1×', '—']);
    // All within [0.01, 1000): fixed point, 3 significant digits, for every row.
    expect(remediesRows([{ ...run, movementRatio: 0.25 }, { ...run, movementRatio: 82.24 }]).map((row) => row[5])).toEqual(['0.250×', '82.2×']);
    expect(rows[2]).toEqual(['levenberg-marquardt', '—', '—', '—', '—', '—', 'not run (below)', '—']);
  });

  // Counts are grouped wherever gradscope prints them (400499f's rule): '1082' stood beside grouped counts.
  it('groups the steps by thousands', () => {
    expect(remediesRows([{ ...run, steps: 1082 }, { ...run, steps: 40 }]).map((row) => row[1])).toEqual(['1,082', '40']);
  });
});
