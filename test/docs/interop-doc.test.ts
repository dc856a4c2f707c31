// docs/interop.md shows what gradscope writes for block networks: the Residual class is the one in
// the files' metadata, and the example's expression and tensor list are what the writer produces
// for the example's layers. The SELU constants the ONNX section states are the kernels'.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SELU_ALPHA, SELU_LAMBDA } from '../../src/kernels.js';
import type { BlockModelData } from '../../src/layers/block-model.js';
import { Rng } from '../../src/init/rng.js';
import { pytorchExpression, PYTORCH_RESIDUAL_CLASS, TORCH_MODULE } from '../../src/io/pytorch-module.js';
import { toSafetensors } from '../../src/io/safetensors.js';
import { blockModelOf, randomBlockModel } from '../util/block-model.js';
import { runCliInProcess } from '../util/cli.js';
import { fencedBlocks } from '../util/markdown-examples.js';

const doc = readFileSync(new URL('../../docs/interop.md', import.meta.url), 'utf8');
const blocks = fencedBlocks(doc);
const one = (what: string, found: typeof blocks) => {
  expect(found.map((b) => b.line), `one ${what} block in docs/interop.md`).toHaveLength(1);
  return found[0].code;
};

/** The header of the file gradscope writes for `model`, read by hand. */
function headerOf(model: BlockModelData) {
  const bytes = toSafetensors(model);
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
}

