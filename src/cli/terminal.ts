/**
 * Where the CLI's output goes. Commands write through a Terminal, never to process.stdout or
 * console directly, so main() can run in-process with its output captured (the fuzz tests do).
 */
export interface Terminal {
  /** Writes to standard output: results (tables, JSON). */
  out(text: string): void;
  /** Writes to standard error: progress and the one-line error. */
  err(text: string): void;
  /** Standard error is a terminal: progress redraws one line; otherwise it prints periodic lines. */
  live: boolean;
}

/** The process's own standard output and error. */
export function processTerminal(): Terminal {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    live: Boolean(process.stderr.isTTY),
  };
}

/** Writes `lines` to standard output, each ended by a newline. */
export function print(terminal: Terminal, ...lines: string[]): void {
  terminal.out(lines.map((line) => `${line}\n`).join(''));
}
