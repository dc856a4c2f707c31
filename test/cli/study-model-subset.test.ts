// study --model's loss table beside held-out rows (the test digits): two columns give the loss and
// accuracy on the fixed subset of training rows train() measured after each epoch at the same
// weights (TraceEpoch.training: what the overfitting verdict compares the held-out loss with), '—'
// at the start, as the terminal prints it and the report shows it; none where the validation rows
// are the training rows themselves (a --data file), whose loss the table's own column already is.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import type { TraceJSON } from '../../src/flow/trace.js';
import { percentText } from '../../src/percent-text.js';
import { runCliInProcess } from '../util/cli.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-subset-'));

/** The rows of the table under `caption` in `stdout`, each split into its cells (two spaces or more apart). */
function tableUnder(stdout: string, caption: string): string[][] {
  const lines = stdout.slice(stdout.indexOf(caption) + caption.length + 1).split('\n');
  const end = lines.indexOf('');
  return lines.slice(0, end).filter((line) => !/^[─ ]+$/.test(line)).map((line) => line.trim().split(/ {2,}/));
}

describe('study --model: the training subset beside held-out rows', () => {
  it('prints and reports its loss and accuracy per epoch, as the trace holds them, and no such column on a --data file', async () => {
    const net = await createNetwork({ sizes: [784, 8, 10], activation: 'sigmoid', output: 'softmax', seed: 4 });
    const model = join(folder, 'digits.json');
    writeFileSync(model, JSON.stringify(net.toJSON()));
    net.dispose();
    const html = join(folder, 'report.html');
    const flags = ['study', '--model', model, '--train', '200', '--test', '50', '--epochs', '3'];
    const printed = await runCliInProcess([...flags, '--html', html]);
    expect(printed.code, printed.stderr).toBe(0);
    const [header, ...rows] = tableUnder(printed.stdout, 'Loss and accuracy on the 50 test digits, from start to end:');
    expect(header).toEqual(['epoch', 'loss', 'accuracy', 'loss (50 training rows)', 'accuracy (50 training rows)']);
    // A thousand and more grouped, as every count gradscope prints (the header read 'loss (1000 training rows)').
    const thousand = await runCliInProcess(['study', '--model', model, '--train', '1000', '--test', '1000', '--epochs', '1']);
    expect(thousand.code, thousand.stderr).toBe(0);
    expect(tableUnder(thousand.stdout, 'Loss and accuracy on the 1,000 test digits, from start to end:')[0]).toEqual(['epoch', 'loss', 'accuracy', 'loss (1,000 training rows)', 'accuracy (1,000 training rows)']);
    const json = await runCliInProcess([...flags, '--json']);
    const epochs = (JSON.parse(json.stdout) as { trace: TraceJSON }).trace.epochs!;
    expect(rows.map((row) => row.slice(3))).toEqual([['—', '—'], ...epochs.map((e) => [e.training!.loss.toPrecision(4), percentText(e.training!.accuracy)])]);
    expect(epochs.every((e) => e.training!.rows === 50)).toBe(true);
    // The report shows the table the terminal prints: one builder.
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<th>loss (50 training rows)</th><th>accuracy (50 training rows)</th>');
    expect(page).toContain(`<td>${epochs[2].training!.loss.toPrecision(4)}</td>`);

    const data = join(folder, 'rows.json');
    writeFileSync(data, JSON.stringify({ inputs: Array.from({ length: 20 }, (_, i) => Array.from({ length: 784 }, (_, j) => ((i * 7 + j) % 13) / 13)), targets: Array.from({ length: 20 }, (_, i) => Array.from({ length: 10 }, (_, k) => (k === i % 10 ? 1 : 0))) }));
    const onData = await runCliInProcess(['study', '--model', model, '--data', data, '--epochs', '2']);
    expect(onData.code, onData.stderr).toBe(0);
    expect(tableUnder(onData.stdout, 'Loss and accuracy on all 20 rows, from start to end:')[0]).toEqual(['epoch', 'loss', 'accuracy']);
  });
});
