/**
 * The wasm backend on two (or more) cores: the core on a shared WebAssembly.Memory, instantiated
 * once on the main thread and once in each worker of a ThreadPool. The dense products, which are
 * nearly all of a training step's time, are split across the threads when they are large enough
 * to pay for the hand-off (smaller ones too while the worker is awake: see claimSplitBeside), and so
 * are the gathering of a batch (copyRows, or the first layer's forward that gathers its batch as it
 * reads it: denseForwardGather) and the elementwise activations, by the same rows, so that the
 * rows a thread works on stay in its own core's cache, and the optimisers' updates and the zeroing
 * of a large tensor while the workers are awake (they sit between two steps), and an upload's finiteness
 * checks (writeFinite), each on a worker beside the main thread's copy of the next piece;
 * everything else runs on the main thread as in the one-thread backend.
 *
 * Splits (every thread runs the same one-thread kernel on its part, with its own scratch), each
 * bit-identical to one thread's result:
 * - z = a·wᵀ + b and da += dz·w: by batch rows, which are contiguous, so each part writes its own
 *   rows;
 * - dw += dzᵀ·a on two threads from batch 128: by batch rows, the forward's, at the cut where one
 *   thread sums it in two parts (assembly/gemm.pack.ts' weightsFoldRow and weightsFolded, one
 *   piece for both binaries: dw = (dw + P₀) + P₁, P₀ over rows [0, h), P₁ over [h, batch)). The
 *   main thread adds P₀ to dw (or writes it over dw: accumulate false) as one thread does
 *   (f32_dense_bwd_weights_rows); the worker sums P₁
 *   from zero into a buffer of its own (one K block, so the same sums); then P₁ is added to dw
 *   (axpy with α = 1: dw + P₁, as one thread's last K block adds it), split as the optimisers'
 *   update then is (MIN_SPLIT_UPDATE), so each half of dw is added where it is updated next. A
 *   layer's ∂W and ∂input asked for in one call (denseBackwardWeightsAndInput) go as one job, each
 *   thread both products over the rows its forward computed. The rows' δ do not all stay on their
 *   core between those jobs: the loss's gradient, the biases' sums and the zeroings under
 *   MIN_SPLIT_UPDATE (or with the worker asleep) run on the main thread over every row, so the
 *   worker reads δ rows and a zeroed ∂input the main thread wrote, besides P₁'s half, dw's other
 *   half and the weights;
 * - dw += dzᵀ·a elsewhere (below 128 rows, past 772, on 3+ threads): by dw's columns (the layer's
 *   inputs), each thread the whole sum over the batch for its columns, in the same order as one
 *   thread. Below 128 rows a layer's ∂W and ∂input asked for in one call run side by side instead
 *   on two threads: each whole, on its own thread.
 * Built in session 30 (perf30a; AMD EPYC Zen 5, 2026-12-04 13:50–14:38, load 1.5–5.1;
 * bench/ab-trees-threads.ts, clean two-thread steps' p10): 1,156 µs against main's 1,207 (1.71× one
 * thread against 1.63×), 1,206 against 1,252 alternated once more; bench/thread-jobs.ts then (p10
 * main / worker, µs): the first ∂W's halves 379 / 379, adding P₁ 7.3 / 6.6, the second layer's
 * backward job 107 / 124, the output layer's 17 / 28, outside the jobs 66. Not taken beside it
 * (within the floor): every activation's backward pass and the zeroings from 2¹⁴ values split by
 * rows (1,204 against 1,206), the output layer's products paired again (1,223 against 1,230).
 *
 * Where the rest of the step goes (issue #16 item 6; session 31, perf31b; AMD EPYC Zen 5, 2 vCPUs,
 * 2026-12-04 17:22–17:54, load 2.5–7.7; p10 µs). These figures come from scratch benches that were
 * not committed (perf31b's lines.mts and bwd.mts): nothing in this repository re-runs them, so they
 * say where to look next, not what is settled. They replayed the step's calls up to the pass timed,
 * so its lines lay where the step leaves them, each case alternated in one process; the runs of
 * 17:36 on also timed the one-thread backend's step beside them, the 17:22 run did not:
 * - the slow sigmoid and update halves come and go with the minute. In three runs (17:22, 17:36,
 *   17:41) the second layer's 256×100 sigmoid took 23.2–26.1 per half split, as long on the main
 *   thread alone over its own rows (23.4–25.5), and 47.5–52.3 for the whole pass there, the worker
 *   awake or asleep (49.1 after a 3 ms pause), where the one-thread backend's in-step pass took
 *   22.8–23.5 (the 17:36 and 17:41 runs) and a second pass over the same lines 10.5–11.8 per half on either thread; reading the
 *   rows first did not help (24.4–27.2; the read 3.7–3.9): what costs is each line's first write, not
 *   its fetch. Plain SGD's update of the first weights likewise: halves 15.4–20.8 split, 15.5–19.1
 *   for a half on the main thread alone, 36.2–41.0 for all of it there, against 13.8–14.6 on the
 *   one-thread backend and 3.7–4.9 for a half's second pass. In three other runs (17:32, 17:46,
 *   17:53) the same passes were at their share: the split sigmoid 11.2–12.5 a half (the main
 *   thread's half alone 11.3–15.0) against the one-thread pass's 22.2–24.6, the split update 5.1–7.7
 *   a half (a half alone 5.2–7.9) against 11.3–16.6 for all of it. Whether the slow
 *   first writes take the line from the other core's cache (the bench's other cases had the worker
 *   write the main thread's rows; the 17:46 run without them and the 17:53 run that kept them on a
 *   second backend apart both fell in fast minutes) or come from the host is open. Both memories are
 *   private anonymous 4 KiB pages (transparent huge pages: madvise only).
 * - the worker's backward jobs (one run, 17:42, load 3.3; main's part / the worker's run, p10; the
 *   worker's medians for the first pair 180.9, and 161.4 after the read): the 100→100 pair 106.7 / 114.0, and 107.4 / 107.4 after the worker first read the δ rows
 *   and the zeroed ∂input rows the main thread wrote; the 100→10 pair 16.8 / 31.3, and 28.4 after
 *   the read. So the δ and ∂input lines are the second layer's gap (~7 µs; splitting the backward
 *   passes and zeroings that write them was within the floor in sessions 27 and 30), and most of the
 *   output layer's is elsewhere (the worker's P₁ written from zero into its partial sums and ∂input
 *   rows, its scratch: not measured apart).
 * - fusing each ∂W half's update with its reduce (dw += P₁) on its core needs the optimiser's step
 *   inside the backward pass (a contract change in the training loop, not this file's): not tried.
 *   Session 34 (perf34a) found it blocked, not just unbuilt: train()'s step guard
 *   (src/training/step-guard.ts gradientFault) reads every parameter's whole ∂W before any weight
 *   changes, so that a step with an out-of-range entry anywhere is refused with nothing held
 *   changed, and its largest |g| (gradientMax) is the bound the optimisers' proofs take; an update
 *   fused into the reduce would write a half's weights before the other half and the other layers
 *   are checked. What could fuse is the reduce with the guard's maxAbs of the same half (both already
 *   split alike): it would save one read of a 39,200-float half from the core's own cache, less than
 *   the 3.7–4.9 µs of a half's second update pass above (read and write), ~0.3 % of a step:
 *   not built. The exchanged pair (bench/exchanged-half.ts; 2026-12-05 02:33, load 0.2) put the
 *   least a split must spend on exchange at ~70 µs a step and the split's step 86 µs p10 above it.
 *
 * Where the split step loses to the exchanged ceiling, phase by phase and call by call (session 35,
 * perf35; bench/step-phases.ts: the split step beside the exchanged pair's main-thread half, blocks
 * alternated, clean steps only, p10 µs; the half's call i is the same engine call as the split's,
 * over its own 128 rows while the other core does the other 128). AMD EPYC Zen 5, 2026-12-05, main's
 * tree at 5ee01888, two runs minutes apart:
 *
 *   phase / call                      05:43, load 2.9        05:54, load 2.3
 *                                     split  half   gap      split  half   gap
 *   forward                           510.9  461.2  +49.7    465.1  457.2   +7.9
 *     784→100 product                 386.5  377.9   +8.6    376.7  376.6   +0.1
 *     sigmoid 256×100 (×2)             47.9   20.4  +27.5     21.8   20.3   +1.5
 *     100→100 product                  53.5   51.1   +2.4     50.8   50.3   +0.5
 *     100→10 product (main alone)      14.2    6.6   +7.6     11.6    6.3   +5.3
 *     output sigmoid (main alone)       2.4    1.1   +1.3      2.2    1.1   +1.1
 *   backward                          587.1  507.1  +80.0    519.6  505.7  +13.9
 *     zeroings (11)                    10.6    9.0   +1.6      7.8    6.2   +1.6
 *     loss gradient, biases (main)      5.4    3.3   +2.1      5.1    3.0   +2.1
 *     100→10 ∂W + ∂input job           30.8   15.1  +15.7     16.3   15.0   +1.3
 *     sigmoid backward (×2, main)      15.3    3.4  +11.9      7.1    3.4   +3.7
 *     100→100 ∂W + ∂input job, P₁ add 126.7   99.9  +26.8    104.2  100.7   +3.5
 *     784→100 ∂W job, P₁ add split    386.5  369.8  +16.7    373.5  372.9   +0.6
 *   update (split) / exchange         31.9   52.5  −20.6      8.6   26.9  −18.3
 *     (the half: first barrier, reduce + update of its half, second barrier, the other half's
 *      weights read, the other side's end: 1.3 + 40.9 + 0.5 + 9.2 + 0.6 p10 at 05:43)
 *   step                             1154.5 1059.2  +95.3   1020.1 1014.0   +6.1
 *
 * So the gap is the host's, kernel by kernel: in a minute when lines move cheaply between the
 * cores (05:54) the split step is within 6 µs p10 of the exchanged half, its update cheaper than
 * the pair's exchange, and the only loss left is the output layer's product and passes, which stay
 * on the main thread over every row (+6.4: twice the rows). In a minute when they move dearly
 * (05:43; a line's round trip between the threads read 3–4× slower in such minutes in session 27),
 * every kernel whose rows or partial sums the other core touched last pays: both split sigmoid
 * forwards (+27.5: each thread writes only its own rows, yet each half takes twice the half's
 * time), the ∂W jobs and their P₁ adds (+59.2), the main thread's backward passes over the worker's
 * rows (+11.9), while the pair pays its own exchange dearer too (52.5 against 26.9). No one phase
 * holds the gap, and the hand-offs are not what costs (the split 784→100 and 100→100 products,
 * a hand-off each, read within 0.5 µs of the half in the cheap minute): the lines each kernel
 * moves between the cores are, at the price of the minute. The sums of the calls' p10s are not the
 * phases' p10s (each is its own tenth percentile).
 * Taken from it (session 35): the output layer's forward split by rows while the worker is awake
 * (claimSplitBeside) and every activation's backward pass split from MIN_SPLIT_PASS, so that in
 * [784,100,100,10]'s step no hidden activation row and no ∂input row is read by the other core (the
 * output layer's z rows still are: its 256×10 activation, under MIN_SPLIT_PASS, runs on the main
 * thread over every row): ~1 % p10 (numbers at claimSplitBeside). Not taken, each against main in bench/ab-trees-threads.ts (2026-12-05):
 * - those two with the zeroings from 2¹⁴ values split as well (δ and ∂input, so the main thread
 *   writes no row of the worker's): 1,212 against 1,223 (05:45, load 4.5), 1,196 against 1,199 (load
 *   3.9); bench/step-phases.ts (05:47, load 3.1) read each split zeroing of 25,600 values 3.0–3.1 µs
 *   p10 against 1.9 on the main thread alone, and the biases' sums (main thread, every row) 4.0
 *   against 1.3, as they now read δ rows the worker wrote: what the lines saved the hand-offs cost.
 * - what stays: the biases' sums and the loss's gradient run on the main thread over every row (a
 *   split bias sum by rows is not one thread's order: f32_dense_bwd_bias sums each column over the
 *   rows in one chain), so δ rows still cross between the cores once a step; splitting them needs
 *   one thread's bias sum folded at weightsFoldRow's row as ∂W's is (one thread's bits change at
 *   batch ≥ 128): not built.
 * One job per half step (session 39, perf39; bench/one-job-step.ts, which checks the bits and holds
 * the table): the worker runs its rows' whole forward and backward of [784,100,100,10] sigmoid/MSE
 * (21 kernel calls, f32_mse_bwd_rows for its rows' loss gradient, ∂W's P₁ from zero per layer) as
 * one posted job while the main thread runs the other half, one join, then on the main thread the
 * loss value and every ∂b over all rows, the P₁ adds and the update as here. Against main's split
 * step (AMD EPYC Zen 5, 2026-12-05 18:06–18:23, load 2.5–6.4, 500–600 blocks each, main at
 * 0d404b6b; clean steps' p10 / median): 0.949 / 0.942, 0.989 / 0.981 (a fast minute, the split at
 * 1.93× one thread), 0.953 / 0.952 and 0.952 / 0.952 of its time, where a second instance of the
 * split read 0.999 / 0.999 and 0.995 / 0.995 (one thread over the one job 1.51×, 1.95×, 1.79×, 1.82×,
 * over the split 1.43×, 1.93×, 1.71×, 1.73×); in a slow minute (18:40, load 4.5) 0.901 / 0.935,
 * 1.75× against 1.57×, the second split 1.004 / 1.000. The backward alone as one job per half after
 * the split forward (what backprop() could post by itself) read 0.992 / 0.981 there: the forward in
 * the job holds most of the gain. Two more runs (18:52, 19:02): 0.955 / 0.954 and 0.954 / 0.872, this
 * tree's own split step (MAX_CALLS 24) 1.009 / 1.010 and 1.000 / 0.998 of main's. That prototype
 * (bench/one-job-step.ts, the main thread calling the core directly) is the engine's step since
 * session 40 (perf40): train()'s training forward on these kernels waits for backprop
 * (src/network/engine.ts: whatever reads what it writes first, firstLayerFinite's input check or a
 * reader of the activations, runs it as the split forward), and both go to [DENSE_STEP]
 * (src/dense-step.ts, the calls in half-step.ts): every elementwise activation, softmax, MSE, binary
 * cross-entropy and cross-entropy (f32_xent_softmax_bwd_rows), train(dataset)'s gathering first
 * forward in the job, each thread its own part of the backflow (a shared one raced in the prototype),
 * from weightsFoldRow's 128 rows; the parity tests in test/network/dense-step-threads.test.ts. train()
 * of one epoch over 9,000 digits at batch 256 on [784,100,100,10] sigmoid/MSE against main's tree
 * (bench/ab-trees-train-threads.ts: every call alternated one by one, 9 rounds of 13 calls each; AMD
 * EPYC Zen 5, 2 vCPUs, 2026-12-05, main at e4f94ff9; median calls, ms, one thread over two per round,
 * two threads over main's two):
 *
 *   run                       call            main: one / two           this tree: one / two      two ÷ main's
 *   21:28, load 3.3 → 2.0     train(dataset)   97.30 / 55.13  1.779×     98.37 / 53.55  1.805×    0.981
 *                             train(x, y)     101.43 / 57.06  1.714×    100.15 / 56.41  1.770×    0.980
 *   21:38, load 2.3 → 1.8     train(dataset)   75.64 / 46.55  1.761×     75.38 / 43.10  1.834×    0.979
 *                             train(x, y)      77.74 / 47.15  1.731×     77.54 / 44.43  1.813×    0.979
 *   21:42, load 6.1 → 3.3     train(dataset)   75.02 / 45.80  1.635×     74.82 / 43.64  1.724×    0.943
 *                             train(x, y)      77.90 / 47.81  1.627×     77.18 / 44.90  1.676×    0.944
 *
 * The main thread ran the worker's half itself (a worker not yet claiming it when the main thread's
 * half was done: ThreadPool.wait) in at most 143 of the 21:42 run's 8,820 steps (1.6 %), each then at
 * one thread's pace (about 1.7× a two-thread step): at most ~1.2 % of the steps' time, not worth more;
 * the other jobs it ran itself were uploads' checks (f32_all_finite), P₁ adds' and updates' halves
 * (f32_axpy) and the guard's maxAbs, as in the split step. Left on the main thread over every row
 * after the join: the loss value and the biases' sums (one thread's order), which read the worker's
 * rows of the output and of δ; and a one-batch train(x, y) call's only step, whose forward its input
 * check runs first (Engine.firstLayerFinite: the check could read zs[0] after the step instead, as
 * backprop changes nothing the network holds): not tried. bench/one-job-step.ts stays as the prototype
 * README's bench paragraph cites. bench/step.bench.ts' stepOn times both: `trainStep` as train() runs
 * it (forward(batch, 'train'), then backprop: this step), which bench/threads.bench.ts' step rows time
 * since session 41 (train()'s step [784,100,100,10] batch 256 at 1.78× one thread, the exchanged pair
 * at 1.83×; AMD EPYC Zen 5, 2026-12-06 00:53, load 1.8 → 2.0, main at d93d06cf), and `step`
 * (feedforward, then backprop: the split step, 1.70× in the same run, its own row there).
 * Where a two-thread train() step still runs on one thread (session 41, perf41; train(dataset) of
 * [784,100,100,10] at batch 256, the pool probed, clean steps, median µs; AMD EPYC Zen 5, 2 vCPUs,
 * 2026-12-06 00:01–00:03, load 4.4–4.9, main at 1f47ac74): the main thread's half ran ~25 longer than
 * the worker's (it alone zeroed the ∂W it then added P₀ to: 89,610 floats, the first layer's worker
 * half last written by the worker); after the join 31–39 (the loss 3.2, the biases' sums 3 × 0.3–4.0,
 * the first ∂W's P₁ add split 16.8–17.5, the second's 3.1–4.6 on the main thread alone); between one
 * step's join and the next step's post 56–60 (the update's split axpy of the first weights 24.8, the
 * second's 6.1–7.6 alone, the targets' gather 16.4 alone, the guard's maxAbs 7.7 split and ~3 for the
 * rest). Taken: the main thread writes its part P₀ over ∂W (one thread's bits: half-step.ts says why)
 * and posts the worker's halves of the P₁ adds before its loss and biases (postPartialAdds). Against
 * main's tree (bench/ab-trees-train-threads.ts, 9 rounds of 13 calls, two threads over main's two, median
 * round): 0.993× train(dataset), 0.995× train(x, y) (00:13, load 4.4 → 2.4); 0.987× and 0.992× (00:17,
 * load 5.7 → 2.8). Left: the update cannot fuse with the add (the guard, above); the targets' gather
 * in the job needs the engine to defer it as it defers the input's.
 * Tried in session 42 (perf42), not landed: the targets' gather in the job. The engine left the
 * targets to the dense step as it leaves the input (Engine.loadBatch; whoever read the targets or
 * the loss first gathered them), and each half copied its rows' targets (f32_copy_rows) into its job
 * right before its loss's gradient, one thread's bits (test/network/dense-step-threads passed). Against
 * main's tree (AMD EPYC Zen 5, 2 vCPUs, 2026-12-06, main at 33148d7d): bench/ab-trees-train-threads.ts
 * (9 rounds of 13 calls, two threads over main's two, median round) 0.980× train(dataset) and 0.997×
 * train(x, y) (03:33–03:34, load 4.6 → 2.3), 1.005× and 0.984× (03:38–03:40, load 8.1 → 3.4);
 * bench/train-steps.ts (as of a4f42cea; 80 train(dataset) calls a tree alternated, both orders; step p10 / median µs)
 * 1,157 / 1,442 against main's 1,154 / 1,381 (03:43–03:45, load 5.0 → 4.5) and 1,200 / 1,493 against
 * 1,200 / 1,468 (03:46–03:49, load 2.1 → 2.2): no gain shown. The job still copies the targets,
 * half on each thread, so a step saves at most the main thread's half of that copy of 256 × 10
 * floats and one loop over the row numbers, not the whole 16.4 µs measured above.
 * train()'s own ceiling (issue #16 item 6, step 3): bench/threads.bench.ts' train() rows time the
 * inner step on one thread and its exchanged pair in their rounds and print the call's exchanged-step
 * ceiling, one ÷ (one − steps·(step − exchanged)) (trainCeilingRounds: each full step at the pair's
 * time, the rest of the call at one thread's). Its first reading (2026-12-05 06:23–06:28, load
 * 4.9 → 3.5, a line's round trip 412–431 ns: slow minutes): train(dataset) 1.60× (nothing-shared
 * ceiling 1.76×, exchanged-step ceiling 1.75×), train(x, y) 1.53×, 1.61× over its clean rounds
 * (1.79×, 1.68×). So in such minutes train(x, y) misses 1.7× even at the exchanged pair's step: its
 * one-thread rest (the upload's copy on the main thread, ~2 ms a call) is too large a share.
 *
 * Measured before, each in one line (the numbers are in the git history of this header):
 * - session 22 (AMD EPYC Zen 4, 2026-12-02, train(dataset) at batch 256, per-call p10s summed):
 *   the first layer split by its outputs (58.2 ms of kernels a call against 58.0), the zeroing,
 *   maxAbs and axpy of a ∂W split by its columns (46.3 against 46.1; 61.6 against 59.5), the
 *   activations' backward pass at 256 × 100 split (56.5 against 55.2), two input buffers in turn
 *   (60.1 against 60.2 ms): none taken; and (2026-12-03, load 11–14) no gather at all (∂W reading
 *   rows by number; train(dataset) alternated call by call with main's tree, 41 rounds: 1.030× one
 *   thread, 0.981× two), the first layer by outputs on top (two-thread kernel sums, bench/train-calls.ts:
 *   1.05× and 1.18× one thread's, against 2.44× and 1.60× for the split by rows): not landed;
 * - session 23 landed denseForwardGather (the gathering forward; assembly/row-dots.simd.ts):
 *   train(dataset) at batch 64 ×1.066, ×0.989 and ×1.046 against a copy's ×0.998–1.005;
 * - a split of the first layer's forward by its inputs cannot give one thread's bits at 784 → 100
 *   (forwardByRowDots sums four lanes over all of k, 400 KB of lane sums at batch 256 to hand over);
 * - what a split pays for is the lines, not the hand-off nor bulk memory on shared memory
 *   (bench/shared-writes.ts, Zen 4, 2026-12-02: a split zeroing of 78,400 floats 5.8 µs with each
 *   half in its own cache, 28.7 with the other core's lines, 74.2 on the main thread alone;
 *   memory.fill 2.93 µs against 2.95 on unshared memory);
 * - train(dataset)'s two-thread step (Zen 4, 2026-12-03 09:28, load 8): 9 hand-offs, each worker
 *   start 0.5–1.2 µs, the wait 14 µs a step, even halves (1,192 / 1,171 µs), 1,361 µs p10 against
 *   2,490 on one thread; the losses were in the spread of the steps (p10 1,306, median 1,798);
 * - the split products cut into 8 chunks taken from both ends (a CAS on one range word): no gain
 *   (calls 527.5 ms against 539.9 and 537.7; quiet: 74.3 against 71.0 and 74.8) and its loop
 *   allocated on the hot path (steady-memory 16.1–36.9 bytes a step): taken out the same day;
 * - session 27 (Zen 5, 2026-12-03 20:03–20:56, load 13–23): the ratio follows the host (1.89–1.95×
 *   in some minutes, 1.49–1.63× in 17 other readings; a line's round trip between the threads 114 ns
 *   once, 362–485 ns around the slow runs); the shared memory's code is not slower (the whole 256×100
 *   sigmoid 20.7 µs against 21.4); not landed: a paired ∂W and ∂input balanced by columns (1,323–2,012
 *   against 1,300–1,911), the forward activations on the main thread (1,565 against 1,420), every
 *   backward pass split (1,077 against 1,092), the activation inside the forward's job;
 * - session 28 (perf28a, 2026-12-03 22:57–23:25, load 8–20): a contract method for a forward with
 *   its activation (denseForwardActivated), one job per layer: within 40 µs of main in 6 of 7 runs
 *   (1,127 against 1,050 in one), 1.17–1.82× as many clean steps but no better mean; plain SGD's
 *   axpy of the first weights on the main thread alone: 1,322 and 1,300 against 1,270 and 1,276;
 * - session 29 (perf29a, 2026-12-04): the nothing-shared ceiling (bench/nothing-shared.ts: two
 *   one-thread networks stepping batch 128 at once) read 1.70–1.95× where this split read 1.58–1.60×,
 *   and 1.97× against 1.60× in the lead's quiet bench (05:03–05:09): the gap is this split's.
 *
 * The workers are Node worker_threads, or Web Workers in a cross-origin isolated page (pool.ts).
 * Where neither can run (a page without cross-origin isolation has no SharedArrayBuffer),
 * createThreadedWasmKernels falls back to the one-thread backend and says why in `threadsFallback`.
 *
 * Ownership: the kernels own their pool; `close()` stops it. Networks given these kernels as
 * `backend` never close them. (`createNetwork({ threads })` shares counted kernels instead: see
 * src/backend.ts.)
 */
