import { OPTION_NAMES, type PresetOptionValues } from '@vad/models';
import { Field, Int, ObjectType } from 'type-graphql';

import { declareOptionOutputs } from '../run-option/option-fields';
import { RunPreset } from '../run-option/run-option.type';

/** The options a preset decides: all but the preset itself, the device and the seed. */
export const PRESET_OPTIONS = OPTION_NAMES.filter((name) => !['preset', 'device', 'seed'].includes(name));

@ObjectType({
  simpleResolvers: true,
  description:
    "A preset's value of each startRun option it sets: what a run uses for an option left out. Sending a value " +
    'fixes it: where the data would have changed a value left out (the image size), it no longer does.',
})
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class PresetSettings {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface PresetSettings extends PresetOptionValues {}
declareOptionOutputs(PresetSettings, PRESET_OPTIONS);

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
