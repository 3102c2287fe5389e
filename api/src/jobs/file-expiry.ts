import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';

import type { PrismaClient } from '@prisma/client';

import type { Config } from '../config';
import { DB_NOW } from '../files/garbage';
import type { FileStore } from '../files/store';
import { uploadExpired } from '../files/upload';
import { isUuid } from '../graphql/ids';
import { exportsDir } from '../files/exports';

/** How often the reapers of API servers and workers look for expired files (each look lists two folders). */
export const EXPIRY_INTERVAL_MS = 60_000;

export type Retention = Config['retention'];

/** When an export's zip expires: `retention.exportMs` after it was made; null until it SUCCEEDED. */
export function exportExpiresAt(
  exported: { status: string; finishedAt: Date | null },
  retention: Retention,
): Date | null {
  if (exported.status !== 'SUCCEEDED' || !exported.finishedAt) return null;
  return new Date(exported.finishedAt.getTime() + retention.exportMs);
}

export interface Expired {
  /** Uploads whose zip was removed, never imported. */
  uploads: string[];
  /** Exports whose zip was removed. */
  exports: string[];
}

/**
 * Removes the zips nobody will use: uploads never imported, older than VAD_UPLOAD_RETENTION_HOURS and not held by
 * an import (an attempt's claim is its lease: a claimed upload is kept until the claim ends or lapses, and no
 * attempt can claim an expired one, upload.ts), and exports' zips older than VAD_EXPORT_RETENTION_HOURS (a
 * download under way keeps reading the removed file to its end). Rows stay, so that their ids answer "expired"
 * rather than "no such thing". Only files on disk are looked up, so an expired row costs nothing once its file
 * is gone. Safe with several servers and workers doing it at once (removing a removed file is nothing).
 */
export async function expireFiles(prisma: PrismaClient, store: FileStore, retention: Retention): Promise<Expired> {
  const expired: Expired = { uploads: [], exports: [] };

  const uploadIds = await idsOfFiles(store.uploadsDir, '.zip');
  if (uploadIds.length > 0) {
    const rows = await prisma.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM "Upload"
      WHERE id = ANY(${uploadIds}::uuid[]) AND "usedAt" IS NULL AND ${uploadExpired(retention.uploadMs)}
        AND ("claimedUntil" IS NULL OR "claimedUntil" <= ${DB_NOW})`;
    for (const { id } of rows) {
      await rm(path.join(store.uploadsDir, `${id}.zip`), { force: true });
      expired.uploads.push(id);
    }
  }

  const exportIds = await idsOfFiles(exportsDir(store), '.zip');
  if (exportIds.length > 0) {
    const rows = await prisma.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM "Export"
      WHERE id = ANY(${exportIds}::uuid[]) AND status = 'SUCCEEDED'
        AND "finishedAt" <= ${DB_NOW} - ${retention.exportMs}::float8 * interval '1 millisecond'`;
    for (const { id } of rows) {
      await rm(path.join(exportsDir(store), `${id}.zip`), { force: true });
      expired.exports.push(id);
    }
  }
  return expired;
}

/** The ids of `<uuid><suffix>` files in a folder (none when it does not exist yet). */
async function idsOfFiles(folder: string, suffix: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  return names
    .filter((name) => name.endsWith(suffix))
    .map((name) => name.slice(0, -suffix.length))
    .filter(isUuid);
}
