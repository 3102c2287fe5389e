import { evaluateMaps, prepareTrained } from '@vad/models';

import { Topic } from '../events/pubsub';
import { withoutServerPaths } from '../graphql/server-paths';
import { emitEvaluationEvent } from '../modules/webhook/webhook.events';
import { loadJobDataset } from './job-dataset';
import { claimFields, JobLease } from './job-lease';
import { evaluationJson } from './results';
import { runOutputFolder, type WorkerContext } from './run-job';

/**
 * Re-scores a finished run against the current ground truth: each image's latest APPROVED mask, read now, and
 * the maps the run stored (no model is run). Evaluations of one run only read its folder, so any number may run
 * at once.
 */
export async function handleEvaluateTicket(context: WorkerContext, evaluationId: string): Promise<void> {
  const { prisma, store, workerId, log } = context;
  const evaluation = await prisma.evaluation.findUnique({ where: { id: evaluationId }, include: { run: true } });
  if (!evaluation || evaluation.status !== 'QUEUED') return;
  const claimed = await prisma.evaluation.updateMany({
    where: { id: evaluationId, status: 'QUEUED', attempt: evaluation.attempt },
    data: { ...claimFields(evaluation.attempt, workerId), startedAt: new Date() },
  });
  if (claimed.count === 0) return;
  const mine = { id: evaluationId, workerId, status: 'RUNNING' as const };
  const lease = new JobLease(
    async () => {
      const beat = await prisma.evaluation.updateMany({ where: mine, data: { heartbeatAt: new Date() } });
      return { held: beat.count > 0 };
    },
    context.config.worker.heartbeatMs,
    (line) => log(`evaluation ${evaluationId}: ${line}`),
  );
  try {
    const { dataset, maskIds } = await loadJobDataset(prisma, store, evaluation.run.datasetId);
    const run = await prepareTrained({ dataset, out: runOutputFolder(store, evaluation.runId) });
    const result = await evaluateMaps(run, { signal: lease.signal });
    const { metrics, curves } = evaluationJson(result);
    // Metrics and the masks they were computed with become visible together.
    await prisma.$transaction(async (tx) => {
      await tx.evaluation.update({
        where: { id: evaluationId },
        data: { masks: { set: maskIds.map((id) => ({ id })) } },
      });
      const done = await tx.evaluation.updateMany({
        where: mine,
        data: { status: 'SUCCEEDED', metrics, curves, finishedAt: new Date(), workerId: null },
      });
      if (done.count === 0) throw new Error('another worker took this evaluation over');
      await emitEvaluationEvent(tx, evaluationId);
    });
    log(`evaluation ${evaluationId} of run ${evaluation.runId}: done`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`evaluation ${evaluationId}: failed (${message})`);
    const ended = await prisma.evaluation.updateMany({
      where: mine,
      data: { status: 'FAILED', error: withoutServerPaths(message), finishedAt: new Date(), workerId: null },
    });
    if (ended.count === 1) await emitEvaluationEvent(prisma, evaluationId);
  } finally {
    lease.release();
    // Run subscribers see the run's evaluations change.
    await context.publish(Topic.RUN_PROGRESS, evaluation.runId, { runId: evaluation.runId }).catch(() => {});
  }
}
