// The typed face of the engine: a U-Net reconstruction model that trains with an optional
// gradient-attention term and explains images with Grad-CAM and residual maps.
import { loadAddon, type NativeModel } from './addon';
import { awaitWithCallSite, captureCallSite } from './errors';

export type LossKind = 'mse' | 'l1' | 'ssim' | 'ssim_mse';
/**
 * What a gradient map keeps: Grad-CAM of sum_c w_c A_c, LayerCAM of each gradient dL/dA_c(u, v) before it weights
 * A_c(u, v): the positive part ('relu', LayerCAM's own), the negative part, or the magnitude.
 */
export type CamSign = 'relu' | 'neg_relu' | 'abs';
/**
 * gradcam_* / layercam_*: channel-averaged / element-wise gradient maps of the loss, the latent code or the
 * re-encoded residual at `layer`; residual, ssim, msgms (1 - multi-scale gradient magnitude similarity) compare
 * x with x_hat; segmentation is the probability the model's segmentation head gives each pixel (only with
 * `segmentationHead`). Definitions in native/README.md, "Explaining".
 */
export type MapKind =
  | 'gradcam_loss'
  | 'gradcam_latent'
  | 'gradcam_residual'
  | 'layercam_loss'
  | 'layercam_latent'
  | 'layercam_residual'
  | 'residual'
  | 'ssim'
  | 'msgms'
  | 'segmentation';
export type ScoreKind = 'max' | 'top1' | 'loss';
export type DeviceRequest = 'auto' | 'cpu' | 'cuda';
/** Where a synthetic defect's content comes from: a patch of another training image, Perlin noise, a flat colour. */
export type DefectSource = 'patch' | 'perlin' | 'flat';
/** Why training ended: all its epochs, a validation plateau (patience), the time budget (maxSeconds), a cancel. */
export type StopReason = 'epochs' | 'plateau' | 'budget' | 'cancelled';

/** Pixels 0-255, laid out (N, C, H, W). Handed to the engine once per call and copied there once. */
export interface ImageArray {
  readonly data: Uint8Array;
  readonly shape: readonly [n: number, channels: number, height: number, width: number];
}

export interface ModelConfig {
  /** 1 (grayscale) or 3 (RGB). */
  channels: 1 | 3;
  /** Square images of this size: 32 to 1024, a multiple of 2^depth. */
  imageSize: number;
  /** Pooling steps, 3 to 5 (default 4): encoder layers enc1..enc<depth>, then the bottleneck. */
  depth?: number;
  /** Width of enc1, doubled at each level (default 16). */
  baseChannels?: number;
  /** Default true. */
  batchNorm?: boolean;
  /** Default true; false gives a plain convolutional autoencoder (no skip connections). */
  skips?: boolean;
  /** Skips removed from the top: 1 drops enc1's, 2 drops enc1's and enc2's (default 0). */
  dropTopSkips?: number;
  /** Std of Gaussian noise added to skip features while training only (default 0). */
  skipNoiseStd?: number;
  /** The training loss, also the Grad-CAM target of 'gradcam_loss' and the 'loss' score (default 'mse'). */
  loss?: LossKind;
  /** For 'ssim_mse': w * (1 - SSIM) + (1 - w) * MSE (default 0.5). */
  ssimWeight?: number;
  /** Weight initialisation seed (default 0). */
  seed?: number;
  /**
   * Also own a small segmentation network that reads (x, x_hat) and is trained on the synthetic defects' masks, as
   * DRAEM's second network: the 'segmentation' map, a reference for the attention map (default false; training
   * then needs syntheticDefects). See native/README.md, "The segmentation head".
   */
  segmentationHead?: boolean;
}

export type ResolvedModelConfig = Required<ModelConfig>;

export interface TrainProgress {
  /** 1-based. */
  epoch: number;
  epochs: number;
  /** 1-based, within the epoch. */
  step: number;
  stepsPerEpoch: number;
  /** Reconstruction loss of this step. */
  loss: number;
  /** Mean attention map of this step (0 when attentionWeight is 0). */
  attentionLoss: number;
  /** Focal + Dice of the attention supervision, unweighted (0 when it is off or still warming up). */
  supervisionLoss: number;
  /** Focal + Dice of the segmentation head against this step's synthetic masks (0 without a head). */
  segmentationLoss: number;
  /** Mean loss on the validation images after this epoch: present at an epoch's last step when they are given. */
  validationLoss?: number;
  /** L2 norm of the U-Net's parameter gradients of this step (the segmentation head's left out). */
  gradientNorm: number;
  imagesPerSecond: number;
  etaSeconds: number;
}

/** Where a training run stands; a checkpoint with it can be resumed exactly. */
export interface TrainState {
  epochsCompleted: number;
  /** Steps done in the unfinished epoch (non-zero after a cancel). */
  stepInEpoch: number;
  seed: number;
  batchSize: number;
  /** The run ended by its own rule (all epochs, a plateau, the budget); false while unfinished or after a cancel. */
  finished: boolean;
}

