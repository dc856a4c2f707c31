/**
 * Which SIMD binary is faster on this CPU: the default one, with separate f32x4 mul and add, or the
 * relaxed one, whose dense microkernel fuses them into relaxed_madd. Neither wins everywhere: the
 * relaxed microkernel ran 1.03× slower on an AMD EPYC Zen 5 (family 26; bench/RESULTS.md at commit 7e4b013, 2026-11-30 and
 * 2026-12-01), 1.19× faster on an Intel Xeon, and in 0.68× the time on an AMD EPYC Zen 3 (family
 * 25 model 1; the bench's relaxed-tile loop, 2026-12-01, load 11). Measured once per process, when `binary: 'fastest'` is first
 * asked for, on engines that have relaxed SIMD (Chrome ships it; Node 20 needs
 * --experimental-wasm-relaxed-simd).
 *
 * What is timed is the microkernel itself, the only code in which the binaries differ, built alone
 * into a probe binary beside each (assembly/probe.ts, ~550 bytes: it loads in a fraction of a
 * millisecond, where the relaxed core took 2–21 ms to compile at load 14–18), in short rounds that
 * alternate between the two. The candidates are compared pair by pair, each round of the other
 * against the default's round beside it: on this 2-core host shared with other agents, a
 * co-tenant slowed both probes 1.5–2.5× for stretches of a millisecond or more (AMD EPYC Zen 3,
 * 2026-12-01, load 2–17), which a pair feels on both sides. Comparing each candidate's best round,
 * as this did before, waited for both bests to settle, and a slow stretch moved them apart: at
 * 15 ms, 16 of 110 fresh processes had no verdict that way, 8 pair by pair (recorded rounds replayed,
 * 19:16–19:25, load 12–17).
 *
 * An engine runs a fresh module in its baseline tier (V8: Liftoff, 3.5–6.6× slower here, where both
 * probes run alike: 34.0 and 34.2 µs a call with --liftoff-only, 25–36 µs in the recorded rounds
 * before their tier-up (calibration-rounds.ts), against 7.1 and 5.2 µs optimised; 19:18, load 15)
 * until its optimising tier has compiled the hot function in the background, and which binary gets
 * there first is luck. So (judgeRounds), over the last PAIRS pairs (those since a candidate showed
 * its tier-up, a drop of TIER_DROP from its first rounds, once one has):
 * - the middle half of the pairs' ratios (other over default) must lie within SAME_TIER of 1: a
 *   ratio further off compares two tiers, and nothing is decided;
 * - the relaxed binary is picked when the whole middle half lies below the margin, even before a
 *   tier-up shows: the baseline tier runs both alike, and pairs across tiers fall outside SAME_TIER;
 * - the default is kept early when the whole middle half lies above it, and only once a candidate
 *   has shown its tier-up: before that, both may still sit in the baseline tier, where the two
 *   binaries run alike and a tie would keep the default where the relaxed one wins. One shown is
 *   enough when the pairs since it lie within ONE_TIER_UP_SHOWN, tighter than SAME_TIER: the other
 *   may have tiered up unseen in its first rounds, or not yet, and on the Zen 5 its baseline tier
 *   (17–20 µs a call) ran 1.7–2.4× a default optimised and slowed by the host (8.4–10.1 µs,
 *   calibration-rounds.ts), a ratio SAME_TIER lets through.
 *
 * On the AMD EPYC Zen 5 (family 26 model 2; 2026-12-03 20:00–20:09, load 13–19: 139 fresh processes
 * of the calibration's flow, every round recorded for 60 ms, calibration-rounds.ts) the probes
 * tier up sooner: Liftoff ran 17–20 µs a call against 5.0–5.3 µs optimised, and in 57 of the 139
 * the default's tier-up came within its first two rounds (the first call's set-up, 0.07–4.3 ms,
 * then one call of 0.5–15 ms), so that no drop from its first rounds ever showed. Waiting for both
 * tier-ups then kept the default from ever being kept early: the rounds ran on to the budget, and
 * a stretch in which the host slowed the default's rounds (two of them run back to back between
 * pairs) could put ten pairs' middle half below the margin. Of the 104 processes whose relaxed
 * probe ran 1.004–1.043× the default's, 7 picked the relaxed binary given time, 2 within 15 ms.
 * With one tier-up enough, 1 did (a process the host moved from 0.86× to 1.01× after 200 pairs,
 * below), and the default was kept by verdict in 65 within 15 ms (26 before), 98 given time (54);
 * with the relaxed rounds scaled as if 1.19× and 1.47× faster (an Intel Xeon, a Zen 3) the relaxed
 * binary was picked in 72 of the 104 within 15 ms, as before (the other 32 ran out of budget at
 * that load, loading the probes alone took up to 36 ms), and in all 104 given time, in a median
 * 5.9 ms (5.7 before).
 * (The 139th read 0.984×, between the two: median of its fastest calls over the second half of its
 * rounds, as for the others.)
 * In the other 34 processes the host slowed the default's probe more than the relaxed one's (up to
 * 8.5 µs a call against 6.4), steadily: the relaxed probe ran 0.70–0.96× the default's, and the
 * host moved processes in and out of that state within seconds. The dense product went with it: a
 * process timing both probes and the bench's dense product (64×256→128) in alternated 2 ms rounds
 * read the relaxed product at 0.87–0.91× the default's in the 14 of 181 seconds its probe read
 * 0.90–0.95× (20:04:42–20:07:49, load 14–16; else the probe 0.97–1.01×). Picking the relaxed binary
 * there picks the faster one at that time, which a product timed in another process later need
 * not confirm. It is a state of the host's, not of a process: on 2026-12-04 (load 2–6) it came in
 * stretches of 30 ms to seconds in which every instance of the default slowed alike, whatever V8's
 * tier, the vCPU or the order of instantiation (bench/relaxed/binaries.ts says how that was
 * measured). No calibration of a few ms can see whether the state it sees will last; the pick
 * follows what it sees (Calibration.ratio), and the bench judges each pick on a product timed in
 * its own process, in the rounds in the state the pick was made in.
 * Otherwise the rounds go on until a verdict is clear or the budget (counted from when the
 * calibration was asked for, so loading the probes counts) runs out, and then the default is kept:
 * it rounds alike everywhere, and it is the binary the caller would have had without asking.
 */
