// Counts read as English wherever gradscope prints or writes them: "1 epoch", "1 seed", "1 digit"
// (the plateau study printed "1 epochs", study (a)'s report "mean over 1 seeds", now "seed 1"), through one helper.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { counted, countedList } from '../../src/counted.js';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-counts-'));
/** Any count of 1 followed by a plural noun, e.g. "1 epochs". */
const ONE_PLURAL = /(?<![\d.,])1 (epoch|seed|digit|row|step|layer|halving)s\b/;

describe('counts in words', () => {
  it('counted: singular for exactly 1, plural otherwise (0 too), or the plural given', () => {
    expect([0, 1, 2, 1.5].map((n) => counted(n, 'epoch'))).toEqual(['0 epochs', '1 epoch', '2 epochs', '1.5 epochs']);
    expect(counted(1, 'matrix', 'matrices')).toBe('1 matrix');
    expect(counted(3, 'matrix', 'matrices')).toBe('3 matrices');
    expect([[1], [2], [1, 2]].map((list) => countedList(list, 'hidden layer'))).toEqual(['1 hidden layer', '2 hidden layers', '1, 2 hidden layers']);
  });

  it('study plateau --epochs 1: "1 epoch" in the terminal and the report', async () => {
    const html = join(folder, 'plateau.html');
    const { code, stdout, stderr } = await runCliInProcess(['study', 'plateau', '--epochs', '1', '--points', '1', '--k', '1', '--html', html]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('on the weights, 1 epoch. Curvature');
    expect(stdout).not.toMatch(ONE_PLURAL);
    expect(readFileSync(html, 'utf8')).toContain('on the weights, 1 epoch. The Hessian');
  }, 120_000);

  it('study depth --seeds 1 --epochs 1: "1 seed" and "1 epoch" in the report', async () => {
    const html = join(folder, 'depth.html');
    const { code, stdout, stderr } = await runCliInProcess(['study', 'depth', '--seeds', '1', '--epochs', '1', '--html', html]);
    expect(code, stderr).toBe(0);
    expect(stdout).not.toMatch(ONE_PLURAL);
    const report = readFileSync(html, 'utf8');
    expect(report).toContain('δ), seed 1. First ÷ last');
    expect(report).toContain('on the weights (weight decay λ/n = 5/1,000 = 0.005), 1 epoch; test accuracy');
    expect(report).not.toMatch(ONE_PLURAL);
  }, 120_000);

  it('study activations on 1 training digit: "1 digit", "1 epoch" in the terminal and the report', async () => {
    const html = join(folder, 'activations.html');
    const { code, stdout, stderr } = await runCliInProcess(['study', 'activations', '--width', '1', '--epochs', '1', '--train', '1', '--test', '1', '--html', html]);
    expect(code, stderr).toBe(0);
    // (The line wraps at READING_WIDTH, in a file too: read across its lines.)
    expect(flat(stdout)).toContain('1 epoch, batch 10, η 0.05, 1 digit, test error on 1, seed 1.');
    const report = readFileSync(html, 'utf8');
    expect(report).toContain('1 epoch of SGD');
    expect(report).toContain('on 1 digit;');
    expect(report).not.toMatch(ONE_PLURAL);
  }, 120_000);
});
