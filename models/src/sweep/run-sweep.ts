import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { AnomalyModel } from '@vad/native';

import { decodeGroundTruth, mapWithLimit, preprocessSamples } from '../datasets';
import type { BinaryMask, Dataset, DatasetSample } from '../datasets';
import { formatDataSpec, loadDataSpec, parseDataSpec } from '../pipeline/data-spec';
import { outputPaths } from '../pipeline/paths';
import { explainPasses, runExplainPass, transformedMaps } from './configuration-maps';
import type { RawMaps } from './configuration-maps';
import { evaluateHalves, sweepTestImages } from './evaluate-halves';
import type { EvaluationSettings, SweepTestImage } from './evaluate-halves';
import { configurationsOf } from './grid';
import type { Configuration, Grid } from './grid';
import { holdBackNormals, splitTestSet } from '../datasets/split';
import { continueSweepFile, HALVES, saveSweepFile, sweepPaths } from './sweep-file';
import type { ConfigurationResult, HalfName, SortMetric, SweepFile } from './sweep-file';
import { checkSameTraining, trainingConfig, trainOnce } from './trainings';
import type { SweepTrainRecord, SweepTraining } from './trainings';

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

/** What every training of one sweep shares: the data as the grid splits it, and the sweep file being filled. */
interface SweepRun {
  options: SweepOptions;
  log: (line: string) => void;
  spec: string;
  trainingSet: Dataset;
  heldBack: DatasetSample[];
  /** The test images, selection half first, and their ground truth at the original resolution. */
  test: DatasetSample[];
  halfOf: Map<DatasetSample, HalfName>;
  masks: (BinaryMask | null)[];
  sweep: SweepFile;
}

/**
 * Runs every configuration of the grid that sweep.json does not hold yet: the data is loaded once, each
 * training runs once, and every map variant of it is computed from one engine pass per explain setting.
 */
export async function runSweep(options: SweepOptions): Promise<SweepFile> {
  // Refused before anything loads or trains: the budget would silently cut a longer training short.
  checkWithinBudget(options.grid, options.budgetMinutes);
  const run = await startSweep(options);
  const done = new Set(run.sweep.results.map((result) => result.id));
  // Every training's config before the first trains: one that cannot be built fails now, not hours in.
  const trainings = options.grid.trainings.map((variant) => ({
    variant,
    training: {
      name: variant.name,
      dir: join(sweepPaths(options.out).trainings, variant.name),
      config: trainingConfig(run.spec, run.trainingSet, options.grid, variant),
      dataset: run.trainingSet,
    } satisfies SweepTraining,
  }));
  for (const { variant, training } of trainings) {
    await checkSameTraining(training);
    const todo = configurationsOf(options.grid, variant).filter((configuration) => !done.has(configuration.id));
    if (todo.length === 0) {
      run.log(`${variant.name}: all configurations measured, skipped`);
      continue;
    }
    options.signal?.throwIfAborted();
    await measureTraining(run, training, todo);
  }
  await saveSweepFile(options.out, run.sweep, options.sort);
  return run.sweep;
}

/**
 * The minutes a grid asks for itself (its base's or a training's own) must fit the budget. A preset's own limit
 * does not count: the budget is how a sweep shortens it.
 */
function checkWithinBudget(grid: Grid, budgetMinutes: number): void {
  for (const variant of grid.trainings) {
    const minutes = variant.options?.minutes ?? grid.base.minutes;
    if (minutes !== undefined && minutes > budgetMinutes) {
      throw new Error(
        `training "${variant.name}" asks for ${minutes} minutes, more than --budget-minutes ${budgetMinutes}: ` +
          'raise the budget or lower its minutes',
      );
    }
  }
}

/** Loads the data once, splits it as the grid says, and continues the folder's sweep file if it has one. */
async function startSweep(options: SweepOptions): Promise<SweepRun> {
  const { grid } = options;
  const spec = formatDataSpec(parseDataSpec(options.data));
  const dataset = await loadDataSpec(parseDataSpec(spec));
  const { training: trainingSet, heldBack } = holdBackNormals(dataset, grid.holdBack, grid.seed);
  const split = splitTestSet(dataset, grid.seed);
  const sweep = await continueSweepFile(options.out, {
    data: spec,
    grids: [grid],
    split: { selection: split.selection.map((s) => s.id), report: split.report.map((s) => s.id) },
    heldBack: heldBack.map((s) => s.id),
    results: [],
  });
  await mkdir(options.out, { recursive: true });
  const halfOf = new Map<DatasetSample, HalfName>();
  for (const name of HALVES) for (const sample of split[name]) halfOf.set(sample, name);
  const test = [...split.selection, ...split.report];
  const masks = await mapWithLimit(test, 4, (sample) => decodeGroundTruth(sample));
  const log = options.log ?? (() => {});
  return { options, log, spec, trainingSet, heldBack, test, halfOf, masks, sweep };
}

/** Trains (or reuses) one model and measures the configurations of it still to do, one engine pass at a time. */
async function measureTraining(run: SweepRun, training: SweepTraining, todo: Configuration[]): Promise<void> {
  const { options, log } = run;
  const trained = await trainOnce(training, options.budgetMinutes, log, options.signal);
  const model = AnomalyModel.load(outputPaths(training.dir).checkpoint);
  const { config } = training;
  const size = config.model.imageSize;
  const images = await preprocessSamples([...run.test, ...run.heldBack], {
    width: size,
    height: size,
    channels: config.model.channels,
    masks: false,
  });
  const settings: EvaluationSettings = { evaluateAt: options.grid.evaluateAt, size, score: config.explain.score };
  const testImages = sweepTestImages(run.test, run.halfOf, run.masks, settings);
  for (const pass of explainPasses(todo, options.grid)) {
    options.signal?.throwIfAborted();
    const started = performance.now();
    const raw = await runExplainPass(model, images, run.test.length, pass, options.grid, config);
    const { layer, sign } = pass.variant;
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    log(`${training.name}: explained ${images.count} images at ${layer} ${sign} in ${seconds} s`);
    for (const configuration of pass.configurations) {
      options.signal?.throwIfAborted();
      const result = await measureConfiguration(configuration, raw, testImages, settings, trained);
      run.sweep.results.push(result);
      const selection = result.halves.selection;
      log(`${result.id}: selection pixel AUROC ${fmt(selection.pixelAuroc)}, AUPRO ${fmt(selection.aupro)}`);
      await saveSweepFile(options.out, run.sweep, options.sort);
    }
  }
}

async function measureConfiguration(
  configuration: Configuration,
  raw: RawMaps,
  images: readonly SweepTestImage[],
  settings: EvaluationSettings,
  trained: SweepTrainRecord,
): Promise<ConfigurationResult> {
  const maps = transformedMaps(configuration, raw, settings.size);
  return {
    id: configuration.id,
    training: configuration.training,
    map: configuration.map,
    layer: configuration.explain?.layer ?? null,
    sign: configuration.explain?.sign ?? null,
    normalize: configuration.transform.normalize,
    sigma: configuration.transform.sigma,
    trainSeconds: trained.seconds,
    epochsCompleted: trained.epochsCompleted,
    budgetReached: trained.budgetReached,
    halves: await evaluateHalves(images, maps, settings),
  };
}

function fmt(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(3);
}
