import { existsSync } from 'node:fs';
import path from 'node:path';

import type { Prisma, PrismaClient, Run } from '@prisma/client';
import {
  CheckpointError,
  ConfigError,
  DatasetError,
  DataSpecError,
  layerNames,
  outputPaths,
  runPipeline,
  upgradeSavedOptions,
  type PipelineConfig,
} from '@vad/models';
import type PgBoss from 'pg-boss';

import type { Config } from '../config';
import { Topic } from '../events/pubsub';
import { FileLease } from '../files/leases';
import type { FileStore } from '../files/store';
import { withoutServerPaths } from '../graphql/server-paths';
import { emitEvaluationEvent, emitRunEvent } from '../modules/webhook/webhook.events';
import { loadJobDataset } from './job-dataset';
import { claimFields, JobLease } from './job-lease';
import { ProgressTracker, Throttle } from './progress';
import { sendRunTicket } from './queue';
import { evaluationJson, storeExplainedResults } from './results';

/** What every job handler of a worker process shares. */
export interface WorkerContext {
  prisma: PrismaClient;
  boss: PgBoss;
  store: FileStore;
  config: Config;
  workerId: string;
  /** Sends an event to subscribers (NOTIFY). */
  publish(routingKey: string, id: string, detail: unknown): Promise<void>;
  /** Runs in progress in this process, by id: cancellation and shutdown abort them. */
  running: Map<string, { abort(): void }>;
  /** Set when the process is shutting down: aborted runs are handed back to the queue, not cancelled. */
  stopping: boolean;
  log(line: string): void;
}

/** Errors in the run's own input: retrying cannot help, so the run fails at once with the message. */
function isPermanent(error: unknown): boolean {
  return (
    error instanceof ConfigError ||
    error instanceof DatasetError ||
    error instanceof DataSpecError ||
    error instanceof CheckpointError ||
    error instanceof RangeError ||
    error instanceof TypeError
  );
}

/** The run's output folder (config, checkpoint, maps, report), kept across attempts and workers. */
export function runOutputFolder(store: FileStore, runId: string): string {
  return path.join(store.runsDir, runId, 'out');
}

/** Claims a queued run for this worker: one conditional update, so of two workers only one gets it. */
async function claim(context: WorkerContext, runId: string): Promise<Run | null> {
  const { prisma, config, workerId } = context;
  const run = await prisma.run.findUnique({ where: { id: runId } });
  if (!run || run.status !== 'QUEUED') return null;
  if (run.cancelRequested) {
    const cancelled = await prisma.run.updateMany({
      where: { id: runId, status: 'QUEUED' },
      data: { status: 'CANCELLED', phase: 'cancelled', finishedAt: new Date() },
    });
    if (cancelled.count === 1) await emitRunEvent(prisma, 'RUN_CANCELLED', runId);
    return null;
  }
  if (run.attempt >= config.worker.maxAttempts) {
    const gaveUp = await prisma.run.updateMany({
      where: { id: runId, status: 'QUEUED' },
      data: {
        status: 'FAILED',
        phase: 'failed',
        error: `gave up after ${run.attempt} attempts`,
        finishedAt: new Date(),
      },
    });
    if (gaveUp.count === 1) await emitRunEvent(prisma, 'RUN_FAILED', runId);
    return null;
  }
  const claimed = await prisma.run.updateMany({
    where: { id: runId, status: 'QUEUED', attempt: run.attempt },
    data: {
      ...claimFields(run.attempt, workerId),
      startedAt: run.startedAt ?? new Date(),
      phase: run.attempt > 0 ? 'resuming' : 'starting',
      error: null,
    },
  });
  if (claimed.count === 1) await emitRunEvent(prisma, 'RUN_STARTED', runId);
  return claimed.count === 1 ? prisma.run.findUnique({ where: { id: runId } }) : null;
}

/**
 * Runs the pipeline for one run ticket: claim, read the dataset's records, train (resuming from the checkpoint a
 * previous attempt left), explain, evaluate, store results. While it works, a heartbeat proves the worker
 * alive; if the row says another worker took over (this one was presumed dead), it stops without writing.
 */
