/**
 * study --model's closing lines where its diagnosis asks "minimum, saddle or slope?": the `curvature` line to paste, as the user
 * runs gradscope, on the network where the run ended (--save's file, or the one the same command with a --save writes) and the
 * rows it trained on. diagnose()'s sentence names `gradscope curvature --model FILE` as the docs do (the library knows no
 * invocation: test/cli/printed-commands); words47 left the command line to the CLI. The line printed is run here in a fresh
 * shell, as pasted.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { parseArgs } from '../../src/cli/command.js';
import { studyModelCommand } from '../../src/cli/commands/study-model.js';
import { curvatureNextLines, trainedFileName } from '../../src/cli/curvature-next.js';
import { LOCAL_COMMAND } from '../../src/cli/invocation.js';
import { diagnose, type Diagnosis } from '../../src/flow/diagnose.js';
import { Trace } from '../../src/flow/trace.js';
import { STUDY_DIGITS } from '../../src/studies/study-defaults.js';
import { ROOT, runCliInProcess, userShellEnv } from '../util/cli.js';
import { codeQuoteOn } from '../util/page-quotes.js';
import { flat } from '../util/printed-text.js';
import { writeStudyModelFiles } from '../util/study-model-files.js';

/** diagnose()'s own words where it asks for the curvature (progress-sentences.ts' CURVATURE_OF_A_MODEL). */
const ASKED = '`gradscope curvature --model FILE` measures';
/** The checkout's bin file as a user there runs it (invocation.ts' `node SCRIPT`): the printed line runs as pasted from ROOT. */
const NODE_BIN = 'node bin/gradscope.js';

