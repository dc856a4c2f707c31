/**
 * Goal verdicts from interleaved rounds (`npm run bench`, bench/RESULTS.md). A verdict is taken
 * from the median round, never from one timing, and says when the rounds themselves disagree:
 *
 * - a goal is met when the median round meets it; where the middle half of the rounds lies on
 *   both sides of the target the line says so (the run cannot tell met from not met by much);
 * - a two-thread goal is judged against a host control measured in the same rounds: two threads
 *   each running a pure compute loop with no shared data (bench/host-control.ts). In a round where
 *   that control itself gets less than the target from the second vCPU, no two-thread program
 *   could have met the goal: such rounds are left out, and when they are most rounds the verdict
 *   is 'host-limited', neither met nor a gradscope failure. A two-thread step may also have a
 *   second control, its nothing-shared ceiling (bench/nothing-shared.ts: two one-thread networks,
 *   each doing half the work at the same time, nothing shared; only its clean pairs count): a goal
 *   that is not met where that ceiling itself misses the target in the judged rounds is
 *   'host-limited' too, and says both figures. The exchanged ceiling printed beside the step
 *   (bench/exchanged-half.ts: those halves plus the least exchange, each core reading the other's
 *   half of ∂W and of the weights after its backprop) is not read here: it is nearer what a split
 *   can reach, but not a bound on it. A split may overlap that exchange with its compute (reduce a
 *   layer's ∂W while an earlier layer's backward runs), which the exchanged pair, exchanging after
 *   its whole backprop behind two barriers, does not, and it makes two local copies a split does
 *   not; so a split could beat it, and a verdict that excuses a miss ('host-limited') must stand on
 *   a bound. The ingest from a Float32Array per row is
 *   judged the same way beside its own floor: the same rows set into plain memory, nothing checked.
 */
import { spreadOf, spreadText, type Spread } from './spread.js';
import { percentText } from '../src/percent-text.js';

export type Verdict = 'met' | 'NOT met' | 'host-limited' | 'not measured';

/** A goal's line: `value ≥ target` (atLeast) or `value ≤ target`. */
export interface Target {
  value: number;
  atLeast: boolean;
}

export function meets(value: number, target: Target): boolean {
  return target.atLeast ? value >= target.value : value <= target.value;
}

/** Whether the middle half of the rounds (first to third quartile) lies on both sides of the target. */
export function straddles(s: Spread, target: Target): boolean {
  return meets(s.q1, target) !== meets(s.q3, target);
}

/** The verdict of a goal measured in rounds: the median round's. */
export function roundsVerdict(s: Spread, target: Target): Verdict {
  return meets(s.median, target) ? 'met' : 'NOT met';
}

/**
 * The measured column of a goal from rounds: the spread, `which` rounds they are (if not all), and a
 * note when its middle half straddles the target (`format` prints a value with its unit, the target's too).
 */
export function roundsText(s: Spread, target: Target, format: (value: number) => string, which = ''): string {
  const note = straddles(s, target) ? `; its middle half straddles ${format(target.value)}` : '';
  return `${spreadText(s, format)}${which}${note}`;
}

/** A goal judged on the rounds where a host control measured beside it met the target itself (judgeBesideControl). */
export interface ControlJudgement {
  verdict: Verdict;
  /** The rounds whose host control met the target: the ones the verdict is taken from. */
  clean: number;
  rounds: number;
  /** The goal's value over the clean rounds (over all rounds when fewer than half are clean). */
  judged: Spread;
  /** The host control over all rounds. */
  control: Spread;
  /** The goal's value over every round. */
  all: Spread;
  /**
   * Whether the clean rounds met the goal where the run was not mostly clean (under MOSTLY_CLEAN) and
   * every round's median missed: then the verdict is 'host-limited', not 'met' (judgeBesideControl).
   */
  metOnlyWhereClean: boolean;
  /** The nothing-shared ceiling over the judged rounds that had a clean pair, when one was measured. */
  ceiling?: CeilingJudgement;
}