import { checkKnownKeys, checkNonNegative, checkWhole, keysOf } from '../../checks.js';
import { invalidOption, shown } from '../../errors.js';
import { instantiateSharedCore } from '../loader.js';
import { MAX_PAGES } from '../allocator.js';
import { ACTIVATION_EXPORT_NAMES, exportName, type CommonExports } from '../exports.js';
import type { Activation, OutputActivation, WriteFault } from '../../kernels.js';
import { createWasmKernels, WasmBackend, type WasmKernels, type WasmTensor } from '../wasm-kernels.js';
import { DENSE_STEP, type DenseStepRunner, type DenseStepTensors } from '../../dense-step.js';
import { ARGS_PER_CALL, MAX_CALLS, writeCall } from './control.js';
import { addHalfStep, halfStepCalls, type CallSink, type HalfStepExports, type HalfStepPointers } from './half-step.js';
import { ThreadPool, threadsUnavailable, type LocalExport } from './pool.js';
import { ONE_THREAD_ASKED } from './one-thread-asked.js';

/** Options of createThreadedWasmKernels. */
export interface ThreadedOptions {
  /**
   * Threads in all, the main thread included (default 2, at most 64). 1 gives the one-thread
   * backend. Unlike createNetwork's `threads`, not bounded by the machine's cores: these kernels
   * run an n-way split anywhere (to test or time it), only slower past the cores.
   */
  threads?: number;
  /**
   * Dense products below this many flops run on the main thread alone (default 2²¹), except on two
   * threads with the worker awake (inside a training step), where a forward product, or a layer's
   * ∂W and ∂input asked for in one call, of at least 2¹⁷ flops per product is split or paired all
   * the same (its rows then stay on the thread whose rows they are): a finite number ≥ 0 (0 splits
   * every product with enough rows). Infinity is refused (INVALID_OPTION): it
   * would keep the products on one thread while batch gathers and activation passes still split;
   * for one thread give threads: 1.
   */
  minFlops?: number;
  /**
   * Products (and batch gathers and activation passes) are split only when every thread gets at
   * least this many batch rows (default 20).
   * Each thread packs the whole weight matrix for its rows, so thin parts lose. train(dataset) of one
   * epoch over 9,000 digits on [784,100,100,10] (AMD EPYC Zen 5, 2026-12-04, calls alternated in one
   * run; two threads at the old default, 64 least rows, then at 20, the new; p10):
   * - 21:13–21:16, load 4.7 → 4.2, 8 rounds, one thread's call over two threads' (p10 / median): batch
   *   40 1.01× / 0.97× at 64 rows, 1.54× / 1.44× at 20; batch 48 0.99× / 0.97× and 1.60× / 1.58×;
   *   batch 64 0.99× / 0.98× and 1.63× / 1.69×; batch 256 1.80× / 1.72× and 1.83× / 1.78× (its last
   *   batch, 40 rows, split at 20);
   * - 20:19–20:23, load 2–5: at batch 256 the last batch took 392 µs at 64 rows (on the main thread
   *   alone), 279 at 16 (split 20 and 20); at batch 32, 16 rows a thread lost: a call 83.1 ms at 64
   *   rows (not split), 92.8 at 16 (split 16 and 16).
   */
  minRowsPerThread?: number;
}

