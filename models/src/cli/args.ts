import { parseArgs } from 'node:util';

import type { CamSign, DeviceRequest, LossKind } from '@vad/native';

import { ATTENTION_TARGETS, CAM_SIGNS, DEVICES, IMAGE_SCORES, LOSS_KINDS } from '../pipeline/config';
import type { ConfigOverrides } from '../pipeline/config';
import { PRESET_NAMES } from '../presets';
import type { AttentionTarget, ImageScore, PresetName } from '../presets';

export type CommandName = 'run' | 'train' | 'explain' | 'evaluate';
export const COMMANDS: readonly CommandName[] = ['run', 'train', 'explain', 'evaluate'];

/** A bad command line: the CLI prints the message and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Every flag, with the ConfigOverrides key it sets (if any). */
const FLAGS = {
  data: { type: 'string' },
  out: { type: 'string' },
  preset: { type: 'string' },
  size: { type: 'string' },
  epochs: { type: 'string' },
  batch: { type: 'string' },
  loss: { type: 'string' },
  layer: { type: 'string' },
  'attention-weight': { type: 'string' },
  'attention-sign': { type: 'string' },
  'attention-targets': { type: 'string' },
  smoothing: { type: 'string' },
  score: { type: 'string' },
  device: { type: 'string' },
  seed: { type: 'string' },
  resume: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type FlagName = keyof typeof FLAGS;

const TRAINING_FLAGS: readonly FlagName[] = [
  'data',
  'out',
  'preset',
  'size',
  'epochs',
  'batch',
  'loss',
  'layer',
  'attention-weight',
  'attention-sign',
  'attention-targets',
  'smoothing',
  'score',
  'device',
  'seed',
  'resume',
  'help',
];

/** explain changes only how the trained model is read; evaluate only reads what explain wrote. */
export const COMMAND_FLAGS: Readonly<Record<CommandName, readonly FlagName[]>> = {
  run: TRAINING_FLAGS,
  train: TRAINING_FLAGS,
  explain: ['data', 'out', 'layer', 'attention-sign', 'attention-targets', 'smoothing', 'score', 'device', 'help'],
  evaluate: ['data', 'out', 'help'],
};

/** The flag that sets each option, for error messages from the pipeline (which names options). */
export const FLAG_OF_OPTION: Readonly<Record<string, string>> = {
  data: '--data',
  out: '--out',
  preset: '--preset',
  size: '--size',
  epochs: '--epochs',
  batchSize: '--batch',
  loss: '--loss',
  layer: '--layer',
  attentionWeight: '--attention-weight',
  attentionSign: '--attention-sign',
  attentionTargets: '--attention-targets',
  smoothing: '--smoothing',
  score: '--score',
  device: '--device',
  seed: '--seed',
};

export interface ParsedCommand {
  command: CommandName;
  help: boolean;
  data?: string;
  out?: string;
  resume: boolean;
  overrides: ConfigOverrides;
}

function integer(flag: string, text: string, min: number): number {
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`--${flag}: expected an integer, got "${text}"`);
  const value = Number(text);
  if (value < min) throw new UsageError(`--${flag}: must be at least ${min}, got ${value}`);
  return value;
}

function number(flag: string, text: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new UsageError(`--${flag}: expected a number, got "${text}"`);
  return value;
}

function oneOf<T extends string>(flag: string, text: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text))
    throw new UsageError(`--${flag}: expected one of ${allowed.join(', ')}, got "${text}"`);
  return text as T;
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
  let values: Partial<Record<FlagName, string | boolean>>;
  try {
    ({ values } = parseArgs({ args: [...rest], options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    // parseArgs' own messages name the flag ("Unknown option '--sise'"); keep them, minus its hints.
    throw new UsageError(`${command}: ${(error as Error).message.split('. To specify')[0]}`);
  }
  const allowed = COMMAND_FLAGS[command];
  for (const flag of Object.keys(values) as FlagName[]) {
    if (!allowed.includes(flag)) {
      const takers = COMMANDS.filter((name) => COMMAND_FLAGS[name].includes(flag));
      throw new UsageError(`--${flag} does not apply to ${command} (it is a flag of ${takers.join(', ')})`);
    }
  }
  const help = values.help === true;
  if (help) return { command, help, resume: false, overrides: {} };

  const text = (flag: FlagName): string | undefined => {
    const value = values[flag];
    if (typeof value !== 'string') return undefined;
    if (value.trim() === '') throw new UsageError(`--${flag}: empty value`);
    return value;
  };
  const overrides: ConfigOverrides = {};
  const preset = text('preset');
  if (preset !== undefined) overrides.preset = oneOf<PresetName>('preset', preset, PRESET_NAMES);
  const size = text('size');
  if (size !== undefined) overrides.size = integer('size', size, 32);
  const epochs = text('epochs');
  if (epochs !== undefined) overrides.epochs = integer('epochs', epochs, 1);
  const batch = text('batch');
  if (batch !== undefined) overrides.batchSize = integer('batch', batch, 2);
  const loss = text('loss');
  if (loss !== undefined) overrides.loss = oneOf<LossKind>('loss', loss, LOSS_KINDS);
  const layer = text('layer');
  if (layer !== undefined) overrides.layer = layer;
  const weight = text('attention-weight');
  if (weight !== undefined) {
    overrides.attentionWeight = number('attention-weight', weight);
    if (overrides.attentionWeight < 0) throw new UsageError(`--attention-weight: must be >= 0, got ${weight}`);
  }
  const sign = text('attention-sign');
  if (sign !== undefined) overrides.attentionSign = oneOf<CamSign>('attention-sign', sign, CAM_SIGNS);
  const targets = text('attention-targets');
  if (targets !== undefined) {
    overrides.attentionTargets = targets
      .split(',')
      .map((target) => oneOf<AttentionTarget>('attention-targets', target.trim(), ATTENTION_TARGETS));
  }
  const smoothing = text('smoothing');
  if (smoothing !== undefined) overrides.smoothing = number('smoothing', smoothing);
  const score = text('score');
  if (score !== undefined) overrides.score = oneOf<ImageScore>('score', score, IMAGE_SCORES);
  const device = text('device');
  if (device !== undefined) overrides.device = oneOf<DeviceRequest>('device', device, DEVICES);
  const seed = text('seed');
  if (seed !== undefined) overrides.seed = integer('seed', seed, 0);

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
    overrides,
    ...(data === undefined ? {} : { data }),
  };
}