/**
 * A nothing-shared ceiling measured in rounds (bench/nothing-shared.ts pairRound): per round, the
 * goal's one-thread time over the median of that round's clean pairs (undefined where none was
 * clean: the worker had not started its half when the main thread finished its own, in every pair
 * of the round), and how many of its pairs were clean.
 */
export interface CeilingRounds {
  ratios: readonly (number | undefined)[];
  pairs: number;
  cleanPairs: number;
}

/** A nothing-shared ceiling over the judged rounds (judgeBesideControl). */
export interface CeilingJudgement {
  /** Its pairs, and the clean ones among them (all rounds). */
  pairs: number;
  cleanPairs: number;
  /** The judged rounds, and those among them with a clean pair: the rounds the ceiling is read over. */
  judgedRounds: number;
  rounds: number;
  /** Whether at least half the judged rounds had a clean pair: else the ceiling bounds nothing. */
  bounds: boolean;
  /** The ceiling over its rounds, and the goal's value over the same rounds (undefined: no round had a clean pair). */
  spread?: Spread;
  value?: Spread;
}

/**
 * The share of clean rounds from which a 'met' over the clean rounds alone stands. At half (the
 * rule until session 34) [784,512,512,10]'s two-thread step read 'met' over 11 clean rounds of 21
 * while the median of all 21 read 1.42× (review33): with the control clean in only half the rounds
 * the host was busy through the run, and a round whose control (15 ms a side) got the second vCPU
 * says little about the 30 ms or two train() calls of each gradscope side beside it, which the
 * host's other work can slow one side of more than the other. A miss over the clean rounds is
 * still 'NOT met' from half on: a busy host hides a split's gain more often than it makes one up.
 */
export const MOSTLY_CLEAN = 3 / 4;

/**
 * A goal from paired rounds (values[i] and controls[i] measured in round i) beside a host control
 * that measures the same target with nothing of gradscope's in it: a two-thread speed-up beside the
 * peak loop split across two threads (the host gave the second vCPU in a round where the control
 * met the target), or the per-row ingest beside the same rows set into plain memory, nothing
 * checked (a round whose control misses the target is one where no per-row ingest could meet it).
 * A round is clean when its control met the target. With at least half the rounds clean, the
 * verdict is the median clean round's, with one exception: a 'met' taken from the clean rounds of
 * a run where fewer than three quarters were clean (MOSTLY_CLEAN) also needs the median of every
 * round to meet the goal, else it is 'host-limited'. With fewer than half clean, the run could not
 * show a failure: 'met' if the median round met the goal anyway, else 'host-limited'. Rounds are
 * chosen by the control, measured apart from gradscope, never by gradscope's own times.
 *
 * `ceiling` (optional, its ratios[i] measured in round i): the goal's nothing-shared ceiling, the
 * same work split into halves that share nothing (bench/nothing-shared.ts), read over the judged
 * rounds that had a clean pair (a pair whose worker had not started its half when the main thread
 * finished is the host's scheduling, not a bound). With fewer than half the judged rounds clean
 * there it bounds nothing. A goal 'NOT met' whose ceiling's median misses the target too is
 * 'host-limited' only where gradscope reached that ceiling over the same rounds (reachedCeiling:
 * their middle halves overlap): in those rounds this host gave no split of this work the target,
 * and gradscope's split did as well as one that shares nothing. Below the ceiling, part of the miss
 * is gradscope's; above it, the halves were slowed by something the split was not, so it bounds
 * nothing: both stay 'NOT met', the ceiling printed beside. It never turns a miss into 'met'.
 */
