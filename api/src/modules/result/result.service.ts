import type { PageColumns, Reads, ResultRow } from '../../db/reads';
import { pageOf, pageWindow, type ConnectionValue, type CursorKey, type PageRequest } from '../../graphql/connection';
import { BadInputError } from '../../graphql/errors';
import { isUuid } from '../../graphql/ids';
import { loadOrNull, type Loaders } from '../../graphql/loaders';
import type { DecisionService } from '../decision/decision.service';
import type { Verdict } from '../decision/decision.type';
import { ResultOrder, type ResultFilter } from './result.input';

export class ResultService {
  constructor(
    private readonly reads: Reads,
    private readonly maxPageSize: number,
    private readonly decisions: DecisionService,
  ) {}

  /**
   * One result, or null when there is none. Through the request's loader, so that a query asking for several
   * results by id (aliases) reads them in one statement, and one it also reaches another way is read once.
   */
  byId(id: string, loaders: Loaders): Promise<ResultRow | null> {
    return loadOrNull(loaders.result, id);
  }

  /** The image's result in the latest SUCCEEDED run of its dataset that has one (the editor's hint), or null. */
  latestOfImage(imageId: string): Promise<ResultRow | null> {
    return this.reads.latestResultOfImage(imageId);
  }

  /**
   * A page of a run's results by score: one statement that walks the (runId, score, id) index from the cursor
   * and joins each result's image and current mask (the columns `columns` names), which the rows carry, so the
   * page's `image { currentMask }` costs nothing more. The unfiltered total is the run's own count: a page
   * never counts 100 000 rows.
   */
  async list(
    run: { id: string; resultCount: number },
    request: PageRequest,
    order: ResultOrder,
    filter: ResultFilter | null | undefined,
    columns: PageColumns,
    loaders: Loaders,
  ): Promise<ConnectionValue<ResultRow>> {
    const window = pageWindow(request, this.maxPageSize, 'number');
    if (filter?.imageId != null && !isUuid(filter.imageId)) {
      throw new BadInputError(`filter.imageId "${filter.imageId}" is not an image id`, 'filter');
    }
    const score = filter?.verdict ? await this.scoreBound(run, filter.verdict, loaders) : undefined;
    const direction = order === ResultOrder.SCORE_ASC ? 'asc' : 'desc';
    const narrowed = {
      runId: run.id,
      label: filter?.label,
      defectType: filter?.defectType,
      imageId: filter?.imageId,
      score,
    };
    const keyOf = (cursor: CursorKey) => ({ score: cursor.value as number, id: cursor.id });
    const filtered = Boolean(filter?.label || filter?.defectType || filter?.imageId || score);
    return pageOf(
      {
        rows: ({ after, before, reverse, take }) =>
          this.reads.resultPage({
            ...narrowed,
            direction,
            after: after && keyOf(after),
            before: before && keyOf(before),
            reverse,
            take,
            columns,
          }),
        any: (side, key) => this.reads.resultExists({ ...narrowed, direction, key: keyOf(key), side }),
        count: () => (filtered ? this.reads.resultCount(narrowed) : run.resultCount),
        sortValue: (result) => result.score,
      },
      window,
    );
  }

  /** The scores a verdict stands for, at the run's threshold. */
  private async scoreBound(
    run: { id: string },
    verdict: Verdict,
    loaders: Loaders,
  ): Promise<{ atLeast: number } | { below: number }> {
    const decision = await this.decisions.ofRunId(run.id, loaders);
    if (!decision) {
      throw new BadInputError(
        'filter.verdict needs a threshold: this run has no evaluation with normal and anomalous images, and none ' +
          'was set with setRunThreshold',
        'filter',
      );
    }
    return verdict === 'ANOMALOUS' ? { atLeast: decision.threshold } : { below: decision.threshold };
  }
}