export async function handleRunTicket(context: WorkerContext, runId: string): Promise<void> {
  const { prisma, store, config, workerId, log } = context;
  const run = await claim(context, runId);
  if (!run) return;
  log(`run ${runId}: attempt ${run.attempt} on ${workerId}`);
  const mine = { id: runId, workerId, status: 'RUNNING' as const };
  const lease = new JobLease(
    async () => {
      const rows = await prisma.run.updateManyAndReturn({
        where: mine,
        data: { heartbeatAt: new Date() },
        select: { cancelRequested: true },
      });
      return { held: rows.length > 0, cancelRequested: rows[0]?.cancelRequested };
    },
    config.worker.heartbeatMs,
    (line) => log(`run ${runId}: ${line}`),
  );
  context.running.set(runId, lease);

  const notify = () => context.publish(Topic.RUN_PROGRESS, runId, { runId }).catch(() => {});
  const tracker = new ProgressTracker(run);
  const throttle = new Throttle(500, async () => {
    const fields = tracker.fields;
    const updated = await prisma.run.updateMany({
      where: mine,
      data: {
        progress: fields.progress,
        phase: fields.phase,
        epoch: fields.epoch,
        totalEpochs: fields.totalEpochs,
        lossHistory: fields.lossHistory as unknown as Prisma.InputJsonValue,
        ...(fields.startEpoch > 0 ? { startEpoch: fields.startEpoch } : {}),
        heartbeatAt: new Date(),
      },
    });
    lease.record({ held: updated.count > 0 });
    if (updated.count > 0) await notify();
  });

  const out = runOutputFolder(store, runId);
  /** When the pipeline began the first evaluation: the evaluation's creation and start. */
  let evaluationStartedAt: Date | undefined;
  const files = new FileLease(prisma, store);
  try {
    const { dataset, data, maskIds } = await loadJobDataset(prisma, store, run.datasetId);
    const result = await runPipeline(
      {
        dataset,
        data,
        out,
        options: upgradeSavedOptions(run.options as Record<string, unknown>),
        // A previous attempt's checkpoint is where this one starts: a lost worker costs at most one epoch.
        resume: existsSync(outputPaths(out).checkpoint),
      },
      {
        signal: lease.signal,
        onProgress: (event) => {
          if (event.type === 'config') void recordConfig(context, runId, event.config);
          if (event.type === 'evaluate') evaluationStartedAt ??= new Date();
          throttle.request(tracker.apply(event));
        },
      },
    );
    await throttle.settle();
    if (lease.lost) return;
    if (result.status === 'cancelled') {
      await stopped(context, run);
      return;
    }
    const stored = await storeExplainedResults(runId, result.explain.store, files);
    const { metrics, curves } = evaluationJson(result.evaluation);
    // One clock for the run's end and its first evaluation's times: createdAt once fell a few milliseconds after
    // finishedAt, the database's default being taken after the values written with it.
    const finishedAt = new Date();
    const startedAt = evaluationStartedAt ?? finishedAt;
    await prisma.$transaction(
      async (tx) => {
        // Rows of an attempt that died while writing are replaced, not doubled.
        await tx.result.deleteMany({ where: { runId } });
        await tx.result.createMany({ data: stored.rows });
        const finished = await tx.run.updateMany({
          where: mine,
          data: {
            status: 'SUCCEEDED',
            progress: 1,
            phase: 'done',
            config: result.config as unknown as Prisma.InputJsonObject,
            layers: layerNames(result.config.model.depth),
            device: result.train.record.device,
            // The tracker's history spans every attempt; the pipeline's record only the calls that ended well.
            lossHistory: tracker.fields.lossHistory as unknown as Prisma.InputJsonValue,
            epoch: result.train.record.epochsCompleted,
            bestEpoch: result.train.record.bestEpoch ?? null,
            totalEpochs: result.config.train.epochs,
            checkpointKey: path.relative(store.root, outputPaths(out).checkpoint),
            mapRanges: stored.mapRanges as unknown as Prisma.InputJsonObject,
            resultCount: stored.rows.length,
            finishedAt,
            workerId: null,
          },
        });
        if (finished.count === 0) throw new LostRunError();
        await files.commit(tx);
        const evaluation = await tx.evaluation.create({
          data: {
            runId,
            status: 'SUCCEEDED',
            metrics,
            curves,
            attempt: 1,
            createdAt: startedAt,
            startedAt,
            finishedAt,
            createdById: run.createdById,
            masks: { connect: maskIds.map((id) => ({ id })) },
          },
        });
        await emitRunEvent(tx, 'RUN_SUCCEEDED', runId);
        await emitEvaluationEvent(tx, evaluation.id);
      },
      { timeout: 60_000 },
    );
    log(`run ${runId}: succeeded, ${stored.rows.length} results`);
  } catch (error) {
    await throttle.settle();
    if (lease.lost || error instanceof LostRunError) return;
    await failed(context, run, error);
  } finally {
    await files.release();
    lease.release();
    context.running.delete(runId);
    await notify();
  }
}

