/**
 * A block network's contents as plain data (float32 copies, no backend): what model files, the
 * exporters (safetensors, ONNX, tfjs-layers) and checkpoints read and write for networks built
 * from layer specs. Tensors carry PyTorch's state_dict names, shapes and order (src/layers/state-dict.ts).
 */
import type { Loss } from '../kernels.js';
import type { CheckedSpec } from './spec.js';
import type { Initialisation } from '../init/initialisation.js';
import type { TrainedOn } from '../trained-on.js';
import type { PytorchModule } from '../pytorch-record.js';

/** One named tensor of a block network: a trained parameter or a state buffer (batch norm's running statistics). */
export interface BlockTensor {
  /** PyTorch's state_dict name, e.g. '0.weight', '2.running_mean', '3.branch.0.bias', '3.alpha'. */
  name: string;
  /** PyTorch's shape: [out, in] for a weight matrix, [n] for a vector, [] for a scalar. */
  shape: number[];
  /** 'i64' for batch norm's num_batches_tracked (PyTorch's dtype), else 'float'. */
  dtype: 'float' | 'i64';
  /** The values, row-major. */
  values: Float32Array;
}

/** What a reader of a foreign file decided on the user's behalf; `gradscope convert` prints it. */
export interface ImportNotes {
  /** Where the loss came from, e.g. "modelTopology.training_config.loss 'binary_crossentropy'" or "the loss option". */
  lossFrom: string;
  /** Everything else done that the file did not say, e.g. "skipped Dropout layer 'dropout' (identity at inference)". */
  notes: string[];
}

/** A network built from layer specs, as data. */
export interface BlockModelData {
  /** Tells it apart from the dense ModelData (sizes, activations, weights, biases). */
  kind: 'blocks';
  /** The loss the model is trained on. */
  loss: Loss;
  /** Features of the input. */
  inputs: number;
  /** The layer specs, checked (CheckedSpec: a norm's epsilon and momentum only where given). */
  layers: CheckedSpec[];
  /** Every parameter and state buffer, in PyTorch's state_dict order. */
  tensors: BlockTensor[];
  /** How the dense layers' parameters were first drawn (Network.initialisation). Absent: not recorded, and a network built from the data has none. */
  initialisation?: Initialisation;
  /** The rows that trained the model, where its file records them (as ModelData.trainedOn). Absent: not recorded. */
  trainedOn?: TrainedOn;
  /**
   * What the network keeps of the PyTorch module it was read from (src/pytorch-record.ts): its tensors' names there
   * (tensorNames) and whether it ends in logits, so the way back out (toSafetensors) writes what that module loads. Absent: none.
   */
  pytorchModule?: PytorchModule;
  /**
   * Set by blockModelFromSafetensors when it read a PyTorch module by a rule the file does not
   * spell out (a softmax or sigmoid output for a module ending in logits, a module prefix dropped
   * from the tensors' names): what it did. Absent otherwise.
   */
  imported?: ImportNotes;
}
