// --schedule (note54 left-alone 1): train()'s schedule on the command line, `NAME[,FIELD=VALUE…]`. Each form reads as the
// API's object; a bad one is refused before any work, one line naming the flag and the field; a schedule beside an optimiser
// that chooses its own steps is refused, and a remedy's switch to one leaves --schedule out, saying why; the train line a
// study prints from a trace (studyRun) carries the trace's schedule, and that line, read by train's own parser, trains a
// run whose trace records the same schedule and rate.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { parseArgs, UsageError } from '../../src/cli/command.js';
import { trainCommand } from '../../src/cli/commands/train.js';
import { studyRun } from '../../src/cli/run-command-line.js';
import { scheduleOfFlag } from '../../src/cli/schedule-flag.js';
import { flagsRefusedBeside, readTrainingFlags } from '../../src/cli/training-flags.js';
import type { LearningRateSchedule } from '../../src/learning-rate-schedule.js';
import { runCliInProcess } from '../util/cli.js';
import { codeQuoteOn } from '../util/page-quotes.js';

describe('--schedule', () => {
  it("reads each kind as the API's object, its fields by their API names", () => {
    const read: [string, object][] = [
      ['polynomial', { name: 'polynomial' }],
      ['polynomial,power=2,endFactor=0', { name: 'polynomial', power: 2, endFactor: 0 }],
      ['cosine, endFactor=0.1', { name: 'cosine', endFactor: 0.1 }],
      ['step,every=10,factor=0.5', { name: 'step', every: 10, factor: 0.5 }],
      ['polynomial,steps=100,from=40', { name: 'polynomial', steps: 100, from: 40 }],
    ];
    for (const [text, schedule] of read) expect(scheduleOfFlag(text), text).toEqual(schedule);
    expect(scheduleOfFlag(undefined)).toBeUndefined();
  });

  it('refuses a bad value with one line naming the flag and the field, before any work', async () => {
    const bad: [string, string][] = [
      ['poly', "--schedule starts with its kind, polynomial, cosine or step, got 'poly'; did you mean 'polynomial'?"],
      ['polynomial,2', "--schedule takes its kind, then FIELD=NUMBER settings (polynomial,power=2), got '2' in 'polynomial,2'"],
      ['cosine,power=2', "--schedule cosine has no field 'power' (its fields: endFactor, steps, from)"],
      ['cosine,endfactor=0.1', "--schedule cosine has no field 'endfactor' (its fields: endFactor, steps, from); did you mean 'endFactor'?"],
      ['polynomial,power=2,power=3', "--schedule power: given twice, in 'polynomial,power=2,power=3'"],
      ['polynomial,power=0x10', "--schedule power: needs a decimal number, got '0x10'"],
      ['polynomial,power=-1', '--schedule power: expected a finite number > 0, got -1'],
      ['cosine,endFactor=2', '--schedule endFactor: expected a finite number ≥ 0 and ≤ 1, got 2'],
      ['step,every=2', '--schedule factor: expected a finite number > 0 and ≤ 1, got none: a step schedule needs what each drop multiplies the rate by'],
      ['step,every=1.5,factor=0.5', '--schedule every: expected a whole number of epochs ≥ 1, got 1.5'],
      ['step,every=1,factor=0.5,steps=0', '--schedule steps: expected a whole number of steps ≥ 1, got 0'],
    ];
    for (const [text, message] of bad) expect(() => scheduleOfFlag(text), text).toThrow(new UsageError(message));
    const run = await runCliInProcess(['train', '--layers', '784,4,10', '--train', '40', '--test', '20', '--schedule', 'cosine,power=2']);
    expect([run.code, run.stdout, run.stderr]).toEqual([2, '', `gradscope: ${codeQuoteOn('docs/cli.md', '--schedule cosine has no field')}\n`]);
  });

  it('is refused beside an optimiser that chooses its own steps, and a switch to one leaves it out', async () => {
    const run = await runCliInProcess(['train', '--layers', '784,4,10', '--train', '40', '--test', '20', '--optimizer', 'hessian-free', '--schedule', 'cosine']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^gradscope: --schedule: 'hessian-free' chooses its own steps and takes no learning rate, so there is none to schedule; leave the schedule out, or choose an optimiser that takes one\n$/);
    expect(flagsRefusedBeside('hessian-free', new Map([['schedule', 'cosine']]))).toEqual([
      { flag: 'schedule', why: '--schedule cosine left out: hessian-free chooses its own steps, and a schedule changes a learning rate' },
    ]);
    expect(flagsRefusedBeside('adam', new Map([['schedule', 'cosine']]))).toEqual([]);
  });

  it('train says the rate it starts at and the schedule', async () => {
    const run = await runCliInProcess(['train', '--layers', '784,4,10', '--train', '40', '--test', '20', '--epochs', '1', '--schedule', 'cosine,endFactor=0.25']);
    expect(run.code, run.stderr).toBe(0);
    // The lines are wrapped at the terminal's width: read as one text.
    expect(run.stdout.replace(/\n/g, ' ')).toContain(codeQuoteOn('docs/cli.md', "sgd, learning rate 0.1 (sgd's default) at the start of a cosine schedule"));
  });
});

