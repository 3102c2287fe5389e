import type { Prisma, PrismaClient, Result } from '@prisma/client';

import { checkPageSize, decodeCursor, keysetWhere, toConnection, type ConnectionValue } from '../../graphql/connection';
import { ResultOrder, type ResultFilter } from './result.input';

export class ResultService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly maxPageSize: number,
  ) {}

  /**
   * A page of a run's results by score: one indexed range scan on (runId, score, id). The unfiltered total is
   * the run's own count, so a page never counts 100 000 rows.
   */
  async list(
    run: { id: string; resultCount: number },
    first: number,
    after: string | null | undefined,
    order: ResultOrder,
    filter: ResultFilter | null | undefined,
  ): Promise<ConnectionValue<Result>> {
    checkPageSize(first, this.maxPageSize);
    const cursor = after ? decodeCursor(after) : null;
    const direction = order === ResultOrder.SCORE_ASC ? 'asc' : 'desc';
    const image: Prisma.ImageWhereInput = {
      ...(filter?.label ? { label: filter.label } : {}),
      ...(filter?.defectType ? { defectType: filter.defectType } : {}),
    };
    const filtered = Object.keys(image).length > 0;
    const where: Prisma.ResultWhereInput = { runId: run.id, ...(filtered ? { image } : {}) };
    const rows = await this.prisma.result.findMany({
      where: cursor ? { AND: [where, keysetWhere('score', direction, cursor)] } : where,
      orderBy: [{ score: direction }, { id: direction }],
      take: first + 1,
    });
    const total = () => (filtered ? this.prisma.result.count({ where }) : run.resultCount);
    return toConnection(rows, first, after, (row) => row.score, total);
  }
}
