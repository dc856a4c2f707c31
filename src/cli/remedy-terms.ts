/**
 * How diagnose()'s remedies read on a command's line: each setting by the printing command's own
 * flag where it has one (`--learning-rate 0.1` on study --model), else on a `gradscope train` line
 * where train has it (`gradscope train --activation relu`: train makes the networks the other
 * commands read, and the studies' fixed recipes take few flags), else as the library's option, said
 * to have no flag here. Each flag is OPTION_FLAGS' name, found in the command's own flag table.
 */
import { REMEDY_OPTION_OWNER, type RemedyOption, type RemedyTerms } from '../flow/remedy.js';
import { OPTION_FLAGS, optionFlag, type Command } from './command.js';
import { trainCommand } from './commands/train.js';

/** The options a remedy may set that OPTION_FLAGS names a flag for. */
const FLAGGED_OPTIONS = (Object.keys(REMEDY_OPTION_OWNER) as RemedyOption[]).filter((option): option is RemedyOption & keyof typeof OPTION_FLAGS => Object.hasOwn(OPTION_FLAGS, option));

/** Each of those options that `command` has the flag of, with its flag ('--learning-rate'), leaving out `except`'s. */
function flagsOf(command: Command, except: RemedyTerms['flags'] = {}): NonNullable<RemedyTerms['flags']> {
  const flags: NonNullable<RemedyTerms['flags']> = {};
  for (const option of FLAGGED_OPTIONS) {
    const flag = optionFlag(command, option);
    if (flag && except[option] === undefined) flags[option] = flag;
  }
  return flags;
}

/** The remedies' terms on `command`'s line: its own flags, then `gradscope train`'s for the options it has no flag for. */
export function remedyTerms(command: Command): RemedyTerms {
  const flags = flagsOf(command);
  if (command === trainCommand) return { form: 'flags', flags };
  return { form: 'flags', flags, elsewhere: { command: ['gradscope', ...trainCommand.words].join(' '), flags: flagsOf(trainCommand, flags) } };
}
