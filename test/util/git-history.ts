// The repository's history, for the tests that read it (test/docs/commit-ids, test/docs/bench-run-numbers): git run at the
// repository's root, and why the history cannot be read, so such a test is skipped saying so in a tarball or a shallow clone.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository's root, with its trailing slash. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** git's output for `args` at the repository's root (`input` on its standard input). */
export const git = (args: string[], input?: string) =>
  execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'ignore'], maxBuffer: 1 << 26 });

/** Why the history cannot be read here, or undefined when it can. */
export function historyMissing(): string | undefined {
  try {
    if (git(['rev-parse', '--is-inside-work-tree']).trim() !== 'true') return 'not a git work tree';
    return git(['rev-parse', '--is-shallow-repository']).trim() === 'true' ? 'a shallow clone lacks the older commits' : undefined;
  } catch {
    return 'no git repository (an installed package or an exported tree)';
  }
}
