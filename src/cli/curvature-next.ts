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
import { stringFlag, type ParsedArgs } from './command.js';
import { gradscopeLine } from './invocation.js';

/** The flags of study --model's rows that `curvature` takes too (MEASURED_ROWS_FLAGS): its training rows, where the plateau was read. */
const TRAINED_ROWS_FLAGS = ['data', 'train'];

/** The JSON checkpoint a rerun saves to, beside the model file: m.json, m.safetensors, out/ → m-trained.json. */
export const trainedFileName = (modelPath: string) => checkpointBeside(modelPath).replace(/\.json$/, '-trained.json');

/**
 * The lines study --model prints last where `diagnosis` asks for the curvature (none elsewhere): the `curvature` line on the
 * network where the run ended, `saved` (--save's file), or on the one a rerun with `--save` names; on the rows the run trained
 * on (its --data or --train). `invoked`: Terminal.invokedAs.
 */
export function curvatureNextLines(diagnosis: Diagnosis, trace: Trace, args: ParsedArgs, modelPath: string, saved: string | undefined, invoked: string | undefined): string[] {
  if (!curvatureAsked(diagnosis.evidence, trace)) return [];
  const file = saved ?? trainedFileName(modelPath);
  const rows = TRAINED_ROWS_FLAGS.filter((flag) => args.flags.has(flag)).flatMap((flag) => [`--${flag}`, stringFlag(args, flag)!]);
  const save = saved === undefined ? `, add --save ${shellWord(file)} to this command (it saves the network where the run ends), then` : '';
  return [
    `To measure the curvature where this run ended (a minimum, a saddle or a slope: above), on the rows it trained on${save}:`,
    `  ${gradscopeLine(invoked, shellLine(['curvature', '--model', file, ...rows]))}`,
  ];
}
