import { RunStatus } from '@prisma/client';
import { RUN_OPTIONS } from '@vad/models';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { ArgsType, Field, Float, ID, InputType, Int } from 'type-graphql';

import { PageArgs } from '../../graphql/connection';
import { namedEnum } from '../../graphql/enums';
import {
  AttentionSign,
  AttentionTarget,
  DeviceKind,
  ImageScoreKind,
  LossKind,
  RunPreset,
} from '../run-option/run-option.type';

// startRun's options are derived from the option schema in @vad/models: the same names, ranges, values and
// descriptions as the CLI's.
const O = RUN_OPTIONS;

export const RunOrder = namedEnum('RunOrder', 'Sort order of run lists.', {
  CREATED_AT_DESC: 'Newest first.',
  CREATED_AT_ASC: 'Oldest first.',
});
export type RunOrder = keyof typeof RunOrder;

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

/** The arguments of every list of runs (Query.runs, Dataset.runs). */
@ArgsType()
export class RunListArgs extends PageArgs {
  @Field(() => RunFilter, { nullable: true, description: 'Conditions on the runs.' })
  @IsOptional()
  filter?: RunFilter | null;

  @Field(() => RunOrder, { defaultValue: RunOrder.CREATED_AT_DESC, description: 'Sort order.' })
  orderBy!: RunOrder;
}
