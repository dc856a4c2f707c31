/**
 * `npm run bench`: every suite in one run, one table on the console, and bench/RESULTS.md with the
 * machine, the Node version, the date and the goals of issues #5 and #16 checked against this run.
 *
 * The machine may be shared: every ratio and every fraction of the peak is taken between
 * measurements made side by side in the same suite (the scaling suite measures the peak beside
 * each case), never between suites minutes apart. Absolute times are only indicative.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { API_ROWS, INGEST_ROUNDS, INGEST_TASKS, runApiBench, TRAIN_DATASET_ROUNDS } from './api.bench.js';
import { NO_OP_BUILD_ROUNDS, runNoOpBuild } from './build.bench.js';
import { BN_STEP_BATCH, BN_STEP_HIDDEN, BN_STEP_WIDTH, runBatchNormStepBench } from './batch-norm-step.bench.js';
import { BLOCKS_BATCH, BLOCKS_WIDTH, runBlocksBench } from './blocks.bench.js';
import { runCurvatureBench } from './curvature.bench.js';
import { DENSE_ROUNDS, DENSE_SHAPES, runDenseBench } from './dense.bench.js';
import { ELEMENTWISE_LENGTH, ELEMENTWISE_ROUNDS, runElementwiseBench } from './elementwise.bench.js';
import { JAX_ROUNDS, JAX_SIZES, JAX_STEP_COMPARISONS, runJaxBench } from './jax.bench.js';
import { PEER_ROUNDS, PEER_SIZES, runPeersBench } from './peers.bench.js';
import { JS_AFTER_CORE_GROUP, JS_GROUP, PROFILE_ROUNDS, runProfileBench } from './profile.bench.js';
import { consoleTable, markdownTable, ms, percent, simpleTable, times, type ReportRow } from './report.js';
import { CALIBRATION_PROCESSES, runRelaxedBench } from './relaxed.bench.js';
import { JUDGED_ROUNDS } from './relaxed/binaries.js';
import { CPU_CLOCK_MIN_FLOPS, DEPTH_BATCH, DEPTH_WIDTH, runScalingBench, SCALING_ROUNDS } from './scaling.bench.js';
import { runStepBench, STEP_BATCH, STEP_SIZES, stepFlops } from './step.bench.js';
import { ceilingRatios, lineRoundTripsText, runThreadsBench, THREAD_ROUNDS, THREADS_API_BATCH, THREADS_CEILING_BATCH, THREADS_TARGET, type ThreadsRow } from './threads.bench.js';
import { runBlockTraceBench, runBoundTestBench, runPowerRoundBench, runTraceBench, runTracedUpdateBench, STEPS_PER_CALL, TRACE_CALLS, TRACE_ROUNDS } from './trace.bench.js';
import { median } from './median.js';
import { spreadOf, spreadText } from './spread.js';
import { RELAXED_MARGIN } from '../src/wasm/calibrate.js';
import { judgePicks, judgeBesideControl, picksText, processesIn, threadsText, type Verdict } from './verdict.js';
import { batchNormStepGoal, denseGoal, elementwiseGoals, ingestGoal, jaxGoals, jaxLimitText, peerGoals, smallShapeGoals, stepPeakGoal, traceGoal, trainDatasetGoal, type Goal } from './goals.js';
import { cpuText, thisCpu } from './cpu.js';
import { percentText } from '../src/percent-text.js';

const RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

/** What `npm run bench -- --help` prints: the bench takes no options, so any argument stops it before it starts. */
const USAGE = `usage: npm run bench   (or: npx tsx bench/run.ts)
Runs every suite in one process (several minutes, with the machine to itself), prints one table and
writes bench/RESULTS.md (the machine, the Node version, the date and every goal of issues #5 and #16,
met or NOT met). It takes no options; -h or --help prints this. docs/benchmarks.md says what each row measures.`;
const args = process.argv.slice(2);
if (args.length > 0) {
  const help = args.every((a) => a === '--help' || a === '-h');
  (help ? console.log : console.error)(help ? USAGE : `bench/run.ts takes no arguments, got ${args.join(' ')}\n${USAGE}`);
  process.exit(help ? 0 : 2);
}

/** The verdict of a goal whose measurement has no spread to print: met or not. */
const verdictOf = (met: boolean): Verdict => (met ? 'met' : 'NOT met');

const started = performance.now();
const load0 = os.loadavg()[0];
const log = (message: string) => console.error(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);

// First, before any suite: the spawn's time is then the check's and Node's, not the state a suite left.
log('build once: the build check with nothing changed');
const build = runNoOpBuild();

