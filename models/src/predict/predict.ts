import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

import type { AnomalyModel, DeviceRequest } from '@vad/native';
import sharp from 'sharp';

import { compareNames, DatasetError, isImageFile, NORMAL_DEFECT_TYPE, readImageInfo } from '../datasets';
import { upsampleMapToSample } from '../datasets';
import type { DatasetSample, ImageSource } from '../datasets';
import { encodeFloatTiff } from '../io/float-tiff';
import { encodeNpy } from '../io/npy';
import { mapTypesOf } from '../maps/glossary';
import { withExplainOptions } from '../pipeline/config';
import type { PipelineConfig } from '../pipeline/config';
import type { PipelineHooks } from '../pipeline/events';
import { EXPLAIN_CHUNK_SIZE, explainSamples, loadTrainedModel } from '../pipeline/explain';
import { readExplainStore } from '../pipeline/explain-store';
import { readJsonFile } from '../pipeline/json-file';
import { outputPaths, safeSegment } from '../pipeline/paths';
import type { OutputPaths } from '../pipeline/paths';
import { ConfigError } from '../options';
import { CheckpointError } from '../pipeline/train';
import type { Report } from '../report/report';
import { readSavedConfig } from '../run/prepare';

/**
 * Scoring new images with a finished run's model: the images go through `explainSamples`, the function the run
 * explained its test set with, so an image of the test set gets the score the run gave it.
 */

/** A finished run opened for scoring: its model, its config and what its evaluation decided. */
export interface TrainedRun {
  paths: OutputPaths;
  config: PipelineConfig;
  model: AnomalyModel;
  /** The run's map types, the main one (the attention map, whose score is the image's score) first. */
  mapTypes: string[];
  /**
   * The main map's image score at the run's image F1-max (report.json): images scoring at or above it are
   * called anomalous. Null when the run has no report or its test set could not define one.
   */
  threshold: number | null;
}

/** Opens the run folder `runDir` (config.json and a finished checkpoint); `device` overrides the recorded one. */
export async function openTrainedRun(runDir: string, options: { device?: DeviceRequest } = {}): Promise<TrainedRun> {
  const paths = outputPaths(runDir);
  if (!existsSync(paths.config))
    throw new CheckpointError(`${paths.root}: not a run folder (no config.json); give the --out folder of a vad run`);
  if (!existsSync(paths.checkpoint))
    throw new CheckpointError(`${paths.checkpoint}: no trained model here (train the run first)`);
  const config = withExplainOptions(await readSavedConfig(runDir), options.device ? { device: options.device } : {});
  const model = loadTrainedModel({ config, paths });
  const mapTypes = mapTypesOf(config.explain, config.model).map((spec) => spec.name);
  let threshold: number | null = null;
  if (existsSync(paths.reportJson)) {
    const report = await readJsonFile<Report>(paths.reportJson, 'report');
    threshold = report.maps[mapTypes[0]!]?.imageThreshold ?? null;
  }
  return { paths, config, model, mapTypes, threshold };
}

/** An image to score: where its pixels are and its size (maps are given back at that size). */
export type PredictSample = Pick<DatasetSample, 'id' | 'source' | 'width' | 'height' | 'channels'>;

/** One scored image, its maps at model resolution (`upsampleMapToSample` brings them to the image's size). */
export interface PredictedImage {
  id: string;
  width: number;
  height: number;
  /** The main map's image score. */
  score: number;
  /** The image score of every map type. */
  scores: Record<string, number>;
  /** score >= the run's threshold; null without a threshold. */
  anomalous: boolean | null;
  loss: number;
  /** Per map type, imageSize x imageSize, as the run's results keep them. */
  maps: Record<string, Float32Array>;
  /** channels x imageSize x imageSize, 0-255. */
  reconstruction: Uint8Array;
}

export interface PredictOptions {
  signal?: AbortSignal;
  /** After each chunk of images (progress). */
  onProgress?: PipelineHooks['onProgress'];
  /** Each chunk's images as soon as they are scored, so that a caller may store them and let go of the maps. */
  onImages?: (images: PredictedImage[]) => Promise<void> | void;
}

