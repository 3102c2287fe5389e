import { Prisma, type Mask, type PrismaClient } from '@prisma/client';

import type { Viewer } from '../../auth/viewer';
import {
  pageOf,
  pageWindow,
  type ConnectionValue,
  type CursorKey,
  type KeysetSource,
  type PageRequest,
  type Side,
} from '../../graphql/connection';
import { NotFoundError } from '../../graphql/errors';
import { checkId } from '../../graphql/ids';
import type { SettingsService } from '../settings/settings.service';
import { ReviewOrder } from './review.type';

/** Which waiting masks a reviewer sees. */
export interface ReviewScope {
  datasetId?: string | null;
  order: ReviewOrder;
}

/**
 * The review inbox: mask versions waiting for review, i.e. SUBMITTED versions that are still their image's
 * latest (a version superseded by a newer save is nobody's to review). While self-review is not allowed, a
 * reviewer's own masks are left out: they could not act on them.
 */
export class ReviewService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly settings: SettingsService,
    private readonly maxPageSize: number,
  ) {}

  async queue(viewer: Viewer, scope: ReviewScope, page: PageRequest): Promise<ConnectionValue<Mask>> {
    const window = pageWindow(page, this.maxPageSize, 'date');
    return pageOf(this.#source(await this.#where(viewer, scope), scope.order), window);
  }

  /**
   * The waiting mask a reviewer should see after `afterMaskId` (the one just reviewed or skipped) in the queue's
   * order, wrapping round to the start; null when no other mask waits.
   */
  async next(viewer: Viewer, scope: ReviewScope, afterMaskId: string | null | undefined): Promise<Mask | null> {
    const where = await this.#where(viewer, scope);
    if (!afterMaskId) return this.#first(where, scope.order, null);
    checkId(afterMaskId, 'Mask');
    const current = await this.prisma.mask.findUnique({
      where: { id: afterMaskId },
      select: { id: true, createdAt: true },
    });
    if (!current) throw new NotFoundError('Mask', afterMaskId);
    const following = await this.#first(where, scope.order, {
      value: current.createdAt.toISOString(),
      id: current.id,
    });
    return following ?? this.#first(Prisma.sql`${where} AND m.id <> ${current.id}::uuid`, scope.order, null);
  }

  async #where(viewer: Viewer, scope: ReviewScope): Promise<Prisma.Sql> {
    const conditions = [Prisma.sql`m.status = 'SUBMITTED'`];
    if (scope.datasetId) {
      checkId(scope.datasetId, 'Dataset');
      conditions.push(Prisma.sql`m."datasetId" = ${scope.datasetId}::uuid`);
    }
    if (!(await this.settings.workspace()).allowSelfReview) {
      conditions.push(Prisma.sql`m."authorId" IS DISTINCT FROM ${viewer.user.id}::uuid`);
    }
    return Prisma.join(conditions, ' AND ');
  }

  /** The waiting masks as a list pages are cut from (graphql/connection.ts): by submission time, then id. */
  #source(where: Prisma.Sql, order: ReviewOrder): KeysetSource<Mask> {
    const descending = order === ReviewOrder.NEWEST_FIRST;
    // (createdAt, id) on one side of a cursor in the list's order. Timestamps are stored without a zone, in UTC,
    // and the cursor's ISO text is read back the same way.
    const beyond = (key: CursorKey, side: Side, inclusive: boolean): Prisma.Sql => {
      const ahead = descending === (side === 'after') ? '<' : '>';
      const operator = Prisma.raw(inclusive ? `${ahead}=` : ahead);
      return Prisma.sql`(m."createdAt", m.id) ${operator} (${String(key.value)}::timestamp, ${key.id}::uuid)`;
    };
    const from = Prisma.sql`FROM "Mask" AS m JOIN "Image" AS i ON i."currentMaskId" = m.id`;
    return {
      rows: ({ after, before, reverse, take }) => {
        const conditions = [where];
        if (after) conditions.push(beyond(after, 'after', false));
        if (before) conditions.push(beyond(before, 'before', false));
        const direction = Prisma.raw(descending === reverse ? 'ASC' : 'DESC');
        return this.prisma.$queryRaw<Mask[]>`
          SELECT m.* ${from} WHERE ${Prisma.join(conditions, ' AND ')}
          ORDER BY m."createdAt" ${direction}, m.id ${direction} LIMIT ${take}`;
      },
      any: async (side, key) => {
        const rows = await this.prisma.$queryRaw<unknown[]>`
          SELECT 1 ${from} WHERE ${where} AND ${beyond(key, side, true)} LIMIT 1`;
        return rows.length > 0;
      },
      count: async () => {
        const [row] = await this.prisma.$queryRaw<{ count: number }[]>`
          SELECT count(*)::int AS count ${from} WHERE ${where}`;
        return row?.count ?? 0;
      },
      sortValue: (row) => row.createdAt,
    };
  }

  /** The first waiting mask after `cursor` in the list's order (or the first of all). */
  async #first(where: Prisma.Sql, order: ReviewOrder, cursor: CursorKey | null): Promise<Mask | null> {
    const [row] = await this.#source(where, order).rows({ after: cursor, before: null, reverse: false, take: 1 });
    return row ?? null;
  }
}
