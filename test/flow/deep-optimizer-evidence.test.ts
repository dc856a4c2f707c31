/**
 * The diagnosis's words on the optimiser remedies at depth (STUDY_C_DEEP_OPTIMIZERS) are study (c)'s
 * committed run (docs/data/trainable-depth.json, which the docs' tables are rendered from): each
 * optimiser's held-out accuracy at 10 hidden layers, and its line of 90 %.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStudyJson } from '../../scripts/trainable-depth-tables.js';
import { ACCURACY_GOAL } from '../../src/studies/trainable-depth.js';
import { deepOptimizerWords, STUDY_C_DEEP_OPTIMIZERS } from '../../src/flow/diagnosis/deep-optimizer-evidence.js';

const run = parseStudyJson(readFileSync(new URL('../../docs/data/trainable-depth.json', import.meta.url), 'utf8'));

describe("study (c)'s optimisers at 10 hidden layers, as the diagnosis quotes them", () => {
  it('are the committed run, each below the line', () => {
    const { hiddenLayers, line, accuracy } = STUDY_C_DEEP_OPTIMIZERS;
    expect(line).toBe(ACCURACY_GOAL);
    for (const [name, value] of Object.entries(accuracy)) {
      const row = run.rows.find((r) => r.remedy === name && r.depth === hiddenLayers);
      expect(row?.testAccuracy, name).toBe(value);
      expect(value).toBeLessThan(line);
    }
  });

  it('are said to a network at least that deep, not to a shallower one', () => {
    expect(deepOptimizerWords(9, ['lars'])).toBe('');
    expect(deepOptimizerWords(10, ['lars'])).toContain('57.0 %');
    expect(deepOptimizerWords(30, ['kfac', 'hessian-free'])).toMatch(/kfac 9\.9 %, hessian-free 40\.8 %/);
  });
});
