import { OPTION_NAMES, optionSpec, type OptionName, type RunOptions } from '@vad/models';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsOptional,
  Matches,
  Max,
  Min,
  type ValidationOptions,
} from 'class-validator';
import { Field, Float, Int } from 'type-graphql';

import { OPTION_ENUMS } from './run-option.type';

// GraphQL fields declared from the option schema, one per option, so that an option added to @vad/models is an
// input field of startRun and a preset setting with no further code here: its type, description and checks all
// come from the schema.

/** startRun's options as GraphQL carries them: every one may be left out (null). */
export type OptionInputs = { [K in OptionName]?: RunOptions[K] | null };

type ReturnTypeFunc = NonNullable<Parameters<typeof Field>[0]>;

/** An option's GraphQL type: its enum for a choice (a list of it for a choice list), else the scalar. */
export function graphqlType(name: OptionName): ReturnTypeFunc {
  const spec = optionSpec(name);
  switch (spec.type) {
    case 'integer':
      return () => Int;
    case 'number':
      return () => Float;
    case 'layer':
      return () => String;
    case 'boolean':
      return () => Boolean;
    case 'choice':
    case 'choice-list': {
      const enumObject = OPTION_ENUMS[name];
      if (enumObject === undefined) throw new Error(`run option ${name} has no GraphQL enum (run-option.type.ts)`);
      return spec.type === 'choice' ? () => enumObject as never : () => [enumObject as never];
    }
  }
}

/** Declares each option as a nullable input field with the schema's range, values or pattern as its checks. */
export function declareOptionInputs(target: { prototype: object }, names: readonly OptionName[] = OPTION_NAMES): void {
  for (const name of names) {
    const spec = optionSpec(name);
    const decorate = (decorator: PropertyDecorator) => decorator(target.prototype, name);
    decorate(Field(graphqlType(name), { nullable: true, description: spec.description }));
    decorate(IsOptional());
    if (spec.type === 'integer' || spec.type === 'number') {
      decorate(Min(spec.min));
      decorate(Max(spec.max));
    } else if (spec.type === 'choice-list') {
      decorate(ArrayMinSize(spec.minItems));
      decorate(ArrayMaxSize(spec.maxItems));
      decorate(ArrayUnique());
    } else if (spec.type === 'layer') {
      const rule: ValidationOptions = { message: `$property must be an encoder layer (${spec.patternText})` };
      decorate(Matches(spec.pattern, rule));
    }
  }
}

/** Declares each option as a non-null output field (a preset's value of it). */
export function declareOptionOutputs(target: { prototype: object }, names: readonly OptionName[]): void {
  for (const name of names) {
    Field(graphqlType(name), { description: optionSpec(name).description })(target.prototype, name);
  }
}

/**
 * Declares each option as a nullable output field: the value a run was started with, null where it was left out
 * (then the preset or the data decided, and the run's config says what).
 */
export function declareOptionValues(target: { prototype: object }, names: readonly OptionName[] = OPTION_NAMES): void {
  for (const name of names) {
    const description = `${optionSpec(name).description} Null: not given.`;
    Field(graphqlType(name), { nullable: true, description })(target.prototype, name);
  }
}
