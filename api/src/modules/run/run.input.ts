import { RunStatus } from '@prisma/client';
import { RUN_OPTIONS, type ChoiceOption } from '@vad/models';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';

import '../../graphql/enums';

// startRun's options are derived from the option schema in @vad/models: the same names, ranges, values and
// descriptions as the CLI's. GraphQL enum values are the schema's values upper-cased (`ssim_mse` -> SSIM_MSE);
// their internal values are the schema's own, so the input reaches the pipeline unchanged.

type EnumOf<T extends string> = { [K in T as Uppercase<K>]: K };

function enumOf<T extends string>(values: readonly T[]): EnumOf<T> {
  return Object.fromEntries(values.map((value) => [value.toUpperCase(), value])) as EnumOf<T>;
}

function registerOptionEnum(enumObject: object, name: string, option: ChoiceOption, description?: string): void {
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

registerOptionEnum(RunPreset, 'RunPreset', O.preset);
registerOptionEnum(LossKind, 'LossKind', O.loss);
registerOptionEnum(
  AttentionSign,
  'AttentionSign',
  O.mapSign,
  "What a Grad-CAM keeps of its weighted activation sum (the attention term's and the map's alike).",
);
registerOptionEnum(
  AttentionTarget,
  'AttentionTarget',
  { ...O.mapTargets, type: 'choice' },
  'What a Grad-CAM attention map is taken of.',
);
registerOptionEnum(ImageScoreKind, 'ImageScoreKind', O.score);
registerOptionEnum(DeviceKind, 'DeviceKind', O.device);

export enum RunOrder {
  CREATED_AT_DESC = 'CREATED_AT_DESC',
  CREATED_AT_ASC = 'CREATED_AT_ASC',
}
registerEnumType(RunOrder, {
  name: 'RunOrder',
  description: 'Sort order of run lists.',
  valuesConfig: {
    CREATED_AT_DESC: { description: 'Newest first.' },
    CREATED_AT_ASC: { description: 'Oldest first.' },
  },
});

const LAYER_RULE = { message: `$property must be an encoder layer (${O.mapLayer.patternText})` };

@InputType({
  description: 'A new run: the dataset and pipeline options. Options left out come from the preset and the data.',
})
export class StartRunInput {
  @Field(() => ID, {
    description: 'The dataset to train and test on (needs 2 normal training images and a test image).',
  })
  datasetId!: string;

  @Field(() => String, { nullable: true, defaultValue: '', description: 'A label for people (up to 200 characters).' })
  @IsOptional()
  @Length(0, 200)
  name?: string | null;

  @Field(() => RunPreset, { nullable: true, description: O.preset.description })
  @IsOptional()
  preset?: RunPreset | null;

  @Field(() => Int, { nullable: true, description: O.imageSize.description })
  @IsOptional()
  @Min(O.imageSize.min)
  @Max(O.imageSize.max)
  imageSize?: number | null;

  @Field(() => Int, { nullable: true, description: O.epochs.description })
  @IsOptional()
  @Min(O.epochs.min)
  @Max(O.epochs.max)
  epochs?: number | null;

  @Field(() => Int, { nullable: true, description: O.batchSize.description })
  @IsOptional()
  @Min(O.batchSize.min)
  @Max(O.batchSize.max)
  batchSize?: number | null;

  @Field(() => LossKind, { nullable: true, description: O.loss.description })
  @IsOptional()
  loss?: LossKind | null;

  @Field(() => String, { nullable: true, description: O.attentionLayer.description })
  @IsOptional()
  @Matches(O.attentionLayer.pattern, LAYER_RULE)
  attentionLayer?: string | null;

  @Field(() => Float, { nullable: true, description: O.attentionWeight.description })
  @IsOptional()
  @Min(O.attentionWeight.min)
  @Max(O.attentionWeight.max)
  attentionWeight?: number | null;

  @Field(() => AttentionSign, { nullable: true, description: O.attentionSign.description })
  @IsOptional()
  attentionSign?: AttentionSign | null;

  @Field(() => String, { nullable: true, description: O.mapLayer.description })
  @IsOptional()
  @Matches(O.mapLayer.pattern, LAYER_RULE)
  mapLayer?: string | null;

  @Field(() => AttentionSign, { nullable: true, description: O.mapSign.description })
  @IsOptional()
  mapSign?: AttentionSign | null;

  @Field(() => [AttentionTarget], { nullable: true, description: O.mapTargets.description })
  @IsOptional()
  @ArrayMinSize(O.mapTargets.minItems)
  @ArrayMaxSize(O.mapTargets.maxItems)
  @ArrayUnique()
  mapTargets?: AttentionTarget[] | null;

  @Field(() => Float, { nullable: true, description: O.smoothing.description })
  @IsOptional()
  @Min(O.smoothing.min)
  @Max(O.smoothing.max)
  smoothing?: number | null;

  @Field(() => ImageScoreKind, { nullable: true, description: O.score.description })
  @IsOptional()
  score?: ImageScoreKind | null;

  @Field(() => DeviceKind, { nullable: true, description: O.device.description })
  @IsOptional()
  device?: DeviceKind | null;

  @Field(() => Int, { nullable: true, description: O.seed.description })
  @IsOptional()
  @Min(O.seed.min)
  @Max(O.seed.max)
  seed?: number | null;
}

@InputType({ description: 'Narrows a run list.' })
export class RunFilter {
  @Field(() => [RunStatus], { nullable: true, description: 'Only runs in one of these states.' })
  @IsOptional()
  status?: RunStatus[] | null;
}
