/**
 * A network loaded from a file carries no record of how its weights were drawn (its trace's
 * TraceRun.init is absent), so diagnose() does not suggest an initialiser as if the network were
 * known not to use it: the remedy says the init is unknown. The same weights created here are
 * diagnosed without that clause. Real runs on the digits (loadMnist's), seed 1.
 */
import { beforeAll, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/mnist.js';
import { createNetwork, Network } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { firstRows } from '../../src/studies/depth.js';

type Rows = ReturnType<typeof firstRows>;
let digits: Rows;

beforeAll(async () => {
  const { train } = await loadMnist();
  digits = firstRows(train.x, train.y, 1000);
});

const UNKNOWN = " This trace does not record how the network's weights were drawn (a network loaded from a file, say): if they were drawn by 'he-normal' already, this remedy is not new to it.";

it("a loaded network's init remedy says its init is unknown; the created one's does not", async () => {
  const options = { epochs: 2, batchSize: 16, learningRate: 0.5, trace: { every: 2 } } as const;
  const created = await createNetwork({ sizes: [784, 30, 30, 10], activation: 'relu', seed: 1 });
  const loaded = await Network.fromJSON(created.toJSON(), { seed: 1 });
  created.train(digits.x, digits.y, options);
  loaded.train(digits.x, digits.y, options);
  const [fromCreated, fromLoaded] = [created.trace!, loaded.trace!];
  created.dispose();
  loaded.dispose();
  expect([fromCreated.run.init, fromLoaded.run.init]).toEqual(['standard', undefined]);
  const initRemedy = (trace: typeof fromCreated) => diagnose(trace).remedies.find((r) => r.option === "init: 'he-normal'");
  const [own, unknown] = [initRemedy(fromCreated), initRemedy(fromLoaded)];
  expect(own?.why).toBeDefined();
  expect(own!.why).not.toContain(UNKNOWN);
  expect(unknown?.why).toBe(own!.why + UNKNOWN);
}, 60_000);
