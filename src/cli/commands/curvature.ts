/** gradscope curvature --model M [--data D.json | --train N] [--k 5] [--no-layers] [--backend wasm|ref] [--json]: on the digits unless --data, as train. */
import { checkHasParameters, measureCurvature, type CurvatureProgress, type CurvatureReport, type GaussNewtonSummary, type HessianSummary } from '../../curvature/curvature.js';
import { checkEigenCount, LANCZOS_MAX_STEPS, ROUNDING_PRODUCTS, SPECTRUM_END_COUNT, type UnconvergedEigenvalue } from '../../curvature/lanczos.js';
import { MATRIX_TRACE_DEFAULTS } from '../../curvature/matrix-trace.js';
import { MASS_PROBE_STEPS, MASS_PROBES } from '../../curvature/negative-mass.js';
import { estimatedMassWords, gaussNewtonLowerEnd, negativeMassText, sameBlocksNote } from '../../curvature/curvature-text.js';
import { pointText } from '../../curvature/point-text.js';
import { gradscopeLine } from '../invocation.js';
import { networkFromModel } from '../../io/model-data.js';
import { readModelFile } from '../../io/model-formats.js';
import { BACKEND_FLAG, booleanFlag, checkAsUsage, choiceFlag, command, COUNT, JSON_FLAG, jsonLine, MODEL_FLAG, numberFlag, readingFlag, stringFlag, withFile } from '../command.js';
import { checkRowsFitModel, MEASURED_ROWS_FLAGS, measuredRows } from '../training-rows.js';
import { counted, grouped } from '../../counted.js';
import { ProgressBar } from '../progress.js';
import { print, printErr } from '../terminal.js';
import { STUDY_DIGITS } from '../../studies/study-defaults.js';
import { formatTable } from '../table.js';
import { sci } from '../../sci-text.js';
import type { Loss } from '../../kernels.js';
import type { CheckedSpec } from '../../layers/spec.js';
import { shellWord } from '../../shell-word.js';

export const curvatureCommand = command({
  words: ['curvature'],
  summary: 'extreme eigenvalues and traces of the Hessian and the Gauss-Newton matrix of a model on the digits (as train) or your data, whole and per layer, and whether its point is a saddle, a minimum or a slope',
  flags: [
    MODEL_FLAG,
    ...MEASURED_ROWS_FLAGS,
    { name: 'k', value: 'N', default: SPECTRUM_END_COUNT, rule: COUNT, about: 'eigenvalues at each end of each spectrum (at most the parameter count)' },
    { name: 'no-layers', about: noLayersAbout() },
    BACKEND_FLAG,
    JSON_FLAG,
  ],
  example: 'curvature --model model.json --train 1000 --k 3',
  notes: [costNote()],
  async run(args, terminal) {
    const modelPath = stringFlag(args, 'model', true);
    const backend = choiceFlag<'wasm' | 'ref'>(args, 'backend')!;
    const k = numberFlag(args, 'k');
    // measureCurvature's `layers`: each layer's diagonal blocks too, unless --no-layers.
    const layers = !booleanFlag(args, 'no-layers');
    const model = await readingFlag('model', modelPath, () => readModelFile(modelPath));
    const rows = await measuredRows(args);
    const net = await withFile(shellWord(modelPath), () => networkFromModel(model, { backend }));
    try {
      checkRowsFitModel(modelPath, net, rows, rows.y);
      checkHasParameters(net, shellWord(modelPath));
      // The model's own bound on --k (measureCurvature's rule): the flag, not the data file, is wrong.
      checkAsUsage(`--k ${k} for ${shellWord(modelPath)}`, () => checkEigenCount(k, net.parameterCount));
      const json = booleanFlag(args, 'json');
      let bar: ProgressBar | undefined;
      const onProgress = (p: CurvatureProgress) => {
        if (bar === undefined) {
          printErr(terminal, `curvature: at most ${counted(p.total, 'product')} (H·v or G·v), each a pass over ${rows.source} (see --help: Cost)`);
          // The bar shows the share of the time (p.fraction: products and steps priced at this run's measured costs), not of the products.
          bar = new ProgressBar(terminal, 'curvature', 1);
        }
        bar.update(p.fraction, progressNote(p));
      };
      const report = await withFile(rows.file, async () => measureCurvature(net, rows.x, rows.y, { k, layers, onProgress }));
      bar?.done();
      // Its notes are prose: through print, they wrap at READING_WIDTH as every command's do.
      if (json) terminal.out(jsonLine(report));
      else print(terminal, curvatureTable(report, terminal.columns, net, terminal.invokedAs));
    } finally {
      net.dispose();
    }
  },
});

