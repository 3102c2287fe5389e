import { parseArgs } from 'node:util';

import { EXPLAIN_OPTIONS, OPTION_NAMES, optionProblem, optionSpec } from '../options';
import type { OptionName, RunOptions } from '../options';

export type CommandName = 'run' | 'train' | 'explain' | 'evaluate';
export const COMMANDS: readonly CommandName[] = ['run', 'train', 'explain', 'evaluate'];

/** A bad command line: the CLI prints the message and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Flags that are not run options. */
const COMMAND_ONLY_FLAGS = {
  data: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The flag that sets each option, from the option schema (flags are kebab-case, options camelCase). */
export const FLAG_OF_OPTION: Readonly<Record<string, string>> = {
  data: '--data',
  out: '--out',
  ...Object.fromEntries(OPTION_NAMES.map((name) => [name, `--${optionSpec(name).flag}`])),
};
const OPTION_OF_FLAG = new Map(OPTION_NAMES.map((name) => [optionSpec(name).flag, name]));

const FLAGS: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
  ...COMMAND_ONLY_FLAGS,
  ...Object.fromEntries(OPTION_NAMES.map((name) => [optionSpec(name).flag, { type: 'string' as const }])),
};

const flagsOf = (names: readonly OptionName[]): string[] => names.map((name) => optionSpec(name).flag);

/** explain changes only how the trained model is read; evaluate only reads what explain wrote. */
export const COMMAND_FLAGS: Readonly<Record<CommandName, readonly string[]>> = {
  run: ['data', 'out', ...flagsOf(OPTION_NAMES), 'resume', 'help'],
  train: ['data', 'out', ...flagsOf(OPTION_NAMES), 'resume', 'help'],
  explain: ['data', 'out', ...flagsOf(EXPLAIN_OPTIONS), 'help'],
  evaluate: ['data', 'out', 'help'],
};

export interface ParsedCommand {
  command: CommandName;
  help: boolean;
  data?: string;
  out?: string;
  resume: boolean;
  options: RunOptions;
}

/** An option's value from its flag's text, checked against the option schema. */
function parseOption(name: OptionName, flag: string, text: string): unknown {
  const spec = optionSpec(name);
  let value: unknown;
  switch (spec.type) {
    case 'integer':
      if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`--${flag}: expected an integer, got "${text}"`);
      value = Number(text);
      break;
    case 'number':
      value = Number(text);
      if (!Number.isFinite(value)) throw new UsageError(`--${flag}: expected a number, got "${text}"`);
      break;
    case 'choice-list':
      value = text.split(',').map((item) => item.trim());
      break;
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw new UsageError(`--${flag}: expected true or false, got "${text}"`);
      value = text === 'true';
      break;
    default:
      value = text;
  }
  const problem = optionProblem(name, value);
  if (problem !== null) throw new UsageError(`--${flag}: ${problem}`);
  return value;
}

/** Parses `vad <command> [flags]`; throws UsageError naming the command or flag at fault. */
export function parseCommandLine(argv: readonly string[]): ParsedCommand | { command: null; help: true } {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help')
    return { command: null, help: true };
  if (!(COMMANDS as readonly string[]).includes(first)) {
    throw new UsageError(
      first.startsWith('-')
        ? `expected a command before ${first}: one of ${COMMANDS.join(', ')}`
        : `unknown command "${first}": expected one of ${COMMANDS.join(', ')}`,
    );
  }
  const command = first as CommandName;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...rest], options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    // parseArgs' own messages name the flag ("Unknown option '--sise'"); keep them, minus its hints.
    throw new UsageError(`${command}: ${(error as Error).message.split('. To specify')[0]}`);
  }
  const allowed = COMMAND_FLAGS[command];
  for (const flag of Object.keys(values)) {
    if (!allowed.includes(flag)) {
      const takers = COMMANDS.filter((name) => COMMAND_FLAGS[name].includes(flag));
      throw new UsageError(`--${flag} does not apply to ${command} (it is a flag of ${takers.join(', ')})`);
    }
  }
  const help = values.help === true;
  if (help) return { command, help, resume: false, options: {} };

  const text = (flag: string): string | undefined => {
    const value = values[flag];
    if (typeof value !== 'string') return undefined;
    if (value.trim() === '') throw new UsageError(`--${flag}: empty value`);
    return value;
  };
  const options: Record<string, unknown> = {};
  for (const flag of Object.keys(values)) {
    const name = OPTION_OF_FLAG.get(flag);
    const value = name === undefined ? undefined : text(flag);
    if (name !== undefined && value !== undefined) options[name] = parseOption(name, flag, value);
  }

  const out = text('out');
  if (out === undefined) throw new UsageError(`${command}: --out <dir> is required (the run's output folder)`);
  const data = text('data');
  const resume = values.resume === true;
  if (data === undefined && !resume && (command === 'run' || command === 'train'))
    throw new UsageError(`${command}: --data is required (a dataset folder or fashion-mnist:<class>)`);
  return {
    command,
    help: false,
    out,
    resume,
    options: options as RunOptions,
    ...(data === undefined ? {} : { data }),
  };
}
