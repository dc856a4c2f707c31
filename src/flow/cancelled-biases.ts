/**
 * The bias a batch norm cancels: a linear dense layer whose output goes straight into a batch norm
 * adds its bias b to every row of the batch, and batch norm subtracts the batch's mean, b with it, so
 * b changes nothing downstream and ∂C/∂b is 0 up to rounding (PyTorch users build such layers with
 * `bias=False`). A trace still records that ‖∂C/∂b‖; the report and the visualizer leave it out of
 * their ‖∂C/∂b‖ charts (which show the norm's shift β) and the diagnosis reads no speed of learning
 * from it, and all three say so.
 */
import { parentPath } from '../layer-names.js';
import type { Trace } from './trace.js';
import { checkTraceArgument } from './trace-argument.js';

/**
 * The rows of a block network's trace whose bias a batch norm cancels: dense rows with a bias and a
 * linear activation whose next row, in the same layer stack, is a batch norm (none in a dense network's
 * trace). A dense row built without a bias (`bias: false`, as PyTorch's users build this very layer) has none to cancel.
 */
export function biasesCancelledByBatchNorm(trace: Trace): number[] {
  checkTraceArgument(trace, 'biasesCancelledByBatchNorm');
  const rows = trace.blocks?.layers ?? [];
  return rows.flatMap((row, l) => {
    const next = rows[l + 1];
    const feeds = row.type === 'dense' && row.bias !== false && trace.activations[l] === 'linear' && next?.type === 'batch-norm' && parentPath(next.name) === parentPath(row.name);
    return feeds ? [l] : [];
  });
}

/**
 * The rows whose ‖∂C/∂b‖ a chart shows: every row of the trace that records it (Trace.rowsRecording:
 * a dense network's every layer; a block network's dense and norm layers, β for a norm) but those of
 * biasesCancelledByBatchNorm, whose value is 0 up to rounding (cancelledBiasNote says so).
 */
export function chartedBiasRows(trace: Trace): number[] {
  checkTraceArgument(trace, 'chartedBiasRows');
  const cancelled = biasesCancelledByBatchNorm(trace);
  return trace.rowsRecording('biasGradNorm').filter((l) => !cancelled.includes(l));
}

/**
 * Why the rows of biasesCancelledByBatchNorm are left out of a chart of ‖∂C/∂b‖, with what the trace
 * measured in them beside the batch norms' β (over every record); '' where there are none.
 */
export function cancelledBiasNote(trace: Trace): string {
  checkTraceArgument(trace, 'cancelledBiasNote');
  const rows = biasesCancelledByBatchNorm(trace);
  if (rows.length === 0) return '';
  const values = (l: number[]) => l.flatMap((row) => Array.from(trace.series('biasGradNorm', row)).filter(Number.isFinite));
  const [cancelled, shifts] = [values(rows), values(rows.map((l) => l + 1))];
  const names = rows.map((l) => trace.layerLabel(l)).join(', ');
  const measured =
    cancelled.length && shifts.length
      ? ` (largest here ${Math.max(...cancelled).toExponential(1)}, against at least ${Math.min(...shifts).toExponential(1)} for the batch norms' shift β, which the charts show instead)`
      : '';
  return (
    `The ‖∂C/∂b‖ charts leave out the bias of ${rows.length > 1 ? 'dense layers' : 'dense layer'} ${names}: ` +
    `each feeds a batch norm, whose subtraction of the batch mean cancels the bias, so its gradient is 0 up to rounding${measured}.`
  );
}
