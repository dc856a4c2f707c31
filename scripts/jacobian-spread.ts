/**
 * Why some of study (c)'s initialisations stop before 100 layers when their first ÷ last gradient ratio
 * at initialisation does not say so (relu-he 0.33 fails at 50 layers, plain tanh 0.19 trains): the
 * spread of the input–output Jacobian's singular values at initialisation (dynamical isometry,
 * Pennington, Schoenholz & Ganguli 2017: a norm-preserving scale is not enough, the whole spectrum must
 * stay near 1). For the study's dense remedies relu-he, plain-tanh, orthogonal-tanh and selu at 20, 50
 * and 100 hidden layers of 64 (TRAINABLE_DEPTH_REMEDIES' networks at the study's width and seed, TRAINABLE_WIDTH and STUDY_SEED), jacobianSpectrum
 * at the first 4 training digits: ∂z^L/∂x has 10 singular values (10 logits), all of them measured.
 * Prints, per network, the smallest and the largest over the 4 digits' medians, their ratio and the mean σ².
 * docs/studies.md (study (c)) quotes it; test/studies/jacobian-spread runs the 20-layer case.
 *
 *   nice -n 19 npx tsx scripts/jacobian-spread.ts [depths = 20,50,100]
 */
import { createNetwork } from '../src/api/network.js';
import { jacobianSpectrum } from '../src/curvature/jacobian.js';
import { loadMnist } from '../src/data/mnist.js';
import { firstRows } from '../src/studies/depth.js';
import { TRAINABLE_DEPTH_REMEDIES } from '../src/studies/trainable-depth-remedies.js';
import type { Rows } from '../src/data/matrix.js';
import { STUDY_SEED, TRAINABLE_WIDTH } from '../src/studies/study-defaults.js';

/** The dense initialisation remedies of study (c) this compares. */
export const SPREAD_REMEDIES = ['relu-he', 'plain-tanh', 'orthogonal-tanh', 'selu'] as const;
/** Digits measured (jacobianSpectrum's default). */
export const SPREAD_DIGITS = 4;

/** One network's Jacobian at initialisation: the median over the digits of its smallest and largest singular value, and of the mean σ². */
export interface JacobianSpread {
  smallest: number;
  largest: number;
  meanSquared: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** The first SPREAD_DIGITS training digits. */
export async function spreadDigits(): Promise<Rows> {
  const { train } = await loadMnist({ train: SPREAD_DIGITS, test: 1 });
  return firstRows(train.x, train.y, SPREAD_DIGITS).x;
}

/** `remedy`'s network at `depth` hidden layers, at initialisation: its Jacobian's spread at `x`. */
export async function jacobianSpread(remedy: (typeof SPREAD_REMEDIES)[number], depth: number, x: Rows): Promise<JacobianSpread> {
  const { network } = TRAINABLE_DEPTH_REMEDIES.find((r) => r.key === remedy)!;
  const net = await createNetwork({ ...network(depth, TRAINABLE_WIDTH), seed: STUDY_SEED });
  try {
    const { examples, singularValues } = jacobianSpectrum(net, x, { k: 10, examples: SPREAD_DIGITS });
    if (singularValues !== 10) throw new Error(`expected every one of the 10 logits' singular values, got ${singularValues}`);
    return {
      smallest: median(examples.map((e) => e.smallest[0])),
      largest: median(examples.map((e) => e.largest[0])),
      meanSquared: median(examples.map((e) => e.meanSquared)),
    };
  } finally {
    net.dispose();
  }
}

/** A singular value as docs/studies.md's table gives it: 2 significant digits, '0' where it is none. */
export const spreadCell = (v: number): string => (v === 0 ? '0' : v.toPrecision(2));

/** The table's cell for one network: its smallest–largest singular value. */
export const spreadRange = (s: JacobianSpread): string => `${spreadCell(s.smallest)}–${spreadCell(s.largest)}`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const depths = (process.argv[2] ?? '20,50,100').split(',').map(Number);
  const x = await spreadDigits();
  const cell = spreadCell;
  console.log(`| hidden layers | ${SPREAD_REMEDIES.join(' | ')} |`);
  console.log(`|---|${SPREAD_REMEDIES.map(() => '---:').join('|')}|`);
  for (const depth of depths) {
    const cells: string[] = [];
    for (const remedy of SPREAD_REMEDIES) {
      const s = await jacobianSpread(remedy, depth, x);
      cells.push(`${spreadRange(s)} (${s.smallest > 0 ? `${cell(s.largest / s.smallest)}×` : '∞'}; mean σ² ${cell(s.meanSquared)})`);
    }
    console.log(`| ${depth} | ${cells.join(' | ')} |`);
  }
}
