import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { Prisma, type PrismaClient } from '@prisma/client';

import type { Viewer } from '../auth/viewer';
import { DEFAULT_UPLOAD_RETENTION_HOURS } from '../config';
import { BadInputError, FailedPreconditionError, NotFoundError, PayloadTooLargeError } from '../graphql/errors';
import { isUuid } from '../graphql/ids';
import { DB_NOW } from './garbage';
import type { FileStore } from './store';

const ZIP_SIGNATURES = [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('PK\x05\x06', 'latin1')];

/** How long a claim holds an upload without renewal; a live attempt renews it every CLAIM_RENEW_MS. */
const CLAIM_TTL_MS = 5 * 60_000;
const CLAIM_RENEW_MS = 60_000;
const claimExpiry = Prisma.sql`${DB_NOW} + ${CLAIM_TTL_MS}::float8 * interval '1 millisecond'`;

/**
 * The SQL condition "this upload has expired": sent more than `retentionMs` ago (VAD_UPLOAD_RETENTION_HOURS), by
 * the database's clock. An expired upload is never claimed, and its zip is removed once no claim holds it
 * (jobs/file-expiry.ts).
 */
export function uploadExpired(retentionMs: number): Prisma.Sql {
  return Prisma.sql`"createdAt" <= ${DB_NOW} - ${retentionMs}::float8 * interval '1 millisecond'`;
}

/**
 * Zips sent to POST /uploads. The body streams to disk under a size limit (never into memory); importDataset
 * later claims the upload by id (only its uploader or an admin may) and consumes it when its import commits.
 */
export class UploadService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: FileStore,
    private readonly maxBytes: number,
    /** How long an upload may wait for its import (config.retention.uploadMs, VAD_UPLOAD_RETENTION_HOURS). */
    private readonly retentionMs: number = DEFAULT_UPLOAD_RETENTION_HOURS * 3_600_000,
  ) {}

  fileOf(id: string): string {
    return path.join(this.store.uploadsDir, `${id}.zip`);
  }

  async receive(viewer: Viewer, request: IncomingMessage, fileName: string): Promise<{ id: string; byteSize: number }> {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxBytes) {
      throw new PayloadTooLargeError(
        `the upload is ${declared} bytes; the limit is ${this.maxBytes} (VAD_MAX_UPLOAD_BYTES)`,
      );
    }
    const upload = await this.prisma.upload.create({ data: { userId: viewer.user.id, fileName, byteSize: 0 } });
    const file = this.fileOf(upload.id);
    await mkdir(this.store.uploadsDir, { recursive: true });
    let size = 0;
    let head = Buffer.alloc(0);
    const limit = this.maxBytes;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (head.length < 4) head = Buffer.concat([head, chunk.subarray(0, 4 - head.length)]);
        if (size > limit)
          callback(new PayloadTooLargeError(`the upload is over the limit of ${limit} bytes (VAD_MAX_UPLOAD_BYTES)`));
        else callback(null, chunk);
      },
    });
    try {
      await pipeline(request, meter, createWriteStream(file));
      if (!ZIP_SIGNATURES.some((signature) => head.equals(signature))) {
        throw new BadInputError('the upload is not a zip file');
      }
    } catch (error) {
      await rm(file, { force: true });
      await this.prisma.upload.delete({ where: { id: upload.id } });
      throw error;
    }
    await this.prisma.upload.update({ where: { id: upload.id }, data: { byteSize: size } });
    return { id: upload.id, byteSize: size };
  }

  /**
   * Claims an upload for one import attempt. One attempt holds an upload at a time; the upload is consumed only
   * by the transaction that imports it (UploadClaim.consume), so an attempt that fails or is interrupted leaves
   * it for a retry, and a crashed attempt's claim lapses within CLAIM_TTL_MS. Only its uploader (or an admin)
   * may claim it.
   */
  async claim(viewer: Viewer, id: string): Promise<UploadClaim> {
    const upload = isUuid(id) ? await this.prisma.upload.findUnique({ where: { id } }) : null;
    if (!upload || (upload.userId !== viewer.user.id && viewer.user.role !== 'ADMIN'))
      throw new NotFoundError('Upload', id);
    if (upload.usedAt) throw new FailedPreconditionError(`upload ${id} has already been imported`);
    const token = randomUUID();
    // Not once expired, in the same statement: the expiry removes the zips of unclaimed expired uploads only.
    const claimed = await this.prisma.$executeRaw`
      UPDATE "Upload" SET "claimToken" = ${token}::uuid, "claimedUntil" = ${claimExpiry}
      WHERE id = ${id}::uuid AND "usedAt" IS NULL AND ("claimedUntil" IS NULL OR "claimedUntil" <= ${DB_NOW})
        AND NOT (${uploadExpired(this.retentionMs)})`;
    if (claimed === 0) {
      const now = await this.prisma.upload.findUnique({ where: { id } });
      if (now?.usedAt) throw new FailedPreconditionError(`upload ${id} has already been imported`);
      const [expired] = await this.prisma.$queryRaw<{ expired: boolean }[]>`
        SELECT ${uploadExpired(this.retentionMs)} AS expired FROM "Upload" WHERE id = ${id}::uuid`;
      if (expired?.expired) {
        throw new FailedPreconditionError(
          `upload ${id} expired: uploads not imported within ${formatHours(this.retentionMs)} are removed ` +
            '(VAD_UPLOAD_RETENTION_HOURS); send the zip to POST /uploads again',
          { reason: 'EXPIRED' },
        );
      }
      throw new FailedPreconditionError(
        `upload ${id} is being imported by another request; try again when it has ended`,
      );
    }
    const claim = new UploadClaim(this.prisma, id, this.fileOf(id), upload.fileName, token, this.store.uploadsDir);
    if (!existsSync(claim.file)) {
      await claim.release();
      throw new FailedPreconditionError(`upload ${id} has no zip any more: send it to POST /uploads again`);
    }
    await this.sweep();
    return claim;
  }

  /**
   * Removes what crashed attempts left in the uploads folder: extraction folders that no live claim holds, and
   * zips of uploads already imported (or of no upload). Safe with several servers: what a live attempt uses is
   * named by its claim in the database, which is read after the folder is listed.
   */
  async sweep(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.store.uploadsDir);
    } catch {
      return;
    }
    const ids = [...new Set(names.map((name) => name.split('.')[0]!).filter(isUuid))];
    if (ids.length === 0) return;
    const rows = await this.prisma.$queryRaw<{ id: string; token: string | null; used: boolean; live: boolean }[]>`
      SELECT id::text, "claimToken"::text AS token, "usedAt" IS NOT NULL AS used,
        COALESCE("claimedUntil" > ${DB_NOW}, false) AS live
      FROM "Upload" WHERE id = ANY(${ids}::uuid[])`;
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const name of names) {
      const [id, second, third] = name.split('.');
      const row = byId.get(id!);
      const stale = name.endsWith('.extracted')
        ? !(row && !row.used && row.live && third === 'extracted' && second === row.token)
        : name === `${id}.zip` && isUuid(id!) && (!row || row.used);
      if (stale) await rm(path.join(this.store.uploadsDir, name), { recursive: true, force: true });
    }
  }
}

