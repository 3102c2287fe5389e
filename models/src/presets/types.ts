import type { CamSign, LossKind } from '@vad/native';

import type { AttentionTarget, DefectSource, ImageScore, MapWeighting, PresetName } from '../options';

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
    /** A segmentation head trained on the synthetic masks beside the U-Net (needs syntheticDefects > 0). */
    segmentationHead: boolean;
  };
  train: {
    /** At most; the patience and the time budget usually end training first. */
    epochs: number;
    batchSize: number;
    /** Side of the random crops trained on, a multiple of 2^depth up to imageSize (0: whole images). */
    patchSize: number;
    /**
     * Share of the normal training images held back from training, to measure how well the model reconstructs
     * normal images it has not seen (used when the training set has at least 10 images; at least 2 are held back).
     */
    validationShare: number;
    learningRate: number;
    attentionWeight: number;
    attentionLayer: string;
    attentionSign: CamSign;
    /** Share of training images given a synthetic defect (0: none); the model learns to reconstruct them clean. */
    syntheticDefects: number;
    defectSources: DefectSource[];
    /** Weight of the attention map's supervision with the synthetic masks (0: none), and its warm-up share. */
    supervisionWeight: number;
    supervisionWarmup: number;
    /** Epochs without a better validation loss before stopping (0: never early). */
    patience: number;
    /** Training time budget in minutes (0: none). */
    minutes: number;
    flipHorizontal: boolean;
    flipVertical: boolean;
    /** Batch norm's statistics measured again on clean whole images at each epoch's end (native TrainOptions). */
    recomputeBatchNorm: boolean;
  };
  explain: {
    /** Encoder layer the attention map is taken from. */
    layer: string;
    sign: CamSign;
    /** Grad-CAM's channel-averaged weights, or LayerCAM's element-wise ones. */
    weighting: MapWeighting;
    /** The first target is the `attention` map; the others give `attention-<target>` maps. */
    attentionTargets: AttentionTarget[];
    /** Gaussian smoothing of every map: sigma as a fraction of the model's image side (0 = none). */
    smoothing: number;
    score: ImageScore;
    batchSize: number;
  };
}
