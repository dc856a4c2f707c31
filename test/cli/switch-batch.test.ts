/**
 * A remedy's line that switches the optimiser trains at the run's batch (review49b #2): without --batch-size, gradscope train and
 * study --model give Hessian-free its own 1,000 rows a step (readTrainingFlags), and a line switching that run to Adam, LARS or
 * K-FAC wrote none, so it trained at 32 without saying so. Each switch is read both ways, from runs with and without --batch-size,
 * by the line that reruns the run (study --model) and by the train line that makes its network, each parsed and read by the
 * command's own readers; the switch the other way, to Hessian-free, carries its batch in the remedy itself (optimizerSwitch).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { parseArgs } from '../../src/cli/command.js';
import { studyModelCommand } from '../../src/cli/commands/study-model.js';
import { trainCommand } from '../../src/cli/commands/train.js';
import { remedyTerms } from '../../src/cli/remedy-terms.js';
import { studyModelRun } from '../../src/cli/run-command-line.js';
import { readTrainingFlags } from '../../src/cli/training-flags.js';
import { optimizerSwitch } from '../../src/flow/diagnosis/remedy-settings.js';
import type { RemedyCommandLine, RemedySetting } from '../../src/flow/remedy.js';
import type { Trace } from '../../src/flow/trace.js';
import { HESSIAN_FREE_BATCH } from '../../src/optimizer-defaults.js';
import { DEFAULT_BATCH_SIZE } from '../../src/training/batch-rows.js';

/** The command and flags of a printed line (its words after `gradscope`, up to its note), as the command reads them. */
function readLine(said: RemedyCommandLine): ReturnType<typeof readTrainingFlags> {
  if (!('line' in said)) throw new Error(`no line: ${said.cannot}`);
  const [, name, ...argv] = said.line.split(' ');
  return readTrainingFlags(parseArgs(name === 'study' ? studyModelCommand : trainCommand, argv));
}

describe("a remedy's switch of optimiser keeps the run's batch", () => {
  let trace: Trace;
  beforeAll(async () => {
    const net = await createNetwork({ sizes: [4, 6, 6, 3], activation: 'sigmoid', output: 'softmax', loss: 'cross-entropy', seed: 2, backend: 'ref' });
    const x = Array.from({ length: 12 }, (_, i) => [i % 2, (i >> 1) % 2, i / 12, 1 - i / 12]);
    net.train(x, x.map((_, i) => [0, 1, 2].map((k) => (k === i % 3 ? 1 : 0))), { epochs: 1, batchSize: 4, trace: { every: 1 } });
    trace = net.trace!;
    net.dispose();
  });

  /** Each path a remedy's line takes for a study --model run of `flags`: its rerun, and (without one) the train line. */
  function linesOf(flags: string[], settings: readonly RemedySetting[]) {
    const args = parseArgs(studyModelCommand, ['--model', 'm.json', '--data', 'd.json', '--epochs', '3', ...flags]);
    const run = studyModelRun(studyModelCommand, args, trace, 'm.json', undefined);
    const rerun = remedyTerms(run, undefined).commandLine!(settings);
    const train = remedyTerms({ train: run.train }, undefined).commandLine!(settings);
    return { given: readTrainingFlags(args), said: [rerun, train] };
  }

  it("writes Hessian-free's own batch, the run's, into a switch to Adam, LARS, K-FAC or SGD from a run without --batch-size, saying so", () => {
    for (const name of ['adam', 'lars', 'kfac', 'sgd']) {
      const { given, said } = linesOf(['--optimizer', 'hessian-free'], optimizerSwitch({ optimizer: 'hessian-free', batchSize: 12, rows: 12 }, name));
      expect(given.batchSize).toBe(HESSIAN_FREE_BATCH);
      for (const line of said) {
        expect(line, name).toMatchObject({ line: expect.stringContaining(`--batch-size ${HESSIAN_FREE_BATCH}`) });
        expect([readLine(line).choice.name, readLine(line).batchSize], name).toEqual([name, HESSIAN_FREE_BATCH]);
        expect((line as { note?: string }).note, name).toBe(
          `--batch-size ${HESSIAN_FREE_BATCH} written: hessian-free's own where none is given, so the line trains as the run did (each capped at the rows where they are fewer); without it ${name} would take ${DEFAULT_BATCH_SIZE}`,
        );
      }
    }
  });

  it('keeps a --batch-size the run gave as it was, and writes nothing where the run took the default', () => {
    for (const [flags, from] of [[['--optimizer', 'hessian-free', '--batch-size', '64'], 'hessian-free'], [[], 'sgd'], [['--batch-size', '8'], 'sgd']] as const) {
      for (const name of ['adam', 'lars', 'kfac'].filter((n) => n !== from)) {
        const { given, said } = linesOf([...flags], optimizerSwitch({ optimizer: from, batchSize: 12, rows: 12 }, name));
        for (const line of said) {
          expect(readLine(line).batchSize, `${flags.join(' ')} → ${name}`).toBe(given.batchSize);
          expect((line as { note?: string }).note, `${flags.join(' ')} → ${name}`).toBeUndefined();
        }
      }
    }
  });

  it("carries Hessian-free's batch into a switch to it in the remedy itself, from a run with or without --batch-size", () => {
    for (const flags of [[], ['--batch-size', '64']]) {
      const batchSize = flags.length ? 64 : DEFAULT_BATCH_SIZE;
      const { said } = linesOf(flags, optimizerSwitch({ optimizer: 'sgd', learningRate: 0.1, batchSize, rows: 2000 }, 'hessian-free'));
      for (const line of said) {
        expect([readLine(line).choice.name, readLine(line).batchSize, readLine(line).batchOf], flags.join(' ')).toEqual(['hessian-free', HESSIAN_FREE_BATCH, undefined]);
        expect((line as { note?: string }).note).toBeUndefined();
      }
    }
    // A run whose batches already held that many: its own batch, kept.
    const { said } = linesOf(['--batch-size', '2000'], optimizerSwitch({ optimizer: 'sgd', learningRate: 0.1, batchSize: 2000, rows: 2000 }, 'hessian-free'));
    for (const line of said) expect(readLine(line).batchSize).toBe(2000);
  });
});