log('dense products and the in-run peak');
const dense = await runDenseBench();
const peakOf = (variant: string) => dense.find((r) => r.name === `wasm-${variant} peak_madd`)!.gflops;
// The reference has no peak of its own: its rows carry the ratio of its time over wasm-simd's (both CPU time, dense.bench.ts).
const simdTimeOf = (name: string) => dense.find((r) => r.name === name.replace(/^ref-f32 /, 'wasm-simd '))!.medianMs;
const denseRows: ReportRow[] = dense.map((r) => {
  if (r.name.startsWith('ref-f32 ')) return { suite: 'dense', task: r.name, medianMs: r.medianMs, gflops: r.gflops, ratio: r.medianMs / simdTimeOf(r.name) };
  // Each product against the peak of the same flops in the same round (dense.bench.ts), median of the rounds.
  return { suite: 'dense', task: r.name, medianMs: r.medianMs, gflops: r.gflops, ofPeak: r.ofPeak && spreadOf(r.ofPeak).median };
});

log('exp-bound activations');
const elementwise = await runElementwiseBench();
const elementwiseRows: ReportRow[] = elementwise.map((r) => ({ suite: 'elementwise', task: r.name, medianMs: r.medianMs, ratio: r.ratio }));

log('block kernels: normalisation, SELU, residual');
const blocks = await runBlocksBench();
const blockRows: ReportRow[] = blocks.map((r) => ({ suite: 'blocks', task: r.name, medianMs: r.medianMs, ratio: r.ratio }));

log('training step with batch norm after every hidden layer, and without');
const bnStep = await runBatchNormStepBench();
const bnShape = `[784, ${BN_STEP_WIDTH}×${BN_STEP_HIDDEN}, 10] batch ${BN_STEP_BATCH}`;
const bnStepRows: ReportRow[] = [
  { suite: 'blocks', task: `step ${bnShape}, without batch norm`, medianMs: bnStep.withoutMs, ratio: 1 },
  { suite: 'blocks', task: `step ${bnShape}, batch norm after each hidden`, medianMs: bnStep.withMs, ratio: bnStep.ratio },
];

log('curvature products beside a training step');
const curvatureRows: ReportRow[] = (await runCurvatureBench()).map((r) => ({ suite: 'curvature', task: r.name, medianMs: r.medianMs, ratio: r.ratio }));

log('training step per backend');
const step = await runStepBench();
const flops = stepFlops(STEP_SIZES, STEP_BATCH);
const simdStep = step.find((r) => r.name === 'step wasm-simd')!;
const stepRows: ReportRow[] = step.map((r) => ({
  suite: 'step',
  task: r.name,
  medianMs: r.medianMs,
  gflops: flops / r.medianMs / 1e6,
  samplesPerSecond: r.samplesPerSecond,
  ratio: r.medianMs / simdStep.medianMs,
}));

log('the public API: train(), evaluate(), predict()');
const api = await runApiBench();
const apiRows: ReportRow[] = api.map((r) => ({ suite: 'api', task: r.task, medianMs: r.medianMs, ratio: r.ratio }));

log('where the step goes');
const profile = await runProfileBench();
const sigmoidNs = ((elementwise.find((r) => r.name === 'sigmoid wasm-simd')?.medianMs ?? NaN) * 1e6) / ELEMENTWISE_LENGTH;
const share = (batch: number, group: string) => profile.find((r) => r.batch === batch && r.group === group)?.share ?? NaN;
const javaScriptUs = (batch: number, group: string = JS_GROUP) => (profile.find((r) => r.batch === batch && r.group === group)?.medianMs ?? NaN) * 1000;
/** The share of the JavaScript's growth from batch 1 to 256 that batch 1's calls show after as long in the core (JS_AFTER_CORE_GROUP). */
const growthAfterCore = (javaScriptUs(1, JS_AFTER_CORE_GROUP) - javaScriptUs(1)) / (javaScriptUs(256) - javaScriptUs(1));
const profileRows: ReportRow[] = profile.map((r) => ({ suite: 'profile', task: `batch ${r.batch}: ${r.group}`, medianMs: r.medianMs, ratio: r.share }));

log('gradient-flow trace cost');
const trace = [...(await runTraceBench()), ...(await runBlockTraceBench()), ...(await runPowerRoundBench()), ...(await runTracedUpdateBench()), ...(await runBoundTestBench())];
const traceRows: ReportRow[] = trace.map((r) => ({ suite: 'trace', task: r.name, medianMs: r.medianMs, ratio: r.ratio }));

log('peers: tfjs-wasm, tfjs-cpu, brain.js');
const peers = await runPeersBench();
const peerRows: ReportRow[] = peers.rows.map((r) => ({
  suite: 'peers',
  task: `batch ${r.batch}: ${r.name}`,
  medianMs: r.medianMs,
  samplesPerSecond: r.samplesPerSecond,
  ratio: r.ratio,
}));

log('jax-js: matmul and a jitted SGD step');
const jax = await runJaxBench();
const jaxRows: ReportRow[] = jax.rows.flatMap((r) => [
  { suite: 'jax-js', task: `${r.task}: ${r.side ?? 'gradscope'}`, medianMs: r.gradscopeMs },
  { suite: 'jax-js', task: `${r.task}: jax-js`, medianMs: r.jaxMs, ratio: r.ratio },
]);

