/**
 * Why per-layer rates step slower than SGD on an Intel Xeon (newuser46 #7): the remedies study's network ([784, 8 × 32,
 * 10] sigmoid, its digits, seed 1), trained `steps` (3,000) steps by its SGD, SGD-with-momentum and per-layer-rates
 * contenders, then: the subnormal entries of each one's gradients and momentum (WebAssembly has no flush-to-zero), and
 * the time per step over 7 interleaved rounds of an epoch each of every optimiser, of the momentum ones with their
 * velocity's subnormals flushed to 0 before each round, and of plain SGD on each one's weights. README's remedies
 * section quotes what it printed (2026-12-06, through /tmp/t: per-layer rates 0.950 ms a step against SGD's 0.198).
 *
 *   nice -n 19 npx tsx scripts/layer-rates-subnormals.ts [steps=3000]
 */
import { createNetwork, type Network } from '../src/api/network.js';
import { createDataset } from '../src/api/dataset.js';
import { createOptimizer } from '../src/optim/index.js';
import { loadStudyDigits } from '../src/studies/study-digits.js';
import { remediesContenders, REMEDIES_SIZES, REMEDIES_LOSS } from '../src/studies/remedies.js';
import { MODEL } from '../src/model.js';
const TINY = 1.1754943508222875e-38;
const digits = await loadStudyDigits();
const probe = { x: { ...digits.train.x, data: digits.train.x.data.subarray(0, 1000 * 784), rows: 1000 }, y: { ...digits.train.y, data: digits.train.y.data.subarray(0, 1000 * 10), rows: 1000 } };
const train = await createDataset(digits.train.x, digits.train.y);
const contenders = remediesContenders().filter((c) => c.label === 'sgd' || c.label === 'sgd-momentum' || c.label === 'layer-rates');
const nets: { label: string; net: Network; opt: any; lr?: number; bs: number }[] = [];
for (const c of contenders) {
  const net = await createNetwork({ sizes: [...REMEDIES_SIZES], activation: 'sigmoid', loss: REMEDIES_LOSS, init: 'standard', seed: 1, backend: train.kernels });
  const opt = createOptimizer(net, c.spec(net, probe));
  nets.push({ label: c.label, net, opt, lr: c.learningRate, bs: c.batchSize });
}
const STEPS = Number(process.argv[2] ?? 3000);
for (const n of nets) n.net.train(train, { optimizer: n.opt, learningRate: n.lr, batchSize: n.bs, epochs: Math.ceil(STEPS / Math.ceil(9000 / n.bs)) });
function count(net: Network) {
  const m = net[MODEL];
  return m.parameters().map((p) => {
    const g = m.kernels.view(p.grad).slice(0, p.length), w = m.kernels.view(p.value).slice(0, p.length);
    const sub = (a: ArrayLike<number>) => Array.from(a).filter((x) => x !== 0 && Math.abs(x) < TINY).length;
    const zero = (a: ArrayLike<number>) => Array.from(a).filter((x) => x === 0).length;
    return `${p.name}: grad sub ${sub(g)}/${p.length} zero ${zero(g)}, w sub ${sub(w)}`;
  });
}
function velocitySub(n: { net: Network; opt: any }, flush = false) {
  const k = n.net[MODEL].kernels;
  const bufs: any[][] = n.opt.buffers ?? [];
  let sub = 0, total = 0;
  const per: string[] = [];
  bufs.forEach((list, i) => list.forEach((b: any) => {
    const v = k.view(b); const len = n.net[MODEL].parameters()[i].length;
    let s = 0; for (let j = 0; j < len; j++) if (v[j] !== 0 && Math.abs(v[j]) < TINY) { s++; if (flush) v[j] = 0; }
    sub += s; total += len; if (s) per.push(`${n.net[MODEL].parameters()[i].name} ${s}/${len}`);
  }));
  return `velocity subnormal ${sub}/${total}${per.length ? ` (${per.join(', ')})` : ''}`;
}
for (const n of nets) console.log(`${n.label}: ${velocitySub(n)}`);
for (const n of nets) { console.log(`== ${n.label} after ${n.net.step} steps, loss ${n.net.evaluate(train).loss.toFixed(4)}`); console.log(count(n.net).join('\n')); }
// time: each network's own optimiser, and plain SGD (lr 0.5) on each network's weights, interleaved
const sgdOn = async (from: Network) => { const net = await createNetwork({ sizes: [...REMEDIES_SIZES], activation: 'sigmoid', loss: REMEDIES_LOSS, init: 'standard', seed: 1, backend: train.kernels }); net.loadState(from.state()); return net; };
const cases: { name: string; run: () => unknown }[] = [
  ...nets.map((n) => ({ name: `${n.label} own optimiser`, run: () => n.net.train(train, { optimizer: n.opt, learningRate: n.lr, batchSize: n.bs, epochs: 1 }) })),
];
// the same optimisers on copies whose velocity's subnormals are flushed to 0 before every round (WebAssembly has no FTZ)
for (const c of contenders.filter((c) => c.label !== 'sgd')) {
  const n = nets.find((m) => m.label === c.label)!;
  const net = await sgdOn(n.net);
  const opt = createOptimizer(net, c.spec(net, probe));
  net.train(train, { optimizer: opt, learningRate: n.lr, batchSize: n.bs, epochs: Math.ceil(STEPS / 282) });
  const copy = { net, opt };
  console.log(`${c.label} (copy) before flushing: ${velocitySub(copy)}`);
  cases.push({ name: `${c.label}, velocity flushed each round`, run: () => { velocitySub(copy, true); net.train(train, { optimizer: opt, learningRate: n.lr, batchSize: n.bs, epochs: 1 }); } });
}
for (const n of nets) { const net = await sgdOn(n.net); cases.push({ name: `plain sgd on ${n.label}'s weights`, run: () => net.train(train, { optimizer: 'sgd', learningRate: 0.5, batchSize: 32, epochs: 1 }) }); }
const times: number[][] = cases.map(() => []);
for (let round = 0; round < 7; round++) cases.forEach((c, i) => { const t = performance.now(); c.run(); times[i].push((performance.now() - t) / 282); });
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const base = med(times[0]);
for (const n of nets) console.log(`${n.label} after the rounds: ${velocitySub(n)}`);
cases.forEach((c, i) => console.log(`${c.name}: median ${med(times[i]).toFixed(3)} ms/step (${(med(times[i]) / base).toFixed(2)}× sgd's own; rounds ${times[i].map((t) => t.toFixed(2)).join(' ')})`));
