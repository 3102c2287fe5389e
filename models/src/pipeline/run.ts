import { existsSync } from 'node:fs';

import type { Dataset } from '../datasets';
import { writeReport } from '../report/report';
import type { Report, ReportFiles } from '../report/report';
import { ConfigError, resolveConfig, validateOverrides, withExplainOverrides } from './config';
import type { ConfigOverrides, ExplainOverrides, PipelineConfig } from './config';
import type { RunContext } from './context';
import { formatDataSpec, loadDataSpec, parseDataSpec } from './data-spec';
import { evaluateMaps } from './evaluate';
import type { Evaluation } from './evaluate';
import type { PipelineHooks, PipelineStage } from './events';
import { explainTestSet } from './explain';
import type { ExplainOutcome } from './explain';
import { readJsonFile, writeJsonFile } from './json-file';
import { outputPaths } from './paths';
import { CheckpointError, trainModel } from './train';
import type { TrainOutcome } from './train';

export interface TrainRunOptions extends ConfigOverrides {
  /**
   * A dataset folder (MVTec AD layout or plain folder) or `fashion-mnist:<class>[:<variant>]`. Required for a new
   * run; when resuming, defaults to the run's recorded data.
   */
  data?: string;
  /** The run's output folder: config, checkpoints, maps, report. */
  out: string;
  /** Continue the run in `out` from its checkpoint (its recorded config; `epochs` may be raised). */
  resume?: boolean;
}

export interface ExplainRunOptions extends ExplainOverrides {
  /** Defaults to the data the model was trained on (the only data accepted). */
  data?: string;
  out: string;
}

export interface EvaluateRunOptions {
  data?: string;
  out: string;
}

export type PipelineOptions = TrainRunOptions & ExplainRunOptions;

export type PipelineResult =
  | {
      status: 'completed';
      config: PipelineConfig;
      train: TrainOutcome;
      explain: ExplainOutcome;
      evaluation: Evaluation;
      report: Report;
      files: ReportFiles;
    }
  | { status: 'cancelled'; stage: PipelineStage; config: PipelineConfig; checkpoint: string };

/** Settings fixed by a run's first training; a resumed run may repeat them but not change them. */
const FIXED_ON_RESUME: readonly { option: keyof ConfigOverrides; saved: (config: PipelineConfig) => unknown }[] = [
  { option: 'preset', saved: (config) => config.preset },
  { option: 'size', saved: (config) => config.model.imageSize },
  { option: 'batchSize', saved: (config) => config.train.batchSize },
  { option: 'loss', saved: (config) => config.model.loss },
  { option: 'layer', saved: (config) => config.train.attentionLayer },
  { option: 'attentionWeight', saved: (config) => config.train.attentionWeight },
  { option: 'attentionSign', saved: (config) => config.train.attentionSign },
  { option: 'seed', saved: (config) => config.model.seed },
];

async function loadData(data: string, hooks: PipelineHooks): Promise<{ spec: string; dataset: Dataset }> {
  const spec = formatDataSpec(parseDataSpec(data));
  hooks.onProgress?.({ type: 'stage', stage: 'load', message: `loading ${spec}` });
  const dataset = await loadDataSpec(parseDataSpec(spec));
  for (const warning of dataset.warnings) hooks.onProgress?.({ type: 'warning', stage: 'load', message: warning });
  return { spec, dataset };
}

async function readSavedConfig(out: string): Promise<PipelineConfig> {
  return readJsonFile<PipelineConfig>(outputPaths(out).config, 'run config', 'train a model into this folder first');
}

function checkSameData(given: string | undefined, saved: string): void {
  if (given === undefined) return;
  const spec = formatDataSpec(parseDataSpec(given));
  if (spec !== saved) throw new ConfigError('data', `this run was trained on ${saved}, not ${spec}`);
}

