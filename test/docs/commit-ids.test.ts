// Every commit id the docs, the sources, the scripts and the tests name (a measurement's "commit
// <id>", a change's "(<id>)") must be a commit of this branch's history: one a fresh clone of
// main has. A helper's commit is rebased before it lands and gets a new id, so an id written down
// before the rebase names nothing on main (CURVATURE_COST_RUN.commit named such an id for a session;
// it still resolved in the worktrees' shared object store, so `git cat-file -e` alone would not have
// caught it). Needs the repository's history, not the network: skipped, saying why, in a tarball or a
// shallow clone.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { git, historyMissing, ROOT } from '../util/git-history.js';

/**
 * A commit id as the project writes them: 7 to 10 lowercase hex digits (git's short ids; the 16-digit
 * hashes and 12-digit markers in tests are not ids), at least one of them a letter and one a digit (so
 * no decimal number and no word), not inside a longer word or number (float32's smallest normal, written out, holds 8 such digits before its
 * exponent).
 */
const COMMIT_ID = /(?<![\w.+-])[0-9a-f]{7,10}(?![\w.])/g;
const isId = (token: string) => /[a-f]/.test(token) && /\d/.test(token);

/** The tracked files that can name a commit: docs, the sources of every layer, scripts, benches, tests. */
function namingFiles(): string[] {
  return git(['ls-files', 'README.md', 'CONTRIBUTING.md', 'docs', 'src', 'assembly', 'scripts', 'bench', 'test'])
    .split('\n')
    .filter((file) => /\.(md|ts|mjs|js)$/.test(file));
}

const missing = historyMissing();

describe('commit ids named in the repository', () => {
  it.skipIf(missing !== undefined)(`each is a commit of HEAD's history${missing ? ` (skipped: ${missing})` : ''}`, () => {
    const named = new Map<string, Set<string>>();
    for (const file of namingFiles()) {
      for (const [token] of readFileSync(`${ROOT}${file}`, 'utf8').matchAll(COMMIT_ID)) {
        if (isId(token)) named.set(token, (named.get(token) ?? new Set()).add(file));
      }
    }
    // Guard against a pattern that finds nothing (the test would then pass on any tree).
    expect(named.size).toBeGreaterThan(10);
    const ids = [...named.keys()];
    // One process resolves every id to a full commit id ("missing" or "ambiguous" when it cannot).
    const resolved = git(['cat-file', '--batch-check=%(objectname) %(objecttype)'], ids.map((id) => `${id}^{commit}`).join('\n') + '\n').trim().split('\n');
    const history = new Set(git(['rev-list', 'HEAD']).trim().split('\n'));
    const outside = ids.filter((_, i) => {
      const [full, type] = resolved[i].split(' ');
      return type !== 'commit' || !history.has(full);
    });
    expect(outside.map((id) => `${id} (${[...named.get(id)!].join(', ')})`)).toEqual([]);
  });
});
