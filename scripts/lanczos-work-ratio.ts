/**
 * What a product costs beside a reorthogonalisation pass, which measureCurvature's progress prices at
 * each run's own measured times (src/curvature/curvature-work.ts) because it differs by CPU and
 * backend: in Lanczos runs on the
 * Hessian of sigmoid networks, the CPU time of each operator product per (rows × parameters) against
 * that of each step's reorthogonalisation per basis entry read (n × basis vectors × passes), on the
 * wasm and the ref backend. Prints, per network, both times and their ratio: the product's cost in
 * basis-entry reads per row and parameter. Backends wasm (SIMD, the default), wasm-scalar and ref;
 * name some to measure only those.
 *
 *   nice -n 19 npx tsx scripts/lanczos-work-ratio.ts [wasm] [wasm-scalar] [ref]
 *
 * CPU time (process.cpuUsage) rather than wall: on a shared machine the load stretches the wall time
 * of both, unevenly. About two minutes of CPU on a 2-core AMD EPYC (Zen 3), 2026-12-02.
 */
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { createNetwork } from '../src/node.js';
import { CurvatureOperators } from '../src/curvature/operators.js';
import { lanczos } from '../src/curvature/lanczos.js';
import { Rng } from '../src/init/rng.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';

/** Microseconds of CPU this process has used. */
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

const CASES = [
  { backend: 'wasm', sizes: [784, ...Array<number>(10).fill(64), 10], rows: 200, steps: 150 },
  { backend: 'wasm', sizes: [64, ...Array<number>(9).fill(60), 10], rows: 100, steps: 200 },
  { backend: 'wasm', sizes: [32, 40, 40, 10], rows: 50, steps: 200 },
  { backend: 'wasm-scalar', sizes: [64, ...Array<number>(9).fill(60), 10], rows: 100, steps: 60 },
  { backend: 'wasm-scalar', sizes: [32, 40, 40, 10], rows: 50, steps: 200 },
  { backend: 'ref', sizes: [64, ...Array<number>(9).fill(60), 10], rows: 100, steps: 60 },
  { backend: 'ref', sizes: [32, 40, 40, 10], rows: 50, steps: 200 },
] as const;
const chosen = process.argv.slice(2);

const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
console.log(`${new Date().toISOString()}, ${cpuModel}, load ${loadavg()[0].toFixed(2)}`);
for (const { backend, sizes, rows, steps } of CASES.filter((c) => chosen.length === 0 || chosen.includes(c.backend))) {
  const kernels = backend === 'wasm-scalar' ? await createWasmKernels({ variant: 'scalar' }) : backend;
  const net = await createNetwork({ sizes: [...sizes], activation: 'sigmoid', loss: 'cross-entropy', seed: 1, backend: kernels });
  const rng = new Rng(1);
  const outputs = sizes[sizes.length - 1];
  const x = Array.from({ length: rows }, () => Array.from({ length: sizes[0] }, () => rng.normal()));
  const y = Array.from({ length: rows }, (_, r) => Array.from({ length: outputs }, (_, c) => (c === r % outputs ? 1 : 0)));
  const ops = new CurvatureOperators(net, x, y);
  const n = ops.size;
  let productMicros = 0;
  let reorthogonaliseMicros = 0;
  let reads = 0;
  let products = 0;
  let afterProduct = 0;
  lanczos(
    (out, v) => {
      const before = cpu();
      ops.hessian(out, v);
      afterProduct = cpu();
      productMicros += afterProduct - before;
      products++;
    },
    n,
    {
      k: 1,
      maxSteps: steps,
      // tolerance 0: never met, so every step is taken
      tolerance: 0,
      onStep: ({ basis, passes }) => {
        reorthogonaliseMicros += cpu() - afterProduct;
        reads += n * basis * passes;
      },
    },
  );
  const perProduct = productMicros / products / (rows * n);
  const perRead = reorthogonaliseMicros / reads;
  console.log(
    `${net.kernels.name} [${sizes.join(',')}] (${n} parameters), ${rows} rows, ${products} steps: product ${(productMicros / products / 1000).toFixed(2)} ms ` +
      `(${(perProduct * 1000).toFixed(3)} ns per row·parameter), reorthogonalisation ${(perRead * 1000).toFixed(3)} ns per basis entry read; ` +
      `ratio ${(perProduct / perRead).toFixed(3)}; load ${loadavg()[0].toFixed(2)}`,
  );
  ops.dispose();
  net.dispose();
}
