/**
 * Which optimisers take clipNorm, said as the code rules it: train() refuses it beside the optimisers that
 * evaluate their own gradients within a step (OWN_GRADIENTS, Optimizer.recomputesGradient), and only those.
 * docs/api.md said "first-order optimisers only" and --clip-norm's help named hessian-free, while
 * hessian-free and kfac take it and their runs change with it (edges47 #20).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPTIMIZERS } from '../../src/optim/index.js';
import { OWN_GRADIENTS } from '../../src/optimizer-defaults.js';
import { OPTION_FLAGS } from '../../src/cli/command.js';
import { TRAINING_FLAGS } from '../../src/cli/training-flags.js';

const apiRow = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8').split('\n').find((line) => line.startsWith('| `clipNorm` |'))!;
const helpLine = TRAINING_FLAGS.find((flag) => flag.name === OPTION_FLAGS.clipNorm)!.about;
const named = (text: string) => OPTIMIZERS.map((d) => d.name).filter((name) => new RegExp(`\\b${name}\\b`).test(text));

describe('clipNorm beside the optimisers', () => {
  it('is refused by exactly those that evaluate their own gradients', () => {
    expect(OPTIMIZERS.filter((d) => d.recomputesGradient).map((d) => d.name)).toEqual([...OWN_GRADIENTS]);
  });

  it("docs/api.md's train table and --clip-norm's help name those, and no other", () => {
    expect(named(apiRow)).toEqual([...OWN_GRADIENTS]);
    expect(named(helpLine)).toEqual([...OWN_GRADIENTS]);
  });
});
