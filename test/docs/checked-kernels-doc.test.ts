// docs/api.md's "The kernels you are handed" and docs/browser.md's note on createWasmKernels as a
// backend: each sentence the docs say of the checked kernels is run here, on the exported
// constructors, net.kernels and dataset.kernels.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as entry from '../../src/index.js';
import { uncheckedKernels } from '../../src/checked-kernels.js';
import type { Kernels } from '../../src/kernels.js';
import { MODEL } from '../../src/model.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { expectError } from '../util/expect-error.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';

const flat = (page: string) => readFileSync(new URL(`../../docs/${page}`, import.meta.url), 'utf8').replace(/\s*\n\s*/g, ' ');
const API = flat('api.md');
const BROWSER = flat('browser.md');
const SIZES = [4, 3, 2];
const network = (backend?: Kernels) => entry.createNetwork({ sizes: SIZES, activation: 'tanh', seed: 1, backend });

/** The three refusals the docs name, on `k`: a size past the end, a handle made by hand or a bad row, a freed tensor. */
async function refusesAsDocumented(k: Kernels) {
  const t = k.alloc(2);
  const rows = k.alloc(8);
  await expectError(() => k.zero(t, 5), 'SHAPE_MISMATCH', quotePattern(codeQuoteOn('docs/api.md', 'zero: t: holds 2 elements')));
  await expectError(() => k.view({ ptr: 8, length: 4 } as never), 'INVALID_OPTION', /view: t: expected a tensor this .* kernels object allocated/);
  await expectError(() => k.copyRows(rows, t, [7], 0, 1, 2), 'INVALID_OPTION', /copyRows/);
  k.free(rows);
  k.free(t);
  await expectError(() => k.zero(t, 1000), 'DISPOSED', /used after free\(\)/);
}

describe('docs/api.md: the kernels you are handed', () => {
  it('names what is checked and how each fault is refused', () => {
    expect(API).toContain('## The kernels you are handed');
    expect(API).toContain('`createWasmKernels()`, `createRefKernels()`, `createThreadedWasmKernels()`, `net.kernels` and `dataset.kernels` check every call');
    expect(API).toContain('a size past a tensor\'s end is `SHAPE_MISMATCH`');
    expect(API).toContain('a handle no `alloc` of that backend made, or a row number outside its tensor, is `INVALID_OPTION`');
    expect(API).toContain('a freed tensor is `DISPOSED` whatever sizes come with it');
  });

  it('the exported constructors, net.kernels and dataset.kernels refuse as the doc says', async () => {
    await refusesAsDocumented(await entry.createWasmKernels());
    await refusesAsDocumented(entry.createRefKernels());
    const threaded = await entry.createThreadedWasmKernels({ threads: 2 });
    await refusesAsDocumented(threaded);
    await threaded.close();
    const net = await network();
    const set = net.dataset([Float32Array.of(1, 2, 3, 4)], [Float32Array.of(1, 0)]);
    await refusesAsDocumented(net.kernels);
    await refusesAsDocumented(set.kernels);
    set.dispose();
    net.dispose();
  });

  it("checked-kernels.ts says what the bench's step numbers say of the wrapping and the checks", () => {
    // bench/checked-backend-step.ts' header: the step p10 checked, unwrapped, and wrapped without the check.
    const bench = readFileSync(new URL('../../bench/checked-backend-step.ts', import.meta.url), 'utf8').replace(/\s*\n\s*\*\s*/g, ' ');
    const [, checked, unwrapped, wrapped] = /\(rotated rounds, µs\/step p10\) ([\d.]+) checked vs ([\d.]+) unwrapped, where an object of the same wrappers without the check \(rest parameters and an apply\) read ([\d.]+)/.exec(bench)!.map(Number);
    // In tenths of a µs, as the header reads them: whole numbers, no float rounding in the shares.
    const gap = Math.round(10 * checked) - Math.round(10 * unwrapped);
    const wrapping = Math.round(10 * wrapped) - Math.round(10 * unwrapped);
    const tenths = (v: number) => (v / 10).toFixed(1);
    const share = (v: number) => ((100 * v) / gap).toFixed(1);
    const said = `${tenths(gap)} µs extra (${checked} checked against ${unwrapped} unwrapped, µs p10), the wrapping alone (rest parameters and an apply) is ${tenths(wrapping)} (${share(wrapping)} %) and the checks ${tenths(gap - wrapping)} (${share(gap - wrapping)} %)`;
    const header = readFileSync(new URL('../../src/checked-kernels.ts', import.meta.url), 'utf8').replace(/\s*\n\s*\*\s*/g, ' ');
    expect(header).toContain(said);
    expect(bench).toContain(`gap the wrapper is ${tenths(wrapping)} (${share(wrapping)} %) and the checks themselves, ~100 ns a call, ${tenths(gap - wrapping)} (${share(gap - wrapping)} %)`);
    expect(header + bench).not.toMatch(/next to nothing|almost all of it/);
  });

  it('cites the bench that measures a checked call, and it exists', () => {
    expect(API).toMatch(/`bench\/checked-call-cost\.ts`/);
    expect(() => readFileSync(new URL('../../bench/checked-call-cost.ts', import.meta.url))).not.toThrow();
  });

  it("a network's steps run the unchecked kernels; given the exported object, net.kernels is that object and owns its tensors", async () => {
    expect(API).toContain('A network\'s own steps do not pay it');
    expect(API).toContain('its `net.kernels` is then that very object, and the network\'s tensors are its own (`exported.view(net.weights[0])`)');
    const exported = await entry.createWasmKernels();
    const net = await network(exported);
    expect(net[MODEL].kernels).toBe(uncheckedKernels(exported));
    expect(net[MODEL].kernels).not.toBe(exported);
    expect(net.kernels).toBe(exported);
    expect(exported.view(net.weights[0] as never).length).toBe(SIZES[0] * SIZES[1]);
    net.dispose();
  });

  it('net[MODEL].kernels, what an optimiser gets, stays unchecked', async () => {
    expect(API).toContain('`net[MODEL].kernels`, what an optimiser of your own gets through the `Trainable` contract, is unchecked');
    const net = await network();
    expect(net[MODEL].kernels).toBe(uncheckedKernels(net.kernels));
    expect(net[MODEL].kernels).not.toBe(net.kernels);
    net.dispose();
  });

  it('a Kernels object of your own given as backend is handed back as it is', async () => {
    expect(API).toContain('A `Kernels` object of your own given as `backend` is handed back as it is');
    // Kernels of the user's own: the unchecked ref kernels behind an object the package did not make.
    const own = new Proxy(createRefKernels(), {});
    const net = await network(own);
    expect(net.kernels).toBe(own);
    net.dispose();
  });
});

describe('docs/browser.md: createWasmKernels as a backend', () => {
  it('says the network runs the unchecked kernels underneath', () => {
    expect(BROWSER).toContain('a network given `createWasmKernels(...)` as its `backend` runs the unchecked kernels underneath');
  });
});
