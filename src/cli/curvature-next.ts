/**
 * study --model's closing lines where its diagnosis asks "minimum, saddle or slope?" (curvatureAsked): the `curvature` command
 * line that measures it where the run ended, as the user runs gradscope. diagnose()'s own sentence names the command as the
 * docs do (`gradscope curvature --model FILE`, the library knowing no invocation nor file: test/cli/printed-commands); the
 * command knows both, so it prints the line to paste: on the file --save wrote, or, where the run saved none, after
 * the same command again with a --save.
 */
import { curvatureAsked } from '../flow/diagnosis/progress-sentences.js';
import type { Diagnosis } from '../flow/diagnosis/diagnosis-types.js';
import type { Trace } from '../flow/trace.js';
import { shellLine, shellWord } from '../shell-word.js';
import { checkpointBeside } from './checkpoint-name-words.js';
import { numberFlag, stringFlag, type ParsedArgs } from './command.js';
import { gradscopeLine } from './invocation.js';
import { grouped } from '../counted.js';

/** The flags of study --model's rows that `curvature` takes too (MEASURED_ROWS_FLAGS): its training rows, where the plateau was read. */
const TRAINED_ROWS_FLAGS = ['data', 'train'];

/** The JSON checkpoint a rerun saves to, beside the model file: m.json, m.safetensors, out/ → m-trained.json. */
export const trainedFileName = (modelPath: string) => checkpointBeside(modelPath).replace(/\.json$/, '-trained.json');

/**
 * Why the line measures on every row the run trained on, though each of the command's products (in the thousands: at most 3,328 on
 * the digits' [784, 64, 64, 10], docs/curvature.md; its --help's Cost) is a pass over them all: the question is of the loss the run
 * descended, and a subset's loss is another, whose gradient is not zero where the whole one's is (a minimum of the whole would read
 * as a slope of the part).
 */
const ALL_ROWS_WHY = "each of its products, counted as it starts, is a pass over them all: fewer rows would measure another loss, whose gradient is not zero where this one's is";

/**
 * The lines study --model prints last where `diagnosis` asks for the curvature (none elsewhere): the `curvature` line on the
 * network where the run ended, `saved` (--save's file), or on the one a rerun with `--save` names; on every row the run trained on
 * (its --data, or its --train digits, the flag written out at its default too, so the line shows what it measures on), their count
 * said (TraceRun.rows) with why not fewer (ALL_ROWS_WHY). `invoked`: Terminal.invokedAs.
 */
export function curvatureNextLines(diagnosis: Diagnosis, trace: Trace, args: ParsedArgs, modelPath: string, saved: string | undefined, invoked: string | undefined): string[] {
  if (!curvatureAsked(diagnosis.evidence, trace)) return [];
  const file = saved ?? trainedFileName(modelPath);
  const given = TRAINED_ROWS_FLAGS.filter((flag) => args.flags.has(flag));
  // The digits without --train: its default, which curvature's --train shares (MEASURED_ROWS_FLAGS), written out.
  const rows = given.length ? given.flatMap((flag) => [`--${flag}`, stringFlag(args, flag)!]) : ['--train', String(numberFlag(args, 'train'))];
  const measured = trace.run.rows === undefined ? 'every row' : `all ${grouped(trace.run.rows)} rows`;
  const save = saved === undefined ? `, add --save ${shellWord(file)} to this command (it saves the network where the run ends), then` : '';
  return [
    `To measure the curvature where this run ended (a minimum, a saddle or a slope: above), on ${measured} it trained on (${ALL_ROWS_WHY})${save}:`,
    `  ${gradscopeLine(invoked, shellLine(['curvature', '--model', file, ...rows]))}`,
  ];
}
