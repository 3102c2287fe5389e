import { PRESET_NAMES, getPreset, layerNames, type Preset as ModelPreset, type PresetName } from '@vad/models';

import { AttentionSign, AttentionTarget, ImageScoreKind, LossKind, RunPreset } from '../run/run.input';
import type { Preset } from './preset.type';

// The pipeline's option values as the API's enums. Exhaustive records, so that a value added to @vad/models fails
// type checking here instead of reaching clients as a value their schema does not know.
const PRESET: Record<PresetName, RunPreset> = { tiny: RunPreset.TINY, small: RunPreset.SMALL, base: RunPreset.BASE };
const LOSS: Record<ModelPreset['model']['loss'], LossKind> = {
  mse: LossKind.MSE,
  l1: LossKind.L1,
  ssim: LossKind.SSIM,
  ssim_mse: LossKind.SSIM_MSE,
};
const SIGN: Record<ModelPreset['explain']['sign'], AttentionSign> = {
  relu: AttentionSign.RELU,
  neg_relu: AttentionSign.NEG_RELU,
  abs: AttentionSign.ABS,
};
const TARGET: Record<ModelPreset['explain']['attentionTargets'][number], AttentionTarget> = {
  loss: AttentionTarget.LOSS,
  latent: AttentionTarget.LATENT,
  residual: AttentionTarget.RESIDUAL,
};
const SCORE: Record<ModelPreset['explain']['score'], ImageScoreKind> = {
  max: ImageScoreKind.MAX,
  top1: ImageScoreKind.TOP1,
};

/**
 * A preset as clients see it: its values of exactly the options startRun's input can override, and the layers and
 * image size step of its model.
 */
export function presetOf(preset: ModelPreset): Preset {
  return {
    name: PRESET[preset.name],
    description: preset.description,
    settings: {
      imageSize: preset.model.imageSize,
      epochs: preset.train.epochs,
      batchSize: preset.train.batchSize,
      loss: LOSS[preset.model.loss],
      // One override sets both the explained layer and sign and those of the training term (resolveConfig in
      // @vad/models); the presets agree on them, which test/modules/presets.test.ts holds.
      layer: preset.explain.layer,
      attentionWeight: preset.train.attentionWeight,
      attentionSign: SIGN[preset.explain.sign],
      attentionTargets: preset.explain.attentionTargets.map((target) => TARGET[target]),
      smoothing: preset.explain.smoothing,
      score: SCORE[preset.explain.score],
    },
    // Not options but facts of the model that decide which option values the worker accepts; without them a
    // client learns of a missing layer or an unfit size only when the run fails.
    layers: layerNames(preset.model.depth),
    imageSizeStep: 2 ** preset.model.depth,
  };
}

export class PresetService {
  readonly #presets: readonly Preset[] = PRESET_NAMES.map((name) => presetOf(getPreset(name)));

  /** Every preset, smallest first. */
  list(): readonly Preset[] {
    return this.#presets;
  }
}
