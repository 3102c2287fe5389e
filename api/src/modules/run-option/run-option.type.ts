import { RUN_OPTIONS, type ChoiceListOption, type ChoiceOption, type OptionName } from '@vad/models';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';

import { describeEnum } from '../../graphql/enums';

// The choice options of the option schema in @vad/models as GraphQL enums (startRun's input, the presets'
// settings). Enum values are the schema's values upper-cased (`ssim_mse` -> SSIM_MSE); their internal values
// are the schema's own, so the input reaches the pipeline unchanged.

type EnumOf<T extends string> = { [K in T as Uppercase<K>]: K };

function enumOf<T extends string>(values: readonly T[]): EnumOf<T> {
  return Object.fromEntries(values.map((value) => [value.toUpperCase(), value])) as EnumOf<T>;
}

/** A choice option's values as a GraphQL enum; a choice list's values too (its items are one enum's values). */
function registerOptionEnum(
  enumObject: object,
  name: string,
  option: ChoiceOption | ChoiceListOption,
  description?: string,
): void {
  registerEnumType(enumObject, {
    name,
    description: description ?? option.description,
    valuesConfig: Object.fromEntries(
      option.values.map((value) => [value.toUpperCase(), { description: option.valueDescriptions[value] }]),
    ),
  });
}

const O = RUN_OPTIONS;

export const RunPreset = enumOf(O.preset.values);
export type RunPreset = (typeof O.preset.values)[number];
export const LossKind = enumOf(O.loss.values);
export type LossKind = (typeof O.loss.values)[number];
export const AttentionSign = enumOf(O.mapSign.values);
export type AttentionSign = (typeof O.mapSign.values)[number];
export const AttentionTarget = enumOf(O.mapTargets.values);
export type AttentionTarget = (typeof O.mapTargets.values)[number];
export const ImageScoreKind = enumOf(O.score.values);
export type ImageScoreKind = (typeof O.score.values)[number];
export const DeviceKind = enumOf(O.device.values);
export type DeviceKind = (typeof O.device.values)[number];
export const DefectSource = enumOf(O.defectSources.values);
export type DefectSource = (typeof O.defectSources.values)[number];
export const MapWeighting = enumOf(O.mapWeighting.values);
export type MapWeighting = (typeof O.mapWeighting.values)[number];

registerOptionEnum(RunPreset, 'RunPreset', O.preset);
registerOptionEnum(LossKind, 'LossKind', O.loss);
registerOptionEnum(
  AttentionSign,
  'AttentionSign',
  O.mapSign,
  "What a Grad-CAM keeps of its weighted activation sum (the attention term's and the map's alike).",
);
registerOptionEnum(AttentionTarget, 'AttentionTarget', O.mapTargets, 'What a Grad-CAM attention map is taken of.');
registerOptionEnum(ImageScoreKind, 'ImageScoreKind', O.score);
registerOptionEnum(DeviceKind, 'DeviceKind', O.device);
registerOptionEnum(
  DefectSource,
  'DefectSource',
  O.defectSources,
  "Where a synthetic training defect's content comes from.",
);
registerOptionEnum(MapWeighting, 'MapWeighting', O.mapWeighting);

/** The GraphQL enum of each choice option of the schema: a choice option without one fails the API's start. */
export const OPTION_ENUMS: Readonly<Partial<Record<OptionName, object>>> = {
  preset: RunPreset,
  loss: LossKind,
  attentionSign: AttentionSign,
  mapSign: AttentionSign,
  mapTargets: AttentionTarget,
  score: ImageScoreKind,
  device: DeviceKind,
  defectSources: DefectSource,
  mapWeighting: MapWeighting,
};

export enum RunOptionKind {
  INTEGER = 'integer',
  NUMBER = 'number',
  CHOICE = 'choice',
  CHOICE_LIST = 'choice-list',
  LAYER = 'layer',
  BOOLEAN = 'boolean',
}
export enum RunOptionStage {
  TRAIN = 'train',
  EXPLAIN = 'explain',
  BOTH = 'both',
}

describeEnum(
  RunOptionKind,
  'RunOptionKind',
  'The type of a run option, which says which of its constraint fields apply.',
  {
    INTEGER: 'A whole number from `min` to `max`.',
    NUMBER: 'A number from `min` to `max`.',
    CHOICE: 'One of `values`.',
    CHOICE_LIST: '`minItems` to `maxItems` distinct entries of `values`.',
    LAYER: "An encoder layer matching `pattern`; the preset's `layers` are the ones that exist.",
    BOOLEAN: 'On (true) or off (false).',
  },
);
describeEnum(RunOptionStage, 'RunOptionStage', 'Which part of a run an option changes.', {
  TRAIN: 'The trained model: fixed once training has started.',
  EXPLAIN: 'Only how the trained model is explained.',
  BOTH: 'Training and explaining alike.',
});

@ObjectType({ simpleResolvers: true, description: 'One allowed value of a choice option.' })
export class RunOptionValue {
  @Field(() => String, { description: 'The value as startRun takes it (the GraphQL enum value).' })
  value!: string;

  @Field(() => String, { description: 'What it means.' })
  description!: string;
}

@ObjectType({
  simpleResolvers: true,
  description:
    "One of startRun's pipeline options with its allowed values or range, from the pipeline's option schema (the " +
    'same one the vad command line reads): a form can be built from these and cannot drift from what the API takes.',
})
export class RunOption {
  @Field(() => String, { description: "The option's field in StartRunInput." })
  name!: string;

  @Field(() => String, { description: 'The vad command-line flag that sets it, e.g. `--map-layer`.' })
  flag!: string;

  @Field(() => RunOptionKind, { description: 'Its type.' })
  kind!: RunOptionKind;

  @Field(() => RunOptionStage, { description: 'What it changes.' })
  stage!: RunOptionStage;

  @Field(() => String, { description: 'What it does, in one or two sentences.' })
  description!: string;

  @Field(() => Float, { nullable: true, description: 'Smallest value (INTEGER and NUMBER).' })
  min!: number | null;

  @Field(() => Float, { nullable: true, description: 'Largest value (INTEGER and NUMBER).' })
  max!: number | null;

  @Field(() => [RunOptionValue], { nullable: true, description: 'Allowed values (CHOICE and CHOICE_LIST).' })
  values!: RunOptionValue[] | null;

  @Field(() => Int, { nullable: true, description: 'Fewest entries (CHOICE_LIST).' })
  minItems!: number | null;

  @Field(() => Int, { nullable: true, description: 'Most entries (CHOICE_LIST).' })
  maxItems!: number | null;

  @Field(() => String, { nullable: true, description: 'A regular expression the value matches (LAYER).' })
  pattern!: string | null;
}
