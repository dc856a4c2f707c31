// docs/api.md quotes the refusals of a block network's dense-only tools, of a dataset given where it
// does not belong and of model files a reader refuses: each is read from the page (codeQuoteOn;
// test/docs/page-quotes walks the page) and the call that prints it is made here, so that neither the
// page nor the code can change it alone. A "…" in a quote stands for what the page leaves out; the
// quotes that start with a code say it as `CODE: message`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDataset } from '../../src/api/dataset.js';
import { jacobianSpectrum } from '../../src/curvature/jacobian.js';
import { GradscopeError } from '../../src/errors.js';
import { checkpointBytes, checkpointOf } from '../../src/io/checkpoint.js';
import { loadCheckpoint, loadModel, saveModel } from '../../src/io/files.js';
import { createOptimizer } from '../../src/optim/index.js';
import { LM_MAX_PARAMETERS } from '../../src/optim/levenberg-marquardt.js';
import { networksDisposedAfterAll } from '../util/disposed-networks.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-api-messages-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The refusal `call` throws, as `CODE: message`, the folder's path taken out (the page's paths are relative). */
async function refusal(call: () => unknown): Promise<string> {
  try {
    await call();
  } catch (error) {
    expect(error).toBeInstanceOf(GradscopeError);
    return `${(error as GradscopeError).code}: ${(error as GradscopeError).message.replaceAll(`${folder}/`, '')}`;
  }
  throw new Error('no error was thrown');
}

const made = networksDisposedAfterAll();

const x = [[0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1]];
const y = [[1, 0], [0, 1]];

describe("docs/api.md's quoted refusals are what the code prints", () => {
  it("a block network's refusals of the tools for dense chains: batch norm at layers[1]", async () => {
    // Least squares, which levenberg-marquardt (in the quote's list) trains: it is offered to no cross-entropy network.
    const net = await made({ inputs: 4, layers: [{ type: 'dense', units: 3 }, { type: 'batch-norm' }, { type: 'activation', activation: 'tanh' }, { type: 'dense', units: 2 }], loss: 'mse', seed: 1 });
    expect(await refusal(() => jacobianSpectrum(net, x))).toMatch(quotePattern(codeQuoteOn('docs/api.md', 'jacobianSpectrum supports')));
    expect(await refusal(() => net.train(x, y, { optimizer: 'kfac' }))).toMatch(quotePattern(codeQuoteOn('docs/api.md', "optimizer: 'kfac' trains")));
  });

  it("K-FAC's refusal offers levenberg-marquardt only where it trains: not to a cross-entropy network, nor past its parameter count", async () => {
    const offered = quotePattern(codeQuoteOn('docs/api.md', '… use one that trains any layer'));
    const layers = (units: number, activation: 'softmax' | 'linear') => [{ type: 'dense', units }, { type: 'batch-norm' }, { type: 'activation', activation: 'tanh' }, { type: 'dense', units: 2, activation }] as const;
    const crossEntropy = await made({ inputs: 4, layers: layers(3, 'softmax'), loss: 'cross-entropy', seed: 1 });
    expect(await refusal(() => crossEntropy.train(x, y, { optimizer: 'kfac' }))).toMatch(offered);
    const large = await made({ inputs: 4, layers: layers(2000, 'linear'), loss: 'mse', seed: 1 });
    expect(large.parameterCount).toBeGreaterThan(LM_MAX_PARAMETERS);
    expect(await refusal(() => large.train(x, y, { optimizer: 'kfac' }))).toMatch(offered);
  });

  it("a dataset in another backend's memory, and targets given beside a dataset", async () => {
    const net = await made({ sizes: [4, 3, 2], seed: 1 });
    const elsewhere = await createDataset(x, y, { backend: 'ref' });
    expect(await refusal(() => net.train(elsewhere))).toMatch(quotePattern(codeQuoteOn('docs/api.md', 'INVALID_OPTION: dataset: its rows')));
    elsewhere.dispose();
    const own = net.dataset(x, y);
    expect(await refusal(() => net.train(own, y as never))).toMatch(quotePattern(codeQuoteOn('docs/api.md', 'SHAPE_MISMATCH: targets: given beside a Dataset')));
    own.dispose();
  });

  it('model files: no loss, an initialiser gradscope does not know, a model file given as a checkpoint, a damaged optimiser state', async () => {
    const net = await made({ sizes: [4, 3, 2], seed: 1, backend: 'ref' });
    // A model file (toJSON()'s): saveModel's JSON is a checkpoint, with a "training" section.
    const file = join(folder, 'm.json');
    writeFileSync(file, JSON.stringify(net.toJSON()));
    expect(await refusal(() => loadCheckpoint(file))).toMatch(quotePattern(codeQuoteOn('docs/api.md', 'BAD_MODEL_FILE: m.json: a model file, not a checkpoint')));
    await saveModel(net, file);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    const { loss: _, ...lossless } = saved;
    writeFileSync(file, JSON.stringify(lossless));
    expect(await refusal(() => loadModel(file))).toMatch(quotePattern(codeQuoteOn('docs/api.md', 'BAD_MODEL_FILE: m.json: loss: missing')));
    writeFileSync(file, JSON.stringify({ ...saved, initialisation: { ...saved.initialisation, init: 'he' } }));
    expect(await refusal(() => loadModel(file))).toMatch(quotePattern(codeQuoteOn('docs/api.md', 'BAD_MODEL_FILE: m.json: initialisation.init')));
    // A checkpoint whose Adam state records beta1 1.5, its network intact.
    const adam = createOptimizer(net, 'adam');
    net.train(x, y, { epochs: 1, optimizer: adam });
    const checkpoint = checkpointOf(net, adam);
    adam.dispose();
    const bin = join(folder, 'm.bin');
    writeFileSync(bin, checkpointBytes({ ...checkpoint, optimizer: { ...checkpoint.optimizer!, scalars: { ...checkpoint.optimizer!.scalars, beta1: 1.5 } } }));
    expect(await refusal(() => loadModel(bin))).toMatch(quotePattern(codeQuoteOn('docs/api.md', 'BAD_MODEL_FILE: m.bin: header.optimizer')));
  });
});
