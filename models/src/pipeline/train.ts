import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';

import { AnomalyModel } from '@vad/native';
import type { ResolvedModelConfig, StopReason, TrainOptions } from '@vad/native';

import { holdBackNormals, preprocessSamples, samplesOfSplit } from '../datasets';
import type { Dataset, DatasetSample } from '../datasets';
import type { PipelineConfig } from './config';
import type { RunContext } from './context';
import type { PipelineHooks } from './events';
import { readJsonFile, writeJsonFile } from './json-file';
import { measureReconstruction } from './reconstruction-quality';
import type { ReconstructionQuality } from './reconstruction-quality';

/** The training so far, kept beside the checkpoint (train.json); resumed runs add to it. */
export interface TrainRecord {
  epochs: number;
  epochsCompleted: number;
  /** Every epoch done, the last one reached; false after a cancel. */
  finished: boolean;
  /** Training time summed over every call (resumed runs included). */
  seconds: number;
  /** Mean reconstruction loss of each finished epoch, over all calls. */
  epochLosses: number[];
  /** Loss of the held-back normal images after each finished epoch, over all calls (absent in older runs). */
  validationLosses?: number[];
  /** Why the last call's training ended (absent in older runs). */
  stopReason?: StopReason;
  /**
   * The epoch with the lowest loss of the held-back normal images, whose weights a finished run keeps (absent:
   * none held back, unfinished, or an older run, which kept its last epoch's).
   */
  bestEpoch?: number;
  trainImages: number;
  /** The reconstruction of the held-back normal images after the last call that finished (absent: none held back). */
  heldBack?: ReconstructionQuality;
  device: 'cpu' | 'cuda';
}

export interface TrainOutcome {
  cancelled: boolean;
  checkpoint: string;
  record: TrainRecord;
  /** Seconds and throughput of this call alone. */
  seconds: number;
  imagesPerSecond: number;
}

export interface TrainStepOptions extends PipelineHooks {
  /** Continue the checkpoint in the output folder instead of starting a new model. */
  resume?: boolean;
}

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

/** Trains on the normal training images only, writing the checkpoint after every epoch and on cancel. */
export async function trainModel(context: RunContext, options: TrainStepOptions = {}): Promise<TrainOutcome> {
  const { dataset, config, paths } = context;
  const emit = options.onProgress ?? (() => {});
  const resume = options.resume ?? false;
  const { training, heldBack } = splitValidation(dataset, config.train.validationImages ?? 0, config.train.seed);
  const samples = samplesOfSplit(training, 'train');
  if (samples.length < 2)
    throw new CheckpointError(`${dataset.root ?? dataset.name}: training needs at least 2 normal training images`);

  let model: AnomalyModel;
  let previous: TrainRecord | null = null;
  if (resume) {
    if (!existsSync(paths.checkpoint))
      throw new CheckpointError(`${paths.checkpoint}: no checkpoint to resume (train without resume first)`);
    model = AnomalyModel.load(paths.checkpoint);
    checkSameModel(model.config, config.model, paths.checkpoint);
    if (existsSync(paths.trainRecord)) previous = await readJsonFile<TrainRecord>(paths.trainRecord, 'training record');
  } else {
    if (existsSync(paths.checkpoint)) {
      throw new CheckpointError(
        `${paths.checkpoint}: this output folder already holds a trained model; resume it, or choose another output folder`,
      );
    }
    model = new AnomalyModel(config.model);
  }
  await mkdir(paths.checkpointDir, { recursive: true });

  emit({
    type: 'stage',
    stage: 'train',
    message: `decoding ${samples.length} training images at ${config.model.imageSize} px`,
  });
  const size = config.model.imageSize;
  const batch = await preprocessSamples(samples, {
    width: size,
    height: size,
    channels: config.model.channels,
    masks: false,
  });
  const startEpoch = model.trainState?.epochsCompleted ?? 0;
  emit({
    type: 'stage',
    stage: 'train',
    message:
      `${resume ? `resuming at epoch ${startEpoch + 1}` : 'training'}: ${plural(config.train.epochs, 'epoch')}, ` +
      `${model.parameterCount.toLocaleString('en-US')} parameters, batch ${config.train.batchSize}` +
      ((config.train.patchSize ?? 0) > 0 ? ` of ${config.train.patchSize} px patches` : ''),
  });

  const validation =
    heldBack.length > 0
      ? await preprocessSamples(heldBack, { width: size, height: size, channels: config.model.channels, masks: false })
      : null;
  const result = await model.train(
    { data: batch.images, shape: [batch.count, batch.channels, batch.height, batch.width] },
    {
      ...engineTrainOptions(config),
      ...(validation === null
        ? {}
        : { validation: { data: validation.images, shape: [validation.count, validation.channels, size, size] } }),
      device: config.device,
      checkpointPath: paths.checkpoint,
      resume,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      onProgress: (progress) => emit({ type: 'train', progress }),
    },
  );

  const finished = !result.cancelled && result.state.finished;
  const quality = finished ? await measureReconstruction(model, heldBack, config) : null;
  const record: TrainRecord = {
    epochs: config.train.epochs,
    epochsCompleted: result.state.epochsCompleted,
    finished,
    seconds: (previous?.seconds ?? 0) + result.seconds,
    epochLosses: [...(previous?.epochLosses ?? []), ...result.epochLosses],
    validationLosses: [...(previous?.validationLosses ?? []), ...result.validationLosses],
    stopReason: result.stopReason,
    ...(finished && result.bestEpoch > 0 ? { bestEpoch: result.bestEpoch } : {}),
    trainImages: samples.length,
    ...(quality === null ? {} : { heldBack: quality }),
    device: result.device,
  };
  await writeJsonFile(paths.trainRecord, record);
  const imagesTrained = result.steps * Math.min(config.train.batchSize, samples.length);
  return {
    cancelled: result.cancelled,
    checkpoint: paths.checkpoint,
    record,
    seconds: result.seconds,
    imagesPerSecond: result.seconds > 0 ? imagesTrained / result.seconds : 0,
  };
}