/** Wasm kernels that split large dense products across worker threads. */
export interface ThreadedWasmKernels extends WasmKernels {
  /** Threads the dense products are split across (1 after a fallback). */
  readonly threads: number;
  /** Why threads are not used, when they are not. */
  readonly threadsFallback: string | null;
  /**
   * The batch rows each thread needs for a split: ThreadedOptions.minRowsPerThread (default 20), or the core's tile of rows
   * where that is more. A training step whose batch is under threads × this runs on the main thread alone (TrainResult.threads).
   */
  readonly minRowsPerThread: number;
  /**
   * Dense products split across threads so far, each product once (a layer's ∂W and ∂input split by
   * rows in one job count two, as they do split one after the other); the others ran on the main
   * thread alone or beside each other (pairedProducts).
   */
  readonly splitProducts: number;
  /** Batches gathered by copyRows across threads so far (the others were copied on the main thread alone). */
  readonly splitCopies: number;
  /** Elementwise activation passes (forward or backward), optimiser updates, zeroings and maxAbs reductions split across threads so far. */
  readonly splitPasses: number;
  /** Layers whose ∂W a worker computed while the main thread computed their ∂input (denseBackwardWeightsAndInput) so far. */
  readonly pairedProducts: number;
  /**
   * Training steps of a dense network run as one job per thread so far: each thread its rows' whole
   * forward and backward, the loss value and the biases' gradients after (their products are
   * counted in splitProducts too, as the split step counts them).
   */
  readonly halfStepJobs: number;
  /** Stops the workers (idempotent); the kernels keep working on the main thread alone. */
  close(): Promise<void>;
}

const F32 = 4;
/** Bytes of one row number (u32) of copyRows. */
const U32 = 4;
const DEFAULT_MIN_FLOPS = 1 << 21;
/** ThreadedOptions.minRowsPerThread's default, the batch rows each thread needs for a split (exported for the docs' tests and createNetwork's refusal). */
export const DEFAULT_MIN_ROWS = 20;
const INITIAL_PAGES = 16;

