/**
 * The plateau study's table, one source for both outputs: its columns and rows (the terminal's
 * formatTable, the HTML report's table) and the key printed under it. The HTML table had six of its
 * columns and lacked ‖∇f‖ and ‖∇C‖ beside each other, the pair that says the step is mostly the L2 term's.
 */
import { counted, grouped } from '../counted.js';
import { bestAlongV, type SaddleProbe } from '../curvature/critical-point.js';
import { estimatedMassWords, negativeMassText } from '../curvature/curvature-text.js';
import { overflowNote, probeSides } from '../curvature/point-text.js';
import { lossText } from '../loss-text.js';
import { sci } from '../sci-text.js';
import type { PlateauPoint, PlateauResult } from './plateau.js';

/**
 * The table's probe: the step along ±v the verdict weighs (bestAlongV: both sides lower f, by the largest mean drop), or,
 * where no step lowers both sides, the one that lowered f most on its better side. It printed the latter always, so a
 * 'saddle' row could show a step that raised f on one side beside the rule's "lowers it on both sides" (newuser46 #3).
 */
const bestProbe = (point: PlateauPoint): SaddleProbe =>
  bestAlongV(point.probes) ?? point.probes.reduce((a, b) => (Math.min(b.plus, b.minus) < Math.min(a.plus, a.minus) ? b : a));

/** bestProbe as text. */
function bestProbeText(point: PlateauPoint): string {
  const best = bestProbe(point);
  return `t=${grouped(best.step)}: ${sci(best.plus)} / ${sci(best.minus)}`;
}

/** One row per point: loss, gradients, curvature, each layer's GSNR, the best probe and the verdict. */
export function plateauTableColumns(result: PlateauResult): { header: string[]; rows: string[][] } {
  const layers = result.points[0]?.gradientSNR.length ?? 0;
  const header = ['epoch', 'loss', '‖∇f‖', '‖∇C‖', 'λ_max', 'λ_min', 'λ_min/λ_max', 'neg. mass', ...Array.from({ length: layers }, (_, l) => `GSNR ${l + 1}`), 'f(θ±t·v) − f(θ)', 'verdict'];
  const rows = result.points.map((p) => [
    grouped(p.epoch),
    lossText(p.loss),
    sci(p.gradientNorm),
    sci(p.lossGradientNorm),
    sci(p.largest[0]),
    sci(p.smallest[0]),
    sci(p.smallest[0] / p.largest[0]),
    negativeMassText(p.negativeMass, p.negativeMassExact, p.negativeMassProbes),
    ...p.gradientSNR.map((s) => s.toPrecision(2)),
    bestProbeText(p),
    p.verdict + (p.converged ? '' : ' (not converged)'),
  ]);
  return { header, rows };
}

/**
 * What the table's unnamed measures are, under it: '‖∇f‖' beside '‖∇C‖' (the objective's gradient
 * and the data loss's: on Nielsen's plateau ‖∇f‖ is mostly the L2 term's, and read alone it looked
 * like a slope of the loss that descent was crossing), 'neg. mass' and 'GSNR 1' … 'GSNR n' (the
 * network's weight layers, the output last), printed with no word on what they measure or which
 * column is which layer; docs/curvature.md had them. Where a probe printed is Infinity, what that is (overflowNote, as
 * `gradscope curvature` says it of its own probes).
 */
export function plateauTableKey(result: PlateauResult): string {
  const layers = result.points[0]?.gradientSNR.length ?? 0;
  const estimated = result.points.some((p) => !p.negativeMassExact);
  const hidden = layers - 1; // PLATEAU_SIZES: 4 hidden layers, then the output
  const overflowed = overflowNote(probeSides(result.points.map(bestProbe)));
  return [
    result.curvatureOf === 'loss'
      ? `‖∇f‖ = ‖∇C‖: every column measures f = C, the data loss alone (loss: C, the cross-entropy), at the weights that training on the objective C + (λ/2n)‖w‖² (λ = ${result.lambda}, n = ${grouped(result.rows)}) reached: its Hessian and its steps along ±v without the L2 term's λ/n on every weight direction.`
      : `‖∇f‖: the gradient of the objective f = C + (λ/2n)‖w‖² (λ = ${result.lambda}, n = ${grouped(result.rows)}), the L2 term's (λ/n)·w included; ‖∇C‖: the data loss's alone (loss: C, the cross-entropy). Where ‖∇C‖ is a small part of ‖∇f‖, the step is mostly the L2 term's, −η(λ/n)·w: descent shrinks the weights, and C need not fall.`,
    `neg. mass: Σ_{λ<0}|λ| / Σ|λ|, the share of the Hessian's spectrum, each eigenvalue weighted by |λ|, that lies below 0${estimated ? ` (≈: estimated where the Hessian has more rows than Lanczos' step limit: ${estimatedMassWords()})` : ''}.`,
    `GSNR 1–${hidden}: hidden layers 1 to ${hidden}, GSNR ${layers}: the output layer: each layer's gradient signal-to-noise ratio over the ${counted(result.rows, 'digit')}, ‖E g‖² / E‖g − E g‖² (Liu et al. 2020): below 1, the examples' gradients mostly point different ways and their mean is what is left of their disagreement.`,
    ...(overflowed ? [`f(θ±t·v) − f(θ): the step t along ±v the verdict weighs, lowering f on both sides by the largest mean drop, or where none lowers both, the one that lowered f most on its better side${overflowed}.`] : []),
  ].join('\n');
}

