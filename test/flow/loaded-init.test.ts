/**
 * A network loaded from a file that records how its weights were drawn (every format gradscope
 * writes and reads back: JSON, binary, safetensors, tfjs) is traced with that init, so diagnose()
 * gives it the very init remedy the network that was saved gets. A file that records none (written
 * before the record, or by PyTorch) leaves the trace's TraceRun.init absent, and diagnose() does not
 * suggest an initialiser as if the network were known not to use it: the remedy says the init is
 * unknown. Real runs on the digits (loadMnist's), seed 1.
 */
import { beforeAll, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/mnist.js';
import { createNetwork, Network } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { firstRows } from '../../src/studies/depth.js';
import { modelOf, networkFromModel } from '../../src/io/model-data.js';
import { checkpointOf, decodeCheckpoint, encodeCheckpoint, networkFromCheckpoint } from '../../src/io/checkpoint.js';
import { readSafetensors, toSafetensors } from '../../src/io/safetensors.js';
import { fromTfjsLayers, toTfjsLayers } from '../../src/io/tfjs-layers.js';
import type { Trace } from '../../src/flow/trace.js';
import { quoteOn } from '../util/page-quotes.js';

type Rows = ReturnType<typeof firstRows>;
let digits: Rows;

beforeAll(async () => {
  const { train } = await loadMnist();
  digits = firstRows(train.x, train.y, 1000);
});

const UNKNOWN = " This trace does not record how the network's weights were drawn (a network loaded from a file, say): if they were drawn by 'he-normal' already, this remedy is not new to it.";
const OPTIONS = { epochs: 2, batchSize: 16, learningRate: 0.5, trace: { every: 2 } } as const;

/** `net` trained as every network here is, its trace kept and the network freed. */
function trained(net: Network): Trace {
  net.train(digits.x, digits.y, OPTIONS);
  const trace = net.trace!;
  net.dispose();
  return trace;
}

const initRemedy = (trace: Trace) => diagnose(trace).remedies.find((r) => r.option === "init: 'he-normal'");

it("a loaded network's init remedy is the saved one's where its file records the init, and says the init is unknown where it does not", async () => {
  const created = await createNetwork({ sizes: [784, 30, 30, 10], activation: 'relu', seed: 1 });
  const { modelJson, weightData } = toTfjsLayers(created);
  const recordedIn: Record<string, Network> = {
    'JSON model': await Network.fromJSON(created.toJSON(), { seed: 1 }),
    'binary checkpoint': await networkFromCheckpoint(decodeCheckpoint(encodeCheckpoint(checkpointOf(created)))),
    safetensors: await networkFromModel(readSafetensors(toSafetensors(created)), { seed: 1 }),
    tfjs: await networkFromModel(fromTfjsLayers(JSON.parse(JSON.stringify(modelJson)), weightData), { seed: 1 }),
  };
  const { initialisation, ...unrecorded } = modelOf(created); // as a file written before the record, or by PyTorch, holds it
  expect(initialisation).toEqual({ init: 'standard', biasInit: 'zero' });
  const loadedUnrecorded = await networkFromModel(unrecorded, { seed: 1 });
  const fromCreated = trained(created);
  const own = initRemedy(fromCreated);
  expect(own?.why).toBeDefined();
  expect(own!.why).not.toContain(UNKNOWN);
  for (const [format, net] of Object.entries(recordedIn)) {
    const trace = trained(net);
    expect([trace.run.init, trace.run.biasInit], format).toEqual(['standard', 'zero']);
    expect(initRemedy(trace)?.why, format).toBe(own!.why);
  }
  const unknownTrace = trained(loadedUnrecorded);
  expect(unknownTrace.run.init).toBeUndefined();
  expect(initRemedy(unknownTrace)?.why).toBe(own!.why + UNKNOWN);
  // As docs/gradient-flow.md quotes it.
  expect(UNKNOWN).toBe(` ${quoteOn('docs/gradient-flow.md', 'This trace does not record')}`);
}, 120_000);

it("weights put into a network by loadState take their own record's init remedy, or the unknown one, not the network's own init's", async () => {
  const source = await createNetwork({ sizes: [784, 30, 30, 10], activation: 'relu', seed: 1 });
  const own = initRemedy(trained(await createNetwork({ sizes: [784, 30, 30, 10], activation: 'relu', seed: 1 })));
  expect(own?.why).toBeDefined();
  // Drawn by He's init, the network gets no he-normal remedy; holding the standard-init weights, it must.
  const heDrawn = () => createNetwork({ sizes: [784, 30, 30, 10], activation: 'relu', init: 'he-normal', seed: 1 });
  const unrecorded = await heDrawn();
  unrecorded.loadState(source.state());
  const recorded = await heDrawn();
  recorded.loadState(source.state(), { initialisation: source.initialisation });
  source.dispose();
  expect(initRemedy(trained(recorded))?.why).toBe(own!.why);
  const unknownTrace = trained(unrecorded);
  expect(unknownTrace.run.init).toBeUndefined();
  expect(initRemedy(unknownTrace)?.why).toBe(own!.why + UNKNOWN);
}, 120_000);
