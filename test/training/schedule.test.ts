// TrainOptions.schedule (researcher53 F6, lecturer53 #6): one train() call whose rate changes step by step. A scheduled call
// equals per-step calls at learningRate × the factor, bit for bit, on both backends; each formula gives PyTorch's rates; bad
// schedules and one beside an optimiser that chooses its own steps are refused before anything changes; the smallest rate a
// call would use is checked up front; a run resumed from a checkpoint continues its schedule; the trace records it and reads back.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { Trace } from '../../src/flow/trace.js';
import { restoreOptimizer } from '../../src/io/checkpoint.js';
import { loadCheckpoint, saveModel } from '../../src/io/files.js';
import { createOptimizer } from '../../src/optim/index.js';
import { scheduleFactor, type CallSchedule, type LearningRateSchedule } from '../../src/learning-rate-schedule.js';
import { stateHash } from '../util/state-hash.js';
import { expectError } from '../util/expect-error.js';

const X = Array.from({ length: 9 }, (_, r) => [Math.sin(r), Math.cos(3 * r), (r % 3) / 3]);
const Y = X.map((row) => (row[0] + row[1] > 0 ? [1, 0] : [0, 1]));
const make = (backend: 'ref' | 'wasm') => createNetwork({ sizes: [3, 5, 2], activation: 'tanh', output: 'softmax', seed: 4, backend });
/** 9 rows in batches of 3, in order: 3 steps an epoch. */
const BATCH = 3;
const EPOCHS = 3;
const STEPS = 9;

/** The schedules every equality test runs, resolved as a call of 3 epochs of 3 batches resolves them. */
const SCHEDULES: [LearningRateSchedule, CallSchedule][] = [
  [{ name: 'polynomial' }, { name: 'polynomial', power: 2, endFactor: 0, steps: STEPS, from: 0, epochSteps: 3 }],
  [{ name: 'cosine', endFactor: 0.1 }, { name: 'cosine', endFactor: 0.1, steps: STEPS, from: 0, epochSteps: 3 }],
  [{ name: 'step', every: 1, factor: 0.5 }, { name: 'step', every: 1, factor: 0.5, steps: STEPS, from: 0, epochSteps: 3 }],
];

