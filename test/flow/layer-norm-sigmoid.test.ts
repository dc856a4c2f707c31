/**
 * Layer norm + sigmoid reads "vanishing" (diag38's matrix: in every condition): is it true? Measured here on 5 × (dense 16 →
 * layer norm → sigmoid) beside 5 × (dense 16, sigmoid) and 5 × (dense 16 → layer norm → tanh), Glorot's weights, SGD 0.1, 4 epochs
 * over 256 rows whose class is the quadrant of their first two inputs. It is: one example's δ shrinks at every link back to the
 * first dense layer (about 0.44 a layer, where the plain sigmoid stack's shrinks 0.22 a layer), the relative gradient and the steps
 * taken agree, and the network stays at chance where the tanh one learns. The layer norms' input rows are not flat (each row's
 * features spread 0.2 or more), so a flat-rows measure, as batch norm's flatFraction, would not change the verdict: the sigmoid's
 * σ' ≤ 1/4, which the layer norm's division by its rows' spread makes up only in part, is the cause the summary gives.
 * Batch norm in place of each layer norm was measured to help (8 epochs, seeds 1–3, 2026-12-05 21:07 UTC, AMD EPYC Zen 5, at
 * e4f94ff9: chance with layer norms, 90–93 % in batches of 32 with batch norms, read healthy; 88–96 % in batches of 4 to 16), and
 * is offered, over batches of more than BATCH_NORM_BLOCKING_ROWS rows. scripts/remedy-ranges.ts measures every remedy offered there
 * over seeds 1–3; seed 1 of each is run here against the ranges the printed reason and docs/gradient-flow.md state.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { applyLayersChange } from '../../src/api/layers-change.js';
import { diagnose, hiddenChain } from '../../src/flow/diagnose.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import type { Remedy } from '../../src/flow/remedy.js';
import { applied, layerNormSigmoid, outcome, quadrantRows, type RemedyRun } from '../../scripts/remedy-setups.js';
import { quotedOn } from '../util/page-numbers.js';
import { HESSIAN_FREE_BATCH } from '../../src/optimizer-defaults.js';
import { codeQuoteOn } from '../util/page-quotes.js';

const [INPUTS, CLASSES, WIDTH, DEPTH] = [8, 4, 16, 5];

const { x, y } = quadrantRows();

/** The network of DEPTH blocks of `block` and a softmax output, Glorot's weights (seed 1). */
const options = (block: LayerSpec[], hidden = Array.from({ length: DEPTH }, () => block).flat()) => ({ inputs: INPUTS, loss: 'cross-entropy' as const, init: 'glorot-uniform' as const, seed: 1, layers: [...hidden, { type: 'dense' as const, units: CLASSES, activation: 'softmax' as const }] });

/** DEPTH blocks of `block` (options; `hidden` in their place where given), `epochs` (4) of SGD 0.1 in batches of `batchSize` (32), traced every 2 steps, validated on its rows. */
async function run(block: LayerSpec[], { epochs = 4, batchSize = 32, hidden = undefined as LayerSpec[] | undefined } = {}) {
  const net = await createNetwork(options(block, hidden));
  net.train(x, y, { epochs, batchSize, learningRate: 0.1, trace: { every: 2 }, validation: { x, y } });
  const trace = net.trace!;
  // Each layer norm's input rows: the smallest spread over a row's features (its standard deviation), over the rows.
  const outputs = net.layerOutputs(x);
  // A stack of dense specs alone is traced as a dense network (no blocks, no norms).
  const rowSpreads = (trace.blocks?.layers ?? []).flatMap((l, i) => {
    if (l.type !== 'layer-norm') return [];
    const v = outputs.layers[i - 1].values;
    return [Math.min(...x.map((_, r) => {
      const row = Array.from(v.slice(r * WIDTH, (r + 1) * WIDTH));
      const mean = row.reduce((a, b) => a + b, 0) / WIDTH;
      return Math.sqrt(row.reduce((a, b) => a + (b - mean) ** 2, 0) / WIDTH);
    }))];
  });
  net.dispose();
  const chain = hiddenChain(trace);
  const delta = chain.map((l) => trace.at('deltaRms', 0, l));
  return { trace, d: diagnose(trace), delta, accuracy: trace.epochs.at(-1)!.validation!.accuracy, rowSpreads };
}

