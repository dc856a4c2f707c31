// gradscope train's --norm and --residual-gate (src/cli/layers-change-flags.ts): the diagnosis' layers remedies as flags,
// made to the network --layers and --activation describe by applyLayersChange, the function a program applies the remedy
// with (newuser42 #4: "What to try" offered batch norm and residual blocks, and train had no flag for them). The model
// saved is createNetwork's of applyLayersChange's options, to the bit; refusals are one line naming the flag, before any work.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyLayersChange } from '../../src/api/layers-change.js';
import { createNetwork } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import { loadModel } from '../../src/io/files.js';
import type { NetworkOptions } from '../../src/network/config.js';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-train-layers-'));
const at = (name: string) => join(folder, name);
const rng = new Rng(11);
const inputs = Array.from({ length: 24 }, () => Array.from({ length: 4 }, () => rng.normal()));
const targets = inputs.map((row) => (row[0] + row[3] > 0 ? [1, 0] : [0, 1]));
const data = at('data.json');
writeFileSync(data, JSON.stringify({ inputs, targets }));

describe('gradscope train --norm, --residual-gate', () => {
  it.each([
    [['--norm', 'batch-norm'], { norm: 'batch-norm' }],
    [['--norm', 'layer-norm', '--residual-gate', 'rezero'], { norm: 'layer-norm', residualGate: 'rezero' }],
    [['--residual-gate', 'none'], { residualGate: 'none' }],
  ] as const)('%j makes the network applyLayersChange makes of the flags’ dense one, says it as layer specs, and saves it', async (flags, change) => {
    const out = at(`${flags.join('')}.json`);
    const run = await runCliInProcess(['train', '--data', data, '--layers', '4,6,6,2', '--activation', 'tanh', '--init', 'glorot-uniform', ...flags, '--epochs', '0', '--seed', '3', '--backend', 'ref', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const dense: NetworkOptions = { sizes: [4, 6, 6, 2], activation: 'tanh', init: 'glorot-uniform', seed: 3 };
    const expected = await createNetwork({ ...applyLayersChange(dense, change), backend: 'ref' });
    expect(flat(run.stdout)).toMatch(/^4 inputs → dense 6 (linear|tanh) → .*, loss cross-entropy, init glorot-uniform; 0 epochs: not trained/);
    const saved = await loadModel(out, { backend: 'ref' });
    // The same specs, and (at epoch 0) the same drawn weights: one seed, one network.
    expect(saved.layers).toEqual(expected.layers);
    expect(saved.state().map((t) => [t.name, Array.from(t.values)])).toEqual(expected.state().map((t) => [t.name, Array.from(t.values)]));
    saved.dispose();
    expected.dispose();
  });

  it('trains such a network and says its layers in the first line', async () => {
    const run = await runCliInProcess(['train', '--data', data, '--layers', '4,6,6,2', '--activation', 'relu', '--norm', 'batch-norm', '--residual-gate', 'rezero', '--epochs', '2', '--batch-size', '8']);
    expect(run.code, run.stderr).toBe(0);
    expect(flat(run.stdout)).toContain('4 inputs → dense 6 linear → batch-norm → activation relu → residual rezero [dense 6 linear → batch-norm → activation relu] → dense 2 softmax, loss cross-entropy; training on');
    expect(run.stdout).toMatch(/^epoch 2\/2 {2}batch loss /m);
  });

  it("says the digits' network as docs/cli.md quotes it", async () => {
    const run = await runCliInProcess(['train', '--train', '64', '--test', '32', '--activation', 'relu', '--norm', 'batch-norm', '--epochs', '0']);
    expect(run.code, run.stderr).toBe(0);
    expect(flat(run.stdout)).toMatch(quotePattern(codeQuoteOn('docs/cli.md', '784 inputs → dense 64 linear → batch-norm')));
  });

  it.each([
    [['--layers', '4,2', '--norm', 'batch-norm'], /^gradscope: --norm batch-norm goes into each hidden layer, and --layers 4,2 has none: give a hidden layer$/],
    [['--layers', '4,1,2', '--norm', 'layer-norm'], /^gradscope: --norm layer-norm: hidden layer 1 of --layers 4,1,2 has 1 unit, and a layer norm over 1 feature outputs its shift β whatever its input .*; give it 2 or more units, or --norm batch-norm$/],
    [['--depth', '1', '--residual-gate', 'rezero'], /^gradscope: --residual-gate rezero makes each hidden layer after the first a residual block, and --depth 1 --width 64 has 1 hidden layer: give 2 or more$/],
    [['--layers', '4,6,5,2', '--residual-gate', 'none'], /^gradscope: --residual-gate none: a residual block adds its input to its output, so every hidden layer needs the same units, and --layers 4,6,5,2 has hidden layers of 6, 5$/],
    [['--norm', 'batch-norm', '--batch-size', '1'], /^gradscope: --batch-size 1: .* batch norm in training needs at least 2 per batch/],
    [['--residual-gate', 'none', '--optimizer', 'kfac'], /^gradscope: --optimizer kfac trains networks of dense layers only/],
    [['--norm', 'batch-norm', '--optimizer', 'layer-rates'], /^gradscope: --optimizer layer-rates measures one rate per layer of a network of dense layers, and this one is made of layer specs/],
    [['--norm', 'group-norm'], /^gradscope: --norm must be one of batch-norm, layer-norm, got 'group-norm'/],
    [['--residual-gate', 'plain'], /^gradscope: --residual-gate must be one of none, rezero, got 'plain'/],
  ])('refuses %j in one line, exit 2, before any work or file', async (flags, message) => {
    const out = at('refused.json');
    const run = await runCliInProcess(['train', '--data', data, ...flags, '--epochs', '1', '--out', out]);
    expect(run.stderr.trimEnd().split('\n'), run.stderr).toHaveLength(1);
    expect(run.stderr.trimEnd()).toMatch(message);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});
