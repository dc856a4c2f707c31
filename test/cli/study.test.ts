/**
 * The study commands as a user runs them: `study depth --json` prints the shape with the
 * norms an independent float64 computation gives; `study --model --data` traces, diagnoses and
 * writes CSV and HTML; bad command lines get a one-line error.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEPTH_NETWORK_OPTIONS, DEPTH_NETWORKS, DEPTH_ROWS, firstRows } from '../../src/studies/depth.js';
import { LAYER_METRIC_NAMES } from '../../src/flow/metrics.js';
import { loadMnist } from '../../src/data/mnist.js';
import { createNetwork } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import { runCli } from '../util/cli.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-study-'));

describe('gradscope study depth --json', () => {
  it('prints { networks: [{ sizes, biasGradNorms }] }, the seed-averaged norms at initialisation', async () => {
    const { code, stdout, stderr } = runCli(['study', 'depth', '--json', '--seeds', '2']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as { networks: { sizes: number[]; biasGradNorms: number[] }[] };
    expect(Object.keys(printed)).toEqual(['networks']);
    expect(printed.networks.map((n) => n.sizes)).toEqual(DEPTH_NETWORKS);
    for (const n of printed.networks) {
      expect(Object.keys(n)).toEqual(['sizes', 'biasGradNorms']);
      expect(n.biasGradNorms).toHaveLength(n.sizes.length - 2);
      // The vanishing gradient itself: each hidden layer learns slower than the next.
      for (let l = 0; l + 1 < n.biasGradNorms.length; l++) expect(n.biasGradNorms[l]).toBeLessThan(n.biasGradNorms[l + 1]);
    }
    // The deepest network's norms, recomputed in float64 on the reference backend.
    const digits = await loadMnist();
    const probe = firstRows(digits.train.x, digits.train.y, DEPTH_ROWS);
    const sizes = DEPTH_NETWORKS[3];
    const perSeed: number[][] = [];
    for (const seed of [1, 2]) {
      const net = await createNetwork({ sizes, seed, ...DEPTH_NETWORK_OPTIONS, backend: 'ref' });
      perSeed.push(net.gradients(probe.x, probe.y).layers.slice(0, -1).map((layer) => layer.biasNorm));
    }
    const mean = perSeed[0].map((v, l) => (v + perSeed[1][l]) / 2);
    printed.networks[3].biasGradNorms.forEach((v, l) => expect(Math.abs(v - mean[l]) / mean[l], `layer ${l}`).toBeLessThan(1e-4));
  });
});

describe('gradscope study --model --data', async () => {
  const rng = new Rng(51);
  const inputs = Array.from({ length: 30 }, () => Array.from({ length: 6 }, () => rng.normal()));
  const targets = inputs.map((row) => (row[0] + row[1] > 0 ? [1, 0] : [0, 1]));
  const net = await createNetwork({ sizes: [6, 8, 8, 8, 2], activation: 'sigmoid', output: 'softmax', seed: 2 });
  const modelPath = join(folder, 'model.json');
  const dataPath = join(folder, 'data.json');
  writeFileSync(modelPath, JSON.stringify(net.toJSON()));
  writeFileSync(dataPath, JSON.stringify({ inputs, targets }));

  it('traces, diagnoses and writes the CSV and the report', () => {
    const csv = join(folder, 'trace.csv');
    const html = join(folder, 'report.html');
    const args = ['study', '--model', modelPath, '--data', dataPath, '--epochs', '3', '--batch-size', '10', '--every', '2', '--csv', csv, '--html', html];
    const { code, stdout, stderr } = runCli(args);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/At the first step:\nlayer +‖∂C\/∂W‖/);
    expect(stdout).toMatch(/Diagnosis: (VANISHING|EXPLODING|HEALTHY)/);
    // 3 epochs × 3 batches = 9 steps, every 2nd from the first: 5 records × 4 layers.
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(['step', 'layer', 'loss', 'accuracy', ...LAYER_METRIC_NAMES].join(','));
    expect(lines.slice(1).map((line) => Number(line.split(',')[0]))).toEqual([1, 3, 5, 7, 9].flatMap((s) => [s, s, s, s]));
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>.*data-verdict="(vanishing|exploding|healthy)"/s);
  });

  it('prints the diagnosis and the trace as JSON', () => {
    const { code, stdout } = runCli(['study', '--model', modelPath, '--data', dataPath, '--epochs', '1', '--batch-size', '30', '--json']);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    expect(printed.trace.format).toBe('gradscope.trace');
    expect(printed.trace.steps).toEqual([1]);
    expect(printed.trace.metrics.biasGradNorm[0]).toHaveLength(4);
    expect(['vanishing', 'exploding', 'healthy']).toContain(printed.diagnosis.verdict);
  });

  it.each([
    [['study', 'sideways'], /unknown study 'sideways'/],
    [['study', '--model', join(folder, 'nope.json'), '--data', dataPath], /BAD_MODEL_FILE: .*nope\.json/],
    [['study', '--model', modelPath], /missing --data/],
    [['study', 'depth', '--seeds', '0'], /--seeds must be ≥ 1, got '0'/],
  ])('%j fails with one line', (args, message) => {
    const { code, stderr } = runCli(args as string[]);
    expect(code).toBe(1);
    expect(stderr).toMatch(message as RegExp);
  });
});