/** One import attempt's hold on an upload: its zip, the folder it unpacks into, and the claim's renewal. */
export class UploadClaim {
  /** Where this attempt unpacks the zip: its own folder, so that a takeover never shares it. */
  readonly folder: string;
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly prisma: PrismaClient,
    readonly id: string,
    readonly file: string,
    /** The name it was uploaded under (for messages). */
    readonly fileName: string,
    private readonly token: string,
    uploadsDir: string,
  ) {
    this.folder = path.join(uploadsDir, `${id}.${token}.extracted`);
    this.#timer = setInterval(() => void this.#renew().catch(() => {}), CLAIM_RENEW_MS).unref();
  }

  async #renew(): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE "Upload" SET "claimedUntil" = ${claimExpiry} WHERE id = ${this.id}::uuid AND "claimToken" = ${this.token}::uuid`;
  }

  /** In the import's transaction: marks the upload used, if this attempt still holds it. */
  async consume(tx: Prisma.TransactionClient): Promise<void> {
    const used = await tx.upload.updateMany({
      where: { id: this.id, claimToken: this.token, usedAt: null },
      data: { usedAt: new Date(), claimToken: null, claimedUntil: null },
    });
    if (used.count === 0) {
      throw new FailedPreconditionError(
        `upload ${this.id} was taken over by another import while this one ran; nothing was imported`,
      );
    }
  }

  /**
   * Ends the attempt, whatever happened: the unpacked copy goes; the zip goes once the upload is imported, and
   * otherwise stays, unclaimed, for a retry. Never throws.
   */
  async release(): Promise<void> {
    clearInterval(this.#timer);
    try {
      await rm(this.folder, { recursive: true, force: true });
      const upload = await this.prisma.upload.findUnique({ where: { id: this.id }, select: { usedAt: true } });
      if (!upload || upload.usedAt) {
        await rm(this.file, { force: true });
        return;
      }
      await this.prisma.upload.updateMany({
        where: { id: this.id, claimToken: this.token },
        data: { claimToken: null, claimedUntil: null },
      });
    } catch {
      // Never fails the import it ends: the claim lapses, and the next claim's sweep removes what is left.
    }
  }
}

function formatHours(ms: number): string {
  const hours = ms / 3_600_000;
  return hours === 1 ? '1 hour' : `${Math.round(hours * 100) / 100} hours`;
}
