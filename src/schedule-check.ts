/**
 * TrainOptions.schedule checked (INVALID_OPTION naming the field, before anything changes) and resolved for one call: its
 * defaults filled in, its length T the call's planned steps unless given, and the factor of the call's last planned step, the
 * smallest it will use (every schedule only falls), whose rate train() checks up front as it checks the starting one. A saved
 * trace's run.schedule is checked by the same rules (checkRunSchedule).
 */
import { checkChoice, checkKnownKeys, checkNumber, checkObjectArgument, checkWhole } from './checks.js';
import { COUNT_BOUND } from './run-counts.js';
import { invalidOption } from './errors.js';
import { scheduleFactor, SCHEDULE_NAMES, type CallSchedule, type LearningRateSchedule, type RunSchedule, type ScheduleKind } from './learning-rate-schedule.js';

/** The fields each kind of schedule takes. */
export const SCHEDULE_FIELDS: Readonly<Record<LearningRateSchedule['name'], readonly string[]>> = {
  polynomial: ['name', 'power', 'endFactor', 'steps', 'from'],
  cosine: ['name', 'endFactor', 'steps', 'from'],
  step: ['name', 'every', 'factor', 'steps', 'from'],
};

/** PolynomialSchedule's and CosineSchedule's endFactor default: the rate decays to 0, as PyTorch's PolynomialLR and CosineAnnealingLR's eta_min default. */
export const SCHEDULE_END_FACTOR = 0;

/** The fields a trace records beside a schedule's own (RunSchedule). */
const RUN_FIELDS = ['epochSteps', 'atStep'];

/** PolynomialSchedule.power's default: You et al.'s (2017) decay of LARS's rate, (1 − t/T)². */
export const POLYNOMIAL_POWER = 2;

/** `value`'s kind and settings checked, named from `where` ('schedule', 'run.schedule'), with `extra` fields allowed beside them; its `steps` as given. */
function checkKind(value: unknown, where: string, extra: readonly string[]): ScheduleKind & { from: number; steps?: number } {
  checkObjectArgument(value, where, `an object { name: ${SCHEDULE_NAMES.map((n) => `'${n}'`).join(' | ')}, … }`);
  const given = value as Record<string, unknown>;
  const name = checkChoice(given.name, SCHEDULE_NAMES, `${where}.name`);
  checkKnownKeys(value, [...SCHEDULE_FIELDS[name], ...extra], where);
  const span = {
    ...(given.steps !== undefined && { steps: checkWhole(given.steps, `${where}.steps`, 1, COUNT_BOUND, 'steps') }),
    from: given.from === undefined ? 0 : checkWhole(given.from, `${where}.from`, 0, COUNT_BOUND, 'steps'),
  };
  const endFactor = () => checkNumber(given.endFactor, `${where}.endFactor`, { min: 0, max: 1 }, SCHEDULE_END_FACTOR);
  if (name === 'polynomial') return { name, power: checkNumber(given.power, `${where}.power`, { min: 0, above: true }, POLYNOMIAL_POWER), endFactor: endFactor(), ...span };
  if (name === 'cosine') return { name, endFactor: endFactor(), ...span };
  const every = checkWhole(given.every, `${where}.every`, 1, COUNT_BOUND, 'epochs');
  // Required: a step schedule without its factor would not fall ('got none', as checkWhole says of a missing every).
  if (given.factor === undefined) throw invalidOption(`${where}.factor: expected a finite number > 0 and ≤ 1, got none: a step schedule needs what each drop multiplies the rate by`);
  const factor = checkNumber(given.factor, `${where}.factor`, { min: 0, above: true, max: 1 }, NaN);
  return { name, every, factor, ...span };
}

/**
 * TrainOptions.schedule checked (INVALID_OPTION naming the field: not an object, an unknown kind or field, a value out of range)
 * and resolved for a call of `plannedSteps` steps whose epochs hold `epochSteps` batches: T the given `steps`, else `plannedSteps`.
 */
export function readSchedule(value: unknown, plannedSteps: number, epochSteps: number): CallSchedule {
  const kind = checkKind(value, 'schedule', []);
  return { ...kind, steps: kind.steps ?? plannedSteps, epochSteps };
}

/** A saved trace's run.schedule checked by the option's rules, with its recorded length, epoch's batches and starting step (INVALID_OPTION naming the field). */
export function checkRunSchedule(value: unknown): RunSchedule {
  const kind = checkKind(value, 'run.schedule', RUN_FIELDS);
  const given = value as Record<string, unknown>;
  const steps = checkWhole(given.steps, 'run.schedule.steps', 1, COUNT_BOUND, 'steps');
  const epochSteps = checkWhole(given.epochSteps, 'run.schedule.epochSteps', 1, COUNT_BOUND, 'batches');
  const atStep = checkWhole(given.atStep, 'run.schedule.atStep', 0, COUNT_BOUND, 'steps');
  return { ...kind, steps, epochSteps, atStep };
}

/** The factor of the last step of a call that planned `plannedSteps` steps under `schedule`: the smallest it uses (every kind only falls). */
export function lastFactor(schedule: CallSchedule, plannedSteps: number): number {
  return scheduleFactor(schedule, schedule.from + plannedSteps - 1);
}
