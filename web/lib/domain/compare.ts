// Comparing runs of one dataset (issue 14): which runs, their settings side by side, their metrics with the best
// of each row, their curves and each run's reading of one image, and the images on which they disagree most.
import { ApiError, type GraphqlClient } from '../graphql/client';
import {
  CompareCurvesDocument,
  CompareImageDocument,
  CompareRunsDocument,
  CompareScoresDocument,
  type ComparedRunFragment,
  type CompareImageQuery,
  type CompareScoresQuery,
  type ImageLabel,
  type MapType,
  type Verdict,
} from '../graphql/generated';
import { METRICS, type MetricSet } from './evaluations';
import { runName } from './runs';

export type ComparedRun = ComparedRunFragment;

/** More runs than this make the tables and charts unreadable (and the colours run out). */
export const MAX_COMPARED = 6;

/** One colour per run, in the order of the page's columns (the charts' series and the map panels' borders). */
export const RUN_COLOURS = ['#2d5bd7', '#d7682d', '#1f8a4c', '#9b3fc0', '#c0392b', '#7a6a00'] as const;

/**
 * The run ids of the page's `runs` parameter: comma-separated (`?runs=a,b`, the page's own links) or repeated
 * (`?runs=a&runs=b`, what the runs list's form sends), in order, without repeats.
 */
export function parseRunIds(value: string | string[] | undefined): string[] {
  const parts = (Array.isArray(value) ? value : [value ?? '']).flatMap((entry) => entry.split(','));
  return [...new Set(parts.map((part) => part.trim()).filter(Boolean))];
}

/** A compare page's address for these runs (and the other choices, kept as they are). */
export function compareHref(runIds: readonly string[], keep: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  if (runIds.length > 0) search.set('runs', runIds.join(','));
  for (const [key, value] of Object.entries(keep)) if (value) search.set(key, value);
  // Commas are safe in a query and keep the address readable.
  return `/runs/compare?${search.toString().replaceAll('%2C', ',')}`;
}

/** What a person calls a run: its name, or its id's start; with the id's start too where two names are alike. */
export function runLabels(runs: readonly { id: string; name: string }[]): string[] {
  const plain = runs.map(runName);
  return plain.map((label, index) =>
    plain.indexOf(label) !== plain.lastIndexOf(label) ? `${label} (${runs[index]!.id.slice(0, 8)})` : label,
  );
}

/** Why runs cannot be compared, in words; null when they can. */
export function whyNotComparable(
  asked: readonly string[],
  runs: readonly { id: string; name: string; dataset: { id: string; name: string } }[],
): string | null {
  if (asked.length > MAX_COMPARED)
    return `Compare at most ${MAX_COMPARED} runs at a time (${asked.length} were chosen).`;
  const missing = asked.filter((id) => !runs.some((run) => run.id === id));
  if (missing.length > 0) return `No run has the id ${missing.join(', ')}.`;
  const datasets = [...new Map(runs.map((run) => [run.dataset.id, run.dataset.name])).values()];
  if (datasets.length > 1) {
    return `Runs of one dataset can be compared, and these are on ${datasets.join(' and ')}: their images differ.`;
  }
  return null;
}

/** The runs asked for, in the order asked, each with its settings and latest evaluation. */
export async function comparedRuns(client: GraphqlClient, ids: readonly string[]): Promise<ComparedRun[]> {
  if (ids.length === 0) return [];
  const { runs } = await client.request(CompareRunsDocument, { ids: [...ids], first: ids.length });
  const byId = new Map(runs.edges.map((edge) => [edge.node.id, edge.node]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** One setting of the runs side by side: its dotted name, each run's value in words, and whether they differ. */
export interface SettingRow {
  key: string;
  values: (string | null)[];
  differs: boolean;
}

/** A setting's value in words: numbers and words as they are, lists joined, anything else as JSON. */
function settingText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((entry) => typeof entry !== 'object')) return value.join(', ');
  return JSON.stringify(value);
}

/** A nested settings object as dotted names (`train.lossKind`) and their values in words. */
export function flattenSettings(value: unknown, prefix = ''): Map<string, string> {
  const flat = new Map<string, string>();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    if (prefix) flat.set(prefix, settingText(value));
    return flat;
  }
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    for (const [name, text] of flattenSettings(entry, prefix ? `${prefix}.${key}` : key)) flat.set(name, text);
  }
  return flat;
}