log('scaling with batch and depth');
const scaling = await runScalingBench();
const scalingRows: ReportRow[] = scaling.rows.map((r) => ({
  suite: 'scaling',
  task: r.axis === 'batch' ? `batch ${r.value} [${STEP_SIZES.join(',')}]` : `${r.value} hidden × ${DEPTH_WIDTH}, batch ${DEPTH_BATCH}`,
  medianMs: r.medianMs,
  gflops: r.gflops,
  ofPeak: r.ofPeak,
  samplesPerSecond: r.samplesPerSecond,
}));

log('two threads against one');
const threads = await runThreadsBench();
const twoThreads = (name: string) => (name.startsWith('train(') ? 'threads: 2' : 'two threads');
const threadRows: ReportRow[] = threads.rows.flatMap((r) => [
  { suite: 'threads', task: `${r.name}, one thread`, medianMs: r.oneMs },
  { suite: 'threads', task: `${r.name}, ${twoThreads(r.name)}`, medianMs: r.twoMs, ratio: spreadOf(r.speedUps).median },
  { suite: 'threads', task: `${r.name}, host control`, medianMs: r.controlTwoMs, ratio: spreadOf(r.controls).median },
  ...(r.ceiling ? ceilingRows(r.name, 'nothing-shared', r.ceiling) : []),
  ...(r.exchanged ? ceilingRows(r.name, 'exchanged', r.exchanged) : []),
  ...(r.trainCeiling ? ceilingRows(r.name, 'exchanged-step', r.trainCeiling) : []),
]);

/** A ceiling's row (nothing-shared or exchanged), where a pair was clean: its clean pairs' time and ratio (medians over the rounds that had one), and how many pairs were clean. */
function ceilingRows(name: string, what: string, c: NonNullable<ThreadsRow['ceiling']>): ReportRow[] {
  const ratios = ceilingRatios(c);
  return ratios.length ? [{ suite: 'threads', task: `${name}, ${what} ceiling (${c.cleanPairs} of ${c.pairs} pairs clean)`, medianMs: c.twoMs, ratio: median(ratios) }] : [];
}

log('relaxed SIMD: the 4×8 tile with relaxed_madd against mul+add');
const relaxed = await runRelaxedBench();
const relaxedRows: ReportRow[] = [
  { suite: 'relaxed', task: '4×8 tile, f32x4.mul + f32x4.add (shipped)', medianMs: relaxed.mulAddMs, gflops: relaxed.mulAddGflops, ratio: 1 },
  { suite: 'relaxed', task: '4×8 tile, f32x4.relaxed_madd', medianMs: relaxed.relaxedMs, gflops: relaxed.relaxedGflops, ratio: relaxed.ratio },
];

const seconds = (performance.now() - started) / 1000;
const all = [...denseRows, ...elementwiseRows, ...blockRows, ...bnStepRows, ...curvatureRows, ...stepRows, ...profileRows, ...traceRows, ...peerRows, ...scalingRows, ...threadRows, ...relaxedRows, ...apiRows, ...jaxRows];
console.log(consoleTable(all));

// ---- the goals of issues #5 and #16, against this run ----
const goals: Goal[] = [];
const simdPeak = peakOf('simd');
goals.push(...DENSE_SHAPES.map((shape) => denseGoal(dense, shape)));
goals.push(stepPeakGoal(scaling.rows.find((r) => r.axis === 'batch' && r.value === STEP_BATCH)!));
goals.push(...peerGoals(peers.rows));
const times2 = (ratio: number) => `${ratio.toFixed(2)}×`;
goals.push(trainDatasetGoal(api.find((r) => r.task === 'train(dataset) 1 epoch per call')!, API_ROWS, STEP_BATCH));
goals.push(...Object.values(INGEST_TASKS).map((task) => ingestGoal(api.find((r) => r.task === task)!)));
goals.push(...jaxGoals(jax.rows, jax.version));
goals.push(...elementwiseGoals(elementwise, ELEMENTWISE_LENGTH));
goals.push(batchNormStepGoal(bnStep.ratios, bnShape));
goals.push(traceGoal(trace));

