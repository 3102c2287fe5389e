import type { CamSign, LossKind } from '@vad/native';

import {
  ATTENTION_TARGETS,
  CAM_SIGNS,
  LOSS_KINDS,
  MAP_WEIGHTINGS,
  RUN_OPTIONS,
  upgradeSavedOptions,
  upgradeTarget,
  validateOptions,
} from '../options';
import type { AttentionTarget, MapWeighting, OptionName, RunOptions } from '../options';
import { type Combination } from './transforms';

/** One model to train: the grid's base settings with these changes. */
export interface TrainingVariant {
  name: string;
  /** Encoder levels: each one more halves the bottleneck's side and widens what it sees of the image. */
  depth?: number;
  /** Batch normalisation after each convolution (the preset's: on). */
  batchNorm?: boolean;
  skips?: boolean;
  dropTopSkips?: number;
  skipNoiseStd?: number;
  loss?: LossKind;
  attentionWeight?: number;
  /** Seed of the weight initialisation, shuffling and flips (the test split keeps the grid's seed). */
  seed?: number;
  epochs?: number;
  /** Adam's learning rate (the preset's otherwise). */
  learningRate?: number;
  /** Batch norm's statistics measured again on clean whole images at each epoch's end (the preset's otherwise). */
  recomputeBatchNorm?: boolean;
  /** Any training options of `vad run` (synthetic defects, supervision, stopping rule, ...), over the base's. */
  options?: RunOptions;
}

/** Explain-time settings of the Grad-CAM maps (one engine pass over the test set each). */
export interface ExplainVariant {
  layer: string;
  sign: CamSign;
  /** Grad-CAM's channel weights (the default) or LayerCAM's element-wise ones. */
  weighting: MapWeighting;
}

/** Post-processing of a map: smoothing (Gaussian sigma in model pixels, 0 = none), then normalisation. */
export interface MapTransform {
  /** Per-pixel (map - mean) / spread over the held-back normal images. */
  normalize: boolean;
  sigma: number;
}

/** A sweep's grid file (JSON). */
export interface Grid {
  /** Seed of the test split and of the held-back normal images. */
  seed: number;
  /** Normal training images kept out of training for the normalisation statistics. */
  holdBack: number;
  /** Pixel metrics at each image's original resolution (as `vad run`) or at the model's (masks resized, faster). */
  evaluateAt: 'original' | 'model';
  /** Settings every configuration shares (`vad run` options: preset, size, epochs, device, ...). */
  base: RunOptions;
  trainings: TrainingVariant[];
  explains: ExplainVariant[];
  targets: AttentionTarget[];
  transforms: MapTransform[];
  /** Attention (the first target) combined with the residual. */
  combine: Combination[];
}

/** One measured configuration: a trained model, a map, and how the map is explained and post-processed. */
export interface Configuration {
  id: string;
  training: string;
  /** `residual`, `ssim`, `attention-<target>`, or `<sum|product>(attention-<target>, residual)`. */
  map: string;
  target: AttentionTarget | null;
  combine: Combination | null;
  explain: ExplainVariant | null;
  transform: MapTransform;
}

export class GridError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GridError';
  }
}

