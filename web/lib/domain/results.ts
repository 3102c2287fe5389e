import { ApiError, type GraphqlClient } from '../graphql/client';
import {
  RunResultOrderDocument,
  RunResultPageDocument,
  RunResultsDocument,
  RunScoresDocument,
  type ImageLabel,
  type ResultCardFragment,
  type ResultDetailFragment,
  type ResultFilter,
  type ResultOrder,
  type RunResultOrderQuery,
  type RunScoresQuery,
} from '../graphql/generated';
import { PAGE_SIZE } from './datasets';

export type ResultCard = ResultCardFragment;
export type ResultDetail = ResultDetailFragment;

/** The gallery's filters and order, as they travel in the URL. */
export interface ResultQuery {
  label?: ImageLabel | undefined;
  defectType?: string | undefined;
  order: ResultOrder;
}

export function parseResultQuery(params: Record<string, string | string[] | undefined>): ResultQuery {
  const label = params.label;
  return {
    label: label === 'NORMAL' || label === 'ANOMALOUS' || label === 'UNLABELED' ? label : undefined,
    defectType: typeof params.defect === 'string' && params.defect !== '' ? params.defect : undefined,
    order: params.order === 'SCORE_ASC' ? 'SCORE_ASC' : 'SCORE_DESC',
  };
}

export function resultQueryToSearch(query: ResultQuery): URLSearchParams {
  const search = new URLSearchParams();
  if (query.label) search.set('label', query.label);
  if (query.defectType) search.set('defect', query.defectType);
  if (query.order !== 'SCORE_DESC') search.set('order', query.order);
  return search;
}

function toFilter(query: Pick<ResultQuery, 'label' | 'defectType'>): ResultFilter {
  return {
    ...(query.label ? { label: query.label } : {}),
    ...(query.defectType ? { defectType: query.defectType } : {}),
  };
}

export async function resultGallery(client: GraphqlClient, runId: string, query: ResultQuery, after: string | null) {
  const { run } = await client.request(RunResultsDocument, {
    runId,
    first: PAGE_SIZE,
    after,
    filter: toFilter(query),
    orderBy: query.order,
  });
  if (!run) throw new ApiError(`Run ${runId} does not exist`, 'NOT_FOUND');
  return {
    run,
    results: run.results.edges.map((edge) => edge.node),
    totalCount: run.results.totalCount,
    endCursor: run.results.pageInfo.endCursor,
    hasNextPage: run.results.pageInfo.hasNextPage,
  };
}

export interface ResultInContext {
  run: NonNullable<RunResultOrderQuery['run']>;
  result: ResultDetail;
  /** 0-based position in the filtered list, most anomalous first. */
  index: number;
  total: number;
  previousId: string | null;
  nextId: string | null;
}

/**
 * One result with its neighbours in score order. The API has no single-result query yet, so this walks the
 * run's results (ids only, 100 a page) to find it, then asks for its details with the cursor just before it.
 */
export async function resultInContext(
  client: GraphqlClient,
  runId: string,
  resultId: string,
  query: Pick<ResultQuery, 'label' | 'defectType'> = {},
): Promise<ResultInContext | null> {
  const filter = toFilter(query);
  const ids: string[] = [];
  const cursors: string[] = [];
  let after: string | null = null;
  let run: RunResultOrderQuery['run'] = null;
  let index = -1;
  let total = 0;
  for (;;) {
    const page: RunResultOrderQuery = await client.request(RunResultOrderDocument, {
      runId,
      first: PAGE_SIZE,
      after,
      filter,
    });
    run = page.run;
    if (!run) throw new ApiError(`Run ${runId} does not exist`, 'NOT_FOUND');
    total = run.results.totalCount;
    for (const edge of run.results.edges) {
      ids.push(edge.node.id);
      cursors.push(edge.cursor);
    }
    index = ids.indexOf(resultId);
    // One more item after it is needed for "next".
    const haveNext = index >= 0 && (index + 1 < ids.length || !run.results.pageInfo.hasNextPage);
    if (haveNext || !run.results.pageInfo.hasNextPage || !run.results.pageInfo.endCursor) break;
    after = run.results.pageInfo.endCursor;
  }
  if (!run || index < 0) return null;
  const detail = await client.request(RunResultPageDocument, {
    runId,
    first: 1,
    after: index > 0 ? cursors[index - 1]! : null,
    filter,
  });
  const result = detail.run?.results.edges[0]?.node;
  if (!result || result.id !== resultId) return null;
  return {
    run,
    result,
    index,
    total,
    previousId: index > 0 ? ids[index - 1]! : null,
    nextId: ids[index + 1] ?? null,
  };
}

export interface LabelledScore {
  score: number;
  label: ImageLabel;
  defectType: string;
}

/** Every image score of a run with its image's label (for the normal vs anomalous histogram). */
export async function allScores(client: GraphqlClient, runId: string): Promise<LabelledScore[]> {
  const scores: LabelledScore[] = [];
  let after: string | null = null;
  for (;;) {
    const { run }: RunScoresQuery = await client.request(RunScoresDocument, { runId, first: PAGE_SIZE, after });
    if (!run) throw new ApiError(`Run ${runId} does not exist`, 'NOT_FOUND');
    for (const { node } of run.results.edges) {
      scores.push({ score: node.score, label: node.image.label, defectType: node.image.defectType });
    }
    if (!run.results.pageInfo.hasNextPage || !run.results.pageInfo.endCursor) return scores;
    after = run.results.pageInfo.endCursor;
  }
}