/**
 * DRAEM-style synthetic defects planted in training images: a thresholded, rotated Perlin mask; content from
 * a patch of another image of the batch, Perlin noise or a flat colour, augmented and kept in the image's own
 * value range; blended with a random opacity. See native/README.md, "Synthetic defects".
 */
export interface SyntheticDefectOptions {
  /** Chance of each training image to get a defect (default 0.5). */
  probability?: number;
  /** The content sources drawn from, one per image (default all three). */
  sources?: DefectSource[];
  /** A defect's opacity is drawn uniformly in [minOpacity, 1] (default 0.2, DRAEM's range). */
  minOpacity?: number;
}

export interface TrainOptions {
  /** Total epochs of the run; a resumed run continues up to this number. */
  epochs: number;
  /** Default 16 (the checkpoint's when resuming). A last partial batch is dropped. */
  batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  learningRate?: number;
  /** Shuffling, flips and skip noise derive from it (default 0, the checkpoint's when resuming). */
  seed?: number;
  /** lambda of the attention term lambda * mean(Grad-CAM map) (default 0: off). See native/README.md. */
  attentionWeight?: number;
  /** Encoder layer of the attention term (default 'enc1'); one of model.layers. */
  attentionLayer?: string;
  /** Default 'abs'. */
  attentionSign?: CamSign;
  /**
   * Synthetic defects in the training images (absent: none); the model then learns to reconstruct the clean
   * image from the corrupted one.
   */
  syntheticDefects?: SyntheticDefectOptions;
  /**
   * Supervision of the LayerCAM map ('layercam_loss') with the synthetic masks (focal + Dice): its gradient is
   * scaled to this multiple of the reconstruction gradient's norm, about 1 to start (default 0: off; needs
   * syntheticDefects). See native/README.md, "Supervising the attention map".
   */
  supervisionWeight?: number;
  /** Encoder layer of the supervised map (default 'enc1'); explain's layer should be the same. */
  supervisionLayer?: string;
  /** Sign of the supervised map (default 'abs', explain's default); explain's sign should be the same. */
  supervisionSign?: CamSign;
  /** Share of the run's steps before the supervision starts (default 0.2); it then rises over a tenth. */
  supervisionWarmup?: number;
  /**
   * Held-back normal images: their mean loss is computed after every epoch (validationLoss), and a run that ends
   * by its own rule hands back the weights of the epoch where it was lowest (bestEpoch).
   */
  validation?: ImageArray;
  /** Stop after this many epochs in a row without a validation loss 0.1 % below the best (needs validation). */
  patience?: number;
  /** Stop at the end of the epoch in which this call's training time passes this many seconds. */
  maxSeconds?: number;
  /** Random flips, for textures only: on oriented objects they fabricate defects (default false). */
  flipHorizontal?: boolean;
  flipVertical?: boolean;
  /**
   * Train on one random patchSize x patchSize crop of each image per step (synthetic defects are planted in the
   * crop), a multiple of 2^depth up to imageSize; validation and explain take whole images (default 0: whole
   * images throughout).
   */
  patchSize?: number;
  /**
   * At the end of each epoch, before the validation loss, measure batch norm's statistics again with the epoch's
   * weights on 32 clean whole training images (skip noise drawn as in training), in place of the running average
   * over the last batches of corrupted crops (default false).
   */
  recomputeBatchNorm?: boolean;
  /** Default 'auto': CUDA when LibTorch sees a GPU, else the CPU. */
  device?: DeviceRequest;
  /** bf16 autocast on CUDA (default true); ignored on the CPU. */
  mixedPrecision?: boolean;
  /** Written after every epoch and on cancel (atomically: temporary file, then rename). */
  checkpointPath?: string;
  /** Continue from this model's training state (a checkpoint loaded with AnomalyModel.load). */
  resume?: boolean;
  /** Aborting stops the run within one step; the promise then resolves with cancelled: true. */
  signal?: AbortSignal;
  onProgress?: (progress: TrainProgress) => void;
}

export interface TrainResult {
  cancelled: boolean;
  stopReason: StopReason;
  /** Mean reconstruction loss of each epoch finished in this call. */
  epochLosses: number[];
  /** Mean loss on the validation images after each epoch finished in this call (empty without them). */
  validationLosses: number[];
  seconds: number;
  device: 'cpu' | 'cuda';
  mixedPrecision: boolean;
  /** Optimizer steps taken in this call. */
  steps: number;
  /**
   * The epoch (1-based, counted over resumed calls too) with the lowest validation loss; 0 without validation
   * images. A run that ends by its own rule (epochs, plateau, budget) hands back this epoch's weights, in the
   * model and its checkpoint; a cancelled run keeps its last weights, which resuming continues from.
   */
  bestEpoch: number;
  state: TrainState;
}

