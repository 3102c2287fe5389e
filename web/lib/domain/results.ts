import { ApiError, type GraphqlClient } from '../graphql/client';
import {
  ResultViewDocument,
  RunResultIdsDocument,
  RunResultsDocument,
  RunScoresDocument,
  type ImageLabel,
  type ColourMapChoiceFragment,
  type ResultCardFragment,
  type ResultDetailFragment,
  type ResultFilter,
  type ResultOrder,
  type ResultViewQuery,
  type RunResultIdsQuery,
  type RunScoresQuery,
} from '../graphql/generated';
import { PAGE_SIZE } from './datasets';

export type ResultCard = ResultCardFragment;
export type ResultDetail = ResultDetailFragment;
export type ResultMap = ResultDetail['maps'][number];
export type ColourMapChoice = ColourMapChoiceFragment;

/** The map the result view opens on: the run's main map. */
export const DEFAULT_MAP = 'attention';

/** The map to show: the one asked for if the result has it, else attention, else its first; null without maps. */
export function chooseMap(maps: readonly ResultMap[], wanted: string | undefined): ResultMap | null {
  return (
    maps.find((map) => map.mapType === wanted) ?? maps.find((map) => map.mapType === DEFAULT_MAP) ?? maps[0] ?? null
  );
}

/** A link to a result view with the map choice in `map`, left out for the default so that plain links stay plain. */
export function withMapType(href: string, mapType: string): string {
  const url = new URL(href, 'http://localhost');
  if (mapType === DEFAULT_MAP) url.searchParams.delete('map');
  else url.searchParams.set('map', mapType);
  return url.pathname + url.search + url.hash;
}

/** A threshold given as a share (0-1) of a map's range, in the map's own values; null without a range. */
export function thresholdValue(range: ResultMap['range'], share: number): number | null {
  return range ? range.min + share * (range.max - range.min) : null;
}

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

/** Where a result lies in a run's filtered list, most anomalous first, with its neighbours. */
interface Place {
  /** 0-based position in the filtered list. */
  index: number;
  total: number;
  previousId: string | null;
  nextId: string | null;
}

export interface ResultInContext extends Place {
  run: NonNullable<ResultViewQuery['result']>['run'];
  result: ResultDetail;
  /** The colour maps the viewer offers, the default first. */
  colourMaps: ColourMapChoice[];
}

/**
 * The run's result ids in score order, a page at a time, until `resultId` and the one after it are in: the
 * API can fetch a result by id but has no query for its position in a filtered list. Null when the filtered
 * list does not hold it.
 */
async function placeOf(
  client: GraphqlClient,
  runId: string,
  resultId: string,
  filter: ResultFilter,
): Promise<Place | null> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: RunResultIdsQuery = await client.request(RunResultIdsDocument, {
      runId,
      first: PAGE_SIZE,
      after,
      filter,
    });
    if (!page.run) throw new ApiError(`Run ${runId} does not exist`, 'NOT_FOUND');
    const { edges, pageInfo, totalCount } = page.run.results;
    for (const edge of edges) ids.push(edge.node.id);
    const index = ids.indexOf(resultId);
    const next = pageInfo.hasNextPage ? pageInfo.endCursor : null;
    if (index >= 0 && (index + 1 < ids.length || next === null)) {
      return {
        index,
        total: totalCount,
        previousId: index > 0 ? ids[index - 1]! : null,
        nextId: ids[index + 1] ?? null,
      };
    }
    if (next === null) return null;
    after = next;
  }
}

/**
 * One result of a run with its neighbours in score order under the gallery's filters. Null (not found) when
 * there is no such result, when it belongs to another run, or when the filters leave it out.
 */
export async function resultInContext(
  client: GraphqlClient,
  runId: string,
  resultId: string,
  query: Pick<ResultQuery, 'label' | 'defectType'> = {},
): Promise<ResultInContext | null> {
  const [{ result, colourMaps }, place] = await Promise.all([
    client.request(ResultViewDocument, { id: resultId }),
    placeOf(client, runId, resultId, toFilter(query)),
  ]);
  if (!result || result.run.id !== runId || !place) return null;
  const { run, ...detail } = result;
  return { run, result: detail, colourMaps, ...place };
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
