/**
 * study --model of a model `gradscope train` made with --norm or --residual-gate: its remedies' train lines carry the flags
 * that made it, where every one said "gradscope train cannot make this network: its layers are layer specs" (cli44). The
 * flags are found by making each --norm and --residual-gate with applyLayersChange, as train does, and comparing the specs
 * (trainMadeLayers); a block network of specs train does not make still gets the library's options, saying so.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import { parseArgs } from '../../src/cli/command.js';
import { studyModelCommand } from '../../src/cli/commands/study-model.js';
import { trainCommand } from '../../src/cli/commands/train.js';
import { trainMadeLayers } from '../../src/cli/layers-change-flags.js';
import { remedyTerms } from '../../src/cli/remedy-terms.js';
import { studyModelRun } from '../../src/cli/run-command-line.js';
import { remedyLines, type Remedy } from '../../src/flow/remedy.js';
import { Trace, type TraceJSON } from '../../src/flow/trace.js';
import { runCliInProcess } from '../util/cli.js';
import { writeStudyModelFiles } from '../util/study-model-files.js';

/** The words of a printed line, unquoted as a shell reads single quotes (the only quoting shellWord writes). */
const shellWords = (line: string) => [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replaceAll("'\\''", "'") : m[2]));

/** A remedy that changes the network (so its line is train's, not the rerun's). */
const HE: Pick<Remedy, 'settings'> = { settings: [{ option: 'init', value: "'he-normal'", flagValue: 'he-normal', setting: 'he-normal' }] };

describe('study --model of a network train made with --norm or --residual-gate', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'gradscope-train-made-'));
  const files = await writeStudyModelFiles(folder, 61);
  files.net.dispose();
  const training = ['--data', files.dataPath, '--epochs', '1', '--batch-size', '10'];
  const layersOf = (path: string) => (JSON.parse(readFileSync(path, 'utf8')) as { layers: unknown }).layers;

  it.each([[['--norm', 'batch-norm']], [['--norm', 'layer-norm']], [['--residual-gate', 'rezero']], [['--norm', 'layer-norm', '--residual-gate', 'none']]])(
    'train %j: the remedies\' train line carries those flags, and run as printed it makes the same layers',
    async (made) => {
      const modelPath = join(folder, `made${made.join('')}.json`);
      const trained = await runCliInProcess(['train', '--layers', '6,8,8,2', '--activation', 'tanh', ...made, ...training, '--out', modelPath]);
      expect(trained.code, trained.stderr).toBe(0);
      const studied = await runCliInProcess(['study', '--model', modelPath, ...training, '--json']);
      expect(studied.code, studied.stderr).toBe(0);
      const trace = Trace.fromJSON((JSON.parse(studied.stdout) as { trace: TraceJSON }).trace);
      expect(trace.blocks, 'a block network').toBeDefined();
      const model = await Network.fromJSON(JSON.parse(readFileSync(modelPath, 'utf8')), { backend: 'ref' });
      const args = parseArgs(studyModelCommand, ['--model', modelPath, ...training]);
      const [line] = remedyLines(HE, remedyTerms(studyModelRun(studyModelCommand, args, trace, modelPath, undefined, model.layers), undefined));
      model.dispose();
      const words = shellWords(line);
      expect(words.slice(0, 2), line).toEqual(['gradscope', 'train']);
      const flags = parseArgs(trainCommand, words.slice(2)).flags;
      for (let i = 0; i < made.length; i += 2) expect(flags.get(made[i].slice(2)), line).toBe(made[i + 1]);
      expect([flags.get('layers'), flags.get('activation'), flags.get('init')]).toEqual(['6,8,8,2', 'tanh', 'he-normal']);
      const remade = await runCliInProcess(words.slice(1));
      expect(remade.code, remade.stderr).toBe(0);
      expect(layersOf(String(flags.get('out')))).toEqual(layersOf(modelPath));
    },
    120_000,
  );

  it("says a block network of specs train does not make by the library's options, naming the flags that do not make it", async () => {
    const specs = [{ type: 'dense', units: 8 }, { type: 'batch-norm', epsilon: 1e-3 }, { type: 'activation', activation: 'tanh' }, { type: 'dense', units: 2, activation: 'softmax' }] as const;
    const own = await createNetwork({ inputs: 6, layers: [...specs], loss: 'cross-entropy', backend: 'ref' });
    // train's --norm batch-norm makes the same layers but for batch norm's epsilon: no flag gives it.
    expect(trainMadeLayers(6, own.layers, 'cross-entropy')).toBeUndefined();
    const madeByFlag = await createNetwork({ inputs: 6, layers: [{ ...specs[0] }, { type: 'batch-norm' }, specs[2], specs[3]], loss: 'cross-entropy', backend: 'ref' });
    expect(trainMadeLayers(6, madeByFlag.layers, 'cross-entropy')).toEqual({ sizes: [6, 8, 2], activation: 'tanh', output: 'softmax', change: { norm: 'batch-norm' } });
    const trace = new Trace({ sizes: [6, 8, 8, 8, 2], activations: ['linear', 'linear', 'tanh', 'softmax'], loss: 'cross-entropy', every: 1, blocks: { layers: [{ name: '0', type: 'dense' }, { name: '1', type: 'batch-norm' }, { name: '2', type: 'activation' }, { name: '3', type: 'dense' }], residuals: [] } });
    const args = parseArgs(studyModelCommand, ['--model', 'own.json', ...training]);
    expect(studyModelRun(studyModelCommand, args, trace, 'own.json', undefined, own.layers).train).toEqual({
      cannot: "gradscope train cannot make this network: its layers are layer specs ('dense', 'batch-norm', 'activation'), which --layers and --norm or --residual-gate do not make",
    });
    own.dispose();
    madeByFlag.dispose();
  });
});
