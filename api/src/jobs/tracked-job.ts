import type { Prisma, PrismaClient } from '@prisma/client';
import type PgBoss from 'pg-boss';

import type { Config } from '../config';
import { withoutServerPaths } from '../graphql/server-paths';
import {
  emitDatasetImportJobEvent,
  emitExportEvent,
  emitMaskImportEvent,
  type Db,
} from '../modules/webhook/webhook.events';
import { claimFields, JobLease } from './job-lease';
import { Throttle } from './progress';
import { sendDatasetImportTicket, sendExportTicket, sendMaskImportTicket, sendPredictionTicket } from './queue';
import type { WorkerContext } from './run-job';

/**
 * What exports and mask imports share of their rows (status, attempt, workerId, heartbeatAt, progress, phase,
 * error, startedAt, finishedAt): Prisma's delegates of the two tables, seen through this one shape.
 */
interface JobTable {
  updateMany(args: { where: Record<string, unknown>; data: Record<string, unknown> }): Promise<{ count: number }>;
  findMany(args: {
    where: Record<string, unknown>;
    select: { id: true; attempt: true; heartbeatAt: true };
  }): Promise<{ id: string; attempt: number; heartbeatAt: Date | null }[]>;
}

export type JobKind = 'export' | 'maskImport' | 'datasetImport' | 'prediction';

/**
 * The webhook event of a job's end (run_export, mask_export, mask_import or dataset_import, succeeded or failed).
 */
function emitEnd(db: Db, kind: JobKind, id: string, config: Config): Promise<void> {
  if (kind === 'export') return emitExportEvent(db, id, config.publicUrl);
  if (kind === 'maskImport') return emitMaskImportEvent(db, id);
  if (kind === 'datasetImport') return emitDatasetImportJobEvent(db, id);
  // Predictions have no webhook event: whoever asked follows predictionProgress.
  return Promise.resolve();
}

function tableOf(prisma: PrismaClient | Prisma.TransactionClient, kind: JobKind): JobTable {
  const tables = {
    export: prisma.export,
    maskImport: prisma.maskImport,
    datasetImport: prisma.datasetImport,
    prediction: prisma.prediction,
  };
  return tables[kind] as unknown as JobTable;
}

/** A job stopped by the worker's shutdown: it goes back to the queue for another worker, not to FAILED. */
export class HandedBack extends Error {
  override name = 'HandedBack';
}

/**
 * One export or mask import held by this worker: claimed like an evaluation (a conditional update on its QUEUED
 * row, so a duplicate or late ticket does nothing), kept with a heartbeat, its progress written at most twice a
 * second and announced to subscribers, and ended SUCCEEDED, FAILED or back in the queue. Every write names this
 * worker, so a worker presumed dead that comes back changes nothing.
 */
export class TrackedJob {
  readonly lease: JobLease;
  readonly #table: JobTable;
  readonly #mine: Record<string, unknown>;
  readonly #throttle: Throttle;
  #progress = 0;
  #phase = 'starting';

