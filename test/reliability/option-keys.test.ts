// A misspelt option is refused, never dropped: every export that takes an options object names an
// unknown key (with "did you mean" when one is close) before it does any work, as createNetwork,
// train and the optimisers do. (createNetwork, train, createDataset, layerOutputs, initLsuv,
// predict, the optimisers and the trace have their own tests.)
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/node.js';
import { runBudgetSweep } from '../../src/studies/trainable-depth-budget.js';
import { expectError } from '../util/expect-error.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-option-keys-'));

describe('misspelt options are refused by name', async () => {
  const net = await api.createNetwork({ sizes: [2, 3, 2], seed: 1, backend: 'ref' });
  const x = [[0.1, 0.2], [0.3, -0.4]];
  const y = [[1, 0], [0, 1]];
  const saved = join(folder, 'net.gsc');
  await api.saveModel(net, saved);
  net.train(x, y, { epochs: 2, batchSize: 2, trace: { every: 1 } });
  const safetensors = api.toSafetensors(net);
  const blocks = api.blockModelToSafetensors(api.blockModelOf(net));
  const { modelJson, weightData } = api.toTfjsLayers(net);
  const operator = (out: Float64Array, v: Float64Array) => out.set(v);

  const cases: [string, () => unknown, string, string?][] = [
    ['saveModel', () => api.saveModel(net, join(folder, 'q.gsc'), { fromat: 'json' } as never), 'fromat', 'format'],
    ['loadMnist', () => api.loadMnist({ trian: 5 } as never), 'trian', 'train'],
    ['loadModel', () => api.loadModel(saved, { sed: 2 } as never), 'sed', 'seed'],
    ['loadCheckpoint', () => api.loadCheckpoint(saved, { bakend: 'ref' } as never), 'bakend', 'backend'],
    ['readModelFile', () => api.readModelFile(saved, { formt: 'gradscope' } as never), 'formt', 'format'],
    ['networkFromModel', () => api.networkFromModel(api.modelOf(net), { bakend: 'ref' } as never), 'bakend', 'backend'],
    ['networkFromBlockModel', () => api.networkFromBlockModel(api.blockModelOf(net), { sed: 1 } as never), 'sed', 'seed'],
    ['networkFromCheckpoint', () => api.networkFromCheckpoint(api.checkpointOf(net), { bakend: 'ref' } as never), 'bakend', 'backend'],
    ['Network.fromJSON', () => api.Network.fromJSON(net.toJSON(), { sed: 1 } as never), 'sed', 'seed'],
    ['measureCurvature', () => api.measureCurvature(net, x, y, { kk: 1 } as never), 'kk', 'k'],
    ['jacobianSpectrum', () => api.jacobianSpectrum(net, x, { example: 1 } as never), 'example', 'examples'],
    ['lanczos', () => api.lanczos(operator, 3, { maxStep: 2 } as never), 'maxStep', 'maxSteps'],
    ['traceOf', () => api.traceOf(operator, 3, [], { probe: 2 } as never), 'probe', 'probes'],
    ['fromSafetensors', () => api.fromSafetensors(safetensors, { layer: ['0'] } as never), 'layer', 'layers'],
    ['blockModelFromSafetensors', () => api.blockModelFromSafetensors(blocks, { los: 'mse' } as never), 'los', 'loss'],
    ['fromTfjsLayers', () => api.fromTfjsLayers(modelJson, weightData, { los: 'mse' } as never), 'los', 'loss'],
    ['createRefKernels', () => api.createRefKernels({ precison: 'f32' } as never), 'precison', 'precision'],
    ['createWasmKernels', () => api.createWasmKernels({ varient: 'scalar' } as never), 'varient', 'variant'],
    ['createThreadedWasmKernels', () => api.createThreadedWasmKernels({ thread: 2 } as never), 'thread', 'threads'],
    ['diagnose', () => api.diagnose(net.trace!, { curvatur: undefined } as never), 'curvatur', 'curvature'],
    ['runDepthStudy', () => api.runDepthStudy({ seed: 1 } as never), 'seed', 'seeds'],
    ['runActivationStudy', () => api.runActivationStudy({ widht: 8 } as never), 'widht', 'width'],
    ['runRemediesStudy', () => api.runRemediesStudy({ second: 1 } as never), 'second', 'seconds'],
    ['runAutoencoderStudy', () => api.runAutoencoderStudy({ point: 2 } as never), 'point', 'points'],
    ['runTrainableDepthStudy', () => api.runTrainableDepthStudy({ depth: [2] } as never), 'depth', 'depths'],
    // It took any key: a misspelt one ran the default (curvatureof: 'loss' measured the objective).
    ['runPlateauStudy', () => api.runPlateauStudy({ curvatureof: 'loss' } as never), 'curvatureof', 'curvatureOf'],
    ['runPaperExperiments', () => api.runPaperExperiments({ budjet: 1 } as never), 'budjet', 'budget'],
    // The CLI's budget sweep (not exported): it took any key (a misspelt budgets ran the default 64×).
    ['runBudgetSweep', () => runBudgetSweep({ budget: [1] } as never), 'budget', 'budgets'],
  ];

  it.each(cases)('%s', async (name, call, key, suggestion) => {
    const error = await expectError(call, 'INVALID_OPTION', new RegExp(`unknown option '${key}'`));
    if (suggestion) expect(error.message).toContain(`did you mean '${suggestion}'?`);
    expect(error.message.startsWith(name.replace('Network.', '') + ':') || error.message.startsWith(name), error.message).toBe(true);
  });

  it("saveModel's misspelt format writes nothing (it wrote binary), and loadMnist refuses a string for its options", async () => {
    expect(existsSync(join(folder, 'q.gsc'))).toBe(false);
    await expectError(() => api.loadMnist('x' as never), 'INVALID_OPTION', /^loadMnist: expected an options object, got "x"$/);
  });
});
