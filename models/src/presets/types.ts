import type { CamSign, LossKind } from '@vad/native';

import type { AttentionTarget, ImageScore, PresetName } from '../options';

/**
 * Every hyperparameter of a run, explicit, so that a report's config says exactly what ran. Channels and the
 * seed are not here: the channels come from the data, the seed from the run.
 */
export interface Preset {
  name: PresetName;
  description: string;
  model: {
    /** Square model input; smaller images are not blown up beyond the next valid size (see resolveImageSize). */
    imageSize: number;
    depth: number;
    baseChannels: number;
    batchNorm: boolean;
    skips: boolean;
    dropTopSkips: number;
    skipNoiseStd: number;
    loss: LossKind;
    ssimWeight: number;
  };
  train: {
    epochs: number;
    /**
     * Caps the optimizer steps of a run when --epochs is not given, so a large training set (6000
     * Fashion-MNIST images) takes fewer epochs than a small one (300 magnetic tiles) in the same time.
     */
    maxSteps: number;
    batchSize: number;
    /**
     * Share of the normal training images held back from training, to measure how well the model reconstructs
     * normal images it has not seen (used when the training set has at least 10 images; at least 2 are held back).
     */
    validationShare: number;
    learningRate: number;
    attentionWeight: number;
    attentionLayer: string;
    attentionSign: CamSign;
    flipHorizontal: boolean;
    flipVertical: boolean;
  };
  explain: {
    /** Encoder layer the attention map is taken from. */
    layer: string;
    sign: CamSign;
    /** The first target is the `attention` map; the others give `attention-<target>` maps. */
    attentionTargets: AttentionTarget[];
    /** Gaussian smoothing of every map: sigma as a fraction of the model's image side (0 = none). */
    smoothing: number;
    score: ImageScore;
    batchSize: number;
  };
}
