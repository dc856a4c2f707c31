/**
 * A PyTorch Residual's state_dict is never read as a dense chain: whatever order its shapes or a layers option give, that reading
 * dropped the block's x + branch(x) and computed another network. It is refused, offering its module expression (the pytorch
 * option), which reads the block and computes what the module does. And the pytorch option follows one rule for every file: refused
 * where gradscope's metadata records the layers, reading another tool's metadata as saying nothing.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { networkFromBlockModel } from '../../src/io/model-data.js';
import { blockModelFromSafetensors } from '../../src/io/safetensors-blocks.js';
import { fromSafetensors, readSafetensors } from '../../src/io/safetensors.js';
import { encodeSafetensors, type TensorToWrite } from '../../src/io/safetensors-format.js';
import { expectError } from '../util/expect-error.js';
import { runCliInProcess } from '../util/cli.js';

/** nn.Sequential(nn.Linear(4, 6), nn.Tanh(), Residual(nn.Sequential(nn.Linear(6, 6), nn.Tanh())), nn.Linear(6, 3), nn.Softmax(dim=-1)). */
const EXPRESSION = 'nn.Sequential(nn.Linear(4, 6), nn.Tanh(), Residual(nn.Sequential(nn.Linear(6, 6), nn.Tanh())), nn.Linear(6, 3), nn.Softmax(dim=-1))';
/** Its Linear layers `[name, out, in]`: [6, 4], [6, 6], [3, 6] chain in one order only, the module's. */
const LINEARS: [string, number, number][] = [['0', 6, 4], ['2.branch.0', 6, 6], ['3', 3, 6]];

function tensors(prefix = '', extra: TensorToWrite[] = []): { list: TensorToWrite[]; values: Map<string, Float32Array> } {
  const values = new Map<string, Float32Array>();
  const list = LINEARS.flatMap(([name, out, inputs], k) => {
    const weight = Float32Array.from({ length: out * inputs }, (_, i) => 0.5 * Math.sin(3 * k + 0.7 * i));
    const bias = Float32Array.from({ length: out }, (_, i) => 0.1 * Math.cos(k + i));
    values.set(`${name}.weight`, weight).set(`${name}.bias`, bias);
    return [
      { name: `${prefix}${name}.weight`, dtype: 'F32' as const, shape: [out, inputs], values: weight },
      { name: `${prefix}${name}.bias`, dtype: 'F32' as const, shape: [out], values: bias },
    ];
  });
  return { list: [...list, ...extra], values };
}

/** `tanh?(W x + b)` of the named Linear. */
function linear(values: Map<string, Float32Array>, name: string, x: number[], activate: boolean): number[] {
  const w = values.get(`${name}.weight`)!;
  const b = values.get(`${name}.bias`)!;
  return Array.from(b, (bias, j) => {
    const z = bias + x.reduce((s, xi, i) => s + w[j * x.length + i] * xi, 0);
    return activate ? Math.tanh(z) : z;
  });
}

/** What the PyTorch module computes, written out: h = tanh(L0 x); r = h + tanh(L2.branch.0 h); softmax(L3 r). */
function moduleOutput(values: Map<string, Float32Array>, x: number[]): number[] {
  const h = linear(values, '0', x, true);
  const branch = linear(values, '2.branch.0', h, true);
  const z = linear(values, '3', h.map((hj, j) => hj + branch[j]), false);
  const max = Math.max(...z);
  const sum = z.reduce((s, zk) => s + Math.exp(zk - max), 0);
  return z.map((zk) => Math.exp(zk - max) / sum);
}

