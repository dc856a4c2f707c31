// The kernels the package exports check every call against KERNEL_SIZES before it runs, on every
// backend: `denseForward(z, a, w, b, 1000, 2, 2)` on tensors of 2 and 4 wrote ~2,000 floats past z
// over the other tensors, `zero(z, 100)` and `copyRows` with a row out of range alike, and a handle
// not made by alloc threw a raw RangeError or trapped ("memory access out of bounds"). The library's
// own layers keep the unchecked kernels (nothing in src/ but the entry point imports the checked ones).
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { checkedKernels, parseSignature } from '../../src/checked-kernels.js';
import * as entry from '../../src/index.js';
import { KERNEL_SIZES, type KernelMethod } from '../../src/kernel-sizes.js';
import type { Kernels, Tensor } from '../../src/kernels.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { importGraph } from '../architecture/import-graph.js';
import { expectError } from '../util/expect-error.js';

/** The contract's methods and their parameters' names, read from src/kernels.ts. */
function contractMethods(): Map<string, string[]> {
  const source = ts.createSourceFile('kernels.ts', readFileSync(new URL('../../src/kernels.ts', import.meta.url), 'utf8'), ts.ScriptTarget.Latest);
  const methods = new Map<string, string[]>();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || node.name.text !== 'Kernels') return;
    for (const member of node.members) {
      if (ts.isMethodSignature(member)) methods.set(member.name.getText(source), member.parameters.map((p) => p.name.getText(source)));
    }
  });
  return methods;
}

describe('KERNEL_SIZES, the one table of what each kernel asks', () => {
  const contract = contractMethods();

  it('has an entry for every kernel of the contract, and none other', () => {
    expect(contract.size).toBeGreaterThan(50);
    expect(Object.keys(KERNEL_SIZES).sort()).toEqual([...contract.keys()].sort());
  });

  it.each([...contract])("names %s's parameters as the contract does, in its order", (method, parameters) => {
    expect(parseSignature(KERNEL_SIZES[method as KernelMethod].signature).names).toEqual(parameters);
  });
});

const wasm = await entry.createWasmKernels();
const ref = entry.createRefKernels();
const threads = await entry.createThreadedWasmKernels({ threads: 2, minRowsPerThread: 1 });
afterAll(() => threads.close());
const exported: [string, Kernels][] = [['wasm', wasm], ['ref', ref], ['threads', threads]];

/** A plausible value for an argument the signature does not check itself (`~name`). */
function plausible(name: string, count: number): unknown {
  const values: Record<string, unknown> = {
    f: 'tanh', loss: 'mse', output: 'sigmoid', rows: Array.from({ length: count }, () => 0), build: () => undefined,
    src: [], parts: [], decoupled: false, accumulate: true, step: 1, length: 1, lo: 0, hi: 1,
  };
  return name in values ? values[name] : 0.5;
}

