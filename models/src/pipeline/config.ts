import { runtimeInfo } from '@vad/native';
import type { CamSign, DeviceRequest, LossKind, ResolvedModelConfig } from '@vad/native';

import { samplesOfSplit } from '../datasets';
import type { Dataset } from '../datasets';
import { defaultPresetName, getPreset, isPresetName } from '../presets';
import type { AttentionTarget, ImageScore, PresetName } from '../presets';

export const LOSS_KINDS: readonly LossKind[] = ['mse', 'l1', 'ssim', 'ssim_mse'];
export const CAM_SIGNS: readonly CamSign[] = ['relu', 'neg_relu', 'abs'];
export const DEVICES: readonly DeviceRequest[] = ['auto', 'cpu', 'cuda'];
export const ATTENTION_TARGETS: readonly AttentionTarget[] = ['loss', 'latent', 'residual'];
export const IMAGE_SCORES: readonly ImageScore[] = ['max', 'top1'];

/** Everything a run used, written to <out>/config.json and into the report: enough to repeat it. */
export interface PipelineConfig {
  /** The data spec (see data-spec.ts), folders made absolute. */
  data: string;
  preset: PresetName;
  device: DeviceRequest;
  model: ResolvedModelConfig;
  train: {
    epochs: number;
    batchSize: number;
    learningRate: number;
    /** Shuffling and flips; the model's weight initialisation uses model.seed (the same run seed). */
    seed: number;
    attentionWeight: number;
    attentionLayer: string;
    attentionSign: CamSign;
    flipHorizontal: boolean;
    flipVertical: boolean;
  };
  explain: {
    layer: string;
    sign: CamSign;
    attentionTargets: AttentionTarget[];
    /** Gaussian smoothing of every map: sigma as a fraction of model.imageSize (0 = none; absent in old runs). */
    smoothing: number;
    score: ImageScore;
    batchSize: number;
  };
}

/** What a caller (the CLI, the API) may set; everything else comes from the preset. */
export interface ConfigOverrides {
  preset?: PresetName;
  /** Model input size in pixels (square). */
  size?: number;
  epochs?: number;
  batchSize?: number;
  loss?: LossKind;
  /** Encoder layer of the attention map, for the training term and for explain alike. */
  layer?: string;
  attentionWeight?: number;
  attentionSign?: CamSign;
  attentionTargets?: AttentionTarget[];
  /** Gaussian smoothing of the maps, sigma as a fraction of the image side (1/32 = 4 px at 128 px); 0 = none. */
  smoothing?: number;
  score?: ImageScore;
  device?: DeviceRequest;
  seed?: number;
}

/** A bad option value; `option` is the ConfigOverrides key, so the CLI can name its flag. */
export class ConfigError extends RangeError {
  readonly option: string;

