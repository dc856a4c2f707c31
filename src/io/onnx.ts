/**
 * ONNX export for inference in ONNX Runtime (or anything else that reads ONNX), of dense chains and
 * block networks alike, in evaluation mode: a dense layer is a Gemm (Y = X·Wᵀ + b, transB = 1,
 * because gradscope stores W as [out][in]; without its optional C, Y = X·Wᵀ, for a layer without a bias) followed by its activation op ('linear' adds none); batch
 * norm is BatchNormalization in inference form (the running statistics, ε 1e-5); layer norm is
 * LayerNormalization (axis −1, ε 1e-5; opset 17); an activation layer is its op; a residual block is
 * its branch, then Add of the block's input (after Mul by α for the ReZero gate). Initializers carry
 * the PyTorch state_dict names (`0.weight`, `2.running_mean`, `3.alpha`, `3.branch.0.bias`), nodes
 * their module's path. Input "input" and output "output" are float32 [batch, features] with a
 * symbolic batch dimension. ModelProto's metadata_props (field 14, key-value strings) carry what
 * ONNX has no place for: gradscope.loss, gradscope.activations (or gradscope.layers), and where the
 * model records them gradscope.initialisation and gradscope.trainedOn (JSON text). The protobuf is written by hand (src/io/protobuf.ts) with the field
 * numbers of onnx/onnx.proto.
 */
import { LEAKY_RELU_SLOPE, SELU_ALPHA, SELU_LAMBDA, type OutputActivation } from '../kernels.js';
import type { ModelData } from '../network/model-file.js';
import type { Network } from '../api/network.js';
import { moduleIndices } from '../layers/block-layout.js';
import type { BlockModelData } from '../layers/block-model.js';
import { BATCH_NORM_MOMENTUM, hasBias, NORM_EPSILON, widthAfter, type CheckedSpec } from '../layers/spec.js';
import { checkBlockModel, isBlockModel } from '../network/block-model-check.js';
import { denseAsBlockModel, exportSource } from './model-data.js';
import { ProtoWriter } from './protobuf.js';
import { initialisationText } from '../init/initialisation.js';
import { trainedOnText } from '../trained-on.js';

/** Opset 17 (ONNX 1.12) has every op used here with today's semantics (Softmax over one axis). */
export const ONNX_OPSET = 17;
/** The IR version that goes with opset 17. */
const IR_VERSION = 8;

const TENSOR_FLOAT = 1;
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;

// Field numbers from onnx.proto.
const Model = { irVersion: 1, producerName: 2, producerVersion: 3, graph: 7, opsetImport: 8, metadataProps: 14 } as const;
const OpsetId = { domain: 1, version: 2 } as const;
const Graph = { node: 1, name: 2, initializer: 5, input: 11, output: 12 } as const;
const Node = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 } as const;
const Attribute = { name: 1, f: 2, i: 3, type: 20 } as const;
const TensorProto = { dims: 1, dataType: 2, name: 8, rawData: 9 } as const;
const ValueInfo = { name: 1, type: 2 } as const;
const TypeProto = { tensorType: 1 } as const;
const TensorType = { elemType: 1, shape: 2 } as const;
const Shape = { dim: 1 } as const;
const Dimension = { dimValue: 1, dimParam: 2 } as const;
const Entry = { key: 1, value: 2 } as const;

type AttributeValue = { float: number } | { int: number };

const ACTIVATION_OPS: Record<OutputActivation, { op: string; attributes?: Record<string, AttributeValue> } | null> = {
  sigmoid: { op: 'Sigmoid' },
  tanh: { op: 'Tanh' },
  relu: { op: 'Relu' },
  'leaky-relu': { op: 'LeakyRelu', attributes: { alpha: { float: LEAKY_RELU_SLOPE } } },
  softsign: { op: 'Softsign' },
  selu: { op: 'Selu', attributes: { alpha: { float: SELU_ALPHA }, gamma: { float: SELU_LAMBDA } } },
  softmax: { op: 'Softmax', attributes: { axis: { int: -1 } } },
  linear: null,
};

/**
 * The model as ONNX bytes (a serialized ModelProto); see the module comment for the graph. A model's PyTorch module record
 * (`pytorchModule`: its tensors' names, logits, bias-free layers) is not written, ONNX having no place for it: `exportNotes(source, 'onnx')` says so.
 */
export function toOnnx(source: Network | ModelData | BlockModelData): Uint8Array {
  const given = exportSource(source, 'toOnnx');
  const dense = isBlockModel(given) ? null : given;
  // Checked copies from here on: exportSource's, or the check of the dense model's block form.
  const model = dense ? checkBlockModel(denseAsBlockModel(dense)).model : (given as BlockModelData);
  const { inputs, layers, loss } = model;
  const values = new Map(model.tensors.map((t) => [t.name, t]));
  const graph = new GraphBuilder((name) => values.get(name)!);
  graph.finish(graph.stack(layers, '', 'input'));
  graph.proto.message(Graph.input, (v) => valueInfo(v, 'input', inputs));
  graph.proto.message(Graph.output, (v) => valueInfo(v, 'output', widthAfter(layers, inputs)));

  const onnx = new ProtoWriter()
    .int(Model.irVersion, IR_VERSION)
    .string(Model.producerName, 'gradscope')
    .message(Model.opsetImport, (o) => o.string(OpsetId.domain, '').int(OpsetId.version, ONNX_OPSET))
    .bytes(Model.graph, graph.proto.finish());
  // Training-only facts ONNX has no place for, kept so a reader knows what the model was fit to.
  const facts = dense ? [['gradscope.activations', dense.activations.join(',')]] : [['gradscope.layers', JSON.stringify(layers)]];
  if (model.initialisation) facts.push(['gradscope.initialisation', initialisationText(model.initialisation)]);
  if (model.trainedOn) facts.push(['gradscope.trainedOn', trainedOnText(model.trainedOn)]);
  for (const [key, value] of [['gradscope.loss', loss], ...facts]) {
    onnx.message(Model.metadataProps, (e) => e.string(Entry.key, key).string(Entry.value, value));
  }
  return onnx.finish();
}