/** The context of a training run: a new run's resolved config (saved), or a resumed run's recorded one. */
export async function prepareTraining(options: TrainRunOptions, hooks: PipelineHooks = {}): Promise<RunContext> {
  validateOverrides(options);
  const paths = outputPaths(options.out);
  if (options.resume === true) {
    const saved = await readSavedConfig(options.out);
    checkSameData(options.data, saved.data);
    for (const { option, saved: value } of FIXED_ON_RESUME) {
      const given = options[option];
      if (given !== undefined && given !== value(saved))
        throw new ConfigError(option, `the run being resumed used ${String(value(saved))}; it cannot change on resume`);
    }
    const { dataset } = await loadData(saved.data, hooks);
    const config = withExplainOverrides(
      { ...saved, train: { ...saved.train, epochs: options.epochs ?? saved.train.epochs } },
      options,
    );
    await writeJsonFile(paths.config, config);
    return { dataset, config, paths };
  }

  if (options.data === undefined)
    throw new ConfigError('data', 'a new run needs data: a dataset folder or fashion-mnist:<class>');
  // Before anything is written: a trained model is never overwritten by accident.
  if (existsSync(paths.checkpoint)) {
    throw new CheckpointError(
      `${paths.root} already holds a trained model (${paths.checkpoint}): resume it, or choose another output folder`,
    );
  }
  const { spec, dataset } = await loadData(options.data, hooks);
  const config = resolveConfig(spec, dataset, options);
  await writeJsonFile(paths.config, config);
  return { dataset, config, paths };
}

/** The context of a trained run, for explain (with explain-time overrides) and evaluate. */
export async function prepareTrained(
  options: EvaluateRunOptions & ExplainOverrides,
  hooks: PipelineHooks = {},
): Promise<RunContext> {
  const saved = await readSavedConfig(options.out);
  checkSameData(options.data, saved.data);
  const { dataset } = await loadData(saved.data, hooks);
  return { dataset, config: withExplainOverrides(saved, options), paths: outputPaths(options.out) };
}

/** `vad train`: a new model, or the resumed one, trained into `out`. */
export async function runTrain(options: TrainRunOptions, hooks: PipelineHooks = {}): Promise<TrainOutcome> {
  const context = await prepareTraining(options, hooks);
  return trainModel(context, { ...hooks, resume: options.resume ?? false });
}

/** `vad explain`: maps of every test image from the trained model in `out`. */
export async function runExplain(options: ExplainRunOptions, hooks: PipelineHooks = {}): Promise<ExplainOutcome> {
  const context = await prepareTrained(options, hooks);
  const outcome = await explainTestSet(context, hooks);
  // The maps now on disk were made with these settings: evaluate and the report read them from here.
  if (!outcome.cancelled) await writeJsonFile(context.paths.config, context.config);
  return outcome;
}

/** `vad evaluate`: metrics of the explained maps in `out`, and the report. */
export async function runEvaluate(
  options: EvaluateRunOptions,
  hooks: PipelineHooks = {},
): Promise<{ evaluation: Evaluation; report: Report; files: ReportFiles }> {
  const context = await prepareTrained(options, hooks);
  const evaluation = await evaluateMaps(context, hooks);
  return { evaluation, ...(await writeReport(context, evaluation, hooks)) };
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/**
 * train -> explain -> evaluate -> report into `out`. Never exits the process or prints: progress goes to
 * hooks.onProgress; an abort through hooks.signal resolves with status 'cancelled' (the checkpoint stays, and
 * `resume` continues it). Bad input rejects with an error naming the option, file or folder.
 */
export async function runPipeline(options: PipelineOptions, hooks: PipelineHooks = {}): Promise<PipelineResult> {
  const context = await prepareTraining(options, hooks);
  const cancelled = (stage: PipelineStage): PipelineResult => ({
    status: 'cancelled',
    stage,
    config: context.config,
    checkpoint: context.paths.checkpoint,
  });
  const train = await trainModel(context, { ...hooks, resume: options.resume ?? false });
  if (train.cancelled) return cancelled('train');
  const explain = await explainTestSet(context, hooks);
  if (explain.cancelled) return cancelled('explain');
  try {
    const evaluation = await evaluateMaps(context, hooks);
    const { report, files } = await writeReport(context, evaluation, hooks);
    return { status: 'completed', config: context.config, train, explain, evaluation, report, files };
  } catch (error) {
    if (isAbort(error) && hooks.signal?.aborted === true) return cancelled('evaluate');
    throw error;
  }
}
