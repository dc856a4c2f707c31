/**
 * --schedule: train()'s learning-rate schedule (TrainOptions.schedule) as command-line text, `NAME[,FIELD=VALUE…]`:
 * `polynomial`, `cosine,endFactor=0.1`, `step,every=10,factor=0.5`. One flag, one word for the shell: the kind first, then
 * each setting by the field's own name, as docs/api.md and a trace's run.schedule spell it (a user moving between the command
 * line, the API and a trace file reads one name), comma-separated as --layers' sizes. Named fields rather than init's
 * NAME:NUMBER: a schedule has up to four numbers (step's every and factor, steps, from), and their order would have to be
 * remembered. Read here, checked by the library's own rules (schedule-check.ts), and written back from a trace for a rerun line.
 */
import { GradscopeError, typedWord } from '../errors.js';
import { orList } from '../list-text.js';
import { didYouMean } from '../suggest.js';
import { POLYNOMIAL_POWER, readSchedule, SCHEDULE_END_FACTOR, SCHEDULE_FIELDS } from '../schedule-check.js';
import { SCHEDULE_NAMES, type CallSchedule, type LearningRateSchedule } from '../learning-rate-schedule.js';
import { isDecimalNumber, OPTION_FLAGS, UsageError, type Flag } from './command.js';

/** --schedule in train's flag table. */
export const SCHEDULE_FLAG: Flag = {
  name: OPTION_FLAGS.schedule,
  value: 'NAME[,FIELD=V…]',
  about:
    `change the learning rate from step to step (train's schedule; default: none, the rate held), --learning-rate its start: ` +
    `polynomial[,power=P,endFactor=F] (PyTorch's PolynomialLR; P default ${POLYNOMIAL_POWER}, You et al.'s decay of LARS; F, the rate it ends at as a fraction of the start, default ${SCHEDULE_END_FACTOR}), ` +
    `cosine[,endFactor=F] (CosineAnnealingLR; F default ${SCHEDULE_END_FACTOR}) or step,every=N,factor=F (StepLR: × F every N epochs); ` +
    "each takes steps=T, the steps it spans (default: the run's), and from=S, the steps already taken (a resumed run's); batches --on-non-finite skip leaves out do not advance it",
};

/** A `FIELD=VALUE` after the kind: its field and its text. */
const FIELD = /^([A-Za-z]+)=(.*)$/;

/**
 * --schedule's `text` as TrainOptions.schedule, checked by the library's rules (readSchedule) before any work: a UsageError names
 * the flag and the field (`--schedule power: expected a finite number > 0, got -1`); undefined when the flag is absent.
 */
export function scheduleOfFlag(text: string | undefined): LearningRateSchedule | undefined {
  if (text === undefined) return undefined;
  const flag = `--${OPTION_FLAGS.schedule}`;
  const [name, ...fields] = text.split(',').map((part) => part.trim());
  if (!(SCHEDULE_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`${flag} starts with its kind, ${orList(SCHEDULE_NAMES)}, got ${typedWord(name)}${didYouMean(name, SCHEDULE_NAMES, (match) => `'${match}'`)}`);
  }
  // The kind's own fields, as the library names them; its name is the first word, not one of them.
  const known = SCHEDULE_FIELDS[name as LearningRateSchedule['name']].filter((key) => key !== 'name');
  const schedule: Record<string, string | number> = { name };
  for (const field of fields) {
    const match = FIELD.exec(field);
    if (match === null) throw new UsageError(`${flag} takes its kind, then FIELD=NUMBER settings (polynomial,power=${POLYNOMIAL_POWER}), got ${typedWord(field)} in ${typedWord(text)}`);
    const [, key, value] = match;
    if (!known.includes(key)) throw new UsageError(`${flag} ${name} has no field ${typedWord(key)} (its fields: ${known.join(', ')})${didYouMean(key, known, (match) => `'${match}'`)}`);
    if (Object.hasOwn(schedule, key)) throw new UsageError(`${flag} ${key}: given twice, in ${typedWord(text)}`);
    if (!isDecimalNumber(value) || !Number.isFinite(Number(value))) throw new UsageError(`${flag} ${key}: needs a decimal number, got ${typedWord(value)}`);
    schedule[key] = Number(value);
  }
  try {
    // The settings alone: the run's length is the library's to resolve when it trains.
    readSchedule(schedule, 1, 1);
  } catch (error) {
    if (!(error instanceof GradscopeError) || error.code !== 'INVALID_OPTION') throw error;
    // "schedule.power: …" → "--schedule power: …" (the kind and the fields were checked above).
    const [, field, rest] = /^schedule\.(\w+): (.*)$/s.exec(error.message) ?? [];
    if (rest === undefined) throw error;
    throw new UsageError(`${flag} ${field}: ${rest}`);
  }
  return schedule as unknown as LearningRateSchedule;
}

/**
 * A schedule a run followed (a trace's run.schedule) as --schedule's value for a line that reruns it for `plannedSteps` steps:
 * its kind and the settings that differ from the flag's defaults, `steps` where the run's length differs from the rerun's own,
 * `from` where it did not start the schedule; each number as String writes it, which the flag reads back exactly.
 */
export function scheduleFlagValue(schedule: CallSchedule, plannedSteps: number): string {
  const fields: [string, number, boolean][] =
    schedule.name === 'polynomial'
      ? [['power', schedule.power, schedule.power !== POLYNOMIAL_POWER], ['endFactor', schedule.endFactor, schedule.endFactor !== SCHEDULE_END_FACTOR]]
      : schedule.name === 'cosine'
        ? [['endFactor', schedule.endFactor, schedule.endFactor !== SCHEDULE_END_FACTOR]]
        : [['every', schedule.every, true], ['factor', schedule.factor, true]];
  const span: [string, number, boolean][] = [['steps', schedule.steps, schedule.steps !== plannedSteps], ['from', schedule.from, schedule.from !== 0]];
  return [schedule.name, ...[...fields, ...span].filter(([, , said]) => said).map(([key, value]) => `${key}=${value}`)].join(',');
}

/** A schedule as the settings line says it, every setting of its kind filled in: `a polynomial schedule (power 2, endFactor 0)`, its steps and from where given. */
export function scheduleSettingsText(schedule: LearningRateSchedule): string {
  const { name, steps: _steps, from: _from, epochSteps: _epochSteps, ...kind } = readSchedule(schedule, 1, 1);
  const settings = [...Object.entries(kind), ...(['steps', 'from'] as const).filter((key) => schedule[key] !== undefined).map((key) => [key, schedule[key]])];
  return `a ${name} schedule (${settings.map(([key, value]) => `${key} ${value}`).join(', ')})`;
}
