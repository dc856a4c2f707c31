// docs/interop.md shows what gradscope writes for block networks: the Residual class is the one in
// the files' metadata, and the example's expression and tensor list are what the writer produces
// for the example's layers. The SELU constants the ONNX section states are the kernels'.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SELU_ALPHA, SELU_LAMBDA } from '../../src/kernels.js';
import type { BlockModelData } from '../../src/layers/block-model.js';
import { PYTORCH_RESIDUAL_CLASS } from '../../src/io/pytorch-module.js';
import { toSafetensors } from '../../src/io/safetensors.js';
import { blockModelOf } from '../util/block-model.js';
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

  it('loads the file in PyTorch through the metadata keys gradscope writes', () => {
    const load = one('PyTorch loading', blocks.filter((b) => b.language === 'python' && b.code.includes('eval(meta["pytorch"])')));
    expect(load).toContain('exec(meta.get("pytorch_residual", ""))');
    expect(load).toContain('model.load_state_dict(load_file("net.safetensors"))');
    expect(Object.keys(header.__metadata__)).toEqual(expect.arrayContaining(['pytorch', 'pytorch_residual']));
  });

  it("states Selu's attributes as the kernels' constants", () => {
    expect(doc).toContain(`\`Selu\` (alpha ${SELU_ALPHA}, gamma ${SELU_LAMBDA}`);
  });
});