  private constructor(
    private readonly context: WorkerContext,
    private readonly kind: JobKind,
    readonly id: string,
    /** Sends the job's event (subscribers read the row). */
    private readonly announce: () => Promise<void>,
  ) {
    this.#table = tableOf(context.prisma, kind);
    this.#mine = { id, workerId: context.workerId, status: 'RUNNING' };
    this.lease = new JobLease(
      async () => ({
        held: (await this.#table.updateMany({ where: this.#mine, data: { heartbeatAt: new Date() } })).count > 0,
      }),
      context.config.worker.heartbeatMs,
      (line) => context.log(`${kind} ${id}: ${line}`),
    );
    this.#throttle = new Throttle(500, async () => {
      const written = await this.#table.updateMany({
        where: this.#mine,
        data: { progress: this.#progress, phase: this.#phase },
      });
      this.lease.record({ held: written.count > 0 });
      await this.announce().catch(() => {});
    });
  }

  /** Claims the row if it is still QUEUED at the attempt read; null when another worker has it or it is done. */
  static async claim(
    context: WorkerContext,
    kind: JobKind,
    row: { id: string; status: string; attempt: number },
    announce: () => Promise<void>,
  ): Promise<TrackedJob | null> {
    if (row.status !== 'QUEUED') return null;
    const claimed = await tableOf(context.prisma, kind).updateMany({
      where: { id: row.id, status: 'QUEUED', attempt: row.attempt },
      data: { ...claimFields(row.attempt, context.workerId), startedAt: new Date(), phase: 'starting', error: null },
    });
    if (claimed.count === 0) return null;
    const job = new TrackedJob(context, kind, row.id, announce);
    await announce().catch(() => {});
    return job;
  }

  get signal(): AbortSignal {
    return this.lease.signal;
  }

  /** Progress (0..1) and what is being done; written within half a second, at once when `urgent`. */
  report(progress: number, phase: string, urgent = false): void {
    this.#progress = Math.min(1, Math.max(0, progress));
    this.#phase = phase;
    this.#throttle.request(urgent);
  }

  /**
   * Ends the job SUCCEEDED with `data` set, if it is still this worker's; inside `tx`, the transaction that writes
   * what the job made, so that a job taken over meanwhile writes nothing.
   */
  async succeed(data: Record<string, unknown>, tx?: Prisma.TransactionClient): Promise<boolean> {
    await this.#throttle.settle();
    const table = tx ? tableOf(tx, this.kind) : this.#table;
    const done = await table.updateMany({
      where: this.#mine,
      data: { ...data, status: 'SUCCEEDED', progress: 1, phase: 'done', finishedAt: new Date(), workerId: null },
    });
    if (done.count === 1) await emitEnd(tx ?? this.context.prisma, this.kind, this.id, this.context.config);
    return done.count === 1;
  }

  /** Ends the job FAILED with the message (server paths left out), if it is still this worker's. */
  async fail(message: string): Promise<void> {
    await this.#throttle.settle();
    const failed = await this.#table.updateMany({
      where: this.#mine,
      data: {
        status: 'FAILED',
        phase: 'failed',
        error: withoutServerPaths(message),
        finishedAt: new Date(),
        workerId: null,
      },
    });
    if (failed.count === 1) await emitEnd(this.context.prisma, this.kind, this.id, this.context.config);
  }

  /**
   * Puts the job back in the queue for another try (a shutdown, or something it waits for), not counting this
   * attempt, with a new ticket after `delaySeconds`.
   */
  async handBack(phase: string, delaySeconds = 0): Promise<void> {
    await this.#throttle.settle();
    const back = await this.#table.updateMany({
      where: this.#mine,
      data: { status: 'QUEUED', phase, workerId: null, attempt: { decrement: 1 } },
    });
    if (back.count === 1) await sendTicket(this.context.boss, this.kind, this.id, delaySeconds);
  }

  /** Stops the heartbeat and announces the final state. */
  async release(): Promise<void> {
    this.lease.release();
    await this.#throttle.settle();
    await this.announce().catch(() => {});
  }
}

function sendTicket(boss: PgBoss, kind: JobKind, id: string, delaySeconds = 0): Promise<string | null> {
  if (kind === 'prediction') return sendPredictionTicket(boss, id, delaySeconds);
  if (kind === 'datasetImport') return sendDatasetImportTicket(boss, id, delaySeconds);
  return kind === 'export' ? sendExportTicket(boss, id) : sendMaskImportTicket(boss, id, delaySeconds);
}

/**
 * Exports and mask imports whose worker stopped proving it is alive go back to the queue (each try starts over:
 * a half-made zip is thrown away, a mask import writes everything in one transaction), or fail once out of
 * attempts. Conditional on the stale heartbeat, like the reaping of runs, so any number of reapers agree.
 */
export async function reapLostTrackedJobs(
  prisma: PrismaClient,
  boss: PgBoss,
  config: Config,
): Promise<{ kind: JobKind; id: string; requeued: boolean }[]> {
  const threshold = new Date(Date.now() - config.worker.staleMs);
  const reaped: { kind: JobKind; id: string; requeued: boolean }[] = [];
  for (const kind of ['export', 'maskImport', 'datasetImport', 'prediction'] as const) {
    const table = tableOf(prisma, kind);
    const stale = await table.findMany({
      where: { status: 'RUNNING', heartbeatAt: { lt: threshold } },
      select: { id: true, attempt: true, heartbeatAt: true },
    });
    for (const row of stale) {
      const unchanged = { id: row.id, status: 'RUNNING', heartbeatAt: row.heartbeatAt };
      const requeue = row.attempt < config.worker.maxAttempts;
      const done = await table.updateMany({
        where: unchanged,
        data: requeue
          ? { status: 'QUEUED', phase: 'waiting for a worker (the previous one stopped responding)', workerId: null }
          : {
              status: 'FAILED',
              phase: 'failed',
              error: `its worker stopped responding on attempt ${row.attempt} of ${config.worker.maxAttempts}`,
              finishedAt: new Date(),
              workerId: null,
            },
      });
      if (done.count !== 1) continue;
      if (requeue) await sendTicket(boss, kind, row.id);
      else await emitEnd(prisma, kind, row.id, config);
      reaped.push({ kind, id: row.id, requeued: requeue });
    }
  }
  return reaped;
}
