import { isApiError, type GraphqlClient } from '../graphql/client';
import {
  AnnotateImageDocument,
  CurrentMaskDocument,
  RestoreMaskVersionDocument,
  ReviewMaskDocument,
  RunResultOrderDocument,
  SaveMaskDocument,
  type AnnotateImageQuery,
  type MaskVersionFragment,
  type ReviewDecision,
  type RunResultOrderQuery,
} from '../graphql/generated';
import { myQueueImageIds } from './assignments';
import { imageIds, imageQueryToSearch, PAGE_SIZE, parseImageQuery, type ImageQuery } from './datasets';

export type MaskVersion = MaskVersionFragment;
export type AnnotatedImage = NonNullable<AnnotateImageQuery['image']>;

/** What the editor opens with: the image (null if there is none) and the colour maps its hint may be drawn in. */
export async function loadAnnotation(
  client: GraphqlClient,
  imageId: string,
): Promise<{ image: AnnotatedImage | null; colourMaps: AnnotateImageQuery['colourMaps'] }> {
  const { image, colourMaps } = await client.request(AnnotateImageDocument, { id: imageId });
  return { image, colourMaps };
}

/** The image's latest mask version now (after a conflict, or when someone else saved). */
export async function latestMask(
  client: GraphqlClient,
  imageId: string,
): Promise<{ version: number; mask: MaskVersion | null }> {
  const { image } = await client.request(CurrentMaskDocument, { id: imageId });
  return { version: image?.maskVersion ?? 0, mask: image?.currentMask ?? null };
}

export type SaveOutcome =
  | { kind: 'saved'; mask: MaskVersion }
  /** Someone saved since `baseVersion`: nothing was written. */
  | { kind: 'conflict'; currentVersion: number; message: string };

export async function saveMask(
  client: GraphqlClient,
  input: { imageId: string; pngBase64: string; baseVersion: number; submit: boolean },
): Promise<SaveOutcome> {
  return saveOutcome(input.baseVersion, async () => (await client.request(SaveMaskDocument, input)).saveMask);
}

/** A save's new version, or the conflict the API answered when someone saved since `baseVersion`. */
async function saveOutcome(baseVersion: number, save: () => Promise<MaskVersion>): Promise<SaveOutcome> {
  try {
    return { kind: 'saved', mask: await save() };
  } catch (error) {
    if (isApiError(error, 'CONFLICT')) {
      const currentVersion = Number(error.extensions.currentVersion);
      return {
        kind: 'conflict',
        currentVersion: Number.isInteger(currentVersion) ? currentVersion : baseVersion + 1,
        message: error.message,
      };
    }
    throw error;
  }
}

/**
 * Saves an earlier version's pixels as a new version (`baseVersion` + 1); a conflict when someone saved since
 * `baseVersion`, as for saveMask.
 */
export async function restoreMaskVersion(
  client: GraphqlClient,
  input: { imageId: string; version: number; baseVersion: number; submit: boolean },
): Promise<SaveOutcome> {
  return saveOutcome(
    input.baseVersion,
    async () => (await client.request(RestoreMaskVersionDocument, input)).restoreMaskVersion,
  );
}

export async function reviewMask(
  client: GraphqlClient,
  maskId: string,
  decision: ReviewDecision,
  comment: string,
): Promise<MaskVersion> {
  return (await client.request(ReviewMaskDocument, { maskId, decision, comment: comment.trim() })).reviewMask;
}

/**
 * Which images next/previous walk through, from the editor's URL: a run's results (most anomalous first, with
 * each image's attention map as a hint), a dataset's images under the grid's filters, or the signed-in user's
 * queue (`?queue=mine`, opened from My queue).
 */
export type EditorContext =
  | { kind: 'run'; runId: string; label?: ImageQuery['label']; defectType?: string }
  | { kind: 'dataset'; datasetId: string; query: ImageQuery }
  | { kind: 'queue' };

