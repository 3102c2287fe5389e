/**
 * The one schema of a run's options: each option's name, type, allowed values or range, and one-line
 * description. The CLI's flags and help, the API's input validation and descriptions, and (through the API's
 * `runOptions` query) the web launch form are all derived from it; tests fail when a copy drifts.
 */

export const PRESET_NAMES = ['tiny', 'small', 'base'] as const;
export const LOSS_KINDS = ['mse', 'l1', 'ssim', 'ssim_mse'] as const;
export const CAM_SIGNS = ['relu', 'neg_relu', 'abs'] as const;
export const ATTENTION_TARGETS = ['loss', 'latent', 'reencoded'] as const;
export const IMAGE_SCORES = ['max', 'top1'] as const;
export const DEVICES = ['auto', 'cpu', 'cuda'] as const;
export const DEFECT_SOURCES = ['patch', 'perlin', 'flat'] as const;
export const MAP_WEIGHTINGS = ['channel', 'element'] as const;

export type PresetName = (typeof PRESET_NAMES)[number];
/** What a Grad-CAM attention map is taken of (see models/src/maps/glossary.ts). */
export type AttentionTarget = (typeof ATTENTION_TARGETS)[number];
/** How one number per image is read off a map: its maximum, or the mean of its top 1 % of pixels. */
export type ImageScore = (typeof IMAGE_SCORES)[number];
/** Where a synthetic training defect's content comes from. */
export type DefectSource = (typeof DEFECT_SOURCES)[number];
/** How an attention map weighs the activations by their gradients: per channel (Grad-CAM) or per element (LayerCAM). */
export type MapWeighting = (typeof MAP_WEIGHTINGS)[number];

/** Whether an option changes the trained model (fixed on resume) or only how a trained model is explained. */
export type OptionStage = 'train' | 'explain' | 'both';

interface OptionBase {
  /** The command-line flag, without `--`. */
  flag: string;
  /** Placeholder of the flag's value in help. */
  placeholder: string;
  stage: OptionStage;
  description: string;
}

export interface IntegerOption extends OptionBase {
  type: 'integer';
  min: number;
  max: number;
}

export interface NumberOption extends OptionBase {
  type: 'number';
  min: number;
  max: number;
}

export interface ChoiceOption<T extends string = string> extends OptionBase {
  type: 'choice';
  values: readonly T[];
  /** One line per value, for help, GraphQL enum value descriptions and the web form. */
  valueDescriptions: Readonly<Record<T, string>>;
}

/** A comma-separated list on the command line. */
export interface ChoiceListOption<T extends string = string> extends OptionBase {
  type: 'choice-list';
  values: readonly T[];
  valueDescriptions: Readonly<Record<T, string>>;
  minItems: number;
  maxItems: number;
}

/** On or off: `true` or `false` on the command line. */
export interface BooleanOption extends OptionBase {
  type: 'boolean';
}

/** An encoder layer: which ones exist depends on the model's depth, so the data-independent check is a pattern. */
export interface LayerOption extends OptionBase {
  type: 'layer';
  pattern: RegExp;
  /** How the pattern reads to a person. */
  patternText: string;
}

export type OptionSpec = IntegerOption | NumberOption | ChoiceOption | ChoiceListOption | LayerOption | BooleanOption;

/** Every option a caller (CLI, API, web) may set; everything else comes from the preset and the data. */
export interface RunOptions {
  preset?: PresetName;
  /** Model input size in pixels (square). */
  imageSize?: number;
  /** Side of the random crops training takes from each image; 0 = whole images. */
  patchSize?: number;
  epochs?: number;
  batchSize?: number;
  loss?: (typeof LOSS_KINDS)[number];
  /** Encoder layer of the training-time attention term. */
  attentionLayer?: string;
  /** Weight of the training-time attention term. */
  attentionWeight?: number;
  /** Share of training images that get a synthetic defect; 0 = none. */
  syntheticDefects?: number;
  defectSources?: DefectSource[];
  /** Weight of the supervision of the attention map with the synthetic defects' masks; 0 = none. */
  supervisionWeight?: number;
  /** Share of the training before the supervision starts. */
  supervisionWarmup?: number;
  /** Train a segmentation head on the synthetic defects' masks beside the U-Net: the `segmentation` map. */
  segmentationHead?: boolean;
  /** Epochs without a better validation loss before training stops; 0 = never early. */
  patience?: number;
  /** Training time budget in minutes; 0 = none. */
  minutes?: number;
  mapWeighting?: MapWeighting;
  /** Sign convention of the training-time attention term. */
  attentionSign?: (typeof CAM_SIGNS)[number];
  /** Encoder layer of the explained attention map. */
  mapLayer?: string;
  /** Sign convention of the explained attention map. */
  mapSign?: (typeof CAM_SIGNS)[number];
  mapTargets?: AttentionTarget[];
  /** Gaussian smoothing of the maps, sigma as a fraction of the image side; 0 = none. */
  smoothing?: number;
  score?: ImageScore;
  device?: (typeof DEVICES)[number];
  seed?: number;
}

