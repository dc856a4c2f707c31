// docs/curvature.md's table of instruments names, in its API column, the functions and classes a user
// calls: each is exported by 'gradscope' or 'gradscope/node'. It once named runPlateauStudy when
// neither exported it, so a learner who read it as the API for "saddle or minimum?" found nothing to
// import; 'gradscope/node' exports it now (83a79be3), and the table names it beside the command.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as node from '../../src/node.js';

const page = readFileSync(new URL('../../docs/curvature.md', import.meta.url), 'utf8');

/** The API cells of the instruments table: the text between its header and the first line not a row. */
function apiCells(): string[] {
  const lines = page.split('\n');
  const at = lines.findIndex((line) => line.startsWith('| what | API | where |'));
  const cells: string[] = [];
  for (let i = at + 2; at >= 0 && i < lines.length && lines[i].startsWith('|'); i++) cells.push(lines[i].split(/(?<!\\)\|/)[2]);
  return cells;
}

describe("docs/curvature.md's instruments table", () => {
  it("names in its API column only what the public entry points export", () => {
    const cells = apiCells();
    expect(cells.length).toBeGreaterThan(5);
    // Bare names only: a method in parentheses after its class, a trace metric after '→', a call with arguments are not imports.
    const spans = (cell: string) => [...cell.split('→')[0].replace(/\(\s*`[^)]*\)/g, '').matchAll(/`([^`]*)`/g)].map((m) => m[1]);
    const names = cells.flatMap((cell) => spans(cell).filter((span) => /^[A-Za-z]\w*$/.test(span)));
    expect(names).toContain('measureCurvature');
    expect(names.filter((name) => !(name in node))).toEqual([]);
  });

  it("names runPlateauStudy as a call, which 'gradscope/node' exports", () => {
    // The bare-name check above passes over calls (train(…) is a method); this one is an import.
    expect(apiCells().filter((cell) => cell.includes('`runPlateauStudy('))).toHaveLength(1);
    expect(typeof node.runPlateauStudy).toBe('function');
  });
});