describe.each(exported)('the exported %s kernels', (_name, k) => {
  const CANARY = 7;
  /** Tensors around the ones a call gets, each full of CANARY: a write past one lands in another. */
  const canaries = (lengths: number[]) => lengths.map((length) => {
    const t = k.alloc(length);
    k.write(t, Array.from({ length }, () => CANARY));
    return t;
  });
  const untouched = (tensors: Tensor[]) => {
    for (const t of tensors) expect(Array.from(k.view(t))).toEqual(Array.from({ length: t.length }, () => CANARY));
  };

  it("refuses sizes past a tensor's end, naming the kernel, the argument and the sizes; nothing is written", async () => {
    const [a, w, b, z, after] = canaries([4, 4, 2, 2, 4096]);
    await expectError(() => k.denseForward(z, a, w, b, 1000, 2, 2), 'SHAPE_MISMATCH', new RegExp(`^${k.name}: denseForward: z: holds 2 elements, fewer than the batch·nOut = 1,000·2 = 2,000 it needs; nothing was run$`));
    await expectError(() => k.denseForward(z, a, w, b, 1, 5, 1), 'SHAPE_MISMATCH', /denseForward: a: holds 4 elements, fewer than the batch·nIn = 1·5 = 5 it needs/);
    await expectError(() => k.zero(z, 100), 'SHAPE_MISMATCH', /^.*: zero: t: holds 2 elements, fewer than the n = 100 it needs/);
    await expectError(() => k.copyRows(z, a, [0], 0, 1, 3), 'SHAPE_MISMATCH', /copyRows: dst: holds 2 elements, fewer than the count·rowLen = 1·3 = 3/);
    await expectError(() => k.write(z, [1, 2], 1), 'SHAPE_MISMATCH', /write: t: holds 2 elements, fewer than offset \+ src's values = 1 \+ 2 = 3/);
    await expectError(() => k.copy2d(z, 1, 2, a, 0, 2, 2, 1), 'SHAPE_MISMATCH', /copy2d: dst: holds 2 elements, fewer than dstOffset \+ \(rows − 1\)·dstStride \+ cols = 1 \+ 1·2 \+ 1 = 4/);
    await expectError(() => k.sampleTargets('mse', z, z, b, 2, 2), 'SHAPE_MISMATCH', /sampleTargets: y: holds 2 elements, fewer than the batch·n = 2·2 = 4/);
    await expectError(() => k.weightStats(new Float64Array(4), b, b, b, 2), 'SHAPE_MISMATCH', /weightStats: out: holds 4 elements, fewer than the 5 it needs/);
    untouched([a, w, b, z, after]);
  });

  it.each([[100], [-1], [NaN], [0.5], ['1']])('refuses the row number %s, out of range or not whole, before copying', async (row) => {
    const [src, dst, z, w, b] = canaries([4, 2, 1, 2, 1]);
    await expectError(() => k.copyRows(dst, src, [row as number], 0, 1, 2), 'INVALID_OPTION', /copyRows: rows: rows\[0\] is .*, not the number of one of the 2 rows of 2 elements in src \(0 to 1\)/);
    await expectError(() => k.denseForwardGather(z, dst, src, [0, row as number], 1, w, b, 1, 2, 1), 'INVALID_OPTION', /denseForwardGather: rows: rows\[1\] is/);
    await expectError(() => k.copyRows(dst, src, [0], 0, 2, 1), 'INVALID_OPTION', /copyRows: rows: holds 1 row numbers, fewer than start \+ count = 0 \+ 2 = 2/);
    untouched([src, dst, z, w, b]);
  });

  it('refuses a handle it did not allocate, and a size that is not a whole number', async () => {
    const [a, w, b, z] = canaries([4, 4, 2, 2]);
    await expectError(() => k.view({ ptr: 1e9, length: 3 } as Tensor), 'INVALID_OPTION', new RegExp(`^${k.name}: view: t: expected a tensor this ${k.name} kernels object allocated, got \\{"ptr":1000000000,"length":3\\}`));
    await expectError(() => k.denseForward({ ptr: 4e9, length: 1e9 } as Tensor, a, w, b, 1, 2, 2), 'INVALID_OPTION', /denseForward: z: expected a tensor this .* kernels object allocated/);
    const other = createRefKernels().alloc(2);
    await expectError(() => k.sumSquares(other, 2), 'INVALID_OPTION', /sumSquares: x: expected a tensor/);
    await expectError(() => k.denseForward(z, a, w, b, 1.5, 2, 2), 'INVALID_OPTION', /denseForward: batch: expected a whole number ≥ 0, got 1.5/);
    await expectError(() => k.scale(z, NaN, 2), 'INVALID_OPTION', /scale: n: expected a whole number ≥ 0, got NaN/);
    untouched([a, w, b, z]);
  });

  it('still runs every call its tensors can take, and keeps the backend\'s other members', () => {
    const [a, w, b, z] = canaries([4, 4, 2, 2]);
    k.denseForward(z, a, w, b, 1, 2, 2);
    expect(Array.from(k.view(z))).toEqual([105, 105]);
    k.zero(z);
    expect(Array.from(k.view(z))).toEqual([0, 0]);
    k.copyRows(z, a, [1], 0, 1, 2);
    expect(Array.from(k.view(z))).toEqual([7, 7]);
    k.free(a);
    k.free(a); // a second free does nothing, as the contract says
    expect(k.name).toMatch(/^(ref|wasm-simd|wasm-scalar)/);
    if ('bytesInUse' in k) expect((k as unknown as { bytesInUse: number }).bytesInUse).toBeGreaterThan(0);
  });

  it.each(Object.keys(KERNEL_SIZES).filter((method) => /\[\w/.test(KERNEL_SIZES[method as KernelMethod].signature)))(
    '%s refuses an empty tensor for sizes of 3 and a handle of another object',
    async (method) => {
      const { names, plan } = parseSignature(KERNEL_SIZES[method as KernelMethod].signature);
      const sizes = new Set(plan.sizes.map((s) => s.name));
      const tensors = new Map(plan.tensors.map((t) => [t.name, t]));
      const args = (empty: string | undefined, foreign: string | undefined) => names.map((name) => {
        const tensor = tensors.get(name);
        if (tensor?.float64) return new Float64Array(name === empty ? 0 : 8);
        if (tensor) return name === foreign ? { length: 1e6 } : k.alloc(name === empty ? 0 : 1000);
        return sizes.has(name) ? 3 : plausible(name, 3);
      });
      const sized = plan.tensors.find((t) => t.factors.length > 0)!;
      const call = (values: unknown[]) => (k as unknown as Record<string, (...a: unknown[]) => unknown>)[method](...values);
      await expectError(() => call(args(sized.name, undefined)), 'SHAPE_MISMATCH', new RegExp(`^${k.name}: ${method}: ${sized.name}: holds 0 elements, fewer than the `));
      const unsized = plan.tensors.find((t) => !t.float64)!;
      await expectError(() => call(args(undefined, unsized.name)), 'INVALID_OPTION', new RegExp(`^${k.name}: ${method}: ${unsized.name}: expected a tensor this`));
    },
  );
});

describe('who pays for the checks', () => {
  it('the exported constructors are the checked ones; wrapping twice checks once', async () => {
    const unchecked = await createWasmKernels();
    const z = unchecked.alloc(2);
    expect(() => unchecked.sumSquares(z, 3)).not.toThrow(); // the library's kernels trust their sizes
    expect(checkedKernels(wasm)).toBe(wasm);
  });

  it('nothing in src/ but the entry point imports the checked constructors, and nothing but them wraps kernels in checks, so networks run the unchecked kernels', () => {
    const importers = (target: string) => [...importGraph().all].filter(([, targets]) => targets.includes(target)).map(([file]) => file).sort();
    expect(importers('public-kernels.ts')).toEqual(['index.ts']);
    // The others import only the unwrapping (backend.ts: a network given the exported kernels runs what they wrap)
    // and the view handed to users (net.kernels, dataset.kernels): test/network/checked-backend.
    expect(importers('checked-kernels.ts')).toEqual(['api/network.ts', 'backend.ts', 'public-kernels.ts', 'training/dataset.ts']);
    const namesImported = (file: string) => /^import \{ ([^}]*) \} from '[./]*\/?checked-kernels\.js';$/m.exec(readFileSync(new URL(`../../src/${file}`, import.meta.url), 'utf8'))?.[1];
    expect(namesImported('backend.ts')).toBe('uncheckedKernels');
    expect(namesImported('api/network.ts')).toBe('kernelsForUsers, uncheckedKernels');
    expect(namesImported('training/dataset.ts')).toBe('kernelsForUsers');
  });
});
