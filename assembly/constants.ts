// Constants shared by the kernels and their TypeScript twins.

// Slope of leaky-relu for negative inputs. Twin of LEAKY_RELU_SLOPE in src/kernels.ts: change
// both together (the tests compare the kernels against the TypeScript oracle, which uses that one).
@inline export const LEAKY_RELU_SLOPE: f32 = 0.01;