/** The elementwise activations, whose kernels follow the named ones in WORKER_EXPORTS (forward, then backward). */
const ELEMENTWISE = Object.keys(ACTIVATION_EXPORT_NAMES) as Activation[];
/** The exports the workers call, listed once; each call posts its index in WORKER_EXPORTS. */
const NAMED_EXPORTS = [
  'f32_dense_fwd__simd',
  'f32_dense_fwd_gather__simd',
  'f32_dense_bwd_input__simd',
  'f32_dense_bwd_weights_cols__simd',
  'f32_dense_bwd_weights_rows__simd',
  'f32_copy_rows',
  'f32_sgd_update__simd',
  'f32_nesterov_update__simd',
  'f32_adagrad_update__simd',
  'f32_rmsprop_update__simd',
  'f32_adam_update__simd',
  'f32_axpy__simd',
  'f32_all_finite__simd',
  'f32_max_abs_bits__simd',
  'f32_zero',
  // A dense step's half (half-step.ts): the loss's gradient on a thread's rows, and softmax's forward.
  'f32_mse_bwd_rows__simd',
  'f32_xent_softmax_bwd_rows__simd',
  'f32_softmax_fwd__simd',
] as const;
const activationExport = (f: Activation, pass: 'fwd' | 'bwd') => exportName(`f32_${ACTIVATION_EXPORT_NAMES[f]}_${pass}`, 'simd');
/** Exported for the tests, which check each against the core's contract and ARGS_PER_CALL. */
export const WORKER_EXPORTS: readonly string[] = [...NAMED_EXPORTS, ...ELEMENTWISE.flatMap((f) => [activationExport(f, 'fwd'), activationExport(f, 'bwd')])];
const indexOf = (name: (typeof NAMED_EXPORTS)[number]) => WORKER_EXPORTS.indexOf(name);
const FWD = indexOf('f32_dense_fwd__simd');
const FWD_GATHER = indexOf('f32_dense_fwd_gather__simd');
const BWD_INPUT = indexOf('f32_dense_bwd_input__simd');
const BWD_WEIGHT_COLUMNS = indexOf('f32_dense_bwd_weights_cols__simd');
const BWD_WEIGHT_ROWS = indexOf('f32_dense_bwd_weights_rows__simd');
const COPY_ROWS = indexOf('f32_copy_rows');
const SGD_UPDATE = indexOf('f32_sgd_update__simd');
const NESTEROV_UPDATE = indexOf('f32_nesterov_update__simd');
const ADAGRAD_UPDATE = indexOf('f32_adagrad_update__simd');
const RMSPROP_UPDATE = indexOf('f32_rmsprop_update__simd');
const ADAM_UPDATE = indexOf('f32_adam_update__simd');
const AXPY = indexOf('f32_axpy__simd');
const ALL_FINITE = indexOf('f32_all_finite__simd');
const MAX_ABS_BITS = indexOf('f32_max_abs_bits__simd');
const ZERO = indexOf('f32_zero');
/** Index in WORKER_EXPORTS of each elementwise activation's forward kernel; its backward is the next (keyed by any output activation so that softmax and a name the kernels lack look up undefined). */
const ACTIVATION_FWD: ReadonlyMap<OutputActivation, number> = new Map(ELEMENTWISE.map((f) => [f, WORKER_EXPORTS.indexOf(activationExport(f, 'fwd'))]));
/** The exports of a dense step's half (half-step.ts), by their index in WORKER_EXPORTS. */
const HALF_STEP_EXPORTS: HalfStepExports = {
  forward: FWD,
  forwardGather: FWD_GATHER,
  backwardInput: BWD_INPUT,
  weightRows: BWD_WEIGHT_ROWS,
  zero: ZERO,
  mseRows: indexOf('f32_mse_bwd_rows__simd'),
  crossEntropyRows: indexOf('f32_xent_softmax_bwd_rows__simd'),
  softmaxForward: indexOf('f32_softmax_fwd__simd'),
  activationForward: (f) => ACTIVATION_FWD.get(f),
};
/**
 * An elementwise activation's forward pass is split across the threads from this many values on (a
 * 100-unit layer at batch 256 is 25,600): below it, the hand-off costs more than the pass. At 25,600
 * the split sigmoid can take longer than the one-thread backend's whole pass, yet the pass is not
 * better left to the main thread: it would then read the rows the worker's product wrote and write
 * rows the worker reads next. In train(dataset) of [784,100,100,10] at batch 256 (timed per call as
 * bench/train-calls.ts times them; AMD EPYC Zen 4, 2 vCPUs, 2026-12-02, load 11–14) the split pass
 * took 15 µs (tenth percentile of its calls) where lines moved between the cores cheaply, 27–58 µs
 * where they did not, against 22–23 for the one-thread backend's; left to the main thread in the
 * two-thread step (alternated train() by train() with the split) it took 25 (median 100, against
 * the split's 57 in the same run), and the call's kernels 53.1 ms against 52.5.
 * The backward pass (dz += da ⊙ f'(z)) splits from the same size since session 35: it was split
 * from 2¹⁸ values, as one pass at 25,600 alone took as long split as on the main thread (sigmoid at
 * 256 × 100: 13.0 µs against 9.1; AMD EPYC Zen 3, 2026-12-01), but in a step the main thread's
 * whole pass reads every row of ∂input the worker's job wrote and writes every δ row the worker
 * reads next: 7.4 µs p10 there against 1.7 for a half alone (bench/step-phases.ts, 2026-12-05
 * 05:43), and split with the output layer's forward (claimSplitBeside) the step gained ~1 % p10.
 */
const MIN_SPLIT_PASS = 1 << 14;
/**
 * A batch gathered by copyRows is split across the threads from this many floats (64 KiB) on:
 * below it (a batch's targets) the hand-off costs more than the copy.
 * The targets of train() at batch 256 (256 × 10, 13.7 µs p10 a two-thread step on the main thread,
 * bench/train-step-parts.ts, 2026-12-04 22:52) split while the workers are awake, each thread
 * copying its forward's rows (issue #16 item 6's first item, without the contract change that would
 * put them in the gathering forward's job): against main's tree in bench/train-steps.ts (150
 * train(dataset) calls on two threads, both orders; AMD EPYC Zen 5, 2026-12-04) step p10 1,236 and
 * 1,223 µs against 1,234 and 1,224 (22:56, load 6.0 → 5.3; the worker often asleep at the copy
 * then: 2 and 30 of a call's 42 copies split in two calls at 23:02, load 7.6), 1,342 and 1,327
 * against 1,343 and 1,366 (23:20, load 4.7 → 2.8; medians 1,620 and 1,569 against 1,620 and 1,572):
 * within the floor, not landed, and the job version not built (the loss reads every row's targets
 * on the main thread).
 */
const MIN_SPLIT_COPY = 1 << 14;

/**
 * An optimiser's update (plain SGD's axpy, SGD with momentum, Nesterov, Adagrad, RMSProp, Adam) and
 * the zeroing of a tensor are split across the threads from this many values on (a 784→100 layer's
 * weights are 78,400), when the workers are awake: the update sits between a step's last split
 * product and the next step's first, where the workers would otherwise wait (so did the zeroing of
 * the ∂W at backprop's start, which backprop has written instead since 2026-12-06: accumulate false). At batches too small to split the
 * products the workers sleep, and waking one would cost more than the half it takes over.
 * A split forward leaves every weight in both cores' caches, so a write to it on one thread first
 * takes each line from the other core (bench/shared-writes.ts, which times both after the set-ups of
 * a step). On an AMD EPYC Zen 4 (2 vCPUs, 2026-12-02 14:32, load 14; medians of up to 300 calls
 * in each of 7 processes) the main thread's axpy of 78,400 weights both threads had read took
 * 141–184 µs alone and 98–103 split in 6 of them, its zeroing of a split ∂W 93–113 alone and 31–39
 * split (34 and 8 µs with the lines in its own cache alone); in the 7th the lines moved faster
 * (axpy 41 alone, 38 split; zero 13 alone, 19 split). On an AMD EPYC Zen 3 (2026-12-01, load
 * 16–17) splitting the axpy and the zeroing made no measurable difference to train() of
 * [784,100,100,10] at batch 256, and splitting them by the columns a split ∂W gives each thread (a
 * call per row of a [100][784] ∂W) was slower than the main thread alone (zero 28 µs against 19,
 * axpy 42 against 31, 2026-12-02 04:20, load 12). Where lines move cheaply the split zeroing loses
 * to the main thread alone: 6.9 µs against 4.6 (4.1 with the lines in its own cache alone;
 * bench/shared-writes.ts, tenth percentiles of 131–200 calls, AMD EPYC Zen 4, 2026-12-02 22:46, load
 * 6); where they move dearly it wins, 28.7 against 74.2 (23:07, load 11). Zeroing each thread's ∂W
 * columns instead (one memory.fill per row of them) took 20.9 µs against the halves' 11.1 in
 * train() (tenth percentiles, alternated train() by train(), 23:10, load 11).
 */
const MIN_SPLIT_UPDATE = 1 << 15;

/**
 * denseBackwardWeightsAndInput runs ∂W on an awake worker beside the main thread's ∂input from this
 * many flops per product on (below a split's size: see pairs). Paired against one after the other
 * on the main thread, a split product before each call so the worker was awake as in a step
 * (quartiles of 300 calls each, interleaved; AMD EPYC Zen 3, 2026-12-02 07:31, load 15.6):
 * 256×100→10 (512,000 flops each) took 0.74×, 128×100→10 0.86×, 64×100→10 (128,000) 1.03×,
 * 64×50→10 1.08×, 32×50→10 1.18×.
 */
const MIN_PAIRED_FLOPS = 1 << 17;

/**
 * Floats an upload on threads copies between two finiteness checks, each check run on worker 0 beside
 * the main thread's copy of the next piece (writeFinite): 512 KiB, eight times the one-thread
 * backend's CHECK_CHUNK. The worker's check is faster than the copy, so a larger piece costs only the
 * last piece's check at the end, and each piece is a hand-off the main thread may wait on: with
 * CHECK_CHUNK pieces an upload of 9,000 MNIST rows made 431 of them, and under load a worker that
 * loses its vCPU while it holds one holds up the copy. uploadDataset of 9,000×784 digits and their
 * targets, alternated call by call with main's tree and a second copy of it (AMD EPYC Zen 4, 2
 * vCPUs, 2026-12-03, 80 rounds each, tenth percentile and median, ms): one block 2.26 / 3.08 against
 * 2.83 / 3.31 and 2.81 / 3.62 (load 13), 2.49 / 2.94 against 2.99 / 3.69 and 2.96 / 3.88 (load 9),
 * 2.46 / 2.86 against 3.15 / 3.51 and 3.05 / 3.39 (load 12); rows of 784 3.18 / 4.01 against
 * 3.57 / 4.39 and 3.60 / 4.48 (load 12; the two earlier runs within the copies' spread). The block's
 * writeFinite alone in pieces of 2¹⁶ to 2¹⁸ floats read alike (tenth percentiles 2.05–2.84 ms in
 * three runs, load 6–12, where CHECK_CHUNK pieces read 2.69–3.27), 2¹⁹ and 2²⁰ slower (2.66–2.88);
 * the whole block copied first and then checked in halves on both threads 3.74 against 2.89 for
 * CHECK_CHUNK pieces (the check then reads the block back from memory). What is left is the main thread's copy itself, 1.8–2.0 ms of a
 * block's upload (heap.set of the caller's array, which no worker can read): in train(x, y) at batch
 * 256 the time before the first step (bench/train-steps.ts --data rows) was 2.8 ms against 3.5–3.7
 * for main (tenth percentiles, load 12), of a two-thread call of ~60 ms on a quiet host.
 * It is also the size from which checks go to the worker (it was CHECK_CHUNK): an upload between
 * 2¹⁴ and 2¹⁷ floats (a 128×784 batch, 100,352) was checked on the worker and is now checked wholly
 * on the main thread, in one piece. Unmeasured: no timing could be trusted at that day's load.
 */
export const WORKER_CHECK_CHUNK = 1 << 17;

/** The most threads a pool takes: far past any core count the split products scale to. */
export const MAX_THREADS = 64;

/**
 * A valid thread count (1 to MAX_THREADS), or INVALID_OPTION. createNetwork's `threads` is also
 * bounded by the machine's cores (src/backend.ts); these kernels are not (see ThreadedOptions.threads).
 */
