import { ApiError, type GraphqlClient } from '../graphql/client';
import {
  DatasetDetailDocument,
  DatasetImageIdsDocument,
  DatasetImagesDocument,
  DatasetImportDocument,
  DatasetsDocument,
  StartDatasetImportDocument,
  type DatasetImportJobFragment,
  type DatasetImageIdsQuery,
  type DatasetOrder,
  type DatasetsQuery,
  type DatasetSummaryFragment,
  type GridImageFragment,
  type ImageFilter,
  type ImageLabel,
  type MaskStatus,
  type Split,
} from '../graphql/generated';

export type DatasetSummary = DatasetSummaryFragment;
export type GridImage = GridImageFragment;
export type DatasetImportJob = DatasetImportJobFragment;

/** The API's largest page. */
export const PAGE_SIZE = 100;

/** Every dataset (pages of 100), by name, or those a search names in the order asked for. */
export async function listDatasets(
  client: GraphqlClient,
  { search, orderBy }: { search?: string; orderBy?: DatasetOrder } = {},
): Promise<DatasetSummary[]> {
  const datasets: DatasetSummary[] = [];
  let after: string | null = null;
  for (;;) {
    const { datasets: page }: DatasetsQuery = await client.request(DatasetsDocument, {
      first: PAGE_SIZE,
      after,
      orderBy: orderBy ?? 'NAME_ASC',
      search: search?.trim() || null,
    });
    datasets.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return datasets;
    after = page.pageInfo.endCursor;
  }
}

export async function getDataset(client: GraphqlClient, id: string) {
  return (await client.request(DatasetDetailDocument, { id })).dataset;
}

/** Share of anomalous images that have a mask (null without anomalous images). */
export function maskCoverage(dataset: DatasetSummary): number | null {
  return dataset.counts.anomalous > 0 ? dataset.anomalousWithMask.totalCount / dataset.counts.anomalous : null;
}

/** The grid's filters, as they travel in the page's URL. */
export interface ImageQuery {
  split?: Split | undefined;
  label?: ImageLabel | undefined;
  defectType?: string | undefined;
  /** `none`: images without a mask; otherwise the status of their latest mask version. */
  mask?: MaskStatus | 'none' | 'any' | undefined;
}

const SPLITS: readonly Split[] = ['TRAIN', 'TEST'];
const LABELS: readonly ImageLabel[] = ['NORMAL', 'ANOMALOUS', 'UNLABELED'];
const MASK_FILTERS: readonly NonNullable<ImageQuery['mask']>[] = [
  'none',
  'any',
  'DRAFT',
  'SUBMITTED',
  'APPROVED',
  'REJECTED',
];

function pick<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** Reads filters from search params, ignoring values that are not filters. */
export function parseImageQuery(params: Record<string, string | string[] | undefined>): ImageQuery {
  const defectType = typeof params.defect === 'string' && params.defect !== '' ? params.defect : undefined;
  return {
    split: pick(params.split, SPLITS),
    label: pick(params.label, LABELS),
    defectType,
    mask: pick(params.mask, MASK_FILTERS),
  };
}

export function imageQueryToSearch(query: ImageQuery): URLSearchParams {
  const search = new URLSearchParams();
  if (query.split) search.set('split', query.split);
  if (query.label) search.set('label', query.label);
  if (query.defectType) search.set('defect', query.defectType);
  if (query.mask) search.set('mask', query.mask);
  return search;
}

export function toImageFilter(query: ImageQuery): ImageFilter {
  const filter: ImageFilter = {};
  if (query.split) filter.split = query.split;
  if (query.label) filter.label = query.label;
  if (query.defectType) filter.defectType = query.defectType;
  if (query.mask === 'none') filter.hasMask = false;
  else if (query.mask === 'any') filter.hasMask = true;
  else if (query.mask) filter.maskStatus = query.mask;
  return filter;
}

