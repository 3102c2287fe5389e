import type { Export, ExportKind, MaskSelection, PrismaClient } from '@prisma/client';
import type PgBoss from 'pg-boss';

import type { Viewer } from '../../auth/viewer';
import { keysetPage, type ConnectionValue, type PageRequest } from '../../graphql/connection';
import { BadInputError, FailedPreconditionError, NotFoundError } from '../../graphql/errors';
import { checkId, isUuid } from '../../graphql/ids';
import { sendExportTicket } from '../../jobs/queue';

/** exportRun and exportMasks: each queues an Export for a worker (jobs/export-job.ts), which makes the zip. */
export class ExportService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly boss: PgBoss,
    private readonly maxPageSize: number,
  ) {}

  /** A page of exports, newest first: a run's, a dataset's (its mask exports and its runs'), or all. */
  async list(
    scope: { runId: string | null; datasetId: string | null; kind: ExportKind | null },
    page: PageRequest,
  ): Promise<ConnectionValue<Export>> {
    for (const [field, id] of Object.entries({ runId: scope.runId, datasetId: scope.datasetId })) {
      if (id != null && !isUuid(id)) throw new BadInputError(`${field} "${id}" is not an id`, field);
    }
    return keysetPage(this.prisma.export, {
      where: {
        ...(scope.runId ? { runId: scope.runId } : {}),
        ...(scope.datasetId ? { datasetId: scope.datasetId } : {}),
        ...(scope.kind ? { kind: scope.kind } : {}),
      },
      field: 'createdAt',
      direction: 'desc',
      ...page,
      maxPageSize: this.maxPageSize,
    });
  }

  async byId(id: string): Promise<Export | null> {
    if (!isUuid(id)) return null;
    return this.prisma.export.findUnique({ where: { id } });
  }

  async exportRun(viewer: Viewer, runId: string): Promise<Export> {
    checkId(runId, 'Run');
    const run = await this.prisma.run.findUnique({ where: { id: runId }, select: { status: true, datasetId: true } });
    if (!run) throw new NotFoundError('Run', runId);
    if (run.status !== 'SUCCEEDED') {
      throw new FailedPreconditionError(`run ${runId} is ${run.status}: only succeeded runs have results to export`, {
        status: run.status,
      });
    }
    return this.#queue({ kind: 'RUN', runId, datasetId: run.datasetId, createdById: viewer.user.id });
  }

  async exportMasks(viewer: Viewer, datasetId: string, which: MaskSelection): Promise<Export> {
    checkId(datasetId, 'Dataset');
    const dataset = await this.prisma.dataset.findUnique({ where: { id: datasetId }, select: { id: true } });
    if (!dataset) throw new NotFoundError('Dataset', datasetId);
    return this.#queue({ kind: 'MASKS', datasetId, masks: which, createdById: viewer.user.id });
  }

  async #queue(data: Parameters<PrismaClient['export']['create']>[0]['data']): Promise<Export> {
    const created = await this.prisma.export.create({ data });
    await sendExportTicket(this.boss, created.id);
    return created;
  }
}
