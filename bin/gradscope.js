#!/usr/bin/env node
// The installed `gradscope` command: runs the compiled CLI (npm run build makes dist/). A checkout
// that has not built it yet (a fresh clone after npm install) is told how, in one line, rather than
// by Node's ERR_MODULE_NOT_FOUND and its stack trace.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(cli)) await import(cli.href);
else {
  process.stderr.write(`gradscope: ${fileURLToPath(cli)} is not built: run npm run build (npm start builds it too) in the gradscope checkout, then run gradscope again\n`);
  process.exitCode = 1;
}
