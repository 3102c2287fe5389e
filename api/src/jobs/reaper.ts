import type { PrismaClient } from '@prisma/client';
import type PgBoss from 'pg-boss';

import type { Config } from '../config';
import { FileStore } from '../files/store';
import { emitEvaluationEvent, emitRunEvent } from '../modules/webhook/webhook.events';
import { EXPIRY_INTERVAL_MS, expireFiles } from './file-expiry';
import { sendEvaluateTicket, sendRunTicket } from './queue';
import { reapLostTrackedJobs } from './tracked-job';

export interface Reaped {
  requeued: string[];
  failed: string[];
  cancelled: string[];
}

/**
 * Finds work whose worker stopped proving it is alive (killed, machine gone, network cut) and hands it back:
 * the run goes back to QUEUED with a new ticket, and the next worker resumes it from its last checkpoint. A
 * run out of attempts fails; a run whose cancel was pending is cancelled. Every change is a conditional
 * update on the stale heartbeat, so any number of workers and servers can reap at once without doubling.
 */
export async function reapLostWork(prisma: PrismaClient, boss: PgBoss, config: Config): Promise<Reaped> {
  const threshold = new Date(Date.now() - config.worker.staleMs);
  const reaped: Reaped = { requeued: [], failed: [], cancelled: [] };
  const stale = await prisma.run.findMany({
    where: { status: 'RUNNING', heartbeatAt: { lt: threshold } },
    select: { id: true, attempt: true, cancelRequested: true, heartbeatAt: true },
  });
  for (const run of stale) {
    const unchanged = { id: run.id, status: 'RUNNING' as const, heartbeatAt: run.heartbeatAt };
    if (run.cancelRequested) {
      const done = await prisma.run.updateMany({
        where: unchanged,
        data: { status: 'CANCELLED', phase: 'cancelled', finishedAt: new Date(), workerId: null },
      });
      if (done.count === 1) {
        reaped.cancelled.push(run.id);
        await emitRunEvent(prisma, 'RUN_CANCELLED', run.id);
      }
    } else if (run.attempt >= config.worker.maxAttempts) {
      const done = await prisma.run.updateMany({
        where: unchanged,
        data: {
          status: 'FAILED',
          phase: 'failed',
          error: `its worker stopped responding on attempt ${run.attempt} of ${config.worker.maxAttempts}`,
          finishedAt: new Date(),
          workerId: null,
        },
      });
      if (done.count === 1) {
        reaped.failed.push(run.id);
        await emitRunEvent(prisma, 'RUN_FAILED', run.id);
      }
    } else {
      const done = await prisma.run.updateMany({
        where: unchanged,
        data: { status: 'QUEUED', phase: 'waiting for a worker (the previous one stopped responding)', workerId: null },
      });
      if (done.count === 1) {
        const jobId = await sendRunTicket(boss, run.id);
        await prisma.run.update({ where: { id: run.id }, data: { jobId } });
        reaped.requeued.push(run.id);
      }
    }
  }
  const evaluations = await prisma.evaluation.findMany({
    where: { status: 'RUNNING', heartbeatAt: { lt: threshold } },
    select: { id: true, attempt: true, heartbeatAt: true },
  });
  for (const evaluation of evaluations) {
    const unchanged = { id: evaluation.id, status: 'RUNNING' as const, heartbeatAt: evaluation.heartbeatAt };
    if (evaluation.attempt >= config.worker.maxAttempts) {
      const done = await prisma.evaluation.updateMany({
        where: unchanged,
        data: { status: 'FAILED', error: 'its worker stopped responding', finishedAt: new Date(), workerId: null },
      });
      if (done.count === 1) await emitEvaluationEvent(prisma, evaluation.id);
    } else {
      const done = await prisma.evaluation.updateMany({ where: unchanged, data: { status: 'QUEUED', workerId: null } });
      if (done.count === 1) await sendEvaluateTicket(boss, evaluation.id);
    }
  }
  // Exports and mask imports start over on another worker, or fail once out of attempts.
  await reapLostTrackedJobs(prisma, boss, config);
  return reaped;
}

/** Reaps now and then every `intervalMs` until stopped. */
export function startReaper(
  prisma: PrismaClient,
  boss: PgBoss,
  config: Config,
  log: (line: string) => void,
): { stop(): void } {
  let busy = false;
  const store = new FileStore(config.dataDir);
  let expiredAt = 0;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      // Zips past their retention go too (uploads never imported, old exports), once a minute.
      if (Date.now() - expiredAt >= EXPIRY_INTERVAL_MS) {
        expiredAt = Date.now();
        const expired = await expireFiles(prisma, store, config.retention);
        for (const id of expired.uploads) log(`upload ${id}: never imported within its retention; zip removed`);
        for (const id of expired.exports) log(`export ${id}: past its retention; zip removed`);
      }
      const reaped = await reapLostWork(prisma, boss, config);
      for (const id of reaped.requeued) log(`run ${id}: its worker stopped responding; queued again to resume`);
      for (const id of reaped.failed) log(`run ${id}: its worker stopped responding; out of attempts, failed`);
      for (const id of reaped.cancelled) log(`run ${id}: its worker stopped responding while cancelling; cancelled`);
    } catch (error) {
      log(`reaper: ${(error as Error).message}`);
    } finally {
      busy = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), config.worker.reapIntervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
