import { randomUUID } from 'node:crypto';

import type { PrismaClient } from '@prisma/client';
import pg from 'pg';
import type PgBoss from 'pg-boss';

import type { Config } from '../config';
import { parseDatabaseUrl } from '../db/pg-adapter';
import { WEBHOOK_CHANNEL } from '../modules/webhook/webhook.events';
import { QUEUE, type WebhookTicket } from './queue';
import { deliverWebhook } from './webhook-delivery-job';

/** Deliveries queued at once; the rest wait for the next pass, which follows at once. */
const BATCH = 100;
/** Deliveries POSTed at once by one worker process. */
const CONCURRENCY = 4;
/** A delivery queued this long ago and still pending is checked for a lost job. */
const LOST_AFTER_MS = 5 * 60_000;

function sendTicket(boss: PgBoss, config: Config, delivery: { id: string; jobId: string }): Promise<string | null> {
  const { maxAttempts, retryDelaySeconds, timeoutMs } = config.webhooks;
  // The job's id is the delivery's jobId: queueing it twice (two dispatchers, a lost job re-queued) makes one job.
  return boss.send(QUEUE.WEBHOOK, { deliveryId: delivery.id } satisfies WebhookTicket, {
    id: delivery.jobId,
    retryLimit: maxAttempts - 1,
    retryDelay: retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: Math.ceil(timeoutMs / 1000) + 60,
  });
}

/**
 * Queues the deliveries that events wrote (webhook.events.ts): each is claimed by a conditional update of its
 * `queuedAt`, so that of several workers one queues it. A delivery whose job was lost (a worker that died between
 * the claim and the queueing, or during its job) is queued again with a new job once it has waited LOST_AFTER_MS.
 */
export async function queueWebhookDeliveries(prisma: PrismaClient, boss: PgBoss, config: Config): Promise<number> {
  let queued = 0;
  for (;;) {
    const claimed = await prisma.$queryRaw<{ id: string; jobId: string }[]>`
      UPDATE "WebhookDelivery" SET "queuedAt" = now()
      WHERE id IN (
        SELECT id FROM "WebhookDelivery" WHERE status = 'PENDING' AND "queuedAt" IS NULL
        ORDER BY "createdAt" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED
      )
      RETURNING id, "jobId"`;
    for (const delivery of claimed) await sendTicket(boss, config, delivery);
    queued += claimed.length;
    if (claimed.length < BATCH) break;
  }
  const waiting = await prisma.webhookDelivery.findMany({
    where: { status: 'PENDING', queuedAt: { lt: new Date(Date.now() - LOST_AFTER_MS) } },
    select: { id: true, jobId: true },
    take: BATCH,
  });
  for (const delivery of waiting) {
    const job = await boss.getJobById(QUEUE.WEBHOOK, delivery.jobId);
    if (job && ['created', 'retry', 'active'].includes(job.state)) continue;
    const jobId = randomUUID();
    const moved = await prisma.webhookDelivery.updateMany({
      where: { id: delivery.id, jobId: delivery.jobId, status: 'PENDING' },
      data: { jobId, queuedAt: new Date() },
    });
    if (moved.count === 1) {
      await sendTicket(boss, config, { id: delivery.id, jobId });
      queued += 1;
    }
  }
  return queued;
}

/**
 * A worker's part in webhooks: it POSTs deliveries from the queue (CONCURRENCY at a time), and queues new ones as
 * soon as their transaction commits (NOTIFY on WEBHOOK_CHANNEL), and every reap interval in case a notice was
 * missed.
 */
export async function startWebhookDelivery(
  prisma: PrismaClient,
  boss: PgBoss,
  databaseUrl: string,
  config: Config,
  log: (line: string) => void,
): Promise<{ stop(): Promise<void> }> {
  const options = {
    batchSize: 1,
    includeMetadata: true as const,
    pollingIntervalSeconds: config.worker.pollIntervalSeconds,
  };
  for (let i = 0; i < CONCURRENCY; i += 1) {
    await boss.work<WebhookTicket>(QUEUE.WEBHOOK, options, async ([job]) => {
      if (!job) return;
      await deliverWebhook(prisma, config, job.data.deliveryId, job.id, job.retryCount >= job.retryLimit);
    });
  }

  let running: Promise<void> | null = null;
  let again = false;
  const dispatch = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = queueWebhookDeliveries(prisma, boss, config)
      .then(
        () => {},
        (error: unknown) => log(`webhooks: ${(error as Error).message}`),
      )
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          dispatch();
        }
      });
  };

  const listener = new pg.Client(parseDatabaseUrl(databaseUrl));
  listener.on('notification', (message) => {
    if (message.channel === WEBHOOK_CHANNEL) dispatch();
  });
  listener.on('error', (error) => log(`webhook channel: ${error.message} (deliveries now wait for the next pass)`));
  await listener.connect();
  await listener.query(`LISTEN ${WEBHOOK_CHANNEL}`);
  dispatch();
  const timer = setInterval(dispatch, config.worker.reapIntervalMs);
  timer.unref();

  return {
    stop: async () => {
      clearInterval(timer);
      await boss.offWork(QUEUE.WEBHOOK);
      await listener.end().catch(() => {});
      await running;
    },
  };
}
