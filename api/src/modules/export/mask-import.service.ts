import type { MaskImport, MaskImportFormat, PrismaClient } from '@prisma/client';
import type PgBoss from 'pg-boss';

import type { Viewer } from '../../auth/viewer';
import { FailedPreconditionError, NotFoundError } from '../../graphql/errors';
import { checkId, isUuid } from '../../graphql/ids';
import { sendMaskImportTicket } from '../../jobs/queue';

/** importMasks: queues a MaskImport for a worker (jobs/mask-import-job.ts), which reads the zip and adds versions. */
export class MaskImportService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly boss: PgBoss,
  ) {}

  async byId(id: string): Promise<MaskImport | null> {
    if (!isUuid(id)) return null;
    return this.prisma.maskImport.findUnique({ where: { id } });
  }

  /**
   * Checks what can be checked now (the dataset, the upload: its uploader or an admin, not yet imported) and queues
   * the job; the files are read by the worker, whose error names any file at fault.
   */
  async start(
    viewer: Viewer,
    datasetId: string,
    uploadId: string,
    format: MaskImportFormat | null,
    approve: boolean,
  ): Promise<MaskImport> {
    checkId(datasetId, 'Dataset');
    const dataset = await this.prisma.dataset.findUnique({ where: { id: datasetId }, select: { id: true } });
    if (!dataset) throw new NotFoundError('Dataset', datasetId);
    const upload = isUuid(uploadId) ? await this.prisma.upload.findUnique({ where: { id: uploadId } }) : null;
    if (!upload || (upload.userId !== viewer.user.id && viewer.user.role !== 'ADMIN')) {
      throw new NotFoundError('Upload', uploadId);
    }
    if (upload.usedAt) throw new FailedPreconditionError(`upload ${uploadId} has already been imported`);
    const created = await this.prisma.maskImport.create({
      data: {
        datasetId,
        uploadId,
        fileName: upload.fileName,
        requested: format,
        approve,
        createdById: viewer.user.id,
      },
    });
    await sendMaskImportTicket(this.boss, created.id);
    return created;
  }
}
