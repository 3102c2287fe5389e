import { evaluateMaps, prepareTrained } from '@vad/models';
import pg from 'pg';

import { parseDatabaseUrl } from '../db/pg-adapter';
import { Topic } from '../events/pubsub';
import { layOutDataset } from './dataset-folder';
import { evaluationJson } from './results';
import { runFolder, type WorkerContext } from './run-job';

/**
 * Evaluations of one run share its dataset folder, which each re-lays with the masks of the moment: a
 * Postgres advisory lock keyed by the run makes them take turns, across workers and machines.
 */
async function withRunLock<T>(databaseUrl: string, runId: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client(parseDatabaseUrl(databaseUrl));
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`evaluate:${runId}`]);
    return await work();
  } finally {
    await client.end();
  }
}

/**
 * Re-scores a finished run against the current ground truth: the dataset folder is laid out again with each
 * image's latest APPROVED mask, and the run's stored maps are evaluated against it (no model is run).
 */
export async function handleEvaluateTicket(
  context: WorkerContext,
  databaseUrl: string,
  evaluationId: string,
): Promise<void> {
  const { prisma, store, workerId, log } = context;
  const evaluation = await prisma.evaluation.findUnique({ where: { id: evaluationId }, include: { run: true } });
  if (!evaluation || evaluation.status !== 'QUEUED') return;
  const claimed = await prisma.evaluation.updateMany({
    where: { id: evaluationId, status: 'QUEUED', attempt: evaluation.attempt },
    data: {
      status: 'RUNNING',
      attempt: evaluation.attempt + 1,
      workerId,
      heartbeatAt: new Date(),
      startedAt: new Date(),
    },
  });
  if (claimed.count === 0) return;
  const mine = { id: evaluationId, workerId, status: 'RUNNING' as const };
  const heartbeat = setInterval(() => {
    void prisma.evaluation.updateMany({ where: mine, data: { heartbeatAt: new Date() } }).catch(() => {});
  }, context.config.worker.heartbeatMs);
  try {
    await withRunLock(databaseUrl, evaluation.runId, async () => {
      const folders = runFolder(store, evaluation.runId);
      const laidOut = await layOutDataset(prisma, store, evaluation.run.datasetId, folders.data);
      const run = await prepareTrained({ out: folders.out });
      const result = await evaluateMaps(run);
      const { metrics, curves } = evaluationJson(result);
      // Metrics and the masks they were computed with become visible together.
      await prisma.$transaction(async (tx) => {
        await tx.evaluation.update({
          where: { id: evaluationId },
          data: { masks: { set: laidOut.maskIds.map((id) => ({ id })) } },
        });
        const done = await tx.evaluation.updateMany({
          where: mine,
          data: { status: 'SUCCEEDED', metrics, curves, finishedAt: new Date(), workerId: null },
        });
        if (done.count === 0) throw new Error('another worker took this evaluation over');
      });
    });
    log(`evaluation ${evaluationId} of run ${evaluation.runId}: done`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`evaluation ${evaluationId}: failed (${message})`);
    await prisma.evaluation.updateMany({
      where: mine,
      data: { status: 'FAILED', error: message, finishedAt: new Date(), workerId: null },
    });
  } finally {
    clearInterval(heartbeat);
    // Run subscribers see the run's evaluations change.
    await context.publish(Topic.RUN_PROGRESS, evaluation.runId, { runId: evaluation.runId }).catch(() => {});
  }
}
