/**
 * A saved trace's counts are held to the bounds a run keeps (src/run-counts.ts), written once for
 * train(), the trace options and Trace.fromJSON: steps, epochs, batches and the interval within
 * 2⁵³ − 1, a batch size that fits a tensor in the widest layer, and no TraceRun field no run writes.
 * Each beyond was read as if a run had recorded it (steps [1e300], every 1e300, run.epochs −5).
 */
import { describe, expect, it } from 'vitest';
import { Trace, type TraceJSON } from '../../src/flow/trace.js';
import { createNetwork } from '../../src/api/network.js';
import { expectError } from '../util/expect-error.js';
import { quoteOn } from '../util/page-quotes.js';

const x = [[0, 1], [1, 0], [1, 1], [0, 0]];
const y = [[1, 0], [0, 1], [1, 0], [0, 1]];
const COUNT = /must be a whole number from \d to 9,007,199,254,740,991 \(2⁵³ − 1, the largest whole number a float64 counts exactly\)/;

async function saved(): Promise<TraceJSON> {
  const net = await createNetwork({ sizes: [2, 3, 2], activation: 'relu', output: 'softmax', backend: 'ref', seed: 1 });
  net.train(x, y, { epochs: 2, batchSize: 2, learningRate: 0.1, trace: { every: 1 } });
  const json = JSON.parse(JSON.stringify(net.trace!.toJSON())) as TraceJSON;
  net.dispose();
  return json;
}

describe("a saved trace's counts", () => {
  it('are refused beyond the bounds a run keeps, naming the field', async () => {
    const json = await saved();
    const cases: [(j: any) => void, RegExp][] = [
      [(j) => (j.steps[0] = 1e300), /^trace JSON: steps\[0\] must be a whole number from 0 to .*got 1e\+300$/],
      [(j) => (j.steps[1] = 2 ** 53), /^trace JSON: steps\[1\] must be .*got 9007199254740992$/],
      [(j) => (j.epochs[0].epoch = 1e300), /^trace JSON: epochs\[0\]\.epoch must be .*got 1e\+300$/],
      [(j) => (j.epochs[1].step = 1e300), /^trace JSON: epochs\[1\]\.step must be .*got 1e\+300$/],
      [(j) => (j.epochs[0].batches = 1e300), /^trace JSON: epochs\[0\]\.batches, .* must be .*got 1e\+300$/],
      [(j) => (j.epochs[0].skipped = 1e300), /^trace JSON: epochs\[0\]\.skipped, .* must be .*got 1e\+300$/],
      [(j) => (j.histograms[0].step = 1e300), /^trace JSON: histograms\[0\]\.step must be .*got 1e\+300$/],
      [(j) => (j.every = 1e300), /^trace JSON: every must be a whole number from 1 to .*got 1e\+300$/],
      // Widest layer 3 units: 2^30 / 3 rows at most.
      [(j) => (j.run.batchSize = 1e300), /^trace JSON: run\.batchSize: at most 357,913,941 \(a batch of the widest layer's 3 units is one tensor of at most 2\^30 values\), got 1e\+300$/],
      [(j) => (j.run.batchSize = 357_913_942), /^trace JSON: run\.batchSize: at most 357,913,941 .*got 357913942$/],
      [(j) => (j.run.epochs = -5), /^trace JSON: run: unknown field 'epochs' \(known: optimizer, .*\); no run writes it, and gradscope will not keep it silently$/],
    ];
    for (const [change, message] of cases) {
      const file = structuredClone(json);
      change(file);
      await expectError(() => Trace.fromJSON(file), 'INVALID_OPTION', message);
    }
    // The three docs/gradient-flow.md quotes (the whole message, or the part it quotes).
    const refusal = async (change: (j: any) => void) => {
      const file = structuredClone(json);
      change(file);
      return (await expectError(() => Trace.fromJSON(file), 'INVALID_OPTION', /./)).message;
    };
    expect(await refusal(cases[0][0])).toBe(quoteOn('docs/gradient-flow.md', 'trace JSON: steps[0]'));
    expect(await refusal(cases[8][0])).toBe(`trace JSON: ${quoteOn('docs/gradient-flow.md', 'run.batchSize: at most')}`);
    expect(await refusal(cases[10][0])).toContain(quoteOn('docs/gradient-flow.md', 'run: unknown field'));
    for (const [change] of cases.slice(0, 7)) {
      const file = structuredClone(json);
      change(file);
      await expectError(() => Trace.fromJSON(file), 'INVALID_OPTION', COUNT);
    }
  });

  it('at their bounds read back', async () => {
    const file = structuredClone(await saved()) as any;
    file.steps[file.steps.length - 1] = Number.MAX_SAFE_INTEGER;
    file.every = Number.MAX_SAFE_INTEGER;
    file.run.batchSize = 357_913_941;
    // A batch is at most the rows train() was given (run.rows), which are a count too.
    file.run.rows = Number.MAX_SAFE_INTEGER;
    const back = Trace.fromJSON(file);
    expect(back.steps[back.length - 1]).toBe(Number.MAX_SAFE_INTEGER);
    expect([back.run.batchSize, back.run.rows]).toEqual([357_913_941, Number.MAX_SAFE_INTEGER]);
  });

  it("train()'s epochs and trace.every, extraSteps and histogramSteps share the bound", async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], backend: 'ref', seed: 1 });
    const before = net.step;
    // maxSeconds bounds the run should the bound ever go: 1e300 epochs were taken, and trained until stopped.
    await expectError(() => net.train(x, y, { epochs: 1e300, maxSeconds: 0.2 }), 'INVALID_OPTION', /^epochs: at most 9,007,199,254,740,991 \(2⁵³ − 1, .*\), got 1e\+300$/);
    await expectError(() => net.train(x, y, { trace: { every: 2 ** 53 } }), 'INVALID_OPTION', /^trace\.every: at most 9,007,199,254,740,991 .*got 9007199254740992$/);
    await expectError(() => net.train(x, y, { trace: { histogramSteps: [1e300] } }), 'INVALID_OPTION', /^trace\.histogramSteps: expected an array of step numbers, each a whole number from 1 to 9,007,199,254,740,991 .*got \[1e\+300\]$/);
    await expectError(() => net.train(x, y, { trace: { extraSteps: [1e300] } }), 'INVALID_OPTION', /^trace\.extraSteps: expected an array of step numbers, each a whole number from 1 to 9,007,199,254,740,991 .*got \[1e\+300\]$/);
    // A hole is no step number (Array.prototype.some would pass over it).
    await expectError(() => net.train(x, y, { trace: { extraSteps: [1, , 3] as never } }), 'INVALID_OPTION', /^trace\.extraSteps: expected an array of step numbers/);
    expect(net.step).toBe(before);
    net.dispose();
  });
});
