/** The small model and data files study --model tests read: 30 rows of 6 inputs, two classes, a [6, 8, 8, 8, 2] sigmoid/softmax network. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNetwork, type Network } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';

export interface StudyModelFiles {
  inputs: number[][];
  targets: number[][];
  /** The network the model file holds (the caller disposes it). */
  net: Network;
  modelPath: string;
  dataPath: string;
}

/** Writes model.json and data.json into `folder`, the rows drawn from Rng(`seed`). */
export async function writeStudyModelFiles(folder: string, seed: number): Promise<StudyModelFiles> {
  const rng = new Rng(seed);
  const inputs = Array.from({ length: 30 }, () => Array.from({ length: 6 }, () => rng.normal()));
  const targets = inputs.map((row) => (row[0] + row[1] > 0 ? [1, 0] : [0, 1]));
  const net = await createNetwork({ sizes: [6, 8, 8, 8, 2], activation: 'sigmoid', output: 'softmax', seed: 2 });
  const modelPath = join(folder, 'model.json');
  const dataPath = join(folder, 'data.json');
  writeFileSync(modelPath, JSON.stringify(net.toJSON()));
  writeFileSync(dataPath, JSON.stringify({ inputs, targets }));
  return { inputs, targets, net, modelPath, dataPath };
}