export function judgeBesideControl(values: readonly number[], controls: readonly number[], target: Target, ceiling?: CeilingRounds): ControlJudgement {
  if (values.length !== controls.length) throw new Error(`judgeBesideControl: ${values.length} rounds but ${controls.length} controls`);
  if (ceiling && ceiling.ratios.length !== values.length) throw new Error(`judgeBesideControl: ${values.length} rounds but ${ceiling.ratios.length} ceilings`);
  const cleanRounds = values.map((_, i) => i).filter((i) => meets(controls[i], target));
  const control = spreadOf(controls);
  const all = spreadOf(values);
  const base = { clean: cleanRounds.length, rounds: values.length, control, all, metOnlyWhereClean: false };
  if (2 * cleanRounds.length >= values.length) {
    const judged = spreadOf(cleanRounds.map((i) => values[i]));
    const over = ceiling && ceilingOver(cleanRounds, values, ceiling);
    const verdict = roundsVerdict(judged, target);
    const metOnlyWhereClean = verdict === 'met' && cleanRounds.length < MOSTLY_CLEAN * values.length && !meets(all.median, target);
    const hostLimited = metOnlyWhereClean || (verdict === 'NOT met' && over !== undefined && over.bounds && !meets(over.spread!.median, target) && reachedCeiling(over.value!, over.spread!));
    return { ...base, metOnlyWhereClean, verdict: hostLimited ? 'host-limited' : verdict, judged, ceiling: over };
  }
  return { ...base, verdict: meets(all.median, target) ? 'met' : 'host-limited', judged: all, ceiling: ceiling && ceilingOver(values.map((_, i) => i), values, ceiling) };
}

/** The ceiling over the rounds `judged` (indices) that had a clean pair, and the goal's values over the same rounds. */
function ceilingOver(judged: readonly number[], values: readonly number[], ceiling: CeilingRounds): CeilingJudgement {
  const rounds = judged.filter((i) => ceiling.ratios[i] !== undefined);
  const some = rounds.length > 0;
  return {
    pairs: ceiling.pairs,
    cleanPairs: ceiling.cleanPairs,
    judgedRounds: judged.length,
    rounds: rounds.length,
    bounds: some && 2 * rounds.length >= judged.length,
    spread: some ? spreadOf(rounds.map((i) => ceiling.ratios[i]!)) : undefined,
    value: some ? spreadOf(rounds.map((i) => values[i])) : undefined,
  };
}

/** Whether gradscope's rounds reached the nothing-shared ceiling's: their middle halves (first to third quartile) overlap. */
function reachedCeiling(judged: Spread, ceiling: Spread): boolean {
  return judged.q3 >= ceiling.q1 && judged.q1 <= ceiling.q3;
}

/** A two-thread goal's measured column (judgeBesideControl): which rounds were judged and their spread, and the host control's. */
export function threadsText(j: ControlJudgement, target: Target, format: (value: number) => string): string {
  const control = `host control ${format(j.control.median)} (≥ ${format(target.value)} in ${j.clean} of ${j.rounds} rounds)`;
  if (2 * j.clean < j.rounds) {
    const why = j.verdict === 'host-limited' ? 'the second vCPU was busy in most rounds' : 'met in spite of a busy second vCPU';
    return `${why}; ${control}; gradscope ${roundsText(j.judged, target, format)}${ceilingText(j, target, format)}`;
  }
  const over = j.clean === j.rounds ? '' : ` over the ${j.clean} clean rounds`;
  return `${roundsText(j.judged, target, format, over)}${metOnlyWhereCleanText(j, target, format)}; ${control}${ceilingText(j, target, format)}`;
}

/** Why a goal met over its clean rounds is 'host-limited' (ControlJudgement.metOnlyWhereClean), else ''. */
export function metOnlyWhereCleanText(j: ControlJudgement, target: Target, format: (value: number) => string): string {
  if (!j.metOnlyWhereClean) return '';
  return `; met over those rounds only: every round’s median ${format(j.all.median)} misses ${format(target.value)}, and with the control clean in fewer than ${percentText(MOSTLY_CLEAN)} of the rounds the run cannot call it met`;
}