/** What --help says --no-layers leaves out, and what it saves, by measureCurvature's plan (progressOf) with its defaults. */
function noLayersAbout(): string {
  const { probes } = MATRIX_TRACE_DEFAULTS;
  return `measure the whole network only, not each layer's diagonal blocks of H and G: at most 2·T + 2·(min(n, ${LANCZOS_MAX_STEPS}) + ${ROUNDING_PRODUCTS}) + M products, T then n or ${probes} probes in all and M the whole network's negative mass (see Cost)`;
}

/**
 * What --help says a run costs, in what a user chooses by (rows, --no-layers): the products measureCurvature plans with its
 * defaults, which the command does not change, and what one costs. The measured runs, their machines and the progress line's
 * accuracy are docs/curvature.md's (Cost): the help gave them in some 20 lines (newuser30).
 */
function costNote(): string {
  const steps = LANCZOS_MAX_STEPS;
  const { exactLimit, probes } = MATRIX_TRACE_DEFAULTS;
  return [
    `Cost: at most 2·T + 2·(min(n, ${steps}) + ${ROUNDING_PRODUCTS} + Σ_l (min(n_l, ${steps}) + ${ROUNDING_PRODUCTS})) + M operator products (H·v or G·v; n parameters, n_l layer l's; T per trace n up to ${grouped(exactLimit)} parameters, else ${probes} probes per layer; M: ${MASS_PROBES}·${MASS_PROBE_STEPS} for each of n and n_l above ${steps}, the start vectors of the Hessian's negative mass there),`,
    `each about one to one and a half training steps' work on every row (--data's, or the --train digits: ${grouped(STUDY_DIGITS.trainRows)} by default): fewer rows and --no-layers cost less.`,
    'The run prints its count on stderr as it starts, then its progress; measured runs and their times: docs/curvature.md, Cost.',
  ].join('\n');
}

const MATRIX_NAMES = { hessian: 'Hessian', gaussNewton: 'Gauss-Newton' } as const;

/** What measureCurvature measures now, as a progress line says it: 'Hessian trace', 'hidden 1 Gauss-Newton eigenvalues' (a layer by its name in the trace tables). */
function progressNote(p: CurvatureProgress): string {
  const part = p.label === undefined ? '' : `${p.label} `;
  return `${part}${MATRIX_NAMES[p.matrix]} ${p.measuring}`;
}

/** Eigenvalue `e` as the table lists it: 'largest #2 = 1.23e-2 (residual 4.00e-9 > 1.10e-10)'. */
const unconvergedValue = (e: UnconvergedEigenvalue) => `${e.end} #${e.index + 1} = ${sci(e.value)} (residual ${sci(e.residual)} > ${sci(e.bound)})`;

/** The note naming each eigenvalue, by its row, that did not reach Lanczos' tolerance. */
function unconvergedText(rows: [string, HessianSummary | GaussNewtonSummary][]): string {
  const named = rows.map(([label, s]) => `${label}: ${s.unconverged.length ? s.unconverged.map(unconvergedValue).join(', ') : 'fewer eigenvalues than --k within the step limit'}`);
  return `not converged within Lanczos' step limit (residual above tolerance·max|θ|, or above the products' measured rounding·max|θ| where that is larger; an eigenvalue lies within the residual of each value): ${named.join('; ')}`;
}

/** Eigenvalues as a cell lists them: an exact 0 (measureCurvature's, within zeroWithin, which the note under the table gives) '0', as sci prints it. */
const values = (list: number[]) => list.map(sci).join(' ');

/**
 * The note on the rows that list a 0: each row's bound, and what a 0 claims (HessianSummary.zeroWithin). The bound
 * comes before its row's name, which 'in the row' sets apart: "|λ| ≤ output (310) H 2.43e-7" read the name as a factor (newuser40, F10).
 */
