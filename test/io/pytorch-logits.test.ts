/**
 * The most common PyTorch files: a classifier ending in logits (nn.CrossEntropyLoss /
 * nn.BCEWithLogitsLoss apply the softmax or sigmoid themselves), a state_dict saved under a module
 * prefix (`net.0.weight`), and a plain state_dict without metadata on the command line, whose
 * errors name the flags still missing.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { networkFromBlockModel } from '../../src/io/model-data.js';
import { blockModelFromSafetensors } from '../../src/io/safetensors-blocks.js';
import { fromSafetensors } from '../../src/io/safetensors.js';
import { encodeSafetensors, parseSafetensors, type TensorToWrite } from '../../src/io/safetensors-format.js';
import { modelFromJSON, type ModelData } from '../../src/network/model-file.js';
import { runCliInProcess } from '../util/cli.js';
import { expectError } from '../util/expect-error.js';
import { flat } from '../util/printed-text.js';

const LOGITS = 'nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))';
const SHAPES: [string, number[]][] = [['0.weight', [8, 4]], ['0.bias', [8]], ['2.weight', [3, 8]], ['2.bias', [3]]];

/** The state_dict of LOGITS (names under `prefix`), with its values by unprefixed name. */
function stateDict(prefix = '', outputs = 3): { bytes: Uint8Array; values: Map<string, Float32Array> } {
  const values = new Map<string, Float32Array>();
  const tensors: TensorToWrite[] = SHAPES.map(([name, shape], t) => {
    const size = name.startsWith('2.') ? [outputs, ...shape.slice(1)] : shape;
    const v = Float32Array.from({ length: size.reduce((n, d) => n * d, 1) }, (_, i) => 0.4 * Math.sin(7 * t + i));
    values.set(name, v);
    return { name: prefix + name, dtype: 'F32', shape: size, values: v };
  });
  return { bytes: encodeSafetensors({ format: 'pt' }, tensors), values };
}

/** The module's logits for one row x, in float64 (what PyTorch's forward computes). */
function logits(values: Map<string, Float32Array>, x: number[], outputs: number): number[] {
  const w0 = values.get('0.weight')!, b0 = values.get('0.bias')!, w2 = values.get('2.weight')!, b2 = values.get('2.bias')!;
  const h = Array.from({ length: 8 }, (_, j) => Math.max(0, b0[j] + x.reduce((s, xi, i) => s + w0[j * 4 + i] * xi, 0)));
  return Array.from({ length: outputs }, (_, k) => b2[k] + h.reduce((s, hj, j) => s + w2[k * 8 + j] * hj, 0));
}

const X = [[0.5, -1, 2, 0.1], [-0.3, 0.8, -1.5, 1.2], [1.1, 0.2, 0.3, -0.7]];

describe('a PyTorch module ending in logits', () => {
  it("with loss 'cross-entropy' reads with a softmax output: predict is softmax(logits) and the loss nn.CrossEntropyLoss's mean −log softmax(z)_y, noted", async () => {
    const { bytes, values } = stateDict();
    const model = blockModelFromSafetensors(bytes, { pytorch: LOGITS, loss: 'cross-entropy' });
    expect(model.layers.at(-1)).toEqual({ type: 'dense', units: 3, activation: 'softmax' });
    expect(model.imported).toEqual({ lossFrom: 'the loss option', notes: [expect.stringMatching(/^the module ends in logits .*read with a softmax output layer, as nn\.CrossEntropyLoss applies log-softmax itself .*predict gives probabilities where the module gives logits$/)] });
    const net = await networkFromBlockModel(model, { backend: 'ref' });
    const Y = [[0, 0, 1], [1, 0, 0], [0, 1, 0]];
    let crossEntropy = 0;
    X.forEach((x, r) => {
      const z = logits(values, x, 3);
      const max = Math.max(...z);
      const logSum = max + Math.log(z.reduce((s, zk) => s + Math.exp(zk - max), 0));
      Array.from(net.predict([x])[0]).forEach((p, k) => expect(p).toBeCloseTo(Math.exp(z[k] - logSum), 6));
      crossEntropy += (logSum - z[Y[r].indexOf(1)]) / X.length;
    });
    expect(net.evaluate(X, Y).loss).toBeCloseTo(crossEntropy, 6);
    net.dispose();
  });

  it("with 'binary-cross-entropy' reads with a sigmoid output (nn.BCEWithLogitsLoss); with mse, or with the output module written, as it says", () => {
    const one = stateDict('', 1).bytes;
    const binary = blockModelFromSafetensors(one, { pytorch: LOGITS.replace('nn.Linear(8, 3)', 'nn.Linear(8, 1)'), loss: 'binary-cross-entropy' });
    expect(binary.layers.at(-1)).toEqual({ type: 'dense', units: 1, activation: 'sigmoid' });
    expect(binary.imported!.notes[0]).toMatch(/nn\.BCEWithLogitsLoss applies the sigmoid itself/);
    const { bytes } = stateDict();
    const regression = blockModelFromSafetensors(bytes, { pytorch: LOGITS, loss: 'mse' });
    expect(regression.layers.at(-1)).toEqual({ type: 'dense', units: 3, activation: 'linear' });
    expect(regression.imported).toBeUndefined();
    const written = blockModelFromSafetensors(bytes, { pytorch: LOGITS.replace(/\)$/, ', nn.Softmax(dim=-1))'), loss: 'cross-entropy' });
    expect(written.imported).toBeUndefined();
    expect(written.layers).toEqual(blockModelFromSafetensors(bytes, { pytorch: LOGITS, loss: 'cross-entropy' }).layers);
  });
});