function fail(path: string, message: string): never {
  throw new GridError(`grid ${path}: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(path: string, value: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(value))
    if (!allowed.includes(key)) fail(path, `unknown key "${key}" (allowed: ${allowed.join(', ')})`);
}

function list(path: string, value: unknown): unknown[] {
  if (!Array.isArray(value) || value.length === 0) fail(path, 'must be a non-empty array');
  return value;
}

/** Checks a parsed grid file and fills its defaults; every mistake names the key at fault. */
export function parseGrid(value: unknown): Grid {
  if (!isRecord(value)) fail('', 'must be a JSON object');
  checkKeys('', value, [
    'seed',
    'holdBack',
    'evaluateAt',
    'base',
    'trainings',
    'explains',
    'targets',
    'transforms',
    'combine',
  ]);
  const seed = value.seed ?? 0;
  if (!Number.isInteger(seed) || (seed as number) < 0) fail('seed', `must be an integer >= 0, got ${String(seed)}`);
  const holdBack = value.holdBack ?? 20;
  if (!Number.isInteger(holdBack) || (holdBack as number) < 1)
    fail('holdBack', `must be an integer >= 1, got ${String(holdBack)}`);
  const evaluateAt = value.evaluateAt ?? 'original';
  if (evaluateAt !== 'original' && evaluateAt !== 'model')
    fail('evaluateAt', `must be "original" or "model", got ${String(evaluateAt)}`);
  // Grids written before the options were named apart still read: `size`, `layer` and the old target names.
  const base = upgradeSavedOptions((value.base ?? {}) as Record<string, unknown>);
  if (!isRecord(base)) fail('base', 'must be an object of vad run options');
  try {
    validateOptions(base);
  } catch (error) {
    fail('base', (error as Error).message);
  }
  const names = new Set<string>();
  return {
    seed: seed as number,
    holdBack: holdBack as number,
    evaluateAt,
    base,
    trainings: list('trainings', value.trainings).map((item, i) => parseTraining(`trainings[${i}]`, item, names)),
    explains: list('explains', value.explains).map((item, i) => parseExplain(`explains[${i}]`, item)),
    targets: list('targets', value.targets ?? ['loss']).map((given, i): AttentionTarget => {
      const item = upgradeTarget(given);
      if (!ATTENTION_TARGETS.includes(item as AttentionTarget))
        fail(`targets[${i}]`, `must be one of ${ATTENTION_TARGETS.join(', ')}`);
      return item as AttentionTarget;
    }),
    transforms: list('transforms', value.transforms ?? [{ normalize: false, sigma: 0 }]).map((item, i) =>
      parseTransform(`transforms[${i}]`, item),
    ),
    combine: (Array.isArray(value.combine) ? value.combine : []).map((item, i): Combination => {
      if (item !== 'sum' && item !== 'product') fail(`combine[${i}]`, 'must be "sum" or "product"');
      return item;
    }),
  };
}

/** One entry of `trainings`; `names` holds the names seen so far, since a name must be unique. */
function parseTraining(path: string, item: unknown, names: Set<string>): TrainingVariant {
  if (!isRecord(item)) fail(path, 'must be an object');
  checkKeys(path, item, [
    'name',
    'depth',
    'batchNorm',
    'skips',
    'dropTopSkips',
    'skipNoiseStd',
    'loss',
    'attentionWeight',
    'seed',
    'epochs',
    'learningRate',
    'recomputeBatchNorm',
    'options',
  ]);
  if (typeof item.name !== 'string' || !/^[\w.-]+$/.test(item.name))
    fail(`${path}.name`, 'must be a name of letters, digits, ".", "_" or "-"');
  if (names.has(item.name)) fail(`${path}.name`, `"${item.name}" is used twice`);
  names.add(item.name);
  if (item.depth !== undefined && (!Number.isInteger(item.depth) || (item.depth as number) < 1))
    fail(`${path}.depth`, 'must be an integer >= 1');
  if (item.batchNorm !== undefined && typeof item.batchNorm !== 'boolean')
    fail(`${path}.batchNorm`, 'must be true or false');
  if (item.skips !== undefined && typeof item.skips !== 'boolean') fail(`${path}.skips`, 'must be true or false');
  if (item.dropTopSkips !== undefined && (!Number.isInteger(item.dropTopSkips) || (item.dropTopSkips as number) < 0))
    fail(`${path}.dropTopSkips`, 'must be an integer >= 0');
  if (item.skipNoiseStd !== undefined && !((item.skipNoiseStd as number) >= 0))
    fail(`${path}.skipNoiseStd`, 'must be a number >= 0');
  if (item.loss !== undefined && !(LOSS_KINDS as readonly string[]).includes(item.loss as LossKind))
    fail(`${path}.loss`, `must be one of ${LOSS_KINDS.join(', ')}`);
  if (item.attentionWeight !== undefined && !((item.attentionWeight as number) >= 0))
    fail(`${path}.attentionWeight`, 'must be a number >= 0');
  if (item.seed !== undefined && (!Number.isInteger(item.seed) || (item.seed as number) < 0))
    fail(`${path}.seed`, 'must be an integer >= 0');
  if (item.epochs !== undefined && (!Number.isInteger(item.epochs) || (item.epochs as number) < 1))
    fail(`${path}.epochs`, 'must be an integer >= 1');
  if (item.learningRate !== undefined && !((item.learningRate as number) > 0 && (item.learningRate as number) < 1))
    fail(`${path}.learningRate`, 'must be a number between 0 and 1');
  if (item.recomputeBatchNorm !== undefined && typeof item.recomputeBatchNorm !== 'boolean')
    fail(`${path}.recomputeBatchNorm`, 'must be true or false');
  if (item.options !== undefined) parseTrainingOptions(`${path}.options`, item.options);
  return item as unknown as TrainingVariant;
}

/** A variant's own options: training ones only (the explain variants say how maps are made). */
function parseTrainingOptions(path: string, options: unknown): void {
  if (!isRecord(options)) fail(path, 'must be an object of vad run options');
  for (const name of Object.keys(options)) {
    const spec = RUN_OPTIONS[name as OptionName] as { stage: string } | undefined;
    if (spec === undefined || spec.stage !== 'train') fail(`${path}.${name}`, 'is not a training option of vad run');
  }
  try {
    validateOptions(options as RunOptions);
  } catch (error) {
    fail(path, (error as Error).message);
  }
}

function parseExplain(path: string, item: unknown): ExplainVariant {
  if (!isRecord(item)) fail(path, 'must be an object');
  checkKeys(path, item, ['layer', 'sign', 'weighting']);
  if (typeof item.layer !== 'string') fail(`${path}.layer`, 'must be a layer name (enc1.., bottleneck)');
  if (!(CAM_SIGNS as readonly string[]).includes(item.sign as CamSign))
    fail(`${path}.sign`, `must be one of ${CAM_SIGNS.join(', ')}`);
  const weighting = item.weighting ?? 'channel';
  if (!(MAP_WEIGHTINGS as readonly string[]).includes(weighting as string))
    fail(`${path}.weighting`, `must be one of ${MAP_WEIGHTINGS.join(', ')}`);
  return { layer: item.layer, sign: item.sign as CamSign, weighting: weighting as MapWeighting };
}

function parseTransform(path: string, item: unknown): MapTransform {
  if (!isRecord(item)) fail(path, 'must be an object');
  checkKeys(path, item, ['normalize', 'sigma']);
  if (typeof item.normalize !== 'boolean') fail(`${path}.normalize`, 'must be true or false');
  if (typeof item.sigma !== 'number' || !(item.sigma >= 0) || item.sigma > 32)
    fail(`${path}.sigma`, 'must be a number in 0..32 (pixels)');
  return { normalize: item.normalize, sigma: item.sigma };
}

function transformLabel(transform: MapTransform): string {
  return `${transform.normalize ? 'per-pixel norm' : 'raw'}${transform.sigma > 0 ? `, blur ${transform.sigma}` : ''}`;
}

/**
 * Every configuration of one training. The residual and SSIM maps do not depend on the Grad-CAM layer or sign,
 * so they appear once per transform, not once per explain variant.
 */
export function configurationsOf(grid: Grid, training: TrainingVariant): Configuration[] {
  const out: Configuration[] = [];
  const add = (
    map: string,
    target: AttentionTarget | null,
    combine: Combination | null,
    explain: ExplainVariant | null,
  ): void => {
    for (const transform of grid.transforms) {
      const weighting = explain?.weighting === 'element' ? ' layercam' : '';
      const where = explain === null ? '' : ` @ ${explain.layer} ${explain.sign}${weighting}`;
      out.push({
        id: `${training.name}; ${map}${where}; ${transformLabel(transform)}`,
        training: training.name,
        map,
        target,
        combine,
        explain,
        transform,
      });
    }
  };
  add('residual', null, null, null);
  add('ssim', null, null, null);
  add('msgms', null, null, null);
  for (const explain of grid.explains) {
    for (const target of grid.targets) add(`attention-${target}`, target, null, explain);
    for (const how of grid.combine)
      add(`${how}(attention-${grid.targets[0]!}, residual)`, grid.targets[0]!, how, explain);
  }
  return out;
}