export function parseEditorContext(
  params: Record<string, string | string[] | undefined>,
  fallbackDatasetId: string,
): EditorContext {
  if (params.queue === 'mine') return { kind: 'queue' };
  const query = parseImageQuery(params);
  if (typeof params.run === 'string' && params.run) {
    return { kind: 'run', runId: params.run, label: query.label, defectType: query.defectType };
  }
  const datasetId = typeof params.dataset === 'string' && params.dataset ? params.dataset : fallbackDatasetId;
  return { kind: 'dataset', datasetId, query };
}

export function editorSearch(context: EditorContext): string {
  if (context.kind === 'queue') return 'queue=mine';
  if (context.kind === 'run') {
    const search = imageQueryToSearch({ label: context.label, defectType: context.defectType });
    search.set('run', context.runId);
    return search.toString();
  }
  const search = imageQueryToSearch(context.query);
  search.set('dataset', context.datasetId);
  return search.toString();
}

/** Where the editor came from: the run's results or the dataset's grid, with the same filters, or My queue. */
export function contextHref(context: EditorContext): string {
  if (context.kind === 'queue') return '/queue';
  if (context.kind === 'run') {
    const search = imageQueryToSearch({ label: context.label, defectType: context.defectType }).toString();
    return `/runs/${context.runId}/results${search ? `?${search}` : ''}`;
  }
  const search = imageQueryToSearch(context.query).toString();
  return `/datasets/${context.datasetId}${search ? `?${search}` : ''}`;
}

/** An attention map to show as a hint: its levels (0-255 at model resolution), and which run made it. */
export interface Hint {
  levelsUrl: string;
  /** The run's name, to say where the hint comes from. */
  runName: string | null;
}

/** The colour map hints are drawn in: blues to cyan, apart from the red of masks (the API's `ice`). */
export const HINT_COLOUR_MAP = 'ice';

/** The legend of the hint's colour map among the API's colour maps (the first, the default, if it has no `ice`). */
export function hintLegendUrl(colourMaps: { name: string; legendUrl: string }[]): string | null {
  return (colourMaps.find((map) => map.name === HINT_COLOUR_MAP) ?? colourMaps[0])?.legendUrl ?? null;
}

/**
 * The hint for an image: the attention map of the run the editor was opened from, else that of the latest
 * succeeded run of its dataset that scored the image (`Image.latestResult`); null when neither has one.
 */
export function hintFor(image: AnnotatedImage, fromRun: Hint | null): Hint | null {
  if (fromRun) return fromRun;
  const result = image.latestResult;
  const attention = result?.maps.find((map) => map.mapType === 'attention');
  return attention && result ? { levelsUrl: attention.levelsUrl, runName: result.run.name } : null;
}

export interface QueueEntry {
  imageId: string;
  /** The attention map of this image in the context's run. */
  hint: Hint | null;
}

export async function editorQueue(client: GraphqlClient, context: EditorContext): Promise<QueueEntry[]> {
  if (context.kind === 'queue') return (await myQueueImageIds(client)).map((imageId) => ({ imageId, hint: null }));
  if (context.kind === 'dataset') {
    return (await imageIds(client, context.datasetId, context.query)).map((imageId) => ({ imageId, hint: null }));
  }
  const entries: QueueEntry[] = [];
  const filter = {
    ...(context.label ? { label: context.label } : {}),
    ...(context.defectType ? { defectType: context.defectType } : {}),
  };
  let after: string | null = null;
  for (;;) {
    const { run }: RunResultOrderQuery = await client.request(RunResultOrderDocument, {
      runId: context.runId,
      first: PAGE_SIZE,
      after,
      filter,
    });
    if (!run) return entries;
    for (const { node } of run.results.edges) {
      const attention = node.maps.find((map) => map.mapType === 'attention');
      entries.push({
        imageId: node.image.id,
        hint: attention ? { levelsUrl: attention.levelsUrl, runName: run.name } : null,
      });
    }
    if (!run.results.pageInfo.hasNextPage || !run.results.pageInfo.endCursor) return entries;
    after = run.results.pageInfo.endCursor;
  }
}