export interface ImagePage {
  images: GridImage[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

export async function imagePage(
  client: GraphqlClient,
  datasetId: string,
  query: ImageQuery,
  after: string | null,
  first = PAGE_SIZE,
): Promise<ImagePage> {
  const { dataset } = await client.request(DatasetImagesDocument, {
    id: datasetId,
    first,
    after,
    filter: toImageFilter(query),
  });
  if (!dataset) throw new ApiError(`Dataset ${datasetId} does not exist`, 'NOT_FOUND');
  return {
    images: dataset.images.edges.map((edge) => edge.node),
    totalCount: dataset.images.totalCount,
    endCursor: dataset.images.pageInfo.endCursor,
    hasNextPage: dataset.images.pageInfo.hasNextPage,
  };
}

/** Ids of the images a filter selects, in name order (what next/previous walk through), up to `limit`. */
export async function imageIds(
  client: GraphqlClient,
  datasetId: string,
  query: ImageQuery,
  limit = 5000,
): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  while (ids.length < limit) {
    const { dataset }: DatasetImageIdsQuery = await client.request(DatasetImageIdsDocument, {
      id: datasetId,
      first: PAGE_SIZE,
      after,
      filter: toImageFilter(query),
    });
    if (!dataset) throw new ApiError(`Dataset ${datasetId} does not exist`, 'NOT_FOUND');
    ids.push(...dataset.images.edges.map((edge) => edge.node.id));
    if (!dataset.images.pageInfo.hasNextPage || !dataset.images.pageInfo.endCursor) break;
    after = dataset.images.pageInfo.endCursor;
  }
  return ids;
}

export interface ImportSource {
  /** A folder on the API server. */
  path?: string;
  /** An id from POST /uploads. */
  uploadId?: string;
  name?: string;
  description?: string;
}

/** Queues the import for a worker (admins); follow the job with getDatasetImport until it has ended. */
export async function startDatasetImport(client: GraphqlClient, source: ImportSource): Promise<DatasetImportJob> {
  const input = {
    ...(source.path?.trim() ? { path: source.path.trim() } : {}),
    ...(source.uploadId ? { uploadId: source.uploadId } : {}),
    ...(source.name?.trim() ? { name: source.name.trim() } : {}),
    ...(source.description?.trim() ? { description: source.description.trim() } : {}),
  };
  if (!input.path && !input.uploadId) throw new ApiError('Give a server folder or a zip file', 'BAD_USER_INPUT');
  return (await client.request(StartDatasetImportDocument, { input })).startDatasetImport;
}

export async function getDatasetImport(client: GraphqlClient, id: string): Promise<DatasetImportJob> {
  const job = (await client.request(DatasetImportDocument, { id })).datasetImport;
  if (!job) throw new ApiError(`Dataset import ${id} does not exist`, 'NOT_FOUND');
  return job;
}

/** What a succeeded import made, in words: "Imported bottle: 209 images (2 warnings)". */
export function datasetImportSummary(job: DatasetImportJob): string {
  const warnings = job.dataset?.warnings.length ?? 0;
  const name = job.dataset?.name ?? job.source;
  return (
    `Imported ${name}: ${job.dataset?.counts.images ?? job.imageCount} images` +
    (warnings ? ` (${warnings} warning${warnings > 1 ? 's' : ''})` : '')
  );
}

/**
 * Sends a zip to POST /uploads (through the app's proxy), reporting progress; resolves with the upload id that
 * startDatasetImport takes. XMLHttpRequest, because fetch reports no upload progress.
 */
export function uploadZip(
  file: Blob & { name: string },
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<{ id: string; byteSize: number }> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/uploads?name=${encodeURIComponent(file.name)}`);
    request.setRequestHeader('content-type', 'application/zip');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      // 201 {id, byteSize}, or the API's error shape {errors: [{message, extensions: {code}}]}.
      let body: { id?: string; byteSize?: number; errors?: { message?: string; extensions?: { code?: string } }[] } =
        {};
      try {
        body = JSON.parse(request.responseText) as typeof body;
      } catch {
        // Reported below with the status.
      }
      if (request.status === 201 && body.id) {
        onProgress(1);
        resolve({ id: body.id, byteSize: body.byteSize ?? file.size });
      } else {
        const error = body.errors?.[0];
        const message = error?.message ?? `The upload failed (HTTP ${request.status})`;
        reject(new ApiError(message, error?.extensions?.code ?? 'UPLOAD_FAILED'));
      }
    };
    request.onerror = () => reject(new ApiError('The upload was interrupted', 'UPLOAD_FAILED'));
    request.onabort = () => reject(new ApiError('The upload was cancelled', 'UPLOAD_CANCELLED'));
    signal?.addEventListener('abort', () => request.abort());
    request.send(file);
  });
}