for (const r of threads.rows.filter((row) => row.goal)) {
  // Only the train() call rows (each with its own trainCeiling) run over the rows; the step rows time one batch.
  const judged = judgeBesideControl(r.speedUps, r.controls, THREADS_TARGET, r.ceiling);
  goals.push({
    goal: `two threads: ${r.name}${r.trainCeiling !== undefined ? ` over ${API_ROWS.toLocaleString('en')} rows (issue #16)` : ''}`,
    target: `≥ ${times2(THREADS_TARGET.value)} one thread`,
    measured: `${threadsText(judged, THREADS_TARGET, times2)}${threads.fallback ? ` (fallback: ${threads.fallback})` : ''}`,
    verdict: judged.verdict,
  });
}
goals.push({
  goal: "relaxed SIMD: the relaxed_madd tile against mul+add (binary 'fastest' picks the faster per CPU)",
  target: 'measured',
  measured: `${times(relaxed.ratio)} the mul+add time${relaxed.validatesWithoutFlag ? '' : '; needs --experimental-wasm-relaxed-simd in this Node'}`,
  verdict: verdictOf(true),
});
const picks = Object.entries(relaxed.calibration.choices).map(([binary, n]) => `'${binary}' in ${n}`).join(', ');
goals.push({
  goal: `binary 'fastest': createWasmKernels({ binary: 'fastest' }) after the default binary was loaded, once per process (median of ${CALIBRATION_PROCESSES} fresh processes; issue #16)`,
  target: '≤ 20 ms',
  measured: `${ms(relaxed.calibration.medianMs)} ms (${ms(relaxed.calibration.minMs)}–${ms(relaxed.calibration.maxMs)}; load average ${relaxed.calibration.load.toFixed(1)}; the budget ran out before the rounds decided in ${relaxed.calibration.outOfBudget} of ${CALIBRATION_PROCESSES}, which kept the default)`,
  verdict: verdictOf(relaxed.calibration.medianMs <= 20),
});
const pickJudgement = judgePicks(relaxed.calibration.processes, { default: 'simd', other: 'simd-relaxed' }, RELAXED_MARGIN);
const relaxedOverDefault = spreadOf(relaxed.calibration.processes.flatMap((p) => p.otherOverDefault));
const probeRounds = relaxed.calibration.processes.flatMap((p) => p.probeOtherOverDefault);
const probeFasterRounds = probeRounds.filter((r) => r < RELAXED_MARGIN).length;
goals.push({
  goal: `binary 'fastest' picks a binary as fast as this run can tell (${CALIBRATION_PROCESSES} fresh processes, each against ${JUDGED_ROUNDS} alternated rounds of a dense product timed in it after its pick, those in the host state the pick was made in; issue #16)`,
  target: `the relaxed binary within the noise of the faster; the default within ${percentText(1 / RELAXED_MARGIN - 1)} (the calibration's margin) plus the noise`,
  measured: `${picksText(pickJudgement, 'relaxed')}; relaxed/default time over all their rounds ${spreadText(relaxedOverDefault, (r) => `${r.toFixed(3)}×`)}`,
  verdict: pickJudgement.verdict,
});
const [smallBatch, smallIn, smallOut] = DENSE_SHAPES[0];
const smallShape = `${smallBatch}×${smallIn}→${smallOut}`;
const small = goals.find((g) => g.goal.startsWith(`dense products at ${smallShape} `))!;
const cpu = thisCpu();
goals.push(...smallShapeGoals(small, smallShape, cpu));
goals.push({
  goal: 'build once: the build check (node scripts/build.mjs) with nothing changed, as npm start, test, demo and bench run it first (issue #16)',
  target: 'rebuilds nothing',
  measured: `${ms(build.ms)} ms, median of ${NO_OP_BUILD_ROUNDS} (Node's own start ${ms(build.nodeMs)} ms)${build.output ? `, printed: ${build.output.split('\n')[0]}` : ', rebuilt nothing'}`,
  verdict: verdictOf(build.output === ''),
});

console.log('\ngoals:');
for (const g of goals) console.log(`  ${g.verdict.padEnd(12)}  ${g.goal}: ${g.measured} (${g.target})`);

// ---- bench/RESULTS.md ----
const cores = os.cpus();
const machine = `${cpuText(cpu, cores[0]?.model)}, ${cores.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}`;
const load1 = os.loadavg()[0];
const md = `# Benchmark results

Written by \`npm run bench\` (bench/run.ts); do not edit by hand.

- Date: ${new Date().toISOString()}
- Machine: ${machine}
- Node ${process.version} (V8 ${process.versions.v8}); one thread for every gradscope row but the two-thread suite's; tfjs ${peers.environment.tfjsVersion} (wasm backend: ${peers.environment.tfjsWasmThreads} thread, SIMD ${peers.environment.tfjsWasmSimd ? 'on' : 'off'}), brain.js ${peers.environment.brainVersion}
- Load average at start and end: ${load0.toFixed(1)}, ${load1.toFixed(1)} on ${cores.length} cores (${Math.max(load0, load1) > cores.length - 0.5 ? 'other processes shared the CPU: absolute times are high, and only ratios measured side by side are meaningful' : 'mostly quiet'})
- Whole run: ${seconds.toFixed(0)} s

Median times (tinybench). "of peak" is GFLOP/s over the in-run f32x4 mul+add ceiling
(\`f32_peak_madd\`, the microkernel's own instruction mix in its nested loop, operands in L1: assembly/peak.*.ts;
runs before 2026-12-01's afternoon used a flat loop, which V8 does not unroll: it ran more instructions per flop
than the products, so their "of peak" read higher); a training step's
FLOPs count the two dense products per layer and the ∂input product of every layer but the first
(${(flops / 1e6).toFixed(1)} MFLOP for [${STEP_SIZES.join(',')}] at batch ${STEP_BATCH}).

## Goals of issues #5 and #16 in this run

${simpleTable(['goal', 'target', 'measured', ''], goals.map((g) => [g.goal, g.target, g.measured, g.verdict === 'NOT met' ? '**NOT met**' : g.verdict]))}

Goals measured in interleaved rounds are judged on the median round, with the rounds' spread beside it
(bench/verdict.ts): the middle half of the rounds (first to third quartile) and all of them; where the
middle half lies on both sides of the target the line says so. A two-thread goal is judged on the rounds
where a host control measured in the same round (bench/host-control.ts: the f32x4 peak loop split between
two threads with no shared data) got at least the target from the second vCPU; when fewer than half did,
the host limited the run and the verdict says 'host-limited', not met and not a gradscope failure, and so it does
when fewer than three quarters did and the goal was met over those rounds but not over all of them (a busy host
through the run: a round's control says little about the gradscope sides beside it). The step of
[784,100,100,10] at batch ${THREADS_CEILING_BATCH} and both train() rows are also judged beside their nothing-shared ceiling, the same work
in halves that share nothing (bench/nothing-shared.ts), counting only its clean pairs (the worker had started its half
when the main thread finished its own), over the judged rounds that had one: where gradscope misses the target, that
ceiling misses it too and gradscope reached it over the same rounds (their middle halves overlap), the verdict is
'host-limited', with both figures; a miss below or above the ceiling stays NOT met, the ceiling printed beside, and
so does a miss beside a ceiling with a clean pair in fewer than half the judged rounds, which bounds nothing.

The no-allocation goal is a test (test/reliability/steady-memory.test.ts), not a benchmark.
Threads run on Node worker_threads here; in browsers they run on Web Workers where the page is
cross-origin isolated (measured by \`tsx bench/browser-threads.ts\`, not by this run) and fall
back to one thread, saying why, where it is not.

## Dense products (one thread)

In-run peak of this run (the nested loop, 1 ms calls): wasm-simd ${simdPeak.toFixed(1)} GFLOP/s, wasm-scalar ${peakOf('scalar').toFixed(1)} GFLOP/s.
Each product's "of peak" is against the \`peak_madd\` row of its own shape, a call with the same
flops: the shape's peak and its products run in ${DENSE_ROUNDS} interleaved rounds (the order rotated
each round), timed by the process's CPU time (by wall time, calls of several ms were preempted by
other processes in some rounds and not others, and the rounds of the largest shape spread far past
the peak and below the goal), each round's fraction is taken against that round's peak, and the column is the median
round's (the goals above give the rounds' spread). The wasm rows' times are the medians of the
rounds, in CPU time; the 1 ms peak above and the ref-f32 rows are tinybench's medians, in CPU time too.
The ref-f32 rows are the plain-TypeScript reference (float32 storage, the loops of
src/ref/ref-kernels.ts); their ratio is their time over wasm-simd's for the same product.

${markdownTable(denseRows)}

## Training step per backend

[${STEP_SIZES.join(',')}] sigmoid, MSE, SGD, batch ${STEP_BATCH}; ratio = time over wasm-simd's.

${markdownTable(stepRows)}

## The public API

What users call, on ${API_ROWS.toLocaleString('en')} of the \`mnist\` package's digits, [${STEP_SIZES.join(',')}] sigmoid/MSE/SGD at
batch ${STEP_BATCH}, one thread; ratio = time per training step over the inner step's (one batch loaded once;
for train(dataset), the median of ${TRAIN_DATASET_ROUNDS} rounds alternating one call with as many inner steps). The inner step,
the ingest from each form of typed rows (one \`{ data, rows, cols }\` block; a Float32Array per row, each in its own buffer)
and its host control (a plain copy of the bytes the ingest reads, which nothing of gradscope's can slow) run in
${INGEST_ROUNDS} interleaved rounds; their times are the rounds' medians. The ingest's goal is a time, not a ratio, so a
busy host slows it with nothing beside it to cancel out: it is met when its median round is within the target; when
it is not, each round's time is scaled by how much the host slowed that round's control (the control's best round
over its time in that round), and the goal reads 'host-limited' when the scaled median meets the target (only the
host's slowing stood in the way), 'NOT met' when even that misses (bench/verdict.ts, judgeIngest). The ingest from a
Float32Array per row has its own floor, a second control in the same rounds: the same rows copied into plain
memory with one \`set\` per row, nothing checked; its time beside the plain copy's is what taking the rows one by one
costs before any check (a call per row, rows read from separate buffers). That ingest is judged beside its floor, as
the two-thread goals are beside theirs (bench/verdict.ts, judgeBesideControl): a round whose floor itself took over
the target is one where no ingest taking the rows one by one could meet it, so the verdict comes from the other rounds,
and reads 'host-limited' when they are fewer than half.

${markdownTable(apiRows)}

## jax-js

jax-js ${jax.version} on its wasm device (single-threaded in Node) against gradscope's one-thread
binary, side by side: a jitted \`np.matmul\` against gradscope's dense product of the same shape, and
a jitted \`valueAndGrad\` + SGD update of [${JAX_SIZES.join(',')}] sigmoid/MSE against the public
\`net.train(…, { epochs: 1, batchSize })\` on the same batch (one step per call, both reading the
loss back), in ${Object.keys(JAX_STEP_COMPARISONS).length} comparisons that differ in what each side's timed call includes:
${Object.values(JAX_STEP_COMPARISONS).map((c) => `'${c.label}': gradscope ${c.gradscope}; jax-js ${c.jax}${c.goal ? '' : ' (no goal)'}`).join(';\n')}.
'${JAX_STEP_COMPARISONS.unlike.label}' was the goal's row until 2026-12-02: gradscope copied and checked its batch in every
call and jax-js in none. One step from the same weights gives the same updated weights in both (largest
difference ${jax.stepMaxDiff.toExponential(1)}). Each pair runs in ${JAX_ROUNDS} short alternating rounds, so load
hits both sides alike: ratio = the median of the per-round ratios jax-js' time over gradscope's
(the times are each side's median).

${markdownTable(jaxRows)}

${jaxLimitText(jax.rows, relaxed)}

## Where the step's time goes

The step's kernel calls in groups, each timed beside the whole step (alternating rounds);
ratio = the group's share of the step. At batch 64 the dense products take ${percent(share(64, 'dense products'))} of the step
(and run near the peak, see above), so fusing the other passes could win at most their share,
and less: the activation passes (${percent(share(64, 'activation passes'))}) are bound by their exp, not by memory (sigmoid takes
${sigmoidNs.toFixed(2)} ns per float, a pass over memory a fraction of that), so moving them into the
forward product's epilogue would save only their loads and stores; the small passes are
${percent(share(64, 'small passes'))}; and the SGD update (${percent(share(64, 'SGD update'))}) cannot be fused into the ∂W product without
giving up what train() does between them (the non-finite gradient check, clipping and the trace
read ∂W before it is applied). No fusion earned its place, so none was added. The update is a
fixed pass over every parameter, which is why it weighs ${percent(share(1, 'SGD update'))} of the step at batch 1.

At batch 256, jax-js' largest, the dense products take ${percent(share(256, 'dense products'))} of the step. A public call does more
than the step: \`net.train(x, y)\` on the same rows as one batch (what the jax-js rows that upload the batch per call time) takes
${times(share(256, 'train() call'))} the step's time at batch 256, ${times(share(64, 'train() call'))} at 64 and ${times(share(1, 'train() call'))} at 1. Copying the rows into the
network's buffers (batch upload) is ${percent(share(256, 'batch upload'))} of the step at batch 256; the rest is the call's checks
(the inputs' and the gradient's finiteness and the parameters' range, each a pass in the core over
a layer's outputs or every parameter, so they weigh most at batch 1) and its JavaScript. The JavaScript alone
(the '${JS_GROUP}' rows: a call's time outside its kernel calls, on a backend that times each of them,
less the timing's own cost; the median call of ${PROFILE_ROUNDS} rounds) is ${javaScriptUs(256).toFixed(1)} µs per call at batch 256 and
${javaScriptUs(1).toFixed(1)} µs at batch 1, though the call runs no JavaScript per row. Batch 1's calls, each right after a kernel
call of a batch-256 step's flops (in the peak loop, which touches no memory: the '${JS_AFTER_CORE_GROUP}'
row), take ${javaScriptUs(1, JS_AFTER_CORE_GROUP).toFixed(1)} µs: ${
  !(javaScriptUs(256) > javaScriptUs(1))
    ? 'in this run the JavaScript did not grow with the batch'
    : growthAfterCore >= 0.5
    ? `${percent(growthAfterCore)} of the growth, with a single row, so the growth is mostly the same JavaScript run after a long time in the core`
    : `only ${percent(growthAfterCore)} of the growth, so the time in the core does not explain it`
}.

${markdownTable(profileRows)}

## Peers

The same network [${PEER_SIZES.join(',')}] (sigmoid, MSE, SGD lr 0.01), the same batch, in the same
process. Each batch's rows run in ${PEER_ROUNDS} interleaved rounds (the order rotated each round): gradscope
with tfjs-wasm's rows and brain.js, then tfjs-cpu in rounds of its own beside gradscope again (tfjs'
backend is global). ratio = gradscope wasm-simd samples/s over the row's: the median of the per-round
ratios of the row's time over gradscope's; times are the rounds' medians. brain.js trains sample by
sample, so its row is one \`train\` call of one epoch over the batch (64 updates).

${markdownTable(peerRows)}

## Scaling

One wasm-simd step (sigmoid, MSE, SGD), each case and a peak call of the same flops in ${SCALING_ROUNDS}
interleaved rounds (median peak ${scaling.peakGflops.toFixed(1)} GFLOP/s), timed by the process's CPU time where the
step makes ${CPU_CLOCK_MIN_FLOPS / 1e6} MFLOP or more, by wall time below (bench/scaling.bench.ts CPU_CLOCK_MIN_FLOPS says why);
"of peak" is the median of the rounds' fractions, each against its round's peak. Against batch on [${STEP_SIZES.join(',')}]: below ~32 rows
the step is bound by per-call and per-pass costs (activation, loss, update, packing), above it by
the multiply-adds. Against depth: [784, ${DEPTH_WIDTH} × depth, 10] at batch ${DEPTH_BATCH}.

${markdownTable(scalingRows)}

## Two threads

\`createThreadedWasmKernels({ threads: 2 })\`: the core on a shared WebAssembly.Memory, the dense
products split between the main thread and one worker (forward and ∂input by batch rows, ∂W by its
columns), and so are the gathering of a batch's rows, the elementwise activations, and large optimiser
updates (plain SGD's too) and zeroings; from batch 128 a dense network's training step runs as one job per
thread instead (each thread its rows' whole forward and backward: src/dense-step.ts). The step rows time the step
as train() runs it (forward(batch, 'train'), backprop, the update: "train()'s step"); at batch ${THREADS_CEILING_BATCH} the split step
(feedforward, then backprop, each product handed off apart) has a row beside it, not a goal. train() runs one epoch over ${API_ROWS.toLocaleString('en')} digits per call, on a dataset uploaded once and on the
rows (uploaded by each call, on the main thread). Each row runs in ${THREAD_ROUNDS} interleaved rounds of one
thread, two threads and the host control's one and two threads (bench/host-control.ts: the f32x4 peak
loop, ~1 ms, on the main thread alone or split with a worker, each on its own memory); ratio =
one-thread time over two-thread time, median of the rounds; the host control row's ratio is the
control's (2 on an idle 2-vCPU host, 1 when another process holds the second vCPU), its time the
split call's. Load average during this suite: ${threads.load.map((l) => l.toFixed(1)).join(' → ')} on ${threads.cores} cores.${threads.fallback ? ` Fallback: ${threads.fallback}.` : ''}
train()'s step [784,100,100,10] at batch ${THREADS_CEILING_BATCH} has a fifth task in its rounds, its nothing-shared ceiling (bench/nothing-shared.ts:
two one-thread networks, each its own memory, one in a worker, stepping half the batch each at the same time;
its ratio is the one-thread step's time over theirs): the same products and bytes per thread in them as the two-thread
step, but no line moves between the cores; each half zeroes the gradient of all 89,610 parameters and updates them, where
the two-thread step updates them once between its threads, ~1 % of a half's step (bench/nothing-shared.ts), so the ceiling reads up
to ~1 % low. No two-thread step reaches that ceiling: every two-thread step moves at least the gradient's half and the
updated weights' half between the cores. A sixth task, the exchanged ceiling (bench/exchanged-half.ts), runs the same
halves plus that least exchange (each core reads the other's half of ∂W, reduces and updates its own half, then
reads the other's half of the weights; two barriers a step), through two local copies a step the split does not make;
it is printed beside, and the verdict does not read it (bench/verdict.ts says why). Each train() row has a nothing-shared ceiling too: two one-thread networks each
training one epoch over half the digits at batch ${THREADS_API_BATCH / 2}, on its own dataset or its own rows uploaded by each call,
and an exchanged-step ceiling: the one-thread call with each of its full steps at the exchanged pair's time instead of the
one-thread inner step's (both timed in the same rounds; the step as train() runs it, on one thread the split step's kernel
calls, its pair each core's whole half step as train()'s two-thread step runs one job per thread) and the rest of the call,
train()'s one-thread overhead, unchanged (bench/threads.bench.ts trainCeilingRounds; that rest is kept at one thread's time,
so it reads a little low).
A ceiling's time and ratio are its clean pairs' (the worker had started its half when the main thread finished
its own), medians over the rounds that had one; its row says how many of its pairs were clean, in all rounds.
gradscope's two-thread time is the median of every step, steps whose worker started late included: the two sides
are not filtered alike. For the train() rows a pair is a whole epoch and nearly always clean: the filter bounds nothing there.
The control shares no data; a two-thread step moves cache lines between the cores every step, so its
speed-up also depends on what a move costs on this host at the time, which can change within an
hour: a cache line's round trip between two threads (bench/line-round-trip.ts) read
${lineRoundTripsText(threads.lineRoundTrip)}.

${markdownTable(threadRows)}

## Relaxed SIMD

The dense microkernel's 4×8 tile loop over L1-resident packed panels, once with f32x4.mul +
f32x4.add (what gradscope ships) and once with f32x4.relaxed_madd, side by side in a child Node
started with --experimental-wasm-relaxed-simd (this Node ${relaxed.validatesWithoutFlag ? 'accepts relaxed SIMD without a flag' : 'rejects the relaxed module without that flag'}).
ratio = time over the mul+add loop's; the fused rounding moves results by up to
${relaxed.maxRelDiff.toExponential(1)} (relative). gradscope ships both binaries; the default is mul+add (it rounds
alike in every process, which bit-for-bit resumes rely on). \`binary: 'fastest'\`, where the engine has
relaxed SIMD (Chrome; Node 20 only with the flag), times each binary's microkernel in alternating
rounds and compares them pair by pair (src/wasm/calibrate.ts): it keeps the relaxed one only when
the middle half of the last pairs shows it at least ${percentText(1 / RELAXED_MARGIN - 1)} faster, and the default when that middle
half shows less once both run the engine's optimised code, or when the budget runs out first. In ${CALIBRATION_PROCESSES} fresh processes, after the default binary was loaded, createWasmKernels({ binary: 'fastest' })
took ${ms(relaxed.calibration.medianMs)} ms (median; at most ${ms(relaxed.calibration.maxMs)}) and picked ${picks} (the budget ran out first in
${relaxed.calibration.outOfBudget}). Each of those processes then timed a dense product on both binaries, and on a second
instance of the default, beside the two probes, call by call in ${JUDGED_ROUNDS} alternated rounds (bench/relaxed/binaries.ts).
The host moves the two binaries' ratio from moment to moment (on the AMD EPYC Zen 5 on 2026-12-04, for stretches of 30 ms
to seconds the relaxed binary ran ~0.8× the default's time, else ~1.02×, and the product went with the probes), so a pick is judged
on the rounds whose probes read on the same side of the margin as the pairs it was made on; a process in most of whose
rounds the host had moved is not judged (${processesIn(pickJudgement.moved)} of ${CALIBRATION_PROCESSES} here), and the goal reads host-limited, not met, when
fewer than half are judged or when one not judged paid, over all its rounds, more than its pick may cost: 'fastest' is the
faster binary at load time, and a calibration of a few ms cannot see whether the state it sees will last. Over all ${relaxedOverDefault.rounds} rounds the relaxed binary took
${spreadText(relaxedOverDefault, (r) => `${r.toFixed(3)}×`)} the default's time, and its probe read below the margin in ${probeFasterRounds} of
${probeRounds.length}; the two instances of the default
strayed ±${percentText(pickJudgement.noise)} from each other (the larger distance of their ratio's quartiles from 1), the noise
a pick is judged with (goals above). On this CPU the tile, timed over ~1.5 s in which the host may have moved as well, says it would ${relaxed.ratio <= RELAXED_MARGIN ? 'pick the relaxed binary' : 'keep the mul+add binary'}.

${markdownTable(relaxedRows)}

## Exp-bound activations

${ELEMENTWISE_LENGTH.toLocaleString('en')} floats; each case's three passes run in ${ELEMENTWISE_ROUNDS} interleaved rounds (the order rotated
each round); ratio = speed-up over a TypeScript loop calling Math.exp, the median of the rounds' (the
loop's time over the row's in the same round); times are the rounds' medians.

${markdownTable(elementwiseRows)}

## Block kernels

The kernels of the blocks (issue 13) on [${BLOCKS_BATCH}][${BLOCKS_WIDTH}] floats; ratio = the plain-TypeScript
reference's time (src/ref over Float32Arrays) over the row's.

${markdownTable(blockRows)}

One training step (forward, cross-entropy backward, SGD) of ${bnShape} on wasm-simd, relu hidden
layers, with a batch-norm layer after each hidden dense layer and without, in alternating rounds;
ratio = the time with batch norm over the time without (median of the rounds).

${markdownTable(bnStepRows)}

## Curvature products

One Hessian-vector product (R-operator) and one Gauss-Newton product of ${STEP_SIZES.join('-')} sigmoid at batch
${STEP_BATCH}, from the forward and backward pass already made (as in Lanczos); ratio = time over one
training step on the same backend (goal for H·v: ≤ 2.5). The block-net rows: one SGD step and one
Hessian-vector and one Gauss-Newton product (R-operator through batch norm, layer norm, a plain and
a ReZero residual block) of 784-100-…-10 relu/softmax at the same batch, repeated at fixed weights;
ratio = time over that block step.

${markdownTable(curvatureRows)}

## Gradient-flow trace

ratio = traced step over the untraced one, the median of ${TRACE_ROUNDS} rounds' ratios, the cases taking turns call by call (${TRACE_CALLS} calls of ${STEPS_PER_CALL} steps each per round, the order rotated every turn); the ‖W‖₂ rows: one power-iteration round's products, the second's time over the first's (interleaved rounds).

${markdownTable(traceRows)}
`;
writeFileSync(RESULTS, md);
log(`wrote ${RESULTS} (${seconds.toFixed(0)} s of benchmarks)`);
