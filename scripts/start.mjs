#!/usr/bin/env node
// `npm start [-- flags]`: builds what is not built from its current sources, then runs the
// `gradscope` command in the same process. One Node start, not three (npm run build, the build,
// the command): the check is most of what a start costs once everything is built.
import { buildOnce } from './build-once.mjs';
import { ROOT, STEPS } from './build-plan.mjs';

const built = await buildOnce({ root: ROOT, steps: STEPS });
if (built === 0) await import('../bin/gradscope.js');
else process.exitCode = built;
