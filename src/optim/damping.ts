/**
 * The Levenberg–Marquardt rule Hessian-free and K-FAC adapt their damping λ by (Martens 2010 §4.1,
 * Martens & Grosse 2015 §6.5): ρ is the loss's actual change over the change the quadratic model
 * predicted. Below LM_LOW (or NaN) the model was too trusting and λ grows; above LM_HIGH it was too
 * timid and λ shrinks. Each optimiser keeps its own factors and bounds.
 */
export const LM_LOW = 0.25;
export const LM_HIGH = 0.75;

/** The unit roundoff of a backend's numbers: a change below this share of a value is lost in its rounding. */
export const UNIT_ROUNDOFF = { f32: 2 ** -23, f64: 2 ** -52 } as const;

/**
 * Whether a predicted change of the loss `loss` can be read at all from the loss's change in
 * `precision`: it must exceed the loss's own rounding (UNIT_ROUNDOFF × |loss|). Below it, the loss
 * measured before and after a step differs by rounding alone (a float32 plateau at ln 2 ≈ 0.69 reads
 * changes of ±4·10⁻⁹ where the model predicts 10⁻¹¹), and ρ is that noise over the prediction.
 */
export function predictionReadable(predicted: number, loss: number, precision: keyof typeof UNIT_ROUNDOFF): boolean {
  return Math.abs(predicted) > UNIT_ROUNDOFF[precision] * Math.abs(loss);
}
