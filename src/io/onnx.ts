/**
 * ONNX export for inference in ONNX Runtime (or anything else that reads ONNX): each layer is a
 * Gemm (Y = X·Wᵀ + b, transB = 1, because gradscope stores W as [out][in]) followed by its
 * activation op; 'linear' adds no op. Input "input" and output "output" are float32
 * [batch, features] with a symbolic batch dimension. The protobuf is written by hand
 * (src/io/protobuf.ts) with the field numbers of onnx/onnx.proto.
 */
import { LEAKY_RELU_SLOPE, SELU_ALPHA, SELU_LAMBDA, type OutputActivation } from '../kernels.js';
import type { ModelData } from '../network/model-file.js';
import type { Network } from '../api/network.js';
import { asModelData } from './model-data.js';
import { ProtoWriter } from './protobuf.js';

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

/** The model as ONNX bytes (a serialized ModelProto); see the module comment for the graph. */
export function toOnnx(source: Network | ModelData): Uint8Array {
  const model = asModelData(source);
  const depth = model.activations.length;
  const graph = new ProtoWriter().string(Graph.name, 'gradscope');
  let current = 'input';
  model.activations.forEach((activation, l) => {
    const last = l === depth - 1;
    const op = ACTIVATION_OPS[activation];
    const gemmOut = last && op === null ? 'output' : `layer${l}.z`;
    const w = `layer${l}.weight`;
    const b = `layer${l}.bias`;
    graph.message(Graph.initializer, (t) => tensor(t, w, [model.sizes[l + 1], model.sizes[l]], model.weights[l]));
    graph.message(Graph.initializer, (t) => tensor(t, b, [model.sizes[l + 1]], model.biases[l]));
    graph.message(Graph.node, (n) => node(n, 'Gemm', `layer${l}.gemm`, [current, w, b], gemmOut, { transB: { int: 1 } }));
    current = gemmOut;
    if (op !== null) {
      const out = last ? 'output' : `layer${l}.a`;
      graph.message(Graph.node, (n) => node(n, op.op, `layer${l}.${activation}`, [current], out, op.attributes ?? {}));
      current = out;
    }
  });
  graph.message(Graph.input, (v) => valueInfo(v, 'input', model.sizes[0]));
  graph.message(Graph.output, (v) => valueInfo(v, 'output', model.sizes[depth]));

  const onnx = new ProtoWriter()
    .int(Model.irVersion, IR_VERSION)
    .string(Model.producerName, 'gradscope')
    .message(Model.opsetImport, (o) => o.string(OpsetId.domain, '').int(OpsetId.version, ONNX_OPSET))
    .bytes(Model.graph, graph.finish());
  // Training-only facts ONNX has no place for, kept so a reader knows what the model was fit to.
  for (const [key, value] of [['gradscope.loss', model.loss], ['gradscope.activations', model.activations.join(',')]]) {
    onnx.message(Model.metadataProps, (e) => e.string(Entry.key, key).string(Entry.value, value));
  }
  return onnx.finish();
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