function asDatasetSample(sample: PredictSample): DatasetSample {
  // Only the pixels matter to the model; split and label are placeholders (the image's class is unknown).
  return { ...sample, split: 'test', label: 'normal', defectType: NORMAL_DEFECT_TYPE };
}

/**
 * Scores `samples` with the run's model; returns them in order (without their maps when `onImages` takes them,
 * to bound memory). Aborting stops between chunks with an AbortError.
 */
export async function predictSamples(
  run: TrainedRun,
  samples: readonly PredictSample[],
  options: PredictOptions = {},
): Promise<PredictedImage[]> {
  if (samples.length === 0) throw new DatasetError('no images to score');
  const started = performance.now();
  const out: PredictedImage[] = [];
  const main = run.mapTypes[0]!;
  for (let start = 0; start < samples.length; start += EXPLAIN_CHUNK_SIZE) {
    options.signal?.throwIfAborted();
    const chunk = samples.slice(start, start + EXPLAIN_CHUNK_SIZE);
    const explained = await explainSamples(run.model, run.config, chunk.map(asDatasetSample));
    const images = chunk.map((sample, i): PredictedImage => {
      const result = explained[i]!;
      const score = result.scores[main]!;
      return {
        id: sample.id,
        width: sample.width,
        height: sample.height,
        score,
        scores: result.scores,
        anomalous: run.threshold === null ? null : score >= run.threshold,
        loss: result.loss,
        maps: result.maps,
        reconstruction: result.reconstruction,
      };
    });
    if (options.onImages) {
      await options.onImages(images);
      out.push(...images.map((image) => ({ ...image, maps: {}, reconstruction: new Uint8Array(0) })));
    } else out.push(...images);
    const done = start + chunk.length;
    const seconds = (performance.now() - started) / 1000;
    options.onProgress?.({
      type: 'explain',
      done,
      total: samples.length,
      imagesPerSecond: done / seconds,
      etaSeconds: (seconds / done) * (samples.length - done),
    });
  }
  return out;
}

/**
 * Every image file under `folder` (subfolders too, in name order), with its size read from its header; named by
 * its path relative to the folder. An unreadable image is a DatasetError naming it; no image at all is one too.
 */
export async function listPredictImages(folder: string): Promise<PredictSample[]> {
  const root = resolve(folder);
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      throw new DatasetError(`cannot read folder (${(error as NodeJS.ErrnoException).code ?? String(error)})`, dir);
    }
    entries.sort((a, b) => compareNames(a.name, b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (isImageFile(entry.name)) files.push(path);
    }
  };
  await walk(root);
  if (files.length === 0)
    throw new DatasetError('no images to score here (PNG, JPEG, BMP or TIFF files, in subfolders too)', root);
  const samples: PredictSample[] = [];
  for (const path of files) {
    const source: ImageSource = { kind: 'file', path };
    const info = await readImageInfo(source);
    samples.push({ id: relative(root, path).split(sep).join('/'), source, ...info });
  }
  return samples;
}

/** Per map type, the [min, max] PNG levels are drawn on: the run's test set's, so that colours compare with its results. */
export type MapRanges = Record<string, readonly [number, number]>;

/** The value range of each map type over the run's explained test set, or null when the run kept none. */
export async function runMapRanges(run: TrainedRun): Promise<MapRanges | null> {
  if (!existsSync(join(run.paths.explainDir, 'index.json'))) return null;
  const store = await readExplainStore(run.paths.explainDir);
  const ranges: Record<string, [number, number]> = {};
  for (const [mapType, values] of Object.entries(store.maps)) ranges[mapType] = valueRange(values);
  return ranges;
}

function valueRange(values: Float32Array): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return Number.isFinite(min) ? [min, max] : [0, 0];
}

/** A map's values as 0-255 grey levels on `range` (clamped): what the PNG shows. */
export function mapLevels(values: Float32Array, range: readonly [number, number]): Uint8Array {
  const [min, max] = range;
  const span = max - min;
  const out = new Uint8Array(values.length);
  if (!(span > 0)) return out;
  for (let i = 0; i < values.length; i++) {
    const level = (values[i]! - min) / span;
    out[i] = Math.round(255 * Math.min(1, Math.max(0, Number.isFinite(level) ? level : 0)));
  }
  return out;
}

