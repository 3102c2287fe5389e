import { ApiError, type GraphqlClient } from '../graphql/client';
import {
  ResultViewDocument,
  RunResultIdsDocument,
  RunResultsDocument,
  RunScoresDocument,
  type ImageLabel,
  type MapType,
  type ColourMapChoiceFragment,
  type ResultCardFragment,
  type ResultDetailFragment,
  type ResultFilter,
  type ResultOrder,
  type ResultViewQuery,
  type RunResultIdsQuery,
  type RunScoresQuery,
  type Verdict,
} from '../graphql/generated';
import { PAGE_SIZE } from './datasets';

export type ResultCard = ResultCardFragment;
export type ResultDetail = ResultDetailFragment;
export type ResultMap = ResultDetail['maps'][number];
export type ColourMapChoice = ColourMapChoiceFragment;
export type { MapType };

/** The map the result view opens on: the run's main map. */
export const DEFAULT_MAP: MapType = 'attention';

/** The map to show: the one asked for if the result has it, else attention, else its first; null without maps. */
export function chooseMap(maps: readonly ResultMap[], wanted: string | undefined): ResultMap | null {
  return (
    maps.find((map) => map.mapType === wanted) ?? maps.find((map) => map.mapType === DEFAULT_MAP) ?? maps[0] ?? null
  );
}

/** The map type a link's `map` names, when the run has it; else the first of the run's (undefined: none). */
export function pickMapType(mapTypes: readonly MapType[], wanted: string | undefined): MapType | undefined {
  return mapTypes.find((mapType) => mapType === wanted) ?? mapTypes[0];
}

/** A link to a result view with the map choice in `map`, left out for the default so that plain links stay plain. */
export function withMapType(href: string, mapType: string): string {
  const url = new URL(href, 'http://localhost');
  if (mapType === DEFAULT_MAP) url.searchParams.delete('map');
  else url.searchParams.set('map', mapType);
  return url.pathname + url.search + url.hash;
}

/** Where a value of a map lies in its range, as a share (0-1, clamped); null without a range. */
export function thresholdShare(range: ResultMap['range'], value: number): number | null {
  if (!range) return null;
  const span = range.max - range.min;
  return span > 0 ? Math.min(1, Math.max(0, (value - range.min) / span)) : 0;
}

/** The run's latest evaluation as the result view reads it: each map's pixel F1-max threshold. */
type EvaluatedMaps = { metrics: readonly { mapType: string; overall: { f1Threshold: number | null } }[] } | null;

/**
 * The value where the latest evaluation found a map's pixel F1-max: the map's predicted mask is the map at or above
 * it. Null without an evaluation that kept one (no masks to compare with, or made before it was kept): the API then
 * serves no predicted mask.
 */
export function pixelThreshold(evaluation: EvaluatedMaps, mapType: string): number | null {
  return evaluation?.metrics.find((entry) => entry.mapType === mapType)?.overall.f1Threshold ?? null;
}

/** Intersection over union of two masks of the same size (0/1 per pixel); null when both are empty. */
export function iou(a: Uint8Array, b: Uint8Array): number | null {
  if (a.length !== b.length) throw new Error(`masks of ${a.length} and ${b.length} pixels cannot be compared`);
  let intersection = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && b[i]) intersection++;
    if (a[i] || b[i]) union++;
  }
  return union > 0 ? intersection / union : null;
}

export interface MapDownload {
  href: string;
  /** The file name the browser saves it under: the image's name, the map's type and what it holds. */
  filename: string;
  text: string;
}

/**
 * The files behind one map of a result: its values (float32 TIFF, as MVTec AD's evaluation reads them, and NumPy),
 * and its predicted mask where the evaluation kept a threshold for it.
 */
export function mapDownloads(imageName: string, map: ResultMap, threshold: number | null): MapDownload[] {
  // Image names may hold the folders they were imported from; a saved file's name cannot.
  const stem = `${imageName.replace(/\.[^./\\]*$/, '').replace(/[/\\]+/g, '_')}-${map.mapType}`;
  const files: MapDownload[] = [
    { href: map.tiffUrl, filename: `${stem}.tiff`, text: 'Values (TIFF)' },
    { href: map.npyUrl, filename: `${stem}.npy`, text: 'Values (NumPy)' },
  ];
  if (threshold !== null) {
    files.push({ href: map.predictedMaskUrl, filename: `${stem}-predicted.png`, text: 'Predicted mask (PNG)' });
  }
  return files;
}

