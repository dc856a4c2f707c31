/**
 * The diagnosis's rate sentences under a learning-rate schedule (note54 left-alone 1): where a run's rate followed a schedule
 * (TraceRun.schedule), the rate it quotes is the schedule's start, said once in one wording (runRateText), and every remedy that
 * sets the rate says what becomes of the schedule (scheduleWithRateWords). Read on study (a)'s deepest net trained 20 epochs, and
 * its trace with a schedule beside the same rate; without one, no sentence names a schedule.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose, type Diagnosis } from '../../src/flow/diagnose.js';
import { LEFT_OUT } from '../../src/flow/remedy.js';
import { Trace } from '../../src/flow/trace.js';
import { runRateText, scheduleWithRateWords } from '../../src/flow/diagnosis/remedy-settings.js';
import { DEPTH_TRAINING_SEED } from '../../src/studies/depth.js';
import { studyARun } from '../../scripts/study-a-remedy-rows.js';

const SCHEDULE = { name: 'cosine', endFactor: 0, steps: 20, from: 0, epochSteps: 1, atStep: 0 } as const;

let plain: Diagnosis;
let scheduled: Diagnosis;
beforeAll(async () => {
  const run = await studyARun();
  const net = await createNetwork({ ...run.study.net, seed: DEPTH_TRAINING_SEED });
  try {
    net.train(run.study.x, run.study.y, { ...run.study.train, epochs: 20 });
    const json = net.trace!.toJSON();
    plain = diagnose(net.trace!);
    scheduled = diagnose(Trace.fromJSON(JSON.stringify({ ...json, run: { ...json.run, schedule: SCHEDULE } })));
  } finally {
    net.dispose();
  }
}, 120_000);

describe("the diagnosis's rate sentences under a schedule", () => {
  it('say the rate is the start of the schedule, in one wording', () => {
    expect(runRateText({}, 0.1)).toBe('0.1');
    expect(runRateText({ schedule: SCHEDULE }, 0.1)).toBe('0.1 (the start of its cosine schedule)');
  });

  it('say what each kind of rate remedy does with the schedule', () => {
    const run = { schedule: SCHEDULE };
    expect(scheduleWithRateWords(run, [{ option: 'learningRate', value: 'below 0.1', flagValue: '0.0333', direction: 'smaller' }])).toBe(" The run's cosine schedule is kept, the rate offered its new start.");
    expect(scheduleWithRateWords(run, [{ option: 'learningRate', value: LEFT_OUT, setting: undefined }])).toBe(" The run's cosine schedule goes with its rate: an optimiser that chooses its own steps takes neither.");
    expect(scheduleWithRateWords(run, [{ option: 'momentum', value: '0.9', flagValue: '0.9', setting: 0.9 }])).toBe('');
    expect(scheduleWithRateWords({}, [{ option: 'learningRate', value: 'below 0.1', flagValue: '0.0333', direction: 'smaller' }])).toBe('');
  });

  it("quote the run's rate as the schedule's start, and every remedy that sets the rate says what becomes of the schedule", () => {
    const rated = scheduled.remedies.filter((r) => r.settings.some((s) => s.option === 'learningRate'));
    expect(rated.length).toBeGreaterThan(0);
    for (const remedy of rated) expect(remedy.why, remedy.option).toMatch(/ The run's cosine schedule (is kept, the rate offered its new start|goes with its rate: an optimiser that chooses its own steps takes neither)\.$/);
    for (const remedy of scheduled.remedies.filter((r) => !rated.includes(r))) expect(remedy.why, remedy.option).not.toMatch(/schedule is kept|schedule goes/);
    // Wherever a sentence quotes the run's 0.1, it is the schedule's start.
    const whys = scheduled.remedies.map((r) => r.why).join('\n');
    expect(whys.match(/learning rate 0\.1(?! \(the start of its cosine schedule\))/g)).toBeNull();
  });

  it('name no schedule where the run had none: the same remedies, the same words', () => {
    expect(plain.remedies.map((r) => r.option)).toEqual(scheduled.remedies.map((r) => r.option));
    for (const remedy of plain.remedies) expect(remedy.why).not.toMatch(/schedule/);
  });
});
