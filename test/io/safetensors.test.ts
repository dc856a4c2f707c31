// safetensors: a file written byte by byte to the published layout loads with the right values;
// gradscope's own files round-trip exactly and keep PyTorch nn.Sequential naming; every
// structural fault is refused with BAD_MODEL_FILE naming the tensor or field.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GradscopeError } from '../../src/errors.js';
import { fromSafetensors, readSafetensors, toSafetensors } from '../../src/io/safetensors.js';
import { modelOf, networkFromModel } from '../../src/io/model-data.js';
import type { ModelData } from '../../src/network/model-file.js';
import type { BlockModelData } from '../../src/layers/block-model.js';
import { createNetwork } from '../../src/api/network.js';
import { expectClose } from '../util/close.js';

/** [u64 LE header length][header JSON][buffer], assembled by hand from the spec. */
function handWritten(header: string, buffer: Uint8Array, lengthField = header.length): Uint8Array {
  const out = new Uint8Array(8 + header.length + buffer.length);
  let n = lengthField;
  for (let i = 0; i < 8; i++, n = Math.floor(n / 256)) out[i] = n % 256;
  for (let i = 0; i < header.length; i++) out[8 + i] = header.charCodeAt(i);
  out.set(buffer, 8 + header.length);
  return out;
}

// A 2-3-1 network: layer 0 in F64, layer 2 in F32, as a PyTorch user might mix them.
const W0 = [0.5, -1, 0.25, 2, -0.75, 1.5]; // [3][2]
const B0 = [0.1, -0.2, 0.3];
const W2 = [1, -2, 0.5]; // [1][3]
const B2 = [-0.25];

function sampleBuffer(): Uint8Array {
  const buffer = new Uint8Array(6 * 8 + 3 * 8 + 3 * 4 + 4);
  const view = new DataView(buffer.buffer);
  let at = 0;
  for (const v of [...W0, ...B0]) (view.setFloat64(at, v, true), (at += 8));
  for (const v of [...W2, ...B2]) (view.setFloat32(at, v, true), (at += 4));
  return buffer;
}

const SAMPLE_HEADER = JSON.stringify({
  __metadata__: { activations: 'tanh,sigmoid', loss: 'mse' },
  '0.weight': { dtype: 'F64', shape: [3, 2], data_offsets: [0, 48] },
  '0.bias': { dtype: 'F64', shape: [3], data_offsets: [48, 72] },
  '2.weight': { dtype: 'F32', shape: [1, 3], data_offsets: [72, 84] },
  '2.bias': { dtype: 'F32', shape: [1], data_offsets: [84, 88] },
});

function badFile(bytes: Uint8Array, pattern: RegExp, options = {}): void {
  let thrown: unknown;
  try {
    fromSafetensors(bytes, options);
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `expected BAD_MODEL_FILE matching ${pattern}`).toBeInstanceOf(GradscopeError);
  expect((thrown as GradscopeError).code).toBe('BAD_MODEL_FILE');
  expect((thrown as GradscopeError).message).toMatch(pattern);
}

