/**
 * The batch-norm remedy's alternative, layer norm, says what it did not mend beside sigmoid units (newuser48 #7: it left their
 * sigmoid net vanishing, and the reason, "layer norm: per example, any batch size", gave no hint): to a net not of study (a)'s
 * set-up, that both nets where it was measured beside batch norm stayed vanishing and at chance with it, without their figures,
 * which study (a)'s run alone gets (test/flow/study-a-evidence); beside tanh units, where none was measured, nothing of it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/flow/diagnose.js';
import type { Trace } from '../../src/flow/trace.js';
import type { Activation } from '../../src/kernels.js';
import { deltaTrace } from '../util/gap-trace.js';

/** A [4, 3, 3, 3, 2] network of `hidden` units whose first hidden layer's δ is 1/1000 of the last's in every record: vanishing. */
const vanishing = (hidden: Activation): Trace => deltaTrace(hidden, Array.from({ length: 8 }, () => [1e-3, 3e-2, 1] as const));

/** The batch-norm remedy (its alternative layer norm) of `trace`'s diagnosis. */
const batchNormRemedy = (trace: Trace) => diagnose(trace).remedies.find((r) => r.settings.some((s) => s.option === 'layers' && /'batch-norm'/.test(s.value)))!;

/** docs/studies.md's table of study (a)'s deepest network's remedies: the cells of the row whose change is `change`. */
function studiedRow(change: string): string[] {
  const page = readFileSync(new URL('../../docs/studies.md', import.meta.url), 'utf8');
  const row = page.split('\n').find((line) => line.startsWith(`| ${change} |`));
  expect(row, change).toBeDefined();
  return row!.split('|').map((cell) => cell.trim());
}

describe("the layer-norm alternative's reason", () => {
  it("beside sigmoid units not of study (a)'s set-up, says what it did on both nets where it was measured beside batch norm, not their figures", () => {
    const remedy = batchNormRemedy(vanishing('sigmoid'));
    expect(remedy.alternative?.[0].value).toMatch(/'layer-norm'/);
    expect(remedy.why).toContain(
      "layer norm: per example, any batch size (Ba et al. 2016), but beside sigmoid units, on both nets where the two were measured, it left the gradient vanishing and each net at chance, where batch norm trained both (study (a)'s deepest; 5 × (dense 16 → layer norm → sigmoid)).",
    );
    // Study (a)'s figures are said only to its set-up (test/flow/study-a-evidence): audit54's left-alone 1.
    expect(remedy.why).not.toMatch(/10\.5 %|82\.0 %/);
    // Study (a)'s deepest: docs/studies.md's table reads layer norm vanishing at chance and batch norm healthy, trained; the other
    // net's figures (at chance and vanishing with layer norms, 90–93 % and healthy with batch norms) test/flow/layer-norm-sigmoid holds.
    const [layerNorm, batchNorm] = [studiedRow('its alternative, layer norm after each dense layer'), studiedRow('batch norm after each dense layer')];
    expect(layerNorm[3]).toBe('10.5 %');
    expect(layerNorm[4]).toMatch(/^vanishing \(severe/);
    expect(batchNorm[3]).toBe('82.0 %');
    expect(batchNorm[4]).toMatch(/^healthy /);
  });

  it('beside tanh units, where it was not measured, says only what layer norm is', () => {
    const remedy = batchNormRemedy(vanishing('tanh'));
    expect(remedy.why).toMatch(/layer norm: per example, any batch size \(Ba et al\. 2016\)\.$/);
  });
});
