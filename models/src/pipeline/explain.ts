import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { AnomalyModel } from '@vad/native';

import { preprocessSamples, samplesOfSplit, upsampleMapToSample } from '../datasets';
import type { Dataset, DatasetSample } from '../datasets';
import { encodeFloatTiff } from '../io/float-tiff';
import { gaussianSmooth } from '../maps/smooth';
import { imageScore } from '../metrics/image-score';
import type { PipelineConfig } from './config';
import type { RunContext } from './context';
import type { PipelineHooks } from './events';
import { writeExplainStore } from './explain-store';
import type { ExplainedSample, ExplainStore } from './explain-store';
import { mapTypesOf } from '../maps/glossary';
import { safeSegment } from './paths';
import { CheckpointError, checkSameModel } from './train';

/** Test images decoded and explained per engine call: bounds memory and paces progress and cancel. */
export const EXPLAIN_CHUNK_SIZE = 64;

export type ExplainOutcome = ExplainSummary &
  (
    | { cancelled: true }
    /** store: every test image's scores, maps and reconstruction, as also written to the run's explain/ folder. */
    | { cancelled: false; store: ExplainStore }
  );

interface ExplainSummary {
  count: number;
  mapTypes: string[];
  /** Wall time of the step: decoding, the model, and writing the maps. */
  seconds: number;
  imagesPerSecond: number;
  /** Folder of the attention maps as float TIFF in the MVTec AD layout. */
  mapsDir: string;
}

/** maps/<category>/test/<defect>/<name>.tiff, the layout MVTec AD's evaluation script reads. */
export function tiffPathOf(mapsDir: string, dataset: Dataset, sample: DatasetSample): string {
  return join(
    mapsDir,
    safeSegment(dataset.category),
    'test',
    safeSegment(sample.defectType),
    `${safeSegment(basename(sample.id))}.tiff`,
  );
}

/** Loads the run's checkpoint for inference; training must have finished. */
export function loadTrainedModel(context: Pick<RunContext, 'config' | 'paths'>): AnomalyModel {
  const { paths, config } = context;
  if (!existsSync(paths.checkpoint))
    throw new CheckpointError(`${paths.checkpoint}: no trained model here (train first)`);
  const model = AnomalyModel.load(paths.checkpoint);
  checkSameModel(model.config, config.model, paths.checkpoint);
  const state = model.trainState;
  // A run stopped by its own rule (a plateau, the budget) is finished with fewer epochs.
  if (state !== null && !state.finished && state.epochsCompleted < config.train.epochs) {
    throw new CheckpointError(
      `${paths.checkpoint}: training stopped after ${state.epochsCompleted} of ${config.train.epochs} epochs; resume it first`,
    );
  }
  return model;
}

/** One image through the model: each map type (smoothed, at model resolution), its image score, the loss. */
export interface ExplainedImage {
  /** Per map type name, imageSize x imageSize. */
  maps: Record<string, Float32Array>;
  /** The image score of every map type (config.explain.score of the smoothed map). */
  scores: Record<string, number>;
  loss: number;
  /** channels x imageSize x imageSize, 0-255. */
  reconstruction: Uint8Array;
}

/**
 * Images through a trained model exactly as the test set goes through it (decoding, resizing, the engine, the
 * smoothing and the score), so that an image scored later (vad predict, the API's predict) gets the score the
 * run gave it. At most a chunk of images at a time: the caller bounds memory.
 */
export async function explainSamples(
  model: AnomalyModel,
  config: PipelineConfig,
  samples: readonly DatasetSample[],
): Promise<ExplainedImage[]> {
  const specs = mapTypesOf(config.explain, config.model);
  const size = config.model.imageSize;
  const plane = size * size;
  const sigma = (config.explain.smoothing ?? 0) * size;
  const channels = config.model.channels;
  const batch = await preprocessSamples(samples, { width: size, height: size, channels, masks: false });
  const results = await model.explain(
    { data: batch.images, shape: [batch.count, channels, size, size] },
    {
      maps: specs.map((spec) => spec.kind),
      layer: config.explain.layer,
      sign: config.explain.sign,
      batchSize: config.explain.batchSize,
      device: config.device,
    },
  );
  return samples.map((sample, i) => {
    const result = results[i]!;
    const maps: Record<string, Float32Array> = {};
    const scores: Record<string, number> = {};
    for (const spec of specs) {
      const map = result.maps[spec.kind];
      if (map === undefined || map.length !== plane)
        throw new Error(`the engine returned no ${spec.kind} map of ${size} x ${size} for ${sample.id}`);
      const smoothed = sigma > 0 ? gaussianSmooth(map, size, size, sigma) : map;
      maps[spec.name] = smoothed;
      scores[spec.name] = imageScore(smoothed, config.explain.score);
    }
    const recon = result.reconstruction;
    const reconstruction = new Uint8Array(recon.length);
    for (let k = 0; k < recon.length; k++) reconstruction[k] = Math.round(Math.min(1, Math.max(0, recon[k]!)) * 255);
    return { maps, scores, loss: result.loss, reconstruction };
  });
}

