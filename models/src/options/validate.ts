import { OPTION_NAMES, optionSpec } from './run-options';
import type { IntegerOption, NumberOption, OptionName, RunOptions } from './run-options';

// Checks of option values against the schema in run-options.ts, shared by the CLI, the pipeline and the API.

/** A bad option value; `option` is the option's name, so the CLI can name its flag and the API its field. */
export class ConfigError extends RangeError {
  readonly option: string;

  constructor(option: string, message: string) {
    super(`${option}: ${message}`);
    this.name = 'ConfigError';
    this.option = option;
  }
}

function describeRange(spec: IntegerOption | NumberOption): string {
  return `${spec.min}..${spec.max}`;
}

/** Why a value breaks its option's schema, or null when it fits. */
export function optionProblem(name: OptionName, value: unknown): string | null {
  const spec = optionSpec(name);
  switch (spec.type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= spec.min && value <= spec.max
        ? null
        : `must be an integer in ${describeRange(spec)}, got ${String(value)}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= spec.min && value <= spec.max
        ? null
        : `must be a number in ${describeRange(spec)}, got ${String(value)}`;
    case 'choice':
      return typeof value === 'string' && spec.values.includes(value)
        ? null
        : `must be one of ${spec.values.join(', ')}, got "${String(value)}"`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `must be true or false, got ${JSON.stringify(value) ?? 'undefined'}`;
    case 'layer':
      return typeof value === 'string' && spec.pattern.test(value)
        ? null
        : `must be an encoder layer (${spec.patternText}), got "${String(value)}"`;
    case 'choice-list': {
      if (!Array.isArray(value)) return `must be a list of ${spec.values.join(', ')}`;
      if (value.length < spec.minItems || value.length > spec.maxItems)
        return `must name ${spec.minItems} to ${spec.maxItems} of ${spec.values.join(', ')}, got ${value.length}`;
      const unknown = value.find((item) => typeof item !== 'string' || !spec.values.includes(item));
      if (unknown !== undefined) return `must each be one of ${spec.values.join(', ')}, got "${String(unknown)}"`;
      if (new Set(value).size !== value.length) return `names a value twice: ${value.join(', ')}`;
      return null;
    }
  }
}

/** Checks every option a caller set against the schema, before anything is loaded, so bad input fails at once. */
export function validateOptions(options: RunOptions): void {
  for (const name of OPTION_NAMES) {
    const value = options[name];
    if (value === undefined) continue;
    const problem = optionProblem(name, value);
    if (problem !== null) throw new ConfigError(name, problem);
  }
}

/** Only the options named, for callers that pass a larger object (explain takes explain-time options alone). */
export function pickOptions(options: RunOptions, names: readonly OptionName[]): RunOptions {
  const picked: Record<string, unknown> = {};
  for (const name of names) if (options[name] !== undefined) picked[name] = options[name];
  return picked as RunOptions;
}
