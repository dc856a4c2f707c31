/**
 * Goals of issues #5 and #16 as lines of bench/RESULTS.md's goals table (bench/run.ts writes them):
 * the exp-bound passes, the step against its peers, the ingest and the step's share of the peak, each
 * judged on the median of its interleaved rounds, with the rounds' spread and a straddle note
 * (bench/verdict.ts), and `roundsGoal`, the line of any goal on a value per round. These goals'
 * targets are written here once; their suites' comments point here.
 */
import { spreadOf } from './spread.js';
import { roundsText, roundsVerdict, type Target, type Verdict } from './verdict.js';
import { ms, percent, times } from './report.js';
import { percentText } from '../src/percent-text.js';
import type { ElementwiseRow } from './elementwise.bench.js';
import type { PeerRow } from './peers.bench.js';
import type { ApiRow } from './api.bench.js';
import type { ScalingRow } from './scaling.bench.js';

/** One line of the goals table. */
export interface Goal {
  goal: string;
  target: string;
  measured: string;
  /** 'not measured': not measurable in this run (said in `measured`). */
  verdict: Verdict;
}

/** A goal on a value measured once per interleaved round: the median round's verdict, the rounds' spread (`format` prints a value with its unit). */
export function roundsGoal(goal: string, target: Target, targetText: string, values: readonly number[], format: (value: number) => string): Goal {
  const spread = spreadOf(values);
  return { goal, target: targetText, measured: roundsText(spread, target, format), verdict: roundsVerdict(spread, target) };
}

/** The rounds a goal's row carries; a row without them is a suite that measured it once, which no goal may be judged on. */
function roundsOf(values: readonly number[] | undefined, row: string): readonly number[] {
  if (!values) throw new Error(`goal row '${row}' has no rounds`);
  return values;
}

const atLeastTimes = (target: number): Target => ({ value: target, atLeast: true });

/** Issue #5: each exp-bound pass on wasm-simd at least this many times as fast as a Math.exp loop. */
export const ELEMENTWISE_TARGET = atLeastTimes(5);

/** Every wasm-simd row of bench/elementwise.bench.ts against its case's Math.exp loop, `length` floats per pass. */
export function elementwiseGoals(rows: readonly ElementwiseRow[], length: number): Goal[] {
  const simd = rows.filter((r) => r.name.endsWith(' wasm-simd'));
  if (simd.length === 0) throw new Error('elementwiseGoals: no wasm-simd row');
  return simd.map((r) =>
    roundsGoal(
      `${r.name.replace(/ wasm-simd$/, '')} on ${length.toLocaleString('en')} floats vs Math.exp loop`,
      ELEMENTWISE_TARGET,
      `≥ ${ELEMENTWISE_TARGET.value}×`,
      roundsOf(r.ratios, r.name),
      times,
    ),
  );
}

/** Issue #5: gradscope's step at least `target` times the samples per second of a peer's (bench/peers.bench.ts), at a batch. */
export const PEER_GOALS: readonly { batch: number; peer: string; target: Target }[] = [
  { batch: 64, peer: 'tfjs-wasm trainOnBatch', target: atLeastTimes(8) },
  { batch: 64, peer: 'brain.js', target: atLeastTimes(50) },
  { batch: 1, peer: 'tfjs-wasm trainOnBatch', target: atLeastTimes(10) },
  { batch: 8, peer: 'tfjs-wasm trainOnBatch', target: atLeastTimes(10) },
];

/** PEER_GOALS against the peers suite's rows (a row's name starts with the goal's peer). */
export function peerGoals(rows: readonly PeerRow[]): Goal[] {
  return PEER_GOALS.map(({ batch, peer, target }) => {
    const row = rows.find((r) => r.batch === batch && r.name.startsWith(peer));
    if (!row) throw new Error(`peerGoals: no '${peer}' row at batch ${batch}`);
    return roundsGoal(`step vs ${peer}, batch ${batch}`, target, `≥ ${target.value}×`, roundsOf(row.ratios, row.name), times);
  });
}

/** Issue #16: net.dataset() of the API suite's rows, in milliseconds. */
export const INGEST_TARGET_MS: Target = { value: 5, atLeast: false };

const msText = (value: number) => `${ms(value)} ms`;

/** The API suite's ingest row (`inputs` floats per row) against INGEST_TARGET_MS. */
export function ingestGoal(row: ApiRow, inputs: number): Goal {
  return roundsGoal(`${row.task}×${inputs} from Float32Array (issue #16)`, INGEST_TARGET_MS, `≤ ${INGEST_TARGET_MS.value} ms`, roundsOf(row.roundsMs, row.task), msText);
}

/** Issue #5: a one-thread training step at batch 64 reaches at least this fraction of the in-run f32x4 peak (its FLOP limit). */
export const STEP_PEAK_TARGET: Target = { value: 0.6, atLeast: true };

/** The scaling suite's row of the goal's step (each round's fraction against that round's peak), with its samples per second. */
export function stepPeakGoal(row: ScalingRow): Goal {
  const goal = roundsGoal(
    `training step [${row.sizes.join(',')}] batch ${row.batch}, one thread`,
    STEP_PEAK_TARGET,
    `≥ ${percent(STEP_PEAK_TARGET.value)} of the FLOP limit`,
    roundsOf(row.ofPeakRounds, `${row.axis} ${row.value}`),
    percentText,
  );
  return { ...goal, measured: `${goal.measured}; ${Math.round(row.samplesPerSecond).toLocaleString('en')} samples/s` };
}