/** The engine's training options from a run's config: what the engine does with each is in native/lib/model.ts. */
function engineTrainOptions(config: PipelineConfig): Omit<TrainOptions, 'device'> {
  const train = config.train;
  // Older configs lack the later options: absent means off.
  const synthetic = train.syntheticDefects ?? 0;
  return {
    epochs: train.epochs,
    batchSize: train.batchSize,
    learningRate: train.learningRate,
    seed: train.seed,
    attentionWeight: train.attentionWeight,
    attentionLayer: train.attentionLayer,
    attentionSign: train.attentionSign,
    flipHorizontal: train.flipHorizontal,
    flipVertical: train.flipVertical,
    recomputeBatchNorm: train.recomputeBatchNorm ?? false,
    ...(synthetic > 0
      ? {
          syntheticDefects: { probability: synthetic, sources: train.defectSources },
          // The supervised map is the one explain will draw: its layer and sign.
          supervisionWeight: train.supervisionWeight,
          supervisionWarmup: train.supervisionWarmup,
          supervisionLayer: config.explain.layer,
          supervisionSign: config.explain.sign,
        }
      : {}),
    ...((train.patchSize ?? 0) > 0 ? { patchSize: train.patchSize } : {}),
    ...((train.patience ?? 0) > 0 && (train.validationImages ?? 0) > 0 ? { patience: train.patience } : {}),
    ...((train.minutes ?? 0) > 0 ? { maxSeconds: train.minutes * 60 } : {}),
  };
}

/** The normal training images held back from training (the same ones on every resume: seeded by the run). */
function splitValidation(
  dataset: Dataset,
  count: number,
  seed: number,
): { training: Dataset; heldBack: DatasetSample[] } {
  return count > 0 ? holdBackNormals(dataset, count, seed) : { training: dataset, heldBack: [] };
}

/** A checkpoint resumed or explained must be the model the config describes. */
export function checkSameModel(actual: ResolvedModelConfig, expected: ResolvedModelConfig, checkpoint: string): void {
  const differences = (Object.keys(expected) as (keyof ResolvedModelConfig)[])
    .filter((key) => actual[key] !== expected[key])
    .map((key) => `${key} ${String(actual[key])} (config: ${String(expected[key])})`);
  if (differences.length > 0) {
    throw new CheckpointError(
      `${checkpoint}: the checkpoint is not the model of this run's config: ${differences.join(', ')}`,
    );
  }
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
