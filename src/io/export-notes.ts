/**
 * What a file an exporter writes does not say, or says otherwise than the model: one source for `gradscope convert`'s lines
 * under its summary and for an API user, who calls toOnnx, toTfjsLayers or toSafetensors and gets bytes alone. ONNX and tfjs have
 * no place for what a model keeps of its PyTorch module (net.pytorchModule: its tensors' names, that it ends in logits, its
 * layers without a bias), which safetensors and gradscope's JSON keep; a safetensors file's module expression may be missing, or
 * end in an output module a PyTorch logits loss applies itself.
 */
import { invalidOption, shownArgument } from '../errors.js';
import type { Network } from '../api/network.js';
import type { ModelData } from '../network/model-file.js';
import type { BlockModelData } from '../layers/block-model.js';
import { isBlockModel } from '../network/block-model-check.js';
import { moduleNotKeptNote } from '../pytorch-record.js';
import { exportSource } from './model-data.js';
import { formatPhrase } from './interop-formats.js';
import { safetensorsExportNotes } from './safetensors.js';
import { blockExportNotes } from './safetensors-blocks.js';

/** The formats gradscope's exporters write: toSafetensors, toOnnx, toTfjsLayers. */
export type ExportFormat = 'safetensors' | 'onnx' | 'tfjs';
const EXPORT_FORMATS: readonly ExportFormat[] = ['safetensors', 'onnx', 'tfjs'];

/**
 * What the file `format`'s exporter writes of `source` does not keep of the model, or what to know before loading it, one
 * sentence each (`gradscope convert` prints them): for 'onnx' and 'tfjs', that the model's PyTorch module record
 * (`pytorchModule`) is not kept; for 'safetensors', why the file has no `__metadata__.pytorch` module expression, or that
 * the expression ends in the softmax (sigmoid) a PyTorch logits loss applies itself. Empty where the file keeps everything.
 * A source or format amiss is refused (INVALID_OPTION), as the exporters refuse it.
 */
export function exportNotes(source: Network | ModelData | BlockModelData, format: ExportFormat): string[] {
  const model = exportSource(source, 'exportNotes');
  if (!EXPORT_FORMATS.includes(format)) throw invalidOption(`exportNotes: format: expected one of ${EXPORT_FORMATS.join(', ')}, got ${shownArgument(format)}`);
  if (format === 'safetensors') return isBlockModel(model) ? blockExportNotes(model) : safetensorsExportNotes(model);
  return model.pytorchModule ? [moduleNotKeptNote(formatPhrase(format), model.pytorchModule)] : [];
}
