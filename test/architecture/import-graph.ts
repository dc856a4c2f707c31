/**
 * The import graph of src/: every relative import (static, `export … from`, and dynamic) of every
 * .ts file, resolved to the file it names. Read from the sources, so it sees what the compiler sees.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const SRC = resolve(import.meta.dirname, '../../src');

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `import … from './x.js'` and `export … from './x.js'` (type-only when written `import type` / `export type`). */
const STATEMENT = /^\s*(?:import|export)\s+(type\s+)?[^;]*?\bfrom\s*['"](\.[^'"]+)['"]/gms;
/** `import('./x.js')` and the side-effect `import './x.js'`. */
const BARE = /(?:\bimport\s*\(\s*|^\s*import\s+)['"](\.[^'"]+)['"]/gm;

export interface ImportGraph {
  /** file (relative to src/, e.g. 'optim/sgd.ts') → every src file it imports, types included. */
  all: Map<string, string[]>;
  /** The same, without type-only imports: what runs when the module loads. */
  runtime: Map<string, string[]>;
}

export function importGraph(root = SRC): ImportGraph {
  const all = new Map<string, string[]>();
  const runtime = new Map<string, string[]>();
  for (const file of filesUnder(root)) {
    const text = readFileSync(file, 'utf8');
    const target = (spec: string) => relative(root, resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
    const statements = [...text.matchAll(STATEMENT)].map((m) => ({ to: target(m[2]), typeOnly: m[1] !== undefined }));
    const bare = [...text.matchAll(BARE)].map((m) => ({ to: target(m[1]), typeOnly: false }));
    // A module the build writes outside src/ (src/flow/report-script.ts imports build/report-script.js) is no folder of src/.
    const edges = [...statements, ...bare].filter((e) => !e.to.startsWith('..'));
    all.set(relative(root, file), [...new Set(edges.map((e) => e.to))]);
    runtime.set(relative(root, file), [...new Set(edges.filter((e) => !e.typeOnly).map((e) => e.to))]);
  }
  return { all, runtime };
}

/** The folder a src file lives in ('' for the top level). */
export function folderOf(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

/** Every import cycle (as a list of files), found by Tarjan's strongly connected components. */
export function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}
