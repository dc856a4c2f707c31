/**
 * The initialisation a Keras or tfjs model.json names in its Dense layers' configs (kernel_initializer, bias_initializer),
 * as gradscope's Initialisation, where one of gradscope's initialisers draws from the same distribution: a network loaded
 * from such a file is then traced and diagnosed as drawn by it (Network.initialisation), as one loaded from a file
 * gradscope wrote is. Where the draw is another (tfjs' truncated normal, a Keras initialiser gradscope has not), or the
 * layers name different ones (gradscope records one for every layer), nothing is recorded and a note says why: none is
 * guessed, for diagnose() would offer or withhold an initialiser on it.
 */
import type { BiasInit, WeightInit } from '../init/initializers.js';
import { isStd, WEIGHT_INIT_KERAS } from '../init/initializers.js';
import type { Initialisation } from '../init/initialisation.js';
import { RUNAWAY_PARAMETER } from '../model-limits.js';
import { isObject } from './tfjs-format.js';

/** A Dense layer's initialisers as its config names them, and how notes name the layer. */
export interface NamedInitializers {
  name: string;
  kernel: unknown;
  bias: unknown;
}

/** An initialiser read as gradscope's, or why it is none. */
type Read<T> = { value: T } | { why: string };

/** Who drew the weights, by model.json's generatedBy: the truncated normal is Keras' (its std divided by 0.8796) or tfjs' (not divided). */
type Drawer = 'keras' | 'tfjs' | 'unknown';

/**
 * Keras' initialiser classes that are VarianceScaling with fixed arguments (keras/src/initializers/random_initializers.py;
 * tfjs serialises its own as VarianceScaling). 'normal' is VarianceScaling's truncated normal: Keras' own name for it before
 * 'truncated_normal', and tfjs' only one.
 */
const VARIANCE_SCALING_CLASSES: Readonly<Record<string, { scale: number; mode: string; distribution: string }>> = {
  GlorotUniform: { scale: 1, mode: 'fan_avg', distribution: 'uniform' },
  GlorotNormal: { scale: 1, mode: 'fan_avg', distribution: 'normal' },
  HeNormal: { scale: 2, mode: 'fan_in', distribution: 'normal' },
  HeUniform: { scale: 2, mode: 'fan_in', distribution: 'uniform' },
  LecunNormal: { scale: 1, mode: 'fan_in', distribution: 'normal' },
  LecunUniform: { scale: 1, mode: 'fan_in', distribution: 'uniform' },
};

/** Keras' snake_case and tfjs' camelCase names of those classes and of the others read here (a string in place of { class_name }). */
const CLASS_OF_NAME: Readonly<Record<string, string>> = {
  glorot_uniform: 'GlorotUniform',
  glorotUniform: 'GlorotUniform',
  glorot_normal: 'GlorotNormal',
  glorotNormal: 'GlorotNormal',
  he_normal: 'HeNormal',
  heNormal: 'HeNormal',
  he_uniform: 'HeUniform',
  heUniform: 'HeUniform',
  lecun_normal: 'LecunNormal',
  lecunNormal: 'LecunNormal',
  lecun_uniform: 'LecunUniform',
  lecunUniform: 'LecunUniform',
  orthogonal: 'Orthogonal',
  zeros: 'Zeros',
  ones: 'Ones',
};

/** VarianceScaling's modes as Keras writes them (tfjs' camelCase read as these). */
const MODES: Readonly<Record<string, string>> = { fan_in: 'fan_in', fanIn: 'fan_in', fan_out: 'fan_out', fanOut: 'fan_out', fan_avg: 'fan_avg', fanAvg: 'fan_avg' };

/** The class and config of a serialised initialiser: { class_name, config } (Keras 3 adds module and registered_name), or its name alone. */
function classAndConfig(value: unknown): { className: string; config: Record<string, unknown> } | undefined {
  if (typeof value === 'string') return { className: CLASS_OF_NAME[value] ?? value, config: {} };
  if (!isObject(value) || typeof value.class_name !== 'string') return undefined;
  return { className: CLASS_OF_NAME[value.class_name] ?? value.class_name, config: isObject(value.config) ? value.config : {} };
}

/** Whether two scales are one: JSON writes 1/3 as 0.3333333333333333. */
const sameScale = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * b;

/**
 * The named initialiser of gradscope whose draw VarianceScaling(scale, mode, distribution) is, by `drawer`'s truncated normal,
 * else a reason there is none.
 */
function varianceScalingInit(scale: unknown, mode: unknown, distribution: unknown, drawer: Drawer): Read<WeightInit> {
  const fans = typeof mode === 'string' ? MODES[mode] : undefined;
  const said = `VarianceScaling(scale ${String(scale)}, mode ${String(mode)}, distribution ${String(distribution)})`;
  if (typeof scale !== 'number' || fans === undefined) return { why: `${said} is not one gradscope reads` };
  // Keras' 'normal' and 'truncated_normal' divide the std by 0.8796 (the variance kept); tfjs' 'normal' does not (0.774 of it).
  let kind: string | undefined;
  if (distribution === 'uniform' || distribution === 'untruncated_normal') kind = distribution;
  else if (distribution === 'truncated_normal' || distribution === 'normal') {
    if (drawer === 'tfjs') return { why: `${said}: tfjs draws a normal cut at 2 std without dividing its std by 0.8796 (a variance of 0.774·scale/n), which none of gradscope's initialisers draws` };
    if (drawer === 'unknown') return { why: `${said}: the file does not say whether Keras (the std divided by 0.8796) or tfjs (not divided) drew it (generatedBy)` };
    kind = 'truncated_normal';
  }
  const found = Object.entries(WEIGHT_INIT_KERAS).find(([, k]) => k !== undefined && k.mode === fans && k.distribution === kind && sameScale(scale, k.scale));
  return found ? { value: found[0] as WeightInit } : { why: `${said} is none of gradscope's initialisers` };
}