describe('train() schedule', () => {
  for (const backend of ['ref', 'wasm'] as const) {
    for (const optimizer of ['lars', 'adam', 'sgd'] as const) {
      it.each(SCHEDULES)(`${backend}, ${optimizer}: a scheduled call equals per-step calls at learningRate × factor, bit for bit (%o)`, async (schedule, resolved) => {
        const learningRate = 0.3;
        const [scheduled, stepped] = [await make(backend), await make(backend)];
        const spec = optimizer === 'sgd' ? { name: 'sgd' as const, momentum: 0.9 } : optimizer;
        const one = createOptimizer(scheduled, spec);
        const result = scheduled.train(X, Y, { epochs: EPOCHS, batchSize: BATCH, shuffle: false, learningRate, schedule, optimizer: one, trace: { every: 1 } });
        const each = createOptimizer(stepped, spec);
        const rates: number[] = [];
        for (let k = 0; k < STEPS; k++) {
          const b = k % 3;
          const rate = learningRate * scheduleFactor(resolved, k);
          rates.push(rate);
          stepped.train(X.slice(b * BATCH, (b + 1) * BATCH), Y.slice(b * BATCH, (b + 1) * BATCH), { batchSize: BATCH, shuffle: false, learningRate: rate, optimizer: each });
        }
        expect(stateHash(scheduled, one)).toBe(stateHash(stepped, each));
        // The rates did change (a schedule that did nothing would pass the equality above).
        expect(new Set(rates).size).toBeGreaterThan(2);
        // The result's rate is the one the schedule scales; the CSV's epoch rows hold the rate each epoch's last step took.
        expect(result.learningRate).toBe(learningRate);
        const csv = result.trace!.toCSV().trim().split('\n');
        const column = csv[0].split(',').indexOf('learningRate');
        const epochRates = csv.filter((line) => line.split(',')[2] === '').map((line) => Number(line.split(',')[column]));
        expect(epochRates).toEqual([rates[2], rates[5], rates[8]]);
        for (const o of [one, each]) o.dispose();
        for (const n of [scheduled, stepped]) n.dispose();
      });
    }
  }

  it("gives PyTorch's rates: PolynomialLR, CosineAnnealingLR and StepLR in closed form, and their documented examples", () => {
    const at = (schedule: CallSchedule, t: number) => scheduleFactor(schedule, t);
    // torch.optim.lr_scheduler (v2): PolynomialLR base_lr · (1 − min(total_iters, t)/total_iters)^power; CosineAnnealingLR
    // eta_min + (base_lr − eta_min)(1 + cos(π t/T_max))/2; StepLR base_lr · gamma^(t // step_size).
    const poly = { name: 'polynomial', power: 0.9, endFactor: 0, steps: 50, from: 0, epochSteps: 1 } as const;
    const cosine = { name: 'cosine', endFactor: 0.01, steps: 100, from: 0, epochSteps: 1 } as const;
    const step = { name: 'step', every: 30, factor: 0.1, steps: 1, from: 0, epochSteps: 1 } as const;
    const base = 0.05;
    for (const t of [0, 1, 7, 25, 49, 50, 60]) {
      expect(base * at(poly, t)).toBeCloseTo(base * (1 - Math.min(50, t) / 50) ** 0.9, 15);
      expect(base * at(step, t)).toBeCloseTo(base * 0.1 ** Math.floor(t / 30), 15);
    }
    for (const t of [0, 1, 25, 50, 99, 100]) expect(base * at(cosine, t)).toBeCloseTo(0.0005 + (base - 0.0005) * (1 + Math.cos((Math.PI * t) / 100)) / 2, 15);
    // PolynomialLR's documented example: lr 0.001, total_iters 4, power 1: 0.001, 0.00075, 0.0005, 0.00025, then 0.
    const linear = { ...poly, power: 1, steps: 4 };
    expect([0, 1, 2, 3, 4, 5].map((t) => 0.001 * at(linear, t))).toEqual([0.001, 0.00075, 0.0005, 0.00025, 0, 0]);
    // StepLR's: lr 0.05, step_size 30, gamma 0.1: 0.05 for epochs 0–29, 0.005 for 30–59, 0.0005 for 60–89 (here 2 steps an epoch).
    const twoSteps = { ...step, epochSteps: 2 };
    expect([0, 59, 60, 119, 120].map((t) => base * at(twoSteps, t))).toEqual([0.05, 0.05, 0.005000000000000001, 0.005000000000000001, 0.0005000000000000001]);
    // Cosine ends at eta_min and holds there (no restart past T).
    expect(base * at(cosine, 100)).toBeCloseTo(0.0005, 18);
    expect(at(cosine, 150)).toBe(at(cosine, 100));
  });

  it('refuses a bad schedule, and one beside an optimiser that chooses its own steps, before anything changes', async () => {
    const net = await make('ref');
    const before = stateHash(net);
    const bad: [unknown, RegExp][] = [
      ['polynomial', /^schedule: expected an object \{ name: 'polynomial' \| 'cosine' \| 'step', … \}, got /],
      [{ name: 'linear' }, /^schedule\.name: expected one of 'polynomial', 'cosine', 'step'|^schedule\.name: expected/],
      [{ name: 'polynomial', power: 0 }, /^schedule\.power: expected a finite number > 0, got 0/],
      [{ name: 'cosine', endFactor: 1.5 }, /^schedule\.endFactor: expected a finite number ≥ 0 and ≤ 1, got 1\.5/],
      [{ name: 'cosine', power: 2 }, /^schedule: unknown option 'power'/],
      [{ name: 'step', every: 2 }, /^schedule\.factor: expected a finite number > 0 and ≤ 1, got none: a step schedule needs what each drop multiplies the rate by$/],
      [{ name: 'step', factor: 0.5 }, /^schedule\.every: expected a whole number of epochs ≥ 1, got none$/],
      [{ name: 'step', every: 0.5, factor: 0.1 }, /^schedule\.every: expected a whole number of epochs ≥ 1, got 0\.5/],
      [{ name: 'polynomial', steps: 0 }, /^schedule\.steps: expected a whole number of steps ≥ 1, got 0/],
      [{ name: 'polynomial', from: -1 }, /^schedule\.from: expected a whole number of steps ≥ 0, got -1/],
    ];
    for (const [schedule, message] of bad) await expectError(() => net.train(X, Y, { schedule: schedule as LearningRateSchedule }), 'INVALID_OPTION', message);
    for (const optimizer of ['hessian-free'] as const) {
      await expectError(() => net.train(X, Y, { optimizer, schedule: { name: 'cosine' } }), 'INVALID_OPTION', new RegExp(`^schedule: '${optimizer}' chooses its own steps and takes no learning rate`));
    }
    // The smallest rate the call would use, checked up front: a schedule held at 0 past its steps, and a last step's rate subnormal in float32.
    await expectError(() => net.train(X, Y, { epochs: 2, schedule: { name: 'polynomial', steps: 1 } }), 'INVALID_OPTION', /^schedule: the call's last planned step would take learningRate 0\.1 × 0 = 0, which cannot step/);
    await expectError(
      () => net.train(X, Y, { epochs: 3, learningRate: 1e-30, schedule: { name: 'step', every: 1, factor: 1e-5 } }),
      'INVALID_OPTION',
      /^schedule: the call's last planned step would take learningRate 1e-30 × 1\.0000000000000002e-10 = .*subnormal/,
    );
    expect(stateHash(net)).toBe(before);
    net.dispose();
  });

  it('a run resumed from a checkpoint continues its schedule (steps and from) at the rates of a run that never stopped', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradscope-schedule-'));
    const options = { batchSize: 2, learningRate: 0.5 } as const; // 9 rows: 5 steps an epoch, shuffled by the network's RNG
    const straight = await make('wasm');
    const straightLars = createOptimizer(straight, 'lars');
    straight.train(X, Y, { ...options, epochs: 4, optimizer: straightLars, schedule: { name: 'polynomial' } });

    const first = await make('wasm');
    const lars = createOptimizer(first, 'lars');
    first.train(X, Y, { ...options, epochs: 2, optimizer: lars, schedule: { name: 'polynomial', steps: 20 } });
    const path = join(folder, 'half.json');
    await saveModel(first, path, { optimizer: lars });
    const { network: resumed, checkpoint } = await loadCheckpoint(path, { backend: 'wasm' });
    const resumedLars = createOptimizer(resumed, 'lars');
    restoreOptimizer(resumedLars, checkpoint.optimizer!);
    const trained = resumed.train(X, Y, { ...options, epochs: 2, optimizer: resumedLars, schedule: { name: 'polynomial', steps: 20, from: resumed.step }, trace: { every: 1 } });
    expect(stateHash(resumed, resumedLars)).toBe(stateHash(straight, straightLars));
    // The resumed call's trace records where in the schedule it began, and reads back the same.
    expect(trained.trace!.run.schedule).toEqual({ name: 'polynomial', power: 2, endFactor: 0, steps: 20, from: 10, epochSteps: 5, atStep: 10 });
    const read = Trace.fromJSON(JSON.stringify(trained.trace!.toJSON()));
    expect(read.run.schedule).toEqual(trained.trace!.run.schedule);
    expect(read.toCSV()).toBe(trained.trace!.toCSV());
    for (const o of [straightLars, lars, resumedLars]) o.dispose();
    for (const n of [straight, first, resumed]) n.dispose();
  });

  it('a trace without a schedule still reads; a saved schedule no run writes is refused, naming the field', async () => {
    const net = await make('ref');
    const { trace } = net.train(X, Y, { epochs: 2, schedule: { name: 'cosine' }, trace: { every: 1 } });
    const json = trace.toJSON();
    const plain = { ...json, run: { ...json.run, schedule: undefined } };
    expect(Trace.fromJSON(JSON.stringify(plain)).run.schedule).toBeUndefined();
    const bad: [object, RegExp][] = [
      [{ ...json.run.schedule, endFactor: -1 }, /run\.schedule\.endFactor: expected a finite number ≥ 0 and ≤ 1, got -1/],
      [{ ...json.run.schedule, atStep: undefined }, /run\.schedule\.atStep: expected a whole number of steps ≥ 0/],
      [{ ...json.run.schedule, epochs: 3 }, /run\.schedule: unknown option 'epochs'/],
    ];
    for (const [schedule, message] of bad) await expectError(() => Trace.fromJSON(JSON.stringify({ ...json, run: { ...json.run, schedule } })), 'INVALID_OPTION', message);
    await expectError(() => Trace.fromJSON(JSON.stringify({ ...json, run: { ...json.run, learningRate: undefined } })), 'INVALID_OPTION', /run\.schedule is given without run\.learningRate/);
    net.dispose();
  });
});
