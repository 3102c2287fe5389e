// `npm run worker -w api`: a worker process. Start any number, on any machines that reach the database
// (DATABASE_URL) and share the data folder (VAD_DATA_DIR); each takes one run at a time from the queue.
// The dataset import job runs DatasetService, whose module loads type-graphql's decorated types.
import 'reflect-metadata';

import { randomBytes } from 'node:crypto';
import os from 'node:os';

import pg from 'pg';

import { loadConfig, type Config } from './config';
import { createPrismaClient, EnvironmentError, exitOnError } from './db';
import { parseDatabaseUrl } from './db/pg-adapter';
import { notify } from './events/pubsub';
import { FileStore } from './files/store';
import { handleEvaluateTicket } from './jobs/evaluate-job';
import { handleExportTicket } from './jobs/export-job';
import { handleMaskImportTicket } from './jobs/mask-import-job';
import { handlePredictionTicket } from './jobs/prediction-job';
import { startWebhookDelivery } from './jobs/webhook-dispatcher';
import {
  CONTROL_CHANNEL,
  QUEUE,
  startQueue,
  type ControlMessage,
  type DatasetImportTicket,
  type EvaluateTicket,
  type ExportTicket,
  type MaskImportTicket,
  type PredictionTicket,
  type RunTicket,
} from './jobs/queue';
import { startReaper } from './jobs/reaper';
import { applyCpuShare, cpuShareFromEnv } from './jobs/cpu-share';
import { handleRunTicket, type WorkerContext } from './jobs/run-job';
import { startWorkerPresence } from './jobs/worker-presence';
import { handleDatasetImportTicket } from './modules/dataset/dataset-import.job';

export interface StartedWorker {
  id: string;
  /** Stops taking work; runs in progress are checkpointed and handed back to the queue. */
  stop(): Promise<void>;
}

export async function startWorker(
  config: Config,
  databaseUrl: string,
  log: (line: string) => void,
): Promise<StartedWorker> {
  const id = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const prisma = createPrismaClient(databaseUrl);
  const boss = await startQueue(databaseUrl, { supervise: true, log });
  const events = new pg.Pool({ ...parseDatabaseUrl(databaseUrl), max: 2 });
  const context: WorkerContext = {
    prisma,
    boss,
    store: new FileStore(config.dataDir),
    config,
    workerId: id,
    publish: (routingKey, topicId, detail) => notify(events, routingKey, topicId, detail),
    running: new Map(),
    stopping: false,
    log,
  };

  // Cancels arrive as NOTIFY messages and abort the run within one training step.
  const control = new pg.Client(parseDatabaseUrl(databaseUrl));
  control.on('notification', (message) => {
    if (message.channel !== CONTROL_CHANNEL || !message.payload) return;
    try {
      const { cancelRun } = JSON.parse(message.payload) as ControlMessage;
      context.running.get(cancelRun)?.abort();
    } catch {
      log('ignored a malformed control message');
    }
  });
  control.on('error', (error) => log(`control channel: ${error.message} (cancels now arrive with the heartbeat)`));
  await control.connect();
  await control.query(`LISTEN ${CONTROL_CHANNEL}`);

  // Handlers in flight, so that stopping waits for them to hand their work back before closing connections.
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>): Promise<void> => {
    inFlight.add(work);
    return work.finally(() => inFlight.delete(work));
  };
  const options = { batchSize: 1, pollingIntervalSeconds: config.worker.pollIntervalSeconds };
  const webhooks = await startWebhookDelivery(prisma, boss, databaseUrl, config, log);
  await boss.work<RunTicket>(QUEUE.RUN, options, async ([job]) => {
    if (job) await track(handleRunTicket(context, job.data.runId));
  });
  await boss.work<EvaluateTicket>(QUEUE.EVALUATE, options, async ([job]) => {
    if (job) await track(handleEvaluateTicket(context, job.data.evaluationId));
  });
  await boss.work<ExportTicket>(QUEUE.EXPORT, options, async ([job]) => {
    if (job) await track(handleExportTicket(context, job.data.exportId));
  });
  await boss.work<MaskImportTicket>(QUEUE.MASK_IMPORT, options, async ([job]) => {
    if (job) await track(handleMaskImportTicket(context, job.data.maskImportId));
  });
  await boss.work<DatasetImportTicket>(QUEUE.DATASET_IMPORT, options, async ([job]) => {
    if (job) await track(handleDatasetImportTicket(context, job.data.datasetImportId));
  });
  await boss.work<PredictionTicket>(QUEUE.PREDICT, options, async ([job]) => {
    if (job) await track(handlePredictionTicket(context, job.data.predictionId));
  });
  const reaper = startReaper(prisma, boss, config, log);
  const presence = await startWorkerPresence(
    prisma,
    id,
    { intervalMs: config.worker.heartbeatMs, staleMs: config.worker.staleMs },
    log,
  );
  log(`worker ${id} ready (data in ${config.dataDir})`);

  let stopping: Promise<void> | null = null;
  return {
    id,
    stop: () =>
      (stopping ??= (async () => {
        context.stopping = true;
        reaper.stop();
        await presence.stop();
        await boss.offWork(QUEUE.RUN);
        await boss.offWork(QUEUE.EVALUATE);
        await boss.offWork(QUEUE.EXPORT);
        await boss.offWork(QUEUE.MASK_IMPORT);
        await boss.offWork(QUEUE.DATASET_IMPORT);
        await boss.offWork(QUEUE.PREDICT);
        await webhooks.stop();
        for (const controller of context.running.values()) controller.abort();
        // An aborted run stops within a training step, checkpoints, and is queued again before this resolves.
        await Promise.allSettled([...inFlight]);
        await boss.stop({ graceful: true, wait: true, timeout: 60_000 });
        await control.end().catch(() => {});
        await events.end();
        await prisma.$disconnect();
      })()),
  };
}

async function main(): Promise<void> {
  const log = (line: string) => console.log(`[worker] ${line}`);
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new EnvironmentError(
      'DATABASE_URL is not set: point it at the platform database (`npm run serve -w api` prints it)',
    );
  }
  // Before anything starts threads: they inherit the priority (cpu-share.ts).
  log(`CPU share: ${applyCpuShare(cpuShareFromEnv())}`);
  const worker = await startWorker(loadConfig(), url, log);
  const stop = (signal: string) => {
    log(`${signal}: finishing (runs in progress are checkpointed and queued again)`);
    worker.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM')).once('SIGINT', () => stop('SIGINT'));
}

if (require.main === module) {
  main().catch(exitOnError);
}