export function checkThreads(threads: unknown): number {
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw invalidOption(`threads: expected a whole number from 1 to ${MAX_THREADS}, got ${shown(threads)}`);
  }
  return threads;
}

/** Wasm kernels on `threads` threads (default 2); falls back to one thread, saying why in threadsFallback, where workers or shared memory are unavailable. The caller stops the workers with close(). */
export async function createThreadedWasmKernels(options: ThreadedOptions = {}): Promise<ThreadedWasmKernels> {
  checkKnownKeys(options, keysOf<ThreadedOptions>({ threads: true, minFlops: true, minRowsPerThread: true }), 'createThreadedWasmKernels');
  const threads = checkThreads(options.threads ?? 2);
  // Finite (see ThreadedOptions.minFlops: Infinity would split the passes but no product).
  const minFlops = checkNonNegative(options.minFlops ?? DEFAULT_MIN_FLOPS, 'minFlops');
  const minRows = checkWhole(options.minRowsPerThread ?? DEFAULT_MIN_ROWS, 'minRowsPerThread', 1);
  const reason = threads === 1 ? ONE_THREAD_ASKED : threadsUnavailable();
  if (reason) {
    return Object.assign(await createWasmKernels({ variant: 'simd' }), { threads: 1, threadsFallback: reason, minRowsPerThread: minRows, splitProducts: 0, splitCopies: 0, splitPasses: 0, pairedProducts: 0, halfStepJobs: 0, close: async () => {} });
  }

  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: true });
  const { module, exports } = await instantiateSharedCore(memory);
  const pool = await ThreadPool.start(threads - 1, module, memory, WORKER_EXPORTS, WORKER_EXPORTS.map((name) => exports[name] as LocalExport));
  return new ThreadedWasmBackend(exports, pool, minFlops, minRows);
}

/**
 * The main thread's half of a dense step: its calls kept (writeCall: MAX_CALLS of them, the bound
 * halfStepRow admits a chain by, halfStepCalls), then run on the main thread's own instance.
 */
class LocalCalls implements CallSink {
  count = 0;
  private readonly fns = new Int32Array(MAX_CALLS);
  private readonly args = new Float64Array(MAX_CALLS * ARGS_PER_CALL);

  call(fn: number, a0: number, a1: number, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0, a9 = 0): void {
    writeCall(this.fns, 0, this.args, 0, this.count, fn, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, 0, 0);
    this.count++;
  }

  run(local: readonly LocalExport[]): void {
    const args = this.args;
    for (let c = 0; c < this.count; c++) {
      const at = c * ARGS_PER_CALL;
      local[this.fns[c]](args[at], args[at + 1], args[at + 2], args[at + 3], args[at + 4], args[at + 5], args[at + 6], args[at + 7], args[at + 8], args[at + 9], args[at + 10], args[at + 11]);
    }
  }
}

/** The worker's half of a dense step: its calls set in worker 0's next job. */
class PostedCalls implements CallSink {
  count = 0;
  pool: ThreadPool | null = null;

  call(fn: number, a0: number, a1: number, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0, a9 = 0): void {
    this.pool!.setCall(0, this.count++, fn, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9);
  }
}

class ThreadedWasmBackend extends WasmBackend implements ThreadedWasmKernels, DenseStepRunner<WasmTensor> {
  override readonly name = 'wasm-simd-threads';
  readonly threadsFallback = null;
  splitProducts = 0;
  splitCopies = 0;
  splitPasses = 0;
  pairedProducts = 0;
  halfStepJobs = 0;
  private pool: ThreadPool | null;
  /** Whether writeFinite's checks go to worker 0 (checkLater): in an upload of more than one check. */
  private checksAside = false;
  /** Whether worker 0 checks a range of an upload (checkLater), [checkFrom, checkTo), that no checksDone has told yet. */
  private checking = false;
  private checkFrom = 0;
  private checkTo = 0;
  /** Per thread (main first): scratch for the packed panels. */
  private readonly scratches: WasmTensor[] = [];
  /** The worker's part of a ∂W split by batch rows (P₁ of weightsFoldRow's fold), before it is added to ∂W. */
  private partial: WasmTensor;
  /** A worker's part of a split maxAbs, its float32 bits as the job returned them, read back as the float (allocated once). */
  private readonly partBits = new Int32Array(1);
  private readonly partFloat = new Float32Array(this.partBits.buffer);
  /** The main thread's instance of each export in WORKER_EXPORTS, for its half of a dense step. */
  private readonly localExports: readonly LocalExport[];
  private readonly mainHalf = new LocalCalls();
  private readonly workerHalf = new PostedCalls();
  /**
   * Per layer of a dense step, the worker's part of ∂W (P₁), added after the join. Kept by the
   * backend for the next step (grown, never freed): as many floats as the deepest, widest network
   * stepped has weights, after that network is disposed, and not counted by Engine.checkFits.
   */
  private readonly stepPartials: WasmTensor[] = [];
  private readonly halfPointers: HalfStepPointers & { partials: number[] } = { gatherNumbers: 0, scratch: 0, backflow: 0, partials: [] };

  /**
   * The SIMD microkernel's tile, as the core sets it (dense_tile_rows/cols): split products' batch
   * rows are cut at multiples of tileRows and a split ∂W's columns at multiples of tileColumns, so
   * no tile straddles two threads' parts.
   */
  private readonly tileRows: number;
  private readonly tileColumns: number;
  /** Each thread's least batch rows for a split (minRowsPerThread, at least one tile's rows). */
  private readonly minRows: number;

  constructor(
    exports: CommonExports & Record<string, unknown>,
    pool: ThreadPool,
    private readonly minFlops: number,
    minRowsPerThread: number,
  ) {
    super(exports, 'simd', 'simd');
    this.pool = pool;
    this.tileRows = (exports.dense_tile_rows__simd as () => number)();
    this.tileColumns = (exports.dense_tile_cols__simd as () => number)();
    this.minRows = Math.max(minRowsPerThread, this.tileRows);
    for (let t = 0; t <= pool.size; t++) this.scratches.push(this.allocOwn(0));
    this.partial = this.allocOwn(0);
    this.localExports = WORKER_EXPORTS.map((name) => exports[name] as LocalExport);
  }

  get threads(): number {
    return (this.pool?.size ?? 0) + 1;
  }

  get minRowsPerThread(): number {
    return this.minRows;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
  }

  /** Rows [start(t), start(t + 1)) go to thread t (0 = main): equal parts, cut at multiples of tileRows. */
  private rowStart(t: number, batch: number): number {
    if (t >= this.threads) return batch;
    return Math.min(batch, Math.ceil((batch * t) / this.threads / this.tileRows) * this.tileRows);
  }

  /** dw's columns [columnStart(t), columnStart(t + 1)) go to thread t in a split ∂W: equal parts, cut at multiples of tileColumns. */
  private columnStart(t: number, nIn: number): number {
    if (t >= this.threads) return nIn;
    return Math.min(nIn, Math.ceil((nIn * t) / this.threads / this.tileColumns) * this.tileColumns);
  }

  /**
   * Claims this product for a split where it is large enough: counts the split (splitProducts), makes
   * every thread's scratch large enough and returns true; returns false, changing nothing, where it is
   * not split. A ∂W (`byColumns`) is split by dw's columns, so it also needs a tile's width of them per thread.
   */
  private claimSplit(batch: number, nIn: number, nOut: number, byColumns: boolean): boolean {
    if (!this.pool || !this.splitSized(batch, nIn, nOut)) return false;
    if (byColumns && nIn < this.threads * this.tileColumns) return false;
    this.splitProducts++;
    this.growScratches(batch, nIn, nOut);
    return true;
  }

  /** Whether a product of these sizes is large enough to split: minFlops, and minRows batch rows for every thread (claimSplit's, and pairs' on two threads). */
  private splitSized(batch: number, nIn: number, nOut: number): boolean {
    return 2 * batch * nIn * nOut >= this.minFlops && batch >= this.threads * this.minRows;
  }

  /** Makes every thread's scratch large enough for a product of these sizes: grown only when a larger layer comes along, never in a steady training loop. */
  private growScratches(batch: number, nIn: number, nOut: number): void {
    const bytes = this.exports.dense_scratch_bytes(batch, nIn, nOut);
    for (let t = 0; t < this.scratches.length; t++) {
      if (this.scratches[t].length * F32 < bytes) this.scratches[t] = this.regrow(this.scratches[t], Math.ceil(bytes / F32));
    }
  }

  /**
   * Gathers a batch with each thread copying the rows that the split products give it (the same
   * rowStart cut), so the rows a worker reads in the forward and ∂W products are already in its
   * core's cache instead of in the main thread's, and the copy itself runs in parallel.
   */
  override copyRows(dst: WasmTensor, src: WasmTensor, rows: ArrayLike<number>, start: number, count: number, rowLen: number): void {
    if (!this.pool || count < this.threads * this.minRows || count * rowLen < MIN_SPLIT_COPY) return super.copyRows(dst, src, rows, start, count, rowLen);
    this.splitCopies++;
    const pool = this.pool;
    const numbers = this.rowNumbersOf(rows, start, count);
    for (let t = 1; t < this.threads; t++) {
      const r0 = this.rowStart(t, count);
      pool.setCall(t - 1, 0, COPY_ROWS, dst.ptr + r0 * rowLen * F32, src.ptr, numbers + r0 * U32, this.rowStart(t + 1, count) - r0, rowLen);
      pool.post(t - 1, 1);
    }
    this.exports.f32_copy_rows(dst.ptr, src.ptr, numbers, this.rowStart(1, count), rowLen);
    for (let t = 1; t < this.threads; t++) pool.wait(t - 1);
  }

  /**
   * An upload (Kernels.writeFinite) whose checks run on worker 0, each beside the main thread's copy
   * of the next piece (WORKER_CHECK_CHUNK floats): a worker cannot read the caller's arrays, so the
   * copy stays on the main thread, but it reads what the copy wrote into the shared memory. The same
   * one pass over the parts and the same faults in the same order (the ranges are told in the order
   * they were started). An upload of one check's piece or less is checked on the main thread, and
   * so is every upload after close(), in the one-thread backend's pieces.
   */
  override writeFinite(t: WasmTensor, parts: readonly unknown[], partLength: number): WriteFault | undefined {
    if (!this.pool) return super.writeFinite(t, parts, partLength);
    this.checksAside = parts.length * partLength > WORKER_CHECK_CHUNK;
    try {
      return this.writeFiniteBy(t, parts, partLength, WORKER_CHECK_CHUNK);
    } catch (error) {
      // Every return has told the ranges it started; after a throw the worker is still waited for,
      // and the error thrown is the first: a failure of that wait comes after the body's.
      this.abandonChecks();
      throw error;
    } finally {
      this.checksAside = false;
    }
  }

