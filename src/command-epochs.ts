/**
 * The epochs a command that trains (`gradscope train`, `gradscope study --model`) runs when --epochs
 * is not given. It sits below cli/, which offers it as the flag's default (cli/training-flags.ts), and
 * flow/, which measured the relu remedy's rate over it (RELU_RATE_SETUP): the remedy prints a command
 * that trains it, so the rate and the default cannot drift apart.
 */
export const COMMAND_EPOCHS = 10;
