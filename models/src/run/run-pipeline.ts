import type { PipelineConfig } from '../pipeline/config';
import { evaluateMaps } from '../pipeline/evaluate';
import type { Evaluation } from '../pipeline/evaluate';
import type { PipelineHooks, PipelineStage } from '../pipeline/events';
import { explainTestSet } from '../pipeline/explain';
import type { ExplainOutcome } from '../pipeline/explain';
import { trainModel } from '../pipeline/train';
import type { TrainOutcome } from '../pipeline/train';
import { writeReport } from '../report/report';
import type { Report, ReportFiles } from '../report/report';
import { prepareTraining } from './prepare';
import type { RunInput } from './prepare';

export type PipelineResult =
  | {
      status: 'completed';
      config: PipelineConfig;
      train: TrainOutcome;
      /** Every test image's scores, maps and reconstruction (explain.store), in the dataset's test order. */
      explain: ExplainOutcome & { cancelled: false };
      evaluation: Evaluation;
      report: Report;
      files: ReportFiles;
    }
  | { status: 'cancelled'; stage: PipelineStage; config: PipelineConfig; checkpoint: string };

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/**
 * train -> explain -> evaluate -> report, on a dataset the caller loaded, into `out`. Never exits the process or
 * prints: progress goes to hooks.onProgress (the resolved config first); an abort through hooks.signal resolves
 * with status 'cancelled' (the checkpoint stays, and `resume` continues it). Bad input rejects with an error
 * naming the option, file or folder.
 */
export async function runPipeline(input: RunInput, hooks: PipelineHooks = {}): Promise<PipelineResult> {
  const context = await prepareTraining(input, hooks);
  const cancelled = (stage: PipelineStage): PipelineResult => ({
    status: 'cancelled',
    stage,
    config: context.config,
    checkpoint: context.paths.checkpoint,
  });
  const train = await trainModel(context, { ...hooks, resume: input.resume ?? false });
  if (train.cancelled) return cancelled('train');
  const explain = await explainTestSet(context, hooks);
  if (explain.cancelled) return cancelled('explain');
  try {
    const evaluation = await evaluateMaps(context, hooks, explain.store);
    const { report, files } = await writeReport(context, evaluation, hooks, explain.store);
    return { status: 'completed', config: context.config, train, explain, evaluation, report, files };
  } catch (error) {
    if (isAbort(error) && hooks.signal?.aborted === true) return cancelled('evaluate');
    throw error;
  }
}
