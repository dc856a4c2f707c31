/**
 * Goals of issues #3, #5, 13 and #16 as lines of bench/RESULTS.md's goals table (bench/run.ts writes
 * them): the exp-bound passes, the step against its peers and against jax-js, train(dataset)'s cost
 * over the inner step, the ingest, the step's share of the peak, the batch-norm step and the traced
 * step, each judged on the median of its interleaved rounds, with the rounds' spread and a straddle
 * note (bench/verdict.ts; the ingest, an absolute time, beside a host control), the small shapes on
 * the CPU family this run measured, and `roundsGoal`, the line of any goal on a value per round.
 * These goals' targets are written here once; their suites' comments point here.
 */
import { spreadOf, spreadText } from './spread.js';
import { ingestText, judgeBesideControl, judgeIngest, meets, metOnlyWhereCleanText, roundsText, roundsVerdict, straddles, type Target, type Verdict } from './verdict.js';
import { ms, percent, times } from './report.js';
import { cpuShortText, cpuVendor, type Cpu } from './cpu.js';
import { percentText } from '../src/percent-text.js';
import type { ElementwiseRow } from './elementwise.bench.js';
import type { PeerRow } from './peers.bench.js';
import type { ApiRow } from './api.bench.js';
import type { ScalingRow } from './scaling.bench.js';
import type { JaxRow } from './jax.bench.js';
import type { RelaxedResult } from './relaxed.bench.js';
import { RELAXED_MARGIN } from '../src/wasm/calibrate.js';
import type { TraceBenchRow } from './trace.bench.js';
import { DENSE_ROUNDS, denseTaskName, type DenseRow } from './dense.bench.js';

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

/**
 * One of the API suite's ingest rows (bench/api.bench.ts INGEST_TASKS) against INGEST_TARGET_MS, an
 * absolute time. The ingest from one block is judged beside the host control measured in the same
 * rounds (a copy of the same bytes, bench/verdict.ts judgeIngest): 'host-limited' when only the
 * control's slowing of the rounds stands between the median round and the target. The ingest from
 * a row per array is judged beside its own floor instead (rowIngestGoal).
 */
export function ingestGoal(row: ApiRow): Goal {
  if (row.rowControlRoundsMs) return rowIngestGoal(row, row.rowControlRoundsMs);
  const judged = judgeIngest(roundsOf(row.roundsMs, row.task), roundsOf(row.controlRoundsMs, `${row.task} (host control)`), INGEST_TARGET_MS);
  return { ...ingestLine(row), measured: ingestText(judged, INGEST_TARGET_MS, msText), verdict: judged.verdict };
}

function ingestLine(row: ApiRow): Pick<Goal, 'goal' | 'target'> {
  return { goal: `${row.task} (issue #16)`, target: `≤ ${INGEST_TARGET_MS.value} ms` };
}

/**
 * The ingest from a row per array, judged beside its floor measured in the same rounds: the same
 * rows copied with one set each into plain memory, nothing checked (bench/api.bench.ts
 * INGEST_ROW_CONTROL_TASK). A copy of the same bytes as one block is no floor for it: taking the
 * rows one by one costs a call per row from separate buffers, which no ingest of such rows avoids.
 * As for the two-thread goals (bench/verdict.ts judgeBesideControl), a round whose floor itself
 * missed the target is one where no per-row ingest could meet it: the verdict is taken from the
 * other rounds, and reads 'host-limited' when they are fewer than half (or when it met only over
 * them where fewer than three quarters were clean and every round's median missed). The plain copy is printed
 * beside it.
 */
