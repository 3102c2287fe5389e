import { randomUUID } from 'node:crypto';

import { Prisma, type PrismaClient, type WebhookEventType } from '@prisma/client';

/**
 * Webhook events, written as an outbox: `emitEvent` inserts one delivery per enabled webhook that subscribes to
 * the event, in the transaction of the transition it tells of when it is given one (so an event is written if and
 * only if its transition is), and wakes the workers' dispatcher with a NOTIFY, which PostgreSQL sends on commit.
 * The dispatcher (api/src/jobs/webhook-dispatcher.ts) queues each delivery for the delivery job.
 */
export const WEBHOOK_CHANNEL = 'vad_webhooks';

/** A Prisma client, or the transaction client of the transition being written. */
export type Db = PrismaClient | Prisma.TransactionClient;

/** `RUN_EXPORT_SUCCEEDED` → `run_export.succeeded`: the event's name on the wire (body `type`, X-VAD-Event). */
export function wireName(type: WebhookEventType): string {
  const lower = type.toLowerCase();
  const cut = lower.lastIndexOf('_');
  return `${lower.slice(0, cut)}.${lower.slice(cut + 1)}`;
}

/** Dates as ISO strings and big integers as numbers: what JSON.stringify of the body will send. */
function toJson(value: unknown): Prisma.InputJsonObject {
  return JSON.parse(
    JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? Number(item) : item)),
  ) as Prisma.InputJsonObject;
}

function inTransaction(db: Db): boolean {
  return !('$transaction' in db);
}

/**
 * Runs `write` in the caller's transaction, or else in one of its own. Inside the caller's, a failure fails the
 * transition with it; outside, the transition is already written, so a failure is logged and the event is lost
 * rather than the caller failing after its work is done.
 */
async function within<T>(
  db: Db,
  what: string,
  write: (tx: Prisma.TransactionClient) => Promise<T>,
  none: T,
): Promise<T> {
  if (inTransaction(db)) return write(db as Prisma.TransactionClient);
  try {
    return await (db as PrismaClient).$transaction(write);
  } catch (error) {
    console.error(`webhooks: ${what} was not recorded (${(error as Error).message})`);
    return none;
  }
}

/**
 * Records event `type` with `data` for every enabled webhook subscribed to it (or for `onlyWebhookId`, whatever
 * it subscribes to: sendTestWebhook), and returns the deliveries written.
 */
export function emitEvent(
  db: Db,
  type: WebhookEventType,
  data: Record<string, unknown>,
  onlyWebhookId?: string,
): Promise<string[]> {
  return within(
    db,
    `event ${type}`,
    async (tx) => {
      const webhooks = await tx.webhook.findMany({
        where: onlyWebhookId ? { id: onlyWebhookId } : { enabled: true, events: { has: type } },
        select: { id: true },
      });
      if (webhooks.length === 0) return [];
      const eventId = randomUUID();
      const createdAt = new Date();
      const payload = toJson(data);
      const rows = webhooks.map((webhook) => ({
        id: randomUUID(),
        webhookId: webhook.id,
        eventId,
        eventType: type,
        payload,
        jobId: randomUUID(),
        createdAt,
      }));
      await tx.webhookDelivery.createMany({ data: rows });
      await tx.$executeRaw`SELECT pg_notify(${WEBHOOK_CHANNEL}, ${eventId})`;
      return rows.map((row) => row.id);
    },
    [],
  );
}

// What each kind of event carries under `data`: the object as it is after the transition, read in its transaction.

/**
 * Whether any enabled webhook subscribes to `type` (to any event when `type` is not known before the object is
 * read). Checked before the object is read and a transaction opened, so transitions in a workspace without
 * webhooks cost one count over the (few) webhook rows.
 */
async function anySubscriber(db: Db, type?: WebhookEventType): Promise<boolean> {
  const count = await db.webhook.count({ where: type ? { enabled: true, events: { has: type } } : { enabled: true } });
  return count > 0;
}

/** The event to emit for an object read by `emitFor`, or null when its state tells of none. */
type EventOf<T> = (row: T) => { type: WebhookEventType; data: Record<string, unknown> } | null;

/** Reads the object the event is about with `read` and emits what `eventOf` makes of it, if anyone listens. */
async function emitFor<T>(
  db: Db,
  what: string,
  type: WebhookEventType | undefined,
  read: (tx: Prisma.TransactionClient) => Promise<T | null>,
  eventOf: EventOf<T>,
): Promise<void> {
  const listened = await anySubscriber(db, type).catch((error: Error) => {
    // As `within`: in the caller's transaction the failure is the transition's; outside, the event is lost.
    if (inTransaction(db)) throw error;
    console.error(`webhooks: ${what} was not recorded (${error.message})`);
    return false;
  });
  if (!listened) return;
  await within(
    db,
    what,
    async (tx) => {
      const row = await read(tx);
      const event = row === null ? null : eventOf(row);
      if (event) await emitEvent(tx, event.type, event.data);
    },
    undefined,
  );
}

function ended<T extends { status: string }>(row: T): row is T & { status: 'SUCCEEDED' | 'FAILED' } {
  return row.status === 'SUCCEEDED' || row.status === 'FAILED';
}

/** run.queued, run.started, run.succeeded, run.failed, run.cancelled: `{ run }`. */
export function emitRunEvent(db: Db, type: WebhookEventType, runId: string): Promise<void> {
  return emitFor(
    db,
    `event ${type}`,
    type,
    (tx) =>
      tx.run.findUnique({
        where: { id: runId },
        select: {
          id: true,
          name: true,
          datasetId: true,
          status: true,
          phase: true,
          attempt: true,
          error: true,
          resultCount: true,
          createdById: true,
          createdAt: true,
          startedAt: true,
          finishedAt: true,
        },
      }),
    (run) => ({ type, data: { run } }),
  );
}