import { median, quantile } from '../median.js';

/** One candidate: its name and one call of the code it is judged on. */
export interface Candidate<Name extends string> {
  name: Name;
  run: () => void;
}

/** The calibration's outcome. */
export interface Calibration<Name extends string> {
  /** The binary picked. */
  chosen: Name;
  /** Rounds timed, of both candidates together (the default's include those it ran alone while the other was being compiled). */
  rounds: number;
  /** 'verdict': the rounds decided; 'budget': the budget ran out first and the default was kept; 'engine': the engine runs one candidate only. */
  by: 'verdict' | 'budget' | 'engine';
  /**
   * What the rounds saw last: the other's time over the default's, the median of the last PAIRS
   * pairs (those a verdict is drawn from; fewer if fewer were timed). Undefined when no pair was
   * timed. The host can move this ratio within a process (see above), so it says what the pick
   * was made on, not what the binaries will read later.
   */
  ratio?: number;
}

/** What the rounds say: keep the default, pick the other, or not clear yet (undefined). */
export type Judgement = 'default' | 'other' | undefined;

/** A round runs its candidate for at least this many ms: a few probe calls (5–7 µs each optimised on the Zen 3, 25–36 µs in Liftoff). */
const ROUND_MS = 0.03;
/**
 * ...and for at least this many steps of the clock, so that a coarse one (a browser's 0.1 ms)
 * moves a round's time by at most 1/ROUND_CLOCK_STEPS; the margin is widened by that resolution.
 */
const ROUND_CLOCK_STEPS = 20;
/**
 * Two binaries in the same tier differ by tens of per cent at most (0.68–1.03× measured); the
 * baseline tier is 3.5–6.6× slower than the optimised one. Pairs further apart than this compare two tiers.
 */
const SAME_TIER = 2;
/**
 * While only one candidate has shown its tier-up, the default is kept early only if the pairs'
 * middle half lies below this: in-tier ratios measured 0.68–1.03×, the Zen 5's baseline tier over a
 * host-slowed optimised default 1.7–2.4×; 1.3 lies about midway between 1.03 and 1.7 (geometrically).
 * Replaying the Zen 5's 215 recorded processes (2026-12-03, load 13–20; as-is and with the relaxed
 * rounds scaled 1/1.19 and 1/1.47, budgets 15 and 1000 ms), 1.3 left every count of verdicts and
 * their median times as they were without it.
 */
