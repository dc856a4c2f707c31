/**
 * Where the CLI's output goes. Commands write through a Terminal, never to process.stdout or
 * console directly, so main() can run in-process with its output captured (the fuzz tests do).
 */
import { fitLine, proseWords, readingRoom, wrapTokens } from './prose.js';
import { invokedAs } from './invocation.js';

export interface Terminal {
  /** Writes to standard output: results (tables, JSON). */
  out(text: string): void;
  /** Writes to standard error: progress and the one-line error. */
  err(text: string): void;
  /** Standard error is a terminal: progress redraws one line and printErr wraps a message; otherwise progress prints periodic lines and a message is one line. */
  live: boolean;
  /**
   * The width tables fit in (formatTable wraps a wider one) and prose wraps at, in terminal columns; undefined: no limit.
   * Default (processTerminal): COLUMNS where set to a whole number ≥ 1, else the width of standard
   * output where it is a terminal, else none (a file or a pipe). main() runs every command on
   * atReadingWidth(terminal): READING_WIDTH where it is none or wider, so a command's output fits 100
   * columns in a file too (a program reads its --json; `COLUMNS=80 gradscope … > out.txt` fits it to 80).
   * --help alone is printed at this width as it stands: a file gets each usage whole, as README quotes it.
   */
  columns?: number;
  /**
   * The width progress's bar fits in (it is drawn on standard error), in characters; undefined: no limit.
   * Default (processTerminal): COLUMNS where set to a whole number ≥ 1, else the width of standard error
   * where it is a terminal: with `gradscope … > out.txt` standard output has no width, yet the bar is
   * drawn on the terminal, where a line wider than it wraps and each redraw leaves rows behind.
   */
  errColumns?: number;
  /**
   * The command the user runs gradscope by where they are, which every command line gradscope prints
   * for them to run starts with (invocation.ts' gradscopeLine): 'npx gradscope', 'node bin/gradscope.js' (the script as the user can type it) or 'gradscope'.
   * Default (processTerminal): invokedAs's rule from the process's environment and script; undefined
   * (a terminal made elsewhere, as the tests' in-process runs): 'gradscope'.
   */
  invokedAs?: string;
}

/** The process's own standard output and error. */
export function processTerminal(): Terminal {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    live: Boolean(process.stderr.isTTY),
    columns: terminalColumns(process.env.COLUMNS, process.stdout.isTTY ? process.stdout.columns : undefined),
    errColumns: terminalColumns(process.env.COLUMNS, process.stderr.isTTY ? process.stderr.columns : undefined),
    invokedAs: invokedAs(process.env, process.argv[1], process.cwd()),
  };
}

/** Terminal.columns (errColumns) from the COLUMNS variable and standard output's (error's) width where it is a terminal: COLUMNS when it is a whole number ≥ 1, else the width. */
export function terminalColumns(variable: string | undefined, ttyWidth: number | undefined): number | undefined {
  const given = variable !== undefined && /^\s*\d+\s*$/.test(variable) ? Number(variable) : 0;
  return given >= 1 ? given : ttyWidth !== undefined && ttyWidth >= 1 ? ttyWidth : undefined;
}

/**
 * Writes `line`, one message (an error, a note of what the work will take), to standard error, ended by a newline: on a
 * terminal (live, errColumns known) wrapped at its words to readingRoom's width, each line after the first indented by two,
 * a path and a command line to copy each kept whole (proseWords); in a file or a pipe on one line, as a script reading it
 * expects (`grep '^gradscope:'`). An error ran to 386 columns (a DIVERGED's advice), an unknown command's to 130.
 */
export function printErr(terminal: Terminal, line: string): void {
  // live, not errColumns, says whether stderr is a terminal: COLUMNS sets errColumns for a file too (`COLUMNS=80 gradscope … 2> err.txt`).
  const width = terminal.live ? terminal.errColumns : undefined;
  terminal.err(`${width === undefined ? line : wrapTokens(proseWords(line), readingRoom(width), '  ', '')}\n`);
}

/** Writes `lines` to standard output, each ended by a newline; prose wider than the terminal wraps at its words (fitLine), tables and command lines are printed whole. */
export function print(terminal: Terminal, ...lines: string[]): void {
  terminal.out(lines.flatMap((text) => text.split('\n')).map((line) => `${fitLine(line, terminal.columns)}\n`).join(''));
}

/**
 * `terminal` at the width a command's text is read at, in a file as on a terminal: its columns READING_WIDTH, or the
 * terminal's where narrower (readingRoom), so that print wraps its prose and formatTable fits its tables to them.
 * Written to a file (no columns) a study's tables ran 144 to 219 characters wide and a sentence 497.
 */
export function atReadingWidth(terminal: Terminal): Terminal {
  return { ...terminal, columns: readingRoom(terminal.columns) };
}
