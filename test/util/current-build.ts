/**
 * vitest's globalSetup, run before any other: refuses to run the tests on a build/ that is not what its sources build.
 * The loader refuses a core whose exports differ in name or parameter count (src/wasm/loader.ts), but a kernel
 * changed at the same arity loads from a stale build/ without a word (review45 #7), and every test over the WASM
 * backends would then pass or fail on the old code. The check is the build's own (scripts/build-once.mjs): the hash
 * of assembly/ and asconfig.json, asc's version, the command and the outputs' sizes, against what the last build of
 * each of the core's steps recorded in build/fingerprints.json; it builds nothing, so `npm test`, whose build runs
 * first, finds nothing to refuse. The tests only: a published package ships its binaries without that record.
 * dist/ is left to test/cli/bin-matches-src.test.ts: the suites load src/ itself.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The checkout whose build the run checks. */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** What the refusal tells to do. */
export const REBUILD = 'rebuild: node scripts/build.mjs';

/**
 * The one line that refuses the checkout at `root`'s build/, or undefined when each of the WASM core's steps is as
 * its last build left it from the current sources. Reads `root`'s own build scripts, whose plan names its paths.
 */
export async function staleBuildRefusal(root: string): Promise<string | undefined> {
  const script = (name: string) => pathToFileURL(join(root, 'scripts', name)).href;
  const { staleSteps } = (await import(script('build-once.mjs'))) as { staleSteps: (options: { root: string; steps: unknown[] }) => { name: string; why: string }[] };
  const { CORE_STEPS } = (await import(script('build-plan.mjs'))) as { CORE_STEPS: unknown[] };
  const stale = staleSteps({ root, steps: CORE_STEPS });
  if (stale.length === 0) return undefined;
  const more = stale.length - 1;
  const others = more === 0 ? '' : `; and ${more} more step${more === 1 ? '' : 's'}`;
  return `gradscope: the tests will not run on this build/ (${stale[0].name}: ${stale[0].why}${others}); ${REBUILD}`;
}

/** Prints the refusal and ends the run before any test starts: a thrown error would bury the line under vitest's stack trace. */
export default async function setup(): Promise<void> {
  const refusal = await staleBuildRefusal(ROOT);
  if (refusal === undefined) return;
  process.stderr.write(`${refusal}\n`);
  process.exit(1);
}