/**
 * The runs' settings side by side: the resolved config each ran with (what startRun was given, for a run no
 * worker has resolved yet), every name any run has, in the first run's order. A name a run lacks (a setting
 * added after it ran) is null for it, and counts as a difference.
 */
export function settingRows(
  runs: readonly { options: Record<string, unknown>; config?: Record<string, unknown> | null }[],
): SettingRow[] {
  // Options left out are null: the run was not given them, which is no setting of its own.
  const given = (options: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(options).filter(([, value]) => value !== null));
  const flats = runs.map((run) => flattenSettings(run.config ?? given(run.options)));
  const keys = [...new Set(flats.flatMap((flat) => [...flat.keys()]))];
  return keys.map((key) => {
    const values = flats.map((flat) => flat.get(key) ?? null);
    return { key, values, differs: new Set(values).size > 1 };
  });
}

/** One metric of the runs side by side, and which of them are best (all that tie for the highest). */
export interface MetricRow {
  key: keyof MetricSet;
  label: string;
  hint: string;
  values: (number | null)[];
  best: number[];
}

/** A group of metric rows: one map type, or one defect type of a map. */
export interface MetricGroup {
  name: string;
  rows: MetricRow[];
}

/** Indexes of the highest values (every metric here is better higher); none when no run has a value. */
export function bestOf(values: readonly (number | null)[]): number[] {
  const present = values.filter((value): value is number => value !== null && Number.isFinite(value));
  if (present.length === 0) return [];
  const top = Math.max(...present);
  return values.flatMap((value, index) => (value === top ? [index] : []));
}

function metricRows(sets: readonly (MetricSet | null | undefined)[]): MetricRow[] {
  return METRICS.map(({ key, label, hint }) => {
    const values = sets.map((set) => set?.[key] ?? null);
    return { key, label, hint, values, best: sets.length > 1 ? bestOf(values) : [] };
  });
}

type Evaluated = Pick<ComparedRun, 'latestEvaluation'>;

/** Every map type any run's latest evaluation scored, in the first run's order. */
export function comparedMapTypes(runs: readonly Evaluated[]): MapType[] {
  return [...new Set(runs.flatMap((run) => run.latestEvaluation?.metrics.map((entry) => entry.mapType) ?? []))];
}

/** Each map type's metrics across the runs (null where a run did not evaluate that map). */
export function metricsByMap(runs: readonly Evaluated[]): MetricGroup[] {
  return comparedMapTypes(runs).map((mapType) => ({
    name: mapType,
    rows: metricRows(
      runs.map((run) => run.latestEvaluation?.metrics.find((entry) => entry.mapType === mapType)?.overall),
    ),
  }));
}

/** One map type's metrics on each defect type across the runs. */
export function metricsByDefect(runs: readonly Evaluated[], mapType: MapType, defectTypes: string[]): MetricGroup[] {
  return defectTypes.map((defectType) => ({
    name: defectType,
    rows: metricRows(
      runs.map(
        (run) =>
          run.latestEvaluation?.metrics
            .find((entry) => entry.mapType === mapType)
            ?.perDefect.find((entry) => entry.defectType === defectType)?.metrics,
      ),
    ),
  }));
}

/** Each run's ROC and PRO curves for one map (over all test images, or one defect type against the normal ones). */
export async function comparedCurves(
  client: GraphqlClient,
  ids: readonly string[],
  mapType: MapType,
  defectType: string | null,
) {
  const { runs } = await client.request(CompareCurvesDocument, {
    ids: [...ids],
    first: ids.length,
    mapType,
    defectType,
  });
  const byId = new Map(runs.edges.map((edge) => [edge.node.id, edge.node.latestEvaluation?.curves ?? null]));
  return ids.map((id) => byId.get(id) ?? null);
}