const X = [[0.5, -1, 2, 0.1], [-0.3, 0.8, -1.5, 1.2]];
const DENSE = { activation: 'tanh', output: 'softmax', loss: 'cross-entropy' } as const;
const FOUND = /^safetensors: 2\.branch\.0\.weight, 2\.branch\.0\.bias are tensors of a PyTorch Residual block \(its branch's modules k\.branch\.j, its ReZero gate k\.alpha\), which adds the block's input to its branch's output: read as a dense chain, that sum would be dropped/;

describe("a PyTorch Residual's state_dict", () => {
  it('whose shapes chain in one order is refused as a dense chain, with the options or a layers order, offering the module expression', async () => {
    const { list } = tensors();
    const plain = encodeSafetensors({ format: 'pt' }, list);
    // It was read as a three-layer chain 0 → 2.branch.0 → 3 (noted 'ordered the dense layers by their shapes'), the residual dropped.
    const error = await expectError(() => fromSafetensors(plain, DENSE), 'BAD_MODEL_FILE', FOUND);
    expect(error).toMatchObject({ options: ['pytorch'], byModule: undefined });
    // The names are a guess: the refusal says how a dense chain whose names only look so is read (io34: there was no way to).
    expect(error.message).toContain("compute something else than the module (a dense chain whose names only look like a Residual's reads as one with { layers } (--layers) naming its layers in order, input first); ");
    expect(error.message).toMatch(/; pass \{ pytorch \} \(--pytorch\) to read it by the expression of the PyTorch module that saved it, which gives every layer \(in place of the activation, output and layers options, a dense chain's\)$/);
    // Without a loss given or recorded, the refusal asks for it beside the expression.
    expect(await expectError(() => readSafetensors(plain, { activation: 'tanh', output: 'softmax' }), 'BAD_MODEL_FILE', FOUND)).toMatchObject({ options: ['pytorch', 'loss'] });
    expect(await expectError(() => readSafetensors(plain), 'BAD_MODEL_FILE', FOUND)).toMatchObject({ options: ['pytorch', 'loss'] });
  });

  it('reads by its module expression as the residual block it is, computing what the module computes', async () => {
    const { list, values } = tensors();
    const model = readSafetensors(encodeSafetensors({ format: 'pt' }, list), { pytorch: EXPRESSION, loss: 'cross-entropy' });
    expect('kind' in model && model.layers).toEqual([
      { type: 'dense', units: 6, activation: 'tanh' },
      { type: 'residual', gate: 'none', layers: [{ type: 'dense', units: 6, activation: 'tanh' }] },
      { type: 'dense', units: 3, activation: 'softmax' },
    ]);
    const net = await networkFromBlockModel(model as Parameters<typeof networkFromBlockModel>[0], { backend: 'ref' });
    X.forEach((x) => Array.from(net.predict([x])[0]).forEach((p, k) => expect(p).toBeCloseTo(moduleOutput(values, x)[k], 6)));
    net.dispose();
  });

  it('under a module prefix, or with a ReZero gate, is refused the same way', async () => {
    const prefixed = encodeSafetensors({}, tensors('net.').list);
    await expectError(() => fromSafetensors(prefixed, DENSE), 'BAD_MODEL_FILE', /^safetensors: net\.2\.branch\.0\.weight, net\.2\.branch\.0\.bias are tensors of a PyTorch Residual block/);
    // `2.alpha` alone was 'not a dense layer tensor'; now the block is named and the expression offered.
    const gated = encodeSafetensors({}, tensors('', [{ name: '2.alpha', dtype: 'F32', shape: [], values: Float32Array.of(0.5) }]).list);
    const error = await expectError(() => fromSafetensors(gated, DENSE), 'BAD_MODEL_FILE', /^safetensors: 2\.branch\.0\.weight, 2\.branch\.0\.bias, 2\.alpha are tensors of a PyTorch Residual block/);
    expect(error).toMatchObject({ options: ['pytorch'] });
    const read = blockModelFromSafetensors(gated, { pytorch: EXPRESSION.replace('nn.Tanh())),', 'nn.Tanh()), gate="rezero"),'), loss: 'cross-entropy' });
    expect(read.layers[1]).toMatchObject({ type: 'residual', gate: 'rezero' });
  });

  // Its names are read only where the file says nothing: a dense chain named so, which no option read (io34), reads by what the
  // metadata records or by a layers order, the caller's word that it is a dense chain.
  it("is read as the dense chain gradscope's metadata records, or a layers option names: the names are a guess where the file says nothing", async () => {
    const { list, values } = tensors();
    const recorded = encodeSafetensors({ activations: 'tanh,tanh,softmax', loss: 'cross-entropy' }, list);
    const chain = ['0', '2.branch.0', '3'];
    const expected = { sizes: [4, 6, 6, 3], activations: ['tanh', 'tanh', 'softmax'], weights: chain.map((name) => values.get(`${name}.weight`)) };
    expect(fromSafetensors(recorded)).toMatchObject(expected);
    await expectError(() => readSafetensors(recorded, { pytorch: EXPRESSION }), 'INVALID_OPTION', /^the pytorch option does not apply: __metadata__\.activations records what the layers compute/);
    const plain = encodeSafetensors({ format: 'pt' }, list);
    expect(fromSafetensors(plain, { ...DENSE, layers: chain })).toMatchObject(expected);
    await expectError(() => fromSafetensors(plain, { ...DENSE, layers: ['0', '3'] }), 'INVALID_OPTION', /^layers option: does not list the file's layer "2\.branch\.0"$/);
    // Branches that change the width (4 → 5, 5 → 3) are no Residual's, whatever their names: read with no refusal.
    const narrowing = encodeSafetensors({ format: 'pt' }, [['0.branch.0', 5, 4], ['1.branch.0', 3, 5]].flatMap(([name, out, inputs]) => [
      { name: `${name}.weight`, dtype: 'F32' as const, shape: [out as number, inputs as number], values: new Float32Array((out as number) * (inputs as number)).fill(0.1) },
      { name: `${name}.bias`, dtype: 'F32' as const, shape: [out as number], values: new Float32Array(out as number) },
    ]));
    expect(fromSafetensors(narrowing, DENSE)).toMatchObject({ sizes: [4, 5, 3], activations: ['tanh', 'softmax'] });
  });
});

describe('the pytorch option, one rule for every file', () => {
  const plainDense = () => tensors().list.filter((t) => !t.name.startsWith('2.'));
  const chainExpression = 'nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Identity(), nn.Linear(6, 3), nn.Softmax(dim=-1))';

  it("is refused where gradscope's metadata records the module (no format: a pytorch key); another tool's pytorch key is not read", async () => {
    const ours = encodeSafetensors({ pytorch: chainExpression, loss: 'cross-entropy' }, plainDense());
    await expectError(() => blockModelFromSafetensors(ours, { pytorch: chainExpression }), 'INVALID_OPTION', /^the pytorch option does not apply: __metadata__\.pytorch records the module the file holds$/);
    expect(blockModelFromSafetensors(ours).layers.map((l) => l.type)).toEqual(['dense', 'activation', 'dense']);
    // { format: 'pt' } says nothing of the architecture: its pytorch key is no expression gradscope reads by.
    const theirs = encodeSafetensors({ format: 'pt', pytorch: chainExpression, loss: 'cross-entropy' }, plainDense());
    await expectError(() => blockModelFromSafetensors(theirs), 'BAD_MODEL_FILE', /no \{ pytorch \} module expression \(--pytorch\) to read it by/);
  });

  it("takes the loss by the dense reader's rule: gradscope's must agree with an option, another tool's is not read", async () => {
    const ours = encodeSafetensors({ loss: 'cross-entropy' }, plainDense());
    expect(blockModelFromSafetensors(ours, { pytorch: chainExpression }).loss).toBe('cross-entropy');
    // It was overridden by the option in silence.
    await expectError(() => blockModelFromSafetensors(ours, { pytorch: chainExpression, loss: 'mse' }), 'INVALID_OPTION', /^loss option 'mse' contradicts __metadata__\.loss 'cross-entropy', which the file records/);
    const theirs = encodeSafetensors({ format: 'pt', loss: 'cross-entropy' }, plainDense());
    await expectError(() => blockModelFromSafetensors(theirs, { pytorch: chainExpression }), 'BAD_MODEL_FILE', /^__metadata__: has no "loss"; pass \{ loss \}/);
    expect(blockModelFromSafetensors(theirs, { pytorch: chainExpression, loss: 'cross-entropy' }).loss).toBe('cross-entropy');
  });
});

describe("a state_dict whose metadata records its module (a pytorch key, no format: gradscope's keys)", () => {
  const folder = mkdtempSync(join(tmpdir(), 'gradscope-recorded-module-'));
  /** nn.Sequential(nn.Linear(4, 6), nn.LayerNorm(6), nn.Tanh(), nn.Linear(6, 3), nn.Softmax(dim=-1)): no Residual in it. */
  const normExpression = 'nn.Sequential(nn.Linear(4, 6), nn.LayerNorm(6), nn.Tanh(), nn.Linear(6, 3), nn.Softmax(dim=-1))';
  const normTensors = (): TensorToWrite[] =>
    ([['0.weight', [6, 4]], ['0.bias', [6]], ['1.weight', [6]], ['1.bias', [6]], ['3.weight', [3, 6]], ['3.bias', [3]]] as const).map(([name, shape]) => ({
      name,
      dtype: 'F32' as const,
      shape: [...shape],
      values: Float32Array.from({ length: shape.reduce((a: number, b: number) => a * b, 1) }, (_, i) => 0.3 * Math.sin(i + name.length)),
    }));

  // It was sent to the dense reader (no pytorch option given), while the option is refused for it: nothing read it (io33, review33).
  it('reads by the recorded expression, with a Residual in it or a LayerNorm, through readSafetensors and gradscope convert', async () => {
    const { list, values } = tensors();
    const residual = encodeSafetensors({ pytorch: EXPRESSION, loss: 'cross-entropy' }, list);
    const model = readSafetensors(residual);
    expect('kind' in model && model.layers.map((l) => l.type)).toEqual(['dense', 'residual', 'dense']);
    const net = await networkFromBlockModel(model as Parameters<typeof networkFromBlockModel>[0], { backend: 'ref' });
    X.forEach((x) => Array.from(net.predict([x])[0]).forEach((p, k) => expect(p).toBeCloseTo(moduleOutput(values, x)[k], 6)));
    net.dispose();
    const norm = encodeSafetensors({ pytorch: normExpression, loss: 'cross-entropy' }, normTensors());
    expect(readSafetensors(norm)).toEqual(blockModelFromSafetensors(norm));
    for (const [name, bytes] of [['residual', residual], ['norm', norm]] as const) {
      writeFileSync(join(folder, `${name}.safetensors`), bytes);
      const { code, stderr } = await runCliInProcess(['convert', join(folder, `${name}.safetensors`), join(folder, `${name}.json`)]);
      expect(stderr, name).toBe('');
      expect(code, name).toBe(0);
      expect(JSON.parse(readFileSync(join(folder, `${name}.json`), 'utf8')).layers, name).toEqual(blockModelFromSafetensors(bytes).layers);
    }
    // The recorded expression names the tensors: a layers order has no place, and the option is refused by the one rule.
    await expectError(() => readSafetensors(norm, { layers: ['0', '3'] }), 'INVALID_OPTION', /^the layers option does not apply: __metadata__\.pytorch's module expression names the tensors/);
    await expectError(() => readSafetensors(norm, { pytorch: normExpression }), 'INVALID_OPTION', /^the pytorch option does not apply: __metadata__\.pytorch records the module the file holds$/);
  });

  // fromSafetensors sent it to the dense reader: 'expected a 2-D shape' for the LayerNorm's 1.weight, the Residual refused for
  // a reason the metadata had already settled, a Linear chain asked for the activations the expression gives (io34).
  it('reads through fromSafetensors by the recorded expression, one rule with readSafetensors: a dense chain returned, a block network refused', async () => {
    const blockRefusal = (expression: string) => `^safetensors: holds a block network \\(__metadata__\\.pytorch records its module, ${expression.replace(/[().]/g, '\\$&')}\\): read it with blockModelFromSafetensors$`;
    const residual = encodeSafetensors({ pytorch: EXPRESSION, loss: 'cross-entropy' }, tensors().list);
    const norm = encodeSafetensors({ pytorch: normExpression, loss: 'cross-entropy' }, normTensors());
    for (const [bytes, expression] of [[residual, EXPRESSION], [norm, normExpression]] as const) {
      // What the file holds is said first, whatever the options: none would make it a dense chain.
      for (const options of [{}, DENSE, { layers: ['0', '3'] }]) await expectError(() => fromSafetensors(bytes, options), 'BAD_MODEL_FILE', new RegExp(blockRefusal(expression)));
    }
    const chainExpression = 'nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Identity(), nn.Linear(6, 3), nn.Softmax(dim=-1))';
    const { list, values } = tensors();
    const chain = encodeSafetensors({ pytorch: chainExpression, loss: 'cross-entropy' }, list.filter((t) => !t.name.startsWith('2.')));
    const model = fromSafetensors(chain);
    expect(model).toMatchObject({ loss: 'cross-entropy', sizes: [4, 6, 3], activations: ['tanh', 'softmax'], imported: { lossFrom: '__metadata__.loss', notes: [] } });
    expect(model.weights).toEqual([values.get('0.weight'), values.get('3.weight')]);
    expect(model.biases).toEqual([values.get('0.bias'), values.get('3.bias')]);
    // readSafetensors reads it as the same dense chain, keeping the module's names (0, 3: an nn.Identity() at 2) for the way back out.
    expect(readSafetensors(chain)).toEqual(model);
    expect(model.pytorchModule).toEqual({ layerNames: ['0', '3'] });
    // The loss given where the file records none; the expression orders the tensors and gives the activations, so neither option has a place.
    const unrecorded = encodeSafetensors({ pytorch: chainExpression }, list.filter((t) => !t.name.startsWith('2.')));
    expect(fromSafetensors(unrecorded, { loss: 'cross-entropy' }).imported).toEqual({ lossFrom: 'the loss option', notes: [] });
    await expectError(() => fromSafetensors(chain, { layers: ['0', '3'] }), 'INVALID_OPTION', /^the layers option does not apply: __metadata__\.pytorch's module expression names the tensors/);
    await expectError(() => fromSafetensors(chain, { activation: 'tanh' }), 'INVALID_OPTION', /^the activation option does not apply: the module expression \(__metadata__\.pytorch\) gives every layer's activation/);
  });
});
