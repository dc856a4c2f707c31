/**
 * How much slower the first hidden layer learns than the last, at one moment of a network's life:
 * the batch gradient ‖∂C/∂b‖ of each hidden layer (Nielsen's speed of learning) and one example's
 * back-propagated gradient ‖δ‖ (RMS over the rows), both as first ÷ last hidden layer. Measured on
 * fixed rows through the public API: Network.gradients, and a TraceRecorder that reads the same
 * backward pass (the recorder's documented use for a step train() does not make). The weights are
 * left as they were.
 */
import type { Network } from '../api/network.js';
import { TraceRecorder } from '../flow/recorder.js';
import type { Dataset } from '../training/dataset.js';

/** First ÷ last hidden layer, of the batch gradient and of one example's δ. */
export interface GradientRatios {
  /** ‖∂C/∂b‖ of the first hidden layer ÷ that of the last hidden layer. */
  biasGradient: number;
  /** Per-example RMS ‖δ‖ of the first hidden layer ÷ that of the last hidden layer. */
  delta: number;
}

/** First ÷ last hidden layer of `net` on the rows of `probe` (every layer but the output is hidden). */
export function gradientRatios(net: Network, probe: Dataset): GradientRatios {
  const recorder = new TraceRecorder(net, { every: 1, histogramSteps: [] });
  try {
    const gradients = net.gradients(probe);
    recorder.afterBackprop(probe.rows, gradients.loss);
    const last = net.depth - 2;
    const trace = recorder.trace;
    return {
      biasGradient: gradients.layers[0].biasNorm / gradients.layers[last].biasNorm,
      delta: trace.at('deltaRms', 0, 0) / trace.at('deltaRms', 0, last),
    };
  } finally {
    recorder.close();
  }
}