  /** Waits for a check checkLater started that no checksDone will tell (its upload threw), ignoring what the wait throws. */
  private abandonChecks(): void {
    if (!this.checking) return;
    this.checking = false;
    try {
      this.pool!.wait(0);
    } catch {
      // The upload's own error is thrown instead (it came first); a worker that died is said by the next job's wait.
    }
  }

  protected override checkLater(t: WasmTensor, from: number, to: number): WriteFault | undefined {
    if (!this.checksAside) return super.checkLater(t, from, to);
    const fault = this.checksDone(t);
    if (fault) return fault;
    const pool = this.pool!;
    pool.setCall(0, 0, ALL_FINITE, t.ptr + from * F32, to - from);
    pool.post(0, 1);
    this.checking = true;
    this.checkFrom = from;
    this.checkTo = to;
    return undefined;
  }

  protected override checksDone(t: WasmTensor): WriteFault | undefined {
    if (!this.checking) return undefined;
    this.checking = false;
    const pool = this.pool!;
    pool.wait(0);
    return pool.result(0) === 1 ? undefined : this.faultIn(t, this.checkFrom, this.checkTo);
  }

  /**
   * The optimisers' updates of a large tensor, each thread updating its part (splitsUpdate): every
   * value is computed by the same kernel as on one thread, and the parts start at multiples of 4
   * values, so the SIMD lanes and the scalar tail fall where they do on one thread: bit for bit the
   * same. Written out per update rather than through one helper taking its arguments as an array,
   * which would allocate at every step.
   */
  override sgdUpdate(w: WasmTensor, v: WasmTensor, g: WasmTensor, n: number, learningRate: number, momentum: number, weightDecay: number): void {
    if (!this.splitsUpdate(n)) return super.sgdUpdate(w, v, g, n, learningRate, momentum, weightDecay);
    this.postParts(SGD_UPDATE, n, w, v, g, null, learningRate, momentum, weightDecay);
    this.module.f32_sgd_update(w.ptr, v.ptr, g.ptr, this.rowStart(1, n), learningRate, momentum, weightDecay);
    this.waitForWorkers();
  }

  override nesterovUpdate(w: WasmTensor, v: WasmTensor, g: WasmTensor, n: number, learningRate: number, momentum: number, weightDecay: number): void {
    if (!this.splitsUpdate(n)) return super.nesterovUpdate(w, v, g, n, learningRate, momentum, weightDecay);
    this.postParts(NESTEROV_UPDATE, n, w, v, g, null, learningRate, momentum, weightDecay);
    this.module.f32_nesterov_update(w.ptr, v.ptr, g.ptr, this.rowStart(1, n), learningRate, momentum, weightDecay);
    this.waitForWorkers();
  }

  override adagradUpdate(w: WasmTensor, s: WasmTensor, g: WasmTensor, n: number, learningRate: number, epsilon: number, weightDecay: number): void {
    if (!this.splitsUpdate(n)) return super.adagradUpdate(w, s, g, n, learningRate, epsilon, weightDecay);
    this.postParts(ADAGRAD_UPDATE, n, w, s, g, null, learningRate, epsilon, weightDecay);
    this.module.f32_adagrad_update(w.ptr, s.ptr, g.ptr, this.rowStart(1, n), learningRate, epsilon, weightDecay);
    this.waitForWorkers();
  }

  override rmspropUpdate(w: WasmTensor, s: WasmTensor, g: WasmTensor, n: number, learningRate: number, alpha: number, epsilon: number, weightDecay: number): void {
    if (!this.splitsUpdate(n)) return super.rmspropUpdate(w, s, g, n, learningRate, alpha, epsilon, weightDecay);
    this.postParts(RMSPROP_UPDATE, n, w, s, g, null, learningRate, alpha, epsilon, weightDecay);
    this.module.f32_rmsprop_update(w.ptr, s.ptr, g.ptr, this.rowStart(1, n), learningRate, alpha, epsilon, weightDecay);
    this.waitForWorkers();
  }

  override adamUpdate(
    w: WasmTensor, m: WasmTensor, v: WasmTensor, g: WasmTensor, n: number,
    learningRate: number, beta1: number, beta2: number, epsilon: number, weightDecay: number, decoupled: boolean, step: number,
  ): void {
    if (!this.splitsUpdate(n)) return super.adamUpdate(w, m, v, g, n, learningRate, beta1, beta2, epsilon, weightDecay, decoupled, step);
    this.postParts(ADAM_UPDATE, n, w, m, v, g, learningRate, beta1, beta2, epsilon, weightDecay, decoupled ? 1 : 0, step);
    this.module.f32_adam_update(w.ptr, m.ptr, v.ptr, g.ptr, this.rowStart(1, n), learningRate, beta1, beta2, epsilon, weightDecay, decoupled ? 1 : 0, step);
    this.waitForWorkers();
  }

  /**
   * y += α·x (plain SGD's update, w −= lr·g) and the zeroing of a large tensor, split as the updates
   * are (splitsUpdate, MIN_SPLIT_UPDATE): each value is y + α·x in float32 whatever its lane, or 0, so
   * the parts give the bits one thread gives.
   *
   * A traced step's SGD update, sgdStepStats (plain) or sgdUpdateStats (momentum, weight decay), which
   * measures the trace's weight statistics in the same pass, is not split: it runs on the main thread
   * alone (WasmBackend's). Its sums go into f64 block by block (STAT_BLOCK values) in one order, so a
   * split that keeps the records' bits would hand the worker's per-block partial sums back to be added
   * in that order: a kernel pair with its twins, for what measured too little. On the Intel Xeon
   * (2026-12-06 09:35–09:39, load 1.9 and 7.5; [784,100,100,10], one batch loaded, a record every
   * step, 15 alternating rounds; a scratch script, not kept) sgdStepStats of the first layer's 78,400
   * weights took 22.2 µs on the main thread, where axpy took 8.1 alone and 8.3 split; the traced
   * two-thread step ran 1.089× the untraced one at batch 256 (1,471 µs against 1,348) and 1.178× at
   * batch 64 (medians of the per-round ratios; the two calls' own medians, 476 µs against 399, differ in ratio), weightStats then the split axpy (the update before the fused
   * kernels) 1.114× and 1.208×. A perfect split would save half of the 22 µs: 0.8 % of the traced
   * step at batch 256, 2.3 % at 64, and the split axpy beside it saved nothing.
   */
  override axpy(y: WasmTensor, x: WasmTensor, n: number, alpha: number): void {
    if (!this.splitsUpdate(n)) return super.axpy(y, x, n, alpha);
    this.postParts(AXPY, n, y, x, null, null, alpha);
    this.module.f32_axpy(y.ptr, x.ptr, this.rowStart(1, n), alpha);
    this.waitForWorkers();
  }

  override zero(t: WasmTensor, n = t.length): void {
    if (!this.splitsUpdate(n)) return super.zero(t, n);
    this.postParts(ZERO, n, t, null, null, null);
    this.exports.f32_zero(t.ptr, this.rowStart(1, n));
    this.waitForWorkers();
  }

  /**
   * Posts `fn` to every worker on its part of n values (rowStart's cut, the rest being the main
   * thread's): the call takes its tensors p0, p1, … (the first null ends them) each from the part's
   * start, then the part's length, then the scalars h0, h1, … (an export taking fewer ignores the
   * rest): an optimiser's update, plain SGD's axpy, a zeroing. Positional, as the pool's calls are,
   * so that a step allocates nothing.
   */
  private postParts(fn: number, n: number, p0: WasmTensor, p1: WasmTensor | null, p2: WasmTensor | null, p3: WasmTensor | null, h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0, h6 = 0): void {
    const pool = this.pool!;
    for (let t = 1; t < this.threads; t++) {
      const at = this.rowStart(t, n) * F32;
      const count = this.rowStart(t + 1, n) - this.rowStart(t, n);
      if (p1 === null) pool.setCall(t - 1, 0, fn, p0.ptr + at, count, h0, h1, h2, h3, h4, h5, h6);
      else if (p2 === null) pool.setCall(t - 1, 0, fn, p0.ptr + at, p1.ptr + at, count, h0, h1, h2, h3, h4, h5, h6);
      else if (p3 === null) pool.setCall(t - 1, 0, fn, p0.ptr + at, p1.ptr + at, p2.ptr + at, count, h0, h1, h2, h3, h4, h5, h6);
      else pool.setCall(t - 1, 0, fn, p0.ptr + at, p1.ptr + at, p2.ptr + at, p3.ptr + at, count, h0, h1, h2, h3, h4, h5, h6);
      pool.post(t - 1, 1);
    }
  }

  /**
   * max |x| split as the updates are (splitsUpdate: from MIN_SPLIT_UPDATE values, the workers awake),
   * each thread over the part it adds and updates: the step guard's check of the first layer's ∂W
   * then reads the halves addPartial wrote, each in its own core's cache, where the main thread alone
   * read the worker's half from the other core. A max is exact in any order and a NaN in either part
   * wins, so the result is one thread's. A worker's part comes back as its float32 bits (a job's
   * result is an int32: f32_max_abs_bits).
   */
  override maxAbs(x: WasmTensor, n: number): number {
    if (!this.splitsUpdate(n)) return super.maxAbs(x, n);
    this.postParts(MAX_ABS_BITS, n, x, null, null, null);
    let largest: number = this.module.f32_max_abs(x.ptr, this.rowStart(1, n));
    const pool = this.pool!;
    for (let t = 1; t < this.threads; t++) {
      pool.wait(t - 1);
      this.partBits[0] = pool.result(t - 1);
      largest = Math.max(largest, this.partFloat[0]);
    }
    return largest;
  }

  private waitForWorkers(): void {
    for (let t = 1; t < this.threads; t++) this.pool!.wait(t - 1);
  }

  private splitsUpdate(n: number): boolean {
    if (!this.pool || n < MIN_SPLIT_UPDATE) return false;
    for (let w = 0; w < this.pool.size; w++) if (!this.pool.isAwake(w)) return false;
    this.splitPasses++;
    return true;
  }

  /** Whether an elementwise pass over `batch` rows of `n` is split, by the products' rows: from MIN_SPLIT_PASS values on. */
  private splitsPass(batch: number, n: number): boolean {
    if (!this.pool || batch < this.threads * this.minRows || batch * n < MIN_SPLIT_PASS) return false;
    this.splitPasses++;
    return true;
  }