class LostRunError extends Error {
  constructor() {
    super('another worker holds this run now');
  }
}

/** The resolved config as soon as the pipeline has it: layers and epochs show while training. */
async function recordConfig(context: WorkerContext, runId: string, config: PipelineConfig): Promise<void> {
  try {
    await context.prisma.run.updateMany({
      where: { id: runId, workerId: context.workerId },
      data: {
        config: config as unknown as Prisma.InputJsonObject,
        layers: layerNames(config.model.depth),
        totalEpochs: config.train.epochs,
        device: config.device,
      },
    });
  } catch (error) {
    context.log(`run ${runId}: could not record its config (${(error as Error).message})`);
  }
}

/** The pipeline stopped early: a cancel ends the run; a shutdown hands it back to the queue to resume. */
async function stopped(context: WorkerContext, run: Run): Promise<void> {
  const { prisma, workerId } = context;
  const current = await prisma.run.findUnique({ where: { id: run.id }, select: { cancelRequested: true } });
  if (current?.cancelRequested || !context.stopping) {
    const cancelled = await prisma.run.updateMany({
      where: { id: run.id, workerId },
      data: { status: 'CANCELLED', phase: 'cancelled', finishedAt: new Date(), workerId: null },
    });
    if (cancelled.count === 1) await emitRunEvent(prisma, 'RUN_CANCELLED', run.id);
    context.log(`run ${run.id}: cancelled`);
    return;
  }
  await requeue(context, run, 'waiting for a worker (the previous one shut down)', 0);
}

async function requeue(context: WorkerContext, run: Run, phase: string, delaySeconds: number): Promise<void> {
  const moved = await context.prisma.run.updateMany({
    where: { id: run.id, workerId: context.workerId, status: 'RUNNING' },
    data: { status: 'QUEUED', phase, workerId: null },
  });
  if (moved.count === 1) {
    const jobId = await sendRunTicket(context.boss, run.id, delaySeconds);
    await context.prisma.run.update({ where: { id: run.id }, data: { jobId } });
  }
}

/** A failed attempt: bad input fails the run; anything else is retried while attempts remain. */
async function failed(context: WorkerContext, run: Run, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  // The log keeps the whole message; what the run shows its readers keeps no server paths.
  const shown = withoutServerPaths(message);
  const permanent = isPermanent(error);
  if (!permanent && run.attempt < context.config.worker.maxAttempts) {
    context.log(`run ${run.id}: attempt ${run.attempt} failed (${message}); retrying`);
    await requeue(context, run, `retrying after an error: ${shown}`, 5);
    return;
  }
  context.log(`run ${run.id}: failed (${message})`);
  const ended = await context.prisma.run.updateMany({
    where: { id: run.id, workerId: context.workerId },
    data: { status: 'FAILED', phase: 'failed', error: shown, finishedAt: new Date(), workerId: null },
  });
  if (ended.count === 1) await emitRunEvent(context.prisma, 'RUN_FAILED', run.id);
}