describe("a study's train line from a trace with a schedule", () => {
  const X = Array.from({ length: 10 }, (_, r) => [Math.sin(r), Math.cos(3 * r), (r % 3) / 3]);
  const Y = X.map((row) => (row[0] + row[1] > 0 ? [1, 0] : [0, 1]));
  const make = () => createNetwork({ sizes: [3, 4, 2], activation: 'tanh', output: 'softmax', init: 'glorot-uniform', biasInit: 'zero', seed: 3 });
  const EPOCHS = 2;
  const SCHEDULES: LearningRateSchedule[] = [
    { name: 'polynomial' },
    { name: 'polynomial', power: 1.5, endFactor: 0.1, steps: 11, from: 2 },
    { name: 'cosine', endFactor: 0.25 },
    { name: 'step', every: 1, factor: 0.5 },
  ];

  it.each(SCHEDULES)('reruns the same schedule and rate: the line, read by train, trains a run whose trace records them (%o)', async (schedule) => {
    const net = await make();
    const { trace } = net.train(X, Y, { epochs: EPOCHS, batchSize: 4, learningRate: 0.2, schedule, trace: { every: 1 } });
    net.dispose();
    const line = studyRun(trace!, { epochs: EPOCHS, seed: 3, rows: { train: '10' }, name: 'run.json' }, undefined).train;
    if (!('flags' in line)) throw new Error(line.cannot);
    const words = [...line.flags].flatMap(([flag, value]) => (value === true ? [`--${flag}`] : [`--${flag}`, value]));
    const settings = readTrainingFlags(parseArgs(trainCommand, words));
    const again = await make();
    const rerun = again.train(X, Y, { epochs: settings.epochs, batchSize: settings.batchSize, learningRate: settings.learningRate, schedule: settings.schedule, trace: { every: 1 } });
    again.dispose();
    expect(rerun.trace!.run.schedule).toEqual(trace!.run.schedule);
    expect(rerun.trace!.run.learningRate).toBe(trace!.run.learningRate);
  });

  it('says only what differs from the defaults, and the length where the rerun would span another', async () => {
    const lines: string[] = [];
    for (const schedule of SCHEDULES) {
      const net = await make();
      const { trace } = net.train(X, Y, { epochs: EPOCHS, batchSize: 4, learningRate: 0.2, schedule, trace: { every: 1 } });
      net.dispose();
      const line = studyRun(trace!, { epochs: EPOCHS, seed: 3, rows: { train: '10' }, name: 'run.json' }, undefined).train;
      lines.push('flags' in line ? String(line.flags.get('schedule')) : line.cannot);
    }
    expect(lines).toEqual(['polynomial', 'polynomial,power=1.5,endFactor=0.1,steps=11,from=2', 'cosine,endFactor=0.25', 'step,every=1,factor=0.5']);
  });
});