const dense = (f: 'sigmoid' | 'tanh'): LayerSpec[] => [{ type: 'dense', units: WIDTH, activation: f }];
const normed = (f: 'sigmoid' | 'tanh'): LayerSpec[] => [{ type: 'dense', units: WIDTH }, { type: 'layer-norm' }, { type: 'activation', activation: f }];

describe('layer norm + sigmoid: the vanishing verdict is true', () => {
  it('δ shrinks at every link, less than through plain sigmoid layers but past 1/16 in all; relative gradient and steps agree; at chance', async () => {
    const [ln, plain, tanh] = [await run(normed('sigmoid')), await run(dense('sigmoid')), await run(normed('tanh'))];
    // Every link back shrinks one example's δ (first record), the geometric mean about 0.44 against the plain stack's 0.22.
    for (let l = 0; l + 1 < DEPTH; l++) expect(ln.delta[l] / ln.delta[l + 1]).toBeLessThan(0.75);
    const perLayer = (delta: number[]) => (delta[0] / delta[DEPTH - 1]) ** (1 / (DEPTH - 1));
    expect(perLayer(ln.delta)).toBeGreaterThan(0.35);
    expect(perLayer(ln.delta)).toBeLessThan(0.5);
    expect(perLayer(plain.delta)).toBeLessThan(0.25);
    expect(ln.d.verdict).toBe('vanishing');
    expect(ln.d.severity).toBe('severe');
    // Across the norms the gap is read from δ and the relative gradient together (normalisedGap): both below 1/16 at the first step.
    expect(ln.d.evidence.deltaFirstToLast.first).toBeLessThan(1 / 16);
    expect(ln.d.evidence.relativeGradientFirstToLast!.first).toBeLessThan(1 / 16);
    // The steps SGD took: the first dense layer's ‖ΔW‖/‖W‖ under 1/4 of the last's (median over the records).
    expect(ln.d.evidence.updateFirstToLast).toBeLessThan(1 / 4);
    // Not from flat rows: each layer norm's input varies over its features in every row.
    expect(Math.min(...ln.rowSpreads)).toBeGreaterThan(0.2);
    // It stays at chance (4 classes) where the same network with tanh learns, and is read healthy.
    expect(ln.accuracy).toBeLessThan(0.35);
    expect(tanh.d.verdict).toBe('healthy');
    expect(tanh.accuracy).toBeGreaterThan(0.85);
    expect(ln.d.summary).toMatch(/^Vanishing gradients \(severe\): between the first hidden layer layers\[0\] \('0', dense\) and the last hidden layer layers\[12\] \('16', dense\), layers\[1\] \('2', layer-norm\)/);
  });

  it("offers batch norm in place of each layer norm, which reads healthy and learns; not over batches of 2 rows", async () => {
    const ln = await run(normed('sigmoid'), { epochs: 8 });
    const offer = ln.d.remedies.find((r) => r.option === codeQuoteOn('docs/gradient-flow.md', "layers: { type: 'batch-norm' } in place of each"));
    expect(offer?.settings[0].setting).toEqual({ norm: 'batch-norm' });
    expect(offer?.why).toContain('seeds 1–3; AMD EPYC Zen 5, 2026-12-05)');
    expect(offer?.why).toContain("in evaluation (evaluate(), predict()) the running ones");
    expect(ln.accuracy).toBeLessThan(0.35);
    // The remedy as a program applies it: the same layers with batch norms where the layer norms were.
    const changed = applyLayersChange(options(normed('sigmoid')), offer!.settings[0].setting as { norm: 'batch-norm' });
    expect(changed.layers!.filter((l) => 'type' in l && l.type === 'batch-norm')).toHaveLength(DEPTH);
    expect(changed.layers!.some((l) => 'type' in l && l.type === 'layer-norm')).toBe(false);
    const net = await createNetwork(changed);
    net.train(x, y, { epochs: 8, batchSize: 32, learningRate: 0.1, trace: { every: 2 }, validation: { x, y } });
    const bn = diagnose(net.trace!);
    const accuracy = net.evaluate(x, y).accuracy!;
    net.dispose();
    expect(bn.verdict).toBe('healthy');
    expect(accuracy).toBeGreaterThan(0.88);
    // Not where a sigmoid has no layer norm before it (only every sigmoid after one was measured): one such block and 4 plain sigmoid layers.
    const mixed = await run(normed('sigmoid'), { epochs: 8, hidden: [...normed('sigmoid'), ...Array.from({ length: DEPTH - 1 }, () => dense('sigmoid')).flat()] });
    expect(mixed.d.verdict).toBe('vanishing');
    expect(mixed.d.remedies.some((r) => r.option.includes("in place of each { type: 'layer-norm' }"))).toBe(false);
    // Over 2 rows batch norm passes no gradient back: not offered.
    const pairs = await run(normed('sigmoid'), { epochs: 1, batchSize: 2 });
    expect(pairs.d.verdict).toBe('vanishing');
    expect(pairs.d.remedies.some((r) => r.option.includes("in place of each { type: 'layer-norm' }"))).toBe(false);
  });

  it('seed 1 of the measured runs falls inside the ranges the reason and the page state', async () => {
    const run = layerNormSigmoid();
    const ln = await outcome(run, 1);
    const offer = ln.diagnosis.remedies.find((r) => r.option === "layers: { type: 'batch-norm' } in place of each { type: 'layer-norm' }")!;
    const accuracyOf = async (changed: RemedyRun) => (await outcome(changed, 1)).accuracy;
    const batchNorm = (batchSize: number) => accuracyOf(applied(run, [...offer.settings, { option: 'batchSize', value: String(batchSize), setting: batchSize }]));
    // The printed reason's ranges, over seeds 1–3 as whole percents: seed 1's accuracy, rounded as they are, lies in each.
    const [chance, at32, smaller] = [/stayed at chance \((\d+)–(\d+) % of its rows right/, /reached (\d+)–(\d+) % in batches of 32/, /\((\d+)–(\d+) % in batches of 4 to 16\)/].map((pattern) => {
      const range = offer.why.match(pattern);
      expect(range, pattern.source).not.toBeNull();
      return range!.slice(1).map(Number);
    });
    expectWithin(chance, ln.accuracy, 'layer norms');
    expectWithin(at32, await batchNorm(32), 'batch norms, batches of 32');
    for (const batchSize of [4, 8, 16]) expectWithin(smaller, await batchNorm(batchSize), `batch norms, batches of ${batchSize}`);
    // The page states the same ranges, and those of the other remedies offered there.
    const page = 'docs/gradient-flow.md';
    expect(quotedOn(page, /same network read healthy and reached (\d+–\d+ %) after 8 epochs in batches of 32 \(seeds 1–3; (\d+–\d+ %) in batches of 4 to 16\)/)).toEqual([`${at32.join('–')} %`, `${smaller.join('–')} %`]);
    const others = quotedOn(
      page,
      /applied over the same 8 epochs: `activation: 'tanh'` (\d+)–(\d+) %, ReZero blocks (\d+)–(\d+) %, LARS (\d+)–(\d+) %, residual blocks (\d+)–(\d+) %, relu with He's weights at learning rate 0\.002 (\d+)–(\d+) % and Adam at 0\.001 (\d+)–(\d+) %/,
    ).map(Number);
    const remedy = (option: RegExp): Remedy => {
      const found = ln.diagnosis.remedies.find((r) => option.test(r.option));
      expect(found, option.source).toBeDefined();
      return found!;
    };
    const [relu, residual] = [remedy(/^layers: activation: 'relu'/), remedy(/^layers: \{ type: 'residual', layers/)];
    const runs: [string, RemedyRun][] = [
      ["activation: 'tanh'", applied(run, relu.alternative!)],
      ['ReZero blocks', applied(run, residual.alternative!)],
      ['LARS', applied(run, remedy(/^optimizer: 'lars'/).settings)],
      ['residual blocks', applied(run, residual.settings)],
      ["relu with He's weights at learning rate 0.002", applied(run, relu.settings)],
      ['Adam at 0.001', applied(run, remedy(/^optimizer: 'adam', learningRate: 0\.001$/).settings)],
    ];
    for (const [i, [label, changed]] of runs.entries()) expectWithin(others.slice(2 * i, 2 * i + 2), await accuracyOf(changed), label);
    // Hessian-free's switch carries its batch (all 256 rows: an epoch is one step) and the epochs that keep the run's 64 steps;
    // beside it, the run's 8 epochs (8 steps), and the run's batch of 32 (64 steps).
    const hessianFree = remedy(/^optimizer: 'hessian-free'/);
    expect(hessianFree.settings).toContainEqual({ option: 'batchSize', value: `${HESSIAN_FREE_BATCH}`, flagValue: `${HESSIAN_FREE_BATCH}`, setting: HESSIAN_FREE_BATCH });
    expect(hessianFree.settings).toContainEqual({ option: 'epochs', value: '64', flagValue: '64', setting: 64 });
    expect(hessianFree.why).toContain(" The switch sets epochs: 64, the run's 64 steps (at its 8 epochs it would take 8 steps).");
    const [carried, eightSteps, at32Steps] = quotedOn(
      page,
      /`epochs: 64` \(8 epochs of 8 batches\): applied so\s+it reached (\d+–\d+) %; over the run's 8 epochs, 8 steps, it stayed at (\d+–\d+) %, and at the run's batch of 32\s+it reached (\d+–\d+) % \(64 steps\)/,
    ).map((r) => r.split('–').map(Number));
    expectWithin(carried, await accuracyOf(applied(run, hessianFree.settings)), 'Hessian-free as its switch carries it, 64 epochs');
    expectWithin(eightSteps, await accuracyOf(applied(run, hessianFree.settings.filter((s) => s.option !== 'epochs'))), 'Hessian-free with its batch over the run\'s 8 epochs');
    expectWithin(at32Steps, await accuracyOf(applied(run, hessianFree.settings.filter((s) => s.option !== 'batchSize' && s.option !== 'epochs'))), 'Hessian-free at batch 32');
  });

  // page48's leftover: Hessian-free took these runs to 95–99 %, and seeds 2–3 still read only "Vanishing gradients (severe)", and were
  // offered Adam and LARS (23–30 % and 47–64 % above). Both are true: the gradient's gap at the first step, and the training.
  it('says a Hessian-free run that trained through the gap did, offers no switch away from it, and keeps the gap and its remedies', async () => {
    const run = layerNormSigmoid();
    const hessianFree = (await outcome(run, 1)).diagnosis.remedies.find((r) => /^optimizer: 'hessian-free'/.test(r.option))!.settings;
    const trained = await outcome(applied(run, hessianFree), 2);
    expect(trained.accuracy).toBeGreaterThan(0.95);
    const d = trained.diagnosis;
    expect([d.verdict, d.severity]).toEqual(['vanishing', 'severe']);
    expect(d.headline).toMatch(/^Vanishing gradients \(severe\): a gap of 0\.0249× .*\(at the first step, .*\); hessian-free trained through it, its steps rescaled by curvature; still learning, with 99 % of the training rows classified right\. Try /);
    expect(d.summary).toContain(
      "Hessian-free trained through the gap, to 99 % of the training rows classified right: it rescales its steps by curvature, not by the gradient's size (second-order steps reach what a vanishing gradient leaves small: Martens 2010). " +
        "The gradient still vanishes: the gap's remedies mend it, and none switches away from hessian-free.",
    );
    // The share said as the sentence on where the run stands says it, of the rows it was read from (review49b #7): here every
    // training row, measured after each epoch (the run's validation), as accuracyEndWords says it (test/flow/accuracy-end-words).
    expect(d.evidence.training!.epochLoss).toBe('all rows at the end');
    expect(d.summary.split('99 % of the training rows classified right').length - 1).toBe(2);
    expect(d.remedies.filter((r) => r.settings.some((s) => s.option === 'optimizer'))).toEqual([]);
    expect(d.remedies.map((r) => r.option)).toContain("layers: activation: 'relu' in each hidden dense or activation layer, init: 'he-normal' (or layers: activation: 'tanh' in each hidden dense or activation layer)");
    // The batch-norm remedy's reason is about this run (page49: "stayed at chance" sat beside a Hessian-free run at 99 %): what
    // batch norm mends here is the gap, as measured under SGD, not an accuracy SGD's runs had.
    const batchNormWhy = (diagnosis: typeof d) => diagnosis.remedies.find((r) => r.option === "layers: { type: 'batch-norm' } in place of each { type: 'layer-norm' }")!.why;
    expect(batchNormWhy(d)).toContain('the gradient read vanishing with the layer norms and healthy with batch norms in their place, which mends the gap this run\'s hessian-free trained through.');
    expect(batchNormWhy(d)).not.toMatch(/chance|%/);
    expect(d.remedies.at(-1)!.option).toBe('epochs: more than 64');
    expect(d.remedies.at(-1)!.why).toMatch(/^hessian-free trained through the gap and the loss is still falling/);
    // Over the run's own 8 epochs (8 steps) it stayed at chance: it trained through nothing, and is told nothing of the kind.
    const short = await outcome(applied(run, hessianFree.filter((s) => s.option !== 'epochs')), 2);
    expect(short.accuracy).toBeLessThan(0.35);
    expect(short.diagnosis.headline).not.toContain('trained through');
    expect(short.diagnosis.summary).not.toContain('trained through');
    // At chance, as the SGD runs measured were, the reason gives their accuracies.
    expect(batchNormWhy(short.diagnosis)).toContain('stayed at chance (27–29 % of its rows right after 8 epochs of SGD');
  });

  // review50 #1: a first-order run that learnt beside the held gap (Adam 0.01, 60 epochs: every row right) was told the SGD runs'
  // "stayed at chance" too; the reason speaks of the run it sits by whatever its optimiser.
  it('beside an Adam run that learnt, the batch-norm reason says the gap it mends, not SGD\'s accuracies', async () => {
    const run = layerNormSigmoid();
    // On the reference backend, as review50 ran it (the wasm run's float32 sums leave its gap read closed by the end, and it is offered only more epochs).
    const adam = await outcome({ ...run, net: { ...run.net, backend: 'ref' }, train: { ...run.train, optimizer: { name: 'adam' }, learningRate: 0.01, epochs: 60 } }, 1);
    expect(adam.accuracy).toBeGreaterThan(0.95);
    expect(adam.diagnosis.verdict).toBe('vanishing');
    const why = adam.diagnosis.remedies.find((r) => r.option === "layers: { type: 'batch-norm' } in place of each { type: 'layer-norm' }")!.why;
    expect(why).toContain("which mends the gap this run's adam trained through.");
    expect(why).not.toMatch(/chance|%/);
  });
});

/** `accuracy` rounded to a whole percent, as a range of whole percents states it, lies inside [low, high]. */
function expectWithin([low, high]: number[], accuracy: number, label: string): void {
  const percent = Math.round(100 * accuracy);
  expect(percent, `${label}: ${(100 * accuracy).toFixed(1)} % against ${low}–${high} %`).toBeGreaterThanOrEqual(low);
  expect(percent, `${label}: ${(100 * accuracy).toFixed(1)} % against ${low}–${high} %`).toBeLessThanOrEqual(high);
}