function zeroText(rows: [string, HessianSummary | GaussNewtonSummary][]): string {
  const bounds = rows.map(([label, s]) => `|λ| ≤ ${sci(s.zeroWithin)} in the row ${label}`);
  return `0: an eigenvalue within the products' measured rounding of 0 (${bounds.join('; ')}): at this precision it cannot be told from 0, nor its sign`;
}
/** The note under a table whose negative mass is estimated somewhere: how, and what its brackets are (negativeMassText). */
function estimatedMassNote(): string {
  return `≈ negative mass: estimated where a matrix has more rows than Lanczos' step limit (exact elsewhere): ${estimatedMassWords()}`;
}

const traceText = (trace: number, error: number, exact: boolean) => (exact ? sci(trace) : `${sci(trace)} ± ${sci(error)}`);

/**
 * The report as a terminal table: one row per matrix, whole network first, then each layer, named
 * as the trace tables name it (LayerCurvature.label: 'hidden 1', "layers[3].layers[0] ('4.branch.0',
 * dense)"); a report without layers (--no-layers) says under the table that they were skipped. Given the network
 * measured (its layer specs and loss), it says when the H and G rows agree because its blocks of H are G's (sameBlocksNote).
 * Last, the point read by the plateau study's rule: the gradient's norm, the rule, the loss along ±v and the reading (pointText),
 * the study's command as the user runs gradscope (`invoked`: Terminal.invokedAs).
 */
export function curvatureTable(report: CurvatureReport, width?: number, network?: { layers: readonly CheckedSpec[]; loss: Loss }, invoked?: string): string {
  const exact = report.traceExact;
  const hessianRow = (label: string, h: HessianSummary) => [label, values(h.largest), values(h.smallest), traceText(h.trace, h.traceStdError, exact), negativeMassText(h.negativeMass, h.negativeMassExact, h.negativeMassProbes)];
  const lowerEnd = gaussNewtonLowerEnd();
  const gaussNewtonRow = (label: string, g: GaussNewtonSummary) => [label, values(g.largest), lowerEnd.smallest, traceText(g.trace, g.traceStdError, exact), lowerEnd.negativeMass];
  const rows: string[][] = [hessianRow('Hessian', report.hessian), gaussNewtonRow('Gauss-Newton', report.gaussNewton)];
  const summaries: [string, HessianSummary | GaussNewtonSummary][] = [['Hessian', report.hessian], ['Gauss-Newton', report.gaussNewton]];
  for (const layer of report.layers) {
    const name = `${layer.label} (${grouped(layer.parameters)})`;
    rows.push(hessianRow(`${name} H`, layer.hessian), gaussNewtonRow(`${name} G`, layer.gaussNewton));
    summaries.push([`${name} H`, layer.hessian], [`${name} G`, layer.gaussNewton]);
  }
  const unconverged = summaries.filter(([, s]) => !s.converged);
  const zeros = summaries.filter(([, s]) => [...s.largest, ...('smallest' in s ? s.smallest : [])].includes(0));
  const estimated = [report.hessian, ...report.layers.map((l) => l.hessian)].some((h) => !h.negativeMassExact);
  // measureCurvature measures every layer of a network unless told not to (a network has at least one), so no layers means --no-layers.
  const skipped = report.layers.length === 0;
  const sameBlocks = network && sameBlocksNote(network.layers, network.loss, { layers: !skipped, tracesOfBlocks: exact || !skipped });
  const probed = skipped
    ? "G's trace is never negative (G is positive semi-definite), H's may be (H is indefinite): read them with their ± standard error"
    : "each layer's traces probe that layer alone (its ± is its own sampling error, not the other layers'); G traces are never negative (G and each layer's block of it are positive semi-definite), H's may be (H is indefinite): read them with their ± standard error";
  return [
    `loss ${sci(report.loss)} over ${counted(report.rows, 'row')}; ${counted(report.parameters, 'parameter')}; traces ${exact ? 'exact' : 'by Hutchinson (± standard error)'}`,
    formatTable(['matrix', 'largest eigenvalues', 'smallest eigenvalues', 'trace', 'negative mass'], rows, width),
    ...(zeros.length ? [zeroText(zeros)] : []),
    lowerEnd.note,
    ...(sameBlocks ? [sameBlocks] : []),
    ...(skipped ? [`per layer: skipped (--no-layers): each layer's diagonal blocks of H and G were not measured; without the flag they are, at the cost --help gives`] : []),
    ...(exact ? [] : [probed]),
    ...(unconverged.length ? [unconvergedText(unconverged)] : []),
    ...(estimated ? [estimatedMassNote()] : []),
    pointText(report, gradscopeLine(invoked, 'study plateau')),
  ].join('\n');
}
