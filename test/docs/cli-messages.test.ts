// docs/cli.md quotes the lines the command line prints for a file it cannot use and an output flag
// whose folder is missing, and the suggestion a mistyped command gets: each is read from the page
// (codeQuoteOn, quoteOn; test/docs/page-quotes walks the page) and the command that prints it is run
// here. The page's paths are relative, as typed in a folder: the test's folder is taken out of them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { runCliInProcess } from '../util/cli.js';
import { codeQuoteOn, quoteOn } from '../util/page-quotes.js';
import { flat } from '../util/printed-text.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-cli-messages-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** What the command printed on stderr, exit code first, the folder's path taken out. */
async function printed(args: string[]): Promise<[number, string]> {
  const run = await runCliInProcess(args);
  return [run.code, run.stderr.replaceAll(`${folder}/`, '').trimEnd()];
}

describe("docs/cli.md's quoted lines are what the command line prints", () => {
  it('a file it cannot use: a model of the wrong rows, an output in a folder that does not exist (exit 1)', async () => {
    const net = await createNetwork({ sizes: [3, 4, 2], seed: 1, backend: 'ref' });
    const model = net.toJSON() as { layers: { weights: number[][] }[] };
    net.dispose();
    writeFileSync(join(folder, 'good.json'), JSON.stringify(model));
    writeFileSync(join(folder, 'm.json'), JSON.stringify({ ...model, layers: [{ ...model.layers[0], weights: model.layers[0].weights.slice(0, 3) }, model.layers[1]] }));
    expect(await printed(['convert', join(folder, 'm.json'), join(folder, 'copy.json')])).toEqual([1, codeQuoteOn('docs/cli.md', 'gradscope: BAD_MODEL_FILE: m.json')]);
    const cannot = await printed(['convert', join(folder, 'good.json'), join(folder, 'out/m.json')]);
    expect(cannot).toEqual([1, codeQuoteOn('docs/cli.md', 'gradscope: IO_ERROR: out/m.json')]);
  });

  it('an output flag checked before the work starts', async () => {
    expect(await printed(['study', 'depth', '--html', join(folder, 'out/r.html')])).toEqual([1, codeQuoteOn('docs/cli.md', 'gradscope: IO_ERROR: --html out/r.html')]);
  });

  it("`gradscope curvature`'s reading of a model's point, and a 0's bound before its row", async () => {
    const net = await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', loss: 'cross-entropy', seed: 5 });
    writeFileSync(join(folder, 'tanh.json'), JSON.stringify(net.toJSON()));
    net.dispose();
    writeFileSync(join(folder, 'rows.json'), JSON.stringify({ inputs: [[0.1, -0.2, 0.3], [1, 0.5, -1], [0, 2, 1]], targets: [[1, 0], [0, 1], [0, 1]] }));
    const args = ['curvature', '--model', join(folder, 'tanh.json'), '--data', join(folder, 'rows.json')];
    const run = await runCliInProcess(args);
    expect(run.code).toBe(0);
    expect(flat(run.stdout)).toContain(quoteOn('docs/cli.md', 'Reading: negative curvature beside a slope'));
    expect(flat(run.stdout)).not.toMatch(/Reading: a saddle|as good as a critical point/);
    const ref = await runCliInProcess([...args, '--backend', 'ref']);
    expect(flat(ref.stdout)).toContain(codeQuoteOn('docs/cli.md', '|λ| ≤ 3.99e-11 in the row'));
    expect(flat(ref.stdout)).not.toContain(codeQuoteOn('docs/cli.md', '|λ| ≤ output (10) H'));
  });

  it('a mistyped command is told the one it is close to', async () => {
    const [code, stderr] = await printed(['trian']);
    expect(code).toBe(2);
    expect(stderr).toContain(`${quoteOn('docs/cli.md', 'did you mean')} 'gradscope train'`);
  });
});
