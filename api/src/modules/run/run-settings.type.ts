import { CONFIG_FIELDS, optionSpec, type ConfigFieldSpec, type PipelineConfig } from '@vad/models';
import { Field, Float, Int, ObjectType } from 'type-graphql';

import { declareOptionValues, graphqlType, type OptionInputs } from '../run-option/option-fields';
import { DeviceKind, RunPreset } from '../run-option/run-option.type';

// A run's options and resolved config as typed objects. Both are declared from @vad/models' schemas, so that an
// option or a config setting added there is a field here with no further code: the options from the option schema
// (one nullable field per option), the config's sections from CONFIG_FIELDS (a field a run option sets has that
// option's type and description).

@ObjectType({
  simpleResolvers: true,
  description:
    "The options startRun was given, one field per option (the same as StartRunInput's); null where one was left " +
    'out. What the run used for every setting is its `config`.',
})
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class RunOptions {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface RunOptions extends OptionInputs {}
declareOptionValues(RunOptions);

/** Declares a config section's fields from CONFIG_FIELDS: each non-null, as configs read them (absent filled in). */
function declareConfigFields(target: { prototype: object }, fields: Readonly<Record<string, ConfigFieldSpec>>): void {
  for (const [name, spec] of Object.entries(fields)) {
    const absent =
      spec.absent === undefined ? '' : ` Runs made before this setting existed read ${JSON.stringify(spec.absent)}.`;
    if ('option' in spec) {
      const description = `${optionSpec(spec.option).description} (The run's value of option \`${spec.option}\`.)`;
      Field(graphqlType(spec.option), { description: description + absent })(target.prototype, name);
    } else {
      const type = { integer: () => Int, number: () => Float, boolean: () => Boolean }[spec.type];
      Field(type, { description: spec.description + absent })(target.prototype, name);
    }
  }
}

@ObjectType({ simpleResolvers: true, description: "The model a run trained: the U-Net's shape and loss." })
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class RunModelConfig {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface RunModelConfig extends Readonly<PipelineConfig['model']> {}
declareConfigFields(RunModelConfig, CONFIG_FIELDS.model);

@ObjectType({ simpleResolvers: true, description: 'How a run trained its model.' })
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class RunTrainConfig {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface RunTrainConfig extends Readonly<PipelineConfig['train']> {}
declareConfigFields(RunTrainConfig, CONFIG_FIELDS.train);

@ObjectType({ simpleResolvers: true, description: 'How a run explained its test images: its maps and scores.' })
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class RunExplainConfig {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface RunExplainConfig extends Readonly<PipelineConfig['explain']> {}
declareConfigFields(RunExplainConfig, CONFIG_FIELDS.explain);

@ObjectType({
  simpleResolvers: true,
  description:
    "Everything a run used, resolved by its worker from the preset, the run's options and the data: enough to " +
    "repeat it (the report's config.json, less the data's path on the server).",
})
export class RunConfig {
  @Field(() => RunPreset, { description: 'The preset the settings started from.' })
  preset!: RunPreset;

  @Field(() => DeviceKind, { description: 'The device asked for (Run.device says which one ran it).' })
  device!: DeviceKind;

  @Field(() => RunModelConfig, { description: 'The model.' })
  model!: RunModelConfig;

  @Field(() => RunTrainConfig, { description: 'The training.' })
  train!: RunTrainConfig;

  @Field(() => RunExplainConfig, { description: 'The maps and scores.' })
  explain!: RunExplainConfig;
}
