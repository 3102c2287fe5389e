import type { PrismaClient } from '@prisma/client';

import type { PageColumns, Reads, ResultRow } from '../../db/reads';
import { checkPageSize, decodeCursor, toConnection, type ConnectionValue } from '../../graphql/connection';
import { BadInputError } from '../../graphql/errors';
import { loadOrNull, type Loaders } from '../../graphql/loaders';
import { ResultOrder, type ResultFilter } from './result.input';

export class ResultService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly reads: Reads,
    private readonly maxPageSize: number,
  ) {}

  /**
   * One result, or null when there is none. Through the request's loader, so that a query asking for several
   * results by id (aliases) reads them in one statement, and one it also reaches another way is read once.
   */
  byId(id: string, loaders: Loaders): Promise<ResultRow | null> {
    return loadOrNull(loaders.result, id);
  }

  /**
   * A page of a run's results by score: one statement that walks the (runId, score, id) index from the cursor
   * and joins each result's image and current mask (the columns `columns` names), which the rows carry, so the
   * page's `image { currentMask }` costs nothing more. The unfiltered total is the run's own count: a page
   * never counts 100 000 rows.
   */
  async list(
    run: { id: string; resultCount: number },
    first: number,
    after: string | null | undefined,
    order: ResultOrder,
    filter: ResultFilter | null | undefined,
    columns: PageColumns,
  ): Promise<ConnectionValue<ResultRow>> {
    checkPageSize(first, this.maxPageSize);
    const cursor = after ? decodeCursor(after) : null;
    if (cursor && typeof cursor.value !== 'number')
      throw new BadInputError('after is not a cursor from this list', 'after');
    const rows = await this.reads.resultPage({
      runId: run.id,
      direction: order === ResultOrder.SCORE_ASC ? 'asc' : 'desc',
      cursor: cursor ? { score: cursor.value as number, id: cursor.id } : null,
      take: first + 1,
      label: filter?.label,
      defectType: filter?.defectType,
      columns,
    });
    const filtered = Boolean(filter?.label || filter?.defectType);
    const total = () =>
      filtered
        ? this.prisma.result.count({
            where: {
              runId: run.id,
              image: {
                ...(filter?.label ? { label: filter.label } : {}),
                ...(filter?.defectType ? { defectType: filter.defectType } : {}),
              },
            },
          })
        : run.resultCount;
    return toConnection(rows, first, after, (result) => result.score, total);
  }
}
