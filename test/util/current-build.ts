/**
 * vitest's globalSetup, run before any other: refuses to run the tests on a build/ or a dist/ that is not what its
 * sources build. The loader refuses a core whose exports differ in name or parameter count (src/wasm/loader.ts), but a
 * kernel changed at the same arity loads from a stale build/ without a word (review45 #7), and every test over the WASM
 * backends would then pass or fail on the old code; the suites load src/ itself, but the tests of the built command and
 * the package (test/cli/bin-matches-src, invocation, fuzz; test/package) run dist/, which an edited src/ leaves stale
 * and only bin-matches-src's bytes caught. The check is the build's own (scripts/build-once.mjs), on every step of its
 * plan: the hash of each step's inputs (assembly/ and asconfig.json; src/ and the tsconfigs), its compiler's version, the
 * command and the outputs' sizes, against what the last build of that step recorded in build/fingerprints.json (contents,
 * not times: 3.4 MB read and a thousand outputs' sizes taken, 12–40 ms on a loaded 2-core Xeon); it builds nothing, so
 * `npm test`, whose build runs first, finds nothing to refuse. The tests only: a published package ships its binaries
 * without that record.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The checkout whose build the run checks. */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** What the refusal tells to do. */
export const REBUILD = 'rebuild: node scripts/build.mjs';

/**
 * The one line that refuses the checkout at `root`'s build/ or dist/ (the folder of the first stale step's outputs), or
 * undefined when each step of the build's plan is as its last build left it from the current sources. Reads `root`'s own
 * build scripts, whose plan names its paths.
 */
export async function staleBuildRefusal(root: string): Promise<string | undefined> {
  const script = (name: string) => pathToFileURL(join(root, 'scripts', name)).href;
  const { staleSteps } = (await import(script('build-once.mjs'))) as { staleSteps: (options: { root: string; steps: unknown[] }) => { name: string; why: string }[] };
  const { STEPS } = (await import(script('build-plan.mjs'))) as { STEPS: { name: string; outputs: string[] }[] };
  const stale = staleSteps({ root, steps: STEPS });
  if (stale.length === 0) return undefined;
  const more = stale.length - 1;
  const others = more === 0 ? '' : `; and ${more} more step${more === 1 ? '' : 's'}`;
  const folder = STEPS.find((step) => step.name === stale[0].name)!.outputs[0].split('/')[0];
  return `gradscope: the tests will not run on this ${folder}/ (${stale[0].name}: ${stale[0].why}${others}); ${REBUILD}`;
}

/** Prints the refusal and ends the run before any test starts: a thrown error would bury the line under vitest's stack trace. */
export default async function setup(): Promise<void> {
  const refusal = await staleBuildRefusal(ROOT);
  if (refusal === undefined) return;
  process.stderr.write(`${refusal}\n`);
  process.exit(1);
}
