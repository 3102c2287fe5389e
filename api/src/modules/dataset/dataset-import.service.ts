import type { DatasetImport, PrismaClient } from '@prisma/client';
import type PgBoss from 'pg-boss';

import type { Viewer } from '../../auth/viewer';
import { isUuid } from '../../graphql/ids';
import { sendDatasetImportTicket } from '../../jobs/queue';
import type { DatasetService } from './dataset.service';
import type { ImportDatasetInput } from './dataset.input';

/** startDatasetImport: queues a DatasetImport for a worker (dataset-import.job.ts), which runs importDataset. */
export class DatasetImportService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly boss: PgBoss,
    private readonly datasets: DatasetService,
  ) {}

  async byId(id: string): Promise<DatasetImport | null> {
    if (!isUuid(id)) return null;
    return this.prisma.datasetImport.findUnique({ where: { id } });
  }

  /**
   * Refuses now, with importDataset's errors, what can be found out cheaply (the source, the dataset to fill, a
   * taken name), and queues the rest: the files are read by the worker, whose error names any file at fault.
   */
  async start(viewer: Viewer, input: ImportDatasetInput): Promise<DatasetImport> {
    const { source } = await this.datasets.checkImport(viewer, input);
    const created = await this.prisma.datasetImport.create({
      data: {
        path: input.path ?? null,
        uploadId: input.uploadId ?? null,
        intoDatasetId: input.datasetId ?? null,
        name: input.name?.trim() || null,
        description: input.description ?? null,
        source,
        createdById: viewer.user.id,
      },
    });
    await sendDatasetImportTicket(this.boss, created.id);
    return created;
  }
}
