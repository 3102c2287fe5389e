import { Prisma, type PrismaClient } from '@prisma/client';

import type { FileStore } from './store';

/**
 * The file store's lock, a PostgreSQL advisory lock (two-key form, so that it cannot meet pg-boss's one-key
 * locks) that every API server and worker sharing the database and the store takes:
 * - garbage collection holds it exclusively from its check that nothing names a file until the removal is done;
 * - writers hold it shared while they take, renew or give up a lease (leases.ts), so that a lease is either
 *   seen by a collection that is checking, or taken after that collection has removed what it removes.
 * Shared holders do not wait for each other; a collection waits for the short statements in flight.
 */
export const STORE_LOCK = Prisma.sql`${0x76616400}::int, 1`;

/** The database's clock as the timestamp(3) columns hold it (UTC, as Prisma writes DateTime). */
export const DB_NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

/** Expired leases looked at per collection: each one's file is collected when nothing else names it. */
const EXPIRED_PER_RUN = 10_000;

/**
 * Removes stored files that no row references and no unexpired lease holds. Content addressing lets datasets
 * share files, so a file goes only when the last image, mask, result or predicted image naming it is gone; a
 * file being written by an import, a mask save or a worker is leased until the rows naming it commit, so it is
 * kept even when it was stored long ago and another dataset's deletion releases the last committed row naming it. Files of
 * leases that expired (their holder died) are collected here too. A file left behind wastes space, a file
 * removed while referenced would lose data, so any doubt keeps the file.
 */
export async function collectGarbage(prisma: PrismaClient, store: FileStore, keys: readonly string[]): Promise<number> {
  const expired = await prisma.$queryRaw<{ hash: string }[]>`
    SELECT DISTINCT hash FROM "FileLease" WHERE "expiresAt" <= ${DB_NOW} LIMIT ${EXPIRED_PER_RUN}`;
  const unique = [...new Set([...keys, ...expired.map((row) => row.hash)])];
  let removed = 0;
  for (let start = 0; start < unique.length; start += 1000) {
    const batch = unique.slice(start, start + 1000);
    removed += await prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT pg_advisory_xact_lock(${STORE_LOCK})::text`;
        // One statement, so one snapshot: a writer's rows and the release of its leases commit together, and
        // this sees either the leases or the rows.
        const unused = await tx.$queryRaw<{ key: string }[]>`
          SELECT candidate.key FROM unnest(${batch}::text[]) AS candidate(key)
          WHERE NOT EXISTS (SELECT 1 FROM "Image" WHERE "contentHash" = candidate.key)
            AND NOT EXISTS (SELECT 1 FROM "Mask" WHERE "contentHash" = candidate.key)
            AND NOT EXISTS (SELECT 1 FROM "Result" WHERE "reconstructionKey" = candidate.key)
            AND NOT EXISTS (
              SELECT 1 FROM "Result"
              WHERE "mapKeys" @> jsonb_build_array(jsonb_build_object('key', candidate.key)))
            AND NOT EXISTS (SELECT 1 FROM "PredictionImage" WHERE "contentHash" = candidate.key)
            AND NOT EXISTS (SELECT 1 FROM "PredictionImage" WHERE "reconstructionKey" = candidate.key)
            AND NOT EXISTS (
              SELECT 1 FROM "PredictionImage"
              WHERE "mapKeys" @> jsonb_build_array(jsonb_build_object('key', candidate.key)))
            AND NOT EXISTS (
              SELECT 1 FROM "FileLease" WHERE hash = candidate.key AND "expiresAt" > ${DB_NOW})`;
        for (const { key } of unused) await store.remove(key);
        // Expired leases go with the collection that saw them: a holder that comes back finds its lease gone
        // and checks its files again before it commits (leases.ts).
        await tx.$executeRaw`DELETE FROM "FileLease" WHERE hash = ANY(${batch}::text[]) AND "expiresAt" <= ${DB_NOW}`;
        return unused.length;
      },
      // The lock must outlive every removal it covers: no timeout ends this transaction while a removal may
      // still be under way (a process that dies closes its connection and removes nothing more).
      { maxWait: 60_000, timeout: 2 ** 31 - 1 },
    );
  }
  return removed;
}
