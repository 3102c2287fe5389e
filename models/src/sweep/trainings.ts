import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

import type { Dataset } from '../datasets';
import { ConfigError } from '../options';
import { checkModelShape, layerNames, resolveConfig } from '../pipeline/config';
import { configSection } from '../pipeline/config-fields';
import type { PipelineConfig } from '../pipeline/config';
import { readJsonFile, writeJsonFile } from '../pipeline/json-file';
import { outputPaths } from '../pipeline/paths';
import { trainModel } from '../pipeline/train';
import { GridError } from './grid';
import type { Grid, TrainingVariant } from './grid';

/** What a training left beside its checkpoint for the sweep (train.json does not say why it stopped). */
export interface SweepTrainRecord {
  seconds: number;
  epochsCompleted: number;
  budgetReached: boolean;
}

/** One training of a sweep: its folder (under the sweep's trainings/), settings and training images. */
export interface SweepTraining {
  name: string;
  dir: string;
  config: PipelineConfig;
  dataset: Dataset;
}

/** The grid's base settings with the variant's changes, as a full pipeline config. */
export function trainingConfig(spec: string, dataset: Dataset, grid: Grid, training: TrainingVariant): PipelineConfig {
  const config = resolveConfig(spec, dataset, {
    ...grid.base,
    ...(training.loss === undefined ? {} : { loss: training.loss }),
    ...(training.attentionWeight === undefined ? {} : { attentionWeight: training.attentionWeight }),
    ...(training.seed === undefined ? {} : { seed: training.seed }),
    ...(training.epochs === undefined ? {} : { epochs: training.epochs }),
    ...training.options,
  });
  if (training.depth !== undefined) config.model.depth = training.depth;
  if (training.batchNorm !== undefined) config.model.batchNorm = training.batchNorm;
  if (training.learningRate !== undefined) config.train.learningRate = training.learningRate;
  if (training.recomputeBatchNorm !== undefined) config.train.recomputeBatchNorm = training.recomputeBatchNorm;
  if (training.skips !== undefined) config.model.skips = training.skips;
  if (training.dropTopSkips !== undefined) config.model.dropTopSkips = training.dropTopSkips;
  if (training.skipNoiseStd !== undefined) config.model.skipNoiseStd = training.skipNoiseStd;
  checkVariantShape(grid, training, config);
  return config;
}

/** A variant's depth must fit the image and patch sizes and keep every layer the grid explains at. */
function checkVariantShape(grid: Grid, training: TrainingVariant, config: PipelineConfig): void {
  try {
    checkModelShape(config);
  } catch (error) {
    if (error instanceof ConfigError) throw new GridError(`grid training "${training.name}": ${error.message}`);
    throw error;
  }
  const layers = layerNames(config.model.depth);
  const missing = grid.explains.find((explain) => !layers.includes(explain.layer));
  if (missing) {
    throw new GridError(
      `grid training "${training.name}": explains at ${missing.layer}, which its U-Net lacks (${layers.join(', ')})`,
    );
  }
}

/**
 * Trainings and their results are reused by name (configuration ids do not spell out the base settings), so a
 * name already in the folder must mean the same settings.
 */
export async function checkSameTraining(training: SweepTraining): Promise<void> {
  const path = outputPaths(training.dir).config;
  if (!existsSync(path)) return;
  const saved = await readJsonFile<PipelineConfig>(path, 'training config');
  // What made the model; explain settings (and options added to them since) do not change a trained model. A
  // setting added since the training was made reads as its value for configs without it (off). Both are compared
  // as they would be saved, through JSON, so that a setting held as undefined counts as absent.
  const trained = (config: PipelineConfig) =>
    JSON.parse(
      JSON.stringify({
        data: config.data,
        model: configSection(config, 'model'),
        train: configSection(config, 'train'),
      }),
    ) as unknown;
  if (!isDeepStrictEqual(trained(saved), trained(training.config))) {
    throw new Error(
      `${path}: training "${training.name}" was made with other settings than this grid's; ` +
        'give it another name or choose another --out',
    );
  }
}

/**
 * Trains once: a finished (or budget-stopped) training is reused, an interrupted one resumed. Training stops at
 * the end of the epoch in which `budgetMinutes` of training time pass (or its own minutes, when fewer), as
 * `vad run --minutes` does, and keeps the weights of its best epoch on the held-back normals.
 */
export async function trainOnce(
  training: SweepTraining,
  budgetMinutes: number,
  log: (line: string) => void,
  cancel?: AbortSignal,
): Promise<SweepTrainRecord> {
  const { name, config, dataset } = training;
  const paths = outputPaths(training.dir);
  const recordPath = join(paths.root, 'sweep-train.json');
  if (existsSync(recordPath)) return readJsonFile<SweepTrainRecord>(recordPath, 'sweep training record');
  await mkdir(paths.root, { recursive: true });
  await writeJsonFile(paths.config, config);
  // The engine's own budget, not a timer that cancels: a cancelled run keeps the weights of the step it was
  // cut at, one that ends by its own rule those of its best epoch.
  const own = config.train.minutes ?? 0;
  const minutes = own > 0 ? Math.min(own, budgetMinutes) : budgetMinutes;
  log(`${name}: training ${config.train.epochs} epochs at ${config.model.imageSize} px`);
  let lastEpoch = 0;
  const outcome = await trainModel(
    { dataset, config: { ...config, train: { ...config.train, minutes } }, paths },
    {
      resume: existsSync(paths.checkpoint),
      ...(cancel === undefined ? {} : { signal: cancel }),
      onProgress: (event) => {
        if (event.type === 'train' && event.progress.epoch !== lastEpoch) {
          lastEpoch = event.progress.epoch;
          log(`${name}: epoch ${lastEpoch}/${event.progress.epochs}, loss ${event.progress.loss.toFixed(5)}`);
        }
      },
    },
  );
  cancel?.throwIfAborted();
  const record: SweepTrainRecord = {
    seconds: outcome.record.seconds,
    epochsCompleted: outcome.record.epochsCompleted,
    budgetReached: outcome.record.stopReason === 'budget',
  };
  if (record.budgetReached) log(`${name}: time budget reached after ${record.epochsCompleted} epochs`);
  await writeJsonFile(recordPath, record);
  return record;
}
