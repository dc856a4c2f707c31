/**
 * The batch-norm remedy's alternative, layer norm, says what it did not mend beside sigmoid units (newuser48 #7: it left their
 * sigmoid net vanishing, and the reason, "layer norm: per example, any batch size", gave no hint), with the figures
 * docs/studies.md's table measured on study (a)'s deepest network; beside tanh units, where none was measured, it says nothing of it.
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

/** docs/studies.md's table of study (a)'s deepest network's remedies: the test accuracy of the row whose change is `change`. */
function studiedAccuracy(change: string): string {
  const page = readFileSync(new URL('../../docs/studies.md', import.meta.url), 'utf8');
  const row = page.split('\n').find((line) => line.startsWith(`| ${change} |`));
  expect(row, change).toBeDefined();
  return row!.split('|')[3].trim();
}

describe("the layer-norm alternative's reason", () => {
  it("beside sigmoid units, says it left study (a)'s deepest sigmoid net vanishing at chance, with docs/studies.md's figures", () => {
    const remedy = batchNormRemedy(vanishing('sigmoid'));
    expect(remedy.alternative?.[0].value).toMatch(/'layer-norm'/);
    const [layerNorm, batchNorm] = [studiedAccuracy('its alternative, layer norm after each dense layer'), studiedAccuracy('batch norm after each dense layer')];
    expect([layerNorm, batchNorm]).toEqual(['10.5 %', '82.0 %']);
    expect(remedy.why).toContain(`layer norm: per example, any batch size (Ba et al. 2016), but it left study (a)'s deepest sigmoid net vanishing, at chance (${layerNorm}; batch norm ${batchNorm}).`);
    // …where the table reads it vanishing.
    const page = readFileSync(new URL('../../docs/studies.md', import.meta.url), 'utf8');
    expect(page).toMatch(/\| its alternative, layer norm after each dense layer \| [\d.]+ \| 10\.5 % \| vanishing \(severe/);
  });

  it('beside tanh units, where it was not measured, says only what layer norm is', () => {
    const remedy = batchNormRemedy(vanishing('tanh'));
    expect(remedy.why).toMatch(/layer norm: per example, any batch size \(Ba et al\. 2016\)\.$/);
  });
});