describe('a state_dict saved under a module prefix', () => {
  it('reads under the prefix every tensor shares when the names are all under it, noted as kept on the way back out; otherwise the missing tensor is named with what the file has', async () => {
    const plain = blockModelFromSafetensors(stateDict().bytes, { pytorch: LOGITS, loss: 'cross-entropy' });
    const prefixed = blockModelFromSafetensors(stateDict('net.').bytes, { pytorch: LOGITS, loss: 'cross-entropy' });
    expect(prefixed.tensors).toEqual(plain.tensors);
    expect(prefixed.imported!.notes).toContain('read every tensor under the module prefix "net." (net.0.weight as the expression\'s 0.weight), which the names written back keep');
    // Nothing was dropped where no prefix was read: no note says so (session 46's left-alone 5).
    expect((plain.imported?.notes ?? []).filter((note) => note.includes('prefix'))).toEqual([]);
    expect(blockModelFromSafetensors(stateDict('model.net.').bytes, { pytorch: LOGITS, loss: 'cross-entropy' }).tensors).toEqual(plain.tensors);
    // Two prefixes: no rule says which one, so nothing is dropped and the error lists the names: the tensors the
    // pytorch option names are not in the file, the caller's mistake (INVALID_OPTION, as 8f0b0e3 made it).
    const { values } = stateDict();
    const mixed = encodeSafetensors({}, SHAPES.map(([name, shape], i) => ({ name: `${i < 2 ? 'a' : 'b'}.${name}`, dtype: 'F32' as const, shape, values: values.get(name)! })));
    await expectError(() => blockModelFromSafetensors(mixed, { pytorch: LOGITS, loss: 'cross-entropy' }), 'INVALID_OPTION', /^0\.weight: missing: the layers need it \(shape \[8, 4\]\); the file has a\.0\.weight, a\.0\.bias, b\.2\.weight, b\.2\.bias$/);
  });
});

