import type { Dataset } from '../datasets';
import { ConfigError } from '../options';
import type { RunOptions } from '../options';
import { formatDataSpec, loadDataSpec, parseDataSpec } from '../pipeline/data-spec';
import { evaluateMaps } from '../pipeline/evaluate';
import type { Evaluation } from '../pipeline/evaluate';
import type { PipelineHooks } from '../pipeline/events';
import { explainTestSet } from '../pipeline/explain';
import { readExplainStore } from '../pipeline/explain-store';
import type { ExplainOutcome } from '../pipeline/explain';
import { writeJsonFile } from '../pipeline/json-file';
import { trainModel } from '../pipeline/train';
import type { TrainOutcome } from '../pipeline/train';
import { writeReport } from '../report/report';
import type { Report, ReportFiles } from '../report/report';
import { checkSameData, prepareTrained, prepareTraining, readSavedConfig } from './prepare';
import { runPipeline } from './run-pipeline';
import type { PipelineResult } from './run-pipeline';

// The `vad` commands: each names its data with a data spec (a folder or fashion-mnist:<class>) instead of
// handing over a loaded dataset, and a resumed or trained run defaults to the data it was trained on.

export interface SpecRunOptions {
  /** A data spec (see data-spec.ts); required for a new run, else the run's recorded data. */
  data?: string;
  out: string;
  options?: RunOptions;
  resume?: boolean;
}

/** The data a command works on, loaded; `given` is checked against a trained run's own. */
async function loadData(
  given: string | undefined,
  out: string,
  needsSaved: boolean,
  hooks: PipelineHooks,
): Promise<{ data: string; dataset: Dataset }> {
  let data: string;
  if (needsSaved) {
    const saved = (await readSavedConfig(out)).data;
    checkSameData(given === undefined ? undefined : formatDataSpec(parseDataSpec(given)), saved);
    data = saved;
  } else {
    if (given === undefined)
      throw new ConfigError('data', 'a new run needs data: a dataset folder or fashion-mnist:<class>');
    data = formatDataSpec(parseDataSpec(given));
  }
  hooks.onProgress?.({ type: 'stage', stage: 'load', message: `loading ${data}` });
  const dataset = await loadDataSpec(parseDataSpec(data));
  for (const warning of dataset.warnings) hooks.onProgress?.({ type: 'warning', stage: 'load', message: warning });
  return { data, dataset };
}

/** `vad run`: train -> explain -> evaluate -> report into `out`. */
export async function runFromSpec(options: SpecRunOptions, hooks: PipelineHooks = {}): Promise<PipelineResult> {
  const resume = options.resume ?? false;
  const loaded = await loadData(options.data, options.out, resume, hooks);
  return runPipeline({ ...loaded, out: options.out, options: options.options ?? {}, resume }, hooks);
}

/** `vad train`: a new model, or the resumed one, trained into `out`. */
export async function runTrain(options: SpecRunOptions, hooks: PipelineHooks = {}): Promise<TrainOutcome> {
  const resume = options.resume ?? false;
  const loaded = await loadData(options.data, options.out, resume, hooks);
  const context = await prepareTraining({ ...loaded, out: options.out, options: options.options ?? {}, resume }, hooks);
  return trainModel(context, { ...hooks, resume });
}

/** `vad explain`: maps of every test image from the trained model in `out`. */
export async function runExplain(
  options: Omit<SpecRunOptions, 'resume'>,
  hooks: PipelineHooks = {},
): Promise<ExplainOutcome> {
  const loaded = await loadData(options.data, options.out, true, hooks);
  const context = await prepareTrained({ ...loaded, out: options.out, options: options.options });
  const outcome = await explainTestSet(context, hooks);
  // The maps now on disk were made with these settings: evaluate and the report read them from here.
  if (!outcome.cancelled) await writeJsonFile(context.paths.config, context.config);
  return outcome;
}

/** `vad evaluate`: metrics of the explained maps in `out`, and the report. */
export async function runEvaluate(
  options: { data?: string; out: string },
  hooks: PipelineHooks = {},
): Promise<{ evaluation: Evaluation; report: Report; files: ReportFiles }> {
  const loaded = await loadData(options.data, options.out, true, hooks);
  const context = await prepareTrained({ ...loaded, out: options.out });
  const store = await readExplainStore(context.paths.explainDir);
  const evaluation = await evaluateMaps(context, hooks, store);
  return { evaluation, ...(await writeReport(context, evaluation, hooks, store)) };
}