/**
 * The nothing-shared ceiling's part of threadsText, over the judged rounds with a clean pair: how
 * many pairs were clean (in all rounds), whether too few rounds had one to bound anything, when it
 * missed the target itself and, then, whether gradscope reached it (only a miss that did is
 * 'host-limited'). It says that only the ceiling's side is filtered: gradscope's two-thread round is
 * tinybench's median over every step (threads.bench.ts), its steps whose worker started late
 * (the main thread ran the job itself) included, so a ceiling is compared with a side that keeps
 * the host's scheduling in.
 */
function ceilingText(j: ControlJudgement, target: Target, format: (value: number) => string): string {
  const c = j.ceiling;
  if (!c) return '';
  const head = '; nothing-shared ceiling (the same work in halves that share nothing';
  // Counted over every round (pairRound adds up a round's pairs whether or not the round is judged).
  const pairs = `${c.cleanPairs} of ${c.pairs} pairs clean in all rounds`;
  if (!c.spread) return `${head}): no clean pair in the judged rounds (${pairs}), so no bound in this run`;
  const rounds = c.rounds === c.judgedRounds ? '' : ` over the ${c.rounds} of ${c.judgedRounds} judged rounds with one`;
  const counted = `${head}, clean pairs only; gradscope’s two threads every step, not filtered alike) ${spreadText(c.spread, format)}${rounds} (${pairs})`;
  if (!c.bounds) return `${counted}: too few rounds with a clean pair to bound anything`;
  const reach = reachedCeiling(c.value!, c.spread) ? 'reached by gradscope' : c.value!.q3 < c.spread.q1 ? 'above gradscope’s' : 'below gradscope’s, so no bound in this run';
  const missed = meets(c.spread.median, target) ? '' : `, itself under ${format(target.value)}, ${reach}`;
  return `${counted}${missed}`;
}

/** One fresh process of `binary: 'fastest'`: its pick, and the dense product timed in it right after (per round). */
export interface PickedProcess {
  chosen: string;
  /** The other probe's time over the default's that the pick was made on (the calibration's last pairs); undefined when it timed none. */
  pickRatio?: number;
  /** Per round: the other binary's time over the default's. */
  otherOverDefault: readonly number[];
  /** Per round: a second instance of the default over the first (the noise: what two identical binaries read). */
  defaultAgain: readonly number[];
  /** Per round: the other probe's time over the default's, timed beside the product: the host's state in that round. */
  probeOtherOverDefault: readonly number[];
}

/**
 * What the processes that picked one binary cost: how many, the most it cost against the faster
 * binary in one of them (0: the faster in each), what it may cost, and the other/default time
 * (each process's median round) in its smallest and largest.
 */
export interface PickCost {
  binary: string;
  count: number;
  cost: number;
  tolerance: number;
  ratios: { min: number; max: number };
}

/** `binary: 'fastest'` judged on what it picked in fresh processes, each against the product timed in it. */
export interface PicksJudgement {
  verdict: Verdict;
  /** How far (a fraction) two instances of the same binary strayed: the larger distance of their per-round ratio's quartiles from 1, over every process's rounds. */
  noise: number;
  /** Per binary picked, over the judged processes, each on its rounds in its pick's host state. */
  picks: PickCost[];
  /**
   * Per binary picked, over the processes not judged (in most of their rounds the host had moved
   * out of the state their pick was made in), each on all its rounds: what the pick cost them for
   * as long as they ran, which is what a user of 'fastest' pays.
   */
  moved: PickCost[];
}

/**
 * Whether the binaries `binary: 'fastest'` picked are as fast as the bench can tell, each pick
 * judged against the product timed in its own process, over the rounds in the host state the pick
 * was made in (bench/relaxed/binaries.ts: the host moves the binaries' ratio from moment to
 * moment): those whose probe ratio lies on the same side of `margin` as the pick's own (all rounds
 * when the pick timed no pair). A process with fewer than half its rounds in that state is not
 * judged: its cost over all its rounds goes in `moved`. Staying on the default is the calibration's
 * design unless the other is faster by `margin` (0.97: 3 %), so a default pick may cost up to that
 * margin plus the noise; picking the other may cost only the noise. A pick's cost is taken from the
 * median of its rounds. Any judged pick costing more fails the goal. With no failure, the goal is
 * 'host-limited', not met, when fewer than half the processes were judged (the host moved too often
 * for the run to tell) or when a process not judged paid more than its pick may cost: no
 * calibration of a few ms can see a state that will not last, but the process paid all the same.
 */