  /**
   * The elementwise activations, split by the rows the split products give each thread, so each
   * applies f to the rows its forward product wrote (and the next layer's product reads them from
   * its own cache). Every value is computed by the same kernel as on one thread; the parts start at
   * multiples of tileRows rows (the core's MR, 4: a multiple of the f32x4 width, which these splits need too), so the SIMD lanes and the scalar tail fall where they do on one thread:
   * bit for bit the same. Softmax (whole rows, and only on output layers) stays on the main thread.
   */
  override activationForward(f: OutputActivation, a: WasmTensor, z: WasmTensor, batch: number, n: number): void {
    // Softmax and a name the kernels lack go to the one-thread pass (which refuses the latter) before
    // splitsPass counts a split: a refusal changes nothing, splitPasses included.
    const fwd = ACTIVATION_FWD.get(f);
    if (fwd === undefined || !this.splitsPass(batch, n)) return super.activationForward(f, a, z, batch, n);
    const pool = this.pool!;
    for (let t = 1; t < this.threads; t++) {
      const r0 = this.rowStart(t, batch);
      const at = r0 * n * F32;
      pool.setCall(t - 1, 0, fwd, a.ptr + at, z.ptr + at, (this.rowStart(t + 1, batch) - r0) * n);
      pool.post(t - 1, 1);
    }
    super.activationForward(f, a, z, this.rowStart(1, batch), n);
    for (let t = 1; t < this.threads; t++) pool.wait(t - 1);
  }

  override activationBackward(f: Activation, dz: WasmTensor, da: WasmTensor, z: WasmTensor, a: WasmTensor, batch: number, n: number): void {
    const fwd = ACTIVATION_FWD.get(f);
    if (fwd === undefined || !this.splitsPass(batch, n)) return super.activationBackward(f, dz, da, z, a, batch, n);
    const pool = this.pool!;
    const bwd = fwd + 1;
    for (let t = 1; t < this.threads; t++) {
      const r0 = this.rowStart(t, batch);
      const at = r0 * n * F32;
      pool.setCall(t - 1, 0, bwd, dz.ptr + at, da.ptr + at, z.ptr + at, a.ptr + at, (this.rowStart(t + 1, batch) - r0) * n);
      pool.post(t - 1, 1);
    }
    super.activationBackward(f, dz, da, z, a, this.rowStart(1, batch), n);
    for (let t = 1; t < this.threads; t++) pool.wait(t - 1);
  }

  override denseForward(z: WasmTensor, a: WasmTensor, w: WasmTensor, b: WasmTensor, batch: number, nIn: number, nOut: number): void {
    if (!this.claimSplit(batch, nIn, nOut, false) && !this.claimSplitBeside(batch, nIn, nOut)) return super.denseForward(z, a, w, b, batch, nIn, nOut);
    const pool = this.pool!;
    for (let t = 1; t < this.threads; t++) {
      const r0 = this.rowStart(t, batch);
      const rows = this.rowStart(t + 1, batch) - r0;
      pool.setCall(t - 1, 0, FWD, z.ptr + r0 * nOut * F32, a.ptr + r0 * nIn * F32, w.ptr, b.ptr, this.scratches[t].ptr, rows, nIn, nOut);
      pool.post(t - 1, 1);
    }
    this.module.f32_dense_fwd(z.ptr, a.ptr, w.ptr, b.ptr, this.scratches[0].ptr, this.rowStart(1, batch), nIn, nOut);
    for (let t = 1; t < this.threads; t++) pool.wait(t - 1);
  }

  /**
   * The batch gathered and run forward split as denseForward is, by batch rows: each thread gathers
   * the rows whose products it computes (as the split copyRows gives it the same rows), so they are
   * in its own core's cache for its part of the products that read them.
   */
  override denseForwardGather(z: WasmTensor, a: WasmTensor, x: WasmTensor, rows: ArrayLike<number>, start: number, w: WasmTensor, b: WasmTensor, batch: number, nIn: number, nOut: number): void {
    if (!this.claimSplit(batch, nIn, nOut, false)) return super.denseForwardGather(z, a, x, rows, start, w, b, batch, nIn, nOut);
    const pool = this.pool!;
    const numbers = this.rowNumbersOf(rows, start, batch);
    for (let t = 1; t < this.threads; t++) {
      const r0 = this.rowStart(t, batch);
      const count = this.rowStart(t + 1, batch) - r0;
      pool.setCall(t - 1, 0, FWD_GATHER, z.ptr + r0 * nOut * F32, a.ptr + r0 * nIn * F32, x.ptr, numbers + r0 * U32, w.ptr, b.ptr, this.scratches[t].ptr, count, nIn, nOut);
      pool.post(t - 1, 1);
    }
    this.module.f32_dense_fwd_gather(z.ptr, a.ptr, x.ptr, numbers, w.ptr, b.ptr, this.scratches[0].ptr, this.rowStart(1, batch), nIn, nOut);
    for (let t = 1; t < this.threads; t++) pool.wait(t - 1);
  }

  override denseBackwardInput(da: WasmTensor, dz: WasmTensor, w: WasmTensor, batch: number, nIn: number, nOut: number): void {
    if (!this.claimSplit(batch, nIn, nOut, false)) return super.denseBackwardInput(da, dz, w, batch, nIn, nOut);
    const pool = this.pool!;
    for (let t = 1; t < this.threads; t++) {
      const r0 = this.rowStart(t, batch);
      const rows = this.rowStart(t + 1, batch) - r0;
      pool.setCall(t - 1, 0, BWD_INPUT, da.ptr + r0 * nIn * F32, dz.ptr + r0 * nOut * F32, w.ptr, this.scratches[t].ptr, rows, nIn, nOut);
      pool.post(t - 1, 1);
    }
    this.module.f32_dense_bwd_input(da.ptr, dz.ptr, w.ptr, this.scratches[0].ptr, this.rowStart(1, batch), nIn, nOut);
    for (let t = 1; t < this.threads; t++) pool.wait(t - 1);
  }

  override denseBackwardWeights(dw: WasmTensor, dz: WasmTensor, a: WasmTensor, batch: number, nIn: number, nOut: number, accumulate = true): void {
    const h = this.foldRows(batch, nIn, nOut, this.splitSized(batch, nIn, nOut));
    const add = accumulate ? 1 : 0;
    if (h > 0) {
      this.postWeightRows(0, dz, a, batch, nIn, nOut, h);
      this.pool!.post(0, 1);
      this.module.f32_dense_bwd_weights_rows(dw.ptr, dz.ptr, a.ptr, this.scratches[0].ptr, h, nIn, nOut, add);
      this.pool!.wait(0);
      this.addPartial(dw, this.partial, nOut * nIn);
      return;
    }
    if (!this.claimSplit(batch, nIn, nOut, true)) return super.denseBackwardWeights(dw, dz, a, batch, nIn, nOut, accumulate);
    const pool = this.pool!;
    for (let t = 1; t < this.threads; t++) {
      const at = this.columnStart(t, nIn) * F32;
      const cols = this.columnStart(t + 1, nIn) - this.columnStart(t, nIn);
      pool.setCall(t - 1, 0, BWD_WEIGHT_COLUMNS, dw.ptr + at, dz.ptr, a.ptr + at, this.scratches[t].ptr, batch, nIn, nOut, cols, add);
      pool.post(t - 1, 1);
    }
    this.module.f32_dense_bwd_weights_cols(dw.ptr, dz.ptr, a.ptr, this.scratches[0].ptr, batch, nIn, nOut, this.columnStart(1, nIn), add);
    for (let t = 1; t < this.threads; t++) pool.wait(t - 1);
  }

  /**
   * The row of weightsFoldRow's fold (assembly/gemm.pack.ts) where two threads split this ∂W by
   * batch rows, each over the rows its forward gave it, else 0 (after making the scratches and the
   * worker's partial sums large enough, and counting the split). Only on two threads, for products
   * `large` enough, with minRows batch rows for each thread (minRowsPerThread, as every split), and
   * where the fold's cut is the row split's (rowStart(1)): the main thread adds
   * its rows' sum P₀ to ∂W as one thread does, the worker computes P₁ apart, then P₁ is added
   * (addPartial): the one-thread fold (dw + P₀) + P₁, bit for bit.
   */
  private foldRows(batch: number, nIn: number, nOut: number, large: boolean): number {
    if (!this.pool || this.threads !== 2 || !large || batch < this.threads * this.minRows) return 0;
    const h = this.exports.dense_weights_fold_row(batch);
    if (h === 0 || h !== this.rowStart(1, batch)) return 0;
    this.splitProducts++;
    this.growScratches(batch, nIn, nOut);
    if (this.partial.length < nOut * nIn) this.partial = this.regrow(this.partial, nOut * nIn);
    return h;
  }

  /** Sets call `c` of the worker's job: P₁, its rows' [h, batch) sum of ∂W, written over the partial sums (foldRows). */
  private postWeightRows(c: number, dz: WasmTensor, a: WasmTensor, batch: number, nIn: number, nOut: number, h: number): void {
    this.pool!.setCall(0, c, BWD_WEIGHT_ROWS, this.partial.ptr, dz.ptr + h * nOut * F32, a.ptr + h * nIn * F32, this.scratches[1].ptr, batch - h, nIn, nOut, 0);
  }

  /**
   * ∂W += P₁ (the worker's partial sums; α = 1, so each value is dw + P₁ as the one-thread fold's
   * last K block adds it), split as the optimisers' updates are (MIN_SPLIT_UPDATE, rowStart's
   * halves of the values), so the half of ∂W each thread adds is the half it then updates with.
   */
  private addPartial(dw: WasmTensor, partial: WasmTensor, n: number): void {
    if (n < MIN_SPLIT_UPDATE) return this.module.f32_axpy(dw.ptr, partial.ptr, n, 1);
    this.postParts(AXPY, n, dw, partial, null, null, 1);
    this.module.f32_axpy(dw.ptr, partial.ptr, this.rowStart(1, n), 1);
    this.waitForWorkers();
  }

