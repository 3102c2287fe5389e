import { OPTION_NAMES, optionSpec, type OptionSpec } from '@vad/models';

import type { RunOption, RunOptionKind, RunOptionStage } from './run-option.type';

/** An option of the pipeline's schema as clients see it: choice values as the API's enum values. */
export function runOptionOf(name: string, spec: OptionSpec): RunOption {
  const ranged = spec.type === 'integer' || spec.type === 'number';
  const choices = spec.type === 'choice' || spec.type === 'choice-list';
  return {
    name,
    flag: `--${spec.flag}`,
    kind: spec.type as RunOptionKind,
    stage: spec.stage as RunOptionStage,
    description: spec.description,
    min: ranged ? spec.min : null,
    max: ranged ? spec.max : null,
    values: choices
      ? spec.values.map((value) => ({
          value: value.toUpperCase(),
          description: (spec.valueDescriptions as Record<string, string>)[value]!,
        }))
      : null,
    minItems: spec.type === 'choice-list' ? spec.minItems : null,
    maxItems: spec.type === 'choice-list' ? spec.maxItems : null,
    pattern: spec.type === 'layer' ? spec.pattern.source : null,
  };
}

export class RunOptionService {
  readonly #options: readonly RunOption[] = OPTION_NAMES.map((name) => runOptionOf(name, optionSpec(name)));

  /** Every option startRun takes besides the dataset and name, in the schema's order. */
  list(): readonly RunOption[] {
    return this.#options;
  }
}