export interface ExplainOptions {
  /** Maps to compute (default ['gradcam_loss']). */
  maps?: readonly MapKind[];
  /** Encoder layer of the Grad-CAM and LayerCAM maps (default 'enc1'); one of model.layers. */
  layer?: string;
  /** Default 'abs'. */
  sign?: CamSign;
  /** 'max' of the map, 'top1' (mean of its top 1 % pixels) or the image's 'loss' (default 'max'). */
  score?: ScoreKind;
  /** The map the score is taken from (default: maps[0], or 'residual' when maps is empty). */
  scoreMap?: MapKind;
  /** Default 16. */
  batchSize?: number;
  device?: DeviceRequest;
}

export interface ExplainResult {
  /** Each computed map, H x W, raw values (not normalised per image). */
  maps: Partial<Record<MapKind, Float32Array>>;
  /** C x H x W, values in [0, 1]. */
  reconstruction: Float32Array;
  score: number;
  /** The image's reconstruction loss (the model's loss). */
  loss: number;
}

// Unexported, so only load() can hand an already-built native model to the constructor.
const loadedNative = Symbol('loadedNative');

export class AnomalyModel {
  readonly #native: NativeModel;
  // train() and explain() on one model run one after another, in call order: the engine model is
  // not shared across threads.
  #queue: Promise<unknown> = Promise.resolve();

  /** Builds a freshly initialised model; bad config values throw TypeError / RangeError naming them. */
  constructor(config: ModelConfig) {
    const loaded = (config as { [loadedNative]?: NativeModel })[loadedNative];
    this.#native = loaded ?? new (loadAddon().NativeModel)(config);
  }

  /** Reads a checkpoint written by save() or by training; a bad file throws an Error naming the problem. */
  static load(path: string): AnomalyModel {
    const native = loadAddon().NativeModel.load(path);
    return new AnomalyModel({ [loadedNative]: native } as unknown as ModelConfig);
  }

  get config(): ResolvedModelConfig {
    return this.#native.config;
  }

  /** Encoder layers an attention map can be taken from: enc1..enc<depth>, bottleneck. */
  get layers(): readonly string[] {
    return this.#native.layers;
  }

  get parameterCount(): number {
    return this.#native.parameterCount;
  }

  /** After training or loading a training checkpoint; null otherwise (and while a call is running). */
  get trainState(): TrainState | null {
    return this.#native.trainState;
  }

  #enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(operation, operation);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Writes config, weights and training state (if any). Throws while train() or explain() runs. */
  save(path: string): void {
    this.#native.save(path);
  }

  /** Trains off the event loop; queued behind this model's earlier train() / explain() calls. */
  async train(images: ImageArray, options: TrainOptions): Promise<TrainResult> {
    const site = captureCallSite();
    const { signal, onProgress, validation, ...nativeOptions } = options;
    const cancel = (): void => this.#native.cancelTraining();
    return this.#enqueue(() =>
      awaitWithCallSite(async () => {
        // An already aborted signal must stop the run before its first step, not after a race with it.
        const running = this.#native.train(images, nativeOptions, onProgress, signal?.aborted ?? false, validation);
        signal?.addEventListener('abort', cancel, { once: true });
        try {
          return await running;
        } finally {
          signal?.removeEventListener('abort', cancel);
        }
      }, site),
    );
  }

  /**
   * Maps, reconstruction and score of every image, computed off the event loop in batches; queued
   * behind this model's earlier train() / explain() calls.
   */
  async explain(images: ImageArray, options: ExplainOptions = {}): Promise<ExplainResult[]> {
    const site = captureCallSite();
    return this.#enqueue(() => awaitWithCallSite(() => this.#native.explain(images, { ...options }), site));
  }
}

/** Mean SSIM of each image pair (11x11 Gaussian window, sigma 1.5), as the 'ssim' loss computes it. */
export function meanSsim(a: ImageArray, b: ImageArray): Float64Array {
  return loadAddon().ssim(a, b);
}

/**
 * Plants synthetic defects as training does, in batches of 16 images seeded from (seed, batch), with their
 * masks (N x H x W, 1 inside a defect). For planting test defects in held-back normal images, and for tests.
 */
export function synthesizeDefects(
  images: ImageArray,
  options: SyntheticDefectOptions,
  seed: number,
): { images: ImageArray; masks: Uint8Array } {
  const planted = loadAddon().synthesizeDefects(images, { ...options }, seed);
  return { images: { data: planted.images, shape: images.shape }, masks: planted.masks };
}

/** LibTorch version, CUDA availability and CPU threads. */
export function runtimeInfo(): string {
  return loadAddon().runtimeInfo();
}
