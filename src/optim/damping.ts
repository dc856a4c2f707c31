/**
 * The Levenberg–Marquardt rule Hessian-free and K-FAC adapt their damping λ by (Martens 2010 §4.1,
 * Martens & Grosse 2015 §6.5): ρ is the loss's actual change over the change the quadratic model
 * predicted. Below LM_LOW (or NaN) the model was too trusting and λ grows; above LM_HIGH it was too
 * timid and λ shrinks. Each optimiser keeps its own factors and bounds.
 */
export const LM_LOW = 0.25;
export const LM_HIGH = 0.75;
