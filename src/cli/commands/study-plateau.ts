/**
 * gradscope study plateau [--epochs 500] [--points 5] [--lambda 5] [--k 3] [--seed 1] [--curvature-of objective|loss] [--json] [--html FILE]
 * Saddle or minimum: the curvature of Nielsen's 4-hidden-layer sigmoid net along his training.
 */
import { counted, grouped } from '../../counted.js';
import { CURVATURE_OF, PLATEAU_DEFAULTS, PLATEAU_K_BOUND, PLATEAU_SIZES, runPlateauStudy, type CurvatureOf, type PlateauResult } from '../../studies/plateau.js';
import { nielsenLambdaBound, NIELSEN_TRAINING } from '../../studies/depth.js';
import { plateauReportSection, plateauRunSentence } from '../../studies/plateau-report.js';
import { plateauTableColumns, plateauTableKey } from '../../studies/plateau-table.js';
import { plateauSummary } from '../../studies/plateau-conclusion.js';
import { htmlReport } from '../html-report.js';
import { booleanFlag, choiceFlag, command, COUNT, HTML_FLAG, JSON_FLAG, jsonLine, numberFlag, outputFileFlag, SEED_FLAG } from '../command.js';
import { plateauRunTerms } from '../study-remedy-terms.js';
import { ProgressBar } from '../progress.js';
import { print } from '../terminal.js';
import { formatTable } from '../table.js';
import { diagnosisText } from '../trace-table.js';
import { NIELSEN_EPOCHS_BOUND, PLATEAU_POINTS_BOUND } from '../../studies/study-bounds.js';
import { shellWord } from '../../shell-word.js';

/** The plateau table (plateauTableColumns, the HTML report's too), fit to `width` (the terminal's: formatTable). */
export function plateauTable(result: PlateauResult, width?: number): string {
  const { header, rows } = plateauTableColumns(result);
  return formatTable(header, rows, width);
}

/**
 * The heading of the diagnosis under the table, naming the epochs its trace holds: the last train()
 * call, from the last point but one to the last (all of training with one point). It said only "The
 * last stretch of training:", and the diagnosis counts that stretch's epochs from 1 ("the last 25 of
 * 125 epochs" of a 500-epoch run), so its "fell 1.02× over training time" read as the whole run's
 * where study (a), on the same network over all 500, says the gradient faded 287×.
 */
export function lastStretchHeading(result: Pick<PlateauResult, 'points'>): string {
  const epochs = result.points.map((p) => p.epoch);
  const last = epochs[epochs.length - 1];
  const from = epochs.length > 1 ? epochs[epochs.length - 2] : 0;
  const stretch = last - from === 1 ? `epoch ${grouped(last)}` : `epochs ${grouped(from + 1)} to ${grouped(last)}`;
  return from === 0
    ? `The training, ${stretch} (all of it, one traced run):`
    : `The last stretch of training, ${stretch}: the diagnosis below reads only ${last - from === 1 ? 'it' : 'them'} (${counted(last - from, 'epoch')}, one traced run after the last point but one), counting from 1, so what it says changed over training time changed within ${last - from === 1 ? 'it' : 'them'}:`;
}

export const studyPlateauCommand = command({
  words: ['study', 'plateau'],
  summary: `saddle or minimum: Hessian spectrum, negative curvature and GSNR of Nielsen's ${PLATEAU_SIZES.length - 2}-hidden-layer sigmoid net along his training`,
  flags: [
    { name: 'epochs', value: 'N', default: NIELSEN_TRAINING.epochs, rule: { integer: true, min: 0, ...NIELSEN_EPOCHS_BOUND }, about: "epochs of Nielsen's full-batch training" },
    { name: 'points', value: 'N', default: PLATEAU_DEFAULTS.points, rule: { ...COUNT, ...PLATEAU_POINTS_BOUND }, about: 'points along the training where the curvature is measured' },
    { name: 'lambda', value: 'λ', default: NIELSEN_TRAINING.lambda, rule: { min: 0, ...nielsenLambdaBound() }, about: 'L2 regularisation on the weights (0: none)' },
    { name: 'k', value: 'N', default: PLATEAU_DEFAULTS.k, rule: { ...COUNT, ...PLATEAU_K_BOUND }, about: 'eigenvalues at each end of the Hessian spectrum' },
    // Nielsen's training is full-batch and in order (nielsenTraining), so the seed orders no batches.
    { ...SEED_FLAG, about: "the random seed (initial weights, Lanczos' start vectors)" },
    { name: 'curvature-of', value: CURVATURE_OF.join('|'), default: PLATEAU_DEFAULTS.curvatureOf, about: 'what each point measures: the objective the network trains on, C + (λ/2n)‖w‖², or the cross-entropy C alone on the same weights (the L2 term trains them either way)' },
    JSON_FLAG,
    HTML_FLAG,
  ],
  example: 'study plateau --epochs 100 --points 3',
  async run(args, terminal) {
    const json = booleanFlag(args, 'json');
    const html = await outputFileFlag(args, 'html');
    // The bar counts the points the study measures (each epoch once), which it says with the first.
    let progress: ProgressBar | undefined;
    const result = await runPlateauStudy({
      epochs: numberFlag(args, 'epochs'),
      points: numberFlag(args, 'points'),
      lambda: numberFlag(args, 'lambda'),
      k: numberFlag(args, 'k'),
      seed: numberFlag(args, 'seed'),
      curvatureOf: choiceFlag<CurvatureOf>(args, 'curvature-of'),
      onProgress: (done, points) => (progress ??= new ProgressBar(terminal, 'plateau', points)).update(done),
    });
    progress?.done();
    const report = await htmlReport(html, () => ({ sections: [plateauReportSection(result)] }));
    if (json) {
      // The last stretch's trace is what the diagnosis read, not a result of its own: --json holds the diagnosis.
      terminal.out(jsonLine({ ...result, trace: undefined }));
      return;
    }
    // One paragraph, wrapped by print at its words: three print calls split its first sentence across lines at fixed places.
    const measured = result.curvatureOf === 'loss' ? 'the cross-entropy C alone (the L2 term left out)' : 'the objective C + (λ/2n)‖w‖²';
    print(terminal, `${plateauRunSentence(result)} Curvature of ${measured}; v = the eigenvector of λ_min, oriented downhill; t = step length along ±v.`, '');
    print(terminal, plateauTable(result, terminal.columns));
    print(terminal, plateauTableKey(result));
    print(terminal, '\n' + plateauSummary(result));
    if (result.diagnosis && result.trace) print(terminal, `\n${lastStretchHeading(result)}\n${diagnosisText(result.diagnosis, plateauRunTerms(result, numberFlag(args, 'seed'), result.trace, terminal.invokedAs), terminal.columns)}`);
    if (report) print(terminal, `\nReport: ${shellWord(report)}`);
  },
});