export function judgePicks(processes: readonly PickedProcess[], names: { default: string; other: string }, margin: number): PicksJudgement {
  if (processes.length === 0) throw new Error('judgePicks: no processes');
  const aa = spreadOf(processes.flatMap((p) => p.defaultAgain));
  const noise = Math.max(Math.abs(aa.q1 - 1), Math.abs(aa.q3 - 1));
  const costOf = (binary: string, rounds: readonly number[]) => {
    const ratio = spreadOf(rounds).median;
    const cost = binary === names.default ? { cost: Math.max(0, 1 / ratio - 1), tolerance: 1 / margin - 1 + noise } : { cost: Math.max(0, ratio - 1), tolerance: noise };
    return { binary, ratio, ...cost };
  };
  const judged: ReturnType<typeof costOf>[] = [];
  const moved: ReturnType<typeof costOf>[] = [];
  for (const p of processes) {
    if (p.chosen !== names.default && p.chosen !== names.other) throw new Error(`judgePicks: '${p.chosen}' is neither '${names.default}' nor '${names.other}'`);
    const rounds = roundsInPickState(p, margin);
    if (2 * rounds.length < p.otherOverDefault.length) moved.push(costOf(p.chosen, p.otherOverDefault));
    else judged.push(costOf(p.chosen, rounds));
  }
  const picks = perBinary(judged);
  const movedPicks = perBinary(moved);
  const costsTooMuch = (costs: PickCost[]) => costs.some((p) => p.cost > p.tolerance);
  const verdict = costsTooMuch(picks) ? 'NOT met' : 2 * moved.length > processes.length || costsTooMuch(movedPicks) ? 'host-limited' : 'met';
  return { verdict, noise, picks, moved: movedPicks };
}

/** Processes' costs gathered per binary, in the order first picked. */
function perBinary(costs: readonly { binary: string; ratio: number; cost: number; tolerance: number }[]): PickCost[] {
  const binaries = [...new Set(costs.map((c) => c.binary))];
  return binaries.map((binary) => {
    const of = costs.filter((c) => c.binary === binary);
    const ratios = of.map((c) => c.ratio);
    return { binary, count: of.length, cost: Math.max(...of.map((c) => c.cost)), tolerance: of[0].tolerance, ratios: { min: Math.min(...ratios), max: Math.max(...ratios) } };
  });
}

/** A process's product ratios (other over default) in the rounds whose probes read on the pick's side of `margin`. */
function roundsInPickState(p: PickedProcess, margin: number): number[] {
  const rounds = p.otherOverDefault.length;
  if (p.probeOtherOverDefault.length !== rounds) throw new Error(`judgePicks: ${rounds} product rounds but ${p.probeOtherOverDefault.length} probe rounds`);
  if (p.pickRatio === undefined) return [...p.otherOverDefault];
  const otherFaster = p.pickRatio < margin;
  return p.otherOverDefault.filter((_, i) => p.probeOtherOverDefault[i] < margin === otherFaster);
}

/**
 * The picks' line: how often each binary was picked, what it cost at worst against the faster in its
 * process, and the ratio there, beside the noise; and how many processes were not judged, with what
 * their picks cost over all their rounds.
 */
export function picksText(j: PicksJudgement, other: string): string {
  const judged = processesIn(j.picks);
  const moved = processesIn(j.moved);
  const picked = judged > 0 ? `picked ${pickCostsText(j.picks, other)}` : 'no process judged';
  const movedText =
    moved > 0
      ? `; ${moved} of ${judged + moved} not judged: the host had moved, in most of their rounds the probes read on the other side of the margin from the pick's; over all their rounds ${pickCostsText(j.moved, other)}`
      : '';
  return `${picked}${movedText}; two instances of one binary stray ±${percentText(j.noise)}`;
}