  /**
   * A dense chain's training step as one job per thread (the engine's deferred training forward
   * and its backprop: src/dense-step.ts): the worker runs its rows' whole forward and backward
   * (half-step.ts) while the main thread runs its own, one join, then on the main thread the loss
   * value and every ∂b over all rows, and the worker's ∂W parts added (split as addPartial splits
   * them, the worker's halves posted before the main thread's serial work: postPartialAdds). Where the split step hands off every product and pass (9 hand-offs a step of
   * [784,100,100,10]), this posts one; each thread's rows stay in its core's cache from the forward
   * to their ∂W. Taken on two threads where the fold's row is the threads' cut (weightsFoldRow: from
   * batch 128), for chains of elementwise activations whose output and loss run by rows (MSE through
   * an elementwise output, binary cross-entropy, cross-entropy, over a softmax or an elementwise
   * output), of at most MAX_CALLS / 7 layers (halfStepCalls), with a product the split step would split (minFlops,
   * minRows); elsewhere undefined, and the engine runs its split step. A worker that has not claimed
   * its half when the main thread's is done has it run on the main thread (ThreadPool.wait): the
   * step is then one thread's, not stalled. The worker's ∂W parts take a buffer per layer the size of
   * its weights, kept by the backend (stepPartials).
   */
  [DENSE_STEP](s: DenseStepTensors<WasmTensor>, batch: number): number | undefined {
    const h = this.halfStepRow(s, batch);
    if (h === 0) return undefined;
    const pool = this.pool!;
    const sizes = s.sizes;
    const L = sizes.length - 1;
    // Every allocation (grown only when a larger network or batch comes) before any pointer is read.
    let widest = sizes[L];
    const partials = this.stepPartials;
    for (let l = 0; l < L; l++) {
      widest = Math.max(widest, sizes[l]);
      this.growScratches(batch, sizes[l], sizes[l + 1]);
      const n = sizes[l] * sizes[l + 1];
      if (l === partials.length) partials.push(this.allocOwn(n));
      else if (partials[l].length < n) partials[l] = this.regrow(partials[l], n);
    }
    const p = this.halfPointers;
    p.gatherNumbers = s.gatherFrom === undefined ? 0 : this.rowNumbersOf(s.gatherRows, 0, batch);
    for (let l = 0; l < L; l++) p.partials[l] = partials[l].ptr;
    p.scratch = this.scratches[1].ptr;
    // The worker's part of the backflow from row h at the widest width: past every row the main thread writes at any width.
    p.backflow = s.backflow.ptr + h * widest * F32;
    const worker = this.workerHalf;
    worker.pool = pool;
    worker.count = 0;
    addHalfStep(worker, HALF_STEP_EXPORTS, s, h, batch - h, batch, false, p);
    pool.post(0, worker.count);
    p.scratch = this.scratches[0].ptr;
    p.backflow = s.backflow.ptr;
    const main = this.mainHalf;
    main.count = 0;
    try {
      addHalfStep(main, HALF_STEP_EXPORTS, s, 0, h, batch, true, p);
      main.run(this.localExports);
    } catch (error) {
      throw this.afterWorker(error);
    }
    pool.wait(0);
    // The worker's halves of the large layers' P₁ adds go first, as one job, so that they run beside
    // the main thread's serial work (the loss, the biases' sums), not after it.
    const adding = this.postPartialAdds(s.nablaW, partials, sizes);
    let cost: number;
    try {
      cost = super.loss(s.loss, s.activationFunctions[L - 1], s.zs[L - 1], s.activations[L], s.targets, batch, sizes[L]);
      for (let l = 0; l < L; l++) {
        super.zero(s.nablaB[l]);
        super.denseBackwardBias(s.nablaB[l], s.deltas[l], batch, sizes[l + 1]);
        const n = sizes[l] * sizes[l + 1];
        this.module.f32_axpy(s.nablaW[l].ptr, partials[l].ptr, n < MIN_SPLIT_UPDATE ? n : this.rowStart(1, n), 1);
      }
    } catch (error) {
      throw adding ? this.afterWorker(error) : error;
    }
    if (adding) pool.wait(0);
    // Each layer's forward and ∂W split by rows, and its ∂input but the first layer's: as the split step counts them.
    this.splitProducts += 3 * L - 1;
    this.halfStepJobs++;
    return cost;
  }

  /**
   * Posts to worker 0, as one job, its half of every P₁ add of a dense step that addPartial would
   * split (from MIN_SPLIT_UPDATE values: the values from rowStart(1, n) on, the half it updates next);
   * the main thread adds the rest. Returns whether it posted any. Each value is dw + P₁ wherever it is added.
   */
  private postPartialAdds(nablaW: readonly WasmTensor[], partials: readonly WasmTensor[], sizes: readonly number[]): boolean {
    const pool = this.pool!;
    let calls = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const n = sizes[l] * sizes[l + 1];
      if (n < MIN_SPLIT_UPDATE) continue;
      const at = this.rowStart(1, n);
      pool.setCall(0, calls++, AXPY, nablaW[l].ptr + at * F32, partials[l].ptr + at * F32, n - at, 1);
    }
    if (calls > 0) pool.post(0, calls);
    return calls > 0;
  }

  /**
   * `error`, thrown on the main thread while worker 0 runs a job that writes the step's tensors, once
   * that job is done: the worker's own failure is said by the next job's wait, the main thread's error
   * having come first.
   */
  private afterWorker(error: unknown): unknown {
    try {
      this.pool!.wait(0);
    } catch {
      // The main thread's error came first.
    }
    return error;
  }

  /** The row where a dense step of `s` at `batch` is cut between the two threads ([DENSE_STEP]), or 0 where it is not taken. */
  private halfStepRow(s: DenseStepTensors<WasmTensor>, batch: number): number {
    if (!this.pool || this.threads !== 2 || batch < this.threads * this.minRows) return 0;
    const sizes = s.sizes;
    const L = sizes.length - 1;
    if (L < 1 || halfStepCalls(L) > MAX_CALLS) return 0;
    const h = this.exports.dense_weights_fold_row(batch);
    if (h === 0 || h !== this.rowStart(1, batch)) return 0;
    for (let l = 0; l < L - 1; l++) if (ACTIVATION_FWD.get(s.activationFunctions[l]) === undefined) return 0;
    // MSE's gradient goes through the output's elementwise derivative; the other losses' kernels take softmax's or any elementwise output as one thread's do.
    const output = s.activationFunctions[L - 1];
    if (ACTIVATION_FWD.get(output) === undefined && (s.loss === 'mse' || output !== 'softmax')) return 0;
    for (let l = 0; l < L; l++) if (this.splitSized(batch, sizes[l], sizes[l + 1])) return h;
    return 0;
  }

  /**
   * A layer's two backward products at once. On two threads from weightsFoldRow's batch, where they
   * would pair (below), one job: each thread ∂W's part over its rows (foldRows) and ∂input of its
   * rows, the rows its forward computed and its activation's backward pass reads next; then the
   * worker's part of ∂W is added. Below that batch the worker computes ∂W, whole, while the main
   * thread computes ∂input: each the one-thread kernel on whole tensors, so bit for bit as one
   * thread, with no split's hand-offs inside a product and no thread packing what the other packs.
   * On more threads, products large enough to split are split one after the other across all of them.
   */
  override denseBackwardWeightsAndInput(dw: WasmTensor, da: WasmTensor, dz: WasmTensor, a: WasmTensor, w: WasmTensor, batch: number, nIn: number, nOut: number, accumulate = true): void {
    const h = this.foldRows(batch, nIn, nOut, this.splitSized(batch, nIn, nOut) || this.pairSized(batch, nIn, nOut));
    const add = accumulate ? 1 : 0;
    if (h > 0) {
      const pool = this.pool!;
      this.splitProducts++; // ∂input, split by the same rows (foldRows counted ∂W)
      this.postWeightRows(0, dz, a, batch, nIn, nOut, h);
      pool.setCall(0, 1, BWD_INPUT, da.ptr + h * nIn * F32, dz.ptr + h * nOut * F32, w.ptr, this.scratches[1].ptr, batch - h, nIn, nOut);
      pool.post(0, 2);
      this.module.f32_dense_bwd_weights_rows(dw.ptr, dz.ptr, a.ptr, this.scratches[0].ptr, h, nIn, nOut, add);
      this.module.f32_dense_bwd_input(da.ptr, dz.ptr, w.ptr, this.scratches[0].ptr, h, nIn, nOut);
      pool.wait(0);
      this.addPartial(dw, this.partial, nOut * nIn);
      return;
    }
    if (!this.pairs(batch, nIn, nOut)) return super.denseBackwardWeightsAndInput(dw, da, dz, a, w, batch, nIn, nOut, accumulate);
    const pool = this.pool!;
    pool.setCall(0, 0, BWD_WEIGHT_COLUMNS, dw.ptr, dz.ptr, a.ptr, this.scratches[1].ptr, batch, nIn, nOut, nIn, add);
    pool.post(0, 1);
    this.module.f32_dense_bwd_input(da.ptr, dz.ptr, w.ptr, this.scratches[0].ptr, batch, nIn, nOut);
    pool.wait(0);
  }

  /**
   * Whether denseBackwardWeightsAndInput runs its two products at once, after making the scratches
   * large enough: on two threads, for products a split would take (the worker is at work in the
   * step), and for smaller ones of at least MIN_PAIRED_FLOPS each while the worker is awake (waking
   * it costs tens of µs); on more threads, only for products too small to split.
   */
  private pairs(batch: number, nIn: number, nOut: number): boolean {
    if (!this.pool) return false;
    if (this.splitSized(batch, nIn, nOut) ? this.threads > 2 : !this.pairSized(batch, nIn, nOut)) return false;
    this.pairedProducts++;
    this.growScratches(batch, nIn, nOut);
    return true;
  }

  /**
   * Claims a forward product too small to split (minFlops) for a split by rows all the same: counts
   * the split (splitProducts) and makes the scratches large enough, and returns true; returns false,
   * changing nothing, where it does not split. It splits on two threads, with minRows rows for each,
   * where it would pair (pairSized: the worker awake, at least MIN_PAIRED_FLOPS). Inside a step its input rows are
   * the previous layer's split activations, each thread's in its own core's cache, and its output
   * rows are read next by the split backward job of the same rows: on the main thread alone it read
   * the worker's rows and wrote every row of its z. The output layer of [784,100,100,10] at batch
   * 256 (100→10, 0.5 Mflop): with the backward passes split as well (MIN_SPLIT_PASS), the two-thread
   * inner step's p10 1,128 µs against main's 1,144, 1,135 against 1,148, 1,122 and 1,129 against
   * 1,139 (main against a second copy of it: 1,139 and 1,138, 1,139 and 1,140), 1,129 against 1,143,
   * and 1,015 against 1,024 in a quiet minute; in one disturbed run (one-thread medians 2,470–2,611
   * against p10s of ~1,995) 1,292 against 1,271, medians 1,586 against 1,600 (bench/ab-trees-threads.ts,
   * 250–300 blocks, both orders; AMD EPYC Zen 5, 2026-12-05 05:56–06:15, load 2.2–6.1). This forward
   * split alone gave about half of it (1,017 against 1,024, 1,136 against 1,143).
   */
  private claimSplitBeside(batch: number, nIn: number, nOut: number): boolean {
    if (this.threads !== 2 || batch < this.threads * this.minRows || !this.pairSized(batch, nIn, nOut)) return false;
    this.splitProducts++;
    this.growScratches(batch, nIn, nOut);
    return true;
  }

  /** Whether products too small to split are large enough to run beside each other on an awake worker (MIN_PAIRED_FLOPS). */
  private pairSized(batch: number, nIn: number, nOut: number): boolean {
    return 2 * batch * nIn * nOut >= MIN_PAIRED_FLOPS && this.pool !== null && this.pool.isAwake(0);
  }
}