/** evaluation.succeeded, evaluation.failed: `{ evaluation }` with its metrics. */
export function emitEvaluationEvent(db: Db, evaluationId: string): Promise<void> {
  return emitFor(
    db,
    `event of evaluation ${evaluationId}`,
    undefined,
    (tx) =>
      tx.evaluation.findUnique({
        where: { id: evaluationId },
        select: {
          id: true,
          runId: true,
          status: true,
          error: true,
          metrics: true,
          createdAt: true,
          startedAt: true,
          finishedAt: true,
        },
      }),
    (evaluation) => (ended(evaluation) ? { type: `EVALUATION_${evaluation.status}`, data: { evaluation } } : null),
  );
}

/**
 * run_export.* and mask_export.*, by the export's kind and status: `{ export }`, with its download path and, when
 * the API's public origin is configured (VAD_PUBLIC_URL: events are written outside any request, so no request's
 * origin can stand in for it), its absolute download URL.
 */
export function emitExportEvent(db: Db, exportId: string, publicUrl: string | null): Promise<void> {
  return emitFor(
    db,
    `event of export ${exportId}`,
    undefined,
    (tx) =>
      tx.export.findUnique({
        where: { id: exportId },
        select: {
          id: true,
          kind: true,
          runId: true,
          datasetId: true,
          masks: true,
          status: true,
          error: true,
          fileCount: true,
          byteSize: true,
          createdAt: true,
          finishedAt: true,
        },
      }),
    (row) => {
      if (!ended(row)) return null;
      const path = row.status === 'SUCCEEDED' ? `/files/exports/${row.id}.zip` : null;
      const downloadUrl = path && publicUrl ? `${publicUrl}${path}` : null;
      return {
        type: `${row.kind === 'RUN' ? 'RUN' : 'MASK'}_EXPORT_${row.status}`,
        data: { export: { ...row, path, downloadUrl } },
      };
    },
  );
}

/** mask_import.succeeded, mask_import.failed: `{ maskImport }`. */
export function emitMaskImportEvent(db: Db, maskImportId: string): Promise<void> {
  return emitFor(
    db,
    `event of mask import ${maskImportId}`,
    undefined,
    (tx) =>
      tx.maskImport.findUnique({
        where: { id: maskImportId },
        select: {
          id: true,
          datasetId: true,
          fileName: true,
          format: true,
          approve: true,
          status: true,
          error: true,
          maskCount: true,
          createdAt: true,
          finishedAt: true,
        },
      }),
    (maskImport) => (ended(maskImport) ? { type: `MASK_IMPORT_${maskImport.status}`, data: { maskImport } } : null),
  );
}

/** mask.submitted, mask.approved, mask.rejected: `{ mask }`, and `{ review }` for a decision. */
export function emitMaskEvent(db: Db, type: WebhookEventType, maskId: string): Promise<void> {
  return emitFor(
    db,
    `event ${type}`,
    type,
    async (tx) => {
      const mask = await tx.mask.findUnique({
        where: { id: maskId },
        select: {
          id: true,
          imageId: true,
          datasetId: true,
          version: true,
          status: true,
          source: true,
          authorId: true,
          defectPixels: true,
          createdAt: true,
        },
      });
      if (!mask || type === 'MASK_SUBMITTED') return mask && { mask };
      const review = await tx.maskReview.findFirst({
        where: { maskId },
        orderBy: { createdAt: 'desc' },
        select: { decision: true, comment: true, reviewerId: true, createdAt: true },
      });
      return review ? { mask, review } : { mask };
    },
    (data) => ({ type, data }),
  );
}

/** dataset_import.succeeded `{ dataset }`, dataset_import.failed `{ dataset: { id, name }, error }`. */
export function emitDatasetImportEvent(db: Db, dataset: { id: string; name: string }, error?: string): Promise<void> {
  const what = `event of dataset import ${dataset.id}`;
  if (error !== undefined) {
    const type = 'DATASET_IMPORT_FAILED';
    return emitFor(
      db,
      what,
      type,
      async () => ({ dataset, error }),
      (data) => ({ type, data }),
    );
  }
  return emitFor(
    db,
    what,
    'DATASET_IMPORT_SUCCEEDED',
    (tx) =>
      tx.dataset.findUnique({
        where: { id: dataset.id },
        select: { id: true, name: true, category: true, layout: true, imageCount: true, createdAt: true },
      }),
    (row) => ({ type: 'DATASET_IMPORT_SUCCEEDED', data: { dataset: row } }),
  );
}

/**
 * The end of a startDatasetImport job: dataset_import.failed as importDataset sends it, with the job's id added
 * (`{ dataset: { id, name }, error, datasetImport: { id } }`, dataset.id being the dataset it was to fill, or the
 * job's id for a new one). Its success was sent by the import's own transaction, as importDataset's is.
 */
export function emitDatasetImportJobEvent(db: Db, datasetImportId: string): Promise<void> {
  return emitFor(
    db,
    `event of dataset import ${datasetImportId}`,
    'DATASET_IMPORT_FAILED',
    (tx) =>
      tx.datasetImport.findUnique({
        where: { id: datasetImportId },
        select: { id: true, intoDatasetId: true, name: true, status: true, error: true },
      }),
    (row) =>
      row.status === 'FAILED'
        ? {
            type: 'DATASET_IMPORT_FAILED',
            data: {
              dataset: { id: row.intoDatasetId ?? row.id, name: row.name ?? '' },
              error: row.error ?? '',
              datasetImport: { id: row.id },
            },
          }
        : null,
  );
}