const ONE_TIER_UP_SHOWN = 1.3;
/** A candidate has shown its tier-up at its first round of at most 1/TIER_DROP of the median of its first EARLY_ROUNDS. */
const TIER_DROP = 2;
const EARLY_ROUNDS = 5;
/**
 * Pairs of rounds a verdict is drawn from (~0.7 ms optimised). Replayed with the relaxed rounds
 * scaled as if the relaxed binary were 1.03× slower (a Zen 5), 8 pairs picked it in 1 of 110
 * processes, in a stretch where the host had moved the ratio by 10 %; 10 pairs in none.
 */
const PAIRS = 10;
/**
 * Milliseconds the calibration may take, counted from when it is asked for: loading the probes,
 * then the rounds. Loading the chosen binary follows (the relaxed core, compiling in the
 * background meanwhile, or the default's instance), towards issue #16's 20 ms on top of loading
 * the default binary.
 */
export const CALIBRATION_BUDGET_MS = 15;
/** The relaxed microkernel must take at most this fraction of the default's time (3 % faster): a tie keeps the binary that rounds alike everywhere. */
export const RELAXED_MARGIN = 0.97;

/**
 * The verdict of each candidate's rounds (ms per call, in the order timed; the default may have
 * more at the start, run while the other was loading, and the rest pair up with the other's, one
 * of each timed next to each other): see the rules above. `resolution` is the clock's step over a
 * round's length, by which the margin is widened.
 */
export function judgeRounds(
  defaultMs: readonly number[],
  otherMs: readonly number[],
  { margin = RELAXED_MARGIN, resolution = 0 }: { margin?: number; resolution?: number } = {},
): Judgement {
  const offset = defaultMs.length - otherMs.length;
  if (offset < 0) return undefined;
  const byDefault = tierUpAt(defaultMs);
  const byOther = tierUpAt(otherMs);
  // The default is kept only once a tier-up has shown, and while only one has, only below
  // ONE_TIER_UP_SHOWN: the other's tier-up may have come in its first rounds, unseen, or not yet.
  const tierUpsShown = Number(byDefault !== -1) + Number(byOther !== -1);
  const keepsDefaultBelow = [0, ONE_TIER_UP_SHOWN, SAME_TIER][tierUpsShown];
  const from = Math.max(0, otherMs.length - PAIRS, byOther, byDefault - offset);
  if (otherMs.length - from < PAIRS) return undefined;
  const ratios = pairRatios(defaultMs, otherMs, from);
  const low = quantile(ratios, 0.25);
  const high = quantile(ratios, 0.75);
  if (low < 1 / SAME_TIER || high > SAME_TIER) return undefined;
  if (high < margin * (1 - resolution)) return 'other';
  if (low > margin * (1 + resolution) && high <= keepsDefaultBelow) return 'default';
  return undefined;
}

/**
 * The other's time over the default's in each pair from the other's round `from` on: the default's
 * extra rounds at the start (run while the other was loading) pair with none, the rest pair up in
 * order. What a verdict is drawn from, and what Calibration.ratio reports.
 */
function pairRatios(defaultMs: readonly number[], otherMs: readonly number[], from: number): number[] {
  const offset = defaultMs.length - otherMs.length;
  return otherMs.slice(from).map((t, i) => t / defaultMs[offset + from + i]);
}

/** The index of a candidate's first round in the optimised tier, -1 while it has shown no tier-up. */
function tierUpAt(ms: readonly number[]): number {
  if (ms.length < EARLY_ROUNDS) return -1;
  const early = median(ms.slice(0, EARLY_ROUNDS));
  return ms.findIndex((t) => TIER_DROP * t <= early);
}

/**
 * The faster of two binaries by their probes: the default's rounds alone while the other is still
 * being loaded, until the default has shown its tier-up (which then costs no time of its own), then
 * alternating rounds (each first in every other round), until judgeRounds gives a verdict or
 * `startedAt + budgetMs` passes; then the default. Rejects as `other` does. `clockStep`: the
 * clock's resolution in ms (measured if not given).
 */
