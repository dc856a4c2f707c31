/**
 * What `gradscope convert` leaves behind: a checkpoint (saveModel's, `train --out`'s) holds a training
 * section beside the model (the step and RNG state a run resumes from, the optimiser's state, the
 * rows that trained it), which no format convert writes holds, but for the rows: every format
 * records them (src/trained-on.ts), so the model read from IN carries them to OUT.
 * newuser27: `convert model.json model.json` rewrote a checkpoint as a model file with no word, and
 * `study --model` then found no record of its training rows.
 */
import { grouped } from '../counted.js';
import { invalidOption } from '../errors.js';
import { andList } from '../list-text.js';
import { removes, sameFile } from '../io/file-access.js';
import { isCheckpointFile, readCheckpoint } from '../io/files.js';
import { OptimizerStateRefused } from '../io/optimizer-state-refused.js';
import { filesWrittenBy, formatPhrase, type InteropFormat } from '../io/model-formats.js';
import type { WrittenFiles } from '../io/tfjs-folder.js';
import type { TrainedOn } from '../trained-on.js';
import { shellWord } from '../shell-word.js';

/**
 * What of the training section `input` holds every format leaves behind, in words (not the rows that
 * trained it: every format records them), or undefined where it holds none (a model file, safetensors,
 * a tfjs model). A checkpoint (isCheckpointFile: its form) whose section readCheckpoint refuses still
 * holds one, said with readCheckpoint's reason.
 */
async function trainingLeftBy(input: string): Promise<string | undefined> {
  if (!(await isCheckpointFile(input))) return undefined;
  const read = await readCheckpoint(input).then((checkpoint) => ({ checkpoint }), (error: unknown) => ({ error }));
  if ('error' in read) {
    const { error } = read;
    // Its refusal alone: what writes the network without the optimiser state is this convert, writing OUT.
    const reason = error instanceof OptimizerStateRefused ? error.refusal : error instanceof Error ? error.message : String(error);
    return `a training section readCheckpoint refuses (${reason})`;
  }
  const { checkpoint } = read;
  const parts = [`the step (${grouped(checkpoint.step)})`, 'the RNG state'];
  if (checkpoint.optimizer) parts.push(`${checkpoint.optimizer.name}'s optimiser state`);
  return `${andList(parts)}, which a run resumes from`;
}

/** What convert writes in `format`, in words. */

/**
 * The file among `files` (every file writing OUT writes or removes: OUT itself, or a tfjs folder's model.json and
 * shards) whose writing replaces `input` (sameFile: the rule every command's files are checked by) or whose removal
 * removes it (removes: a symbolic link is removed itself, not the file it points at), and which; or undefined.
 */
async function inputAmong(input: string, files: WrittenFiles): Promise<{ file: string; removed: boolean } | undefined> {
  for (const file of files.written) if (await sameFile(input, file)) return { file, removed: false };
  for (const file of files.removed) if (await removes(file, input)) return { file, removed: true };
  return undefined;
}

/**
 * Refuses (INVALID_OPTION, nothing written) an OUT whose writing writes or removes IN (OUT is IN, or a
 * tfjs folder IN is the model.json or a shard of) where IN holds a training section:
 * writing over it would lose the section for good. Else returns the note convert prints under its
 * summary line where IN holds one, saying that OUT keeps the record of the rows that trained the
 * model where IN has one (`trainedOn`, the model read from IN's), or undefined where nothing is left behind.
 */
export async function leftBehindNote(input: string, output: string, format: InteropFormat, trainedOn: TrainedOn | undefined): Promise<string | undefined> {
  const held = await trainingLeftBy(input);
  if (held === undefined) return undefined;
  const overwritten = await inputAmong(input, await filesWrittenBy(output, format));
  if (overwritten !== undefined) {
    const { file, removed } = overwritten;
    const which = file === output ? 'OUT is IN' : removed ? `OUT removes ${file}, the shard of the tfjs model it replaces, which is IN` : `OUT writes ${file}, which is IN`;
    throw invalidOption(`${shellWord(output)}: ${which}, a checkpoint: writing ${formatPhrase(format)} over it would lose what only the checkpoint holds (${held}); give OUT another name; nothing was written`);
  }
  // newuser29: 'not written: IN is a checkpoint, and … holds the model …: the step (20) and RNG state a run resumes from and
  // sgd's optimiser state stay in IN' read awkwardly; what OUT holds, then what only IN keeps.
  const kept = trainedOn !== undefined ? ' and the record of the rows that trained it' : '';
  return `${shellWord(input)} is a checkpoint: ${shellWord(output)}, ${formatPhrase(format)}, holds only the model${kept}; ${shellWord(input)} alone keeps ${held}`;
}
