/**
 * What float32's subnormal numbers (below 2⁻¹²⁶ ≈ 1.18e-38) cost a dense product on this machine.
 * WebAssembly has no flush-to-zero mode, so a product whose operands are subnormal runs at the
 * CPU's subnormal speed: deep sigmoid networks reach it in their first layers' δ (study (c)'s
 * plain sigmoid at 50 hidden layers has an RMS δ of 1.4e-42 at its first at initialisation), and
 * those runs take far longer than others of the same shape on some CPUs (docs/benchmarks.md: how long `npm start` takes on an Intel Xeon). Times
 * the same 256×256→256 forward product on inputs of ~1e-3 and on subnormal inputs of ~5e-40, in
 * interleaved rounds (bench/median.ts), and prints each one's median and the per-round ratio's spread.
 * Then the same for Adam's update (the 50-layer sigmoid net's row with Adam is the slow one:
 * docs/trainable-depth.md) over as many weights as that net has, with gradients of ~1e-3, of ~1e-21
 * (normal, but g² is subnormal, and so is Adam's second moment v) and of ~5e-40 (subnormal).
 *
 *   npx tsx bench/subnormal.ts
 */
import { cpuText, thisCpu } from './cpu.js';
import { interleaved } from './median.js';
import { roundRatios, spreadOf, spreadText } from './spread.js';
import { FLOAT32_MIN_NORMAL } from '../src/checks.js';
import { Rng } from '../src/init/rng.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';

/** Study (c)'s deepest sigmoid network, [784, 50 × 64, 10], whose parameters Adam updates. */
const ADAM_SIZES = [784, ...Array<number>(50).fill(64), 10];
/** The product timed (batch × inputs → outputs), the weights and biases Adam updates (ADAM_SIZES' count: 254,730), and the interleaved rounds. */
export const SUBNORMAL_SETUP = {
  batch: 256,
  inputs: 256,
  outputs: 256,
  adamWeights: ADAM_SIZES.slice(1).reduce((sum, units, i) => sum + (ADAM_SIZES[i] + 1) * units, 0),
  rounds: 15,
} as const;

const { batch, inputs, outputs, adamWeights, rounds } = SUBNORMAL_SETUP;
const k = await createWasmKernels();
const rng = new Rng(1);
const [a, w, b, z] = [k.alloc(batch * inputs), k.alloc(outputs * inputs), k.alloc(outputs), k.alloc(batch * outputs)];
k.write(w, Float32Array.from({ length: outputs * inputs }, () => 0.1 * rng.normal()));
k.write(b, new Float32Array(outputs));
const normal = Float32Array.from({ length: batch * inputs }, () => 1e-3 * (1 + rng.uniform()));
const subnormal = Float32Array.from({ length: batch * inputs }, () => 1e-40 * (1 + 9 * rng.uniform()));
if (!subnormal.every((v) => v > 0 && v < FLOAT32_MIN_NORMAL)) throw new Error('subnormal inputs: a value is not subnormal in float32');

const product = (inputsOf: Float32Array) => () => {
  k.write(a, inputsOf);
  k.denseForward(z, a, w, b, batch, inputs, outputs);
};
const ms = await interleaved(
  [
    { name: 'normal', run: product(normal), ms: 30 },
    { name: 'subnormal', run: product(subnormal), ms: 30 },
  ],
  rounds,
);
const [n, s] = [ms.get('normal')!, ms.get('subnormal')!];
console.log(`${cpuText(thisCpu())}: dense forward ${batch}×${inputs}→${outputs}, ${rounds} interleaved rounds`);
console.log(`  inputs ~1e-3: ${spreadText(spreadOf(n), (v) => `${v.toFixed(2)} ms`)}`);
console.log(`  subnormal inputs ~5e-40: ${spreadText(spreadOf(s), (v) => `${v.toFixed(2)} ms`)}`);
console.log(`  subnormal ÷ normal per round: ${spreadText(spreadOf(roundRatios(s, n)), (v) => `${v.toFixed(1)}×`)}`);

/**
 * Adam's update (study (c)'s settings: lr 0.001, PyTorch's betas and ε) of the same weights from
 * gradients of about `size`, each set with its own moments, warmed by 20 steps so that m and v
 * hold what such gradients leave in them.
 */
function adamOn(size: number) {
  const [wa, m, v, g] = [k.alloc(adamWeights), k.alloc(adamWeights), k.alloc(adamWeights), k.alloc(adamWeights)];
  k.write(wa, Float32Array.from({ length: adamWeights }, () => 0.1 * rng.normal()));
  k.write(m, new Float32Array(adamWeights));
  k.write(v, new Float32Array(adamWeights));
  k.write(g, Float32Array.from({ length: adamWeights }, () => size * (1 + 9 * rng.uniform())));
  let step = 0;
  const update = () => k.adamUpdate(wa, m, v, g, adamWeights, 0.001, 0.9, 0.999, 1e-8, 0, false, ++step);
  for (let i = 0; i < 20; i++) update();
  return update;
}
const sizes = [
  { name: 'gradients ~1e-3', size: 1e-3 },
  { name: 'gradients ~1e-21 (g² subnormal)', size: 1e-21 },
  { name: 'subnormal gradients ~5e-40', size: 1e-40 },
];
const adamMs = await interleaved(
  sizes.map(({ name, size }) => ({ name, run: adamOn(size), ms: 30 })),
  rounds,
);
const normalAdam = adamMs.get(sizes[0].name)!;
console.log(`  Adam's update of ${adamWeights.toLocaleString('en')} weights, ${rounds} interleaved rounds:`);
for (const { name } of sizes) {
  const times = adamMs.get(name)!;
  const ratio = name === sizes[0].name ? '' : `; ÷ the first per round: ${spreadText(spreadOf(roundRatios(times, normalAdam)), (x) => `${x.toFixed(1)}×`)}`;
  console.log(`    ${name}: ${spreadText(spreadOf(times), (x) => `${x.toFixed(2)} ms`)}${ratio}`);
}
