import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { PrismaClient } from '@prisma/client';

import type { Viewer } from '../auth/viewer';
import { BadInputError, FailedPreconditionError, NotFoundError, PayloadTooLargeError } from '../graphql/errors';
import { isUuid } from '../graphql/ids';
import type { FileStore } from './store';

const ZIP_SIGNATURES = [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('PK\x05\x06', 'latin1')];

/**
 * Zips sent to POST /uploads. The body streams to disk under a size limit (never into memory); importDataset
 * later consumes the upload once, by id, and only its uploader (or an admin) may.
 */
export class UploadService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: FileStore,
    private readonly maxBytes: number,
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

  /** Claims an upload for an import: returns its zip file; a second claim fails. */
  /** Claims an upload for one import: its file, and the name it was uploaded under (for messages). */
  async take(viewer: Viewer, id: string): Promise<{ file: string; fileName: string }> {
    const upload = isUuid(id) ? await this.prisma.upload.findUnique({ where: { id } }) : null;
    if (!upload || (upload.userId !== viewer.user.id && viewer.user.role !== 'ADMIN'))
      throw new NotFoundError('Upload', id);
    const claimed = await this.prisma.upload.updateMany({ where: { id, usedAt: null }, data: { usedAt: new Date() } });
    if (claimed.count === 0) throw new FailedPreconditionError(`upload ${id} has already been imported`);
    return { file: this.fileOf(id), fileName: upload.fileName };
  }

  async discard(id: string): Promise<void> {
    await rm(this.fileOf(id), { force: true });
  }
}
