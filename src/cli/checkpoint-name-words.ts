/**
 * What `train --out` and `study --save` say of a checkpoint name that says another format (m.safetensors): the
 * command's words, not the API's ("saveModel writes …; writeModelFile(net, path) …" read as if the user had
 * called functions), with the `gradscope convert` line that writes that format from the checkpoint.
 */
import { extname } from 'node:path';
import { CHECKPOINT_ENCODING_WORDS, checkCheckpointName, type CheckpointNameWords } from '../io/files.js';
import { gradscopeLine } from './invocation.js';
import { shellLine } from '../shell-word.js';

/** The JSON checkpoint's name beside `path` (m.safetensors, out/ → m.json, out.json): the file `gradscope convert` reads. */
export function checkpointBeside(path: string): string {
  const base = path.replace(/[\\/]+$/, '');
  return `${base.slice(0, base.length - extname(base).length)}.json`;
}

/** `command`'s words (train, study --model): it writes the checkpoint; `gradscope convert` writes the named format from it, said as the user runs gradscope (`invoked`, Terminal.invokedAs). */
function commandWords(command: string, invoked: string | undefined): CheckpointNameWords {
  return {
    // saveModel's rule, not a list of names: .json gets JSON; any other name that says no format (m.ckpt too) gets the binary checkpoint.
    writes: `${command} writes gradscope's checkpoint (${CHECKPOINT_ENCODING_WORDS})`,
    converts: (path, named) => `\`${gradscopeLine(invoked, shellLine(['convert', checkpointBeside(path), path]))}\` writes ${named} from it`,
  };
}

/** checkCheckpointName for --out or --save of `command`, in its words (outputFileFlag's name rule); `invoked`: Terminal.invokedAs. */
export function checkCheckpointNameOf(command: string, invoked: string | undefined): (path: string) => void {
  const words = commandWords(command, invoked);
  return (path) => checkCheckpointName(path, words);
}