describe('safetensors import', () => {
  it('reads a hand-written file (F64 and F32) and predicts what its weights compute', async () => {
    const model = fromSafetensors(handWritten(SAMPLE_HEADER, sampleBuffer()));
    expect(model.sizes).toEqual([2, 3, 1]);
    expect(model.activations).toEqual(['tanh', 'sigmoid']);
    expect(model.loss).toBe('mse');
    expectClose(model.weights[0], W0, { abs: 0 }, '0.weight');
    expectClose(model.biases[1], B2, { abs: 0 }, '2.bias');

    const net = await networkFromModel(model, { backend: 'ref' });
    const x = [0.3, -0.7];
    const hidden = [0, 1, 2].map((j) => Math.tanh(W0[2 * j] * x[0] + W0[2 * j + 1] * x[1] + B0[j]));
    const z = hidden.reduce((s, h, j) => s + W2[j] * h, B2[0]);
    expectClose(net.predict([x])[0], [1 / (1 + Math.exp(-z))], { rel: 1e-6 }, 'prediction');
    net.dispose();
  });

  it('takes the architecture from options when a plain PyTorch state_dict has no metadata', () => {
    const header = SAMPLE_HEADER.replace('"__metadata__":{"activations":"tanh,sigmoid","loss":"mse"},', '');
    const bytes = handWritten(header, sampleBuffer());
    badFile(bytes, /__metadata__: has no gradscope "activations"/);
    const model = fromSafetensors(bytes, { activation: 'relu', output: 'linear', loss: 'mse' });
    expect(model.activations).toEqual(['relu', 'linear']);
  });

  it('refuses structural faults, naming what and where', () => {
    const buffer = sampleBuffer();
    const withHeader = (edit: (h: Record<string, any>) => void, buf = buffer) => {
      const h = JSON.parse(SAMPLE_HEADER);
      edit(h);
      return handWritten(JSON.stringify(h), buf);
    };
    badFile(new Uint8Array(5), /shorter than the 8-byte header length/);
    // Not bytes at all: said as such (a string read as 0 bytes: 'file is 0 bytes').
    expect(() => fromSafetensors('model.safetensors' as never)).toThrow(/^safetensors: expected bytes \(a Uint8Array or an ArrayBuffer\), got "model\.safetensors" \(these take the bytes of a file, not a path/);
    expect(() => fromSafetensors(null as never)).toThrow(/^safetensors: expected bytes \(a Uint8Array or an ArrayBuffer\), got null$/);
    badFile(handWritten(SAMPLE_HEADER, buffer, SAMPLE_HEADER.length + buffer.length + 1), /header length: says \d{1,3}(,\d{3})* bytes but only/);
    badFile(handWritten(SAMPLE_HEADER, buffer, 2 ** 40), /header length: .* exceeds the limit/);
    // Where in the header, as every JSON reader says it (it gave the engine's words alone).
    badFile(handWritten('{"0.weight": ', new Uint8Array()), /header: not valid JSON at line 1, column 14: expected a value \(an object, array, string, number, true, false or null\), got the end of the text$/);
    badFile(handWritten('{"0.weight": "\xff"}', new Uint8Array()), /header: not valid UTF-8$/);
    // A number beyond float64's range, which JSON reads as Infinity, quoted as the header writes it: data_offsets written before the
    // shape and also beyond it, so the text's first such number is not the refused shape's (edges47 #9, review51).
    const overflowing = SAMPLE_HEADER.replace('"shape":[3,2],"data_offsets":[0,48]', '"data_offsets":[0,1e401],"shape":[3,2e400]');
    const column = overflowing.indexOf('2e400') + 1;
    badFile(handWritten(overflowing, buffer), new RegExp(`0\\.weight\\.shape: expected an array of non-negative integers, got \\[3, Infinity\\] \\(the header writes 2e400 at line 1, column ${column}: beyond float64's range, which JSON reads as Infinity\\)$`));
    badFile(withHeader((h) => (h['2.bias'].data_offsets = [84, 92])), /2\.bias\.data_offsets: \[84, 92\] runs past the 88-byte data buffer/);
    badFile(withHeader((h) => (h['2.bias'].data_offsets = [80, 84])), /2\.(bias|weight): data_offsets \[\d+, \d+\] overlap/);
    badFile(withHeader((h) => (h['2.bias'].dtype = 'I32')), /2\.bias\.dtype: "I32" is not supported/);
    badFile(withHeader((h) => (h['0.bias'].shape = [4])), /0\.bias: shape \[4\] of F64 needs 32 bytes but data_offsets span 24/);
    badFile(withHeader((h) => (h['2.weight'].shape = [3, 1])), /2\.weight: shape \[3, 1\] takes 1 inputs but the previous layer has 3 outputs/);
    badFile(withHeader((h) => (h['1.running_mean'] = { dtype: 'F32', shape: [0], data_offsets: [88, 88] })), /1\.running_mean: a BatchNorm1d module's tensors \(1\.running_mean\), which a chain of dense layers does not hold/);
    badFile(withHeader((h) => (h.__metadata__.activations = 'tanh')), /__metadata__\.activations: lists 1 activations for 2 layers: one per dense layer, in order, the output's last \(e\.g\. "tanh" for the hidden layer, then "tanh"\)/);
    badFile(withHeader((h) => (h.__metadata__.activations = 'sigmoid,sigmoid,softmax')), /lists 3 activations for 2 layers: .*\(e\.g\. "sigmoid" for the hidden layer, then "softmax"\)/);
    badFile(withHeader((h) => (h.__metadata__.activations = `${'x'.repeat(500)}\n,softmax,relu`)), /: lists 3 activations for 2 layers: one per dense layer, in order, the output's last \(e\.g\. "x{78}… for the hidden layer, then "relu"\)$/);
    badFile(withHeader((h) => (h.__metadata__.activations = 'tanh,swish')), /__metadata__\.activations\[1\]/);
    badFile(withHeader((h) => (h.__metadata__.loss = 'cross-entropy')), /needs a 'softmax' output/);
    badFile(handWritten(SAMPLE_HEADER, Uint8Array.from([...buffer, 0, 0, 0, 0])), /tensors cover 88 of the 92 data bytes/);
    const nan = sampleBuffer();
    new DataView(nan.buffer).setFloat32(76, NaN, true);
    badFile(handWritten(SAMPLE_HEADER, nan), /2\.weight\[0, 1\]: NaN is not a finite number/);
  });

  it('reads F64 rounded to float32 and says so; refuses an F64 beyond float32 as itself, a runaway F16 or BF16 by its [row, col]', () => {
    expect(fromSafetensors(handWritten(SAMPLE_HEADER, sampleBuffer())).imported!.notes).toEqual([
      "read the F64 tensors (0.weight, 0.bias) as float32, each value rounded to the nearest, as PyTorch's .float() does: gradscope computes in float32",
    ]);
    const wide = sampleBuffer();
    new DataView(wide.buffer).setFloat64(8 * 3, 1e39, true); // 0.weight[1, 1]
    badFile(handWritten(SAMPLE_HEADER, wide), /^0\.weight\[1, 1\]: 1e\+39 is beyond the float32 range$/); // was 'Infinity is not a finite number'
    new DataView(wide.buffer).setFloat64(8 * 3, -1e17, true);
    badFile(handWritten(SAMPLE_HEADER, wide), /^0\.weight\[1, 1\]: -100000000000000000 is beyond ±1\.80e\+16, the largest parameter training allows/);
    // Half floats convert exactly; BF16 reaches 3.4e38, beyond the parameter bound.
    const half = (dtype: string, bits: number) => {
      const header = JSON.stringify({ __metadata__: { activations: 'linear', loss: 'mse' }, '0.weight': { dtype, shape: [1, 2], data_offsets: [0, 4] } });
      const buffer = new Uint8Array(4);
      new DataView(buffer.buffer).setUint16(2, bits, true);
      return handWritten(header, buffer);
    };
    // A weight without a bias: a block network, which readModelFile's reader gives.
    const f16 = readSafetensors(half('F16', 0x7bff)) as BlockModelData;
    // No F64 note: the one note is that of the missing bias.
    expect([Array.from(f16.tensors[0].values), f16.imported!.notes]).toEqual([[0, 65504], ['layers[0] (0.weight) has no bias (nn.Linear(bias=False)): read as a dense layer without a bias, a block network, and written back to safetensors without a .bias tensor']]);
    expect(Array.from((readSafetensors(half('BF16', 0x3fc0)) as BlockModelData).tensors[0].values)).toEqual([0, 1.5]);
    badFile(half('BF16', 0x7f7f), /^0\.weight\[0, 1\]: 3\.3\d+e\+38 is beyond ±1\.80e\+16/);
    badFile(half('F16', 0x7c00), /^0\.weight\[0, 1\]: Infinity is not a finite number/);
  });
});

describe('safetensors import of damaged files', () => {
  it('gives a model or a BAD_MODEL_FILE, never another error, for any truncation or byte change', () => {
    const good = handWritten(SAMPLE_HEADER, sampleBuffer());
    fc.assert(
      fc.property(fc.nat(good.length), fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), (cut, changes) => {
        const bytes = good.slice(0, cut);
        for (const [at, value] of changes) if (at < bytes.length) bytes[at] = value;
        try {
          const model = fromSafetensors(bytes);
          expect(model.weights.every((w) => w.every(Number.isFinite))).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(GradscopeError);
          expect((error as GradscopeError).code).toBe('BAD_MODEL_FILE');
        }
      }),
      { numRuns: 500, seed: 8 },
    );
  });
});

describe('safetensors export', () => {
  it('writes PyTorch nn.Sequential names, aligned data, and round-trips exactly', async () => {
    const net = await createNetwork({
      inputs: 4,
      layers: [
        { units: 5, activation: 'leaky-relu' },
        { units: 3, activation: 'linear' },
        { units: 3, activation: 'softmax' },
      ],
      backend: 'ref',
      biasInit: { name: 'normal', std: 0.5 },
      seed: 3,
    });
    const bytes = toSafetensors(net);
    // An independent reading of the layout, without fromSafetensors.
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const n = view.getUint32(0, true) + 2 ** 32 * view.getUint32(4, true);
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(Object.keys(header).sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight', '4.bias', '4.weight', '__metadata__']);
    expect(header['2.weight']).toMatchObject({ dtype: 'F32', shape: [3, 5] });
    expect(header.__metadata__).toMatchObject({ loss: 'cross-entropy', activations: 'leaky-relu,linear,softmax' });
    expect(header.__metadata__.pytorch).toContain('nn.Linear(4, 5), nn.LeakyReLU(0.01), nn.Linear(5, 3), nn.Identity()');
    const [begin] = header['2.weight'].data_offsets;
    const original: ModelData = modelOf(net);
    expect(view.getFloat32(8 + n + begin + 4 * 6, true)).toBe(original.weights[1][6]);

    const { imported, ...model } = fromSafetensors(bytes);
    expect(model).toEqual(original);
    expect(imported).toEqual({ lossFrom: '__metadata__.loss', notes: [] });
    const copy = await networkFromModel(model, { backend: 'ref' });
    const x = [[0.1, -0.3, 2, 0.7], [1, 1, -1, 0]];
    expect(copy.predict(x)).toEqual(net.predict(x));
    copy.dispose();
    net.dispose();
  });
});
