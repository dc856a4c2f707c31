// Which GradscopeError subclasses the package exports, by one rule: those a user constructs — the
// errors train() tells apart by class when a user's optimiser throws them from step()
// (OptimizerStateFault, RateFreeRefusal) — and those a caller must tell apart from another error of
// the same code to know what to do next (OptimizerStateRefused: a checkpoint file whose optimiser
// state is refused, its network intact, which loadModel's skipOptimizer loads, beside a BAD_MODEL_FILE
// it does not help). Every other subclass only lets gradscope's printers (the CLI) say a message
// again in their terms, and callers tell it apart by its `code` (docs/api.md, Errors).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/node.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

const SRC = join(import.meta.dirname, '../../src');

/** The subclasses a user constructs, and the one a caller tells apart from another BAD_MODEL_FILE: the package exports them. */
const EXPORTED = ['OptimizerStateFault', 'OptimizerStateRefused', 'RateFreeRefusal'];

/** Every class in src that extends GradscopeError, directly or through another, by name. */
function subclassesInSource(): string[] {
  const parents = new Map<string, string>();
  for (const entry of readdirSync(SRC, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.ts')) continue;
    for (const [, name, parent] of readFileSync(join(SRC, entry), 'utf8').matchAll(/class (\w+) extends (\w+)/g)) parents.set(name, parent);
  }
  const descends = (name: string): boolean => {
    const parent = parents.get(name);
    return parent === 'GradscopeError' || (parent !== undefined && descends(parent));
  };
  return [...parents.keys()].filter(descends).sort();
}

describe('the GradscopeError subclasses the package exports', () => {
  it('are exactly the ones a user constructs or tells apart by class; every other subclass in src stays internal', () => {
    const exported = Object.entries(api)
      .filter(([, value]) => typeof value === 'function' && value.prototype instanceof api.GradscopeError)
      .map(([name]) => name)
      .sort();
    expect(exported).toEqual(EXPORTED);
    const all = subclassesInSource();
    expect(all).toEqual(expect.arrayContaining(EXPORTED));
    // The internal ones: the CLI's re-sayable refusals and DIVERGEDs, told apart by code.
    expect(all.filter((name) => !EXPORTED.includes(name))).toEqual(['ClashingImportOptions', 'ContradictedImportOption', 'DivergedError', 'MistakenImportOption', 'OptionRefusal', 'SaidInTerms', 'UnreadImportOption', 'UnstatedImportOptions']);
  });

  it("a user's optimiser that throws RateFreeRefusal from step() stops onNonFinite 'halve' at once: tried once, nothing halved, nothing held changed", async () => {
    const net = await api.createNetwork({ sizes: [2, 3, 2], seed: 3 });
    const before = stateHash(net);
    let tries = 0;
    const refusing: api.Optimizer = {
      name: 'custom',
      step() {
        tries++;
        throw new api.RateFreeRefusal('custom: its accumulator would pass float32');
      },
      state: () => ({ name: 'custom', scalars: {}, tensors: [] }),
      restore: () => {},
      dispose: () => {},
    };
    const error = await expectError(
      () => net.train([[0.1, 0.9], [0.8, 0.3]], [[1, 0], [0, 1]], { epochs: 2, optimizer: refusing, onNonFinite: 'halve' }),
      'DIVERGED',
      /^epoch 1, batch 1 \(step 1\): custom: its accumulator would pass float32; the step was not applied, and halving the learning rate cannot help: the learning rate has no part in what refused it/,
    );
    expect(error).toBeInstanceOf(api.GradscopeError);
    expect([tries, net.step, stateHash(net)]).toEqual([1, 0, before]);
    net.dispose();
  });
});
