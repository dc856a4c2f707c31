// A run that diverges still writes what explains it: study --model keeps the trace recorded up to the
// DIVERGED (Network.trace), prints the DIVERGED line first, then the run, its tables and the diagnosis
// of the steps before it, writes --csv and --html (the report says DIVERGED and where it stopped), saves
// no --save model, and exits 1. A DIVERGED before any traced step prints the line alone, as before.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import { main } from '../../src/cli/cli.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { readTraceCsv } from '../util/trace-csv.js';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';
import { escapeHtml } from '../../src/flow/svg.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-diverged-'));
const at = (name: string) => join(folder, name);

/** 40 rows of 6 normal inputs, two classes; a relu network of 4 plain residual blocks, he-normal: at --learning-rate 0.3 in batches of 10 its loss runs away at epoch 1, batch 4. */
const rng = new Rng(5);
const inputs = Array.from({ length: 40 }, () => Array.from({ length: 6 }, () => rng.normal()));
const targets = inputs.map((row) => (row[0] + row[1] > 0 ? [1, 0] : [0, 1]));
const block: LayerSpec = { type: 'residual', gate: 'none', layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 8 }] };
const model = await createNetwork({ inputs: 6, loss: 'cross-entropy', seed: 1, init: 'he-normal', layers: [{ type: 'dense', units: 8, activation: 'relu' }, block, block, block, block, { type: 'dense', units: 2, activation: 'softmax' }] });
const [modelPath, dataPath] = [at('res4.json'), at('data.json')];
writeFileSync(modelPath, JSON.stringify(model.toJSON()));
writeFileSync(dataPath, JSON.stringify({ inputs, targets }));
const RUN = ['study', '--model', modelPath, '--data', dataPath, '--learning-rate', '0.3', '--epochs', '3', '--batch-size', '10'];
const STOPPED = 'epoch 1, batch 4 (step 4)';

/** main() with one terminal for both streams, each line marked by its stream: the order a user sees. */
async function runInOrder(args: string[]): Promise<{ code: number; lines: string[] }> {
  let text = '';
  const code = await main(args, { out: (t) => void (text += t.replace(/^(?=.)/gm, 'out|')), err: (t) => void (text += t.replace(/^(?=.)/gm, 'err|')), live: false });
  return { code, lines: text.trimEnd().split('\n') };
}

describe('study --model on a run that diverges', () => {
  it('prints the DIVERGED line, then the run stopped at epoch 1, batch 4 and the diagnosis of its 3 traced steps; writes the trace as train() recorded it and the report; saves no model', async () => {
    const [csv, html, save] = [at('run.csv'), at('run.html'), at('saved.json')];
    const { code, lines } = await runInOrder([...RUN, '--csv', csv, '--html', html, '--save', save]);
    expect(code).toBe(1);
    const first = lines.findIndex((line) => line.startsWith('out|'));
    const diverged = lines.filter((line) => line.startsWith('err|gradscope: DIVERGED: '));
    expect(diverged).toHaveLength(1);
    expect(lines.indexOf(diverged[0])).toBeLessThan(first);
    expect(diverged[0]).toMatch(/^err\|gradscope: DIVERGED: epoch 1, batch 4 \(step 4\): .*try a --learning-rate below 0\.3/);
    const out = lines.slice(first).map((line) => line.replace(/^out\|/, ''));
    // The run's sentences, read across their lines (prose wraps at READING_WIDTH, in a file too), up to the first table.
    const said = flat(out.slice(0, out.indexOf('')).join('\n'));
    expect(said).toMatch(new RegExp(`on 40 rows, 3 epochs: DIVERGED, stopped at ${STOPPED.replace(/[()]/g, '\\$&')}, 3 traced steps before it\\. `));
    expect(said).toMatch(new RegExp(` --save ${save.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not saved, the run diverged\\.$`));
    expect(out).toContain('At the last traced step (step 3):');
    expect(out.some((line) => /^Diagnosis: [A-Z]/.test(line))).toBe(true);
    expect(out.slice(-2)).toEqual([`Trace (CSV): ${csv}`, `Report: ${html}`]);
    expect(existsSync(save)).toBe(false);

    // The CSV is the trace train() keeps after its DIVERGED: the same network, data and options through the API.
    const twin = await Network.fromJSON(model.toJSON());
    expect(() => twin.train(inputs, targets, { epochs: 3, batchSize: 10, learningRate: 0.3, trace: { every: 1 } })).toThrow(/^epoch 1, batch 4 \(step 4\)/);
    const written = readFileSync(csv, 'utf8');
    expect(written).toBe(twin.trace!.toCSV());
    expect(new Set(readTraceCsv(written).steps.map((row) => row.step))).toEqual(new Set(['1', '2', '3']));
    twin.dispose();

    const page = readFileSync(html, 'utf8');
    expect(page).toContain(`DIVERGED, stopped at ${STOPPED}, 3 traced steps before it.`);
    // The whole DIVERGED line, as the terminal said it (HTML-escaped: an apostrophe as is).
    const message = escapeHtml(diverged[0].replace(/^err\|gradscope: DIVERGED: /, ''));
    expect(page).toContain(`DIVERGED: ${message}`);
    expect(page).toContain(`--save ${save}: not saved, the run diverged.`);
  }, 120_000);

  it('--json: the diagnosis and trace of the steps before it, with where it stopped; the DIVERGED line on stderr, exit 1', async () => {
    const { code, stdout, stderr } = await runCliInProcess([...RUN, '--json']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^gradscope: DIVERGED: epoch 1, batch 4 \(step 4\): /m);
    const printed = JSON.parse(stdout) as { diverged: { message: string; stoppedAt: object }; diagnosis: { verdict: string }; trace: { steps: number[] } };
    expect(printed.diverged.stoppedAt).toEqual({ epoch: 1, batch: 4, step: 4 });
    expect(printed.diverged.message.startsWith(STOPPED)).toBe(true);
    // The verdict of the steps traced before the DIVERGED (the gradients grew toward the input over them), and those steps.
    expect(printed.diagnosis.verdict).toBe('exploding');
    expect(printed.trace.steps).toEqual([1, 2, 3]);
  }, 120_000);

  it('a DIVERGED at the first step has no trace to show: the line alone, exit 1, no file written', async () => {
    const [csv, html] = [at('none.csv'), at('none.html')];
    const { code, stdout, stderr } = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--learning-rate', '1e30', '--csv', csv, '--html', html]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^gradscope: DIVERGED: epoch 1, batch 1 \(step 1\): /m);
    expect([existsSync(csv), existsSync(html)]).toEqual([false, false]);
  }, 120_000);

  it('gradscope train --out saves nothing when the run diverges', async () => {
    const out = at('train-out.json');
    const { code, stderr } = await runCliInProcess(['train', '--data', dataPath, '--layers', '6,8,8,2', '--activation', 'relu', '--learning-rate', '1e6', '--epochs', '2', '--batch-size', '10', '--out', out]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^gradscope: DIVERGED: /m);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
