/**
 * The set-ups on which diagnose()'s remedies were applied and measured (scripts/remedy-ranges.ts prints
 * their ranges over seeds 1–3; the tests run seed 1 of them against the ranges the page and the printed
 * reasons state), and how a remedy's settings are applied to a run: by their data (RemedySetting.setting,
 * or flagValue where the value is words), as a program would apply them.
 */
import { createNetwork } from '../src/api/network.js';
import { applyLayersChange } from '../src/api/layers-change.js';
import { diagnose, type Diagnosis } from '../src/flow/diagnose.js';
import type { RemedyLayersChange, RemedySetting } from '../src/flow/remedy.js';
import type { LayerSpec } from '../src/layers/spec.js';
import type { BackendOptions } from '../src/backend.js';
import type { NetworkOptions } from '../src/network/config.js';
import type { TrainOptions } from '../src/training/train-options.js';

/** Rows, a network and its training: one run of a set-up, before its seed. */
export interface RemedyRun {
  x: number[][];
  y: number[][];
  /** The network; with a backend where a run asks for one (the wasm default else). */
  net: NetworkOptions & BackendOptions;
  train: TrainOptions;
}

/** What a run ended with: its diagnosis, and its accuracy and loss over its own rows (evaluate(): evaluation mode). */
export interface RemedyOutcome {
  diagnosis: Diagnosis;
  accuracy: number;
  loss: number;
}

/** A linear congruential generator over [0, 1) (Numerical Recipes' constants): the same rows on every machine. */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** 256 rows over [−1, 1)⁸ (generator seed 7), classed (one-hot, 4 classes) by the signs of their first two inputs. */
export function quadrantRows(): { x: number[][]; y: number[][] } {
  const next = uniform(7);
  const x = Array.from({ length: 256 }, () => Array.from({ length: 8 }, () => 2 * next() - 1));
  const y = x.map((row) => Array.from({ length: 4 }, (_, k) => (k === (row[0] > 0 ? 1 : 0) + (row[1] > 0 ? 2 : 0) ? 1 : 0)));
  return { x, y };
}

/** 512 rows of 4 features offset + N(0, 1) (generator seed 11, Box–Muller), classed (one-hot, 2 classes) by the sign of the first two's sum about their offset. */
export function offsetRows(offset: number): { x: number[][]; y: number[][] } {
  const next = uniform(11);
  const gauss = () => Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
  const base = Array.from({ length: 512 }, () => Array.from({ length: 4 }, gauss));
  return { x: base.map((row) => row.map((v) => offset + v)), y: base.map((row) => (row[0] + row[1] > 0 ? [1, 0] : [0, 1])) };
}

/** Each feature of `x` standardised, (v − mean) / std over the rows of `x` (a feature that does not vary: divided by 1). */
export function standardised(x: number[][]): number[][] {
  const mean = x[0].map((_, j) => x.reduce((sum, row) => sum + row[j], 0) / x.length);
  const std = mean.map((m, j) => Math.sqrt(x.reduce((sum, row) => sum + (row[j] - m) ** 2, 0) / x.length) || 1);
  return x.map((row) => row.map((v, j) => (v - mean[j]) / std[j]));
}

const softmax = (classes: number): LayerSpec => ({ type: 'dense', units: classes, activation: 'softmax' });

/**
 * 5 × (dense 16 → layer norm → sigmoid) → softmax 4 over quadrantRows, Glorot's weights, SGD 0.1, 8 epochs in batches of 32,
 * traced every 2 steps and validated on its own rows: the vanishing verdict across layer norms (docs/gradient-flow.md, "Layer norm with sigmoid units still vanishes").
 */
export function layerNormSigmoid(): RemedyRun {
  const block: LayerSpec[] = [{ type: 'dense', units: 16 }, { type: 'layer-norm' }, { type: 'activation', activation: 'sigmoid' }];
  const layers = [...Array.from({ length: 5 }, () => block).flat(), softmax(4)];
  const { x, y } = quadrantRows();
  return { x, y, net: { inputs: 8, loss: 'cross-entropy', init: 'glorot-uniform', layers }, train: { epochs: 8, batchSize: 32, learningRate: 0.1, trace: { every: 2 }, validation: { x, y } } };
}

/**
 * A dense 16 and 4 residual blocks (gate 'none') of one dense 16 each → softmax 4 over quadrantRows, SGD 0.1 (or `learningRate`)
 * in batches of 32 for `epochs`, traced every 2 steps and validated on the first 64 rows: relu units with He's weights ('healthy' weights) or tanh ones with N(0, 1.5²)
 * ('exploding' ones), biases 0 (docs/gradient-flow.md, "Exploding through residual blocks").
 */
export function residualExploding(f: 'relu' | 'tanh', epochs: number, learningRate = 0.1): RemedyRun {
  const dense: LayerSpec = { type: 'dense', units: 16, activation: f };
  const layers: LayerSpec[] = [dense, ...Array.from({ length: 4 }, (): LayerSpec => ({ type: 'residual', layers: [dense] })), softmax(4)];
  const init = f === 'relu' ? ('he-normal' as const) : { name: 'normal' as const, std: 1.5 };
  const { x, y } = quadrantRows();
  const validation = { x: x.slice(0, 64), y: y.slice(0, 64) };
  return { x, y, net: { inputs: 8, loss: 'cross-entropy', init, biasInit: 'zero', layers }, train: { epochs, batchSize: 32, learningRate, trace: { every: 2 }, validation } };
}