describe('docs/interop.md on block networks', () => {
  const layers = JSON.parse(one('example layers (```json, an array)', blocks.filter((b) => b.language === 'json' && b.code.trim().startsWith('['))));
  const header = headerOf(blockModelOf(layers, 784, 'cross-entropy'));

  it('shows the Residual class the files carry', () => {
    expect(one('class Residual', blocks.filter((b) => b.language === 'python' && b.code.startsWith('class Residual'))) + '\n').toBe(PYTORCH_RESIDUAL_CLASS);
    expect(header.__metadata__.pytorch_residual).toBe(PYTORCH_RESIDUAL_CLASS);
  });

  it("shows the example's pytorch expression and tensors as gradscope writes them", () => {
    expect(one('expression', blocks.filter((b) => b.language === 'python' && b.code.startsWith('nn.Sequential(')))).toBe(header.__metadata__.pytorch);
    const tensors = Object.entries(header).filter(([name]) => name !== '__metadata__') as [string, { dtype: string; shape: number[] }][];
    expect(one('tensor list', blocks.filter((b) => b.language === 'text' && b.code.startsWith('0.weight')))).toBe(
      tensors.map(([name, t]) => `${name} ${t.dtype} [${t.shape.join(', ')}]`).join('\n'),
    );
  });

  it('loads the file in PyTorch through the metadata gradscope writes, without exec or eval, and warns against them', () => {
    const load = one('PyTorch loading', blocks.filter((b) => b.language === 'python' && b.code.includes('build(meta["pytorch"])')));
    expect(load).toContain('model.load_state_dict(load_file("net.safetensors"))');
    expect(Object.keys(header.__metadata__)).toEqual(expect.arrayContaining(['pytorch', 'pytorch_residual']));
    // It told readers to exec(meta["pytorch_residual"]) and eval(meta["pytorch"]) of any file.
    for (const block of blocks.filter((b) => b.language === 'python')) expect(block.code, `line ${block.line}`).not.toMatch(/(?<![.\w])(exec|eval)\(/);
    expect(doc).toMatch(/\*\*Trust: never `exec` or `eval` a file's metadata\.\*\*/);
  });

  describe("the doc's build(): the modules gradscope writes, nothing else", () => {
    const builder = one('build()', blocks.filter((b) => b.language === 'python' && b.code.includes('def build(expression)')));
    const allowed = new Set(JSON.parse(builder.match(/^ALLOWED = \{(.*)\}$/m)![1].replace(/^/, '[').replace(/$/, ']')) as string[]);

    it('allows exactly the nn modules the writer uses', () => {
      const rng = new Rng(7);
      const expressions = [header.__metadata__.pytorch as string, ...Array.from({ length: 200 }, () => {
        const model = randomBlockModel(rng, { maxLayers: 6, maxWidth: 5, minBatch: 1, maxBatch: 1 });
        return pytorchExpression(model.layers, model.inputs);
      })];
      const written = new Set(expressions.flatMap((e) => [...e.matchAll(/\bnn\.(\w+)\(/g)].map((m) => m[1])));
      const possible = new Set(['Sequential', 'Linear', 'BatchNorm1d', 'LayerNorm', ...Object.values(TORCH_MODULE).map((m) => m.match(/^nn\.(\w+)\(/)![1])]);
      for (const name of written) expect(allowed, name).toContain(name);
      expect(allowed).toEqual(possible);
    });

    // Runs the doc's code in Python with stand-ins for nn and Residual (PyTorch is not installed here).
    const python = spawnSync('python3', ['--version']).status === 0;
    it.skipIf(!python)('builds the example expression and refuses code (python3)', () => {
      const stub = [
        'import json, sys',
        'class _Nn:',
        '    def __getattr__(self, name): return lambda *a, **k: [name, list(a), k]',
        'nn = _Nn()',
        'Residual = lambda *a, **k: ["Residual", list(a), k]',
      ].join('\n');
      const run = (expression: string) =>
        spawnSync('python3', ['-c', `${stub}\n${builder.replace(/^(import torch|from torch import nn)$/gm, '')}\ntry:\n    print(json.dumps(build(sys.argv[1])))\nexcept ValueError as e:\n    print("refused: " + str(e))`, expression], { encoding: 'utf8' });
      const built = run(header.__metadata__.pytorch);
      expect(built.stderr).toBe('');
      const tree = JSON.parse(built.stdout) as [string, unknown[], Record<string, unknown>];
      expect(tree[0]).toBe('Sequential');
      expect(tree[1][0]).toEqual(['Linear', [784, 100], {}]);
      expect(JSON.stringify(tree)).toContain('["Residual",[["Sequential"');
      expect(JSON.stringify(tree)).toContain('{"gate":"rezero"}');
      // A module's names (an imported state_dict's, kept: pytorchDenseExpression) by OrderedDict, which build() makes too.
      const named = run('nn.Sequential(OrderedDict(hidden=nn.Sequential(nn.Linear(8, 32), nn.Sigmoid()), out=nn.Linear(32, 3)))');
      expect(named.stderr).toBe('');
      expect(JSON.parse(named.stdout)).toEqual(['Sequential', [{ hidden: ['Sequential', [['Linear', [8, 32], {}], ['Sigmoid', [], {}]], {}], out: ['Linear', [32, 3], {}] }], {}]);
      for (const hostile of ['__import__("os").system("echo pwned")', 'nn.Sequential(torch.load("x.pt"))', 'nn.Module.__subclasses__()', 'nn.Linear(*[1, 2])', 'nn.Linear(**{"in_features": 1})', 'nn.Linear(open("x").read(), 2)', '(lambda: 1)()']) {
        const refused = run(hostile);
        expect(refused.stdout, hostile).toMatch(/^refused: /);
        expect(refused.stdout).not.toContain('pwned');
      }
    });
  });

  it('gradscope convert re-writes a received file\'s pytorch metadata from its checked layers', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradscope-interop-doc-'));
    const model = blockModelOf(layers, 784, 'cross-entropy');
    const bytes = toSafetensors(model);
    const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const tampered = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    tampered.__metadata__.pytorch = '__import__("os").system("echo pwned")';
    tampered.__metadata__.pytorch_residual = 'import os; os.system("echo pwned")';
    const head = new TextEncoder().encode(JSON.stringify(tampered));
    const file = new Uint8Array(8 + head.length + bytes.length - 8 - n);
    new DataView(file.buffer).setBigUint64(0, BigInt(head.length), true);
    file.set(head, 8);
    file.set(bytes.subarray(8 + n), 8 + head.length);
    writeFileSync(join(folder, 'received.safetensors'), file);
    const run = await runCliInProcess(['convert', join(folder, 'received.safetensors'), join(folder, 'net.safetensors')]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const written = readFileSync(join(folder, 'net.safetensors'));
    const m = Number(new DataView(written.buffer, written.byteOffset).getBigUint64(0, true));
    const meta = JSON.parse(new TextDecoder().decode(written.subarray(8, 8 + m))).__metadata__;
    expect(meta.pytorch).toBe(header.__metadata__.pytorch);
    expect(meta.pytorch_residual).toBe(PYTORCH_RESIDUAL_CLASS);
  });

  it("states Selu's attributes as the kernels' constants", () => {
    expect(doc).toContain(`\`Selu\` (alpha ${SELU_ALPHA}, gamma ${SELU_LAMBDA}`);
  });
});
