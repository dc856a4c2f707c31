/**
 * A/B of core binaries on the dense products: several instances of each binary in one process,
 * rounds interleaved (the order reversed every other round), medians. The same binary ran 3–5
 * points of the peak apart from one instance to the next (AMD EPYC Zen 5, 2026-11-30, as this file
 * was written: commit 4406d0d), so one bench run of each proves nothing; this prints, per product,
 * each binary's median time, its median per-round speed-up over the first binary (same instance
 * number, same round) and its median fraction of the peak (f32_peak_madd with the product's flops,
 * measured in every round). It also prints a hash of each product's output
 * bits on fresh tensors, so a change that should keep the bits shows it does.
 *
 * With `--cpu`, the calls alternate one by one instead (bursts of `--burst` calls, 3 unless given),
 * timed by the process's CPU time (ab-rounds.ts alternatedRounds): steadier on a loaded host.
 *
 *   npx asc assembly/index.ts --target release -o /tmp/new.wasm   (and the old one from a checkout)
 *   npx tsx bench/ab.ts old=/tmp/old.wasm new=/tmp/new.wasm [--shape 64,784,100] [--instances 3] [--rounds 10] [--time 120] [--cpu [--burst 3]]
 */
import { readFile } from 'node:fs/promises';
import { instantiate } from '@assemblyscript/loader';
import type { CommonExports } from '../src/wasm/exports.js';
import { WasmBackend } from '../src/wasm/wasm-kernels.js';
import { filled } from './dense.bench.js';
import { againstFirst, alternatedRounds, bitsHash, interleavedRounds, type AbInstance } from './ab-rounds.js';
import { median } from './median.js';
import { peakLoop } from './peak-loop.js';
import { labelledArgs, option } from './ab-args.js';

const PRODUCTS = ['fwd', 'bwd_input', 'bwd_weights'] as const;

const binaries = labelledArgs('npx tsx bench/ab.ts old=old.wasm new=new.wasm [--shape b,nIn,nOut] [--instances n] [--rounds n] [--time ms] [--cpu [--burst n]]').map(({ label, value }) => ({ label, path: value }));
const [batch, nIn, nOut] = option('--shape', '64,784,100').split(',').map(Number);
const instances = Number(option('--instances', '3'));
const rounds = Number(option('--rounds', '10'));
const time = Number(option('--time', '120'));
const byCpu = process.argv.includes('--cpu');
const burst = Number(option('--burst', '3'));
const flops = 2 * batch * nIn * nOut;

const all: AbInstance[] = [];
for (const { label, path } of binaries) {
  const module = await WebAssembly.compile(await readFile(path));
  for (let index = 0; index < instances; index++) {
    const { exports } = await instantiate<Record<string, unknown>>(module, {});
    const k = new WasmBackend(exports as unknown as CommonExports & Record<string, unknown>, 'simd', 'simd');
    const a = filled(k, batch * nIn, 1), w = filled(k, nOut * nIn, 2), b = filled(k, nOut, 3), dz = filled(k, batch * nOut, 4);
    const z = k.alloc(batch * nOut), da = k.alloc(batch * nIn), dw = k.alloc(nOut * nIn);
    const tasks: Record<string, () => void> = {
      fwd: () => k.denseForward(z, a, w, b, batch, nIn, nOut),
      bwd_input: () => k.denseBackwardInput(da, dz, w, batch, nIn, nOut),
      bwd_weights: () => k.denseBackwardWeights(dw, dz, a, batch, nIn, nOut),
    };
    if (index === 0) {
      for (const product of PRODUCTS) tasks[product]();
      console.log(`${label}: output bits fwd ${bitsHash(k.view(z))}, ∂input ${bitsHash(k.view(da))}, ∂W ${bitsHash(k.view(dw))}`);
    }
    const peak = peakLoop(k);
    tasks.peak = peak.call(peak.tripsFor(flops));
    all.push({ label, index, tasks });
  }
}

const ms = byCpu ? alternatedRounds(all, instances, rounds, burst) : await interleavedRounds(all, instances, rounds, time);

const peakMs = median([...ms.values()].flatMap((times) => times.get('peak')!));
console.log(`${batch}×${nIn}→${nOut}: ${binaries.length} binaries × ${instances} instances × ${rounds} rounds${byCpu ? `, calls alternated in bursts of ${burst}, CPU time` : ''}; peak ${(flops / peakMs / 1e6).toFixed(1)} GFLOP/s (median)`);
for (const product of PRODUCTS) {
  const cells = binaries.map(({ label }) => {
    const { ms: t, speedUp } = againstFirst(ms, binaries[0].label, label, product);
    return `${label} ${t.toFixed(4)} ms ×${speedUp.toFixed(3)} ${((100 * peakMs) / t).toFixed(1)} %`;
  });
  console.log(`${product.padEnd(12)} ${cells.join('   ')}`);
}
