import PgBoss from 'pg-boss';

import { parseDatabaseUrl } from '../db/pg-adapter';

/**
 * The job queue is pg-boss on the platform's own PostgreSQL (schema `pgboss`, which pg-boss creates and
 * migrates itself). A job is only a ticket that wakes a worker: the Run / Evaluation row is the truth, and a
 * worker claims it with a conditional update, so a duplicate, late or retried ticket does nothing.
 */
export const QUEUE = {
  RUN: 'vad-run',
  EVALUATE: 'vad-evaluate',
  EXPORT: 'vad-export',
  MASK_IMPORT: 'vad-mask-import',
  DATASET_IMPORT: 'vad-dataset-import',
  PREDICT: 'vad-predict',
  /** One webhook delivery; unlike the others it is retried by pg-boss (webhook-dispatcher.ts). */
  WEBHOOK: 'vad-webhook',
} as const;

export interface RunTicket {
  runId: string;
}

export interface EvaluateTicket {
  evaluationId: string;
}

/** exportRun, exportMasks (export-job.ts). */
export interface ExportTicket {
  exportId: string;
}

/** importMasks (mask-import-job.ts). */
export interface MaskImportTicket {
  maskImportId: string;
}

/** startDatasetImport (modules/dataset/dataset-import.job.ts). */
export interface DatasetImportTicket {
  datasetImportId: string;
}

/** predict (prediction-job.ts). */
export interface PredictionTicket {
  predictionId: string;
}

/** A webhook delivery (webhook-delivery-job.ts); the job's id is the delivery's jobId. */
export interface WebhookTicket {
  deliveryId: string;
}

export interface QueueOptions {
  /** Run pg-boss maintenance (expiry, archiving) in this process: workers do, API servers need not. */
  supervise: boolean;
  log?: (line: string) => void;
}

/** pg-boss caps how long a job may stay active below 24 h; a longer run keeps going (its row is the truth). */
const EXPIRE_SECONDS = 23 * 3600;

export async function startQueue(url: string, options: QueueOptions): Promise<PgBoss> {
  const boss = new PgBoss({
    ...parseDatabaseUrl(url),
    max: 3,
    schema: 'pgboss',
    supervise: options.supervise,
    schedule: false,
    migrate: true,
  });
  boss.on('error', (error) => options.log?.(`queue: ${error.message}`));
  await boss.start();
  for (const name of Object.values(QUEUE)) {
    // Retries are the platform's business (attempts on the Run row), not pg-boss's: a failed ticket stays failed.
    await boss.createQueue(name, { name, retryLimit: 0, expireInSeconds: EXPIRE_SECONDS });
  }
  return boss;
}

export async function sendRunTicket(boss: PgBoss, runId: string, delaySeconds = 0): Promise<string | null> {
  return boss.send(QUEUE.RUN, { runId } satisfies RunTicket, {
    retryLimit: 0,
    expireInSeconds: EXPIRE_SECONDS,
    ...(delaySeconds > 0 ? { startAfter: delaySeconds } : {}),
  });
}

export async function sendEvaluateTicket(boss: PgBoss, evaluationId: string): Promise<string | null> {
  return boss.send(QUEUE.EVALUATE, { evaluationId } satisfies EvaluateTicket, {
    retryLimit: 0,
    expireInSeconds: EXPIRE_SECONDS,
  });
}

export async function sendExportTicket(boss: PgBoss, exportId: string): Promise<string | null> {
  return boss.send(QUEUE.EXPORT, { exportId } satisfies ExportTicket, {
    retryLimit: 0,
    expireInSeconds: EXPIRE_SECONDS,
  });
}

export async function sendMaskImportTicket(
  boss: PgBoss,
  maskImportId: string,
  delaySeconds = 0,
): Promise<string | null> {
  return boss.send(QUEUE.MASK_IMPORT, { maskImportId } satisfies MaskImportTicket, {
    retryLimit: 0,
    expireInSeconds: EXPIRE_SECONDS,
    ...(delaySeconds > 0 ? { startAfter: delaySeconds } : {}),
  });
}

export async function sendDatasetImportTicket(
  boss: PgBoss,
  datasetImportId: string,
  delaySeconds = 0,
): Promise<string | null> {
  return boss.send(QUEUE.DATASET_IMPORT, { datasetImportId } satisfies DatasetImportTicket, {
    retryLimit: 0,
    expireInSeconds: EXPIRE_SECONDS,
    ...(delaySeconds > 0 ? { startAfter: delaySeconds } : {}),
  });
}

export async function sendPredictionTicket(
  boss: PgBoss,
  predictionId: string,
  delaySeconds = 0,
): Promise<string | null> {
  return boss.send(QUEUE.PREDICT, { predictionId } satisfies PredictionTicket, {
    retryLimit: 0,
    expireInSeconds: EXPIRE_SECONDS,
    ...(delaySeconds > 0 ? { startAfter: delaySeconds } : {}),
  });
}

/** Cancellation reaches workers through this NOTIFY channel (and, as a fallback, their heartbeat reads). */
export const CONTROL_CHANNEL = 'vad_control';

export interface ControlMessage {
  cancelRun: string;
}