interface PendingNode {
  op: string;
  name: string;
  inputs: string[];
  output: string;
  attributes: Record<string, AttributeValue>;
}

/** Nodes and initializers of one graph, named by module path; nodes are written at `finish`, once the output's name is known. */
class GraphBuilder {
  readonly proto = new ProtoWriter().string(Graph.name, 'gradscope');
  private readonly nodes: PendingNode[] = [];

  constructor(private readonly tensorNamed: (name: string) => { shape: number[]; values: Float32Array }) {}

  /** Emits the ops of `specs` on the value `input`; returns the name of their result. */
  stack(specs: readonly CheckedSpec[], prefix: string, input: string): string {
    const index = moduleIndices(specs);
    let current = input;
    specs.forEach((spec, i) => {
      const here = `${prefix}${index[i]}`;
      switch (spec.type) {
        case 'dense':
          const bias = hasBias(spec) ? [this.initializer(`${here}.bias`)] : [];
          current = this.node('Gemm', `${here}.linear`, [current, this.initializer(`${here}.weight`), ...bias], { transB: { int: 1 } });
          current = this.activation(spec.activation, `${prefix}${index[i] + 1}`, current);
          break;
        case 'batch-norm': {
          const tensors = ['weight', 'bias', 'running_mean', 'running_var'].map((t) => this.initializer(`${here}.${t}`));
          // ONNX's momentum weighs the running statistics (as Keras'): 1 − PyTorch's, as torch.onnx writes it.
          current = this.node('BatchNormalization', `${here}.batch_norm`, [current, ...tensors], {
            epsilon: { float: spec.epsilon ?? NORM_EPSILON },
            momentum: { float: 1 - (spec.momentum ?? BATCH_NORM_MOMENTUM) },
          });
          break;
        }
        case 'layer-norm':
          current = this.node('LayerNormalization', `${here}.layer_norm`, [current, this.initializer(`${here}.weight`), this.initializer(`${here}.bias`)], {
            axis: { int: -1 },
            epsilon: { float: spec.epsilon ?? NORM_EPSILON },
          });
          break;
        case 'activation':
          current = this.activation(spec.activation, here, current);
          break;
        case 'residual': {
          let branch = this.stack(spec.layers, `${here}.branch.`, current);
          if (spec.gate === 'rezero') branch = this.node('Mul', `${here}.gate`, [this.initializer(`${here}.alpha`), branch], {});
          current = this.node('Add', `${here}.add`, [current, branch], {});
          break;
        }
      }
    });
    return current;
  }

  private activation(activation: OutputActivation, name: string, input: string): string {
    const op = ACTIVATION_OPS[activation];
    return op === null ? input : this.node(op.op, `${name}.${activation}`, [input], op.attributes ?? {});
  }

  private node(op: string, name: string, inputs: string[], attributes: Record<string, AttributeValue>): string {
    this.nodes.push({ op, name, inputs, output: name, attributes });
    return name;
  }

  private initializer(name: string): string {
    const t = this.tensorNamed(name);
    this.proto.message(Graph.initializer, (w) => tensor(w, name, t.shape, t.values));
    return name;
  }

  /** Writes the nodes, the one that yields `result` renamed to "output" (an Identity when the graph is the input itself). */
  finish(result: string): void {
    const last = this.nodes[this.nodes.length - 1];
    if (last?.output === result) last.output = 'output';
    else this.nodes.push({ op: 'Identity', name: 'identity', inputs: [result], output: 'output', attributes: {} });
    for (const n of this.nodes) this.proto.message(Graph.node, (w) => node(w, n.op, n.name, n.inputs, n.output, n.attributes));
  }
}

function tensor(t: ProtoWriter, name: string, dims: number[], values: Float32Array): void {
  for (const d of dims) t.int(TensorProto.dims, d);
  t.int(TensorProto.dataType, TENSOR_FLOAT).string(TensorProto.name, name);
  const raw = new Uint8Array(4 * values.length);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i], true);
  t.bytes(TensorProto.rawData, raw);
}

function node(n: ProtoWriter, opType: string, name: string, inputs: string[], output: string, attributes: Record<string, AttributeValue>): void {
  for (const input of inputs) n.string(Node.input, input);
  n.string(Node.output, output).string(Node.name, name).string(Node.opType, opType);
  for (const [key, value] of Object.entries(attributes)) {
    n.message(Node.attribute, (a) => {
      a.string(Attribute.name, key);
      if ('float' in value) a.float(Attribute.f, value.float).int(Attribute.type, ATTRIBUTE_FLOAT);
      else a.int(Attribute.i, value.int).int(Attribute.type, ATTRIBUTE_INT);
    });
  }
}

/** A float32 [batch, features] value with a symbolic batch dimension. */
function valueInfo(v: ProtoWriter, name: string, features: number): void {
  v.string(ValueInfo.name, name).message(ValueInfo.type, (type) =>
    type.message(TypeProto.tensorType, (tt) =>
      tt.int(TensorType.elemType, TENSOR_FLOAT).message(TensorType.shape, (s) =>
        s.message(Shape.dim, (d) => d.string(Dimension.dimParam, 'batch')).message(Shape.dim, (d) => d.int(Dimension.dimValue, features)),
      ),
    ),
  );
}