describe("study --model's closing curvature line", async () => {
  const folder = mkdtempSync(join(tmpdir(), 'gradscope-curvature-next-'));
  const { net, modelPath, dataPath } = await writeStudyModelFiles(folder, 52);
  net.dispose();
  // 20 epochs at a small rate: a plateau (test/cli/study-model-mean-loss), whose diagnosis asks for the curvature.
  const plateau = ['study', '--model', modelPath, '--data', dataPath, '--epochs', '20', '--batch-size', '4', '--learning-rate', '0.001'];
  const trained = join(folder, 'model-trained.json');

  it('without --save: the same command with --save FILE, then the curvature line on FILE; it runs as printed in a fresh shell', async () => {
    const asked = await runCliInProcess(plateau, 100, NODE_BIN);
    expect(asked.code, asked.stderr).toBe(0);
    expect(flat(asked.stdout)).toContain(ASKED);
    const curvatureLine = `  ${NODE_BIN} curvature --model ${trained} --data ${dataPath}`;
    // docs/cli.md's words, its --model model.json's file here in the test's folder, its 9,000 digits the 30 rows of the data file.
    const [opening, save] = [codeQuoteOn('docs/cli.md', 'To measure the curvature where').replace('all 9,000 rows', 'all 30 rows'), codeQuoteOn('docs/cli.md', 'add --save model-trained.json')];
    expect(flat(asked.stdout.split('\n\n').at(-1)!).trim()).toBe(`${opening.slice(0, -1)}, ${save.replace('model-trained.json', trained)} ${curvatureLine.trim()}`);
    expect(asked.stdout.endsWith(`\n${curvatureLine}\n`)).toBe(true);
    expect(existsSync(trained)).toBe(false);
    // As told: the same command with --save, whose own closing line is the curvature line alone, on the file it saved.
    const saved = await runCliInProcess([...plateau, '--save', trained], 100, NODE_BIN);
    expect(saved.code, saved.stderr).toBe(0);
    expect(flat(saved.stdout).endsWith(flat(`Model: ${trained} ${opening} ${curvatureLine}\n`))).toBe(true);
    expect(saved.stdout.endsWith(`\n${curvatureLine}\n`)).toBe(true);
    // Pasted into a shell in the checkout: the command measures the saved network's curvature on the rows.
    const out = execFileSync('bash', ['-c', curvatureLine.trim()], { cwd: ROOT, encoding: 'utf8', env: userShellEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toContain('Hessian');
    expect(flat(out)).toMatch(/a saddle|a minimum|a slope/);
  }, 180_000);

  it('no line where the diagnosis does not ask (the loss still falling), nor in --json', async () => {
    const learning = await runCliInProcess([...plateau.slice(0, 5), '--epochs', '20', '--batch-size', '4', '--learning-rate', '1'], 100, NODE_BIN);
    expect(learning.code, learning.stderr).toBe(0);
    expect(flat(learning.stdout)).not.toContain(ASKED);
    expect(learning.stdout).not.toContain('To measure the curvature');
    const json = await runCliInProcess([...plateau, '--json'], 100, NODE_BIN);
    expect((JSON.parse(json.stdout) as { diagnosis: Diagnosis }).diagnosis.summary).toContain(ASKED);
    expect(json.stdout).not.toContain('To measure the curvature');
  }, 180_000);

  it("the rows flags curvature takes (--data, --train), the user's invocation, and the checkpoint name beside any model file", async () => {
    const small = await createNetwork({ sizes: [4, 6, 6, 2], loss: 'cross-entropy', backend: 'ref', seed: 3 });
    const x = Array.from({ length: 8 }, (_, r) => [r % 2, (r >> 1) % 2, 0.5, -0.5]);
    const { trace } = small.train(x, x.map((_, r) => (r % 2 ? [0, 1] : [1, 0])), { epochs: 3, batchSize: 4, trace: {} });
    small.dispose();
    const diagnosis = diagnose(trace!);
    expect(diagnosis.evidence.training?.state).toBe('plateau');
    const args = (...flags: string[]) => parseArgs(studyModelCommand, ['--model', 'm.json', ...flags]);
    // The digits: the held-out --test is no row curvature measures on; without --train, its default written out.
    expect(curvatureNextLines(diagnosis, trace!, args('--train', '200', '--test', '50'), 'm.json', undefined, LOCAL_COMMAND).at(-1)).toBe('  npx gradscope curvature --model m-trained.json --train 200');
    expect(curvatureNextLines(diagnosis, trace!, args(), 'm.json', undefined, undefined).at(-1)).toBe(`  gradscope curvature --model m-trained.json --train ${STUDY_DIGITS.trainRows}`);
    // Every row the run trained on, counted (TraceRun.rows), and why not fewer; a trace that does not record them says every row.
    expect(curvatureNextLines(diagnosis, trace!, args(), 'm.json', 'm2.json', undefined)[0]).toBe(
      "To measure the curvature where this run ended (a minimum, a saddle or a slope: above), on all 8 rows it trained on (each of its products, counted as it starts, is a pass over them all: fewer rows would measure another loss, whose gradient is not zero where this one's is):",
    );
    const unrecorded = Trace.fromJSON({ ...trace!.toJSON(), run: { ...trace!.run, rows: undefined } });
    expect(curvatureNextLines(diagnosis, unrecorded, args(), 'm.json', 'm2.json', undefined)[0]).toContain(', on every row it trained on (');
    expect(curvatureNextLines(diagnosis, trace!, args('--data', 'my rows.json', '--test-data', 't.json', '--save', 'out.bin'), 'm.json', 'out.bin', undefined).at(-1)).toBe("  gradscope curvature --model out.bin --data 'my rows.json'");
    // Given the curvature, the diagnosis answers instead: no line.
    const answered = diagnose(trace!, { curvature: { lambdaMin: -3e-4, lambdaMax: 1.2, confirmed: true, exploitable: true, critical: true, lowered: true } });
    expect(curvatureNextLines(answered, trace!, args(), 'm.json', undefined, undefined)).toEqual([]);
    expect(['m.json', 'runs/m.safetensors', 'tfjs/', 'm'].map(trainedFileName)).toEqual(['m-trained.json', 'runs/m-trained.json', 'tfjs-trained.json', 'm-trained.json']);
  });
});
