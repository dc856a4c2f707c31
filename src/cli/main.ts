#!/usr/bin/env node
// Entry point of the `gradscope` command.
import { main } from './cli.js';

// A reader that goes away (`gradscope … | head`) ends the output quietly, not with an EPIPE stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') process.stderr.write(`gradscope: IO_ERROR: standard output: cannot write (${error.code ?? error.message})\n`);
  process.exit(error.code === 'EPIPE' ? 0 : 1);
});
process.exitCode = await main(process.argv.slice(2));
