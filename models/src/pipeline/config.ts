import { runtimeInfo } from '@vad/native';
import type { DeviceRequest, ResolvedModelConfig } from '@vad/native';

import { samplesOfSplit } from '../datasets';
import type { Dataset } from '../datasets';
import { ConfigError, EXPLAIN_OPTIONS, pickOptions, validateOptions } from '../options';
import type { PresetName, RunOptions } from '../options';
import { defaultPresetName, getPreset } from '../presets';
import type { Preset } from '../presets';

/** Everything a run used, written to <out>/config.json and into the report: enough to repeat it. */
export interface PipelineConfig {
  /** The data spec (see data-spec.ts), folders made absolute. */
  data: string;
  preset: PresetName;
  device: DeviceRequest;
  model: ResolvedModelConfig;
  /**
   * The preset's training settings with the run's options applied; the share of held-back images resolved to a
   * count. Settings added later are absent from older runs' configs, which read them as off.
   */
  train: Omit<Preset['train'], 'validationShare'> & {
    /** Normal training images held back (seeded by `seed`) to measure the reconstruction; 0 = none. */
    validationImages: number;
    /** Shuffling and flips; the model's weight initialisation uses model.seed (the same run seed). */
    seed: number;
  };
  /** As the preset's; old runs lack `weighting` (read as channel) and `smoothing` (read as none). */
  explain: Preset['explain'];
}

/** Whether LibTorch sees a CUDA GPU (the native runtime description says so). */
export function gpuAvailable(): boolean {
  return runtimeInfo().includes('CUDA available');
}

/** Encoder layers of a U-Net of this depth, the names the engine accepts. */
export function layerNames(depth: number): string[] {
  return [...Array.from({ length: depth }, (_, i) => `enc${i + 1}`), 'bottleneck'];
}

/**
 * The model size for a dataset: the preset's, except that images smaller than it are only brought up to the
 * next size the U-Net takes (a multiple of 2^depth, at least 32), so 28 px Fashion-MNIST runs at 32 px.
 */
export function resolveImageSize(presetSize: number, depth: number, dataset: Dataset): number {
  const largest = Math.max(...dataset.samples.map((sample) => Math.max(sample.width, sample.height)));
  const step = 2 ** depth;
  const fitting = Math.max(32, Math.ceil(largest / step) * step);
  return Math.min(presetSize, fitting);
}

/** Held-back normal images: a share of a training set of at least 10, never fewer than 2. */
export function validationCount(trainCount: number, share: number): number {
  if (share <= 0 || trainCount < 10) return 0;
  return Math.max(2, Math.round(trainCount * share));
}

function checkLayer(option: 'attentionLayer' | 'mapLayer', layer: string, depth: number): void {
  const layers = layerNames(depth);
  if (!layers.includes(layer)) throw new ConfigError(option, `must be one of ${layers.join(', ')}, got "${layer}"`);
}

/** A patch is the U-Net's input while training: a multiple of 2^depth, and no larger than the image it is cut from. */
function checkPatchSize(patchSize: number, imageSize: number, depth: number): void {
  if (patchSize === 0) return;
  const step = 2 ** depth;
  if (patchSize % step !== 0 || patchSize > imageSize) {
    throw new ConfigError(
      'patchSize',
      `must be 0 (whole images) or a multiple of ${step} (2^depth) up to the image size ${imageSize}, got ${patchSize}`,
    );
  }
}

/** The head learns from the synthetic defects' masks: without synthetic defects it has nothing to learn from. */
function checkSegmentationHead(segmentationHead: boolean, syntheticDefects: number): void {
  if (segmentationHead && syntheticDefects === 0) {
    throw new ConfigError(
      'segmentationHead',
      'needs synthetic defects (syntheticDefects above 0): the head learns from their masks',
    );
  }
}

