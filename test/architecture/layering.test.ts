/**
 * src/ has one direction: each folder imports only folders below it. The engine (network/), the
 * optimisers (optim/) and the gradient-flow trace (flow/) share one rank, so none of them imports
 * another; they meet in the Model contract (src/model.ts) below them, and the training loop
 * (training/) above them. Before this rule those three folders formed one import cycle of 21 files.
 * Type-only imports count for the direction (a type is a dependency too) but not for cycles: a
 * residual block and the stack it holds refer to each other's types, which erases at run time.
 */
import { describe, expect, it } from 'vitest';
import { cycles, folderOf, importGraph } from './import-graph.js';

/** Rank of each folder of src/ ('' = the top-level modules other than the entry points). */
const RANK: Record<string, number> = {
  '': 0, // errors.ts, kernels.ts, model.ts, backend.ts
  init: 0,
  data: 0,
  ref: 0,
  wasm: 0,
  layers: 1,
  network: 2,
  optim: 2,
  flow: 2,
  training: 3,
  api: 4,
  io: 5,
  curvature: 5,
  studies: 6,
  cli: 7,
};
/** The package's entry points sit above everything. */
const ENTRIES = new Set(['index.ts', 'node.ts']);

/** Imports that do not go downwards (the foundation may import itself). */
function violations(graph: Map<string, string[]>): string[] {
  const wrong: string[] = [];
  for (const [file, targets] of graph) {
    if (ENTRIES.has(file)) continue;
    const from = folderOf(file);
    for (const target of targets) {
      const to = folderOf(target);
      if (ENTRIES.has(target)) wrong.push(`${file} imports the entry point ${target}`);
      else if (to !== from && !(RANK[to] < RANK[from] || (RANK[to] === 0 && RANK[from] === 0))) wrong.push(`${file} → ${target}`);
    }
  }
  return wrong;
}

const { all: graph, runtime } = importGraph();

describe('import layering of src/', () => {
  it('has no import cycle among the modules as they load (type-only imports of a recursive type excepted)', () => {
    expect(cycles(runtime)).toEqual([]);
  });

  it('places every folder in the layering', () => {
    const folders = new Set([...graph.keys()].map(folderOf));
    expect([...folders].filter((f) => !(f in RANK)), 'add new folders of src/ to RANK').toEqual([]);
  });

  it('imports only downwards: no folder imports a folder of its own rank or above', () => {
    expect(violations(graph)).toEqual([]);
  });

  it('catches a cycle, a sideways import between network/, optim/ and flow/, and an upward one', () => {
    const bad = new Map([
      ['optim/sgd.ts', ['network/engine.ts', 'model.ts']],
      ['network/engine.ts', ['training/train.ts']],
      ['training/train.ts', ['optim/sgd.ts']],
      ['model.ts', []],
    ]);
    expect(cycles(bad)).toEqual([['network/engine.ts', 'optim/sgd.ts', 'training/train.ts']]);
    expect(violations(bad)).toEqual(['optim/sgd.ts → network/engine.ts', 'network/engine.ts → training/train.ts']);
  });
});