export type ImageReading = NonNullable<
  CompareImageQuery['runs']['edges'][number]['node']['results']['edges'][number]
>['node'];

/** Each run's result for one image, in the runs' order (null for a run that did not score it). */
export async function imageAcrossRuns(
  client: GraphqlClient,
  ids: readonly string[],
  imageId: string,
): Promise<(ImageReading | null)[]> {
  const { runs } = await client.request(CompareImageDocument, { ids: [...ids], first: ids.length, imageId });
  const byId = new Map(runs.edges.map((edge) => [edge.node.id, edge.node.results.edges[0]?.node ?? null]));
  return ids.map((id) => byId.get(id) ?? null);
}

type ScoreNode = NonNullable<CompareScoresQuery['run']>['results']['edges'][number]['node'];

/** Every result of a run with its image, most anomalous first. */
async function runScores(client: GraphqlClient, runId: string): Promise<ScoreNode[]> {
  const nodes: ScoreNode[] = [];
  let after: string | null = null;
  for (;;) {
    const { run }: CompareScoresQuery = await client.request(CompareScoresDocument, { runId, first: 100, after });
    if (!run) throw new ApiError(`Run ${runId} does not exist`, 'NOT_FOUND');
    nodes.push(...run.results.edges.map((edge) => edge.node));
    if (!run.results.pageInfo.hasNextPage || !run.results.pageInfo.endCursor) return nodes;
    after = run.results.pageInfo.endCursor;
  }
}

/** One test image as the runs read it. */
export interface ImageDisagreement {
  imageId: string;
  name: string;
  label: ImageLabel;
  defectType: string;
  /** Each run's reading, in the runs' order: the normalised score where every run has a decision, else its rank. */
  readings: (number | null)[];
  verdicts: (Verdict | null)[];
  /** Highest reading minus lowest: how far apart the runs are on this image. */
  spread: number;
  /** The runs' verdicts are not all the same. */
  verdictsDiffer: boolean;
}

/**
 * The runs' readings of every image they all scored, the most disputed first: images where the verdicts differ,
 * then by how far the readings lie apart. Scores of different runs are on different scales, so a reading is the
 * normalised score (0.5 = the run's threshold) where every run has a decision, else the image's place in the
 * run's own order (0 = least anomalous, 1 = most).
 */
export function disagreements(perRun: readonly ScoreNode[][]): ImageDisagreement[] {
  const normalised = perRun.every((nodes) => nodes.every((node) => node.normalizedScore !== null));
  const readingsOf = perRun.map((nodes) => {
    const map = new Map<string, { reading: number; node: ScoreNode }>();
    nodes.forEach((node, index) => {
      const rank = nodes.length > 1 ? 1 - index / (nodes.length - 1) : 1;
      map.set(node.image.id, { reading: normalised ? node.normalizedScore! : rank, node });
    });
    return map;
  });
  const first = perRun[0] ?? [];
  return first
    .map((node): ImageDisagreement => {
      const entries = readingsOf.map((map) => map.get(node.image.id) ?? null);
      const readings = entries.map((entry) => entry?.reading ?? null);
      const verdicts = entries.map((entry) => entry?.node.verdict ?? null);
      const present = readings.filter((value): value is number => value !== null);
      return {
        imageId: node.image.id,
        name: node.image.name,
        label: node.image.label,
        defectType: node.image.defectType,
        readings,
        verdicts,
        spread: present.length > 1 ? Math.max(...present) - Math.min(...present) : 0,
        verdictsDiffer: new Set(verdicts).size > 1,
      };
    })
    .sort((a, b) => Number(b.verdictsDiffer) - Number(a.verdictsDiffer) || b.spread - a.spread);
}

/** The images of the compared runs, the most disputed first (every result of every run, read in parallel). */
export async function comparedImages(client: GraphqlClient, ids: readonly string[]): Promise<ImageDisagreement[]> {
  return disagreements(await Promise.all(ids.map((id) => runScores(client, id))));
}