/** How many processes the costs were taken over. */
export function processesIn(costs: readonly PickCost[]): number {
  return costs.reduce((n, p) => n + p.count, 0);
}

/** Each binary's processes: how many of all, what the pick cost at worst (or that it was the faster), and the ratio there. */
function pickCostsText(costs: readonly PickCost[], other: string): string {
  const all = processesIn(costs);
  const ratioText = ({ min, max }: { min: number; max: number }) => (min === max ? `${min.toFixed(3)}×` : `${min.toFixed(3)}–${max.toFixed(3)}×`);
  return costs
    .map((p) => {
      const where = p.count === 1 ? 'its process' : 'each of its processes';
      const cost = p.cost > 0 ? `${p.count === 1 ? '' : 'at worst '}${percentText(p.cost)} slower than the other in its process; tolerated ${percentText(p.tolerance)}` : `the faster in ${where}`;
      return `'${p.binary}' in ${p.count} of ${all} (${cost}; ${other}/default there ${ratioText(p.ratios)})`;
    })
    .join(', ');
}

/** An absolute-time goal judged beside a host control measured in the same rounds (judgeIngest). */
export interface IngestJudgement {
  verdict: Verdict;
  /** The goal's time in every round. */
  measured: Spread;
  /** The host control's time in every round. */
  control: Spread;
  /** Each round's time scaled by how much the host slowed that round's control: time × (control's best round / round's control). */
  scaled: Spread;
}

/**
 * A time goal (`ms[i]`, a memory-bound pass) beside a host control of the same bytes (`controlMs[i]`,
 * a plain copy, nothing of gradscope's) measured in the same round. A busy host (another process's
 * time slices, its memory traffic) slows a round's control and its pass alike; the control's best
 * round is the host at its least disturbed in this run. The verdict is the median round's, as for
 * any goal in rounds, when it meets the target. When it does not, each round is scaled by its
 * control's slowing (control's best ÷ that round's control, never above 1): if the scaled median
 * meets the target, only the host's slowing stood between the run and the goal, 'host-limited';
 * if even the scaled median misses, 'NOT met'. The scaling can err either way: the control's best
 * round may itself have been slowed (an under-correction, toward 'NOT met'), and a burst may hit a
 * round's copy and not its pass (an over-correction, toward 'host-limited', the verdict that
 * excuses a miss), which is why 'host-limited' is never 'met'.
 */
export function judgeIngest(ms: readonly number[], controlMs: readonly number[], target: Target): IngestJudgement {
  if (ms.length !== controlMs.length) throw new Error(`judgeIngest: ${ms.length} rounds but ${controlMs.length} controls`);
  const control = spreadOf(controlMs);
  const scaledRounds = ms.map((t, i) => (t * control.min) / controlMs[i]);
  const [measured, scaled] = [spreadOf(ms), spreadOf(scaledRounds)];
  const verdict: Verdict = meets(measured.median, target) ? 'met' : meets(scaled.median, target) ? 'host-limited' : 'NOT met';
  return { verdict, measured, control, scaled };
}

/** The measured column of judgeIngest: the rounds' spread, the control's, and the scaled rounds when the median missed. */
export function ingestText(j: IngestJudgement, target: Target, format: (value: number) => string): string {
  const control = `host control (a copy of the same bytes) ${format(j.control.median)}, best round ${format(j.control.min)}`;
  if (j.verdict === 'met') return `${roundsText(j.measured, target, format)}; ${control}`;
  const why = j.verdict === 'host-limited' ? 'the host slowed the rounds: ' : '';
  return `${roundsText(j.measured, target, format)}; ${control}; ${why}scaled to the control's best round ${spreadText(j.scaled, format)}`;
}