export type OptionName = keyof RunOptions;

const SIGN_DESCRIPTIONS = {
  relu: 'the positive part of the weighted activation sum',
  neg_relu: 'its negative part',
  abs: 'its magnitude',
} as const;

const LAYER_PATTERN = {
  type: 'layer',
  pattern: /^(enc[1-9]|bottleneck)$/,
  patternText: 'enc1..enc<depth>, bottleneck',
} as const;

export const RUN_OPTIONS = {
  preset: {
    type: 'choice',
    flag: 'preset',
    placeholder: 'name',
    stage: 'train',
    values: PRESET_NAMES,
    valueDescriptions: {
      tiny: 'tests only: 32 px, a few epochs, seconds on a CPU',
      small: 'the CPU default',
      base: 'the GPU default',
    },
    description: 'Model and training preset; options left out take its values. Default: small on a CPU, base on a GPU.',
  },
  imageSize: {
    type: 'integer',
    flag: 'size',
    placeholder: 'px',
    stage: 'train',
    min: 32,
    max: 1024,
    description:
      "Model input size in pixels (square, a multiple of 2^depth). Default: the preset's, or the next valid size " +
      'above the images when they are smaller (28 px -> 32).',
  },
  patchSize: {
    type: 'integer',
    flag: 'patch-size',
    placeholder: 'px',
    stage: 'train',
    min: 0,
    max: 1024,
    description:
      'Train on one random crop of this side from each image per step, explain whole images (the U-Net is fully ' +
      'convolutional): more samples per second on texture-like products. A multiple of 2^depth up to the image ' +
      "size; raise the image size to train at the images' own resolution. 0 = whole images.",
  },
  epochs: {
    type: 'integer',
    flag: 'epochs',
    placeholder: 'n',
    stage: 'train',
    min: 1,
    max: 10_000,
    description: "Training epochs. Default: the preset's, capped by its step budget for a large training set.",
  },
  batchSize: {
    type: 'integer',
    flag: 'batch',
    placeholder: 'n',
    stage: 'train',
    min: 2,
    max: 1024,
    description: 'Training batch size.',
  },
  loss: {
    type: 'choice',
    flag: 'loss',
    placeholder: 'name',
    stage: 'train',
    values: LOSS_KINDS,
    valueDescriptions: {
      mse: 'mean squared error',
      l1: 'mean absolute error',
      ssim: '1 - SSIM',
      ssim_mse: 'a weighted sum of 1 - SSIM and MSE',
    },
    description: 'Reconstruction loss.',
  },
  attentionLayer: {
    ...LAYER_PATTERN,
    flag: 'attention-layer',
    placeholder: 'name',
    stage: 'train',
    description: 'Encoder layer of the training-time attention term.',
  },
  attentionWeight: {
    type: 'number',
    flag: 'attention-weight',
    placeholder: 'w',
    stage: 'train',
    min: 0,
    // The term's raw scale is small (a squared gradient): the sweeps found it matters from about 1e4 to 1e6.
    max: 1e7,
    description: 'Weight of the training-time attention term (0: off; it starts to matter near 1e4).',
  },
  syntheticDefects: {
    type: 'number',
    flag: 'synthetic-defects',
    placeholder: 'p',
    stage: 'train',
    min: 0,
    max: 1,
    description:
      'Share of training images that get a synthetic defect (a Perlin-shaped patch, texture or flat colour, as ' +
      'DRAEM), so the model learns to reconstruct the clean image instead of copying defects; 0 = none.',
  },
  defectSources: {
    type: 'choice-list',
    flag: 'defect-sources',
    placeholder: 's',
    stage: 'train',
    values: DEFECT_SOURCES,
    valueDescriptions: {
      patch: 'a patch of another normal training image',
      perlin: 'Perlin noise as a texture',
      flat: 'a flat colour',
    },
    minItems: 1,
    maxItems: DEFECT_SOURCES.length,
    description: "Where the synthetic defects' content comes from, comma-separated (one drawn per defect).",
  },
  supervisionWeight: {
    type: 'number',
    flag: 'supervision-weight',
    placeholder: 'w',
    stage: 'train',
    min: 0,
    max: 100,
    description:
      'Supervision of the attention map (computed as at test time, at the map layer) with the synthetic ' +
      "defects' masks, focal + Dice: its gradient is scaled to this multiple of the reconstruction's; " +
      'start at 1; needs synthetic defects; 0 = none.',
  },
  supervisionWarmup: {
    type: 'number',
    flag: 'supervision-warmup',
    placeholder: 'f',
    stage: 'train',
    min: 0,
    max: 0.9,
    description:
      'Share of the training (its epochs, or its time budget when that ends it first) before the supervision ' +
      'starts; it then ramps up over a tenth.',
  },
  segmentationHead: {
    type: 'boolean',
    flag: 'segmentation-head',
    placeholder: 'b',
    stage: 'train',
    description:
      "Also train a small segmentation network on the synthetic defects' masks (DRAEM's second network), reading " +
      'the image and its reconstruction: its `segmentation` map is a reference for the attention map, not an ' +
      'explanation of the model. Needs synthetic defects.',
  },
  patience: {
    type: 'integer',
    flag: 'patience',
    placeholder: 'n',
    stage: 'train',
    min: 0,
    max: 1000,
    description:
      'Stop training after this many epochs without a validation loss (on held-back normal images) below the ' +
      'best; 0 = train every epoch.',
  },
  minutes: {
    type: 'number',
    flag: 'minutes',
    placeholder: 'm',
    stage: 'train',
    min: 0,
    max: 10_080,
    description: 'Training time budget: stop at the end of the epoch that passes it (0 = none).',
  },
  attentionSign: {
    type: 'choice',
    flag: 'attention-sign',
    placeholder: 's',
    stage: 'train',
    values: CAM_SIGNS,
    valueDescriptions: SIGN_DESCRIPTIONS,
    description: "What the training-time attention term keeps of Grad-CAM's weighted activation sum.",
  },
  mapLayer: {
    ...LAYER_PATTERN,
    flag: 'map-layer',
    placeholder: 'name',
    stage: 'explain',
    description: 'Encoder layer the attention map is taken from; shallow layers are sharper.',
  },
  mapSign: {
    type: 'choice',
    flag: 'map-sign',
    placeholder: 's',
    stage: 'explain',
    values: CAM_SIGNS,
    valueDescriptions: SIGN_DESCRIPTIONS,
    description: "What the attention map keeps of Grad-CAM's weighted activation sum.",
  },
  mapWeighting: {
    type: 'choice',
    flag: 'map-weighting',
    placeholder: 'w',
    stage: 'explain',
    values: MAP_WEIGHTINGS,
    valueDescriptions: {
      channel: "Grad-CAM: each channel weighted by its gradient's mean over the image",
      element: 'LayerCAM: each activation weighted by its own gradient, so a small defect keeps its own',
    },
    description: 'How the attention map weighs the activations by the gradient.',
  },
  mapTargets: {
    type: 'choice-list',
    flag: 'map-targets',
    placeholder: 't',
    stage: 'explain',
    values: ATTENTION_TARGETS,
    valueDescriptions: {
      loss: 'the reconstruction loss',
      latent: 'the latent code (sum of the bottleneck)',
      reencoded: 'the residual x - x_hat, encoded again by the U-Net',
    },
    minItems: 1,
    maxItems: ATTENTION_TARGETS.length,
    description:
      'What the attention maps are Grad-CAMs of, comma-separated: the first gives the `attention` map, the others ' +
      '`attention-<target>` maps.',
  },
  smoothing: {
    type: 'number',
    flag: 'smoothing',
    placeholder: 'f',
    stage: 'explain',
    min: 0,
    max: 0.25,
    description:
      "Gaussian smoothing of every map (attention, residual, SSIM), sigma as a fraction of the model's image side " +
      '(0.03125 = 4 px at 128 px); 0 = none.',
  },
  score: {
    type: 'choice',
    flag: 'score',
    placeholder: 'kind',
    stage: 'explain',
    values: IMAGE_SCORES,
    valueDescriptions: { max: 'the maximum of the map', top1: 'the mean of its top 1 % of pixels' },
    description: 'How one score per image is read off a map.',
  },
  device: {
    type: 'choice',
    flag: 'device',
    placeholder: 'd',
    stage: 'both',
    values: DEVICES,
    valueDescriptions: {
      auto: 'CUDA when LibTorch sees a GPU, else the CPU',
      cpu: 'the CPU',
      cuda: 'a CUDA GPU (fails where there is none)',
    },
    description: 'Where the model runs.',
  },
  seed: {
    type: 'integer',
    flag: 'seed',
    placeholder: 'n',
    stage: 'train',
    min: 0,
    max: 2 ** 31 - 1,
    description: 'Seed of the weights, shuffling and flips. Default: 0.',
  },
} as const satisfies Readonly<Record<OptionName, OptionSpec>>;

export const OPTION_NAMES = Object.keys(RUN_OPTIONS) as OptionName[];

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

export function optionSpec(name: OptionName): OptionSpec {
  return RUN_OPTIONS[name] as OptionSpec;
}

/** Options that only change how a trained model is explained: explain and evaluate may take them. */
export const EXPLAIN_OPTIONS: readonly OptionName[] = OPTION_NAMES.filter(
  (name) => RUN_OPTIONS[name].stage !== 'train',
);