/** Preset + options + what the data decides (channels, image size, epochs for its size) = the run's config. */
export function resolveConfig(
  data: string,
  dataset: Dataset,
  options: RunOptions,
  environment: { gpuAvailable: boolean } = { gpuAvailable: gpuAvailable() },
): PipelineConfig {
  validateOptions(options);
  const device = options.device ?? 'auto';
  if (device === 'cuda' && !environment.gpuAvailable)
    throw new ConfigError('device', 'cuda was asked for, but LibTorch sees no CUDA GPU');
  const useGpu = device !== 'cpu' && environment.gpuAvailable;
  const preset = getPreset(options.preset ?? defaultPresetName(useGpu));
  const seed = options.seed ?? 0;
  const { depth } = preset.model;

  const imageSize = options.imageSize ?? resolveImageSize(preset.model.imageSize, depth, dataset);

  const trainCount = samplesOfSplit(dataset, 'train').length;
  const validationImages = validationCount(trainCount, preset.train.validationShare);
  const batchSize = options.batchSize ?? preset.train.batchSize;
  const epochs = options.epochs ?? preset.train.epochs;
  const syntheticDefects = options.syntheticDefects ?? preset.train.syntheticDefects;
  const segmentationHead = options.segmentationHead ?? preset.model.segmentationHead;
  checkSegmentationHead(segmentationHead, syntheticDefects);

  const config: PipelineConfig = {
    data,
    preset: preset.name,
    device,
    model: {
      channels: dataset.channels,
      imageSize,
      depth,
      baseChannels: preset.model.baseChannels,
      batchNorm: preset.model.batchNorm,
      skips: preset.model.skips,
      dropTopSkips: preset.model.dropTopSkips,
      skipNoiseStd: preset.model.skipNoiseStd,
      loss: options.loss ?? preset.model.loss,
      ssimWeight: preset.model.ssimWeight,
      seed,
      segmentationHead,
    },
    train: {
      epochs,
      batchSize,
      patchSize: options.patchSize ?? preset.train.patchSize,
      validationImages,
      learningRate: preset.train.learningRate,
      seed,
      attentionWeight: options.attentionWeight ?? preset.train.attentionWeight,
      attentionLayer: options.attentionLayer ?? preset.train.attentionLayer,
      attentionSign: options.attentionSign ?? preset.train.attentionSign,
      syntheticDefects,
      defectSources: options.defectSources ?? [...preset.train.defectSources],
      supervisionWeight: options.supervisionWeight ?? preset.train.supervisionWeight,
      supervisionWarmup: options.supervisionWarmup ?? preset.train.supervisionWarmup,
      patience: options.patience ?? preset.train.patience,
      minutes: options.minutes ?? preset.train.minutes,
      flipHorizontal: preset.train.flipHorizontal,
      flipVertical: preset.train.flipVertical,
      recomputeBatchNorm: preset.train.recomputeBatchNorm,
    },
    explain: {
      layer: options.mapLayer ?? preset.explain.layer,
      sign: options.mapSign ?? preset.explain.sign,
      weighting: options.mapWeighting ?? preset.explain.weighting,
      attentionTargets: options.mapTargets ?? [...preset.explain.attentionTargets],
      smoothing: options.smoothing ?? preset.explain.smoothing,
      score: options.score ?? preset.explain.score,
      batchSize: preset.explain.batchSize,
    },
  };
  checkModelShape(config);
  return config;
}

/** The sizes and layers a config names must exist in its U-Net: checked again where a sweep changes the depth. */
export function checkModelShape(config: PipelineConfig): void {
  const { imageSize, depth } = config.model;
  if (imageSize % 2 ** depth !== 0) {
    throw new ConfigError(
      'imageSize',
      `must be a multiple of ${2 ** depth} (2^depth for a U-Net of depth ${depth}), got ${imageSize}`,
    );
  }
  checkPatchSize(config.train.patchSize, imageSize, depth);
  checkLayer('attentionLayer', config.train.attentionLayer, depth);
  checkLayer('mapLayer', config.explain.layer, depth);
}

/** A saved config with explain-time options applied (the map layer changes the map, not the training). */
export function withExplainOptions(config: PipelineConfig, given: RunOptions): PipelineConfig {
  const options = pickOptions(given, EXPLAIN_OPTIONS);
  validateOptions(options);
  if (options.mapLayer !== undefined) checkLayer('mapLayer', options.mapLayer, config.model.depth);
  return {
    ...config,
    device: options.device ?? config.device,
    explain: {
      ...config.explain,
      layer: options.mapLayer ?? config.explain.layer,
      sign: options.mapSign ?? config.explain.sign,
      weighting: options.mapWeighting ?? config.explain.weighting ?? 'channel',
      attentionTargets: options.mapTargets ?? config.explain.attentionTargets,
      smoothing: options.smoothing ?? config.explain.smoothing ?? 0,
      score: options.score ?? config.explain.score,
    },
  };
}