describe('gradscope convert of a plain state_dict', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradscope-logits-'));
  const plain = join(dir, 'seq.safetensors');
  writeFileSync(plain, stateDict().bytes);
  const prefixed = join(dir, 'prefixed.safetensors');
  writeFileSync(prefixed, stateDict('net.').bytes);

  it('the CrossEntropyLoss classifier converts, printing the rule it was read by', async () => {
    const run = await runCliInProcess(['convert', prefixed, join(dir, 'out.json'), '--loss', 'cross-entropy', '--pytorch', LOGITS]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // Each note on lines of its own under the model's, indented (wrapped at READING_WIDTH): read across the lines.
    expect(run.stdout.split('\n').filter((line) => line.startsWith('  ')).length).toBeGreaterThanOrEqual(3);
    // A module of nn.Linear layers and their activations is the dense chain it is, keeping the module's names and its logits.
    expect(flat(run.stdout)).toMatch(/→ .*out\.json \(gradscope\): \[4,8,3\] relu, softmax, loss cross-entropy loss cross-entropy from the loss option the module ends in logits .* read every tensor under the module prefix "net\." .*which the names written back keep/);
    expect(modelFromJSON(readFileSync(join(dir, 'out.json'), 'utf8')).pytorchModule).toEqual({ layerNames: ['net.0', 'net.2'], logits: true });
    // ONNX and tfjs have no place for the record: the export says so, where it said nothing.
    for (const [format, out, file] of [['onnx', 'out.onnx', 'an ONNX file'], ['tfjs', 'tfjs-out', 'a tfjs model']]) {
      const exported = await runCliInProcess(['convert', join(dir, 'out.json'), join(dir, out), '--to', format]);
      expect(exported.code, exported.stderr).toBe(0);
      expect(flat(exported.stdout)).toContain(`the PyTorch module's record (pytorchModule: its names (net.0, net.2) and that it ends in logits) is not kept in ${file}, which names its tensors its own way: convert to .safetensors or gradscope's .json to keep it`);
    }
  });

  it('without metadata, the error names the flags still missing', async () => {
    const cases: [string[], RegExp][] = [
      [[], /has no gradscope "activations"; pass \{ activation, output, loss \} \(--activation, --output, --loss\) to say what the layers compute, or read it by the expression of the PyTorch module that saved it: blockModelFromSafetensors's \{ pytorch, loss \} \(--pytorch, --loss\)\n$/],
      [['--loss', 'cross-entropy'], /pass \{ activation, output \} \(--activation, --output\) to say what the layers compute, or read it by the expression of the PyTorch module that saved it: blockModelFromSafetensors's \{ pytorch \} \(--pytorch\)\n$/],
      [['--activation', 'relu'], /has no gradscope "activations"; pass \{ output, loss \} \(--output, --loss\) to say what the layers compute\n$/],
      // --layers orders a dense chain's tensors; the module expression orders them itself and --pytorch beside --layers is refused, so no hint to it.
      [['--layers', '0,2'], /has no gradscope "activations"; pass \{ activation, output, loss \} \(--activation, --output, --loss\) to say what the layers compute\n$/],
      [['--output', 'softmax', '--loss', 'cross-entropy'], /has no gradscope "activations"; pass \{ activation \} \(--activation\)/],
      [['--activation', 'relu', '--output', 'softmax'], /has no gradscope "loss"; pass \{ loss \} \(--loss\)/],
      [['--pytorch', LOGITS], /has no "loss"; pass \{ loss \} \(--loss\)/],
    ];
    for (const [flags, message] of cases) {
      const run = await runCliInProcess(['convert', plain, join(dir, 'refused.json'), ...flags]);
      expect(run.code, flags.join(' ')).toBe(1);
      expect(run.stderr, flags.join(' ')).toMatch(/^gradscope: BAD_MODEL_FILE: .*seq\.safetensors: __metadata__: /);
      expect(run.stderr, flags.join(' ')).toMatch(message);
    }
  });

  it("--output linear beside --loss cross-entropy (a module's logits and its nn.CrossEntropyLoss) is the flags' mistake, named, with the output that reads it; the file's recorded loss is named as the file's", async () => {
    // It was 'BAD_MODEL_FILE: …: safetensors __metadata__: loss …', of a file with no such metadata (newuser45 #2).
    const out = join(dir, 'linear.json');
    const run = await runCliInProcess(['convert', plain, out, '--activation', 'relu', '--output', 'linear', '--loss', 'cross-entropy']);
    expect(run.code).toBe(2);
    expect(flat(run.stderr)).toContain(
      "--output linear with --loss cross-entropy: loss 'cross-entropy' needs a 'softmax' output layer, got 'linear'; a PyTorch module ending in logits (its last nn.Linear, no activation after it) trained with nn.CrossEntropyLoss is read with output 'softmax' (--output softmax) and loss 'cross-entropy': nn.CrossEntropyLoss applies log-softmax itself (the same loss and gradients)",
    );
    expect(existsSync(out)).toBe(false);
    // The sentence's way reads it: softmax beside the same loss.
    const read = await runCliInProcess(['convert', plain, out, '--activation', 'relu', '--output', 'softmax', '--loss', 'cross-entropy']);
    expect(read.code, read.stderr).toBe(0);
    // The library says the same in its option names; binary-cross-entropy names nn.BCEWithLogitsLoss and the sigmoid; mse has no logits sentence.
    const bytes = stateDict('', 1).bytes;
    await expectError(() => fromSafetensors(bytes, { activation: 'relu', output: 'linear', loss: 'binary-cross-entropy' }), 'INVALID_OPTION', /^output option 'linear' with loss option 'binary-cross-entropy': loss 'binary-cross-entropy' needs a 'sigmoid' output layer, got 'linear'; .*trained with nn\.BCEWithLogitsLoss is read with output 'sigmoid' \(--output sigmoid\) .*applies the sigmoid itself/);
    await expectError(() => fromSafetensors(stateDict().bytes, { activation: 'relu', output: 'softmax', loss: 'mse' }), 'INVALID_OPTION', /^output option 'softmax' with loss option 'mse': a softmax output goes with loss 'cross-entropy', not 'mse'$/);
    // A loss the file records, beside an --output that does not go with it: the file's loss named as its own.
    const recorded = join(dir, 'recorded-loss.safetensors');
    writeFileSync(recorded, encodeSafetensors({ loss: 'cross-entropy' }, SHAPES.map(([name, shape]) => ({ name, dtype: 'F32' as const, shape, values: new Float32Array(shape.reduce((n, d) => n * d, 1)) }))));
    const mixed = await runCliInProcess(['convert', recorded, join(dir, 'mixed.json'), '--activation', 'relu', '--output', 'sigmoid']);
    expect(mixed.code).toBe(2);
    expect(flat(mixed.stderr)).toContain(`--output sigmoid with ${recorded}'s __metadata__.loss cross-entropy: loss 'cross-entropy' needs a 'softmax' output layer, got 'sigmoid'`);
  });

  it("written back to safetensors, a model read from logits by its module expression stays logits; one read by --output softmax says its expression ends in nn.Softmax, which nn.CrossEntropyLoss applies itself", async () => {
    // The module expression said it ended in logits: the expression written back ends in its last nn.Linear, as the module did, and nothing needs saying.
    const json = join(dir, 'logits.json');
    expect((await runCliInProcess(['convert', plain, json, '--loss', 'cross-entropy', '--pytorch', LOGITS])).code).toBe(0);
    const logitsBack = await runCliInProcess(['convert', json, join(dir, 'logits.safetensors')]);
    expect(logitsBack.code, logitsBack.stderr).toBe(0);
    expect(logitsBack.stdout).not.toContain('__metadata__.pytorch ends in');
    const written = parseSafetensors(readFileSync(join(dir, 'logits.safetensors')));
    expect(written.metadata.pytorch).toBe(LOGITS);
    expect(JSON.parse(written.metadata.pytorchModule)).toEqual({ logits: true });
    expect(written.metadata.activations).toBe('relu,softmax'); // gradscope reads it back with its softmax output, as it was read
    // --output softmax says nothing of the module's last module: the expression gained nn.Softmax(dim=-1), which is said, or a module
    // built from it and trained on with nn.CrossEntropyLoss applies softmax twice (newuser45 #3).
    const softmax = join(dir, 'softmax.json');
    expect((await runCliInProcess(['convert', plain, softmax, '--activation', 'relu', '--output', 'softmax', '--loss', 'cross-entropy'])).code).toBe(0);
    const back = await runCliInProcess(['convert', softmax, join(dir, 'softmax.safetensors')]);
    expect(back.code, back.stderr).toBe(0);
    expect(flat(back.stdout)).toContain(
      "__metadata__.pytorch ends in nn.Softmax(dim=-1), gradscope's softmax output, which its cross-entropy loss takes: nn.CrossEntropyLoss applies log-softmax itself, so a module built from it and trained with nn.CrossEntropyLoss applies it twice (wrong gradients, no error): build it without that last nn.Softmax(dim=-1) (it holds no tensors, so the state_dict loads either way)",
    );
    // Where the last module is what PyTorch's loss takes (mse beside a linear output), or the file is not safetensors: nothing to say.
    const mse = join(dir, 'mse.json');
    expect((await runCliInProcess(['convert', plain, mse, '--activation', 'relu', '--output', 'linear', '--loss', 'mse'])).code).toBe(0);
    expect((await runCliInProcess(['convert', mse, join(dir, 'mse.safetensors')])).stdout).not.toContain('__metadata__.pytorch ends in');
    expect((await runCliInProcess(['convert', json, join(dir, 'again.json')])).stdout).not.toContain('__metadata__.pytorch ends in');
  });

  it('offers the --pytorch route only where a module expression could name the layers: Sequential indices (under a prefix all share)', async () => {
    const route = /or read it by the expression of the PyTorch module that saved it/;
    const { values } = stateDict();
    const named = (rename: (name: string) => string, keep = (_name: string) => true) =>
      encodeSafetensors({ format: 'pt' }, SHAPES.filter(([name]) => keep(name)).map(([name, shape]) => ({ name: rename(name), dtype: 'F32' as const, shape, values: values.get(name)! })));
    const cases: [string, Uint8Array, boolean][] = [
      ['0, 2', named((name) => name), true],
      ['net.0, net.2', named((name) => `net.${name}`), true],
      ['model.net.0, model.net.2', named((name) => `model.net.${name}`), true],
      ['fc0, fc2 (a module class\'s attributes)', named((name) => `fc${name}`), false],
      ['a.0, b.2 (no prefix they share)', named((name) => `${name.startsWith('0') ? 'a' : 'b'}.${name}`), false],
      ['0, 2 without biases (an expression of nn.Linear(bias=False) reads them)', named((name) => name, (name) => name.endsWith('.weight')), true],
    ];
    for (const [names, bytes, offered] of cases) {
      const file = join(dir, 'named.safetensors');
      writeFileSync(file, bytes);
      const run = await runCliInProcess(['convert', file, join(dir, 'named.json')]);
      expect(run.stderr, names).toMatch(/has no gradscope "activations"/);
      if (offered) expect(run.stderr, names).toMatch(route);
      else expect(run.stderr, names).not.toMatch(route);
    }
  });

  it('study --model, gradients and curvature, which take no import flags, give the convert command that does, to run first', async () => {
    const converted = join(dir, 'seq.json');
    for (const words of [['study'], ['gradients'], ['curvature']]) {
      const run = await runCliInProcess([...words, '--model', plain]);
      expect(run.code, words[0]).toBe(1);
      expect(run.stderr, words[0]).toBe(
        `gradscope: BAD_MODEL_FILE: ${plain}: __metadata__: has no gradscope "activations", and gradscope ${words[0]} takes no flag to say what the layers compute: ` +
          `convert the file first: gradscope convert ${plain} ${converted} --activation A --output A --loss L ` +
          `(or, to read it by the expression of the PyTorch module that saved it, gradscope convert ${plain} ${converted} --pytorch EXPR --loss L) ` +
          `(gradscope convert --help lists each flag's values), then give --model ${converted}\n`,
      );
    }
  });

  it('under a long path the commands print whole (a line cuts only what the file lacks) and run as printed, their placeholders filled', async () => {
    // 6 folders of 200 characters: the path alone passes the 1000 characters a message's words get (the line was cut mid-path, in the first command).
    const deep = join(dir, ...'abcdef'.split('').map((letter) => letter.repeat(200)));
    mkdirSync(deep, { recursive: true });
    const file = join(deep, 'seq.safetensors');
    writeFileSync(file, stateDict().bytes);
    const refused = await runCliInProcess(['gradients', '--model', file]);
    expect(refused.code).toBe(1);
    // What the file lacks is words, cut as ever (here in the path that prefixes them); what to run follows whole.
    const lacks = `${file}: __metadata__: has no gradscope "activations"`;
    expect(refused.stderr.startsWith(`gradscope: BAD_MODEL_FILE: ${lacks.slice(0, 1000)}…, and gradscope gradients takes no flag`)).toBe(true);
    const [, convert, byModule, model] =
      /convert the file first: (gradscope convert .*?) \(or, to read it by the expression of the PyTorch module that saved it, (gradscope convert .*?)\) \(gradscope convert --help lists each flag's values\), then give --model (\S+)\n$/.exec(refused.stderr) ?? [];
    const converted = join(deep, 'seq.json');
    expect(convert).toBe(`gradscope convert ${file} ${converted} --activation A --output A --loss L`);
    expect(byModule).toBe(`gradscope convert ${file} ${converted} --pytorch EXPR --loss L`);
    expect(model).toBe(converted);
    const data = join(dir, 'seq-rows.json');
    writeFileSync(data, JSON.stringify({ inputs: X, targets: [[0, 0, 1], [1, 0, 0], [0, 1, 0]] }));
    const values: Record<string, string> = { A: 'relu', L: 'cross-entropy', EXPR: LOGITS };
    for (const printed of [convert, byModule]) {
      // Its words as a shell splits them (the paths hold no space or quote), each placeholder filled; --activation A then --output A.
      const words = printed.split(' ').slice(1).map((word, i, all) => (all[i - 1] === '--output' ? 'softmax' : (values[word] ?? word)));
      const ran = await runCliInProcess(words);
      expect(ran.code, ran.stderr).toBe(0);
      const studied = await runCliInProcess(['gradients', '--model', model, '--data', data]);
      expect(studied.code, studied.stderr).toBe(0);
    }
  });

  /** Dense layers `[name, out, inputs]`, each weight's values from `k` (its index) so that the order read shows in the weights. */
  const dense = (layers: [string, number, number][]): TensorToWrite[] =>
    layers.flatMap(([name, out, inputs], k) => [
      { name: `${name}.weight`, dtype: 'F32' as const, shape: [out, inputs], values: Float32Array.from({ length: out * inputs }, (_, i) => ((i * 7 + k) % 5) / 10 - 0.2) },
      { name: `${name}.bias`, dtype: 'F32' as const, shape: [out], values: new Float32Array(out) },
    ]);
  const squareRows = join(dir, 'square-rows.json');
  writeFileSync(squareRows, JSON.stringify({ inputs: [[0, 1, 0, 1], [1, 0, 1, 0]], targets: [[1, 0, 0, 0], [0, 0, 1, 0]] }));
  /** Placeholders as the user fills them: --activation tanh, --output softmax, --loss cross-entropy, --pytorch `expression`. */
  const filled = (printed: string, expression = '') =>
    printed.split(' ').slice(1).map((word, i, all) => ({ '--activation': 'tanh', '--output': 'softmax', '--loss': 'cross-entropy', '--pytorch': expression })[all[i - 1]] ?? word);

  /** Runs `printed` (a convert command the refusal printed: the paths hold no space or quote), then gradients on the model it wrote with `rows`: the model, and what convert said. */
  async function runPrinted(printed: string, converted: string, rows = squareRows): Promise<{ model: ModelData; said: string }> {
    const ran = await runCliInProcess(filled(printed));
    expect(ran.code, ran.stderr).toBe(0);
    const studied = await runCliInProcess(['gradients', '--model', converted, '--data', rows]);
    expect(studied.code, studied.stderr).toBe(0);
    return { model: modelFromJSON(JSON.parse(readFileSync(converted, 'utf8'))), said: ran.stdout };
  }

  it("a dense chain whose layers' order the file does not give: convert asks for --layers, study --model, gradients and curvature (no --layers) give a convert command for each order", async () => {
    // Two square layers chain either way round and their names carry no order. The three commands said '(--layers a,b,c)', a flag they refuse.
    const square = dense([['encoder', 4, 4], ['decoder', 4, 4]]);
    const file = join(dir, 'square.safetensors');
    writeFileSync(file, encodeSafetensors({}, square));
    const lacks = `${file}: safetensors: the dense layers (encoder [4, 4], decoder [4, 4]) chain in more than one order (encoder → decoder; decoder → encoder): ambiguous`;
    // The file records nothing of what its layers compute either: every option the import needs is asked for at once, the
    // layers by the file's own names (it printed '--layers fc1,fc2', and the command then lacked --activation, --output and --loss).
    // No module expression names layers encoder and decoder (a module class's attributes): no --pytorch route, which could not run.
    const convert = await runCliInProcess(['convert', file, join(dir, 'square-out.json')]);
    // The purpose names what is missing: the order, what the layers compute and (the loss) what the model was trained on.
    const purpose = "to give their order (the layers' names, input first), say what they compute and what the model was trained on";
    expect(convert.stderr).toBe(`gradscope: BAD_MODEL_FILE: ${lacks}; pass { layers, activation, output, loss } (--layers, --activation, --output, --loss) ${purpose}\n`);
    const converted = join(dir, 'square.json');
    // Both orders are offered, a whole command each: the file does not say which (it filled in the first found, choosing for the caller).
    const command = (order: string) => `gradscope convert ${file} ${converted} --layers ${order} --activation A --output A --loss L`;
    for (const words of [['study'], ['gradients'], ['curvature']]) {
      const run = await runCliInProcess([...words, '--model', file]);
      expect(run.code, words[0]).toBe(1);
      expect(run.stderr, words[0]).toBe(
        `gradscope: BAD_MODEL_FILE: ${lacks}, and gradscope ${words[0]} takes no flag ${purpose}: ` +
          `convert the file first: ${command('encoder,decoder')} (or ${command('decoder,encoder')}) ` +
          `(gradscope convert --help lists each flag's values), then give --model ${converted}\n`,
      );
    }
    // Each runs as printed (its placeholders filled) and reads the layers in its order.
    for (const order of ['encoder,decoder', 'decoder,encoder']) {
      const { model } = await runPrinted(command(order), converted);
      expect(model.weights, order).toEqual(fromSafetensors(readFileSync(file), { layers: order.split(','), activation: 'tanh', output: 'softmax', loss: 'cross-entropy' }).weights);
    }
    // Only the loss unstated: the purpose says that, not what the layers compute (which the activations recorded say).
    const recorded = join(dir, 'square-no-loss.safetensors');
    writeFileSync(recorded, encodeSafetensors({ format: 'gradscope.model', version: '1', activations: 'tanh,softmax' }, square));
    const noLoss = await runCliInProcess(['convert', recorded, join(dir, 'square-no-loss.json')]);
    expect(noLoss.stderr).toMatch(/; pass \{ layers, loss \} \(--layers, --loss\) to give their order \(the layers' names, input first\) and say what the model was trained on\n$/);
  });

  it("a PyTorch Residual's state_dict whose layers chain in two orders: only the --pytorch route is printed (a --layers order would drop the residual), and it runs as printed", async () => {
    // nn.Linear at 0, Residual at 2 with its branch's nn.Linear: either --layers order read a chain of two Linears, x + branch(x) dropped.
    const expression = 'nn.Sequential(nn.Linear(4, 4), nn.Tanh(), Residual(nn.Sequential(nn.Linear(4, 4), nn.Tanh())), nn.Softmax(dim=-1))';
    const file = join(dir, 'residual.safetensors');
    writeFileSync(file, encodeSafetensors({ format: 'pt' }, dense([['0', 4, 4], ['2.branch.0', 4, 4]])));
    const refused = await runCliInProcess(['gradients', '--model', file]);
    expect(refused.code).toBe(1);
    const converted = join(dir, 'residual.json');
    const byModule = `gradscope convert ${file} ${converted} --pytorch EXPR --loss L`;
    expect(refused.stderr).toBe(
      `gradscope: BAD_MODEL_FILE: ${file}: safetensors: 2.branch.0.weight, 2.branch.0.bias are tensors of a PyTorch Residual block (its branch's modules k.branch.j, its ReZero gate k.alpha), which adds the block's input to its branch's output: ` +
        "read as a dense chain, that sum would be dropped and the network would compute something else than the module (a dense chain whose names only look like a Residual's reads as one with { layers } (--layers) naming its layers in order, input first), and gradscope gradients takes no flag to read it by the expression of the PyTorch module that saved it, which gives every layer " +
        `(in place of the activation, output and layers options, a dense chain's): convert the file first: ${byModule} (gradscope convert --help lists each flag's values), then give --model ${converted}\n`,
    );
    // Convert refuses the file read as a dense chain by the flags that say what it computes, in the library's words, writing nothing;
    // a --layers order is the caller's word that it is one (io34), so it reads.
    const run = await runCliInProcess(['convert', file, converted, '--activation', 'tanh', '--output', 'softmax', '--loss', 'cross-entropy']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/are tensors of a PyTorch Residual block .*; pass \{ pytorch \} \(--pytorch\) to read it by the expression of the PyTorch module that saved it/);
    expect(existsSync(converted)).toBe(false);
    const ran = await runCliInProcess(filled(byModule, expression));
    expect(ran.code, ran.stderr).toBe(0);
    expect(flat(ran.stdout)).toContain('4 inputs → dense 4 tanh → residual none [dense 4 tanh] → activation softmax, loss cross-entropy');
    const studied = await runCliInProcess(['gradients', '--model', converted, '--data', squareRows]);
    expect(studied.code, studied.stderr).toBe(0);
  });

  it('a dense chain whose shapes chain in one order: the printed commands run and read the layers in that order, noted', async () => {
    // decoder [3, 4] then encoder [2, 3]: the only order; the file lacks only what the layers compute and the loss.
    const file = join(dir, 'one-order.safetensors');
    writeFileSync(file, encodeSafetensors({}, dense([['encoder', 2, 3], ['decoder', 3, 4]])));
    const rows = join(dir, 'one-order-rows.json');
    writeFileSync(rows, JSON.stringify({ inputs: [[0, 1, 0, 1], [1, 0, 1, 0]], targets: [[1, 0], [0, 1]] }));
    const refused = await runCliInProcess(['study', '--model', file]);
    expect(refused.code).toBe(1);
    const converted = join(dir, 'one-order.json');
    const printed = `gradscope convert ${file} ${converted} --activation A --output A --loss L`;
    // encoder and decoder are no module expression's names: the --pytorch route is not offered.
    expect(refused.stderr).toContain(`convert the file first: ${printed} (gradscope convert --help lists each flag's values), then give --model ${converted}\n`);
    const { model, said } = await runPrinted(printed, converted, rows);
    expect(model.sizes).toEqual([4, 3, 2]);
    expect(model.weights).toEqual(fromSafetensors(readFileSync(file), { layers: ['decoder', 'encoder'], activation: 'tanh', output: 'softmax', loss: 'cross-entropy' }).weights);
    expect(said).toContain('ordered the dense layers by their shapes: decoder → encoder');
  });

  it("a dense chain whose shapes chain in no order is refused offering no way out: neither --layers order nor a module expression reads it", async () => {
    // 0 [3, 4] and 2.branch.0 [5, 6]: it printed '--layers 0,2.branch.0', which fails as the other order does; the names are a module's.
    const file = join(dir, 'apart.safetensors');
    writeFileSync(file, encodeSafetensors({}, dense([['0', 3, 4], ['2.branch.0', 5, 6]])));
    const lacks =
      'cannot read the dense layers (0 [3, 4], 2.branch.0 [5, 6]) as one network: their names carry no order and their shapes chain in none, so neither a layers order nor a PyTorch module expression reads them (each needs every layer to take as many inputs as the one before has outputs)';
    for (const words of [['convert', file, join(dir, 'apart.json')], ['gradients', '--model', file], ['study', '--model', file]]) {
      const run = await runCliInProcess(words);
      expect(run.code, words[0]).toBe(1);
      expect(run.stderr, words[0]).toBe(`gradscope: BAD_MODEL_FILE: ${file}: safetensors: ${lacks}\n`);
    }
    // What the message says: either order the layers option could give fails, and so does a module expression of the two Linears, in either order.
    const flags = ['--activation', 'relu', '--output', 'softmax', '--loss', 'cross-entropy'];
    for (const order of ['0,2.branch.0', '2.branch.0,0']) {
      const run = await runCliInProcess(['convert', file, join(dir, 'apart.json'), '--layers', order, ...flags]);
      expect(run.code, order).toBe(1);
      expect(run.stderr, order).toMatch(/^gradscope: BAD_MODEL_FILE: .*takes \d inputs but the previous layer has \d outputs/);
    }
    for (const [expression, fault] of [
      ['nn.Sequential(nn.Linear(4, 3), nn.Tanh(), Residual(nn.Sequential(nn.Linear(6, 5))))', /takes 6 features but gets 3/],
      ['nn.Sequential(nn.Linear(6, 5), nn.Tanh(), Residual(nn.Sequential(nn.Linear(4, 3))))', /takes 4 features but gets 5/],
    ] as const) {
      const byModule = await runCliInProcess(['convert', file, join(dir, 'apart.json'), '--pytorch', expression, '--loss', 'cross-entropy']);
      expect(byModule.code, expression).not.toBe(0);
      expect(byModule.stderr, expression).toMatch(fault);
    }
  });

  it('the convert commands printed for a chain whose order the file does not give each run as printed, and the model then loads', async () => {
    // A gradscope file (its activations and loss recorded) whose two square layers' names carry no order: --layers alone is needed.
    const square = dense([['encoder', 4, 4], ['decoder', 4, 4]]);
    const file = join(dir, 'recorded-square.safetensors');
    writeFileSync(file, encodeSafetensors({ format: 'gradscope.model', version: '1', activations: 'tanh,softmax', loss: 'cross-entropy' }, square));
    const refused = await runCliInProcess(['gradients', '--model', file]);
    expect(refused.code).toBe(1);
    const converted = join(dir, 'recorded-square.json');
    const command = (order: string) => `gradscope convert ${file} ${converted} --layers ${order}`;
    // A file gradscope wrote: its metadata says what the layers compute, and no module expression may override it (no --pytorch route).
    expect(refused.stderr).toContain(`convert the file first: ${command('encoder,decoder')} (or ${command('decoder,encoder')}) (gradscope convert --help`);
    for (const order of ['encoder,decoder', 'decoder,encoder']) {
      const { model } = await runPrinted(command(order), converted);
      expect(model.weights, order).toEqual(fromSafetensors(readFileSync(file), { layers: order.split(',') }).weights);
    }
  });
});
