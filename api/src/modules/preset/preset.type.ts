import { RUN_OPTIONS } from '@vad/models';
import { Field, Float, Int, ObjectType } from 'type-graphql';

import { AttentionSign, AttentionTarget, ImageScoreKind, LossKind, RunPreset } from '../run-option/run-option.type';

const O = RUN_OPTIONS;

@ObjectType({
  simpleResolvers: true,
  description:
    "A preset's value of each startRun option it sets: what a run uses for an option left out. Sending a value " +
    'fixes it: where the data would have changed a value left out (image size, epochs), it no longer does.',
})
export class PresetSettings {
  @Field(() => Int, { description: O.imageSize.description })
  imageSize!: number;

  @Field(() => Int, { description: O.epochs.description })
  epochs!: number;

  @Field(() => Int, { description: O.batchSize.description })
  batchSize!: number;

  @Field(() => LossKind, { description: O.loss.description })
  loss!: LossKind;

  @Field(() => String, { description: O.attentionLayer.description })
  attentionLayer!: string;

  @Field(() => Float, { description: O.attentionWeight.description })
  attentionWeight!: number;

  @Field(() => AttentionSign, { description: O.attentionSign.description })
  attentionSign!: AttentionSign;

  @Field(() => String, { description: O.mapLayer.description })
  mapLayer!: string;

  @Field(() => AttentionSign, { description: O.mapSign.description })
  mapSign!: AttentionSign;

  @Field(() => [AttentionTarget], { description: O.mapTargets.description })
  mapTargets!: AttentionTarget[];

  @Field(() => Float, { description: O.smoothing.description })
  smoothing!: number;

  @Field(() => ImageScoreKind, { description: O.score.description })
  score!: ImageScoreKind;
}

@ObjectType({
  simpleResolvers: true,
  description:
    'A training preset a run can start from (startRun input `preset`), with the option values it sets and the ' +
    'layers and image sizes its model takes.',
})
export class Preset {
  @Field(() => RunPreset, { description: "The preset's name, as startRun's `preset` takes it." })
  name!: RunPreset;

  @Field(() => String, { description: 'What it is for and what it trains, in words.' })
  description!: string;

  @Field(() => PresetSettings, { description: 'Its values of the options startRun accepts as overrides.' })
  settings!: PresetSettings;

  @Field(() => [String], {
    description:
      "Encoder layers of the preset's U-Net, shallow to deep (enc1..enc<depth>, bottleneck): the values startRun's " +
      '`attentionLayer` and `mapLayer` accept with this preset.',
  })
  layers!: string[];

  @Field(() => Int, {
    description:
      "startRun's `imageSize` must be a multiple of this with this preset (2^depth: the U-Net halves the image " +
      'depth times).',
  })
  imageSizeStep!: number;
}
