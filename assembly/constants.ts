// Constants shared by the kernels and their TypeScript twins.

// Slope of leaky-relu for negative inputs. Twin of LEAKY_RELU_SLOPE in src/kernels.ts: change
// both together (the tests compare the kernels against the TypeScript oracle, which uses that one).
@inline export const LEAKY_RELU_SLOPE: f32 = 0.01;

// SELU's λ and λ·α (Klambauer et al. 2017), each rounded to f32 once from the f64 values. Twins of
// SELU_LAMBDA and SELU_LAMBDA·SELU_ALPHA in src/kernels.ts.
@inline export const SELU_LAMBDA: f32 = 1.0507009873554805;
@inline export const SELU_LAMBDA_ALPHA: f32 = 1.7580993408473766;
