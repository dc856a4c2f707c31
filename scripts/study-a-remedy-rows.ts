/**
 * docs/studies.md's remedy table, row by row: study (a)'s deepest network trained as the study trains it ([784,30,30,30,30,10]
 * with Nielsen's network ends, DEPTH_NETWORK_OPTIONS; the first 1,000 digits in one batch, η 0.1, L2 λ = 5, 500 epochs, seed 1),
 * then each remedy the diagnosis of that run offers (and its alternative), in the diagnosis' order, applied by its settings' data
 * as a program applies them (scripts/remedy-setups.ts' `applied`: a switch of the optimiser by name runs that optimiser's
 * defaults, without the run's L2) and trained the same way. scripts/study-a-remedies.ts prints the table;
 * test/docs/study-a-remedies-table holds the page's to it.
 */
import { loadMnist, type Rows } from '../src/node.js';
import { createNetwork } from '../src/api/network.js';
import { diagnose, verdictCell, type Diagnosis } from '../src/flow/diagnose.js';
import type { RemedyLayersChange, RemedySetting } from '../src/flow/remedy.js';
import { DEPTH_NETWORK_OPTIONS, DEPTH_NETWORKS, DEPTH_ROWS, DEPTH_TRAINING_SEED, NIELSEN_TRAINING, nielsenTraining } from '../src/studies/depth.js';
import type { RemedyRun } from './remedy-setups.js';

/** The study's run before its seed, and the test digits each row's accuracy is read on (loadMnist's 1,000). */
export interface StudyARun {
  study: RemedyRun;
  test: { x: Rows; y: Rows };
}

/** Study (a)'s deepest network as the study trains it, and the test digits. */
export async function studyARun(): Promise<StudyARun> {
  const { train, test } = await loadMnist({ take: { train: DEPTH_ROWS } });
  const rows = (m: { rows: number; cols: number; data: Float32Array }) => Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  return {
    study: {
      x: rows(train.x as never),
      y: rows(train.y as never),
      net: { sizes: [...DEPTH_NETWORKS.at(-1)!], ...DEPTH_NETWORK_OPTIONS },
      train: { epochs: NIELSEN_TRAINING.epochs, ...nielsenTraining(DEPTH_ROWS), trace: { every: 10 } },
    },
    test: { x: test.x, y: test.y },
  };
}

/** A row's figures as the table prints them: the training loss over the 1,000 digits, the test accuracy, the verdict (both evaluation mode); and the diagnosis. */
export interface RowCells {
  loss: string;
  accuracy: string;
  verdict: string;
  diagnosis: Diagnosis;
}

/** `run` trained from seed 1 (DEPTH_TRAINING_SEED), as the table's rows are: its cells. Throws where training throws. */
export async function rowCells(run: RemedyRun, test: StudyARun['test']): Promise<RowCells> {
  const net = await createNetwork({ ...run.net, seed: DEPTH_TRAINING_SEED });
  try {
    net.train(run.x, run.y, run.train);
    const loss = net.evaluate(run.x, run.y).loss;
    const accuracy = net.evaluate(test.x, test.y).accuracy!;
    const diagnosis = diagnose(net.trace!);
    return { loss: loss.toFixed(4), accuracy: `${(100 * accuracy).toFixed(1)} %`, verdict: verdictCell(diagnosis), diagnosis };
  } finally {
    net.dispose();
  }
}

/** A remedy row of the table: its label in the page's words, the settings its run applies, and the optimiser it switches to, if any. */
export interface RemedyVariant {
  label: string;
  settings: readonly RemedySetting[];
  optimizer?: string;
}

/** Each remedy `diagnosis` offers and its alternative, in its order, as the table's rows. */
export function remedyVariants(diagnosis: Diagnosis): RemedyVariant[] {
  return diagnosis.remedies.flatMap((r) => [variant(r.settings), ...(r.alternative ? [variant(r.alternative, 'its alternative, ')] : [])]);
}

function variant(settings: readonly RemedySetting[], prefix = ''): RemedyVariant {
  const optimizer = settings.map((s) => (s.option === 'optimizer' ? optimizerName(s.setting) : undefined)).find((name) => name !== undefined);
  return { label: prefix + settings.flatMap(settingWords).join(', '), settings, ...(optimizer && { optimizer }) };
}

const optimizerName = (setting: unknown): string | undefined => (typeof setting === 'string' ? setting : (setting as { name?: string } | undefined)?.name);

/** The optimisers as the page names them. */
const OPTIMIZER_WORDS: Readonly<Record<string, string>> = { sgd: 'plain SGD', adam: 'Adam', lars: 'LARS', kfac: 'K-FAC', 'hessian-free': 'Hessian-free' };

/** One setting in the page's words ('learning rate 0.05', 'batch norm after each dense layer'); none for a setting left out. */
function settingWords(s: RemedySetting): string[] {
  if ('setting' in s && s.setting === undefined) return [];
  const value = s.setting;
  switch (s.option) {
    case 'learningRate':
      return [`learning rate ${String(value)}`];
    case 'optimizer': {
      const name = optimizerName(value)!;
      const words = OPTIMIZER_WORDS[name] ?? name;
      return [typeof value === 'object' && value !== null && 'layerRates' in value ? `per-layer rates (${words})` : words];
    }
    case 'layers': {
      const change = value as RemedyLayersChange;
      if (change.norm) return [`${change.norm.replace('-', ' ')} after each dense layer`];
      if (change.residualGate) return [change.residualGate === 'rezero' ? 'ReZero blocks' : 'residual blocks'];
      return [s.value];
    }
    case 'activation':
    case 'init':
      return [String(value ?? s.flagValue)];
    default:
      return [`${s.option} ${s.value}`];
  }
}
