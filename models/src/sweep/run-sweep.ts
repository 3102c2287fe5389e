import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { AnomalyModel } from '@vad/native';
import type { MapKind, ScoreMap } from '@vad/native';

import {
  decodeGroundTruth,
  mapWithLimit,
  preprocessSamples,
  resizeMaskNearest,
  upsampleMapToSample,
} from '../datasets';
import type { BinaryMask, Dataset, DatasetSample } from '../datasets';
import { evaluatePixelsOrNull, imageAurocOrNull, imageScore } from '../metrics';
import { resolveConfig } from '../pipeline/config';
import type { PipelineConfig } from '../pipeline/config';
import { formatDataSpec, loadDataSpec, parseDataSpec } from '../pipeline/data-spec';
import type { MetricSet } from '../pipeline/evaluate';
import { readJsonFile, writeJsonFile } from '../pipeline/json-file';
import { GRAD_CAM_KIND } from '../pipeline/map-types';
import { outputPaths } from '../pipeline/paths';
import { trainModel } from '../pipeline/train';
import { configurationsOf } from './grid';
import type { Configuration, ExplainVariant, Grid, TrainingVariant } from './grid';
import { holdBackNormals, splitTestSet } from './split';
import { gaussianSmooth } from '../maps/smooth';
import { combineMaps, globalStats, normalizeMap, pixelStats } from './transforms';
import { sweepTable } from './table';

export type HalfName = 'selection' | 'report';
export const HALVES: readonly HalfName[] = ['selection', 'report'];

export interface HalfResult extends MetricSet {
  perDefect: Record<string, MetricSet>;
}

export interface ConfigurationResult {
  id: string;
  training: string;
  map: string;
  layer: string | null;
  sign: string | null;
  normalize: boolean;
  sigma: number;
  trainSeconds: number;
  epochsCompleted: number;
  /** Training stopped at the time budget before its epochs were done. */
  budgetReached: boolean;
  halves: Record<HalfName, HalfResult>;
}

export interface SweepFile {
  data: string;
  /** Every grid run into this folder, in order (several grids may share one folder and its trainings). */
  grids: Grid[];
  /** Test image ids of each half, so a resumed sweep can check it measures the same split. */
  split: Record<HalfName, string[]>;
  heldBack: string[];
  results: ConfigurationResult[];
}

