import { RunStatus } from '@prisma/client';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';

import '../../graphql/enums';

// Pipeline options in GraphQL form (enum values upper case); run.service.ts maps them to @vad/models' names.

/** Shared by startRun's input and a preset's settings, which must describe the option alike. */
export const SMOOTHING_DESCRIPTION =
  "Gaussian smoothing of every map (attention, residual, SSIM), sigma as a fraction of the model's image side " +
  '(0.03125 = 4 px at 128 px); 0 = none.';

export enum RunPreset {
  TINY = 'tiny',
  SMALL = 'small',
  BASE = 'base',
}
export enum LossKind {
  MSE = 'mse',
  L1 = 'l1',
  SSIM = 'ssim',
  SSIM_MSE = 'ssim_mse',
}
export enum AttentionSign {
  RELU = 'relu',
  NEG_RELU = 'neg_relu',
  ABS = 'abs',
}
export enum AttentionTarget {
  LOSS = 'loss',
  LATENT = 'latent',
  RESIDUAL = 'residual',
}
export enum ImageScoreKind {
  MAX = 'max',
  TOP1 = 'top1',
}
export enum DeviceKind {
  AUTO = 'auto',
  CPU = 'cpu',
  CUDA = 'cuda',
}
export enum RunOrder {
  CREATED_AT_DESC = 'CREATED_AT_DESC',
  CREATED_AT_ASC = 'CREATED_AT_ASC',
}

registerEnumType(RunPreset, {
  name: 'RunPreset',
  description: 'Model and training presets of the pipeline (see models/README.md).',
  valuesConfig: {
    TINY: { description: 'Tests only: 32 px, a few epochs, seconds on a CPU.' },
    SMALL: { description: 'The CPU default.' },
    BASE: { description: 'The GPU default.' },
  },
});
registerEnumType(LossKind, {
  name: 'LossKind',
  description: 'Reconstruction loss.',
  valuesConfig: {
    MSE: { description: 'Mean squared error.' },
    L1: { description: 'Mean absolute error.' },
    SSIM: { description: '1 - SSIM.' },
    SSIM_MSE: { description: 'A weighted sum of 1 - SSIM and MSE.' },
  },
});
registerEnumType(AttentionSign, {
  name: 'AttentionSign',
  description: 'What Grad-CAM keeps of the weighted activation sum.',
  valuesConfig: {
    RELU: { description: 'Its positive part.' },
    NEG_RELU: { description: 'Its negative part.' },
    ABS: { description: 'Its magnitude.' },
  },
});
registerEnumType(AttentionTarget, {
  name: 'AttentionTarget',
  description: 'What a Grad-CAM attention map is taken of.',
  valuesConfig: {
    LOSS: { description: 'The reconstruction loss.' },
    LATENT: { description: 'The latent code (sum of the bottleneck).' },
    RESIDUAL: { description: 'The residual x - x_hat, re-encoded.' },
  },
});
registerEnumType(ImageScoreKind, {
  name: 'ImageScoreKind',
  description: 'How one score per image is read off a map.',
  valuesConfig: {
    MAX: { description: 'The maximum of the map.' },
    TOP1: { description: 'The mean of its top 1 % pixels.' },
  },
});
registerEnumType(DeviceKind, {
  name: 'DeviceKind',
  description: 'Where the model runs.',
  valuesConfig: {
    AUTO: { description: 'CUDA when the worker has a GPU, else the CPU.' },
    CPU: { description: 'The CPU.' },
    CUDA: { description: 'A CUDA GPU (the run fails on a worker without one).' },
  },
});
registerEnumType(RunOrder, {
  name: 'RunOrder',
  description: 'Sort order of run lists.',
  valuesConfig: {
    CREATED_AT_DESC: { description: 'Newest first.' },
    CREATED_AT_ASC: { description: 'Oldest first.' },
  },
});

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

  @Field(() => RunPreset, {
    nullable: true,
    description: 'Preset; defaults to SMALL on a CPU worker, BASE on a GPU one.',
  })
  @IsOptional()
  preset?: RunPreset | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Model input size in pixels (square), 32-1024, a multiple of 2^depth.',
  })
  @IsOptional()
  @Min(32)
  @Max(1024)
  imageSize?: number | null;

  @Field(() => Int, { nullable: true, description: 'Training epochs, 1-10000.' })
  @IsOptional()
  @Min(1)
  @Max(10_000)
  epochs?: number | null;

  @Field(() => Int, { nullable: true, description: 'Batch size, 2-1024.' })
  @IsOptional()
  @Min(2)
  @Max(1024)
  batchSize?: number | null;

  @Field(() => LossKind, { nullable: true, description: 'Reconstruction loss.' })
  @IsOptional()
  loss?: LossKind | null;

  @Field(() => String, {
    nullable: true,
    description: 'Encoder layer of the attention map (enc1..enc<depth>, bottleneck).',
  })
  @IsOptional()
  @Matches(/^(enc[1-9]|bottleneck)$/, { message: 'layer must be enc1..enc9 or bottleneck' })
  layer?: string | null;

  // The term's raw scale is small (a squared gradient): the sweeps measured it at 1e4 to 1e6 (models/EXPERIMENTS.md).
  @Field(() => Float, {
    nullable: true,
    description: 'Weight of the training-time attention term, 0 to 10 000 000 (0: off; it starts to matter near 1e4).',
  })
  @IsOptional()
  @Min(0)
  @Max(1e7)
  attentionWeight?: number | null;

  @Field(() => AttentionSign, { nullable: true, description: 'Grad-CAM sign convention.' })
  @IsOptional()
  attentionSign?: AttentionSign | null;

  @Field(() => [AttentionTarget], {
    nullable: true,
    description: 'Attention maps to compute; the first is the main map.',
  })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ArrayUnique()
  attentionTargets?: AttentionTarget[] | null;

  @Field(() => Float, { nullable: true, description: `${SMOOTHING_DESCRIPTION} At most 0.25.` })
  @IsOptional()
  @Min(0)
  @Max(0.25)
  smoothing?: number | null;

  @Field(() => ImageScoreKind, { nullable: true, description: 'How image scores are read off maps.' })
  @IsOptional()
  score?: ImageScoreKind | null;

  @Field(() => DeviceKind, { nullable: true, description: 'Where to run.' })
  @IsOptional()
  device?: DeviceKind | null;

  @Field(() => Int, { nullable: true, description: 'Seed of initialisation and shuffling, 0-2147483647.' })
  @IsOptional()
  @Min(0)
  @Max(2 ** 31 - 1)
  seed?: number | null;
}

@InputType({ description: 'Narrows a run list.' })
export class RunFilter {
  @Field(() => [RunStatus], { nullable: true, description: 'Only runs in one of these states.' })
  @IsOptional()
  status?: RunStatus[] | null;
}
