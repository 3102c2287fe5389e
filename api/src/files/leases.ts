import { randomUUID } from 'node:crypto';

import type { Prisma, PrismaClient } from '@prisma/client';

import { ConflictError } from '../graphql/errors';
import { collectGarbage, DB_NOW, STORE_LOCK } from './garbage';
import { FileStore } from './store';

export interface LeaseTiming {
  /** How long a lease holds a file without renewal: a crashed holder's files are collectable after it. */
  ttlMs: number;
  /** How often a live holder renews its leases. */
  renewMs: number;
}

export const DEFAULT_LEASE_TIMING: LeaseTiming = { ttlMs: 10 * 60_000, renewMs: 60_000 };

/** Stored files of a holder were collected before its rows committed (its leases lapsed): nothing is written. */
export class LeaseLostError extends ConflictError {}

/**
 * Writes to the file store on behalf of one holder (an import, a mask save, a run's results) whose rows naming
 * the files commit later. Each file is leased before it is looked for or written, and the leases are released
 * in the transaction that writes the rows, so garbage collection (garbage.ts), which runs on other servers as
 * well, never removes a file between its storing and its rows' commit, even a file stored long ago that the
 * holder found already there:
 *
 * 1. put(): under the store's lock (shared), a lease row is committed; then the file is looked for and written
 *    if missing. A collection checks and removes under the same lock (exclusive), so it either saw the lease
 *    (and kept the file) or had finished removing before the lease was taken (and the file is written again).
 * 2. Leases are renewed while the holder works; one that expired may be collected and is then deleted with the
 *    collection that removed its file, never earlier.
 * 3. commit(tx), inside the transaction that writes the rows: under the lock (shared, until that transaction
 *    ends), the holder's leases are deleted. A lease still there proves its file was not removed; the files of
 *    leases that are gone are checked on disk, and a missing one fails the transaction (LeaseLostError).
 * 4. release(), always, after the transaction: leases that are still there (the transaction failed or never
 *    ran) are deleted, and their files collected unless something else names them.
 */
export class FileLease {
  readonly holder = randomUUID();
  readonly #keys = new Set<string>();
  readonly #pending = new Set<Promise<unknown>>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: FileStore,
    private readonly timing: LeaseTiming = DEFAULT_LEASE_TIMING,
  ) {}

  /** Stores bytes under a lease and returns their key. */
  put(bytes: Uint8Array): Promise<string> {
    if (this.#closed) return Promise.reject(new Error('this file lease has been released'));
    const work = this.#put(bytes);
    this.#pending.add(work);
    return work.finally(() => this.#pending.delete(work));
  }

  async #put(bytes: Uint8Array): Promise<string> {
    const key = FileStore.hashOf(bytes);
    await this.prisma.$executeRaw`
      WITH locked AS (SELECT pg_advisory_xact_lock_shared(${STORE_LOCK})::text AS done)
      INSERT INTO "FileLease" (hash, holder, "expiresAt")
      SELECT ${key}, ${this.holder}::uuid, ${DB_NOW} + ${this.timing.ttlMs}::float8 * interval '1 millisecond' FROM locked
      ON CONFLICT (hash, holder) DO UPDATE SET "expiresAt" = EXCLUDED."expiresAt"`;
    this.#keys.add(key);
    this.#timer ??= setInterval(() => void this.#renew().catch(() => {}), this.timing.renewMs).unref();
    await this.store.put(bytes);
    return key;
  }

  async #renew(): Promise<void> {
    await this.prisma.$executeRaw`
      WITH locked AS (SELECT pg_advisory_xact_lock_shared(${STORE_LOCK})::text AS done)
      UPDATE "FileLease" SET "expiresAt" = ${DB_NOW} + ${this.timing.ttlMs}::float8 * interval '1 millisecond'
      FROM locked WHERE holder = ${this.holder}::uuid`;
  }

  /** In the transaction that writes the rows naming the files: gives the leases up as the rows commit. */
  async commit(tx: Prisma.TransactionClient): Promise<void> {
    if (this.#keys.size === 0) return;
    await tx.$queryRaw`SELECT pg_advisory_xact_lock_shared(${STORE_LOCK})::text`;
    const held = await tx.$queryRaw<{ hash: string }[]>`
      DELETE FROM "FileLease" WHERE holder = ${this.holder}::uuid RETURNING hash`;
    const proven = new Set(held.map((row) => row.hash));
    const lost = [...this.#keys].filter((key) => !proven.has(key) && !this.store.has(key));
    if (lost.length > 0) {
      throw new LeaseLostError(
        `${lost.length} stored file(s) were collected while this work ran unrenewed for more than ` +
          `${Math.round(this.timing.ttlMs / 1000)} s; nothing was saved, try again`,
      );
    }
  }

  /**
   * Ends the lease, whatever happened: waits for puts in flight, then deletes the leases a failed or missing
   * commit left and collects their files unless a row or another holder names them. Never throws: leases it
   * could not delete lapse after ttlMs, and the next collection takes their files.
   */
  async release(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await Promise.allSettled([...this.#pending]);
    if (this.#keys.size === 0) return;
    try {
      const left = await this.prisma.$queryRaw<{ hash: string }[]>`
        DELETE FROM "FileLease" WHERE holder = ${this.holder}::uuid RETURNING hash`;
      if (left.length > 0)
        await collectGarbage(
          this.prisma,
          this.store,
          left.map((row) => row.hash),
        );
    } catch {
      // See above: what is left lapses.
    }
  }
}