/** The learning rates of the offset set-ups (offsetInputs), by optimiser and activation: relu's smaller, as diag40 ran them. */
export const OFFSET_RATES = { adam: { tanh: 0.01, sigmoid: 0.01, relu: 0.005 }, sgd: { tanh: 0.1, sigmoid: 0.1, relu: 0.002 } } as const;

/**
 * [4, 16, 16, 2] of `f` units (He's weights for relu, Glorot's else) → softmax over offsetRows(offset), `optimizer` (plain SGD or
 * Adam) at OFFSET_RATES for 50 epochs in batches of 32, traced every 16 steps: inputs far from standardised (docs/gradient-flow.md,
 * "Inputs far from standardised").
 */
export function offsetInputs(f: 'tanh' | 'sigmoid' | 'relu', offset: number, optimizer: 'adam' | 'sgd' = 'adam'): RemedyRun {
  return {
    ...offsetRows(offset),
    net: { sizes: [4, 16, 16, 2], activation: f, output: 'softmax', loss: 'cross-entropy', init: f === 'relu' ? 'he-normal' : 'glorot-uniform' },
    train: { epochs: 50, batchSize: 32, optimizer, learningRate: OFFSET_RATES[optimizer][f], trace: { every: 16 } },
  };
}

/**
 * newuser45's tabular rows: 350 rows of 8 features N(0, 1) but the fourth, 20 + 5·N(0, 1) (an unscaled column: the features' mean
 * 7.07 and spread 2.00 as root mean squares, far from standardised), classed (one-hot, 3 classes) by the largest of three scores of
 * them plus noise N(0, 0.3²) (generator seed 13, Box–Muller), as their make.py classed theirs.
 */
export function wideColumnRows(): { x: number[][]; y: number[][] } {
  const next = uniform(13);
  const gauss = () => Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
  const x = Array.from({ length: 350 }, () => Array.from({ length: 8 }, (_, j) => (j === 3 ? 20 + 5 * gauss() : gauss())));
  const y = x.map((r) => {
    const scores = [r[0] + 0.5 * r[1] - 0.3 * (r[3] - 20), -r[0] + r[2] * r[4], 0.8 * r[5] - 0.2 * r[6] ** 2].map((v) => v + 0.3 * gauss());
    const k = scores.indexOf(Math.max(...scores));
    return [0, 1, 2].map((c) => (c === k ? 1 : 0));
  });
  return { x, y };
}

/**
 * newuser45's network over wideColumnRows: [8, 6 × 32, 3] sigmoid → softmax, PyTorch's nn.Linear draw U[±1/√n_in] ('standard'),
 * plain SGD 0.1 for 10 epochs in batches of 32, every step traced: a vanishing gap at chance beside inputs far from standardised
 * that saturate no hidden layer, where standardising them leaves the run at chance (docs/gradient-flow.md, "Inputs far from
 * standardised").
 */
export function wideColumnSigmoid(): RemedyRun {
  return {
    ...wideColumnRows(),
    net: { sizes: [8, 32, 32, 32, 32, 32, 32, 3], activation: 'sigmoid', output: 'softmax', loss: 'cross-entropy', init: 'standard' },
    train: { epochs: 10, batchSize: 32, learningRate: 0.1, trace: { every: 1 } },
  };
}

/** A remedy setting's value as data: its `setting`, or the one value its flagValue names where the value is words. */
function settingValue(s: RemedySetting): unknown {
  if ('setting' in s) return s.setting;
  if (s.flagValue === undefined) throw new Error(`remedy setting ${s.option}: ${s.value} has no value to apply`);
  return Number.isNaN(Number(s.flagValue)) ? s.flagValue : Number(s.flagValue);
}

/** `run` with `settings` (a remedy's, or its alternative) applied. Every set-up gives its learning rate once, as train()'s learningRate, beside its optimiser (a name, or a remedy's spec, which holds none): a remedy's rate replaces it there. */
export function applied(run: RemedyRun, settings: readonly RemedySetting[]): RemedyRun {
  let { x, net } = run;
  const train: Record<string, unknown> = { ...run.train };
  for (const s of settings) {
    if (s.option === 'inputs') {
      x = standardised(x);
      continue;
    }
    const value = settingValue(s);
    if (s.option === 'layers') net = applyLayersChange(net, value as RemedyLayersChange);
    else if (s.option === 'activation' || s.option === 'init' || s.option === 'biasInit') net = { ...net, [s.option]: value };
    else if (s.option === 'optimizer') train.optimizer = typeof value === 'string' ? { name: value } : value;
    else train[s.option] = value;
  }
  return { ...run, x, net, train: train as TrainOptions };
}

/** `run` trained from weights of `seed`, diagnosed, and evaluated over its own rows. */
export async function outcome(run: RemedyRun, seed: number): Promise<RemedyOutcome> {
  const net = await createNetwork({ ...run.net, seed });
  try {
    net.train(run.x, run.y, run.train);
    const { accuracy, loss } = net.evaluate(run.x, run.y);
    return { diagnosis: diagnose(net.trace!), accuracy: accuracy!, loss };
  } finally {
    net.dispose();
  }
}
