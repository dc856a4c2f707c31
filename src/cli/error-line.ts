/**
 * How the command line says a GradscopeError: one line on stderr (printErr wraps it at its words on a terminal),
 * `gradscope: CODE: message`, a DIVERGED's advice naming the command's flags. main() prints it for whatever a command
 * throws; a command that still has something to show after the error (study --model: the diagnosis of the trace
 * recorded up to a DIVERGED) prints it first itself and throws SaidError.
 */
import { cutText, GradscopeError } from '../errors.js';
import { DivergedError } from '../training/advice.js';
import { adviceTerms, type Command } from './command.js';
import { UnstatedImportOptions } from '../io/import-options.js';
import { convertedPath, unstatedImportMessage } from './unstated-import-words.js';
import { OptimizerStateRefused } from '../io/optimizer-state-refused.js';
import { gradscopeLine } from './invocation.js';
import { shellLine } from '../shell-word.js';
import { unsafeEscaped } from '../unsafe-characters.js';

/**
 * The most characters of a message's words a line prints, then …: what a file holds (a header's
 * thousands of layer names) keeps the line readable. A command the message prints for the user to
 * run is never cut (a cut one would not run): only a message's words are (errorMessage). So a
 * command filled with a file's values (the unordered-layers refusal's `--layers`, every layer's
 * name) is printed whole, however long: by design, the price of a command that runs.
 */
const MESSAGE_CHARACTERS = 1000;

/** `text` on one line: its line breaks as spaces. */
function unbroken(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

/**
 * One line, whatever the message holds: unbroken, at most MESSAGE_CHARACTERS (code points), then …, and no unsafe
 * character left raw (unsafeEscaped): the last pass of every error line main() prints. A
 * GradscopeError's message had it in its constructor, but not what the command line writes itself:
 * a UsageError, a message said again in the flags' terms (messageFor), an internal error's text.
 * Line breaks become spaces first, as the message's own layout: a user's word quoted its line breaks
 * as \n before it reached the message (typedWord, shellWord).
 */
export function oneLine(text: string): string {
  const line = unbroken(text);
  return unsafeEscaped(cutText(line, MESSAGE_CHARACTERS, '…'));
}

/** `error`'s message as `command` says it: a DIVERGED's advice names the command's flags (--learning-rate), not the API's options (learningRate); a file that lacks what import flags say, the flags the command has (unstated-import-words.ts), its command lines as the user runs gradscope (`invoked`, Terminal.invokedAs). */
export function errorMessage(error: GradscopeError, command: Command | undefined, invoked: string | undefined): string {
  // The API's words name loadModel's option; a command's name the convert command that writes the network alone.
  // The refusal may quote a long name and is cut as any message; the command it gives is printed whole, to run as printed.
  // A checkpoint given as bytes or JSON (no path: no command reads one) keeps the API's words.
  if (error instanceof OptimizerStateRefused && error.path !== undefined) return `${oneLine(error.refusal)}${unsafeEscaped(unbroken(`; ${networkAloneWords(error.path, invoked)}`))}`;
  if (error instanceof UnstatedImportOptions && command) {
    // What the file lacks may quote it at any length; what to run, printed whole, runs as printed.
    const { lacks, run } = unstatedImportMessage(error, command, invoked);
    return `${oneLine(lacks)}${unsafeEscaped(unbroken(run))}`;
  }
  return oneLine(error instanceof DivergedError && command ? error.messageFor(adviceTerms(command)) : error.message);
}

/** How a command says that the checkpoint at `path`, its optimiser state refused, holds a network that reads whole: the convert command that writes it alone. */
function networkAloneWords(path: string, invoked: string | undefined): string {
  return `its network reads whole: ${gradscopeLine(invoked, shellLine(['convert', path, convertedPath(path)]))} writes it alone, without the optimiser state, for --model`;
}

/** The line main() prints for `error` thrown by `command` (through printErr: wrapped on a terminal); `invoked`: Terminal.invokedAs. */
export function errorLine(error: GradscopeError, command: Command | undefined, invoked: string | undefined): string {
  return `gradscope: ${error.code}: ${errorMessage(error, command, invoked)}`;
}

/** `error`, already printed by the command (errorLine, then what it could still show): main() exits as for it and prints nothing. */
export class SaidError extends Error {
  constructor(readonly error: GradscopeError) {
    super(error.message);
    this.name = 'SaidError';
  }
}