export async function fastest<Name extends string>(
  candidates: { default: Candidate<Name>; other: Promise<Candidate<Name>> },
  {
    margin = RELAXED_MARGIN,
    budgetMs = CALIBRATION_BUDGET_MS,
    now = () => performance.now(),
    startedAt = now(),
    clockStep = clockStepOf(now),
  }: { margin?: number; budgetMs?: number; now?: () => number; startedAt?: number; clockStep?: number } = {},
): Promise<Calibration<Name>> {
  const roundMs = Math.max(ROUND_MS, ROUND_CLOCK_STEPS * clockStep);
  const resolution = clockStep / roundMs;
  const times = { default: [] as number[], other: [] as number[] };
  const timeRound = (candidate: Candidate<Name>, into: number[]) => {
    const start = now();
    let calls = 0;
    let elapsed: number;
    do {
      candidate.run();
      calls++;
      elapsed = now() - start;
    } while (elapsed < roundMs);
    into.push(elapsed / calls);
  };
  const inBudget = () => now() - startedAt < budgetMs;
  const outcome = (chosen: Name, by: Calibration<Name>['by']): Calibration<Name> => {
    const last = pairRatios(times.default, times.other, Math.max(0, times.other.length - PAIRS));
    return { chosen, rounds: times.default.length + times.other.length, by, ratio: last.length > 0 ? median(last) : undefined };
  };

  let other: Candidate<Name> | undefined;
  let failure: { cause: unknown } | undefined;
  candidates.other.then(
    (candidate) => (other = candidate),
    (cause: unknown) => (failure = { cause }),
  );
  // An other loaded already (Node instantiates the probes synchronously) is seen after this
  // microtask, and the alternating rounds start at once: the default's rounds alone would end
  // only at the next task, which came 0.3–6 ms later on a loaded host (AMD EPYC Zen 3, 2026-12-01
  // 19:06, load 7.6–9).
  await Promise.resolve();
  // The default's rounds while the other compiles, until it has tiered up: spinning on beyond that
  // slowed the other's compilation on a loaded 2-core host (its compiler threads share the CPUs).
  while (!other && !failure && inBudget() && tierUpAt(times.default) === -1) {
    const sliceEnd = now() + WAIT_SLICE_MS;
    while (now() < sliceEnd && inBudget()) timeRound(candidates.default, times.default);
    await nextTask();
  }
  if (!other && !failure && inBudget()) await Promise.race([candidates.other.catch(() => undefined), delay(startedAt + budgetMs - now())]);
  if (failure) throw failure.cause;
  if (!other) return outcome(candidates.default.name, 'budget');
  while (inBudget()) {
    const round = times.other.length;
    if (round % 2 === 0) timeRound(candidates.default, times.default);
    timeRound(other, times.other);
    if (round % 2 === 1) timeRound(candidates.default, times.default);
    const verdict = judgeRounds(times.default, times.other, { margin, resolution });
    if (verdict) return outcome(verdict === 'other' ? other.name : candidates.default.name, 'verdict');
  }
  return outcome(candidates.default.name, 'budget');
}

/** While the other binary compiles, the default's rounds run in slices of this many ms, between which the engine can say it is ready. */
const WAIT_SLICE_MS = 0.5;

/** A promise resolved after `ms` milliseconds. */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A macrotask later: the engine delivers a finished compilation as a task, which a microtask would not let run. */
function nextTask(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  // Browsers: a message to oneself (setTimeout is clamped to 4 ms once nested).
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(undefined);
  });
}

/** Reads of the clock at most while measuring its step: a clock that never moves (a test's) has step 0. */
const CLOCK_READS = 100_000;

/** The clock's resolution in ms: the smallest change it shows after a first one (0 when it does not move). */
function clockStepOf(now: () => number): number {
  // The first change only finds an edge: the read before it may have come anywhere in a step.
  let last = now();
  let step = Infinity;
  let changes = 0;
  for (let read = 0; read < CLOCK_READS && changes < 3; read++) {
    const t = now();
    if (t === last) continue;
    if (changes > 0) step = Math.min(step, t - last);
    last = t;
    changes++;
  }
  return changes < 2 ? 0 : step;
}