export interface SweepOptions {
  data: string;
  grid: Grid;
  out: string;
  /** Wall-clock limit of each training, in minutes: training stops there and the model is measured as it is. */
  budgetMinutes: number;
  sort: SortMetric;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export const SORT_METRICS = ['imageAuroc', 'pixelAuroc', 'aupro'] as const;
export type SortMetric = (typeof SORT_METRICS)[number];

/** What a training left beside its checkpoint for the sweep (train.json does not say why it stopped). */
interface SweepTrainRecord {
  seconds: number;
  epochsCompleted: number;
  budgetReached: boolean;
}

export function sweepPaths(out: string): { json: string; markdown: string; trainings: string } {
  return { json: join(out, 'sweep.json'), markdown: join(out, 'sweep.md'), trainings: join(out, 'trainings') };
}

/**
 * Runs every configuration of the grid that sweep.json does not hold yet: the data is loaded once, each
 * training runs once, and every map variant of it is computed from one engine pass per explain setting.
 */
export async function runSweep(options: SweepOptions): Promise<SweepFile> {
  const { grid, out } = options;
  const log = options.log ?? (() => {});
  const paths = sweepPaths(out);
  const spec = formatDataSpec(parseDataSpec(options.data));
  const dataset = await loadDataSpec(parseDataSpec(spec));
  const { training: trainingSet, heldBack } = holdBackNormals(dataset, grid.holdBack, grid.seed);
  const split = splitTestSet(dataset, grid.seed);
  const sweep: SweepFile = {
    data: spec,
    grids: [grid],
    split: { selection: split.selection.map((s) => s.id), report: split.report.map((s) => s.id) },
    heldBack: heldBack.map((s) => s.id),
    results: [],
  };
  if (existsSync(paths.json)) {
    const previous = await readJsonFile<SweepFile>(paths.json, 'sweep');
    if (previous.data !== spec || JSON.stringify(previous.split) !== JSON.stringify(sweep.split))
      throw new Error(`${paths.json}: a sweep of other data or another split; choose another --out`);
    // Results measured against other held-back images or at another resolution would not be comparable.
    if (JSON.stringify(previous.heldBack) !== JSON.stringify(sweep.heldBack))
      throw new Error(`${paths.json}: a sweep with other held-back images (holdBack); choose another --out`);
    if (previous.grids.at(-1)!.evaluateAt !== grid.evaluateAt)
      throw new Error(`${paths.json}: a sweep evaluated at the ${previous.grids.at(-1)!.evaluateAt} resolution`);
    sweep.results = previous.results;
    const known = previous.grids.some((earlier) => JSON.stringify(earlier) === JSON.stringify(grid));
    sweep.grids = known ? previous.grids : [...previous.grids, grid];
  }
  await mkdir(out, { recursive: true });
  const done = new Set(sweep.results.map((result) => result.id));
  const half = new Map<DatasetSample, HalfName>();
  for (const name of HALVES) for (const sample of split[name]) half.set(sample, name);
  const test = [...split.selection, ...split.report];
  const masks = await mapWithLimit(test, 4, (sample) => decodeGroundTruth(sample));

  for (const training of grid.trainings) {
    const config = trainingConfig(spec, trainingSet, grid, training);
    await checkSameTraining(join(paths.trainings, training.name), training.name, config);
    const todo = configurationsOf(grid, training).filter((configuration) => !done.has(configuration.id));
    if (todo.length === 0) {
      log(`${training.name}: all configurations measured, skipped`);
      continue;
    }
    options.signal?.throwIfAborted();
    const trained = await trainOnce(options, config, training, trainingSet, log);
    const model = AnomalyModel.load(outputPaths(join(paths.trainings, training.name)).checkpoint);
    const size = config.model.imageSize;
    const images = await preprocessSamples([...test, ...heldBack], {
      width: size,
      height: size,
      channels: config.model.channels,
      masks: false,
    });
    const truth = masksAt(grid.evaluateAt, test, masks, size);
    const explains = new Map<string, { variant: ExplainVariant | null; configurations: Configuration[] }>();
    for (const configuration of todo) {
      // Residual and SSIM come out of any engine pass: they join the first explain variant's.
      const variant = configuration.explain ?? grid.explains[0]!;
      const key = `${variant.layer} ${variant.sign}`;
      if (!explains.has(key)) explains.set(key, { variant, configurations: [] });
      explains.get(key)!.configurations.push(configuration);
    }
    for (const { variant, configurations } of explains.values()) {
      options.signal?.throwIfAborted();
      const started = performance.now();
      const kinds: MapKind[] = [...grid.targets.map((target) => GRAD_CAM_KIND[target]), 'residual', 'ssim'];
      const results = await model.explain(
        { data: images.images, shape: [images.count, config.model.channels, size, size] },
        {
          maps: kinds,
          layer: variant!.layer,
          sign: variant!.sign,
          batchSize: config.explain.batchSize,
          device: config.device,
        },
      );
      log(
        `${training.name}: explained ${images.count} images at ${variant!.layer} ${variant!.sign} in ` +
          `${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
      const raw = (kind: MapKind): { test: Float32Array[]; held: Float32Array[] } => ({
        test: results.slice(0, test.length).map((result) => result.maps[kind]!),
        held: results.slice(test.length).map((result) => result.maps[kind]!),
      });
      for (const configuration of configurations) {
        options.signal?.throwIfAborted();
        const maps = transformedMaps(configuration, raw, size);
        const result: ConfigurationResult = {
          id: configuration.id,
          training: training.name,
          map: configuration.map,
          layer: configuration.explain?.layer ?? null,
          sign: configuration.explain?.sign ?? null,
          normalize: configuration.transform.normalize,
          sigma: configuration.transform.sigma,
          trainSeconds: trained.seconds,
          epochsCompleted: trained.epochsCompleted,
          budgetReached: trained.budgetReached,
          halves: {
            selection: await evaluateHalf('selection', test, half, maps, truth, size, grid.evaluateAt, config),
            report: await evaluateHalf('report', test, half, maps, truth, size, grid.evaluateAt, config),
          },
        };
        sweep.results.push(result);
        done.add(result.id);
        const s = result.halves.selection;
        log(`${result.id}: selection pixel AUROC ${fmt(s.pixelAuroc)}, AUPRO ${fmt(s.aupro)}`);
        await writeJsonFile(paths.json, sweep);
        await writeFile(paths.markdown, sweepTable(sweep, options.sort));
      }
    }
  }
  await writeJsonFile(paths.json, sweep);
  await writeFile(paths.markdown, sweepTable(sweep, options.sort));
  return sweep;
}

function fmt(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(3);
}

function trainingConfig(spec: string, dataset: Dataset, grid: Grid, training: TrainingVariant): PipelineConfig {
  const config = resolveConfig(spec, dataset, {
    ...grid.base,
    ...(training.loss === undefined ? {} : { loss: training.loss }),
    ...(training.attentionWeight === undefined ? {} : { attentionWeight: training.attentionWeight }),
    ...(training.seed === undefined ? {} : { seed: training.seed }),
    ...(training.epochs === undefined ? {} : { epochs: training.epochs }),
  });
  if (training.skips !== undefined) config.model.skips = training.skips;
  if (training.dropTopSkips !== undefined) config.model.dropTopSkips = training.dropTopSkips;
  if (training.skipNoiseStd !== undefined) config.model.skipNoiseStd = training.skipNoiseStd;
  return config;
}

/**
 * Trainings and their results are reused by name (configuration ids do not spell out the base settings), so a
 * name already in the folder must mean the same settings.
 */
async function checkSameTraining(dir: string, name: string, config: PipelineConfig): Promise<void> {
  const path = outputPaths(dir).config;
  if (!existsSync(path)) return;
  const saved = await readJsonFile<PipelineConfig>(path, 'training config');
  // What made the model; explain settings (and options added to them since) do not change a trained model.
  const trained = ({ data, model, train }: PipelineConfig) => JSON.stringify({ data, model, train });
  if (trained(saved) !== trained(config)) {
    throw new Error(
      `${path}: training "${name}" was made with other settings than this grid's; ` +
        'give it another name or choose another --out',
    );
  }
}

/** Trains a variant once; a finished (or budget-stopped) training is reused, an interrupted one resumed. */
async function trainOnce(
  options: SweepOptions,
  config: PipelineConfig,
  training: TrainingVariant,
  dataset: Dataset,
  log: (line: string) => void,
): Promise<SweepTrainRecord> {
  const paths = outputPaths(join(sweepPaths(options.out).trainings, training.name));
  const recordPath = join(paths.root, 'sweep-train.json');
  if (existsSync(recordPath)) return readJsonFile<SweepTrainRecord>(recordPath, 'sweep training record');
  await mkdir(paths.root, { recursive: true });
  await writeJsonFile(paths.config, config);
  const budget = AbortSignal.timeout(options.budgetMinutes * 60_000);
  const signal = options.signal === undefined ? budget : AbortSignal.any([budget, options.signal]);
  log(`${training.name}: training ${config.train.epochs} epochs at ${config.model.imageSize} px`);
  let lastEpoch = 0;
  const outcome = await trainModel(
    { dataset, config, paths },
    {
      resume: existsSync(paths.checkpoint),
      signal,
      onProgress: (event) => {
        if (event.type === 'train' && event.progress.epoch !== lastEpoch) {
          lastEpoch = event.progress.epoch;
          log(`${training.name}: epoch ${lastEpoch}/${event.progress.epochs}, loss ${event.progress.loss.toFixed(5)}`);
        }
      },
    },
  );
  options.signal?.throwIfAborted();
  const record: SweepTrainRecord = {
    seconds: outcome.record.seconds,
    epochsCompleted: outcome.record.epochsCompleted,
    budgetReached: outcome.cancelled,
  };
  if (outcome.cancelled) log(`${training.name}: time budget reached after ${record.epochsCompleted} epochs`);
  await writeJsonFile(recordPath, record);
  return record;
}

/**
 * The configuration's map of every test image: smoothed, then normalised by the statistics of the same map on
 * the held-back normal images (per pixel, or pooled for a combination without per-pixel normalisation).
 */
function transformedMaps(
  configuration: Configuration,
  raw: (kind: MapKind) => { test: Float32Array[]; held: Float32Array[] },
  size: number,
): Float32Array[] {
  const { normalize, sigma } = configuration.transform;
  const prepared = (kind: MapKind, standardise: boolean): Float32Array[] => {
    const maps = raw(kind);
    const smooth = (map: Float32Array): Float32Array => gaussianSmooth(map, size, size, sigma);
    const test = maps.test.map(smooth);
    if (!normalize && !standardise) return test;
    const held = maps.held.map(smooth);
    const stats = normalize ? pixelStats(held) : globalStats(held);
    return test.map((map) => normalizeMap(map, stats));
  };
  if (configuration.combine !== null) {
    const attention = prepared(GRAD_CAM_KIND[configuration.target!], true);
    const residual = prepared('residual', true);
    return attention.map((map, i) => combineMaps(map, residual[i]!, configuration.combine!));
  }
  const kind: MapKind =
    configuration.target === null ? (configuration.map as MapKind) : GRAD_CAM_KIND[configuration.target];
  return prepared(kind, false);
}

function masksAt(
  evaluateAt: Grid['evaluateAt'],
  test: readonly DatasetSample[],
  masks: readonly (BinaryMask | null)[],
  size: number,
): (BinaryMask | null)[] {
  if (evaluateAt === 'original') return [...masks];
  return masks.map((mask) => (mask === null ? null : resizeMaskNearest(mask, size, size)));
}

async function evaluateHalf(
  name: HalfName,
  test: readonly DatasetSample[],
  half: ReadonlyMap<DatasetSample, HalfName>,
  maps: readonly Float32Array[],
  truth: readonly (BinaryMask | null)[],
  size: number,
  evaluateAt: Grid['evaluateAt'],
  config: PipelineConfig,
): Promise<HalfResult> {
  const members = test.flatMap((sample, i) => (half.get(sample) === name ? [i] : []));
  const defects = [...new Set(members.map((i) => test[i]!.defectType))].filter((d) => d !== 'good').sort();
  const scores = maps.map((map) => imageScore(map, config.explain.score));
  const full = (i: number): ScoreMap =>
    evaluateAt === 'model'
      ? { width: size, height: size, data: maps[i]! }
      : { width: test[i]!.width, height: test[i]!.height, data: upsampleMapToSample(maps[i]!, size, size, test[i]!) };
  const metricsOf = async (indices: number[]): Promise<MetricSet> => {
    const image = await imageAurocOrNull(
      Float32Array.from(indices, (i) => scores[i]!),
      Uint8Array.from(indices, (i) => (test[i]!.label === 'anomalous' ? 1 : 0)),
    );
    const withMasks = indices.filter((i) => truth[i] !== null);
    const pixel = await evaluatePixelsOrNull(
      withMasks.map(full),
      withMasks.map((i) => truth[i]!),
      { maxCurvePoints: 2 },
    );
    return {
      imageAuroc: image?.auroc ?? null,
      pixelAuroc: pixel?.auroc.auroc ?? null,
      aupro: pixel?.aupro.aupro ?? null,
      f1Max: pixel?.f1Max.f1 ?? null,
      bestIou: pixel?.bestIou.iou ?? null,
    };
  };
  const perDefect: Record<string, MetricSet> = {};
  for (const defect of defects) {
    perDefect[defect] = await metricsOf(
      members.filter((i) => test[i]!.label === 'normal' || test[i]!.defectType === defect),
    );
  }
  return { ...(await metricsOf(members)), perDefect };
}