/** A kernel initialiser as gradscope's, else why it is none. */
function kernelInit(value: unknown, drawer: Drawer): Read<WeightInit> {
  const read = classAndConfig(value);
  if (read === undefined) return { why: `kernel_initializer ${JSON.stringify(value)} is not an initialiser gradscope reads` };
  const { className, config } = read;
  const fixed = VARIANCE_SCALING_CLASSES[className];
  if (fixed) {
    const init = varianceScalingInit(fixed.scale, fixed.mode, fixed.distribution, drawer);
    return 'why' in init ? { why: `${className}: ${init.why}` } : init;
  }
  if (className === 'VarianceScaling') {
    // Keras' default distribution is 'truncated_normal' (3; 'normal' in 2), tfjs' 'normal': both its truncated normal.
    return varianceScalingInit(config.scale ?? 1, config.mode ?? 'fan_in', config.distribution ?? 'normal', drawer);
  }
  if (className === 'Orthogonal' && (config.gain ?? 1) === 1) return { value: 'orthogonal' };
  if (className === 'RandomNormal' && (config.mean ?? 0) === 0 && isStd(config.stddev ?? 0.05, false)) return { value: { name: 'normal', std: (config.stddev ?? 0.05) as number } };
  return { why: `${className} ${JSON.stringify(config)} is none of gradscope's initialisers` };
}

/** A bias initialiser as gradscope's, else why it is none. */
function biasInit(value: unknown): Read<BiasInit> {
  const read = classAndConfig(value);
  if (read === undefined) return { why: `bias_initializer ${JSON.stringify(value)} is not an initialiser gradscope reads` };
  const { className, config } = read;
  if (className === 'Zeros') return { value: 'zero' };
  if (className === 'Ones') return { value: { name: 'constant', value: 1 } };
  if (className === 'Constant' && typeof config.value === 'number' && Math.abs(config.value) <= RUNAWAY_PARAMETER) return { value: { name: 'constant', value: config.value } };
  if (className === 'RandomNormal' && (config.mean ?? 0) === 0 && isStd(config.stddev ?? 0.05, true)) return { value: { name: 'normal', std: (config.stddev ?? 0.05) as number } };
  return { why: `${className} ${JSON.stringify(config)} is none of gradscope's bias initialisers` };
}

/** Who drew a file's weights, by its generatedBy ('keras v2.2.4-tf', 'TensorFlow.js tfjs-layers v4.22.0'). */
function drawerOf(generatedBy: unknown): Drawer {
  if (typeof generatedBy !== 'string') return 'unknown';
  if (/tfjs-layers/.test(generatedBy)) return 'tfjs';
  // Keras 2.2.4 (keras/initializers.py) and 3 divide the truncated normal's std by 0.8796; an older Keras is not read.
  const keras = /^keras v(\d+)\.(\d+)/.exec(generatedBy);
  return keras && (Number(keras[1]) > 2 || (Number(keras[1]) === 2 && Number(keras[2]) >= 2)) ? 'keras' : 'unknown';
}

/**
 * `{ initialisation }` as the Dense `layers` name it (all of them one kernel and one bias initialiser gradscope has), with a
 * line in `notes` saying where it came from; `{}` with a line saying why where they name one gradscope cannot record; `{}`
 * alone where no layer names any (gradscope's own files, which keep theirs in userDefinedMetadata).
 */
export function kerasInitialisation(layers: readonly NamedInitializers[], generatedBy: unknown, notes: string[]): { initialisation?: Initialisation } {
  if (layers.every((layer) => layer.kernel === undefined && layer.bias === undefined)) return {};
  const drawer = drawerOf(generatedBy);
  const read = layers.map((layer) => ({ name: layer.name, init: kernelInit(layer.kernel, drawer), biasInit: biasInit(layer.bias) }));
  for (const layer of read) {
    const why = 'why' in layer.init ? layer.init.why : 'why' in layer.biasInit ? layer.biasInit.why : undefined;
    if (why !== undefined) {
      notes.push(`no initialisation recorded: Dense layer '${layer.name}': ${why}`);
      return {};
    }
  }
  const drawn = read.map((layer) => ({ name: layer.name, pair: [(layer.init as { value: WeightInit }).value, (layer.biasInit as { value: BiasInit }).value] as const }));
  const [first] = drawn;
  const other = drawn.find((layer) => JSON.stringify(layer.pair) !== JSON.stringify(first.pair));
  if (other) {
    notes.push(`no initialisation recorded: Dense layers '${first.name}' and '${other.name}' were drawn by different initialisers (${JSON.stringify(first.pair)} and ${JSON.stringify(other.pair)}), and gradscope records one for every layer`);
    return {};
  }
  const initialisation: Initialisation = { init: first.pair[0], biasInit: first.pair[1] };
  notes.push(`initialisation read from the Dense layers' kernel_initializer and bias_initializer: init ${JSON.stringify(initialisation.init)}, biasInit ${JSON.stringify(initialisation.biasInit)}`);
  return { initialisation };
}