/** A threshold given as a share (0-1) of a map's range, in the map's own values; null without a range. */
export function thresholdValue(range: ResultMap['range'], share: number): number | null {
  return range ? range.min + share * (range.max - range.min) : null;
}

/** What the gallery shows of each result: the test image, or the attention map over it. */
export type GalleryView = 'image' | 'heatmap';

/** The gallery's filters, order and view, as they travel in the URL. */
export interface ResultQuery {
  label?: ImageLabel | undefined;
  /** What the run's decision calls the image (only for a run with a decision). */
  verdict?: Verdict | undefined;
  defectType?: string | undefined;
  order: ResultOrder;
  view: GalleryView;
}

export function parseResultQuery(params: Record<string, string | string[] | undefined>): ResultQuery {
  const { label, verdict } = params;
  return {
    label: label === 'NORMAL' || label === 'ANOMALOUS' || label === 'UNLABELED' ? label : undefined,
    verdict: verdict === 'NORMAL' || verdict === 'ANOMALOUS' ? verdict : undefined,
    defectType: typeof params.defect === 'string' && params.defect !== '' ? params.defect : undefined,
    order: params.order === 'SCORE_ASC' ? 'SCORE_ASC' : 'SCORE_DESC',
    view: params.view === 'heatmap' ? 'heatmap' : 'image',
  };
}

export function resultQueryToSearch(query: Partial<ResultQuery>): URLSearchParams {
  const search = new URLSearchParams();
  if (query.label) search.set('label', query.label);
  if (query.verdict) search.set('verdict', query.verdict);
  if (query.defectType) search.set('defect', query.defectType);
  if (query.order && query.order !== 'SCORE_DESC') search.set('order', query.order);
  if (query.view === 'heatmap') search.set('view', query.view);
  return search;
}

/** The query's list: what selects and orders results, without how they are shown (the gallery keeps its pages). */
export function listKey(query: ResultQuery): string {
  return resultQueryToSearch({ ...query, view: 'image' }).toString();
}

/**
 * A result judged against its label: a false positive is a normal image called anomalous, a false negative an
 * anomalous one called normal. Lab people look at these first.
 */
export type Outcome = 'FALSE_POSITIVE' | 'FALSE_NEGATIVE' | 'TRUE_POSITIVE' | 'TRUE_NEGATIVE';

/** The label and verdict each outcome stands for: outcome filters are these two filters together. */
export const OUTCOMES: Record<Outcome, { label: ImageLabel; verdict: Verdict; text: string }> = {
  FALSE_POSITIVE: { label: 'NORMAL', verdict: 'ANOMALOUS', text: 'false positive' },
  FALSE_NEGATIVE: { label: 'ANOMALOUS', verdict: 'NORMAL', text: 'false negative' },
  TRUE_POSITIVE: { label: 'ANOMALOUS', verdict: 'ANOMALOUS', text: 'true positive' },
  TRUE_NEGATIVE: { label: 'NORMAL', verdict: 'NORMAL', text: 'true negative' },
};

/** What the verdict makes of a labelled image; null for an unlabeled image or without a verdict. */
export function outcomeOf(label: ImageLabel, verdict: Verdict | null | undefined): Outcome | null {
  if (!verdict || label === 'UNLABELED') return null;
  const found = Object.entries(OUTCOMES).find(([, entry]) => entry.label === label && entry.verdict === verdict);
  return found ? (found[0] as Outcome) : null;
}

/** The outcome a query's label and verdict filters select, if they select one. */
export function queryOutcome(query: Pick<ResultQuery, 'label' | 'verdict'>): Outcome | undefined {
  return query.label ? (outcomeOf(query.label, query.verdict) ?? undefined) : undefined;
}

/** The label and verdict filters that select an outcome; no outcome clears both. */
export function outcomeFilters(outcome: Outcome | undefined): Pick<ResultQuery, 'label' | 'verdict'> {
  return outcome
    ? { label: OUTCOMES[outcome].label, verdict: OUTCOMES[outcome].verdict }
    : { label: undefined, verdict: undefined };
}

/** A link to a run's results with these filters (the default order and view). */
export function resultsHref(runId: string, filters: Partial<ResultQuery>): string {
  const search = resultQueryToSearch(filters).toString();
  return `/runs/${runId}/results${search ? `?${search}` : ''}`;
}

function toFilter(query: Pick<ResultQuery, 'label' | 'verdict' | 'defectType'>): ResultFilter {
  return {
    ...(query.label ? { label: query.label } : {}),
    ...(query.verdict ? { verdict: query.verdict } : {}),
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
  query: Pick<ResultQuery, 'label' | 'verdict' | 'defectType'> = {},
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