/** Where `vad predict` writes an image's map: maps/<mapType>/<image path without its extension>.<ext>. */
export function predictionMapPath(out: string, mapType: string, imageId: string, ext: 'tiff' | 'npy' | 'png'): string {
  const parts = imageId.split('/').map(safeSegment);
  const name = parts.pop()!;
  const dot = name.lastIndexOf('.');
  return join(out, 'maps', safeSegment(mapType), ...parts, `${dot > 0 ? name.slice(0, dot) : name}.${ext}`);
}

/** The score table: one row per image, the main score, the verdict, then every map type's score. */
export function predictionsCsv(run: TrainedRun, images: readonly PredictedImage[]): string {
  const quote = (text: string): string => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const header = ['image', 'width', 'height', 'score', 'anomalous', ...run.mapTypes.map((type) => `score_${type}`)];
  const rows = images.map((image) =>
    [
      quote(image.id),
      String(image.width),
      String(image.height),
      String(image.score),
      image.anomalous === null ? '' : String(image.anomalous),
      ...run.mapTypes.map((type) => String(image.scores[type] ?? '')),
    ].join(','),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}

export interface PredictFolderResult {
  out: string;
  images: PredictedImage[];
  mapTypes: string[];
  threshold: number | null;
  /** The scores table. */
  csv: string;
  seconds: number;
}

/**
 * `vad predict`: every image under `data` scored with the run in `model`; writes `<out>/scores.csv` and, per map
 * type and image, the map at the image's own resolution as float32 TIFF and .npy (raw values, as `vad run`'s
 * maps/ TIFFs and the API's raw maps) and a grey PNG (levels on the run's test-set range). An `out` that holds
 * predictions already is refused: nothing written before is replaced.
 */
export async function predictFolder(
  options: { model: string; data: string; out?: string; device?: DeviceRequest },
  hooks: PipelineHooks = {},
): Promise<PredictFolderResult> {
  const started = performance.now();
  const run = await openTrainedRun(options.model, options.device ? { device: options.device } : {});
  const out = resolve(options.out ?? join(run.paths.root, 'predictions', basename(resolve(options.data))));
  const csvPath = join(out, 'scores.csv');
  if (existsSync(csvPath))
    throw new ConfigError('out', `${out} holds predictions already (scores.csv): choose another folder`);
  const samples = await listPredictImages(options.data);
  hooks.onProgress?.({ type: 'stage', stage: 'explain', message: `scoring ${samples.length} images` });
  const ranges = await runMapRanges(run);
  const size = run.config.model.imageSize;
  const byId = new Map(samples.map((sample) => [sample.id, sample]));
  const images = await predictSamples(run, samples, {
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
    onImages: async (chunk) => {
      for (const image of chunk) {
        const sample = byId.get(image.id)!;
        for (const mapType of run.mapTypes) {
          const values = image.maps[mapType]!;
          const full = upsampleMapToSample(values, size, size, sample);
          const raw = { width: sample.width, height: sample.height, data: full };
          const range = ranges?.[mapType] ?? valueRange(values);
          const png = await sharp(Buffer.from(mapLevels(full, range)), {
            raw: { width: sample.width, height: sample.height, channels: 1 },
          })
            .toColourspace('b-w')
            .png()
            .toBuffer();
          const files: [ext: 'tiff' | 'npy' | 'png', bytes: Buffer][] = [
            ['tiff', encodeFloatTiff(raw)],
            ['npy', encodeNpy(raw)],
            ['png', png],
          ];
          for (const [ext, bytes] of files) {
            const path = predictionMapPath(out, mapType, image.id, ext);
            await mkdir(dirname(path), { recursive: true });
            await writeFile(path, bytes);
          }
        }
      }
    },
  });
  const csv = predictionsCsv(run, images);
  // The table last: its presence says the maps beside it are complete.
  await mkdir(out, { recursive: true });
  await writeFile(csvPath, csv);
  return {
    out,
    images,
    mapTypes: run.mapTypes,
    threshold: run.threshold,
    csv,
    seconds: (performance.now() - started) / 1000,
  };
}
