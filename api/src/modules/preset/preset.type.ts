import { Field, Float, Int, ObjectType } from 'type-graphql';

import {
  AttentionSign,
  AttentionTarget,
  ImageScoreKind,
  LossKind,
  RunPreset,
  SMOOTHING_DESCRIPTION,
} from '../run/run.input';

@ObjectType({
  simpleResolvers: true,
  description:
    "A preset's value of each startRun option it sets: what a run uses for an option left out. Sending a value " +
    'fixes it: where the data would have changed a value left out (image size, epochs), it no longer does.',
})
export class PresetSettings {
  @Field(() => Int, {
    description:
      'Model input size in pixels (square). Left out, a dataset of smaller images runs at the next valid size ' +
      'above its largest image (at least 32), never above this.',
  })
  imageSize!: number;

  @Field(() => Int, {
    description:
      'Training epochs. Left out, a large training set trains fewer, so that the run stays within the step cap ' +
      "the preset's description states.",
  })
  epochs!: number;

  @Field(() => Int, { description: 'Training batch size.' })
  batchSize!: number;

  @Field(() => LossKind, { description: 'Reconstruction loss.' })
  loss!: LossKind;

  @Field(() => String, {
    description: 'Encoder layer of the attention map and of the training-time attention term (enc1.., bottleneck).',
  })
  layer!: string;

  @Field(() => Float, { description: 'Weight of the training-time attention term (0: off).' })
  attentionWeight!: number;

  @Field(() => AttentionSign, { description: 'Grad-CAM sign convention, in training and in the maps.' })
  attentionSign!: AttentionSign;

  @Field(() => [AttentionTarget], { description: 'Attention maps computed; the first is the main map.' })
  attentionTargets!: AttentionTarget[];

  @Field(() => Float, { description: SMOOTHING_DESCRIPTION })
  smoothing!: number;

  @Field(() => ImageScoreKind, { description: 'How image scores are read off maps.' })
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
      '`layer` accepts with this preset.',
  })
  layers!: string[];

  @Field(() => Int, {
    description:
      "startRun's `imageSize` must be a multiple of this with this preset (2^depth: the U-Net halves the image " +
      'depth times).',
  })
  imageSizeStep!: number;
}