/**
 * Every test image through the model: each map type, the reconstruction, the loss and the image scores, kept at
 * model resolution in explain/, and the attention map at the image's own resolution as float TIFF.
 */
export async function explainTestSet(context: RunContext, hooks: PipelineHooks = {}): Promise<ExplainOutcome> {
  const { dataset, config, paths } = context;
  const emit = hooks.onProgress ?? (() => {});
  const samples = samplesOfSplit(dataset, 'test');
  if (samples.length === 0)
    throw new CheckpointError(`${dataset.root ?? dataset.name}: the dataset has no test images to explain`);
  const model = loadTrainedModel(context);
  const specs = mapTypesOf(config.explain, config.model);
  const size = config.model.imageSize;
  const plane = size * size;
  const channels = config.model.channels;

  // Old outputs go first: a map left from another test set would be evaluated as if it were this one's.
  await rm(paths.explainDir, { recursive: true, force: true });
  await rm(paths.mapsDir, { recursive: true, force: true });

  const started = performance.now();
  const maps: Record<string, Float32Array> = {};
  for (const spec of specs) maps[spec.name] = new Float32Array(samples.length * plane);
  const reconstructions = new Uint8Array(samples.length * channels * plane);
  const explained: ExplainedSample[] = [];
  emit({ type: 'stage', stage: 'explain', message: `explaining ${samples.length} test images` });

  for (let start = 0; start < samples.length; start += EXPLAIN_CHUNK_SIZE) {
    if (hooks.signal?.aborted) return cancelled(samples.length, specs, started, paths.mapsDir);
    const chunk = samples.slice(start, start + EXPLAIN_CHUNK_SIZE);
    const results = await explainSamples(model, config, chunk);
    for (let i = 0; i < chunk.length; i++) {
      const sample = chunk[i]!;
      const result = results[i]!;
      const at = start + i;
      for (const spec of specs) maps[spec.name]!.set(result.maps[spec.name]!, at * plane);
      reconstructions.set(result.reconstruction, at * channels * plane);
      explained.push({
        id: sample.id,
        defectType: sample.defectType,
        label: sample.label,
        width: sample.width,
        height: sample.height,
        loss: result.loss,
        scores: result.scores,
      });
      const attention = maps[specs[0]!.name]!.subarray(at * plane, (at + 1) * plane);
      const path = tiffPathOf(paths.mapsDir, dataset, sample);
      await mkdir(dirname(path), { recursive: true });
      const full = upsampleMapToSample(attention, size, size, sample);
      await writeFile(path, encodeFloatTiff({ width: sample.width, height: sample.height, data: full }));
    }
    const done = start + chunk.length;
    const seconds = (performance.now() - started) / 1000;
    emit({
      type: 'explain',
      done,
      total: samples.length,
      imagesPerSecond: done / seconds,
      etaSeconds: (seconds / done) * (samples.length - done),
    });
  }

  const seconds = (performance.now() - started) / 1000;
  const store: ExplainStore = {
    index: {
      version: 1,
      imageSize: size,
      channels,
      mapTypes: specs.map((spec) => spec.name),
      explain: config.explain,
      seconds,
      imagesPerSecond: samples.length / seconds,
      device: config.device,
      samples: explained,
    },
    maps,
    reconstructions,
  };
  await writeExplainStore(paths.explainDir, store);
  return {
    cancelled: false,
    store,
    count: samples.length,
    mapTypes: specs.map((spec) => spec.name),
    seconds,
    imagesPerSecond: samples.length / seconds,
    mapsDir: paths.mapsDir,
  };
}

function cancelled(
  count: number,
  specs: readonly { name: string }[],
  started: number,
  mapsDir: string,
): ExplainOutcome {
  const seconds = (performance.now() - started) / 1000;
  return { cancelled: true, count, mapTypes: specs.map((spec) => spec.name), seconds, imagesPerSecond: 0, mapsDir };
}