function rowIngestGoal(row: ApiRow, rowControlRoundsMs: readonly number[]): Goal {
  const judged = judgeBesideControl(roundsOf(row.roundsMs, row.task), rowControlRoundsMs, INGEST_TARGET_MS);
  const copy = spreadOf(roundsOf(row.controlRoundsMs, `${row.task} (host control)`));
  const floor = `per-row host control (the same rows, one set each into plain memory, nothing checked) ${msText(judged.control.median)} (≤ ${msText(INGEST_TARGET_MS.value)} in ${judged.clean} of ${judged.rounds} rounds)`;
  const copyText = `host control (a copy of the same bytes) ${msText(copy.median)}`;
  const over = judged.clean === judged.rounds ? '' : ` over the ${judged.clean} rounds whose per-row host control met ${msText(INGEST_TARGET_MS.value)}`;
  const measured =
    2 * judged.clean < judged.rounds
      ? `${judged.verdict === 'host-limited' ? 'the per-row host control itself took over' : 'met although the per-row host control itself took over'} ${msText(INGEST_TARGET_MS.value)} in most rounds: no ingest taking the rows one by one meets it on this host; ${floor}; gradscope ${roundsText(judged.judged, INGEST_TARGET_MS, msText)}; ${copyText}`
      : `${roundsText(judged.judged, INGEST_TARGET_MS, msText, over)}${metOnlyWhereCleanText(judged, INGEST_TARGET_MS, msText)}; ${floor}; ${copyText}`;
  return { ...ingestLine(row), measured, verdict: judged.verdict };
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

const ratioText = (ratio: number) => `${ratio.toFixed(2)}×`;

/** Issue #16: train(dataset)'s time per training step at most this many times the inner step's. */
export const TRAIN_DATASET_TARGET: Target = { value: 1.1, atLeast: false };

/** The API suite's train(dataset) row (one epoch over `rows` rows per call, batch `batch`), on its per-round ratios to the inner step. */
export function trainDatasetGoal(row: ApiRow, rows: number, batch: number): Goal {
  return roundsGoal(
    `train(dataset) per step, one epoch over ${rows.toLocaleString('en')} rows per call, batch ${batch} (issue #16)`,
    TRAIN_DATASET_TARGET,
    `≤ ${ratioText(TRAIN_DATASET_TARGET.value)} the inner step`,
    roundsOf(row.ratios, row.task),
    ratioText,
  );
}

/** Issue #16: gradscope at least this many times as fast as jax-js, for a matmul and for a training step. */
export const JAX_TARGETS = { matmul: atLeastTimes(1.5), step: atLeastTimes(2) } as const;

/**
 * The jax-js suite's goal rows (a task starting with 'matmul' is a product, any other a training
 * step) on their per-round ratios; a row of unlike work (JaxRow.goal false) is shown, not judged.
 */
export function jaxGoals(rows: readonly JaxRow[], version: string): Goal[] {
  return rows.filter((r) => r.goal).map((r) => {
    const target = r.task.startsWith('matmul') ? JAX_TARGETS.matmul : JAX_TARGETS.step;
    return roundsGoal(`vs jax-js ${version}: ${r.task}`, target, `≥ ${target.value}×`, roundsOf(r.ratios, r.task), ratioText);
  });
}

/**
 * What the jax-js suite's FLOP-limit rows (JaxRow.side set: jax-js' step against the f32x4 mul+add
 * peak loop making the step's flops, whose speed no step of the binary reaches in the median; single
 * rounds may read above it) say of the step goal, per batch: the limit's rounds (median, middle half,
 * range), the fraction of the loop's speed a call needs to be JAX_TARGETS.step times as fast as
 * jax-js (the target over the limit's median), and the fraction the faster of the batch's judged
 * calls reached: its median ratio over the limit's, both medians of per-round ratios against the
 * same jax-js step, so no timing of one pair's rounds is divided by another's and the fraction
 * reached meets the need exactly when that call's goal row is met. Where the limit's middle half
 * lies below the target the goal is beyond the binary on the run's CPU; where it spans the target,
 * straddling: the run cannot tell. Either way it then says what the run's relaxed suite found of
 * fused multiply-add on this CPU and Node (`relaxed`: its tile's time over mul+add's, and whether
 * this Node runs it without a flag): faster only at or under RELAXED_MARGIN, the calibration's margin.
 * Empty where the run has no such row.
 */
export function jaxLimitText(rows: readonly JaxRow[], relaxed: Pick<RelaxedResult, 'ratio' | 'validatesWithoutFlag'>): string {
  const limits = rows.filter((r) => r.side !== undefined && r.batch !== undefined);
  if (limits.length === 0) return '';
  const target = JAX_TARGETS.step;
  const medianOf = (r: JaxRow) => spreadOf(roundsOf(r.ratios, r.task)).median;
  const each = limits.map((limit) => {
    const spread = spreadOf(roundsOf(limit.ratios, limit.task));
    const judged = rows.filter((r) => r.goal && r.batch === limit.batch).map(medianOf);
    const reached = judged.length === 0 ? '' : ` (reached: ${percent(Math.max(...judged) / spread.median)})`;
    const where = straddles(spread, target) ? 'straddling' : meets(spread.q3, target) ? 'within' : 'beyond';
    return { batch: limit.batch, where, text: `at batch ${limit.batch} ${spreadText(spread, ratioText)}, so ${percent(target.value / spread.median)}${reached}` };
  });
  const batches = (where: string) => each.filter((e) => e.where === where).map((e) => e.batch).join(' and ');
  const beyond = batches('beyond');
  const straddling = batches('straddling');
  const fma =
    relaxed.ratio <= RELAXED_MARGIN
      ? ` Fewer instructions per flop would raise the limit on this CPU: relaxed SIMD's fused multiply-add ran the 4×8 tile in ${times(relaxed.ratio)} the mul+add time in this run (this Node runs it ${relaxed.validatesWithoutFlag ? 'without a flag' : 'only with --experimental-wasm-relaxed-simd'}), and jax-js uses it too where the engine has it.`
      : ` Relaxed SIMD's fused multiply-add would not raise the limit on this CPU beyond the noise: its 4×8 tile took ${times(relaxed.ratio)} the mul+add time in this run, above the ${times(RELAXED_MARGIN)} under which \`binary: 'fastest'\` picks it.`;
  return (
    `jax-js' step over the FLOP limit (the f32x4 mul+add peak loop making the step's flops, whose speed no step of this binary reaches in the median; single rounds may read above it), ` +
    `the fraction of that loop's speed a call needs to be ${target.value}× as fast as jax-js (${target.value} over the limit's median), ` +
    `and what the faster judged call reached (its median ratio over the limit's, both against the same jax-js step): ${each.map((e) => e.text).join('; ')}.` +
    (beyond === '' ? '' : ` At batch ${beyond} the limit's middle half lies below ${ratioText(target.value)}: the goal is beyond this binary on this CPU.`) +
    (straddling === '' ? '' : ` At batch ${straddling}, straddling: the limit's middle half spans ${ratioText(target.value)}, so the run cannot tell whether a call at the loop's speed would meet the goal.`) +
    (beyond === '' && straddling === '' ? '' : fma)
  );
}

/** Issue 13: a step with batch norm after every hidden dense layer takes at most this many times the step without. */
export const BATCH_NORM_STEP_TARGET: Target = { value: 1.3, atLeast: false };

/** The batch-norm step suite's per-round ratios (with over without) on the network `shape` names. */
export function batchNormStepGoal(ratios: readonly number[], shape: string): Goal {
  return roundsGoal(
    `step ${shape} with batch norm after every hidden dense layer (issue 13)`,
    BATCH_NORM_STEP_TARGET,
    `≤ ${BATCH_NORM_STEP_TARGET.value}× the step without`,
    ratios,
    ratioText,
  );
}

/** Issue #3: a step traced every step takes at most this many times the untraced step. */
export const TRACE_TARGET: Target = { value: 1.1, atLeast: false };

/** The trace suite's 'step, trace every step' row (the default trace, every step) on its per-round ratios to the untraced step. */
export function traceGoal(rows: readonly TraceBenchRow[]): Goal {
  const traced = rows.find((r) => r.name.startsWith('step, trace every step ('));
  if (!traced) throw new Error("traceGoal: no 'step, trace every step (…)' row");
  return roundsGoal('trace every step (issue #3)', TRACE_TARGET, `≤ ${ratioText(TRACE_TARGET.value)} the untraced step`, roundsOf(traced.ratios, traced.name), ratioText);
}

/** Issue #16's CPU families: the small shapes' goal holds on each. */
export const CPU_FAMILIES = ['AMD', 'Intel'] as const;

/**
 * Issue #16, item 5: the small shapes at ≥ 90 % of peak on every CPU family. A run measures the
 * family of the CPU it ran on (`small`: its dense products' goal at `shape`), naming the CPU's
 * generation, since one family's generations differ (bench/cpu.ts); the other family's line says it
 * was not measured, and on which CPU this run was.
 */
export function smallShapeGoals(small: Goal, shape: string, cpu: Cpu | undefined): Goal[] {
  const here = cpuVendor(cpu);
  return CPU_FAMILIES.map((family) => ({
    goal: `small shapes on ${family} CPUs: dense products at ${shape} (issue #16)`,
    target: small.target,
    measured: family === here ? `on ${cpuShortText(cpu)}: ${small.measured}` : `not measured: this run's CPU is ${cpuShortText(cpu)}`,
    verdict: family === here ? small.verdict : 'not measured',
  }));
}

/** Issue #5: each dense product of a shape at least this fraction of the in-run peak of the same flops. */
export const DENSE_TARGET: Target = { value: 0.9, atLeast: true };

const PRODUCT_LABELS = { fwd: 'fwd', bwd_input: '∂input', bwd_weights: '∂W' } as const;

/** The dense suite's three wasm-simd products at `shape` (batch, in, out): met when every product's median round is; the line gives each median and the worst product's spread. */
export function denseGoal(rows: readonly DenseRow[], shape: readonly [number, number, number]): Goal {
  const products = Object.entries(PRODUCT_LABELS).map(([product, label]) => {
    const name = denseTaskName('wasm-simd', product as keyof typeof PRODUCT_LABELS, shape);
    const row = rows.find((r) => r.name === name);
    if (!row) throw new Error(`denseGoal: no '${name}' row`);
    return { label, spread: spreadOf(roundsOf(row.ofPeak, name)) };
  });
  const worst = products.reduce((a, b) => (b.spread.median < a.spread.median ? b : a));
  return {
    goal: `dense products at ${shape.join('×').replace(/×(\d+)$/, '→$1')} (worst of fwd, ∂input, ∂W; median of ${DENSE_ROUNDS} rounds timed by CPU time, each against its round's peak)`,
    target: `≥ ${percent(DENSE_TARGET.value)} of peak`,
    measured: `${products.map((p) => `${p.label} ${percentText(p.spread.median)}`).join(', ')}; worst ${worst.label}: ${roundsText(worst.spread, DENSE_TARGET, percentText)}`,
    verdict: products.every((p) => roundsVerdict(p.spread, DENSE_TARGET) === 'met') ? 'met' : 'NOT met',
  };
}
