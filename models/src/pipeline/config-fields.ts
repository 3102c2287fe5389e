import { upgradeTarget, type OptionName } from '../options';
import type { PipelineConfig } from './config';

/**
 * What each field of a run's resolved config (PipelineConfig's model, train and explain sections) holds, for
 * clients that read a run's config (the API's RunConfig types). A field a run option sets names that option: it
 * has the option's type, values and description. The others say their type and meaning here. Each section must
 * describe every field of its type, so that a setting added to the config is described before it compiles.
 */
export type ConfigFieldSpec = (
  { option: OptionName } | { type: 'integer' | 'number' | 'boolean'; description: string }
) & {
  /**
   * Configs written before the field existed lack it; the pipeline reads them as this (off). Absent: every config
   * has the field.
   */
  absent?: number | boolean | string | readonly string[];
};

type Section = 'model' | 'train' | 'explain';
type SectionFields<S extends Section> = Readonly<Record<keyof PipelineConfig[S], ConfigFieldSpec>>;

const MODEL_FIELDS = {
  channels: {
    type: 'integer',
    description: 'Image channels the model reads: 1 (grayscale) or 3 (RGB), from the data.',
  },
  imageSize: { option: 'imageSize' },
  depth: { type: 'integer', description: 'Pooling steps of the U-Net: its encoder layers are enc1..enc<depth>.' },
  baseChannels: { type: 'integer', description: 'Width of enc1, doubled at each level.' },
  batchNorm: { type: 'boolean', description: 'Batch normalisation after each convolution.' },
  skips: { type: 'boolean', description: 'Skip connections (false: a plain convolutional autoencoder).' },
  dropTopSkips: { type: 'integer', description: "Skips removed from the top: 1 drops enc1's, 2 also enc2's." },
  skipNoiseStd: { type: 'number', description: 'Std of the Gaussian noise added to skip features while training.' },
  loss: { option: 'loss' },
  ssimWeight: { type: 'number', description: 'For the ssim_mse loss: w * (1 - SSIM) + (1 - w) * MSE.' },
  seed: { option: 'seed' },
  segmentationHead: { option: 'segmentationHead', absent: false },
} as const satisfies SectionFields<'model'>;

const TRAIN_FIELDS = {
  epochs: { option: 'epochs' },
  batchSize: { option: 'batchSize' },
  patchSize: { option: 'patchSize', absent: 0 },
  validationImages: {
    type: 'integer',
    description:
      'Normal training images held back from training to measure the reconstruction (the validation loss); 0 = none.',
    absent: 0,
  },
  learningRate: { type: 'number', description: "Adam's learning rate." },
  seed: { option: 'seed' },
  attentionWeight: { option: 'attentionWeight' },
  attentionLayer: { option: 'attentionLayer' },
  attentionSign: { option: 'attentionSign' },
  syntheticDefects: { option: 'syntheticDefects', absent: 0 },
  defectSources: { option: 'defectSources', absent: [] },
  supervisionWeight: { option: 'supervisionWeight', absent: 0 },
  supervisionWarmup: { option: 'supervisionWarmup', absent: 0 },
  patience: { option: 'patience', absent: 0 },
  minutes: { option: 'minutes', absent: 0 },
  flipHorizontal: { type: 'boolean', description: 'Training images are flipped left-right at random.' },
  flipVertical: { type: 'boolean', description: 'Training images are flipped upside down at random.' },
  recomputeBatchNorm: {
    type: 'boolean',
    description: "At each epoch's end, batch norm's statistics are measured again on clean whole training images.",
    absent: false,
  },
} as const satisfies SectionFields<'train'>;

const EXPLAIN_FIELDS = {
  layer: { option: 'mapLayer' },
  sign: { option: 'mapSign' },
  weighting: { option: 'mapWeighting', absent: 'channel' },
  attentionTargets: { option: 'mapTargets' },
  smoothing: { option: 'smoothing', absent: 0 },
  score: { option: 'score' },
  batchSize: { type: 'integer', description: 'Images explained per batch.' },
} as const satisfies SectionFields<'explain'>;

export const CONFIG_FIELDS: { readonly [S in Section]: SectionFields<S> } = {
  model: MODEL_FIELDS,
  train: TRAIN_FIELDS,
  explain: EXPLAIN_FIELDS,
};

/**
 * A stored config's section as the pipeline reads it: the fields older configs lack filled in, and the map targets
 * under their current names (run/prepare.ts reads them so too).
 */
export function configSection<S extends Section>(config: PipelineConfig, section: S): PipelineConfig[S] {
  const filled: Record<string, unknown> = { ...(config[section] as Record<string, unknown>) };
  for (const [name, spec] of Object.entries(CONFIG_FIELDS[section] as Record<string, ConfigFieldSpec>)) {
    if (filled[name] === undefined && spec.absent !== undefined) filled[name] = spec.absent;
  }
  if (section === 'explain' && Array.isArray(filled.attentionTargets)) {
    filled.attentionTargets = filled.attentionTargets.map(upgradeTarget);
  }
  return filled as PipelineConfig[S];
}