  constructor(option: string, message: string) {
    super(`${option}: ${message}`);
    this.name = 'ConfigError';
    this.option = option;
  }
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

function checkInteger(option: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in ${min}..${max}`;
    throw new ConfigError(option, `must be an integer ${range}, got ${value}`);
  }
}

function checkOneOf<T extends string>(option: string, value: T, allowed: readonly T[]): void {
  if (!allowed.includes(value)) throw new ConfigError(option, `must be one of ${allowed.join(', ')}, got "${value}"`);
}

/** Checks the values a caller set, before anything is loaded, so bad input fails at once. */
export function validateOverrides(overrides: ConfigOverrides): void {
  if (overrides.preset !== undefined && !isPresetName(overrides.preset))
    checkOneOf('preset', overrides.preset, ['tiny', 'small', 'base']);
  if (overrides.size !== undefined) checkInteger('size', overrides.size, 32, 1024);
  if (overrides.epochs !== undefined) checkInteger('epochs', overrides.epochs, 1);
  if (overrides.batchSize !== undefined) checkInteger('batchSize', overrides.batchSize, 2);
  if (overrides.seed !== undefined) checkInteger('seed', overrides.seed, 0, 2 ** 31 - 1);
  if (overrides.loss !== undefined) checkOneOf('loss', overrides.loss, LOSS_KINDS);
  if (overrides.attentionSign !== undefined) checkOneOf('attentionSign', overrides.attentionSign, CAM_SIGNS);
  if (overrides.score !== undefined) checkOneOf('score', overrides.score, IMAGE_SCORES);
  if (overrides.device !== undefined) checkOneOf('device', overrides.device, DEVICES);
  if (overrides.attentionWeight !== undefined) {
    if (!Number.isFinite(overrides.attentionWeight) || overrides.attentionWeight < 0)
      throw new ConfigError('attentionWeight', `must be a number >= 0, got ${overrides.attentionWeight}`);
  }
  if (overrides.smoothing !== undefined) {
    if (!Number.isFinite(overrides.smoothing) || overrides.smoothing < 0 || overrides.smoothing > 0.25)
      throw new ConfigError(
        'smoothing',
        `must be a fraction of the image side from 0 to 0.25, got ${overrides.smoothing}`,
      );
  }
  if (overrides.attentionTargets !== undefined) {
    if (overrides.attentionTargets.length === 0) throw new ConfigError('attentionTargets', 'must name at least one');
    for (const target of overrides.attentionTargets) checkOneOf('attentionTargets', target, ATTENTION_TARGETS);
    if (new Set(overrides.attentionTargets).size !== overrides.attentionTargets.length)
      throw new ConfigError('attentionTargets', `names a target twice: ${overrides.attentionTargets.join(', ')}`);
  }
}

/** Preset + overrides + what the data decides (channels, image size, epochs for its size) = the run's config. */
export function resolveConfig(
  data: string,
  dataset: Dataset,
  overrides: ConfigOverrides,
  environment: { gpuAvailable: boolean } = { gpuAvailable: gpuAvailable() },
): PipelineConfig {
  validateOverrides(overrides);
  const device = overrides.device ?? 'auto';
  if (device === 'cuda' && !environment.gpuAvailable)
    throw new ConfigError('device', 'cuda was asked for, but LibTorch sees no CUDA GPU');
  const useGpu = device !== 'cpu' && environment.gpuAvailable;
  const preset = getPreset(overrides.preset ?? defaultPresetName(useGpu));
  const seed = overrides.seed ?? 0;
  const { depth } = preset.model;

  const imageSize = overrides.size ?? resolveImageSize(preset.model.imageSize, depth, dataset);
  if (imageSize % 2 ** depth !== 0) {
    throw new ConfigError(
      'size',
      `must be a multiple of ${2 ** depth} (2^depth, depth ${depth} in preset ${preset.name}), got ${imageSize}`,
    );
  }

  const layers = layerNames(depth);
  const layer = overrides.layer ?? preset.explain.layer;
  if (!layers.includes(layer)) throw new ConfigError('layer', `must be one of ${layers.join(', ')}, got "${layer}"`);

  const trainCount = samplesOfSplit(dataset, 'train').length;
  const batchSize = overrides.batchSize ?? preset.train.batchSize;
  const stepsPerEpoch = Math.max(1, Math.floor(trainCount / Math.min(batchSize, Math.max(trainCount, 1))));
  const epochs =
    overrides.epochs ?? Math.max(1, Math.min(preset.train.epochs, Math.floor(preset.train.maxSteps / stepsPerEpoch)));

  return {
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
      loss: overrides.loss ?? preset.model.loss,
      ssimWeight: preset.model.ssimWeight,
      seed,
    },
    train: {
      epochs,
      batchSize,
      learningRate: preset.train.learningRate,
      seed,
      attentionWeight: overrides.attentionWeight ?? preset.train.attentionWeight,
      attentionLayer: overrides.layer ?? preset.train.attentionLayer,
      attentionSign: overrides.attentionSign ?? preset.train.attentionSign,
      flipHorizontal: preset.train.flipHorizontal,
      flipVertical: preset.train.flipVertical,
    },
    explain: {
      layer,
      sign: overrides.attentionSign ?? preset.explain.sign,
      attentionTargets: overrides.attentionTargets ?? [...preset.explain.attentionTargets],
      smoothing: overrides.smoothing ?? preset.explain.smoothing,
      score: overrides.score ?? preset.explain.score,
      batchSize: preset.explain.batchSize,
    },
  };
}

/** Options that only change how a trained model is explained, so explain and evaluate may take them. */
export const EXPLAIN_OVERRIDES = [
  'layer',
  'attentionSign',
  'attentionTargets',
  'smoothing',
  'score',
  'device',
] as const;
export type ExplainOverrides = Pick<ConfigOverrides, (typeof EXPLAIN_OVERRIDES)[number]>;

/** A saved config with explain-time overrides applied (the layer here changes the map, not the training). */
export function withExplainOverrides(config: PipelineConfig, overrides: ExplainOverrides): PipelineConfig {
  validateOverrides(overrides);
  const layers = layerNames(config.model.depth);
  if (overrides.layer !== undefined && !layers.includes(overrides.layer))
    throw new ConfigError('layer', `must be one of ${layers.join(', ')}, got "${overrides.layer}"`);
  return {
    ...config,
    device: overrides.device ?? config.device,
    explain: {
      ...config.explain,
      layer: overrides.layer ?? config.explain.layer,
      sign: overrides.attentionSign ?? config.explain.sign,
      attentionTargets: overrides.attentionTargets ?? config.explain.attentionTargets,
      smoothing: overrides.smoothing ?? config.explain.smoothing ?? 0,
      score: overrides.score ?? config.explain.score,
    },
  };
}
