// docs/api.md's "Resuming from a checkpoint" quotes the messages a restore and a checkpoint reader refuse with;
// each is read from the page (codeQuoteOn; test/docs/page-quotes walks the section) and the call that prints it is
// made here (truth38's audit: test/io/checkpoint-setting-ranges and test/optim/restore-advice held them, not read
// from the page). A "…" in a quote stands for what the page leaves out.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { GradscopeError } from '../../src/errors.js';
import { checkpointFileOf, checkpointFromJSON, checkpointOf, restoreOptimizer } from '../../src/io/checkpoint.js';
import { OptimizerStateRefused } from '../../src/io/optimizer-state-refused.js';
import { copiedNumbers } from '../../src/network/file-numbers.js';
import { createOptimizer } from '../../src/optim/index.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';

const NET = { sizes: [3, 4, 2], activation: 'tanh', output: 'softmax', backend: 'ref', seed: 7 } as const;
const x = [Float32Array.of(0.1, -0.4, 0.9), Float32Array.of(0.7, 0.2, -0.3)];
const y = [Float32Array.of(1, 0), Float32Array.of(0, 1)];

/** The error `call` throws, as `CODE: message` (a GradscopeError, or the test fails). */
function refusal(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(GradscopeError);
    return `${(error as GradscopeError).code}: ${(error as GradscopeError).message}`;
  }
  throw new Error('no error was thrown');
}

/** A network trained two steps by optimiser `spec`, and that optimiser. */
async function trained(spec: { name: string } & Record<string, unknown>) {
  const net = await createNetwork(NET);
  const optimizer = createOptimizer(net, spec as never);
  net.train(x, y, { epochs: 2, batchSize: 2, optimizer });
  return { net, optimizer };
}

/** A checkpoint file's JSON text of optimiser `spec`'s state, with `scalars` changed (as a damaged file holds them). */
async function fileWith(spec: { name: string } & Record<string, unknown>, scalars: Record<string, number>): Promise<string> {
  const { net, optimizer } = await trained(spec);
  const file = checkpointFileOf(checkpointOf(net, optimizer), copiedNumbers);
  net.dispose();
  file.training.optimizer!.scalars = { ...file.training.optimizer!.scalars, ...scalars };
  return JSON.stringify(file);
}

describe("docs/api.md's restore and checkpoint messages are what the code prints", () => {
  it("restoreOptimizer's and restore's refusals: another kind's state, other settings, a damaged state", async () => {
    const { net, optimizer: sgd } = await trained({ name: 'sgd' });
    const adam = createOptimizer(net, 'adam');
    expect(refusal(() => restoreOptimizer(adam, sgd.state()))).toBe(`INVALID_OPTION: ${codeQuoteOn('docs/api.md', "adam: restore: the state is 'sgd' state")}`);
    expect(refusal(() => adam.restore(sgd.state()))).toMatch(new RegExp(`${quotePattern(codeQuoteOn('docs/api.md', "only an optimiser named 'sgd'")).source}$`));
    net.dispose();

    const saved = await trained({ name: 'adam', beta2: 0.99 });
    expect(refusal(() => restoreOptimizer(createOptimizer(saved.net, 'adam'), saved.optimizer.state()))).toBe(codeQuoteOn('docs/api.md', 'INVALID_OPTION: adam: restore: the state was saved with beta2'));
    saved.net.dispose();

    const lbfgs = await trained({ name: 'lbfgs', memory: 2 });
    const state = lbfgs.optimizer.state();
    expect(state.scalars.pairs).toBe(2);
    const damaged = { ...state, scalars: { ...state.scalars, memory: 1 } };
    expect(refusal(() => restoreOptimizer(createOptimizer(lbfgs.net, { name: 'lbfgs', memory: 2 } as never), damaged))).toBe(`INVALID_OPTION: ${codeQuoteOn('docs/api.md', 'lbfgs: restore: scalars.pairs 2 and')}`);
    lbfgs.net.dispose();
  });

  it('a checkpoint file recording a setting or a state no optimiser of its kind takes, refused where it is read', async () => {
    // The state's refusal (OptimizerStateRefused.refusal), which the message follows with how to read the network alone.
    const read = async (spec: { name: string } & Record<string, unknown>, scalars: Record<string, number>) => {
      let error: unknown;
      try {
        checkpointFromJSON(await fileWith(spec, scalars));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(OptimizerStateRefused);
      const { code, refusal: words, message } = error as OptimizerStateRefused;
      expect(message).toBe(`${words}; the network's weights, step and RNG state read whole: checkpointFromJSON(json, { skipOptimizer: true }) reads them without the optimiser state`);
      return `${code}: ${words}`;
    };
    expect(await read({ name: 'adam' }, { beta1: 1.5 })).toBe(`BAD_MODEL_FILE: ${codeQuoteOn('docs/api.md', 'training.optimizer.scalars.beta1')}`);
    expect(await read({ name: 'adam' }, { step: -3 })).toMatch(quotePattern(codeQuoteOn('docs/api.md', 'training.optimizer.scalars.step')));
    expect(await read({ name: 'lbfgs', memory: 2 }, { pairs: 3 })).toBe(`BAD_MODEL_FILE: ${codeQuoteOn('docs/api.md', 'training.optimizer.scalars.pairs')}`);
    expect(await read({ name: 'lbfgs', c1: 0.5, c2: 0.6 }, { c1: 0.95, c2: 0.5 })).toBe(`BAD_MODEL_FILE: ${codeQuoteOn('docs/api.md', 'training.optimizer.scalars: c1 0.95')}`);
  });
});
