#!/usr/bin/env node
// Builds the WASM core and the compiled TypeScript, each only when it is not already built from
// its current sources (scripts/build-once.mjs decides): a fresh clone spends about a minute of CPU
// in asc and tsc, and npm test / demo / bench would otherwise spend it again every time.
//
//   node scripts/build.mjs           build what changed, saying what and why
//   node scripts/build.mjs --force   build everything
import { buildOnce } from './build-once.mjs';
import { ROOT, STEPS } from './build-plan.mjs';

process.exitCode = await buildOnce({ root: ROOT, steps: STEPS, force: process.argv.includes('--force') });
